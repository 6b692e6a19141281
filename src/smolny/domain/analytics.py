"""Analytics computed from the recorded state: how proportional an election was, how
unequal a council's seat allocation is, and how far a body's composition lags behind the
base it stands on. Nothing here is stored: every figure is recomputed from the records.

Every index is in percentage points of shares, between 0 and 100. With a_i and b_i the
shares of group i in two distributions (votes and seats, electors and seats, the base and
the body):

- Loosemore–Hanby (1971): D = ½ Σ |a_i − b_i|, the share of seats that would have to
  change hands for the two to agree.
- Gallagher's least squares (1991): LSq = √(½ Σ (a_i − b_i)²), which weighs one large
  difference more than many small ones.
- Samuels–Snyder malapportionment (2001): MAL = ½ Σ |s_i − e_i|, Loosemore–Hanby over
  constituencies, between their seat shares and their elector shares.

Gallagher never exceeds Loosemore–Hanby. With d_i = a_i − b_i, Σ d_i = 0, so the positive
d_i add up to D and the negative ones to −D; hence Σ d_i² ≤ (Σ_{d>0} d_i)² + (Σ_{d<0} d_i)²
= 2D², and LSq = √(½ Σ d_i²) ≤ D. They are equal when only two groups differ.

The shares of an election or a seat allocation are exact fractions, and the indices are
given as floats (Gallagher's is a square root). The target of a lag, combined over many
constituencies and moments, is computed in floating point (see `LagHistory.series`).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any, Generic, TypeVar

import numpy as np

from smolny.domain.elections import RANKED_METHODS, Election, ElectionMethod
from smolny.domain.errors import InvalidInput
from smolny.domain.federation import ELECTED_BODIES, Constituency, Council
from smolny.domain.mandates import Mandate, SeatAllocation

K = TypeVar("K", bound=Hashable)
Group = int | None  # a faction's id; None groups the delegates (or candidates) of no faction
Number = int | float | Fraction

# -- shares and indices ---------------------------------------------------------------------


def exact(value: Number | str) -> Fraction:
    """A count as an exact fraction; a float is read as the decimal it prints as."""
    if isinstance(value, bool):
        raise InvalidInput(f"{value!r} is not a count")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"{value!r} is not a count")
        return Fraction(repr(value))
    return Fraction(value)


def shares(counts: Mapping[K, Number]) -> dict[K, Fraction]:
    """Each count's share of the total (which must be positive; no count may be negative)."""
    exact_counts = {k: exact(v) for k, v in counts.items()}
    if any(v < 0 for v in exact_counts.values()):
        raise InvalidInput("a count cannot be negative")
    total = sum(exact_counts.values(), Fraction(0))
    if total <= 0:
        raise InvalidInput("shares of nothing: the counts add up to zero")
    return {k: v / total for k, v in exact_counts.items()}


def _differences(a: Mapping[K, Fraction], b: Mapping[K, Fraction]) -> list[Fraction]:
    keys = list(dict.fromkeys([*a, *b]))
    return [a.get(k, Fraction(0)) - b.get(k, Fraction(0)) for k in keys]


def loosemore_hanby_exact(a: Mapping[K, Fraction], b: Mapping[K, Fraction]) -> Fraction:
    """½ Σ |a_i − b_i|, in percentage points, exactly (a and b are shares of 1)."""
    return 50 * sum((abs(d) for d in _differences(a, b)), Fraction(0))


def loosemore_hanby(a: Mapping[K, Fraction], b: Mapping[K, Fraction]) -> float:
    """The Loosemore–Hanby index between two share distributions, in percentage points."""
    return float(loosemore_hanby_exact(a, b))


def gallagher(a: Mapping[K, Fraction], b: Mapping[K, Fraction]) -> float:
    """Gallagher's least-squares index √(½ Σ (a_i − b_i)²), in percentage points."""
    squares = sum((d * d for d in _differences(a, b)), Fraction(0))
    return 100 * math.sqrt(squares / 2)


def samuels_snyder(seats: Mapping[K, Fraction], electors: Mapping[K, Fraction]) -> float:
    """½ Σ |seat share − elector share| over constituencies, in percentage points."""
    return loosemore_hanby(seats, electors)


# -- comparing two distributions ------------------------------------------------------------


