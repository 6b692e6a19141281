"""The tables of member ballots, their ballot boxes, and the queries the services make.

`member_ballot_box` is no projection: it is the ballots' box, outside the ledger. Who voted
is a projection (`member_ballot_voters`, from `member-ballot-cast`, with no choice, one row
per ballot and member: the database refuses a second); what was voted is a slip here, with
no voter, no time and no order of casting: the ballot, a random key and the slip. Putting a
slip in shakes the box (as `smolny.store.sittings.put_ballot` does for secret votes in
sittings): every slip of the ballot is written again under a new random key, in the keys'
order, so that neither the rows' order nor, on PostgreSQL, the transaction that wrote them
follows the order of casting.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
    text,
)

from smolny.domain.ballots import BallotKind, BallotVoter, MemberBallot
from smolny.domain.elections import ElectionMethod
from smolny.domain.sittings import Choice, Outcome, VoteMode
from smolny.store.sittings import sitting_motions, sitting_voters, sitting_votes, sittings
from smolny.store.tables import metadata
from smolny.store.types import EnumText, JsonTuple, UtcDateTime

if TYPE_CHECKING:  # the repository imports the catalog, which imports this module
    from smolny.store.repository import Repository

member_ballots = Table(
    "member_ballots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("constituency_id", ForeignKey("constituencies.id"), nullable=False, index=True),
    Column("kind", EnumText(BallotKind), nullable=False),
    Column("title", String(200), nullable=False),
    Column("method", EnumText(ElectionMethod)),
    Column("seats", Integer, nullable=False),
    Column("candidate_ids", JsonTuple(), nullable=False),
    Column("mandate_id", ForeignKey("mandates.id")),
    Column("petition_id", ForeignKey("recall_petitions.id")),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("slips", Integer, nullable=False),
    Column("blank", Integer, nullable=False),
    Column("election_id", ForeignKey("elections.id")),
    Column("recall_vote_id", ForeignKey("recall_votes.id")),
    Column("note", Text, nullable=False),
)

# Who voted: one row per ballot and member, enforced by the database. Never a choice.
member_ballot_voters = Table(
    "member_ballot_voters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("ballot_id", ForeignKey("member_ballots.id"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False, index=True),
    Column("voted_at", UtcDateTime, nullable=False),
    UniqueConstraint("ballot_id", "member_id"),
)

# Not a projection: the box. The key is random (128 bits) and the table has no rowid on
# SQLite, so that nothing numbers the slips in the order they came in; reads order by key.
member_ballot_box = Table(
    "member_ballot_box",
    metadata,
    Column("ballot_id", ForeignKey("member_ballots.id"), primary_key=True, autoincrement=False),
    Column("key", String(32), primary_key=True),
    Column("slip", Text, nullable=False),
    sqlite_with_rowid=False,
)

RECORD_TABLES: dict[type[Any], Table] = {
    MemberBallot: member_ballots,
    BallotVoter: member_ballot_voters,
}


# -- ballots and who voted ----------------------------------------------------------------------


def ballots_in(repo: Repository, constituency_ids: Iterable[int]) -> list[MemberBallot]:
    wanted = sorted(set(constituency_ids))
    if not wanted:
        return []
    return repo.where(MemberBallot, member_ballots.c.constituency_id.in_(wanted))


def ballots_of(repo: Repository, organization_id: int) -> list[MemberBallot]:
    return repo.where(MemberBallot, member_ballots.c.organization_id == organization_id)


def unclosed_in(repo: Repository, constituency_id: int) -> MemberBallot | None:
    """The constituency's ballot not closed yet, if any (there is one at most)."""
    return repo.first(
        MemberBallot,
        member_ballots.c.constituency_id == constituency_id,
        member_ballots.c.closed_at.is_(None),
    )


def voted(repo: Repository, ballot_id: int, member_id: int) -> BallotVoter | None:
    return repo.first(
        BallotVoter,
        member_ballot_voters.c.ballot_id == ballot_id,
        member_ballot_voters.c.member_id == member_id,
    )


