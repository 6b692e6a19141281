"""What the delegate's and the chair's pages need beyond the public view of a sitting:
a person's sittings (today's and upcoming), the councils whose sittings they may convene,
their own place in a sitting (present or not, on the speakers' list, voted or not, and
what the rules let them do, with the reason when not), who of those present has not
voted yet, and the ledger's head for the live pages.

Everything a person does on those pages goes through the sitting services with
`acting=Actor(...)`; this module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from smolny.domain.federation import ELECTED_BODIES, Council, Member, Power, Section
from smolny.domain.rights import Action, Actor, Decision, Facts, Target, decide
from smolny.domain.sittings import Choice, Sitting, SittingStatus, VoteMode
from smolny.domain.text import Text
from smolny.services import rights, sittings
from smolny.services.sittings import SittingView, VoteState
from smolny.store import sittings as store
from smolny.store.tables import events
from smolny.store.uow import UnitOfWork

# The powers that make an office run a council's sittings (docs/rights.md).
RUNS_SITTINGS = frozenset({Power.CHAIR, Power.KEEP_MINUTES})


# -- a person's sittings -----------------------------------------------------------------------


@dataclass(frozen=True)
class MySitting:
    """A sitting of a council where the person holds a seat, or an office that runs it."""

    sitting: Sitting
    council: Council
    status: SittingStatus
    delegate: bool  # holds a seat in the council now
    chair: bool  # holds an office of the council with the power chair
    present: bool
    today: bool  # the sitting's day is today (UTC)


def my_sittings(uow: UnitOfWork, actor: Actor, at: datetime | None = None) -> list[MySitting]:
    """Today's and upcoming sittings (and any earlier one still open) of the councils where
    the person holds a seat or an office that runs their sittings, soonest first."""
    with uow:
        moment = at or uow.now()
        facts = rights.load_facts(uow, actor, moment)
        if facts.member is None:
            return []
        seats = {m.council_id for m in facts.mandates_at(moment)}
        chairs = {
            body.parent_id
            for body, _ in facts.offices_at(moment)
            if body.parent_id is not None and Power.CHAIR in body.powers
        }
        runs = {
            body.parent_id
            for body, _ in facts.offices_at(moment)
            if body.parent_id is not None and RUNS_SITTINGS & set(body.powers)
        }
        today = moment.date()
        found = []
        for council_id in sorted(seats | runs):
            council = facts.councils[council_id]
            for sitting in store.sittings_of(uow.repo, council_id):
                status = sitting.status_at(moment)
                if sitting.convened_at > moment:
                    continue
                if sitting.day < today and status is not SittingStatus.OPEN:
                    continue
                found.append((sitting, council, status))
        present = _present_in(uow, facts.member.id, [s.id for s, _, _ in found], moment)
        mine = [
            MySitting(
                sitting,
                council,
                status,
                council.id in seats,
                council.id in chairs,
                sitting.id in present,
                sitting.day == today,
            )
            for sitting, council, status in found
        ]
    mine.sort(key=lambda m: (m.sitting.day, m.sitting.convened_at, m.sitting.id))
    return mine


def _present_in(uow: UnitOfWork, member_id: int, sitting_ids: list[int], at: datetime) -> set[int]:
    found = set()
    for sitting_id in sitting_ids:
        if any(
            a.member_id == member_id and a.here_at(at)
            for a in store.open_stays(uow.repo, sitting_id)
        ):
            found.add(sitting_id)
    return found


# -- convening a sitting ----------------------------------------------------------------------


@dataclass(frozen=True)
class Convening:
    """A council whose sittings the person may convene (an office of it with the power
    `convene`): its sections, and who may be named to chair (the holders of its offices
    with the power `chair`, now)."""

    council: Council
    sections: list[Section]
    chairs: list[Member]


def convenings(uow: UnitOfWork, actor: Actor, at: datetime | None = None) -> list[Convening]:
    """The councils whose sittings the rules let the person convene now, by name."""
    with uow:
        moment = at or uow.now()
        facts = rights.load_facts(uow, actor, moment)
        if facts.member is None:
            return []
        # Only an office of a council can grant the power: the rules decide which.
        candidates = {
            body.parent_id for body, _ in facts.offices_at(moment) if body.parent_id is not None
        }
        found = []
        for council_id in sorted(candidates):
            council = facts.councils[council_id]
            target = Target(facts.organization_id, council.name, council=council)
            if not decide(facts, Action.CONVENE_SITTING, target, moment).allowed:
                continue
            found.append(
                Convening(
                    council, uow.repo.sections(council.id), _chairs(uow, facts, council, moment)
                )
            )
    found.sort(key=lambda c: c.council.name)
    return found


def _chairs(uow: UnitOfWork, facts: Facts, council: Council, at: datetime) -> list[Member]:
    offices = [
        body
        for body in facts.councils.values()
        if body.parent_id == council.id
        and body.kind in ELECTED_BODIES
        and Power.CHAIR in body.powers
    ]
    holders = {
        m.member_id for office in offices for m in uow.repo.mandates_at(at, council_id=office.id)
    }
    return sorted(uow.repo.members_by_id(holders).values(), key=lambda m: m.name)


# -- one's own place in a sitting --------------------------------------------------------------


@dataclass(frozen=True)
class OpenVote:
    """The vote open in the sitting, as the person sees it: how far it has got, whether they
    have voted, and (roll-call only) what they chose. Who has not voted yet is the names of
    the delegates present without a vote: never how anyone voted in a secret vote."""

    state: VoteState
    text: str  # the motion's text as of now
    voted_at: datetime | None
    choice: Choice | None  # roll-call only: a secret choice is not recorded beside the name
    not_voted: list[str]
    amends: str | None = None  # an amendment: the title of the motion it would change
    faction: str | None = None  # the person's faction in the council, when present
    line: Choice | None = None  # that faction's binding line on the motion, if it adopted one

    @property
    def secret(self) -> bool:
        return self.state.vote.mode is VoteMode.SECRET


@dataclass(frozen=True)
class Place:
    """A person's page of a sitting: the sitting as of now, and their own place in it."""

    view: SittingView
    actor: Actor
    member: Member | None
    present_since: datetime | None
    on_list: str | None  # "waiting" or "speaking" on the item before the sitting
    vote: OpenVote | None
    decisions: dict[Action, Decision]
    today: date

    @property
    def present(self) -> bool:
        return self.present_since is not None

    def may(self, action: Action | str) -> bool:
        return self.decisions[Action(action)].allowed

    def why_not(self, action: Action | str) -> str:
        return self.decisions[Action(action)].reason

    def why_not_text(self, action: Action | str) -> Text:
        """The reason, for a page to say in its language."""
        return self.decisions[Action(action)].text

    @property
    def closed_votes(self) -> list[VoteState]:
        """The sitting's counted votes, the latest first."""
        closed = [v for m in self.view.motions for v in m.votes if v.closed]
        return sorted(closed, key=lambda v: (v.vote.closed_at or v.vote.opened_at, v.vote.id))[::-1]

    @property
    def waiting_motions(self) -> list[sittings.MotionState]:
        """Motions not yet decided and not being voted on: the chair may open a vote."""
        return [
            m
            for m in self.view.motions
            if m.status.value == "pending" and not any(not v.closed for v in m.votes)
        ]