@dataclass(frozen=True)
class ShareRow(Generic[K]):
    """One group in a comparison: what it should have (votes, the base) and what it has
    (seats), as counts and as shares (None when that side counts nothing at all)."""

    key: K
    reference: Fraction
    actual: Fraction
    reference_share: Fraction | None
    actual_share: Fraction | None

    @property
    def difference(self) -> float | None:
        """Actual share minus reference share, in percentage points."""
        if self.reference_share is None or self.actual_share is None:
            return None
        return float(100 * (self.actual_share - self.reference_share))


@dataclass(frozen=True)
class Comparison(Generic[K]):
    """A reference distribution (votes, or what the base would give) against the actual
    one (seats), with both indices; the indices are None when either side is empty."""

    rows: tuple[ShareRow[K], ...]
    gallagher: float | None
    loosemore_hanby: float | None


def compare(
    reference: Mapping[K, Number],
    actual: Mapping[K, Number],
    order: Sequence[K] = (),
) -> Comparison[K]:
    """Compare two distributions over the same groups; rows in `order`, then the others
    in the order they first appear."""
    ref = {k: exact(v) for k, v in reference.items()}
    act = {k: exact(v) for k, v in actual.items()}
    keys = [k for k in order if k in ref or k in act]
    keys += [k for k in dict.fromkeys([*ref, *act]) if k not in keys]
    ref_shares = shares(ref) if sum(ref.values(), Fraction(0)) > 0 else None
    act_shares = shares(act) if sum(act.values(), Fraction(0)) > 0 else None
    rows = tuple(
        ShareRow(
            key=k,
            reference=ref.get(k, Fraction(0)),
            actual=act.get(k, Fraction(0)),
            reference_share=ref_shares.get(k, Fraction(0)) if ref_shares is not None else None,
            actual_share=act_shares.get(k, Fraction(0)) if act_shares is not None else None,
        )
        for k in keys
    )
    if ref_shares is None or act_shares is None:
        return Comparison(rows, None, None)
    return Comparison(
        rows, gallagher(ref_shares, act_shares), loosemore_hanby(ref_shares, act_shares)
    )


# -- the votes of an election, by faction ---------------------------------------------------


@dataclass(frozen=True)
class Votes:
    """What an election's electors cast, by faction of the list or candidate."""

    counts: dict[Group, Fraction]
    measure: str  # "list votes", "votes" or "first preferences"


LIST_VOTES, VOTES, FIRST_PREFERENCES = "list votes", "votes", "first preferences"


def election_votes(
    result: Mapping[str, Any],
    method: ElectionMethod,
    faction_of: Mapping[int, Group],
) -> Votes | None:
    """The votes of a recorded election by faction, or None if the result records none.

    - party lists: each list's votes (for a committee list cast without votes, the
      faction's seats in the electing council, as the count used them);
    - ranked ballots: first preferences, each ballot counted for the faction of the
      candidate it ranks first (ballots ranking no one count for no one);
    - plurality: each candidate's votes.

    A candidate counts for their faction (`faction_of`, by member id); candidates of no
    faction form one group, None.
    """
    if "lists" in result:
        counts: dict[Group, Fraction] = {}
        for row in result["lists"]:
            counts[row["faction_id"]] = counts.get(row["faction_id"], Fraction(0)) + exact(
                row.get("votes") or 0
            )
        return Votes(counts, LIST_VOTES)
    ids: Mapping[str, int] = result.get("candidate_ids", {})
    if method in RANKED_METHODS and "ballots" in result:
        counts = {faction_of.get(mid): Fraction(0) for mid in ids.values()}
        for count, ranking in result["ballots"]:
            if ranking:
                group = faction_of.get(ranking[0])
                counts[group] = counts.get(group, Fraction(0)) + exact(count)
        return Votes(counts, FIRST_PREFERENCES)
    rounds = result.get("rounds") or []
    if rounds and ids:
        counts = {}
        for name, votes in rounds[0].get("tallies", {}).items():
            if name in ids:
                group = faction_of.get(ids[name])
                counts[group] = counts.get(group, Fraction(0)) + exact(votes)
        measure = FIRST_PREFERENCES if method in RANKED_METHODS else VOTES
        return Votes(counts, measure)
    return None


def candidate_ids(result: Mapping[str, Any]) -> set[int]:
    """The member ids of the candidates an election result names (not its lists)."""
    ids = {int(mid) for mid in result.get("candidate_ids", {}).values()}
    for _, ranking in result.get("ballots", ()):
        ids.update(int(mid) for mid in ranking)
    return ids


