"""The tables of sittings, and the queries the sitting services make (set-based).

`sitting_ballots` is not a projection: it is the ballot box of secret votes, outside the
ledger. Who voted is a projection (`sitting_voters`, from `sitting-ballot-cast`, with no
choice); what was voted is a ballot here, with no voter, no time and no order of casting
in it: a ballot is the vote, a random key and a choice. Putting a ballot in shakes the
box (see `put_ballot`), so that neither the rows' order nor their keys, nor on
PostgreSQL the transaction that wrote them, follows the order in which they were cast.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    func,
    or_,
    select,
    text,
)

from smolny.domain.federation import Majority
from smolny.domain.mandates import Mandate
from smolny.domain.sittings import (
    AgendaItem,
    Attendance,
    Choice,
    FactionLine,
    ItemKind,
    Motion,
    MotionStatus,
    Outcome,
    Sitting,
    SittingStatus,
    Speaker,
    Vote,
    VoteMode,
    Voter,
    Walkout,
)
from smolny.store.tables import constituencies, mandates, metadata, seat_allocations
from smolny.store.types import EnumText, JsonTuple, UtcDateTime

if TYPE_CHECKING:  # the repository imports the catalog, which imports this module
    from smolny.store.repository import Repository

sittings = Table(
    "sittings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False, index=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("day", Date, nullable=False),
    Column("section_ids", JsonTuple(), nullable=False),
    Column("chair_member_id", ForeignKey("members.id")),
    Column("convened_at", UtcDateTime, nullable=False),
    Column("status", EnumText(SittingStatus), nullable=False),
    Column("opened_at", UtcDateTime),
    Column("closed_at", UtcDateTime),
    Column("current_item_id", Integer),  # an agenda item of this sitting
)

sitting_walkouts = Table(
    "sitting_walkouts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("statement", Text, nullable=False),
    Column("faction_ids", JsonTuple(), nullable=False),
    Column("member_ids", JsonTuple(), nullable=False),
)

sitting_attendance = Table(
    "sitting_attendance",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=False, index=True),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("mandate_id", ForeignKey("mandates.id"), nullable=False),
    Column("arrived_at", UtcDateTime, nullable=False),
    Column("left_at", UtcDateTime),
    Column("walkout_id", ForeignKey("sitting_walkouts.id")),
)

sitting_items = Table(
    "sitting_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", EnumText(ItemKind), nullable=False),
    Column("title", String(200), nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    Column("taken_up_at", UtcDateTime),
    Column("election_id", ForeignKey("elections.id")),
    Column("committee_id", ForeignKey("councils.id")),
    UniqueConstraint("sitting_id", "position"),
)

sitting_speakers = Table(
    "sitting_speakers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=False, index=True),
    Column("item_id", ForeignKey("sitting_items.id"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("asked_at", UtcDateTime, nullable=False),
    Column("floor_at", UtcDateTime),
    Column("done_at", UtcDateTime),
)

sitting_motions = Table(
    "sitting_motions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=False, index=True),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("item_id", ForeignKey("sitting_items.id")),
    Column("parent_id", ForeignKey("sitting_motions.id")),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("original_text", Text, nullable=False),
    Column("majority", EnumText(Majority)),
    Column("tabled_by_member_id", ForeignKey("members.id")),
    Column("tabled_by_faction_id", ForeignKey("factions.id")),
    Column("tabled_by_committee_id", ForeignKey("councils.id")),
    Column("tabled_at", UtcDateTime, nullable=False),
    Column("status", EnumText(MotionStatus), nullable=False),
    Column("decided_at", UtcDateTime),
)

sitting_votes = Table(
    "sitting_votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("motion_id", ForeignKey("sitting_motions.id"), nullable=False, index=True),
    Column("sitting_id", ForeignKey("sittings.id"), nullable=False, index=True),
    Column("mode", EnumText(VoteMode), nullable=False),
    Column("majority", EnumText(Majority), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("yes", Integer, nullable=False),
    Column("no", Integer, nullable=False),
    Column("abstain", Integer, nullable=False),
    Column("present", Integer, nullable=False),
    Column("seated", Integer, nullable=False),
    Column("seats", Integer, nullable=False),
    Column("quorum_needed", Integer, nullable=False),
    Column("required", Integer, nullable=False),
    Column("outcome", EnumText(Outcome)),
    Column("reason", Text, nullable=False),
    Column("adopted_text", Text),
)

# Who voted. One row per delegate per vote, enforced by the database. `choice` is filled
# for roll-call votes only: a secret vote's rows never hold one.
sitting_voters = Table(
    "sitting_voters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("vote_id", ForeignKey("sitting_votes.id"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("mandate_id", ForeignKey("mandates.id"), nullable=False),
    Column("cast_at", UtcDateTime, nullable=False),
    Column("choice", EnumText(Choice)),
    UniqueConstraint("vote_id", "member_id"),
)

sitting_lines = Table(
    "sitting_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("motion_id", ForeignKey("sitting_motions.id"), nullable=False, index=True),
    Column("faction_id", ForeignKey("factions.id"), nullable=False),
    Column("line", EnumText(Choice), nullable=False),
    Column("adopted_at", UtcDateTime, nullable=False),
)

# Not a projection (see the module's docstring): the ballot box of secret votes. The key is
# random (128 bits) and the table has no rowid on SQLite, so that nothing numbers the
# ballots in the order they came in; every read orders by the key.
sitting_ballots = Table(
    "sitting_ballots",
    metadata,
    Column("vote_id", ForeignKey("sitting_votes.id"), primary_key=True, autoincrement=False),
    Column("key", String(32), primary_key=True),
    Column("choice", EnumText(Choice), nullable=False),
    sqlite_with_rowid=False,
)

RECORD_TABLES: dict[type[Any], Table] = {
    Sitting: sittings,
    Walkout: sitting_walkouts,
    Attendance: sitting_attendance,
    AgendaItem: sitting_items,
    Speaker: sitting_speakers,
    Motion: sitting_motions,
    Vote: sitting_votes,
    Voter: sitting_voters,
    FactionLine: sitting_lines,
}


# -- queries -----------------------------------------------------------------------------------


def in_force(table: Table, at: datetime) -> ColumnElement[bool]:
    """Rows whose validity period [valid_from, valid_to) contains `at`."""
    return and_(table.c.valid_from <= at, or_(table.c.valid_to.is_(None), table.c.valid_to > at))


def sittings_of(repo: Repository, council_id: int) -> list[Sitting]:
    return repo.where(Sitting, sittings.c.council_id == council_id)


def business_counts(
    repo: Repository, sitting_ids: Sequence[int], at: datetime
) -> dict[int, tuple[int, int]]:
    """Motions tabled and votes opened by `at`, per sitting, in two queries."""
    found = {sid: [0, 0] for sid in sitting_ids}
    if not sitting_ids:
        return {}
    for position, (table, column) in enumerate(
        ((sitting_motions, sitting_motions.c.tabled_at), (sitting_votes, sitting_votes.c.opened_at))
    ):
        rows = repo.connection.execute(
            select(table.c.sitting_id, func.count())
            .where(table.c.sitting_id.in_(sitting_ids), column <= at)
            .group_by(table.c.sitting_id)
        )
        for sitting_id, n in rows:
            found[int(sitting_id)][position] = int(n)
    return {sid: (motions, votes) for sid, (motions, votes) in found.items()}


def open_stays(repo: Repository, sitting_id: int) -> list[Attendance]:
    """Stays not ended: delegates checked in and not gone (their seats may have ended)."""
    return repo.where(
        Attendance,
        sitting_attendance.c.sitting_id == sitting_id,
        sitting_attendance.c.left_at.is_(None),
    )


def stays(repo: Repository, sitting_id: int) -> list[Attendance]:
    return repo.where(Attendance, sitting_attendance.c.sitting_id == sitting_id)


def _scope(sitting: Sitting) -> list[Any]:
    conditions: list[Any] = [mandates.c.council_id == sitting.council_id]
    if sitting.section_ids:
        conditions.append(mandates.c.section_id.in_(sitting.section_ids))
    return conditions


def scope_mandates_at(repo: Repository, sitting: Sitting, at: datetime) -> list[Mandate]:
    """The mandates held at `at` in the sitting's council (and sections, if it has any)."""
    return repo.where(Mandate, in_force(mandates, at), *_scope(sitting))