def voted_in(repo: Repository, member_id: int, ballot_ids: Sequence[int]) -> set[int]:
    """The ballots among these that the member voted in."""
    if not ballot_ids:
        return set()
    rows = repo.connection.execute(
        select(member_ballot_voters.c.ballot_id).where(
            member_ballot_voters.c.member_id == member_id,
            member_ballot_voters.c.ballot_id.in_(sorted(set(ballot_ids))),
        )
    )
    return {int(b) for (b,) in rows}


def voter_counts(repo: Repository, ballot_ids: Iterable[int]) -> dict[int, int]:
    """How many voted in each ballot (a ballot no one voted in: 0), in one query."""
    wanted = sorted(set(ballot_ids))
    found = dict.fromkeys(wanted, 0)
    if not wanted:
        return found
    rows = repo.connection.execute(
        select(member_ballot_voters.c.ballot_id, func.count())
        .where(member_ballot_voters.c.ballot_id.in_(wanted))
        .group_by(member_ballot_voters.c.ballot_id)
    )
    for ballot_id, n in rows:
        found[int(ballot_id)] = int(n)
    return found


def voters_of(repo: Repository, ballot_ids: Iterable[int]) -> list[BallotVoter]:
    wanted = sorted(set(ballot_ids))
    if not wanted:
        return []
    return repo.where(BallotVoter, member_ballot_voters.c.ballot_id.in_(wanted))


# -- the box (outside the ledger) ---------------------------------------------------------------


def slip_key() -> str:
    """A slip's key: 128 random bits, so that the keys' order is no order of casting."""
    return secrets.token_hex(16)


# PostgreSQL shakes the box in one statement: the old slips out, and all of them back in
# with new random keys (gen_random_uuid: PostgreSQL 13 or later), in the keys' order.
_SHAKE_ON_POSTGRES = text(
    """
    WITH emptied AS (DELETE FROM member_ballot_box WHERE ballot_id = :ballot_id RETURNING slip)
    INSERT INTO member_ballot_box (ballot_id, key, slip)
    SELECT :ballot_id, shaken.key, shaken.slip
    FROM (
        SELECT replace(gen_random_uuid()::text, '-', '') AS key, slip FROM emptied
        UNION ALL
        SELECT replace(gen_random_uuid()::text, '-', ''), CAST(:slip AS TEXT)
    ) AS shaken
    ORDER BY shaken.key
    """
)


def put_slip(connection: Connection, ballot_id: int, slip: str) -> None:
    """Put one slip in the ballot's box, then shake the box: every slip of the ballot is
    written again under a new random key, in the order of the keys (why: see
    `smolny.store.sittings.put_ballot`; the same reasons hold here)."""
    if connection.dialect.name == "postgresql":
        connection.execute(_SHAKE_ON_POSTGRES, {"ballot_id": ballot_id, "slip": slip})
        return
    if connection.dialect.name == "sqlite":
        # Space freed is overwritten with zeros, so the file keeps no earlier box.
        connection.exec_driver_sql("PRAGMA secure_delete = ON")
    slips = [
        str(row.slip)
        for row in connection.execute(
            select(member_ballot_box.c.slip).where(member_ballot_box.c.ballot_id == ballot_id)
        )
    ]
    slips.append(slip)
    connection.execute(delete(member_ballot_box).where(member_ballot_box.c.ballot_id == ballot_id))
    rows = sorted(
        ({"ballot_id": ballot_id, "key": slip_key(), "slip": s} for s in slips),
        key=lambda row: str(row["key"]),
    )
    connection.execute(member_ballot_box.insert(), rows)


def slips(connection: Connection, ballot_id: int) -> list[str]:
    """The ballot's slips, in the order of their keys."""
    return [
        str(row.slip)
        for row in connection.execute(
            select(member_ballot_box.c.slip)
            .where(member_ballot_box.c.ballot_id == ballot_id)
            .order_by(member_ballot_box.c.key)
        )
    ]


