"""Analytics of the recorded state, read-only: how proportional an election was, how
unequal a council's seat allocation is, and how far a body lags behind its base.

Nothing is stored: each view loads what it needs in a few set-based queries and lets the
pure core (`smolny.domain.analytics`) compute the figures.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from smolny.domain.analytics import (
    Comparison,
    Group,
    Lag,
    LagHistory,
    Malapportionment,
    Outcome,
    Target,
    base_council,
    candidate_ids,
    compare,
    election_votes,
    malapportionment,
    seats_won,
    series_moments,
    targets_for,
)
from smolny.domain.composition import NON_PARTY
from smolny.domain.elections import METHOD_NAMES, Election, ElectionKind
from smolny.domain.errors import RuleViolation
from smolny.domain.federation import (
    ELECTED_BODIES,
    Constituency,
    Council,
    Faction,
    Organization,
    Section,
)
from smolny.domain.mandates import Mandate, SeatAllocation
from smolny.ledger.chain import iso
from smolny.services.elections import electorates
from smolny.store.tables import elections as elections_table
from smolny.store.tables import mandates as mandates_table
from smolny.store.tables import seat_allocations
from smolny.store.uow import UnitOfWork

NON_PARTY_COLOR = "#7f8c8d"


@dataclass(frozen=True)
class Groups:
    """The factions of an organization, to name and colour the groups of a comparison."""

    factions: tuple[Faction, ...]

    def label(self, group: Group) -> str:
        if group is None:
            return NON_PARTY
        for faction in self.factions:
            if faction.id == group:
                return faction.name
        return f"faction {group}"

    def color(self, group: Group) -> str:
        for faction in self.factions:
            if faction.id == group:
                return faction.color
        return NON_PARTY_COLOR

    @property
    def order(self) -> list[Group]:
        """Factions in creation order (left to right, as the hemicycle draws them), then
        the delegates of no faction."""
        return [*(f.id for f in self.factions), None]


# -- proportionality of an election ---------------------------------------------------------


@dataclass(frozen=True)
class ElectionProportionality:
    """An election's votes by faction against the seats it gave by faction.

    `measure` says what the votes are ("list votes", "votes", "first preferences"); it is
    None when the result records no votes, and then the indices are None too.
    """

    election: Election
    council: Council
    organization: Organization
    constituency: Constituency | None
    measure: str | None
    comparison: Comparison[Group]
    groups: Groups

    @property
    def where(self) -> str:
        return self.constituency.name if self.constituency else self.council.name

    @property
    def title(self) -> str:
        if self.election.kind is ElectionKind.COMMITTEE:
            return f"{self.council.name} elected"
        return f"{self.where}: {self.election.kind.value.replace('-', ' ')}"

    @property
    def method_name(self) -> str:
        return METHOD_NAMES.get(self.election.method, self.election.method.value)


def election_proportionality(uow: UnitOfWork, election_id: int) -> ElectionProportionality:
    """How proportional one election was: its votes by faction against its seats."""
    with uow:
        election = uow.repo.get(Election, election_id)
        return _proportionalities(uow, [election])[0]


def _proportionalities(
    uow: UnitOfWork, elections: Sequence[Election]
) -> list[ElectionProportionality]:
    """The proportionality of several elections, in a fixed number of queries."""
    if not elections:
        return []
    repo = uow.repo
    ids = [e.id for e in elections]
    won = repo.where(Mandate, mandates_table.c.election_id.in_(ids))
    members = repo.members_by_id(mid for e in elections for mid in candidate_ids(e.result))
    councils = {c.id: c for c in repo.councils()}
    organizations = {o.id: o for o in repo.all(Organization)}
    constituencies = {
        c.id: c
        for cid in {e.council_id for e in elections}
        for c in repo.constituencies(cid)
        if councils[cid].kind not in ELECTED_BODIES
    }
    factions: dict[int, Groups] = {}
    member_factions: dict[int, Group] = {m.id: m.faction_id for m in members.values()}
    by_election = _by_election(won)
    found = []
    for election in elections:
        council = councils[election.council_id]
        if council.organization_id not in factions:
            factions[council.organization_id] = Groups(
                tuple(repo.factions(council.organization_id))
            )
        groups = factions[council.organization_id]
        elected = by_election.get(election.id, [])
        faction_of = ChainMap({m.member_id: m.faction_id for m in elected}, member_factions)
        votes = election_votes(election.result, election.method, faction_of)
        seats = seats_won(elected, election.id)
        found.append(
            ElectionProportionality(
                election=election,
                council=council,
                organization=organizations[council.organization_id],
                constituency=constituencies.get(election.constituency_id)
                if election.constituency_id is not None
                else None,
                measure=votes.measure if votes else None,
                comparison=compare(votes.counts if votes else {}, seats, groups.order),
                groups=groups,
            )
        )
    return found


# -- malapportionment -----------------------------------------------------------------------


@dataclass(frozen=True)
class MalapportionmentView:
    """A council's seats at a moment against its constituencies' electors."""

    council: Council
    organization: Organization
    at: datetime
    result: Malapportionment[int]
    constituencies: dict[int, Constituency]
    sections: dict[int, Section]

    def name(self, constituency_id: int | None) -> str:
        if constituency_id is None:
            return ""
        return self.constituencies[constituency_id].name

    def section(self, constituency_id: int) -> str:
        section_id = self.constituencies[constituency_id].section_id
        return self.sections[section_id].name if section_id is not None else ""


def council_malapportionment(
    uow: UnitOfWork, council_id: int, at: datetime | None = None
) -> MalapportionmentView:
    """Electors per seat by constituency, the ratio of the largest to the smallest and
    the Samuels–Snyder index of the council's seats at `at` (default now). Electors are
    counted as the apportionment counts them: a constituency's members, or for a lower
    council the members of its base."""
    with uow:
        repo = uow.repo
        council = repo.get(Council, council_id)
        if council.kind in ELECTED_BODIES:
            raise RuleViolation(
                f"{council.name} is a {council.kind.value}: the council that elects it fills "
                "its seats, it has no constituencies to share them among"
            )
        moment = uow.now() if at is None else at
        constituencies = [c for c in repo.constituencies(council_id) if c.created_at <= moment]
        electors = electorates(uow, constituencies, moment) if constituencies else {}
        seats: dict[int, int] = {c.id: 0 for c in constituencies}
        for allocation in repo.allocations_at(council_id, moment):
            if allocation.constituency_id is not None:
                seats[allocation.constituency_id] = (
                    seats.get(allocation.constituency_id, 0) + allocation.seats
                )
        return MalapportionmentView(
            council=council,
            organization=repo.get(Organization, council.organization_id),
            at=moment,
            result=malapportionment(electors, seats, [c.id for c in constituencies]),
            constituencies={c.id: c for c in constituencies},
            sections={s.id: s for s in repo.sections(council_id)},
        )


# -- representation lag ---------------------------------------------------------------------


@dataclass(frozen=True)
class LagSubject:
    """A body, what it is measured against, and that target in words."""

    council: Council
    organization: Organization
    target: Target
    title: str  # "against Riverside City Council"
    description: str  # what the target is, in a sentence
    groups: Groups


@dataclass(frozen=True)
class LagView:
    subject: LagSubject
    lag: Lag

    def comparison(self) -> Comparison[Group]:
        return self.lag.comparison(self.subject.groups.order)


@dataclass(frozen=True)
class LagSeries:
    """The lag at the start of a period and at every change within it; `elections` are
    the body's own elections in the period (its recompositions)."""

    subject: LagSubject
    start: datetime
    end: datetime
    points: tuple[Lag, ...]
    elections: tuple[datetime, ...]


