"""The tables of congresses (apportionments, convocations, credentials) and of recall
petitions, and the set-based queries over lower councils that congresses need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    case,
    func,
    or_,
    select,
)

from smolny.domain.congress import (
    CongressApportionment,
    Convocation,
    Credential,
    CredentialReason,
    Petition,
    Signature,
)
from smolny.domain.federation import Constituency
from smolny.domain.mandates import Mandate
from smolny.store.tables import constituencies, mandates, memberships, metadata
from smolny.store.types import EnumText, JsonTuple, UtcDateTime

if TYPE_CHECKING:  # the repository imports the catalog, which imports this module
    from smolny.store.repository import Repository

congress_apportionments = Table(
    "congress_apportionments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False, index=True),
    Column("held_at", UtcDateTime, nullable=False),
    Column("rule_text", String(200), nullable=False),
    Column("rule", Text, nullable=False),
    Column("constituency_ids", JsonTuple(), nullable=False),
    Column("electors", JsonTuple(), nullable=False),
    Column("seats", JsonTuple(), nullable=False),
    Column("combine", JsonTuple(), nullable=False),
    Column("combined", JsonTuple(), nullable=False),
    Column("combined_through", JsonTuple(), nullable=False),
    Column("reported", JsonTuple(), nullable=False),
)

congress_convocations = Table(
    "congress_convocations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    UniqueConstraint("council_id", "name"),
)

congress_credentials = Table(
    "congress_credentials",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("convocation_id", ForeignKey("congress_convocations.id"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("constituency_id", ForeignKey("constituencies.id")),
    Column("mandate_id", ForeignKey("mandates.id")),
    Column("seated", Boolean, nullable=False),
    Column("reason", EnumText(CredentialReason)),
    Column("detail", Text, nullable=False),
    Column("checked_by_id", ForeignKey("councils.id")),
    Column("checked_at", UtcDateTime, nullable=False),
    Column("superseded_at", UtcDateTime),
    Index("ix_congress_credentials_convocation_member", "convocation_id", "member_id"),
)

recall_petitions = Table(
    "recall_petitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("mandate_id", ForeignKey("mandates.id"), nullable=False, index=True),
    Column("constituency_id", ForeignKey("constituencies.id"), nullable=False, index=True),
    Column("opened_by_id", ForeignKey("members.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("electorate", Integer, nullable=False),
    Column("threshold", Integer, nullable=False),
    Column("signatures", Integer, nullable=False),
    Column("reached_at", UtcDateTime),
    Column("recall_vote_id", ForeignKey("recall_votes.id")),
    Column("voted_at", UtcDateTime),
)

# One signature per member and petition, enforced by the database under concurrency.
recall_petition_signatures = Table(
    "recall_petition_signatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("petition_id", ForeignKey("recall_petitions.id"), nullable=False),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("signed_at", UtcDateTime, nullable=False),
    UniqueConstraint("petition_id", "member_id"),
)

RECORD_TABLES: dict[type[Any], Table] = {
    CongressApportionment: congress_apportionments,
    Convocation: congress_convocations,
    Credential: congress_credentials,
    Petition: recall_petitions,
    Signature: recall_petition_signatures,
}


# -- lower councils -----------------------------------------------------------------------------


def councils_below(repo: Repository, council_ids: Iterable[int]) -> dict[int, list[Constituency]]:
    """Every constituency of these councils and of the councils under them (through
    constituencies that are lower councils), by council: one query per level."""
    found: dict[int, list[Constituency]] = {}
    frontier = set(council_ids)
    while frontier:
        rows = repo.where(Constituency, constituencies.c.council_id.in_(sorted(frontier)))
        for council_id in frontier:
            found[council_id] = []
        for constituency in rows:
            found[constituency.council_id].append(constituency)
        frontier = {
            c.lower_council_id
            for c in rows
            if c.lower_council_id is not None and c.lower_council_id not in found
        }
    return found


def member_constituencies(
    tree: Mapping[int, list[Constituency]], council_id: int
) -> tuple[list[int], list[int]]:
    """The constituencies of members under a council (its own, and those of the councils
    below it, once each), and the councils passed through, from `councils_below`."""
    bases: list[int] = []
    seen: set[int] = set()
    order: list[int] = []
    stack = [council_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        order.append(current)
        for constituency in tree.get(current, []):
            if constituency.lower_council_id is None:
                bases.append(constituency.id)
            else:
                stack.append(constituency.lower_council_id)
    return sorted(set(bases)), order


def member_ids_under(repo: Repository, council_id: int) -> set[int]:
    """Every member enrolled in a constituency under the council (at any depth)."""
    bases, _ = member_constituencies(councils_below(repo, [council_id]), council_id)
    return repo.member_ids_in(bases) if bases else set()


def electors_under(repo: Repository, lower: Mapping[int, int]) -> dict[int, int]:
    """Electors of lower councils: for each key, the distinct members enrolled under the
    council it names (`lower`: key -> council id), through any councils in between.

    Councils whose member constituencies do not overlap are counted in one grouped query.
    """
    tree = councils_below(repo, set(lower.values()))
    bases = {key: member_constituencies(tree, council_id)[0] for key, council_id in lower.items()}
    counts = dict.fromkeys(lower, 0)
    groups: list[dict[int, int]] = []  # base constituency -> key; disjoint within a group
    for key, ids in bases.items():
        group = next((g for g in groups if not g.keys() & set(ids)), None)
        if group is None:
            group = {}
            groups.append(group)
        group.update(dict.fromkeys(ids, key))
    for group in groups:
        if not group:
            continue
        owner = case(group, value=memberships.c.constituency_id)
        rows = repo.connection.execute(
            select(owner, func.count(memberships.c.member_id.distinct()))
            .where(memberships.c.constituency_id.in_(sorted(group)))
            .group_by(owner)
        )
        for key, n in rows:
            counts[key] = int(n)
    return counts


# -- congresses --------------------------------------------------------------------------------


def convocation_at(repo: Repository, congress_id: int, at: datetime) -> Convocation | None:
    """The convocation in session at `at`, if any."""
    return repo.first(
        Convocation,
        congress_convocations.c.council_id == congress_id,
        congress_convocations.c.opened_at <= at,
        or_(congress_convocations.c.closed_at.is_(None), congress_convocations.c.closed_at > at),
    )


def last_convocation(repo: Repository, congress_id: int, at: datetime) -> Convocation | None:
    """The convocation opened last at or before `at` (in session or closed)."""
    found = repo.where(
        Convocation,
        congress_convocations.c.council_id == congress_id,
        congress_convocations.c.opened_at <= at,
    )
    return max(found, key=lambda c: (c.opened_at, c.id)) if found else None


def credentials_in_force(repo: Repository, convocation_id: int, at: datetime) -> list[Credential]:
    return repo.where(
        Credential,
        congress_credentials.c.convocation_id == convocation_id,
        congress_credentials.c.checked_at <= at,
        or_(
            congress_credentials.c.superseded_at.is_(None),
            congress_credentials.c.superseded_at > at,
        ),
    )


def seated_mandates(repo: Repository, convocation_id: int, at: datetime) -> list[Mandate]:
    """The mandates of the delegates seated at the convocation at `at`: credentials seated
    and in force, and the mandate still active (a recalled delegate loses the seat at once).
    For use inside an open unit of work; `services.congress.seated_at_congress` opens one."""
    seated = select(congress_credentials.c.mandate_id).where(
        congress_credentials.c.convocation_id == convocation_id,
        congress_credentials.c.seated.is_(True),
        congress_credentials.c.checked_at <= at,
        or_(
            congress_credentials.c.superseded_at.is_(None),
            congress_credentials.c.superseded_at > at,
        ),
    )
    return repo.where(
        Mandate,
        mandates.c.id.in_(seated),
        mandates.c.valid_from <= at,
        or_(mandates.c.valid_to.is_(None), mandates.c.valid_to > at),
    )


def apportionment_at(
    repo: Repository, congress_id: int, at: datetime
) -> CongressApportionment | None:
    """The congress's apportionment recorded last at or before `at`."""
    found = repo.where(
        CongressApportionment,
        congress_apportionments.c.council_id == congress_id,
        congress_apportionments.c.held_at <= at,
    )
    return max(found, key=lambda a: (a.held_at, a.id)) if found else None