# Ballots per query: well under SQLite's limit on bound parameters.
_CHUNK = 5000


def slips_of(connection: Connection, ballot_ids: Iterable[int]) -> dict[int, list[str]]:
    """The slips of these ballots (each ballot asked for, even with an empty box), each box
    in the order of its keys: one query per 5,000 ballots, for `smolny verify`."""
    wanted = sorted(set(ballot_ids))
    found: dict[int, list[str]] = {b: [] for b in wanted}
    for start in range(0, len(wanted), _CHUNK):
        rows = connection.execute(
            select(member_ballot_box.c.ballot_id, member_ballot_box.c.slip)
            .where(member_ballot_box.c.ballot_id.in_(wanted[start : start + _CHUNK]))
            .order_by(member_ballot_box.c.ballot_id, member_ballot_box.c.key)
        )
        for ballot_id, slip in rows:
            found[int(ballot_id)].append(str(slip))
    return found


def boxes(connection: Connection) -> dict[int, int]:
    """The ballots whose box holds slips, with how many."""
    rows = connection.execute(
        select(member_ballot_box.c.ballot_id, func.count()).group_by(member_ballot_box.c.ballot_id)
    )
    return {int(b): int(n) for b, n in rows}


# -- how delegates voted in roll-calls ----------------------------------------------------------


@dataclass(frozen=True)
class RollCallRecord:
    """A delegate's choice in a closed roll-call vote, with the motion and sitting."""

    member_id: int
    vote_id: int
    motion_id: int
    motion_title: str
    sitting_id: int
    sitting_title: str
    day: date
    choice: Choice
    outcome: Outcome | None
    cast_at: datetime


def roll_calls_of(
    repo: Repository, member_ids: Iterable[int], limit: int | None = None
) -> list[RollCallRecord]:
    """The members' choices in closed roll-call votes, newest first (`limit` per member
    when given), in one query."""
    wanted = sorted(set(member_ids))
    if not wanted:
        return []
    query = (
        select(
            sitting_voters.c.member_id,
            sitting_voters.c.vote_id,
            sitting_voters.c.choice,
            sitting_voters.c.cast_at,
            sitting_votes.c.motion_id,
            sitting_votes.c.outcome,
            sitting_motions.c.title.label("motion_title"),
            sittings.c.id.label("sitting_id"),
            sittings.c.title.label("sitting_title"),
            sittings.c.day,
        )
        .join(sitting_votes, sitting_votes.c.id == sitting_voters.c.vote_id)
        .join(sitting_motions, sitting_motions.c.id == sitting_votes.c.motion_id)
        .join(sittings, sittings.c.id == sitting_votes.c.sitting_id)
        .where(
            sitting_voters.c.member_id.in_(wanted),
            sitting_votes.c.mode == VoteMode.ROLL_CALL,
            sitting_votes.c.closed_at.is_not(None),
            sitting_voters.c.choice.is_not(None),
        )
        .order_by(sitting_voters.c.cast_at.desc(), sitting_voters.c.vote_id.desc())
    )
    found: list[RollCallRecord] = []
    taken: dict[int, int] = {}
    for row in repo.connection.execute(query):
        member_id = int(row.member_id)
        if limit is not None and taken.get(member_id, 0) >= limit:
            continue
        taken[member_id] = taken.get(member_id, 0) + 1
        found.append(
            RollCallRecord(
                member_id=member_id,
                vote_id=int(row.vote_id),
                motion_id=int(row.motion_id),
                motion_title=str(row.motion_title),
                sitting_id=int(row.sitting_id),
                sitting_title=str(row.sitting_title),
                day=row.day,
                choice=row.choice,
                outcome=row.outcome,
                cast_at=row.cast_at,
            )
        )
    return found
