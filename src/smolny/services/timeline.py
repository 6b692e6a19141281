"""An organization through time: its chronicle, its bodies' seats at any moment, and
their seats by faction (and the lag of its congresses' committees) over the chronicle.

Read-only. The seats come from the mandates of every body of the organization that
overlap the period, loaded in one query and counted by `smolny.domain.timeline`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from threading import Lock

from sqlalchemy import and_, or_, select

from smolny.domain.analytics import Group, Target
from smolny.domain.chronicle import ChronicleEntry
from smolny.domain.federation import (
    Constituency,
    Council,
    CouncilKind,
    Faction,
    Organization,
    Section,
)
from smolny.domain.mandates import Mandate, SeatAllocation
from smolny.domain.timeline import SeatSeries, seat_series
from smolny.services.analytics import LagSeries, lag_series
from smolny.store.chronicle import chronicle_entries
from smolny.store.repository import in_force
from smolny.store.tables import constituencies as constituencies_table
from smolny.store.tables import mandates as mandates_table
from smolny.store.tables import seat_allocations
from smolny.store.tables import sections as sections_table
from smolny.store.uow import UnitOfWork


@dataclass(frozen=True)
class Span:
    """The period a timeline covers: from its first chronicle entry (or, without one, the
    organization's creation) to the organization's last recorded change."""

    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return max(self.end.date(), self.first_day)

    @property
    def drawn_until(self) -> datetime:
        """Where charts of the span end: a little after the last change, so that the state
        it left (which holds from then on) can be seen."""
        return max(self.end, end_of_day(self.last_day)) + max(
            timedelta(days=1), (self.end - self.start) / 30
        )


@dataclass(frozen=True)
class SeatGroup:
    """Seats at a moment: those the body (or one section of it) has, and the filled ones
    by faction."""

    seats: int
    factions: dict[Group, int]

    @property
    def filled(self) -> int:
        return sum(self.factions.values())

    @property
    def vacant(self) -> int:
        return max(self.seats - self.filled, 0)


@dataclass(frozen=True)
class SectionSeats:
    section: Section | None  # None: delegates of constituencies in no section
    seats: SeatGroup


@dataclass(frozen=True)
class Body:
    """A body of the organization at a moment, in federation order."""

    council: Council
    depth: int  # 0 for a root of the federation; one more below a congress or a council
    above: Council | None  # the council that elects it, or the congress it sends delegates to
    seats: SeatGroup
    sections: tuple[SectionSeats, ...]  # empty unless the council has sections
    holders: tuple[str, ...] = ()  # an office's holder (names of the members seated)

    @property
    def holds_seats(self) -> bool:
        return self.seats.seats > 0 or self.seats.filled > 0


@dataclass(frozen=True)
class BodySeries:
    """A body's (or one section's) seats by faction over the span."""

    council: Council
    section: Section | None
    series: SeatSeries
    main: bool  # a congress, a council (and its sections), a congress's committee

    @property
    def title(self) -> str:
        if self.section is None:
            return self.council.name
        return f"{self.council.name}: {self.section.name}"


@dataclass(frozen=True)
class TimelineView:
    organization: Organization
    at: datetime
    span: Span
    entries: tuple[ChronicleEntry, ...]  # the whole chronicle, in order
    factions: tuple[Faction, ...]
    bodies: tuple[Body, ...]  # every body, in federation order
    series: tuple[BodySeries, ...]
    lags: tuple[LagSeries, ...]  # each congress committee against its base

    @property
    def current(self) -> ChronicleEntry | None:
        """The latest entry made by `at`."""
        made = [e for e in self.entries if e.at <= self.at]
        return made[-1] if made else None

    @property
    def earlier(self) -> list[ChronicleEntry]:
        """The entries before the current one, newest first."""
        made = [e for e in self.entries if e.at <= self.at]
        return list(reversed(made[:-1]))

    @property
    def previous(self) -> ChronicleEntry | None:
        """The latest entry of a day before the day shown."""
        before = [e for e in self.entries if e.at.date() < self.at.date()]
        return before[-1] if before else None

    @property
    def next(self) -> ChronicleEntry | None:
        """The first entry of a day after the day shown."""
        return next((e for e in self.entries if e.at.date() > self.at.date()), None)

    def changes_after(self, entry: ChronicleEntry) -> tuple[int, int]:
        """The ledger events an entry tells of: (first seq, how many), those after it up
        to the next entry (or, for the last entry, none known here)."""
        later = [e.seq for e in self.entries if e.seq > entry.seq]
        return entry.seq + 1, (min(later) - entry.seq - 1) if later else 0

    def holding_seats(self) -> list[Body]:
        return [b for b in self.bodies if b.holds_seats]


def end_of_day(day: date) -> datetime:
    """A day as a moment: its end, after everything that happened on it."""
    return datetime.combine(day, time.max, tzinfo=UTC)


def chronicled_organizations(uow: UnitOfWork) -> list[Organization]:
    """The organizations that keep a chronicle (each has a timeline to show)."""
    with uow:
        rows = uow.connection.execute(select(chronicle_entries.c.organization_id).distinct())
        ids = {int(oid) for (oid,) in rows}
        return [o for o in uow.repo.all(Organization) if o.id in ids] if ids else []


def seat_series_by_council(
    uow: UnitOfWork, council_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, SeatSeries]:
    """Each council's seats by faction from `start` to `end`, at every change: the
    mandates that overlap the period, in one query, counted in one pass."""
    with uow:
        mandates = _mandates_between(uow, council_ids, start, end)
    by_council: dict[int, list[Mandate]] = {cid: [] for cid in council_ids}
    for mandate in mandates:
        by_council[mandate.council_id].append(mandate)
    return {cid: seat_series(found, start, end) for cid, found in by_council.items()}


def _mandates_between(
    uow: UnitOfWork, council_ids: Sequence[int], start: datetime, end: datetime
) -> list[Mandate]:
    """The councils' mandates in force at some moment from `start` to `end`."""
    return uow.repo.where(
        Mandate,
        mandates_table.c.council_id.in_(list(council_ids)),
        mandates_table.c.valid_from <= end,
        or_(mandates_table.c.valid_to.is_(None), mandates_table.c.valid_to > start),
    )


