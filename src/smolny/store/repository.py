"""Reading and writing domain records in the tables, set-based."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    func,
    or_,
    select,
)

from smolny.domain.elections import Election, RecallVote
from smolny.domain.errors import NotFound
from smolny.domain.federation import (
    Constituency,
    Council,
    Faction,
    Member,
    Organization,
    Section,
)
from smolny.domain.mandates import Mandate, MandateEnd, SeatAllocation
from smolny.domain.records import Record
from smolny.domain.text import Text, say
from smolny.store.catalog import RECORD_TABLES
from smolny.store.tables import (
    constituencies,
    councils,
    elections,
    factions,
    mandates,
    members,
    memberships,
    organizations,
    recall_votes,
    seat_allocations,
    sections,
)

R = TypeVar("R", bound=Record)

_LABELS: dict[type[Any], str] = {
    Organization: "organization",
    Council: "council",
    Section: "section",
    Faction: "faction",
    Constituency: "constituency",
    Member: "member",
    Mandate: "mandate",
}


def label(kind: type[Any]) -> str:
    return _LABELS.get(kind, kind.__name__.lower())


# "No such record", a sentence per kind so that a page can say it in its language (a 404
# page: "заседания № 12 нет"); the English is "<label> <id> does not exist", as always.
_MISSING: dict[str, Text] = {
    "organization": say("organization %(id)s does not exist"),
    "council": say("council %(id)s does not exist"),
    "section": say("section %(id)s does not exist"),
    "faction": say("faction %(id)s does not exist"),
    "constituency": say("constituency %(id)s does not exist"),
    "member": say("member %(id)s does not exist"),
    "membership": say("membership %(id)s does not exist"),
    "seatallocation": say("seatallocation %(id)s does not exist"),
    "election": say("election %(id)s does not exist"),
    "mandate": say("mandate %(id)s does not exist"),
    "recallvote": say("recallvote %(id)s does not exist"),
    "sitting": say("sitting %(id)s does not exist"),
    "walkout": say("walkout %(id)s does not exist"),
    "attendance": say("attendance %(id)s does not exist"),
    "agendaitem": say("agendaitem %(id)s does not exist"),
    "speaker": say("speaker %(id)s does not exist"),
    "motion": say("motion %(id)s does not exist"),
    "vote": say("vote %(id)s does not exist"),
    "voter": say("voter %(id)s does not exist"),
    "factionline": say("factionline %(id)s does not exist"),
    "unit": say("unit %(id)s does not exist"),
    "outsideauthority": say("outsideauthority %(id)s does not exist"),
    "countersignpower": say("countersignpower %(id)s does not exist"),
    "order": say("order %(id)s does not exist"),
    "orderaddressee": say("orderaddressee %(id)s does not exist"),
    "countersignature": say("countersignature %(id)s does not exist"),
    "factionsanction": say("factionsanction %(id)s does not exist"),
    "congressapportionment": say("congressapportionment %(id)s does not exist"),
    "convocation": say("convocation %(id)s does not exist"),
    "credential": say("credential %(id)s does not exist"),
    "petition": say("petition %(id)s does not exist"),
    "signature": say("signature %(id)s does not exist"),
    "chronicleentry": say("chronicleentry %(id)s does not exist"),
    "memberballot": say("memberballot %(id)s does not exist"),
    "ballotvoter": say("ballotvoter %(id)s does not exist"),
}


def missing(kind: type[Any], id: int) -> Text:
    """What NotFound says of a record of this kind that does not exist."""
    known = _MISSING.get(label(kind))
    if known is None:
        return say("%(kind)s %(id)s does not exist", kind=label(kind), id=str(id))
    return say(known.template, id=str(id))


def to_record(kind: type[R], row: Row[Any]) -> R:
    mapping = row._mapping
    return kind(**{name: mapping[name] for name in _names(kind)})


@cache
def _names(kind: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def in_force(table: Table, at: datetime) -> ColumnElement[bool]:
    """Rows whose validity period [valid_from, valid_to) contains `at`."""
    return and_(table.c.valid_from <= at, or_(table.c.valid_to.is_(None), table.c.valid_to > at))


def _values(record: Record) -> dict[str, Any]:
    """A record's columns (shallow: `asdict` would deep-copy every tuple and dict)."""
    return {name: getattr(record, name) for name in _names(type(record))}


