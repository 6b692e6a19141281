"""The JSON API: every use case, and the state now or at any moment."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from fastapi import APIRouter, Query

from smolny.api.deps import AdminDep, AtDep, UowDep
from smolny.api.schemas import (
    ApportionmentIn,
    ByElectionIn,
    ChronicleEntryIn,
    CommitteeElectionIn,
    ConstituencyIn,
    CouncilIn,
    ElectionIn,
    ElectorsIn,
    FactionIn,
    MemberIn,
    MembersIn,
    OrganizationIn,
    RecallIn,
    ResignationIn,
    SectionIn,
)
from smolny.domain.chronicle import ChronicleEntry, Source
from smolny.domain.elections import Election, RecallVote
from smolny.domain.federation import (
    Constituency,
    Council,
    Faction,
    Member,
    Organization,
    Section,
)
from smolny.domain.mandates import Mandate, SeatAllocation
from smolny.domain.seat_rules import parse_seat_rule
from smolny.ledger.chain import StoredEvent
from smolny.services import chronicle, elections, federation
from smolny.services.composition import composition_document, council_composition, list_councils
from smolny.services.verify import verify_ledger
from smolny.web.viewer import HiddenDep

router = APIRouter(prefix="/api")


# -- reading ---------------------------------------------------------------------------------


@router.get("/organizations", tags=["federation"])
def organizations(uow: UowDep, hidden: HiddenDep) -> list[Organization]:
    with uow:
        return [o for o in uow.repo.all(Organization) if o.id not in hidden]


@router.get("/councils", tags=["federation"])
def councils(uow: UowDep, at: AtDep, hidden: HiddenDep) -> list[dict[str, Any]]:
    """Every council with its seats and filled seats (now, or at `at`)."""
    return [
        {
            "id": n.council.id,
            "organization_id": n.organization.id,
            "name": n.council.name,
            "kind": n.council.kind.value,
            "parent_id": n.council.parent_id,
            "seats": n.seats,
            "filled": n.filled,
        }
        for n in list_councils(uow, at)
        if n.organization.id not in hidden
    ]


@router.get("/councils/{council_id}", tags=["federation"])
def council(council_id: int, uow: UowDep) -> Council:
    with uow:
        return uow.repo.get(Council, council_id)


@router.get("/councils/{council_id}/composition", tags=["federation"])
def composition(council_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """Who holds the council's seats at `at` (default now), by faction and section."""
    return composition_document(council_composition(uow, council_id, at))


@router.get("/councils/{council_id}/sections", tags=["federation"])
def sections(council_id: int, uow: UowDep) -> list[Section]:
    with uow:
        uow.repo.get(Council, council_id)
        return uow.repo.sections(council_id)


@router.get("/councils/{council_id}/constituencies", tags=["federation"])
def constituencies(council_id: int, uow: UowDep) -> list[Constituency]:
    with uow:
        uow.repo.get(Council, council_id)
        return uow.repo.constituencies(council_id)


@router.get("/councils/{council_id}/seats", tags=["seats"])
def seats(council_id: int, uow: UowDep, at: AtDep) -> list[SeatAllocation]:
    with uow:
        uow.repo.get(Council, council_id)
        return uow.repo.allocations_at(council_id, at or uow.now())


@router.get("/organizations/{organization_id}/factions", tags=["federation"])
def factions(organization_id: int, uow: UowDep) -> list[Faction]:
    with uow:
        uow.repo.get(Organization, organization_id)
        return uow.repo.factions(organization_id)


@router.get("/constituencies/{constituency_id}/members", tags=["federation"])
def constituency_members(constituency_id: int, uow: UowDep) -> list[Member]:
    with uow:
        uow.repo.get(Constituency, constituency_id)
        return uow.repo.members_of(constituency_id)


@router.get("/members/{member_id}", tags=["federation"])
def member(member_id: int, uow: UowDep) -> Member:
    with uow:
        return uow.repo.get(Member, member_id)


@router.get("/mandates/{mandate_id}", tags=["seats"])
def mandate(mandate_id: int, uow: UowDep) -> Mandate:
    with uow:
        return uow.repo.get(Mandate, mandate_id)


@router.get("/elections/{election_id}", tags=["elections"])
def election(election_id: int, uow: UowDep) -> Election:
    with uow:
        return uow.repo.get(Election, election_id)


