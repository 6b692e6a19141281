"""Ranked ballots held as arrays: one row per distinct ballot, with how many voters cast it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

NO_CANDIDATE = -1  # pads a ballot after its last preference


class ProfileError(ValueError):
    """Ballots that do not make a valid profile; the message says which and why."""


@dataclass(frozen=True, eq=False)
class RankedProfile:
    """Ranked ballots.

    `ballots[i]` lists candidate indices (into `candidates`) in order of preference,
    padded with -1 after the last preference (a truncated ballot); `counts[i]` voters cast
    it. `tied[i, j]` is True when the preference at position j is tied with the one at
    j + 1 (same rank; only where the ballot format allows ties); None when no ballot has a
    tie. `withdrawn` candidates stand on the ballot but cannot be elected (BLT files).
    """

    candidates: tuple[str, ...]
    ballots: NDArray[np.int16]
    counts: NDArray[np.int64]
    tied: NDArray[np.bool_] | None = None
    withdrawn: frozenset[int] = frozenset()
    title: str = ""
    seats: int | None = None  # the number of seats a file states, if any
    _checked: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if not self._checked:
            _check(self)

    # -- building ------------------------------------------------------------------------
    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[Sequence[int | Sequence[int]]],
        counts: Iterable[int] | None = None,
        **kwargs: object,
    ) -> RankedProfile:
        """Build from rankings such as [0, 2, 1] or, with ties, [0, (1, 2)]."""
        rows: list[list[int]] = []
        ties: list[list[bool]] = []
        for ranking in rankings:
            row: list[int] = []
            tie: list[bool] = []
            for rank in ranking:
                group = [rank] if isinstance(rank, int | np.integer) else list(rank)
                if not group:
                    raise ProfileError("a ranking has an empty rank")
                row.extend(int(c) for c in group)
                tie.extend([True] * (len(group) - 1) + [False])
            rows.append(row)
            ties.append(tie)
        width = max((len(r) for r in rows), default=0)
        ballots = np.full((len(rows), width), NO_CANDIDATE, dtype=np.int16)
        tied = np.zeros((len(rows), width), dtype=np.bool_)
        for i, (row, tie) in enumerate(zip(rows, ties, strict=True)):
            ballots[i, : len(row)] = row
            tied[i, : len(tie)] = tie
        weights = (
            np.ones(len(rows), dtype=np.int64)
            if counts is None
            else np.asarray(list(counts), dtype=np.int64)
        )
        return cls(
            tuple(candidates),
            ballots,
            weights,
            tied if tied.any() else None,
            **kwargs,  # type: ignore[arg-type]
        )

    def grouped(self) -> RankedProfile:
        """The same profile with identical ballots merged into one row (order of first
        appearance kept)."""
        if len(self.counts) == 0:
            return self
        keys = self.ballots if self.tied is None else np.hstack([self.ballots, self.tied])
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        counts = np.bincount(inverse, weights=self.counts, minlength=len(first))
        order = np.argsort(first, kind="stable")
        return RankedProfile(
            self.candidates,
            self.ballots[first[order]],
            counts[order].astype(np.int64),
            None if self.tied is None else self.tied[first[order]],
            self.withdrawn,
            self.title,
            self.seats,
            _checked=True,
        )

    # -- reading -------------------------------------------------------------------------
    @property
    def total(self) -> int:
        """How many voters (ballots cast, counting duplicates)."""
        return int(self.counts.sum())

    @property
    def lengths(self) -> NDArray[np.int64]:
        """How many candidates each ballot ranks."""
        return np.asarray((self.ballots != NO_CANDIDATE).sum(axis=1), dtype=np.int64)

    def rankings(self) -> Iterator[tuple[int, tuple[tuple[int, ...], ...]]]:
        """(count, ranks) per row, a rank being a tuple of tied candidates."""
        for i in range(len(self.counts)):
            ranks: list[tuple[int, ...]] = []
            group: list[int] = []
            for j, c in enumerate(self.ballots[i]):
                if c == NO_CANDIDATE:
                    break
                group.append(int(c))
                if self.tied is None or not self.tied[i, j]:
                    ranks.append(tuple(group))
                    group = []
            yield int(self.counts[i]), tuple(ranks)

    def first_preferences(self) -> NDArray[np.int64]:
        """Votes per candidate counting each ballot's first preference (a first rank that
        is a tie counts for no one)."""
        first = self.ballots[:, 0] if self.ballots.shape[1] else np.empty(0, np.int16)
        valid = first != NO_CANDIDATE
        if self.tied is not None and self.tied.shape[1]:
            valid &= ~self.tied[:, 0]
        return np.bincount(
            first[valid], weights=self.counts[valid], minlength=len(self.candidates)
        ).astype(np.int64)

    def rank_matrix(self) -> NDArray[np.int16]:
        """rank[i, c]: the rank of candidate c on ballot i (0 is first; tied candidates
        share a rank); candidates left unranked get the rank after the last."""
        n, width = self.ballots.shape
        ranks = np.full((n, len(self.candidates)), width, dtype=np.int16)
        if width == 0:
            return ranks
        step = np.ones((n, width), dtype=np.int16)
        if self.tied is not None:
            step[:, 1:] = ~self.tied[:, :-1]
        position_rank = np.cumsum(step, axis=1, dtype=np.int16) - 1
        rows, cols = np.nonzero(self.ballots != NO_CANDIDATE)
        ranks[rows, self.ballots[rows, cols]] = position_rank[rows, cols]
        # Unranked candidates share the rank after the ballot's last rank.
        last = np.where(
            self.ballots[:, 0] == NO_CANDIDATE,
            0,
            position_rank.max(axis=1, initial=0, where=self.ballots != NO_CANDIDATE) + 1,
        )
        unranked = ranks == width
        ranks[unranked] = np.broadcast_to(last[:, None], ranks.shape)[unranked]
        return ranks

    def pairwise(self) -> NDArray[np.int64]:
        """support[a, b]: voters who rank a above b (a ranked candidate is above every
        unranked one; unranked candidates are level)."""
        ranks = self.rank_matrix()
        c = len(self.candidates)
        support = np.zeros((c, c), dtype=np.int64)
        for a in range(c):
            above = ranks[:, a : a + 1] < ranks
            support[a] = self.counts @ above
        return support


def _check(profile: RankedProfile) -> None:
    candidates = profile.candidates
    if len(set(candidates)) != len(candidates):
        raise ProfileError("two candidates have the same name")
    ballots = profile.ballots
    if ballots.ndim != 2 or profile.counts.shape != (ballots.shape[0],):
        raise ProfileError("ballots must be a 2-d array with one count per row")
    if profile.tied is not None and profile.tied.shape != ballots.shape:
        raise ProfileError("the tie marks must have the shape of the ballots")
    if (profile.counts < 1).any():
        row = int(np.argmax(profile.counts < 1))
        raise ProfileError(f"ballot {row + 1} has a count below 1")
    if ((ballots < NO_CANDIDATE) | (ballots >= len(candidates))).any():
        row = int(np.argmax(((ballots < NO_CANDIDATE) | (ballots >= len(candidates))).any(1)))
        raise ProfileError(f"ballot {row + 1} names a candidate that does not exist")
    padded = ballots == NO_CANDIDATE
    if (padded[:, :-1] & ~padded[:, 1:]).any():
        row = int(np.argmax((padded[:, :-1] & ~padded[:, 1:]).any(1)))
        raise ProfileError(f"ballot {row + 1} has a gap between preferences")
    if ballots.shape[1] > 1:
        ordered = np.sort(np.where(padded, -1 - np.arange(ballots.shape[1]), ballots), axis=1)
        repeated = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if repeated.any():
            row = int(np.argmax(repeated))
            raise ProfileError(f"ballot {row + 1} ranks a candidate twice")
    for c in profile.withdrawn:
        if not 0 <= c < len(candidates):
            raise ProfileError(f"withdrawn candidate {c + 1} does not exist")