@cache
def _by_id(table: Table) -> Select[Any]:
    # Built once per table: SQLAlchemy then reuses the compiled statement.
    return select(table).where(table.c.id == bindparam("_id"))


@cache
def _update_by_id(table: Table) -> Update:
    return table.update().where(table.c.id == bindparam("_id"))


class Repository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._next_ids: dict[type[Any], int] = {}

    # -- generic: what the projector needs --------------------------------------------
    def get(self, kind: type[R], id: int) -> R:
        row = self.connection.execute(_by_id(RECORD_TABLES[kind]), {"_id": id}).one_or_none()
        if row is None:
            raise NotFound(missing(kind, id))
        return to_record(kind, row)

    def put(self, record: Record) -> None:
        table = RECORD_TABLES[type(record)]
        values = _values(record)
        changed = self.connection.execute(_update_by_id(table), {"_id": record.id, **values})
        if not changed.rowcount:
            self.connection.execute(table.insert(), values)

    def change_all(self, kind: type[Record], ids: Sequence[int], **changes: Any) -> None:
        table = RECORD_TABLES[kind]
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            changed = self.connection.execute(
                table.update().where(table.c.id.in_(chunk)).values(changes)
            ).rowcount
            if changed != len(chunk):
                found = {r.id for r in self.where(kind, table.c.id.in_(chunk))}
                absent = next(i for i in chunk if i not in found)
                raise NotFound(missing(kind, absent))

    def add_all(self, records: Sequence[Record]) -> None:
        """Insert new records, a statement per type for all of them."""
        by_kind: dict[type[Any], list[dict[str, Any]]] = {}
        for record in records:
            by_kind.setdefault(type(record), []).append(_values(record))
        for kind, rows in by_kind.items():
            self.connection.execute(RECORD_TABLES[kind].insert(), rows)

    def next_id(self, kind: type[Any]) -> int:
        """The next free id of a record type (callers hold the ledger lock)."""
        found = self.peek_id(kind)
        self._next_ids[kind] = found
        return found

    def peek_id(self, kind: type[Any]) -> int:
        """The id `next_id` will give, without taking it."""
        if kind not in self._next_ids:
            table = RECORD_TABLES[kind]
            self._next_ids[kind] = self.connection.execute(
                select(func.coalesce(func.max(table.c.id), 0))
            ).scalar_one()
        return self._next_ids[kind] + 1

    def all(self, kind: type[R]) -> list[R]:
        table = RECORD_TABLES[kind]
        rows = self.connection.execute(select(table).order_by(table.c.id))
        return [to_record(kind, row) for row in rows]

    def where(self, kind: type[R], *conditions: ColumnElement[bool]) -> list[R]:
        table = RECORD_TABLES[kind]
        rows = self.connection.execute(select(table).where(*conditions).order_by(table.c.id))
        return [to_record(kind, row) for row in rows]

    def first(self, kind: type[R], *conditions: ColumnElement[bool]) -> R | None:
        found = self.where(kind, *conditions)
        return found[0] if found else None

    # -- the federation -----------------------------------------------------------------
    def organization_by_slug(self, slug: str) -> Organization | None:
        return self.first(Organization, organizations.c.slug == slug)

    def organization_by_name(self, name: str) -> Organization | None:
        return self.first(Organization, organizations.c.name == name)

    def councils(self, organization_id: int | None = None) -> list[Council]:
        if organization_id is None:
            return self.all(Council)
        return self.where(Council, councils.c.organization_id == organization_id)

    def councils_named(self, name: str) -> list[Council]:
        """Councils whose name or slug is `name` (a name may recur across organizations)."""
        return self.where(Council, or_(councils.c.name == name, councils.c.slug == name))

    def council_by_slug(self, organization_id: int, slug: str) -> Council | None:
        return self.first(
            Council, councils.c.organization_id == organization_id, councils.c.slug == slug
        )

    def sections(self, council_id: int) -> list[Section]:
        return self.where(Section, sections.c.council_id == council_id)

    def factions(self, organization_id: int) -> list[Faction]:
        return self.where(Faction, factions.c.organization_id == organization_id)

    def all_factions(self) -> list[Faction]:
        return self.all(Faction)

    def faction_named(self, organization_id: int, name: str) -> Faction | None:
        return self.first(
            Faction,
            factions.c.organization_id == organization_id,
            or_(factions.c.name == name, factions.c.short_name == name),
        )

    def constituencies(self, council_id: int) -> list[Constituency]:
        return self.where(Constituency, constituencies.c.council_id == council_id)

    def constituency_named(self, council_id: int, name: str) -> Constituency | None:
        return self.first(
            Constituency, constituencies.c.council_id == council_id, constituencies.c.name == name
        )

    def member_by_number(self, organization_id: int, number: str) -> Member | None:
        return self.first(
            Member, members.c.organization_id == organization_id, members.c.number == number
        )

    def numbers_taken(self, organization_id: int, numbers: Iterable[str]) -> set[str]:
        """Which of these membership numbers the organization's members hold."""
        wanted = sorted(set(numbers))
        taken: set[str] = set()
        for start in range(0, len(wanted), 500):
            rows = self.connection.execute(
                select(members.c.number).where(
                    members.c.organization_id == organization_id,
                    members.c.number.in_(wanted[start : start + 500]),
                )
            )
            taken.update(str(n) for (n,) in rows)
        return taken

    def member_count(self, organization_id: int) -> int:
        return self.connection.execute(
            select(func.count()).where(members.c.organization_id == organization_id)
        ).scalar_one()

    def members_of(self, constituency_id: int) -> list[Member]:
        rows = self.connection.execute(
            select(members)
            .join(memberships, memberships.c.member_id == members.c.id)
            .where(memberships.c.constituency_id == constituency_id)
            .order_by(members.c.id)
        )
        return [to_record(Member, row) for row in rows]

    def electorates(self, constituency_ids: Sequence[int]) -> dict[int, int]:
        """Electors per constituency: those its body reported, else its members enrolled."""
        rows = self.connection.execute(
            select(memberships.c.constituency_id, func.count())
            .where(memberships.c.constituency_id.in_(constituency_ids))
            .group_by(memberships.c.constituency_id)
        )
        counts = {int(cid): int(n) for cid, n in rows}
        reported = self.connection.execute(
            select(constituencies.c.id, constituencies.c.reported_electors).where(
                constituencies.c.id.in_(constituency_ids),
                constituencies.c.reported_electors.is_not(None),
            )
        )
        counts.update((int(cid), int(n)) for cid, n in reported)
        return {cid: counts.get(cid, 0) for cid in constituency_ids}

    def member_ids_in(self, constituency_ids: Sequence[int]) -> set[int]:
        rows = self.connection.execute(
            select(memberships.c.member_id).where(
                memberships.c.constituency_id.in_(constituency_ids)
            )
        )
        return {int(mid) for (mid,) in rows}

    def distinct_members_of(self, constituency_ids: Sequence[int]) -> int:
        return int(
            self.connection.execute(
                select(func.count(memberships.c.member_id.distinct())).where(
                    memberships.c.constituency_id.in_(constituency_ids)
                )
            ).scalar_one()
        )

    def is_member_of(self, member_id: int, constituency_id: int) -> bool:
        return (
            self.connection.execute(
                select(memberships.c.id).where(
                    memberships.c.member_id == member_id,
                    memberships.c.constituency_id == constituency_id,
                )
            ).first()
            is not None
        )

    def members_by_id(self, ids: Iterable[int]) -> dict[int, Member]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        return {m.id: m for m in self.where(Member, members.c.id.in_(wanted))}

    # -- seats and mandates ---------------------------------------------------------------
    def mandates_at(
        self, at: datetime, *, council_id: int | None = None, constituency_id: int | None = None
    ) -> list[Mandate]:
        conditions = [in_force(mandates, at)]
        if council_id is not None:
            conditions.append(mandates.c.council_id == council_id)
        if constituency_id is not None:
            conditions.append(mandates.c.constituency_id == constituency_id)
        return self.where(Mandate, *conditions)

    def seats_held_at(
        self, at: datetime, council_id: int, member_ids: Iterable[int]
    ) -> list[Mandate]:
        """The mandates in force in the council held by any of these members."""
        wanted = sorted(set(member_ids))
        if not wanted:
            return []
        return self.where(
            Mandate,
            in_force(mandates, at),
            mandates.c.council_id == council_id,
            mandates.c.member_id.in_(wanted),
        )

    def mandates_of_member(self, member_id: int) -> list[Mandate]:
        return self.where(Mandate, mandates.c.member_id == member_id)

    def allocations_at(self, council_id: int, at: datetime) -> list[SeatAllocation]:
        return self.where(
            SeatAllocation,
            seat_allocations.c.council_id == council_id,
            in_force(seat_allocations, at),
        )

    def open_allocations(self, council_id: int) -> list[SeatAllocation]:
        return self.where(
            SeatAllocation,
            seat_allocations.c.council_id == council_id,
            seat_allocations.c.valid_to.is_(None),
        )

    def seats_at(self, council_ids: Sequence[int], at: datetime) -> dict[int, int]:
        """Seats of several councils at a moment, in one query."""
        rows = self.connection.execute(
            select(seat_allocations.c.council_id, func.sum(seat_allocations.c.seats))
            .where(seat_allocations.c.council_id.in_(council_ids), in_force(seat_allocations, at))
            .group_by(seat_allocations.c.council_id)
        )
        found = {int(cid): int(n) for cid, n in rows}
        return {cid: found.get(cid, 0) for cid in council_ids}

    def filled_at(self, council_ids: Sequence[int], at: datetime) -> dict[int, int]:
        rows = self.connection.execute(
            select(mandates.c.council_id, func.count())
            .where(mandates.c.council_id.in_(council_ids), in_force(mandates, at))
            .group_by(mandates.c.council_id)
        )
        found = {int(cid): int(n) for cid, n in rows}
        return {cid: found.get(cid, 0) for cid in council_ids}

    def faction_seats_at(
        self, council_ids: Sequence[int], at: datetime
    ) -> dict[int, dict[int | None, int]]:
        """Filled seats per faction of several councils at a moment, in one query."""
        rows = self.connection.execute(
            select(mandates.c.council_id, mandates.c.faction_id, func.count())
            .where(mandates.c.council_id.in_(council_ids), in_force(mandates, at))
            .group_by(mandates.c.council_id, mandates.c.faction_id)
        )
        found: dict[int, dict[int | None, int]] = {cid: {} for cid in council_ids}
        for council_id, faction_id, n in rows:
            found[int(council_id)][faction_id] = int(n)
        return found

    def mandates_ended(self, council_id: int, reason: MandateEnd) -> list[Mandate]:
        return self.where(
            Mandate, mandates.c.council_id == council_id, mandates.c.end_reason == reason
        )

    def elections_of(self, council_id: int) -> list[Election]:
        return self.where(Election, elections.c.council_id == council_id)

    def recalls_in(self, council_id: int) -> list[RecallVote]:
        rows = self.connection.execute(
            select(recall_votes)
            .join(mandates, mandates.c.id == recall_votes.c.mandate_id)
            .where(mandates.c.council_id == council_id)
            .order_by(recall_votes.c.id)
        )
        return [to_record(RecallVote, row) for row in rows]