def mandates_of_members(
    repo: Repository, council_id: int, member_ids: Iterable[int]
) -> list[Mandate]:
    """Every mandate (any period) that these members held in the council, in one query."""
    wanted = sorted(set(member_ids))
    if not wanted:
        return []
    return repo.where(
        Mandate, and_(mandates.c.council_id == council_id, mandates.c.member_id.in_(wanted))
    )


# -- petitions ---------------------------------------------------------------------------------


def open_petition_against(repo: Repository, mandate_id: int) -> Petition | None:
    """The petition against this mandate that has not gone to a vote, if any."""
    return repo.first(
        Petition,
        recall_petitions.c.mandate_id == mandate_id,
        recall_petitions.c.voted_at.is_(None),
    )


def signatures_of(
    repo: Repository, petition_id: int, at: datetime | None = None
) -> list[Signature]:
    conditions = [recall_petition_signatures.c.petition_id == petition_id]
    if at is not None:
        conditions.append(recall_petition_signatures.c.signed_at <= at)
    return repo.where(Signature, *conditions)


def has_signed(repo: Repository, petition_id: int, member_id: int) -> Signature | None:
    return repo.first(
        Signature,
        recall_petition_signatures.c.petition_id == petition_id,
        recall_petition_signatures.c.member_id == member_id,
    )


def petitions_in(repo: Repository, constituency_ids: Iterable[int]) -> list[Petition]:
    wanted = sorted(set(constituency_ids))
    if not wanted:
        return []
    return repo.where(Petition, recall_petitions.c.constituency_id.in_(wanted))


def signature_counts(repo: Repository, petition_ids: Iterable[int], at: datetime) -> dict[int, int]:
    """Signatures per petition at `at`, in one query."""
    wanted = sorted(set(petition_ids))
    if not wanted:
        return {}
    rows = repo.connection.execute(
        select(recall_petition_signatures.c.petition_id, func.count())
        .where(
            recall_petition_signatures.c.petition_id.in_(wanted),
            recall_petition_signatures.c.signed_at <= at,
        )
        .group_by(recall_petition_signatures.c.petition_id)
    )
    found = {int(pid): int(n) for pid, n in rows}
    return {pid: found.get(pid, 0) for pid in wanted}
