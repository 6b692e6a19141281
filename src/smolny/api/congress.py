"""The JSON API of congresses (apportionment over lower councils, convocations,
credentials, the central executive committee) and of recall petitions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from smolny.api.deps import AdminDep, AtDep, UowDep
from smolny.api.schemas import Body, CommitteeElectionIn, Ties
from smolny.domain.congress import Convocation, Credential, Petition
from smolny.domain.elections import Election, RecallVote
from smolny.domain.seat_rules import parse_seat_rule
from smolny.services import congress, petitions

router = APIRouter(prefix="/api")


class CongressApportionmentIn(Body):
    rule: str = Field(
        description="step:THRESHOLD:FIRST:PER[:MAX] (the 1917 rule is step:25000:2:25000:8), "
        "or any rule of /api/councils/{id}/apportionment.",
        examples=["step:25000:2:25000:8"],
    )
    ties: Ties = Ties()
    reported: dict[int, int] = Field(
        default={},
        description="Electors reported by lower councils, by congress constituency id; the "
        "others are counted from the members enrolled under them.",
    )


class ConvocationIn(Body):
    name: str = Field(examples=["Second All-Russian Congress of Soviets"])


class ClosingIn(Body):
    pass


class PresentationIn(Body):
    member_id: int
    council_id: int = Field(description="The lower council the delegate says sends them.")


class PresentationsIn(Body):
    presented: list[PresentationIn] = Field(
        description="Delegates presenting themselves, each with the council that sends them; "
        "each `at` inside is ignored (the request's `at` counts)."
    )


class RefusalIn(Body):
    member_id: int
    reason: str
    by_council_id: int = Field(description="The body holding the check-credentials power.")
    council_id: int | None = Field(
        default=None, description="Default: the council the delegate presented from."
    )


class PetitionIn(Body):
    opened_by: int = Field(description="The member who opens (and first signs) the petition.")
    reason: str = ""


class SignatureIn(Body):
    member_id: int


class PetitionVoteIn(Body):
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    abstentions: int = Field(default=0, ge=0)


TAGS: list[Any] = ["congress"]
PETITIONS: list[Any] = ["petitions"]


# -- congresses ------------------------------------------------------------------------------


@router.get("/congresses/{congress_id}", tags=TAGS)
def congress_state(congress_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """The congress at `at`: apportionment by lower council, the convocation and its
    credentials report, seated delegates by faction, committees, who acts for it."""
    return congress.congress_document(congress.congress_view(uow, congress_id, at))


@router.get("/congresses/{congress_id}/apportionment", tags=TAGS)
def apportionment(congress_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    return congress.apportionment_document(congress.apportionment_view(uow, congress_id, at))


@router.post("/congresses/{congress_id}/apportionment", tags=TAGS, status_code=201)
def apportion(
    congress_id: int, body: CongressApportionmentIn, uow: UowDep, actor: AdminDep
) -> dict[str, Any]:
    """Share the congress's seats over the electors of its lower councils by a rule; the
    answer says who must combine."""
    congress.apportion_congress(
        uow,
        congress_id=congress_id,
        rule=parse_seat_rule(body.rule),
        ties=body.ties.tie_break(),
        reported=body.reported,
        actor=actor,
        at=body.at,
    )
    return congress.apportionment_document(congress.apportionment_view(uow, congress_id, body.at))


@router.get("/congresses/{congress_id}/seated", tags=TAGS)
def seated(congress_id: int, uow: UowDep, at: AtDep) -> list[dict[str, Any]]:
    """The delegates seated at the congress at `at` (credentials accepted, mandate active)."""
    return [
        {"mandate": m.id, "member_id": m.member_id, "constituency_id": m.constituency_id}
        for m in congress.seated_at_congress(uow, congress_id, at)
    ]


@router.post("/congresses/{congress_id}/convocations", tags=TAGS, status_code=201)
def convene(congress_id: int, body: ConvocationIn, uow: UowDep, actor: AdminDep) -> Convocation:
    return congress.convene_congress(
        uow, congress_id=congress_id, name=body.name, actor=actor, at=body.at
    )


@router.post("/congresses/{congress_id}/closing", tags=TAGS)
def close(congress_id: int, body: ClosingIn, uow: UowDep, actor: AdminDep) -> Convocation:
    """Close the convocation in session."""
    return congress.close_congress(uow, congress_id=congress_id, actor=actor, at=body.at)


@router.post("/convocations/{convocation_id}/credentials", tags=TAGS, status_code=201)
def check(
    convocation_id: int, body: PresentationsIn, uow: UowDep, actor: AdminDep
) -> list[Credential]:
    """Check the delegates presenting themselves: seated or refused, with the reason."""
    return congress.check_credentials(
        uow,
        convocation_id=convocation_id,
        presented=[congress.Presentation(p.member_id, p.council_id) for p in body.presented],
        actor=actor,
        at=body.at,
    )


@router.post("/convocations/{convocation_id}/refusals", tags=TAGS, status_code=201)
def refuse(convocation_id: int, body: RefusalIn, uow: UowDep, actor: AdminDep) -> Credential:
    """A body holding the check-credentials power refuses a delegate, stating why."""
    return congress.refuse_credentials(
        uow,
        convocation_id=convocation_id,
        member_id=body.member_id,
        reason=body.reason,
        by_council_id=body.by_council_id,
        council_id=body.council_id,
        actor=actor,
        at=body.at,
    )


@router.get("/convocations/{convocation_id}/credentials", tags=TAGS)
def report(convocation_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """The credentials report: seated, refused and why, left since, not presented."""
    return congress.report_document(congress.credentials_report(uow, convocation_id, at))


@router.post(
    "/congresses/{congress_id}/committees/{committee_id}/elections", tags=TAGS, status_code=201
)
def elect_central_committee(
    congress_id: int, committee_id: int, body: CommitteeElectionIn, uow: UowDep, actor: AdminDep
) -> Election:
    """The congress in session elects its committee (the central executive committee)
    among the delegates seated at credentials."""
    return congress.elect_central_committee(
        uow,
        congress_id=congress_id,
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


# -- recall petitions --------------------------------------------------------------------------


@router.post("/mandates/{mandate_id}/petitions", tags=PETITIONS, status_code=201)
def open_petition(mandate_id: int, body: PetitionIn, uow: UowDep, actor: AdminDep) -> Petition:
    """Open a recall petition against a delegate; the opener signs first."""
    return petitions.open_petition(
        uow,
        mandate_id=mandate_id,
        opened_by=body.opened_by,
        reason=body.reason,
        actor=actor,
        at=body.at,
    )


@router.post("/petitions/{petition_id}/signatures", tags=PETITIONS, status_code=201)
def sign(petition_id: int, body: SignatureIn, uow: UowDep, actor: AdminDep) -> Petition:
    return petitions.sign_petition(
        uow, petition_id=petition_id, member_id=body.member_id, actor=actor, at=body.at
    )


@router.post("/petitions/{petition_id}/recall-vote", tags=PETITIONS, status_code=201)
def recall_vote(petition_id: int, body: PetitionVoteIn, uow: UowDep, actor: AdminDep) -> RecallVote:
    """The recall vote of a petition that reached its threshold."""
    return petitions.hold_recall_vote(
        uow,
        petition_id=petition_id,
        votes_for=body.votes_for,
        votes_against=body.votes_against,
        abstentions=body.abstentions,
        actor=actor,
        at=body.at,
    )


@router.get("/petitions/{petition_id}", tags=PETITIONS)
def petition(petition_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    return petitions.petition_document(petitions.petition_view(uow, petition_id, at))


@router.get("/constituencies/{constituency_id}/petitions", tags=PETITIONS)
def constituency_petitions(constituency_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    return petitions.petition_list_document(
        petitions.constituency_petitions(uow, constituency_id, at)
    )


@router.get("/councils/{council_id}/petitions", tags=PETITIONS)
def council_petitions(council_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    return petitions.petition_list_document(petitions.council_petitions(uow, council_id, at))