def timeline_span(uow: UnitOfWork, organization_id: int) -> Span:
    with uow:
        organization = uow.repo.get(Organization, organization_id)
        first = uow.repo.first(
            ChronicleEntry, chronicle_entries.c.organization_id == organization_id
        )
        start = first.at if first is not None else organization.created_at
        last = uow.ledger.last_at(organization_id)
        return Span(start, max(last or start, start))


@dataclass(frozen=True)
class _Chronicled:
    """What the timeline shows whatever the moment: it depends on the ledger alone."""

    organization: Organization
    span: Span
    entries: tuple[ChronicleEntry, ...]
    factions: tuple[Faction, ...]
    councils: tuple[Council, ...]
    order: tuple[tuple[Council, int, Council | None], ...]
    sections: tuple[Section, ...]
    constituencies: tuple[Constituency, ...]
    mandates: dict[int, list[Mandate]]  # by council: those in force at some moment of the span
    series: tuple[BodySeries, ...]
    lags: tuple[LagSeries, ...]


# The last few organizations' timelines, by database and ledger head: moving the slider
# only recounts the seats at the new moment. Any change to the ledger moves its head, so a
# kept timeline is never stale; each process keeps its own.
_KEPT: OrderedDict[tuple[str, int, int, str], _Chronicled] = OrderedDict()
_KEPT_AT_MOST = 8
_KEEPING = Lock()


