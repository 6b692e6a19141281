"""The JSON API of sittings: convening and running them, attendance, walkouts, the agenda
and the floor, motions, amendments, faction lines, votes, elections, and the sitting, a
motion, a vote or the minutes as of any moment (`?at=`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import Field

from smolny.api.deps import AdminDep, AtDep, UowDep
from smolny.api.schemas import BallotIn, Body, ListIn, Ties
from smolny.domain.elections import ElectionMethod
from smolny.domain.federation import Majority
from smolny.domain.sittings import (
    AgendaItem,
    Attendance,
    Choice,
    FactionLine,
    ItemKind,
    Motion,
    Sitting,
    Speaker,
    VoteMode,
    Walkout,
)
from smolny.services import sittings

router = APIRouter(prefix="/api")
TAGS: list[str | Any] = ["sittings"]


class SittingIn(Body):
    title: str
    day: date = Field(description="The day the sitting is convened for.")
    section_ids: list[int] = Field(
        default=[], description="The sections that sit (jointly); none: the whole council."
    )
    chair_member_id: int | None = None


class OpeningIn(Body):
    chair_member_id: int | None = None


class ClosingIn(Body):
    pass


class CheckInIn(Body):
    member_ids: list[int] = Field(default_factory=list)
    faction_ids: list[int] = Field(
        default_factory=list, description="Every absent delegate of these."
    )
    everyone: bool = Field(default=False, description="Every absent delegate.")


class DeparturesIn(Body):
    member_ids: list[int]


class WalkoutIn(Body):
    statement: str
    member_ids: list[int] = Field(default_factory=list)
    faction_ids: list[int] = Field(
        default_factory=list, description="Their delegates present leave."
    )


class ItemIn(Body):
    title: str
    kind: ItemKind = ItemKind.OTHER


class TakeUpIn(Body):
    position: int | None = Field(default=None, description="Default: the next item.")


class SpeakerIn(Body):
    member_id: int


class FloorIn(Body):
    pass


class Tabler(Body):
    by_member_id: int | None = None
    by_faction_id: int | None = None
    by_committee_id: int | None = None


class MotionIn(Tabler):
    title: str
    text: str
    majority: Majority | None = Field(default=None, description="Default: the council's rule.")


class AmendmentIn(Tabler):
    text: str = Field(description="The text that replaces the motion's if this carries.")
    title: str | None = None


class LineIn(Body):
    faction_id: int
    line: Choice


class VoteIn(Body):
    mode: VoteMode = VoteMode.ROLL_CALL


class BallotCastIn(Body):
    member_id: int
    choice: Choice


class VoteClosingIn(Body):
    pass


class TotalsIn(Body):
    yes: int = Field(ge=0, description="Votes for.")
    no: int = Field(ge=0, description="Votes against.")
    abstain: int = Field(default=0, ge=0)


class SittingElectionIn(Body):
    committee_id: int
    seats: int = Field(ge=1)
    method: ElectionMethod = ElectionMethod.DHONDT
    lists: list[ListIn] = Field(default_factory=list)
    standing: list[int] = Field(default_factory=list)
    ballots: list[BallotIn] = Field(default_factory=list)
    ties: Ties = Ties()
    position: int | None = Field(default=None, description="The agenda item (an election).")


# -- reading -------------------------------------------------------------------------------------


@router.get("/councils/{council_id}/sittings", tags=TAGS)
def council_sittings(council_id: int, uow: UowDep, at: AtDep) -> list[dict[str, Any]]:
    """The council's sittings convened by `at` (default now), newest first."""
    return [
        {
            "id": s.sitting.id,
            "title": s.sitting.title,
            "day": s.sitting.day.isoformat(),
            "where": s.where,
            "status": s.status.value,
            "motions": s.motions,
            "votes": s.votes,
        }
        for s in sittings.sittings_of_council(uow, council_id, at)
    ]


