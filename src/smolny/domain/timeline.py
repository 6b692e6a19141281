"""A body's seats by faction over time: a step series, from its mandates' validity periods.

A mandate holds its seat from `valid_from` up to, not including, `valid_to`: when one
mandate ends and another starts at the same moment, that moment shows the new holder
only. The series has a step at its start and one at every later moment up to its end
when the seats by faction differ from the step before; in between they hold.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from smolny.domain.analytics import Group
from smolny.domain.errors import InvalidInput
from smolny.domain.mandates import Mandate


@dataclass(frozen=True)
class Step:
    """The filled seats by faction (None: no faction) from `at` until the next step;
    factions without a seat are left out."""

    at: datetime
    seats: Mapping[Group, int]

    @property
    def filled(self) -> int:
        return sum(self.seats.values())

    def share(self, group: Group) -> float:
        """The faction's share of the filled seats, 0 when none is filled."""
        filled = self.filled
        return self.seats.get(group, 0) / filled if filled else 0.0


@dataclass(frozen=True)
class SeatSeries:
    start: datetime
    end: datetime
    steps: tuple[Step, ...]  # the first at `start`, then one per change, in time order

    def at(self, moment: datetime) -> Step | None:
        """The step in force at `moment`, None before the series starts."""
        k = bisect.bisect_right([s.at for s in self.steps], moment)
        return self.steps[k - 1] if k else None

    def groups(self) -> list[Group]:
        """Every faction that holds a seat at some step, in order of first appearance."""
        found: dict[Group, None] = {}
        for step in self.steps:
            found.update(dict.fromkeys(step.seats))
        return list(found)


def seat_series(mandates: Iterable[Mandate], start: datetime, end: datetime) -> SeatSeries:
    """The seats by faction of the given mandates (one body's, or one section's) at
    `start` and at every moment up to `end` when they change, in one pass over the
    mandates' starts and ends."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("a moment needs a time zone")
    if end < start:
        raise InvalidInput(f"the series ends ({end.isoformat()}) before it starts", field="to")
    current: Counter[Group] = Counter()
    changes: dict[datetime, Counter[Group]] = {}
    for mandate in mandates:
        ends = mandate.valid_to
        if ends is not None and ends <= mandate.valid_from:
            continue  # never held
        group = mandate.faction_id
        if mandate.active_at(start):
            current[group] += 1
        elif start < mandate.valid_from <= end:
            changes.setdefault(mandate.valid_from, Counter())[group] += 1
        if ends is not None and start < ends <= end:
            changes.setdefault(ends, Counter())[group] -= 1
    steps = [Step(start, _held(current))]
    for moment in sorted(changes):
        current.update(changes[moment])
        seats = _held(current)
        if seats != steps[-1].seats:
            steps.append(Step(moment, seats))
    return SeatSeries(start, end, tuple(steps))


def _held(counts: Counter[Group]) -> dict[Group, int]:
    return {group: n for group, n in counts.items() if n}