def scope_mandates_between(
    repo: Repository, sitting: Sitting, start: datetime, end: datetime
) -> list[Mandate]:
    """The mandates of the sitting's scope active at some moment of [start, end]."""
    return repo.where(
        Mandate,
        mandates.c.valid_from <= end,
        or_(mandates.c.valid_to.is_(None), mandates.c.valid_to > start),
        *_scope(sitting),
    )


def mandates_by_id(repo: Repository, ids: Sequence[int]) -> dict[int, Mandate]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {m.id: m for m in repo.where(Mandate, mandates.c.id.in_(wanted))}


def member_mandates(
    repo: Repository, council_id: int, member_ids: Sequence[int]
) -> dict[int, list[Mandate]]:
    """Every mandate (past, present, future) of these members in the council, by member."""
    found: dict[int, list[Mandate]] = {mid: [] for mid in member_ids}
    if not member_ids:
        return found
    for mandate in repo.where(
        Mandate,
        mandates.c.council_id == council_id,
        mandates.c.member_id.in_(sorted(set(member_ids))),
    ):
        found[mandate.member_id].append(mandate)
    return found


def scope_seats_at(repo: Repository, sitting: Sitting, at: datetime) -> int:
    """The seats the sitting's council (or its sections) has at `at`, filled or not."""
    query = select(func.coalesce(func.sum(seat_allocations.c.seats), 0)).where(
        seat_allocations.c.council_id == sitting.council_id, in_force(seat_allocations, at)
    )
    if sitting.section_ids:
        query = query.join(
            constituencies, constituencies.c.id == seat_allocations.c.constituency_id
        ).where(constituencies.c.section_id.in_(sitting.section_ids))
    return int(repo.connection.execute(query).scalar_one())