def timeline(uow: UnitOfWork, organization_id: int, at: datetime | None = None) -> TimelineView:
    """The organization at `at` (default: the end of the day of its last change) and
    over its whole chronicle: the chronicle, every body's seats at `at`, the seats by
    faction of every body over the span, and the representation lag of each committee
    of a congress against its base (the lower councils, as they stand)."""
    with uow:
        repo = uow.repo
        kept = _chronicled(uow, organization_id)
        span = kept.span
        moment = end_of_day(span.last_day) if at is None else at
        ids = [c.id for c in kept.councils]
        if moment >= span.start:  # nothing changes after the span's end
            held = {
                cid: [m for m in kept.mandates.get(cid, []) if m.active_at(moment)] for cid in ids
            }
        else:
            held = {cid: [] for cid in ids}
            for mandate in _mandates_between(uow, ids, moment, moment):
                held[mandate.council_id].append(mandate)
        allocations = repo.where(
            SeatAllocation,
            and_(seat_allocations.c.council_id.in_(ids), in_force(seat_allocations, moment)),
        )
        offices = [m for c in kept.councils if c.kind is CouncilKind.OFFICE for m in held[c.id]]
        names = {i: m.name for i, m in repo.members_by_id(m.member_id for m in offices).items()}
    bodies = [
        _body(
            c,
            depth,
            above,
            held[c.id],
            [a for a in allocations if a.council_id == c.id],
            [s for s in kept.sections if s.council_id == c.id],
            kept.constituencies,
            names,
        )
        for c, depth, above in kept.order
    ]
    return TimelineView(
        organization=kept.organization,
        at=moment,
        span=span,
        entries=kept.entries,
        factions=kept.factions,
        bodies=tuple(bodies),
        series=kept.series,
        lags=kept.lags,
    )


def _chronicled(uow: UnitOfWork, organization_id: int) -> _Chronicled:
    """The timeline's part that does not depend on the moment: kept, or read anew."""
    key = (str(uow.engine.url), organization_id, *uow.ledger.head())
    with _KEEPING:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    found = _read_chronicled(uow, organization_id)
    with _KEEPING:
        _KEPT[key] = found
        while len(_KEPT) > _KEPT_AT_MOST:
            _KEPT.popitem(last=False)
    return found


def _read_chronicled(uow: UnitOfWork, organization_id: int) -> _Chronicled:
    repo = uow.repo
    span = timeline_span(uow, organization_id)
    organization = repo.get(Organization, organization_id)
    entries = repo.where(ChronicleEntry, chronicle_entries.c.organization_id == organization_id)
    entries.sort(key=lambda e: e.seq)
    councils = repo.councils(organization_id)
    ids = [c.id for c in councils]
    sections = repo.where(Section, sections_table.c.council_id.in_(ids))
    constituencies = repo.where(Constituency, constituencies_table.c.council_id.in_(ids))
    by_council: dict[int, list[Mandate]] = {}
    for mandate in _mandates_between(uow, ids, span.start, span.end):
        by_council.setdefault(mandate.council_id, []).append(mandate)
    order = federation_order(councils, constituencies)
    ordered = [c for c, _, _ in order]
    return _Chronicled(
        organization=organization,
        span=span,
        entries=tuple(entries),
        factions=tuple(repo.factions(organization_id)),
        councils=tuple(councils),
        order=tuple(order),
        sections=tuple(sections),
        constituencies=tuple(constituencies),
        mandates=by_council,
        series=tuple(_series(ordered, span, by_council, sections, councils)),
        lags=tuple(
            lag_series(uow, c.id, span.start, span.drawn_until, Target.BASE)
            for c in ordered
            if c.kind is CouncilKind.COMMITTEE and _parent_kind(c, councils) is CouncilKind.CONGRESS
        ),
    )