@router.get("/ledger", tags=["ledger"])
def ledger(
    uow: UowDep,
    hidden: HiddenDep,
    after: int = Query(0, ge=0, description="Events after this number."),
    limit: int = Query(100, ge=1, le=1000),
) -> list[dict[str, Any]]:
    """The events, in order, with their hashes: anyone can recheck the chain. The events of
    an organization whose pages are not public are withheld from those outside it: their
    number and hash stay, so the chain still links."""
    with uow:
        return [
            _withheld(e) if e.organization_id in hidden else _event(e)
            for e in uow.ledger.stored(after=after, limit=limit)
        ]


@router.get("/ledger/verification", tags=["ledger"])
def verification(uow: UowDep) -> dict[str, Any]:
    result = verify_ledger(uow)
    return {
        "ok": result.ok,
        "events": result.events,
        "head": result.head,
        "bad_event": result.bad_event,
        "problem": result.problem,
    }


def _event(stored: StoredEvent) -> dict[str, Any]:
    return {"seq": stored.seq, "kind": stored.kind, "body": stored.body, "hash": stored.hash}


def _withheld(stored: StoredEvent) -> dict[str, Any]:
    return {"seq": stored.seq, "kind": None, "body": None, "hash": stored.hash, "withheld": True}


# -- changing --------------------------------------------------------------------------------


@router.post("/organizations", tags=["federation"], status_code=201)
def create_organization(body: OrganizationIn, uow: UowDep, actor: AdminDep) -> Organization:
    return federation.create_organization(uow, name=body.name, actor=actor, at=body.at)


@router.post("/organizations/{organization_id}/councils", tags=["federation"], status_code=201)
def create_council(organization_id: int, body: CouncilIn, uow: UowDep, actor: AdminDep) -> Council:
    return federation.create_council(
        uow,
        organization_id=organization_id,
        name=body.name,
        kind=body.kind,
        parent_id=body.parent_id,
        actor=actor,
        at=body.at,
    )


@router.post("/councils/{council_id}/sections", tags=["federation"], status_code=201)
def create_section(council_id: int, body: SectionIn, uow: UowDep, actor: AdminDep) -> Section:
    return federation.create_section(
        uow, council_id=council_id, name=body.name, actor=actor, at=body.at
    )


@router.post("/organizations/{organization_id}/factions", tags=["federation"], status_code=201)
def create_faction(organization_id: int, body: FactionIn, uow: UowDep, actor: AdminDep) -> Faction:
    return federation.create_faction(
        uow,
        organization_id=organization_id,
        name=body.name,
        short_name=body.short_name,
        color=body.color,
        actor=actor,
        at=body.at,
    )


@router.post("/councils/{council_id}/constituencies", tags=["federation"], status_code=201)
def create_constituency(
    council_id: int, body: ConstituencyIn, uow: UowDep, actor: AdminDep
) -> Constituency:
    return federation.create_constituency(
        uow,
        council_id=council_id,
        name=body.name,
        kind=body.kind,
        section_id=body.section_id,
        lower_council_id=body.lower_council_id,
        recall_basis=body.recall_basis,
        recall_share=Fraction(body.recall_share),
        actor=actor,
        at=body.at,
    )


@router.post("/organizations/{organization_id}/members", tags=["federation"], status_code=201)
def enroll_member(organization_id: int, body: MemberIn, uow: UowDep, actor: AdminDep) -> Member:
    return federation.enroll_member(
        uow,
        organization_id=organization_id,
        name=body.name,
        number=body.number,
        faction_id=body.faction_id,
        constituency_ids=body.constituency_ids,
        actor=actor,
        at=body.at,
    )


@router.post("/organizations/{organization_id}/members/bulk", tags=["federation"], status_code=201)
def enroll_members(
    organization_id: int, body: MembersIn, uow: UowDep, actor: AdminDep
) -> list[Member]:
    """Enroll many members as one event: all of them, or none (a bad row is named)."""
    return federation.enroll_members(
        uow,
        organization_id=organization_id,
        members=[federation.NewMember(m.name, m.faction_id, m.number) for m in body.members],
        constituency_id=body.constituency_id,
        actor=actor,
        at=body.at,
    )