def items_of(repo: Repository, sitting_id: int) -> list[AgendaItem]:
    return sorted(
        repo.where(AgendaItem, sitting_items.c.sitting_id == sitting_id), key=lambda i: i.position
    )


def speakers_of(repo: Repository, sitting_id: int) -> list[Speaker]:
    return repo.where(Speaker, sitting_speakers.c.sitting_id == sitting_id)


def walkouts_of(repo: Repository, sitting_id: int) -> list[Walkout]:
    return repo.where(Walkout, sitting_walkouts.c.sitting_id == sitting_id)


def motions_of(repo: Repository, sitting_id: int) -> list[Motion]:
    return repo.where(Motion, sitting_motions.c.sitting_id == sitting_id)


def amendments_of(repo: Repository, motion_id: int) -> list[Motion]:
    return repo.where(Motion, sitting_motions.c.parent_id == motion_id)


def votes_of_sitting(repo: Repository, sitting_id: int) -> list[Vote]:
    return repo.where(Vote, sitting_votes.c.sitting_id == sitting_id)


def votes_of_motion(repo: Repository, motion_id: int) -> list[Vote]:
    return repo.where(Vote, sitting_votes.c.motion_id == motion_id)


def open_votes(repo: Repository, sitting_id: int) -> list[Vote]:
    return repo.where(
        Vote, sitting_votes.c.sitting_id == sitting_id, sitting_votes.c.closed_at.is_(None)
    )


def voters_of(repo: Repository, vote_ids: Sequence[int]) -> list[Voter]:
    if not vote_ids:
        return []
    return repo.where(Voter, sitting_voters.c.vote_id.in_(sorted(set(vote_ids))))


def voted(repo: Repository, vote_id: int, member_id: int) -> Voter | None:
    return repo.first(
        Voter, sitting_voters.c.vote_id == vote_id, sitting_voters.c.member_id == member_id
    )


def voter_count(repo: Repository, vote_id: int) -> int:
    return int(
        repo.connection.execute(
            select(func.count()).where(sitting_voters.c.vote_id == vote_id)
        ).scalar_one()
    )


def lines_of(repo: Repository, motion_ids: Sequence[int]) -> list[FactionLine]:
    if not motion_ids:
        return []
    return repo.where(FactionLine, sitting_lines.c.motion_id.in_(sorted(set(motion_ids))))