def representation_lag(
    uow: UnitOfWork, council_id: int, at: datetime | None = None, target: Target | None = None
) -> LagView:
    """How far the body's composition at `at` (default now) is from its target; `target`
    defaults to the first the body offers: for a committee or office its electing council,
    else its base (`smolny.domain.analytics.targets_for`)."""
    with uow:
        subject, history = _history(uow, council_id, target)
        return LagView(subject, history.at(uow.now() if at is None else at))


def lag_series(
    uow: UnitOfWork,
    council_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
    target: Target | None = None,
) -> LagSeries:
    """The lag from `start` (default: when the body was created) to `end` (default now),
    at the start and at every moment in between when the body or its target changed."""
    with uow:
        subject, history = _history(uow, council_id, target)
        first = subject.council.created_at if start is None else start
        last = uow.now() if end is None else end
        moments = series_moments(history.moments(), first, last)
        return LagSeries(
            subject=subject,
            start=first,
            end=last,
            points=tuple(history.series(moments)),
            elections=tuple(t for t in history.body_election_dates if first <= t <= last),
        )


def _history(
    uow: UnitOfWork, council_id: int, target: Target | None
) -> tuple[LagSubject, LagHistory]:
    repo = uow.repo
    council = repo.get(Council, council_id)
    offered = targets_for(council)
    target = offered[0] if target is None else Target(target)
    if target not in offered:
        raise RuleViolation(
            f"{council.name} is a {council.kind.value}: no council elects it, so it is "
            "measured against its base (target 'base')",
            field="target",
        )
    councils = {c.id: c for c in repo.councils(council.organization_id)}
    electing = councils[council.parent_id] if council.parent_id is not None else None
    base = base_council(council, councils)
    wanted = {council.id}
    constituencies: list[Constituency] = []
    allocations: list[SeatAllocation] = []
    if target is Target.COUNCIL:
        assert electing is not None  # targets_for offers COUNCIL only to elected bodies
        wanted.add(electing.id)
    else:
        constituencies = repo.constituencies(base.id)
        wanted.add(base.id)
        wanted.update(c.lower_council_id for c in constituencies if c.lower_council_id)
        allocations = repo.where(SeatAllocation, seat_allocations.c.council_id == base.id)
    mandates = repo.where(Mandate, mandates_table.c.council_id.in_(sorted(wanted)))
    held = repo.where(Election, elections_table.c.council_id.in_(sorted(wanted)))
    direct = {c.id for c in constituencies if c.lower_council_id is None}
    voted = [e for e in held if e.council_id == base.id and e.constituency_id in direct]
    members = repo.members_by_id(mid for e in voted for mid in candidate_ids(e.result))
    member_factions: dict[int, Group] = {m.id: m.faction_id for m in members.values()}
    by_election = _by_election(mandates)
    outcomes = []
    for election in voted:
        assert election.constituency_id is not None  # in `direct`
        elected = by_election.get(election.id, [])
        faction_of = ChainMap({m.member_id: m.faction_id for m in elected}, member_factions)
        outcomes.append(
            Outcome(
                election_id=election.id,
                constituency_id=election.constituency_id,
                held_at=election.held_at,
                votes=election_votes(election.result, election.method, faction_of),
                seats=seats_won(elected, election.id),
                filled=election.seats,
                by_election=election.kind is ElectionKind.BY_ELECTION,
            )
        )
    history = LagHistory(
        body=council,
        target=target,
        electing=electing,
        base=base,
        constituencies=tuple(constituencies),
        allocations=tuple(allocations),
        mandates=tuple(mandates),
        elections=tuple(held),
        outcomes=tuple(outcomes),
    )
    title, description = _describe(council, target, electing, base, constituencies)
    subject = LagSubject(
        council=council,
        organization=repo.get(Organization, council.organization_id),
        target=target,
        title=title,
        description=description,
        groups=Groups(tuple(repo.factions(council.organization_id))),
    )
    return subject, history