@router.put("/constituencies/{constituency_id}/electors", tags=["federation"])
def report_electors(
    constituency_id: int, body: ElectorsIn, uow: UowDep, actor: AdminDep
) -> Constituency:
    """Record the electors the constituency's body reported (counted instead of members)."""
    return federation.report_electors(
        uow, constituency_id=constituency_id, electors=body.electors, actor=actor, at=body.at
    )


@router.get("/organizations/{organization_id}/chronicle", tags=["chronicle"])
def read_chronicle(organization_id: int, uow: UowDep, at: AtDep) -> list[ChronicleEntry]:
    """The organization's chronicle, up to `at` if given."""
    return chronicle.chronicle(uow, organization_id, until=at)


@router.post("/organizations/{organization_id}/chronicle", tags=["chronicle"], status_code=201)
def enter_chronicle(
    organization_id: int, body: ChronicleEntryIn, uow: UowDep, actor: AdminDep
) -> ChronicleEntry:
    """Enter what happened, with its sources and the assumptions made."""
    return chronicle.enter_chronicle(
        uow,
        organization_id=organization_id,
        title=body.title,
        text=body.text,
        sources=[Source(s.label, s.url) for s in body.sources],
        assumptions=body.assumptions,
        actor=actor,
        at=body.at,
    )


@router.post("/councils/{council_id}/apportionment", tags=["seats"], status_code=201)
def apportion(
    council_id: int, body: ApportionmentIn, uow: UowDep, actor: AdminDep
) -> list[SeatAllocation]:
    """Share the council's seats among its constituencies by a rule over their electorates."""
    return elections.apportion_seats(
        uow,
        council_id=council_id,
        rule=parse_seat_rule(body.rule),
        ties=body.ties.tie_break(),
        actor=actor,
        at=body.at,
    )


@router.post("/constituencies/{constituency_id}/elections", tags=["elections"], status_code=201)
def elect_delegates(
    constituency_id: int, body: ElectionIn, uow: UowDep, actor: AdminDep
) -> Election:
    return elections.elect_delegates(
        uow,
        constituency_id=constituency_id,
        method=body.method,
        candidates=[c.tally() for c in body.candidates],
        lists=[t.tally() for t in body.lists],
        standing=body.standing,
        ballots=[b.ballot() for b in body.ballots],
        ties=body.ties.tie_break(),
        actor=actor,
        at=body.at,
    )


@router.post("/constituencies/{constituency_id}/by-elections", tags=["elections"], status_code=201)
def by_election(constituency_id: int, body: ByElectionIn, uow: UowDep, actor: AdminDep) -> Election:
    return elections.hold_by_election(
        uow,
        constituency_id=constituency_id,
        method=body.method,
        candidates=[c.tally() for c in body.candidates],
        standing=body.standing,
        ballots=[b.ballot() for b in body.ballots],
        ties=body.ties.tie_break(),
        actor=actor,
        at=body.at,
    )


@router.post("/committees/{committee_id}/elections", tags=["elections"], status_code=201)
def elect_committee(
    committee_id: int, body: CommitteeElectionIn, uow: UowDep, actor: AdminDep
) -> Election:
    return elections.elect_committee(
        uow,
        committee_id=committee_id,
        seats=body.seats,
        method=body.method,
        lists=[t.tally() for t in body.lists],
        standing=body.standing,
        ballots=[b.ballot() for b in body.ballots],
        ties=body.ties.tie_break(),
        actor=actor,
        at=body.at,
    )


@router.post("/mandates/{mandate_id}/recall", tags=["elections"], status_code=201)
def recall(mandate_id: int, body: RecallIn, uow: UowDep, actor: AdminDep) -> RecallVote:
    """Record the constituency's recall vote; if it carries, the mandate ends at once."""
    return elections.recall_delegate(
        uow,
        mandate_id=mandate_id,
        votes_for=body.votes_for,
        votes_against=body.votes_against,
        abstentions=body.abstentions,
        actor=actor,
        at=body.at,
    )


@router.post("/mandates/{mandate_id}/resignation", tags=["elections"])
def resign(mandate_id: int, body: ResignationIn, uow: UowDep, actor: AdminDep) -> Mandate:
    return elections.resign_mandate(uow, mandate_id=mandate_id, actor=actor, at=body.at)
