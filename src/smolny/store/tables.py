"""The tables. Each projection table has one column per field of its domain record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from smolny.domain.elections import (
    Election,
    ElectionKind,
    ElectionMethod,
    RecallVote,
)
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Faction,
    Majority,
    Member,
    Membership,
    Organization,
    Power,
    RecallBasis,
    Section,
)
from smolny.domain.mandates import Mandate, MandateEnd, SeatAllocation
from smolny.store.types import EnumText, JsonTuple, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False, unique=True),
    Column("slug", String(200), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

councils = Table(
    "councils",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("slug", String(200), nullable=False),
    Column("kind", EnumText(CouncilKind), nullable=False),
    Column("parent_id", ForeignKey("councils.id")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("powers", JsonTuple(Power), nullable=False, server_default=text("'[]'")),
    Column("quorum_numerator", Integer, nullable=False, server_default="1"),
    Column("quorum_denominator", Integer, nullable=False, server_default="2"),
    Column("majority", EnumText(Majority), nullable=False, server_default="simple"),
    UniqueConstraint("organization_id", "slug"),
)

sections = Table(
    "sections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("council_id", "name"),
)

factions = Table(
    "factions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("short_name", String(40), nullable=False),
    Column("color", String(7), nullable=False),
    UniqueConstraint("organization_id", "name"),
)

constituencies = Table(
    "constituencies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", EnumText(ConstituencyKind), nullable=False),
    Column("section_id", ForeignKey("sections.id")),
    Column("lower_council_id", ForeignKey("councils.id")),
    Column("recall_basis", EnumText(RecallBasis), nullable=False),
    Column("recall_share_numerator", Integer, nullable=False),
    Column("recall_share_denominator", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("petition_share_numerator", Integer, nullable=False, server_default="1"),
    Column("petition_share_denominator", Integer, nullable=False, server_default="5"),
    Column("reported_electors", Integer),
    UniqueConstraint("council_id", "name"),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("number", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("faction_id", ForeignKey("factions.id")),
    Column("enrolled_at", UtcDateTime, nullable=False),
    UniqueConstraint("organization_id", "number"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("constituency_id", ForeignKey("constituencies.id"), nullable=False, index=True),
    Column("since", UtcDateTime, nullable=False),
    UniqueConstraint("member_id", "constituency_id"),
)

seat_allocations = Table(
    "seat_allocations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("constituency_id", ForeignKey("constituencies.id")),
    Column("seats", Integer, nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_to", UtcDateTime),
    Index("ix_seat_allocations_council_period", "council_id", "valid_from"),
)

elections = Table(
    "elections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False, index=True),
    Column("constituency_id", ForeignKey("constituencies.id"), index=True),
    Column("kind", EnumText(ElectionKind), nullable=False),
    Column("method", EnumText(ElectionMethod), nullable=False),
    Column("seats", Integer, nullable=False),
    Column("held_at", UtcDateTime, nullable=False),
    Column("result", JSON, nullable=False),
)

mandates = Table(
    "mandates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False, index=True),
    Column("faction_id", ForeignKey("factions.id")),
    Column("section_id", ForeignKey("sections.id")),
    Column("constituency_id", ForeignKey("constituencies.id"), index=True),
    Column("origin_council_id", ForeignKey("councils.id")),
    Column("election_id", ForeignKey("elections.id")),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_to", UtcDateTime),
    Column("end_reason", EnumText(MandateEnd)),
    Index("ix_mandates_council_period", "council_id", "valid_from"),
)

recall_votes = Table(
    "recall_votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("mandate_id", ForeignKey("mandates.id"), nullable=False, index=True),
    Column("constituency_id", ForeignKey("constituencies.id"), nullable=False),
    Column("held_at", UtcDateTime, nullable=False),
    Column("votes_for", Integer, nullable=False),
    Column("votes_against", Integer, nullable=False),
    Column("abstentions", Integer, nullable=False),
    Column("electorate", Integer, nullable=False),
    Column("rule", String(200), nullable=False),
    Column("carried", Boolean, nullable=False),
)

# The ledger. `body` is the canonical JSON that `hash` seals; the other columns repeat
# parts of it for querying, and `verify` checks that they agree.
events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("organization_id", Integer),
    Column("actor", String(200), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Index("ix_events_organization_at", "organization_id", "at"),
)

# One row: the last event's number and hash. Writers lock it first, which serializes
# every change (check and write) without a lock of our own.
ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

RECORD_TABLES: dict[type[Any], Table] = {
    Organization: organizations,
    Council: councils,
    Section: sections,
    Faction: factions,
    Constituency: constituencies,
    Member: members,
    Membership: memberships,
    SeatAllocation: seat_allocations,
    Election: elections,
    Mandate: mandates,
    RecallVote: recall_votes,
}