def _by_election(mandates: Sequence[Mandate]) -> dict[int, list[Mandate]]:
    found: dict[int, list[Mandate]] = {}
    for mandate in mandates:
        if mandate.election_id is not None:
            found.setdefault(mandate.election_id, []).append(mandate)
    return found


def _describe(
    council: Council,
    target: Target,
    electing: Council | None,
    base: Council,
    constituencies: Sequence[Constituency],
) -> tuple[str, str]:
    """The target's title and description, in words."""
    if target is Target.COUNCIL:
        assert electing is not None
        return (
            f"against {electing.name}",
            f"the composition of {electing.name}, which elects {council.name}, as it stands "
            "at the moment: its filled seats by faction",
        )
    lower = any(c.lower_council_id is not None for c in constituencies)
    direct = any(c.lower_council_id is None for c in constituencies)
    parts = []
    if lower:
        parts.append(f"the lower councils that send delegates to {base.name}, as they stand")
    if direct or not lower:
        parts.append(
            f"the latest election of each constituency of {base.name} (its votes by faction "
            "where recorded, else the seats it gave; a by-election since counts for the seats "
            "it filled)"
        )
    text = " and ".join(parts) + f", each weighted by its seats in {base.name}"
    if base.id == council.id:
        title = "against its lower councils" if lower and not direct else "against its base"
        return title, f"what its base would give at the moment: {text}"
    what = "lower councils" if lower and not direct else "base"
    return (
        f"against the {what} of {base.name}",
        f"what the base of {base.name}, which elects {council.name}"
        + ("" if electing is not None and electing.id == base.id else " (through its chain)")
        + f", would give at the moment: {text}",
    )


# -- the analytics page ---------------------------------------------------------------------


@dataclass(frozen=True)
class LagPanel:
    view: LagView
    series: LagSeries


@dataclass(frozen=True)
class CouncilAnalytics:
    """What a body's analytics page shows at a moment."""

    council: Council
    organization: Organization
    at: datetime
    lags: tuple[LagPanel, ...]
    malapportionment: MalapportionmentView | None  # None for a committee or office
    elections: tuple[ElectionProportionality, ...]  # the body's elections, latest first