def seats_won(mandates: Iterable[Mandate], election_id: int) -> dict[Group, int]:
    """Seats an election gave, by the faction each delegate was elected for."""
    return dict(Counter(m.faction_id for m in mandates if m.election_id == election_id))


# -- malapportionment -----------------------------------------------------------------------


@dataclass(frozen=True)
class District(Generic[K]):
    """A constituency's electors and seats, and its shares of the council's."""

    key: K
    electors: int
    seats: int
    elector_share: Fraction | None
    seat_share: Fraction | None

    @property
    def electors_per_seat(self) -> Fraction | None:
        return Fraction(self.electors, self.seats) if self.seats else None


@dataclass(frozen=True)
class Malapportionment(Generic[K]):
    """How unequally a council's seats are shared among its constituencies' electors.

    `ratio` is the largest number of electors per seat over the smallest, among the
    constituencies with a seat (None if fewer than two have one, or the smallest is 0:
    a seat without electors). `samuels_snyder` is None without electors or seats.
    """

    districts: tuple[District[K], ...]
    electors: int
    seats: int
    samuels_snyder: float | None
    ratio: Fraction | None
    most: K | None  # the seated constituency with the most electors per seat
    fewest: K | None  # ... with the fewest

    @property
    def electors_per_seat(self) -> Fraction | None:
        return Fraction(self.electors, self.seats) if self.seats else None

    @property
    def unseated(self) -> tuple[K, ...]:
        """Constituencies with electors but no seat."""
        return tuple(d.key for d in self.districts if d.seats == 0 and d.electors > 0)


def malapportionment(
    electors: Mapping[K, int], seats: Mapping[K, int], order: Sequence[K] = ()
) -> Malapportionment[K]:
    """Electors per seat by constituency, the largest-to-smallest ratio and the
    Samuels–Snyder index of a seat allocation."""
    keys = [k for k in order if k in electors or k in seats]
    keys += [k for k in dict.fromkeys([*electors, *seats]) if k not in keys]
    for k in keys:
        if electors.get(k, 0) < 0 or seats.get(k, 0) < 0:
            raise InvalidInput("electors and seats cannot be negative")
    total_electors = sum(electors.get(k, 0) for k in keys)
    total_seats = sum(seats.get(k, 0) for k in keys)
    districts = tuple(
        District(
            key=k,
            electors=electors.get(k, 0),
            seats=seats.get(k, 0),
            elector_share=Fraction(electors.get(k, 0), total_electors) if total_electors else None,
            seat_share=Fraction(seats.get(k, 0), total_seats) if total_seats else None,
        )
        for k in keys
    )
    index = None
    if total_electors and total_seats:
        index = samuels_snyder(
            {d.key: d.seat_share or Fraction(0) for d in districts},
            {d.key: d.elector_share or Fraction(0) for d in districts},
        )
    seated = [d for d in districts if d.seats > 0]
    most = max(seated, key=lambda d: d.electors_per_seat or 0, default=None)
    fewest = min(seated, key=lambda d: d.electors_per_seat or 0, default=None)
    ratio = None
    if most is not None and fewest is not None and len(seated) > 1 and fewest.electors > 0:
        ratio = Fraction(most.electors, most.seats) / Fraction(fewest.electors, fewest.seats)
    return Malapportionment(
        districts=districts,
        electors=total_electors,
        seats=total_seats,
        samuels_snyder=index,
        ratio=ratio,
        most=most.key if most else None,
        fewest=fewest.key if fewest else None,
    )


# -- representation lag ---------------------------------------------------------------------


class Target(StrEnum):
    """What a body's composition is measured against."""

    COUNCIL = "council"  # a committee's or office's electing council, as it stands
    BASE = "base"  # what the base would give now (see `LagHistory`)


@dataclass(frozen=True)
class Outcome:
    """A constituency election's result by faction: the votes where the result records
    them, and the seats it gave. `filled` is the number of seats it was held for; a
    by-election fills some of the seats of the regular election before it."""

    election_id: int
    constituency_id: int
    held_at: datetime
    votes: Votes | None
    seats: dict[Group, int]
    filled: int = 1
    by_election: bool = False

    def strengths(self) -> dict[Group, Fraction]:
        """Votes by faction where recorded (and not all zero), else seats by faction."""
        if self.votes is not None and sum(self.votes.counts.values(), Fraction(0)) > 0:
            return dict(self.votes.counts)
        return {k: Fraction(v) for k, v in self.seats.items()}