DESK_ACTIONS = (
    Action.CHECK_IN,
    Action.ASK_TO_SPEAK,
    Action.TABLE_MOTION,
    Action.VOTE_ON_MOTION,
    Action.OPEN_SITTING,
    Action.CLOSE_SITTING,
    Action.TAKE_UP_ITEM,
    Action.GIVE_FLOOR,
    Action.OPEN_VOTE,
    Action.CLOSE_VOTE,
    Action.PRODUCE_MINUTES,
)


def place(uow: UnitOfWork, actor: Actor, sitting_id: int) -> Place:
    """The sitting as of now, and the person's place in it, read in one transaction."""
    with uow:
        view = sittings.sitting_view(uow, sitting_id)
        moment = view.at
        facts = rights.load_facts(uow, actor, moment)
        target = rights.sitting_target(uow, view.sitting)
        decisions = {a: decide(facts, a, target, moment) for a in DESK_ACTIONS}
        member = facts.member
        here = {h.member.id: h for h in view.here}
        since = here[member.id].since if member is not None and member.id in here else None
        on_list = None
        current = view.current
        if member is not None and current is not None:
            mine = [s.state for s in current.speakers if s.speaker.member_id == member.id]
            on_list = next((s for s in mine if s != "done"), None)
        vote = _open_vote(uow, view, facts, here)
        return Place(view, actor, member, since, on_list, vote, decisions, moment.date())


def _open_vote(
    uow: UnitOfWork, view: SittingView, facts: Facts, here: dict[int, sittings.Here]
) -> OpenVote | None:
    states = view.open_votes
    if not states:
        return None
    state = states[0]
    voters = store.voters_of(uow.repo, [state.vote.id])
    voted = {v.member_id for v in voters}
    mine = next(
        (v for v in voters if facts.member is not None and v.member_id == facts.member.id), None
    )
    not_voted = sorted(h.member.name for mid, h in here.items() if mid not in voted)
    motion = view.motion(state.vote.motion_id)
    parent = motion.motion.parent_id  # an amendment's motion, tabled in the same sitting
    # The faction the person sits for (their mandate's), whose line binds them here.
    seat = here.get(facts.member.id) if facts.member is not None else None
    faction = seat.faction.name if seat is not None and seat.faction is not None else None
    return OpenVote(
        state,
        motion.text,
        mine.cast_at if mine else None,
        mine.choice if mine and state.vote.mode is VoteMode.ROLL_CALL else None,
        not_voted,
        amends=next((m.motion.title for m in view.motions if m.motion.id == parent), None),
        faction=faction,
        line=dict(motion.lines).get(faction) if faction is not None else None,
    )


# -- the ledger's head, for the live pages -----------------------------------------------------


def ledger_head(uow: UnitOfWork) -> int:
    """The number of the last event in the ledger (one row: cheap to ask often)."""
    with uow:
        return uow.ledger.head()[0]


def changed_organizations(uow: UnitOfWork, after: int) -> tuple[int, set[int | None]]:
    """The ledger's head, and the organizations of the events recorded after `after`."""
    with uow:
        head = uow.ledger.head()[0]
        if head <= after:
            return head, set()
        rows = uow.connection.execute(
            select(events.c.organization_id).where(events.c.seq > after).distinct()
        )
        return head, {row[0] for row in rows}
