"""Breaking ties the way counting rules do: by earlier rounds, then by lot from a seed."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import TypeVar

from smolny.voting.result import CountError

T = TypeVar("T")


class Lots:
    """Lots drawn from one recorded seed, in the order the count needs them, so that the
    same count with the same seed draws the same lots."""

    def __init__(self, seed: int | None) -> None:
        self.seed = seed
        self._rng: random.Random | None = None
        self.drawn = 0

    def draw(self, among: Sequence[T], k: int = 1, *, what: str = "a tie") -> tuple[T, ...]:
        """Pick k of `among` by lot (in the order drawn)."""
        if self.seed is None:
            names = ", ".join(str(a) for a in among)
            raise CountError(f"{what} between {names} must be decided by lot: give a seed")
        if self._rng is None:
            self._rng = random.Random(self.seed)
        self.drawn += 1
        return tuple(self._rng.sample(list(among), k))

    def describe(self) -> str:
        return f"lot (seed {self.seed})"


def by_history(
    tied: Sequence[T],
    history: Sequence[Mapping[T, int]],
    *,
    lowest: bool,
    earliest: bool = True,
) -> tuple[list[T], int | None]:
    """Narrow a tie by the candidates' values in earlier rounds.

    Looks at the rounds from the first (`earliest`) or from the last, and at the first
    round where the tied candidates' values differ, keeps those with the lowest (or
    highest) value there. Returns the candidates still tied and the 1-based round that
    decided (None if no round separates them).
    """
    order = range(len(history)) if earliest else range(len(history) - 1, -1, -1)
    for index in order:
        values = {c: history[index].get(c, 0) for c in tied}
        if len(set(values.values())) > 1:
            best = min(values.values()) if lowest else max(values.values())
            return [c for c in tied if values[c] == best], index + 1
    return list(tied), None