def council_analytics(
    uow: UnitOfWork, council_id: int, at: datetime | None = None
) -> CouncilAnalytics:
    """The lag of the body at `at` (default now) for each target it offers, with its
    series from the body's creation to that moment; the malapportionment of its seats
    (None for a committee or office); the proportionality of its elections up to then."""
    with uow:
        council = uow.repo.get(Council, council_id)
        moment = uow.now() if at is None else at
        panels = []
        for target in targets_for(council):
            subject, history = _history(uow, council_id, target)
            end = max(moment, council.created_at)
            points = history.series(series_moments(history.moments(), council.created_at, end))
            series = LagSeries(
                subject=subject,
                start=council.created_at,
                end=end,
                points=tuple(points),
                elections=tuple(
                    t for t in history.body_election_dates if council.created_at <= t <= end
                ),
            )
            panels.append(LagPanel(LagView(subject, history.at(moment)), series))
        held = [e for e in uow.repo.elections_of(council_id) if e.held_at <= moment]
        held.sort(key=lambda e: (e.held_at, e.id), reverse=True)
        elections = _proportionalities(uow, held)
        organization = uow.repo.get(Organization, council.organization_id)
    seats = (
        None
        if council.kind in ELECTED_BODIES
        else council_malapportionment(uow, council_id, moment)
    )
    return CouncilAnalytics(
        council=council,
        organization=organization,
        at=moment,
        lags=tuple(panels),
        malapportionment=seats,
        elections=tuple(elections),
    )


# -- JSON documents (the API and `--format json`) -------------------------------------------


def _pp(share: Fraction | None) -> float | None:
    """A share in percentage points, to 4 decimals."""
    return None if share is None else round(float(100 * share), 4)


def _index(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _count(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else round(float(value), 4)


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def lag_document(view: LagView) -> dict[str, Any]:
    subject, lag = view.subject, view.lag
    return {
        "council": subject.council.name,
        "council_id": subject.council.id,
        "kind": subject.council.kind.value,
        "target": subject.target.value,
        "target_description": subject.description,
        "at": iso(lag.at),
        "composed_at": _when(lag.composed_at),
        "base_elected_at": _when(lag.base_elected_at),
        "loosemore_hanby": _index(lag.loosemore_hanby),
        "gallagher": _index(lag.gallagher),
        "factions": [
            {
                "faction": subject.groups.label(row.key),
                "seats": _count(row.actual),
                "share": _pp(row.actual_share),
                "target_share": _pp(row.reference_share),
                "difference": _index(row.difference),
            }
            for row in view.comparison().rows
        ],
    }


def series_document(series: LagSeries) -> dict[str, Any]:
    subject = series.subject
    return {
        "council": subject.council.name,
        "council_id": subject.council.id,
        "kind": subject.council.kind.value,
        "target": subject.target.value,
        "target_description": subject.description,
        "from": iso(series.start),
        "to": iso(series.end),
        "elections": [iso(t) for t in series.elections],
        "points": [
            {
                "at": iso(p.at),
                "loosemore_hanby": _index(p.loosemore_hanby),
                "gallagher": _index(p.gallagher),
                "composed_at": _when(p.composed_at),
                "base_elected_at": _when(p.base_elected_at),
            }
            for p in series.points
        ],
    }


def proportionality_document(view: ElectionProportionality) -> dict[str, Any]:
    election = view.election
    return {
        "election": election.id,
        "council": view.council.name,
        "constituency": view.constituency.name if view.constituency else None,
        "kind": election.kind.value,
        "method": election.method.value,
        "held_at": iso(election.held_at),
        "seats": election.seats,
        "measure": view.measure,
        "gallagher": _index(view.comparison.gallagher),
        "loosemore_hanby": _index(view.comparison.loosemore_hanby),
        "factions": [
            {
                "faction": view.groups.label(row.key),
                "votes": _count(row.reference),
                "vote_share": _pp(row.reference_share),
                "seats": _count(row.actual),
                "seat_share": _pp(row.actual_share),
                "difference": _index(row.difference),
            }
            for row in view.comparison.rows
        ],
    }


def malapportionment_document(view: MalapportionmentView) -> dict[str, Any]:
    result = view.result
    return {
        "council": view.council.name,
        "council_id": view.council.id,
        "at": iso(view.at),
        "electors": result.electors,
        "seats": result.seats,
        "electors_per_seat": _ratio(result.electors_per_seat),
        "largest_to_smallest": _ratio(result.ratio),
        "samuels_snyder": _index(result.samuels_snyder),
        "most_electors_per_seat": view.name(result.most) if result.most is not None else None,
        "fewest_electors_per_seat": view.name(result.fewest) if result.fewest is not None else None,
        "constituencies": [
            {
                "constituency": view.name(d.key),
                "section": view.section(d.key) or None,
                "electors": d.electors,
                "seats": d.seats,
                "electors_per_seat": _ratio(d.electors_per_seat),
                "elector_share": _pp(d.elector_share),
                "seat_share": _pp(d.seat_share),
            }
            for d in result.districts
        ],
    }


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)
