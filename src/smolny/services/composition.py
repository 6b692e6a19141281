"""Reading the federation: councils, their composition now or at any past moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smolny.domain.composition import Composition, compose
from smolny.domain.elections import METHOD_NAMES, Election
from smolny.domain.federation import (
    ELECTED_BODIES,
    Constituency,
    Council,
    Member,
    Organization,
)
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.ledger.chain import iso
from smolny.store.uow import UnitOfWork


@dataclass
class CouncilNode:
    council: Council
    organization: Organization
    seats: int
    filled: int
    children: list[CouncilNode] = field(default_factory=list)


@dataclass(frozen=True)
class Federation:
    organization: Organization
    roots: list[CouncilNode]
    members: int


def council_composition(
    uow: UnitOfWork, council_id: int, at: datetime | None = None
) -> Composition:
    """Who sat in the council at `at` (default: now), by faction and section."""
    with uow:
        repo = uow.repo
        council = repo.get(Council, council_id)
        moment = uow.now() if at is None else at
        mandates = repo.mandates_at(moment, council_id=council_id)
        return compose(
            council,
            moment,
            allocations=repo.allocations_at(council_id, moment),
            mandates=mandates,
            members=repo.members_by_id(m.member_id for m in mandates),
            factions=repo.factions(council.organization_id),
            sections=repo.sections(council_id),
            constituencies={c.id: c for c in repo.constituencies(council_id)},
            councils={c.id: c for c in repo.councils(council.organization_id)},
        )


def federation(uow: UnitOfWork, at: datetime | None = None) -> list[Federation]:
    """Every organization's councils as a tree: a congress above the councils that send
    delegates to it, each council above its committees; seats and filled seats at `at`."""
    with uow:
        repo = uow.repo
        moment = uow.now() if at is None else at
        councils = repo.councils()
        ids = [c.id for c in councils]
        seats = repo.seats_at(ids, moment)
        filled = repo.filled_at(ids, moment)
        organizations = {o.id: o for o in repo.all(Organization)}
        nodes = {
            c.id: CouncilNode(c, organizations[c.organization_id], seats[c.id], filled[c.id])
            for c in councils
        }
        has_parent: set[int] = set()
        for council in councils:
            if council.parent_id is not None:
                nodes[council.parent_id].children.append(nodes[council.id])
                has_parent.add(council.id)
            if council.kind in ELECTED_BODIES:
                continue
            for constituency in repo.constituencies(council.id):
                if constituency.lower_council_id is not None:
                    nodes[council.id].children.append(nodes[constituency.lower_council_id])
                    has_parent.add(constituency.lower_council_id)
        result = []
        for organization in organizations.values():
            roots = [
                nodes[c.id]
                for c in councils
                if c.organization_id == organization.id and c.id not in has_parent
            ]
            result.append(Federation(organization, roots, repo.member_count(organization.id)))
        return result


def list_councils(uow: UnitOfWork, at: datetime | None = None) -> list[CouncilNode]:
    """Every council, flat, with its seats and filled seats at `at`."""
    with uow:
        moment = uow.now() if at is None else at
        councils = uow.repo.councils()
        ids = [c.id for c in councils]
        seats = uow.repo.seats_at(ids, moment)
        filled = uow.repo.filled_at(ids, moment)
        organizations = {o.id: o for o in uow.repo.all(Organization)}
        return [
            CouncilNode(c, organizations[c.organization_id], seats[c.id], filled[c.id])
            for c in councils
        ]


def composition_document(composition: Composition) -> dict[str, object]:
    """The JSON form of a composition (`smolny council show --format json`, the API)."""
    return {
        "council": composition.council.name,
        "kind": composition.council.kind.value,
        "at": iso(composition.at),
        "seats": composition.seats,
        "filled": composition.filled,
        "vacant": composition.vacant,
        "factions": composition.seats_by_faction(),
        "sections": {
            s.section.name: {"seats": s.seats, "factions": s.factions} for s in composition.sections
        },
        "delegates": [
            {
                "name": d.member.name,
                "number": d.member.number,
                "faction": d.faction_name,
                "section": d.section.name if d.section else None,
                "from": d.origin,
                "since": iso(d.mandate.valid_from),
                "mandate": d.mandate.id,
            }
            for d in composition.delegates
        ],
    }


@dataclass(frozen=True)
class Change:
    """A dated change of a council's composition: `text` says it in English; `kind` and
    `facts` let a page say it in another language."""

    at: datetime
    text: str
    election_id: int | None = None
    kind: str = ""  # an election's kind, "recall" or "resignation"
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CouncilView:
    """What a council's page shows: its composition at a moment, its place in the
    federation, and the dated changes to its composition."""

    composition: Composition
    organization: Organization
    parent: Council | None
    committees: list[CouncilNode]
    sends_to: list[Council]
    lower: list[CouncilNode]
    changes: list[Change]


def council_view(uow: UnitOfWork, council_id: int, at: datetime | None = None) -> CouncilView:
    composition = council_composition(uow, council_id, at)
    moment = composition.at
    with uow:
        repo = uow.repo
        council = composition.council
        organization = repo.get(Organization, council.organization_id)
        all_councils = {c.id: c for c in repo.councils(council.organization_id)}
        committees = [c for c in all_councils.values() if c.parent_id == council.id]
        constituencies = {c.id: c for c in repo.constituencies(council.id)}
        lower = [
            all_councils[c.lower_council_id]
            for c in constituencies.values()
            if c.lower_council_id is not None
        ]
        sends_to = [
            all_councils[c.council_id]
            for other in all_councils.values()
            for c in repo.constituencies(other.id)
            if c.lower_council_id == council.id
        ]
        related = [c.id for c in committees + lower]
        seats = repo.seats_at(related, moment)
        filled = repo.filled_at(related, moment)

        def node(c: Council) -> CouncilNode:
            return CouncilNode(c, organization, seats[c.id], filled[c.id])

        changes = []
        for election in repo.elections_of(council.id):
            where = (
                constituencies[election.constituency_id].name if election.constituency_id else ""
            )
            what = {
                "delegates": f"{where} elected {election.seats} delegate"
                + ("s" if election.seats != 1 else ""),
                "by-election": f"by-election at {where}",
                "committee": f"{council.name} elected ({election.seats} seats)",
            }[election.kind.value]
            how = METHOD_NAMES[election.method]
            facts = {"where": where, "seats": election.seats, "council": council.name}
            facts["method"] = election.method.value
            changes.append(
                Change(
                    election.held_at,
                    f"{what}, by {how}",
                    election.id,
                    election.kind.value,
                    facts,
                )
            )
        for vote in repo.recalls_in(council.id):
            mandate = repo.get(Mandate, vote.mandate_id)
            holder = repo.get(Member, mandate.member_id).name
            outcome = "carried" if vote.carried else "lost"
            changes.append(
                Change(
                    vote.held_at,
                    f"recall of {holder} ({constituencies[vote.constituency_id].name}): "
                    f"{outcome}, {vote.votes_for} for, {vote.votes_against} against, "
                    f"{vote.electorate} electors",
                    kind="recall",
                    facts={
                        "holder": holder,
                        "where": constituencies[vote.constituency_id].name,
                        "carried": vote.carried,
                        "votes_for": vote.votes_for,
                        "votes_against": vote.votes_against,
                        "electorate": vote.electorate,
                    },
                )
            )
        for mandate in repo.mandates_ended(council.id, MandateEnd.RESIGNATION):
            assert mandate.valid_to is not None
            holder = repo.get(Member, mandate.member_id).name
            changes.append(
                Change(
                    mandate.valid_to,
                    f"{holder} resigned",
                    kind="resignation",
                    facts={"holder": holder},
                )
            )
        changes.sort(key=lambda c: c.at)
        return CouncilView(
            composition=composition,
            organization=organization,
            parent=all_councils.get(council.parent_id) if council.parent_id else None,
            committees=[node(c) for c in committees],
            sends_to=sends_to,
            lower=[node(c) for c in lower],
            changes=changes,
        )


@dataclass(frozen=True)
class ElectionView:
    election: Election
    council: Council
    organization: Organization
    constituency: Constituency | None


def election_view(uow: UnitOfWork, election_id: int) -> ElectionView:
    with uow:
        election = uow.repo.get(Election, election_id)
        council = uow.repo.get(Council, election.council_id)
        return ElectionView(
            election,
            council,
            uow.repo.get(Organization, council.organization_id),
            uow.repo.get(Constituency, election.constituency_id)
            if election.constituency_id
            else None,
        )