def federation_order(
    councils: Sequence[Council], constituencies: Sequence[Constituency]
) -> list[tuple[Council, int, Council | None]]:
    """The councils depth first, as the federation page shows them: each body followed by
    the committees and offices it elects, then the lower councils that send delegates to
    it (each with its own below it); bodies with no one above them first, in creation
    order. Each comes with its depth and the body above it (None for a root)."""
    by_id = {c.id: c for c in councils}
    elected: dict[int, list[Council]] = {}
    for council in councils:
        if council.parent_id is not None and council.parent_id in by_id:
            elected.setdefault(council.parent_id, []).append(council)
    lower: dict[int, list[Council]] = {}
    below: set[int] = {c.id for c in councils if c.parent_id in by_id}
    for constituency in constituencies:
        child = constituency.lower_council_id
        if child is not None and child in by_id and child not in below:
            lower.setdefault(constituency.council_id, []).append(by_id[child])
            below.add(child)
    found: list[tuple[Council, int, Council | None]] = []
    seen: set[int] = set()

    def walk(council: Council, depth: int, above: Council | None) -> None:
        if council.id in seen:
            return
        seen.add(council.id)
        found.append((council, depth, above))
        for child in elected.get(council.id, []):
            walk(child, depth + 1, council)
        for child in lower.get(council.id, []):
            walk(child, depth + 1, council)

    for council in councils:
        if council.id not in below:
            walk(council, 0, None)
    for council in councils:  # a cycle of lower councils: show them anyway
        walk(council, 0, None)
    return found


def _body(
    council: Council,
    depth: int,
    above: Council | None,
    held: Sequence[Mandate],
    given: Sequence[SeatAllocation],
    own_sections: Sequence[Section],
    constituencies: Sequence[Constituency],
    names: dict[int, str],
) -> Body:
    """The body's seats and filled seats (`held`, the mandates in force; `given`, the
    seat allocations in force), whole and, if it has sections, section by section."""
    parts: list[SectionSeats] = []
    if own_sections:
        section_of = {c.id: c.section_id for c in constituencies if c.council_id == council.id}
        keys: list[Section | None] = [*own_sections, None]
        for section in keys:
            sid = section.id if section is not None else None
            seats = sum(
                a.seats
                for a in given
                if a.constituency_id is not None and section_of.get(a.constituency_id) == sid
            )
            counts = _count(m for m in held if m.section_id == sid)
            if section is not None or seats or counts:
                parts.append(SectionSeats(section, SeatGroup(seats, counts)))
    return Body(
        council=council,
        depth=depth,
        above=above,
        seats=SeatGroup(sum(a.seats for a in given), _count(held)),
        sections=tuple(parts),
        holders=tuple(names[m.member_id] for m in held if m.member_id in names)
        if council.kind is CouncilKind.OFFICE
        else (),
    )


def _count(mandates: Iterable[Mandate]) -> dict[Group, int]:
    counts: dict[Group, int] = {}
    for mandate in mandates:
        counts[mandate.faction_id] = counts.get(mandate.faction_id, 0) + 1
    return counts


def _series(
    councils: Sequence[Council],
    span: Span,
    by_council: dict[int, list[Mandate]],
    sections: Sequence[Section],
    all_councils: Sequence[Council],
) -> list[BodySeries]:
    """Each body's seats by faction over the span (offices, of one seat, left out); a
    council with sections also section by section."""
    found = []
    for council in councils:
        if council.kind is CouncilKind.OFFICE:
            continue
        own = by_council.get(council.id, [])
        own_sections = [s for s in sections if s.council_id == council.id]
        main = council.kind in (CouncilKind.CONGRESS, CouncilKind.COUNCIL) or (
            council.kind is CouncilKind.COMMITTEE
            and _parent_kind(council, all_councils) is CouncilKind.CONGRESS
        )
        found.append(BodySeries(council, None, seat_series(own, span.start, span.end), main))
        for section in own_sections:
            part = [m for m in own if m.section_id == section.id]
            found.append(
                BodySeries(council, section, seat_series(part, span.start, span.end), main)
            )
    return found


def _parent_kind(council: Council, councils: Sequence[Council]) -> CouncilKind | None:
    parent = next((c for c in councils if c.id == council.parent_id), None)
    return parent.kind if parent is not None else None