@dataclass(frozen=True)
class Lag:
    """A body's distance from its target at a moment.

    `body` is the body's filled seats by faction; `target` the shares its target gives
    (None when the target has nothing to give yet). `composed_at` is the body's latest
    election at the moment, `base_elected_at` the latest election of the base it is
    compared with. The indices are None when either side is empty.
    """

    at: datetime
    body: dict[Group, int]
    target: dict[Group, float] | None
    loosemore_hanby: float | None
    gallagher: float | None
    composed_at: datetime | None
    base_elected_at: datetime | None

    def comparison(self, order: Sequence[Group] = ()) -> Comparison[Group]:
        return compare(self.target or {}, self.body, order)


@dataclass(frozen=True)
class LagHistory:
    """Everything the lag of one body needs, over its whole history.

    The target, by `target`:
    - COUNCIL (a committee or office): the faction shares of the filled seats of
      `electing`, the council that elects it, as it stands at the moment;
    - BASE: the shares the base of `base` would give at the moment, `base` being the body
      itself (a council or congress) or, for a committee or office, the council whose base
      is meant (its electing council, or that council's own electing council, upwards to a
      council or congress). Each constituency of `base` with seats counts in proportion to
      its seats there: a lower council (a congress seat) with the faction shares of its
      filled seats as it stands; any other constituency with the faction shares of its
      latest regular election (votes where recorded, else seats won), each by-election
      since counting for the seats it filled (see `latest_choice`).

    `mandates` covers the body, `electing`, `base` and the lower councils of `base`;
    `allocations`, `constituencies` and `outcomes` are `base`'s; `elections` are those
    held in all of these councils.
    """

    body: Council
    target: Target
    electing: Council | None
    base: Council
    constituencies: tuple[Constituency, ...]
    allocations: tuple[SeatAllocation, ...]
    mandates: tuple[Mandate, ...]
    elections: tuple[Election, ...]
    outcomes: tuple[Outcome, ...]

    def __post_init__(self) -> None:
        if self.target is Target.COUNCIL and self.electing is None:
            raise InvalidInput(
                f"{self.body.name} is not elected by a council: measure it against its base"
            )

    @cached_property
    def lower(self) -> dict[int, int]:
        """Constituency id -> lower council id, for the base's lower councils."""
        return {
            c.id: c.lower_council_id for c in self.constituencies if c.lower_council_id is not None
        }

    @cached_property
    def base_election_dates(self) -> list[datetime]:
        """When the base voted: elections in the base's own constituencies (not lower
        councils) and in the lower councils; for COUNCIL, elections in `electing`."""
        if self.target is Target.COUNCIL:
            assert self.electing is not None
            wanted = {self.electing.id}
            return sorted(e.held_at for e in self.elections if e.council_id in wanted)
        lower = set(self.lower.values())
        return sorted(
            e.held_at
            for e in self.elections
            if e.council_id in lower
            or (e.council_id == self.base.id and e.constituency_id not in self.lower)
        )

    @cached_property
    def body_election_dates(self) -> list[datetime]:
        return sorted(e.held_at for e in self.elections if e.council_id == self.body.id)

    def moments(self) -> list[datetime]:
        """Every moment at which the body or its target changed, in order."""
        councils = {self.body.id}
        if self.target is Target.COUNCIL:
            assert self.electing is not None
            councils.add(self.electing.id)
        else:
            councils.update(self.lower.values())
        found: set[datetime] = set()
        for m in self.mandates:
            if m.council_id in councils:
                found.add(m.valid_from)
                if m.valid_to is not None:
                    found.add(m.valid_to)
        if self.target is Target.BASE:
            for a in self.allocations:
                found.add(a.valid_from)
                if a.valid_to is not None:
                    found.add(a.valid_to)
            found.update(o.held_at for o in self.outcomes)
        found.update(self.body_election_dates)
        found.update(self.base_election_dates)
        return sorted(found)

    def at(self, moment: datetime) -> Lag:
        return self.series([moment])[0]

    @cached_property
    def groups(self) -> list[Group]:
        """Every faction (or None) the body or its target can count, in a fixed order."""
        found: dict[Group, None] = {m.faction_id: None for m in self.mandates}
        for outcome in self.outcomes:
            found.update(dict.fromkeys(outcome.seats))
            if outcome.votes is not None:
                found.update(dict.fromkeys(outcome.votes.counts))
        return list(found)

    def series(self, moments: Sequence[datetime]) -> list[Lag]:
        """The lag at each moment (each as it stands after the changes of that moment).

        The target is combined across constituencies and moments in floating point (exact
        fractions would grow without bound over many constituencies); the indices are
        rounded to 10 decimals, so that shares that agree give exactly 0."""
        times = [_check_aware(t) for t in moments]
        groups = self.groups
        body = _counts_matrix(self._of(self.body.id), times, groups)
        target = self._targets(times)
        lags = []
        for j, t in enumerate(times):
            seats = body[:, j]
            filled = int(seats.sum())
            column = target[:, j]
            defined = not np.isnan(column).any()
            lh = lsq = None
            if filled and defined:
                difference = seats / filled - column
                lh = round(50 * float(np.abs(difference).sum()), 10)
                lsq = round(100 * math.sqrt(0.5 * float((difference**2).sum())), 10)
            lags.append(
                Lag(
                    at=t,
                    body={g: int(seats[i]) for i, g in enumerate(groups) if seats[i]},
                    target={g: float(column[i]) for i, g in enumerate(groups) if column[i]}
                    if defined
                    else None,
                    loosemore_hanby=lh,
                    gallagher=lsq,
                    composed_at=_latest(self.body_election_dates, t),
                    base_elected_at=_latest(self.base_election_dates, t),
                )
            )
        return lags

    def _of(self, council_id: int) -> list[Mandate]:
        return [m for m in self.mandates if m.council_id == council_id]

    def _targets(self, times: list[datetime]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The target's shares: one column per moment, NaN where there is no target."""
        groups = self.groups
        if self.target is Target.COUNCIL:
            assert self.electing is not None
            return _shares_of(_counts_matrix(self._of(self.electing.id), times, groups))
        lower = {
            council_id: _shares_of(_counts_matrix(self._of(council_id), times, groups))
            for council_id in set(self.lower.values())
        }
        outcomes: dict[int, list[Outcome]] = {}
        for outcome in sorted(self.outcomes, key=lambda o: (o.held_at, o.election_id)):
            outcomes.setdefault(outcome.constituency_id, []).append(outcome)
        allocations: dict[int, list[SeatAllocation]] = {}
        for allocation in self.allocations:
            if allocation.constituency_id is not None:
                allocations.setdefault(allocation.constituency_id, []).append(allocation)
        index = {g: i for i, g in enumerate(groups)}
        # Work on the moments in time order; each constituency adds its weighted shares
        # over the stretches of moments between its own changes.
        order = np.argsort(np.array([_micros(t) for t in times], dtype=np.int64), kind="stable")
        ordered = np.array([_micros(times[j]) for j in order], dtype=np.int64)
        total = np.zeros((len(groups), len(times)))
        weight = np.zeros(len(times))
        for constituency in self.constituencies:
            held = outcomes.get(constituency.id, [])
            dated = [o.held_at for o in held]
            given = allocations.get(constituency.id, [])
            changes = sorted(
                {a.valid_from for a in given}
                | {a.valid_to for a in given if a.valid_to is not None}
                | set(dated)
            )
            for i, change in enumerate(changes):
                first = int(np.searchsorted(ordered, _micros(change), side="left"))
                last = (
                    int(np.searchsorted(ordered, _micros(changes[i + 1]), side="left"))
                    if i + 1 < len(changes)
                    else len(times)
                )
                if first >= last:
                    continue
                seats = sum(a.seats for a in given if a.active_at(change))
                if seats <= 0:
                    continue
                span = order[first:last]
                if constituency.id in self.lower:
                    part = lower[self.lower[constituency.id]][:, span]
                    counted = ~np.isnan(part).any(axis=0)
                    total[:, span[counted]] += seats * part[:, counted]
                    weight[span[counted]] += seats
                    continue
                latest = latest_choice(held[: bisect.bisect_right(dated, change)])
                if latest is None:
                    continue
                vector = np.zeros(len(groups))
                for group, share in latest.items():
                    vector[index[group]] = float(share)
                total[:, span] += seats * vector[:, None]
                weight[span] += seats
        result = np.full((len(groups), len(times)), np.nan)
        counted = weight > 0
        result[:, counted] = total[:, counted] / weight[counted]
        return result


def latest_choice(outcomes: Sequence[Outcome]) -> dict[Group, Fraction] | None:
    """What a constituency's latest elections say, as shares by faction: its latest
    regular election, with each by-election since counting for the seats it filled
    (the newest first) and the regular election for the seats left. None if it has not
    voted (or its elections gave nothing to count)."""
    parts: list[tuple[int, dict[Group, Fraction]]] = []
    regular = next((o for o in reversed(outcomes) if not o.by_election), None)
    since = [
        o for o in outcomes if o.by_election and (regular is None or o.held_at > regular.held_at)
    ]
    room = regular.filled if regular is not None else sum(o.filled for o in since)
    for outcome in reversed(since):
        counted = min(outcome.filled, room)
        strengths = outcome.strengths()
        if counted > 0 and sum(strengths.values(), Fraction(0)) > 0:
            parts.append((counted, shares(strengths)))
            room -= counted
    if regular is not None and room > 0:
        strengths = regular.strengths()
        if sum(strengths.values(), Fraction(0)) > 0:
            parts.append((room, shares(strengths)))
    return weighted(parts)


def weighted(parts: Sequence[tuple[int, Mapping[Group, Fraction]]]) -> dict[Group, Fraction] | None:
    """The average of share distributions, each counting with its weight."""
    total = sum(w for w, _ in parts)
    if total <= 0:
        return None
    mixed: dict[Group, Fraction] = {}
    for weight, part in parts:
        for group, share in part.items():
            mixed[group] = mixed.get(group, Fraction(0)) + weight * share
    return {g: s / total for g, s in mixed.items()}


def base_council(council: Council, councils: Mapping[int, Council]) -> Council:
    """The council whose base a body stands on: a council or congress itself; for a
    committee or office, that of the council that elects it (upwards)."""
    seen = {council.id}
    while council.kind in ELECTED_BODIES and council.parent_id is not None:
        council = councils[council.parent_id]
        if council.id in seen:
            raise InvalidInput(f"{council.name} is its own electing council")
        seen.add(council.id)
    return council


def targets_for(council: Council) -> tuple[Target, ...]:
    """The targets a body can be measured against; the first is the one shown first."""
    if council.kind in ELECTED_BODIES and council.parent_id is not None:
        return (Target.COUNCIL, Target.BASE)
    return (Target.BASE,)


def series_moments(changes: Sequence[datetime], start: datetime, end: datetime) -> list[datetime]:
    """The moments of a series from `start` to `end`: `start` itself, then every change
    after it up to and including `end`."""
    _check_aware(start)
    _check_aware(end)
    if end < start:
        raise InvalidInput("the series ends before it starts: give --from before --to")
    return [start, *(t for t in changes if start < t <= end)]


# -- counting at many moments at once -------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NEVER = np.iinfo(np.int64).max


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _check_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput("a moment needs a time zone")
    return moment


def _active(
    starts: Sequence[datetime], ends: Sequence[datetime | None], times: Sequence[datetime]
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows in force at each moment: active[i, j] is row i at times[j]."""
    begin = np.array([_micros(s) for s in starts], dtype=np.int64)
    finish = np.array([_NEVER if e is None else _micros(e) for e in ends], dtype=np.int64)
    at = np.array([_micros(t) for t in times], dtype=np.int64)
    result: np.ndarray[Any, np.dtype[np.bool_]] = (begin[:, None] <= at[None, :]) & (
        finish[:, None] > at[None, :]
    )
    return result


def _counts_matrix(
    mandates: Sequence[Mandate], times: Sequence[datetime], groups: Sequence[Group]
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Filled seats by faction (rows, in `groups` order) at each moment (columns), in one
    pass over the mandates."""
    counts = np.zeros((len(groups), len(times)), dtype=np.int64)
    if not mandates or not times:
        return counts
    index = {g: i for i, g in enumerate(groups)}
    rows = np.array([index[m.faction_id] for m in mandates], dtype=np.intp)
    active = _active([m.valid_from for m in mandates], [m.valid_to for m in mandates], times)
    np.add.at(counts, rows, active.astype(np.int64))
    return counts


def _shares_of(
    counts: np.ndarray[Any, np.dtype[np.int64]],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Each column's counts as shares of its total; NaN for an empty column."""
    totals = counts.sum(axis=0)
    result = np.full(counts.shape, np.nan)
    filled = totals > 0
    result[:, filled] = counts[:, filled] / totals[filled]
    return result


def _latest(dates: Sequence[datetime], moment: datetime) -> datetime | None:
    k = bisect.bisect_right(dates, moment)
    return dates[k - 1] if k else None