@router.get("/sittings/{sitting_id}", tags=TAGS)
def sitting(sitting_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """The sitting as of `at` (default now): presence and quorum, walkouts, agenda and
    speakers, motions and votes, elections."""
    return sittings.sitting_document(sittings.sitting_view(uow, sitting_id, at))


@router.get("/sittings/{sitting_id}/minutes", tags=TAGS)
def minutes(sitting_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """The minutes: the sitting as it ended, its presence over time, its record."""
    return sittings.minutes_document(sittings.minutes(uow, sitting_id, at))


@router.get("/motions/{motion_id}", tags=TAGS)
def motion(motion_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """A motion as of `at`: its text, amendments, lines, votes and results."""
    view = sittings.motion_view(uow, motion_id, at)
    return sittings.motion_document(view.motion(motion_id))


@router.get("/votes/{vote_id}", tags=TAGS)
def vote(vote_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """A vote as of `at`: while open, how many of those present have voted; closed, its
    counts and result (and, for a roll-call, the names by choice)."""
    return sittings.vote_document(sittings.vote_state(uow, vote_id, at))


# -- changing ------------------------------------------------------------------------------------


@router.post("/councils/{council_id}/sittings", tags=TAGS, status_code=201)
def convene(council_id: int, body: SittingIn, uow: UowDep, actor: AdminDep) -> Sitting:
    return sittings.convene_sitting(
        uow,
        council_id=council_id,
        title=body.title,
        day=body.day,
        section_ids=body.section_ids,
        chair_member_id=body.chair_member_id,
        actor=actor,
        at=body.at,
    )


@router.post("/sittings/{sitting_id}/opening", tags=TAGS)
def open_sitting(sitting_id: int, body: OpeningIn, uow: UowDep, actor: AdminDep) -> Sitting:
    return sittings.open_sitting(
        uow, sitting_id=sitting_id, chair_member_id=body.chair_member_id, actor=actor, at=body.at
    )


@router.post("/sittings/{sitting_id}/closing", tags=TAGS)
def close_sitting(sitting_id: int, body: ClosingIn, uow: UowDep, actor: AdminDep) -> Sitting:
    return sittings.close_sitting(uow, sitting_id=sitting_id, actor=actor, at=body.at)


@router.post("/sittings/{sitting_id}/attendance", tags=TAGS, status_code=201)
def check_in(sitting_id: int, body: CheckInIn, uow: UowDep, actor: AdminDep) -> list[Attendance]:
    """Delegates check in: each must hold a seat in the sitting's sections."""
    return sittings.check_in(
        uow,
        sitting_id=sitting_id,
        member_ids=body.member_ids,
        faction_ids=body.faction_ids,
        everyone=body.everyone,
        actor=actor,
        at=body.at,
    )


@router.post("/sittings/{sitting_id}/departures", tags=TAGS)
def leave(sitting_id: int, body: DeparturesIn, uow: UowDep, actor: AdminDep) -> list[Attendance]:
    return sittings.leave(
        uow, sitting_id=sitting_id, member_ids=body.member_ids, actor=actor, at=body.at
    )


@router.post("/sittings/{sitting_id}/walkouts", tags=TAGS, status_code=201)
def walk_out(sitting_id: int, body: WalkoutIn, uow: UowDep, actor: AdminDep) -> Walkout:
    """Delegates, or whole factions (their delegates present), leave with a statement."""
    return sittings.walk_out(
        uow,
        sitting_id=sitting_id,
        statement=body.statement,
        member_ids=body.member_ids,
        faction_ids=body.faction_ids,
        actor=actor,
        at=body.at,
    )


@router.post("/sittings/{sitting_id}/agenda", tags=TAGS, status_code=201)
def add_item(sitting_id: int, body: ItemIn, uow: UowDep, actor: AdminDep) -> AgendaItem:
    return sittings.add_agenda_item(
        uow, sitting_id=sitting_id, title=body.title, kind=body.kind, actor=actor, at=body.at
    )


@router.post("/sittings/{sitting_id}/agenda/current", tags=TAGS)
def take_up(sitting_id: int, body: TakeUpIn, uow: UowDep, actor: AdminDep) -> AgendaItem:
    """The sitting moves to the next item of its agenda (or the one at `position`)."""
    return sittings.take_up_item(
        uow, sitting_id=sitting_id, position=body.position, actor=actor, at=body.at
    )


@router.post("/sittings/{sitting_id}/speakers", tags=TAGS, status_code=201)
def ask(sitting_id: int, body: SpeakerIn, uow: UowDep, actor: AdminDep) -> Speaker:
    """A delegate present asks to speak on the item before the sitting."""
    return sittings.ask_to_speak(
        uow, sitting_id=sitting_id, member_id=body.member_id, actor=actor, at=body.at
    )


@router.post("/sittings/{sitting_id}/floor", tags=TAGS)
def floor(sitting_id: int, body: FloorIn, uow: UowDep, actor: AdminDep) -> Speaker | None:
    """The chair gives the floor to the next speaker on the list (null: the floor is free)."""
    return sittings.give_floor(uow, sitting_id=sitting_id, actor=actor, at=body.at)


@router.post("/sittings/{sitting_id}/motions", tags=TAGS, status_code=201)
def table(sitting_id: int, body: MotionIn, uow: UowDep, actor: AdminDep) -> Motion:
    """A delegate present, a faction or a committee of the council tables a motion."""
    return sittings.table_motion(
        uow,
        sitting_id=sitting_id,
        title=body.title,
        text=body.text,
        majority=body.majority,
        by_member_id=body.by_member_id,
        by_faction_id=body.by_faction_id,
        by_committee_id=body.by_committee_id,
        actor=actor,
        at=body.at,
    )


@router.post("/motions/{motion_id}/amendments", tags=TAGS, status_code=201)
def amend(motion_id: int, body: AmendmentIn, uow: UowDep, actor: AdminDep) -> Motion:
    return sittings.amend_motion(
        uow,
        motion_id=motion_id,
        text=body.text,
        title=body.title,
        by_member_id=body.by_member_id,
        by_faction_id=body.by_faction_id,
        by_committee_id=body.by_committee_id,
        actor=actor,
        at=body.at,
    )


@router.post("/motions/{motion_id}/lines", tags=TAGS, status_code=201)
def line(motion_id: int, body: LineIn, uow: UowDep, actor: AdminDep) -> FactionLine:
    """A faction binds its delegates to vote for, against, or to abstain."""
    return sittings.adopt_line(
        uow,
        motion_id=motion_id,
        faction_id=body.faction_id,
        line=body.line,
        actor=actor,
        at=body.at,
    )


@router.post("/motions/{motion_id}/votes", tags=TAGS, status_code=201)
def open_vote(motion_id: int, body: VoteIn, uow: UowDep, actor: AdminDep) -> dict[str, Any]:
    """Open a roll-call or secret vote (needs a quorum)."""
    opened = sittings.open_vote(uow, motion_id=motion_id, mode=body.mode, actor=actor, at=body.at)
    return {"id": opened.id, "motion": motion_id, "mode": opened.mode.value, "open": True}


@router.post("/motions/{motion_id}/totals", tags=TAGS, status_code=201)
def totals(motion_id: int, body: TotalsIn, uow: UowDep, actor: AdminDep) -> dict[str, Any]:
    """The chair enters the totals of a vote by show of hands; it is counted at once."""
    counted = sittings.record_totals(
        uow,
        motion_id=motion_id,
        yes=body.yes,
        no=body.no,
        abstain=body.abstain,
        actor=actor,
        at=body.at,
    )
    return _result(uow, counted.id)


@router.post("/votes/{vote_id}/ballots", tags=TAGS, status_code=201)
def cast(vote_id: int, body: BallotCastIn, uow: UowDep, actor: AdminDep) -> dict[str, Any]:
    """A delegate present votes, once. In a secret vote the answer does not repeat the
    choice, and nothing stored links it to the delegate."""
    ballot = sittings.cast_vote(
        uow,
        vote_id=vote_id,
        member_id=body.member_id,
        choice=body.choice,
        actor=actor,
        at=body.at,
    )
    return {
        "vote": ballot.vote_id,
        "member_id": ballot.member_id,
        "name": ballot.name,
        "choice": ballot.choice.value if ballot.choice else None,
        "voted": ballot.voted,
        "present": ballot.present,
    }


@router.post("/votes/{vote_id}/closing", tags=TAGS)
def close_vote(vote_id: int, body: VoteClosingIn, uow: UowDep, actor: AdminDep) -> dict[str, Any]:
    """Count the vote (needs a quorum; void if the quorum was lost while it was open)."""
    closed = sittings.close_vote(uow, vote_id=vote_id, actor=actor, at=body.at)
    return _result(uow, closed.id)


def _result(uow: UowDep, vote_id: int) -> dict[str, Any]:
    closed = sittings.get_vote(uow, vote_id)
    return sittings.vote_document(sittings.vote_state(uow, vote_id, closed.closed_at))


@router.post("/sittings/{sitting_id}/elections", tags=TAGS, status_code=201)
def elect(sitting_id: int, body: SittingElectionIn, uow: UowDep, actor: AdminDep) -> dict[str, Any]:
    """The council elects a committee or an officer as an item of the sitting."""
    election = sittings.hold_election(
        uow,
        sitting_id=sitting_id,
        committee_id=body.committee_id,
        seats=body.seats,
        method=body.method,
        lists=[t.tally() for t in body.lists],
        standing=body.standing,
        ballots=[b.ballot() for b in body.ballots],
        ties=body.ties.tie_break(),
        position=body.position,
        actor=actor,
        at=body.at,
    )
    return {
        "election": election.id,
        "committee_id": election.council_id,
        "seats": election.seats,
        "method": election.method.value,
        "elected": election.result.get("elected", []),
    }