def items_with_elections(repo: Repository, sitting_id: int) -> list[AgendaItem]:
    return repo.where(
        AgendaItem,
        and_(sitting_items.c.sitting_id == sitting_id, sitting_items.c.election_id.is_not(None)),
    )


# -- the ballot box of secret votes (outside the ledger) ---------------------------------------


def ballot_key() -> str:
    """A ballot's key: 128 random bits, so that the keys' order is no order of casting."""
    return secrets.token_hex(16)


# PostgreSQL shakes the box in one statement: the old ballots out, and all of them back in
# with new random keys (gen_random_uuid: PostgreSQL 13 or later), in the keys' order.
_SHAKE_ON_POSTGRES = text(
    """
    WITH emptied AS (DELETE FROM sitting_ballots WHERE vote_id = :vote_id RETURNING choice)
    INSERT INTO sitting_ballots (vote_id, key, choice)
    SELECT :vote_id, shaken.key, shaken.choice
    FROM (
        SELECT replace(gen_random_uuid()::text, '-', '') AS key, choice FROM emptied
        UNION ALL
        SELECT replace(gen_random_uuid()::text, '-', ''), CAST(:choice AS VARCHAR(32))
    ) AS shaken
    ORDER BY shaken.key
    """
)


def put_ballot(connection: Connection, vote_id: int, choice: Choice) -> None:
    """Put one ballot in the vote's box, then shake the box: every ballot of the vote is
    written again under a new random key, in the order of the keys.

    Why shake: PostgreSQL keeps rows where they were written (a plain `SELECT`, a dump or
    `COPY` gives them in the order of writing) and stamps each with the transaction that
    wrote it (`xmin`), which is the transaction that also wrote the voter's row; SQLite
    lays a page's rows out in the order of writing too. Written again together, the
    ballots lie in the order of their random keys and all carry the last transaction's
    stamp: neither says which ballot came in when. It costs a write per ballot already in
    the box, at each ballot (some tens of milliseconds when a thousand have voted;
    PostgreSQL's autovacuum reclaims the rows written over).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(_SHAKE_ON_POSTGRES, {"vote_id": vote_id, "choice": choice.value})
        return
    if connection.dialect.name == "sqlite":
        # Space freed is overwritten with zeros, so the file keeps no earlier box.
        connection.exec_driver_sql("PRAGMA secure_delete = ON")
    choices = [
        Choice(row.choice)
        for row in connection.execute(
            select(sitting_ballots.c.choice).where(sitting_ballots.c.vote_id == vote_id)
        )
    ]
    choices.append(choice)
    connection.execute(delete(sitting_ballots).where(sitting_ballots.c.vote_id == vote_id))
    rows = sorted(
        ({"vote_id": vote_id, "key": ballot_key(), "choice": c} for c in choices),
        key=lambda row: str(row["key"]),
    )
    connection.execute(sitting_ballots.insert(), rows)


def ballots(connection: Connection, vote_id: int) -> list[tuple[str, Choice]]:
    """The vote's ballots, (key, choice), in the order of their keys."""
    return [
        (str(row.key), Choice(row.choice))
        for row in connection.execute(
            select(sitting_ballots.c.key, sitting_ballots.c.choice)
            .where(sitting_ballots.c.vote_id == vote_id)
            .order_by(sitting_ballots.c.key)
        )
    ]


def ballot_counts(connection: Connection, vote_ids: Iterable[int]) -> dict[int, Counter[Choice]]:
    """The ballots in each vote's box, counted by choice (a vote with none: empty)."""
    wanted = sorted(set(vote_ids))
    found: dict[int, Counter[Choice]] = {vid: Counter() for vid in wanted}
    if not wanted:
        return found
    rows = connection.execute(
        select(sitting_ballots.c.vote_id, sitting_ballots.c.choice, func.count())
        .where(sitting_ballots.c.vote_id.in_(wanted))
        .group_by(sitting_ballots.c.vote_id, sitting_ballots.c.choice)
    )
    for vote_id, choice, n in rows:
        found[int(vote_id)][Choice(choice)] = int(n)
    return found


def boxes(connection: Connection) -> list[int]:
    """The votes whose box holds ballots."""
    return sorted(
        int(v) for (v,) in connection.execute(select(sitting_ballots.c.vote_id).distinct())
    )
