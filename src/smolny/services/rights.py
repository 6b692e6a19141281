"""Rights at a moment: the facts about a person read in a few set-based queries, the
check a service makes before a person acts, and what a person can do now (for pages).

The rules are `smolny.domain.rights`; this module only reads what they need.

Services take an optional `acting: Actor`: None is the operator (the API's token, the
CLI, a scenario), who records what happened and is not checked; an Actor is a person
signed in, who may only do what their memberships, mandates and offices allow, for
themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from smolny.domain.congress import Signature
from smolny.domain.errors import Forbidden
from smolny.domain.federation import (
    Constituency,
    Council,
    Member,
    Membership,
    Organization,
    Power,
)
from smolny.domain.mandates import Mandate
from smolny.domain.orders import CountersignPower, Order
from smolny.domain.rights import (
    VERBS,
    Action,
    Actor,
    Decision,
    Facts,
    Target,
    decide,
)
from smolny.domain.sittings import Attendance, Sitting, SittingStatus, Vote, VoteMode
from smolny.domain.text import LongDay, Text, say
from smolny.store import orders as orders_store
from smolny.store import sittings as sittings_store
from smolny.store.congress import petitions_in, recall_petition_signatures
from smolny.store.tables import constituencies, mandates, memberships, sections
from smolny.store.uow import UnitOfWork

__all__ = [
    "Action",
    "Actor",
    "Right",
    "check",
    "check_for_member",
    "constituency_target",
    "council_target",
    "guard",
    "load_facts",
    "order_target",
    "organization_target",
    "require_self",
    "rights_of",
    "sitting_target",
]


# -- the facts -------------------------------------------------------------------------------


def load_facts(uow: UnitOfWork, actor: Actor, at: datetime) -> Facts:
    """What the record says about the actor: at most eight queries, however large the
    organization (the member's own rows, the organization's bodies and their sections)."""
    with uow:
        repo = uow.repo
        councils = {c.id: c for c in repo.councils(actor.organization_id)}
        member: Member | None = None
        joined: list[Membership] = []
        held: list[Mandate] = []
        if actor.member_id is not None:
            member = repo.get(Member, actor.member_id)
            joined = repo.where(Membership, memberships.c.member_id == member.id)
            held = repo.mandates_of_member(member.id)
        seats_in = sorted({m.council_id for m in held})
        places: list[Constituency] = []
        wanted = [m.constituency_id for m in joined]
        if wanted or seats_in:
            places = repo.where(
                Constituency,
                or_(
                    constituencies.c.id.in_(wanted),
                    constituencies.c.lower_council_id.in_(seats_in),
                ),
            )
        names: dict[int, str] = {}
        if councils:
            rows = repo.connection.execute(
                select(sections.c.id, sections.c.name).where(
                    sections.c.council_id.in_(sorted(councils))
                )
            )
            names = {int(sid): str(name) for sid, name in rows}
        powers: list[CountersignPower] = []
        if seats_in:
            powers = repo.where(
                CountersignPower, orders_store.countersign_powers.c.council_id.in_(seats_in)
            )
        units = {u.id: u.name for u in orders_store.units_of(repo, actor.organization_id)}
        return Facts(
            organization_id=actor.organization_id,
            member=member,
            administrator=actor.administrator,
            memberships=tuple(joined),
            mandates=tuple(held),
            councils=councils,
            constituencies={c.id: c for c in places},
            section_names=names,
            countersign_powers=tuple(powers),
            unit_names=units,
        )


# -- targets ---------------------------------------------------------------------------------


def constituency_target(uow: UnitOfWork, constituency_id: int) -> Target:
    with uow:
        constituency = uow.repo.get(Constituency, constituency_id)
        council = uow.repo.get(Council, constituency.council_id)
    return Target(council.organization_id, constituency.name, constituency=constituency)


def council_target(uow: UnitOfWork, council_id: int) -> Target:
    with uow:
        council = uow.repo.get(Council, council_id)
    return Target(council.organization_id, council.name, council=council)


def sitting_target(uow: UnitOfWork, sitting: Sitting | int) -> Target:
    """A sitting: its council, and its sections when it is a sitting of some only."""
    with uow:
        if isinstance(sitting, int):
            sitting = uow.repo.get(Sitting, sitting)
        council = uow.repo.get(Council, sitting.council_id)
    return _sitting_target(council, sitting)


def _sitting_target(council: Council, sitting: Sitting) -> Target:
    return Target(
        council.organization_id,
        say("the %(council)s sitting of %(day)s", council=council.name, day=LongDay(sitting.day)),
        council=council,
        section_ids=sitting.section_ids,
    )


def order_target(uow: UnitOfWork, order: Order | int, council_id: int) -> Target:
    """A body asked to decide on an order: the units where the order needs its
    countersignature (all the order's units if none), judged when the order was issued."""
    with uow:
        if isinstance(order, int):
            order = uow.repo.get(Order, order)
        body = uow.repo.get(Council, council_id)
        addressees = orders_store.addressees_of(uow.repo, [order.id])
    covered = tuple(a.unit_id for a in addressees if council_id in a.countersigners)
    return Target(
        order.organization_id,
        say("order %(id)s (%(title)s)", id=str(order.id), title=order.title),
        council=body,
        unit_ids=covered or tuple(a.unit_id for a in addressees),
        as_of=order.issued_at,
    )


def organization_target(uow: UnitOfWork, organization_id: int) -> Target:
    with uow:
        organization = uow.repo.get(Organization, organization_id)
    return Target(organization.id, organization.name)


# -- the check -------------------------------------------------------------------------------


def check(uow: UnitOfWork, actor: Actor, action: Action, target: Target, at: datetime) -> Decision:
    """Allowed, or Forbidden with the reason the rules give."""
    decision = decide(load_facts(uow, actor, at), action, target, at)
    if not decision.allowed:
        raise Forbidden(decision.text)
    return decision


def check_for_member(
    uow: UnitOfWork,
    actor: Actor,
    action: Action,
    target: Target,
    at: datetime,
    member_ids: Iterable[int | None],
) -> Decision:
    """`check`, for an action done in the name of members: a person acts only for
    themselves (an administrator, for no one)."""
    require_self(uow, actor, VERBS[action], member_ids)
    return check(uow, actor, action, target, at)


def require_self(
    uow: UnitOfWork, actor: Actor, doing: Text, member_ids: Iterable[int | None]
) -> None:
    """Forbidden when a person would act in another member's name ("check in", "vote")."""
    named = {m for m in member_ids if m is not None}
    others = named - {actor.member_id} if actor.member_id is not None else named
    if not others:
        return
    with uow:
        names = ", ".join(sorted(m.name for m in uow.repo.members_by_id(others).values()))
        me = uow.repo.get(Member, actor.member_id).name if actor.member_id is not None else None
    if me is None:
        raise Forbidden(
            say(
                "an administrator cannot %(doing)s for %(names)s: an administrator sets up the "
                "organization's structure but acts for no one",
                doing=doing,
                names=names,
            )
        )
    raise Forbidden(
        say(
            "%(me)s cannot %(doing)s for %(names)s: each person acts for themselves",
            me=me,
            doing=doing,
            names=names,
        )
    )


def guard(
    uow: UnitOfWork,
    acting: Actor | None,
    action: Action,
    target: Callable[[], Target],
    at: datetime | None,
    member_ids: Iterable[int | None] = (),
    *,
    for_others: Text | None = None,
) -> None:
    """The check a service makes at its entry: nothing for the operator (`acting` None:
    the API's token, the CLI, a scenario recording what happened); for a person, Forbidden
    unless the rules let them do `action` on the target, at the moment the service will
    record, in their own name. `for_others` says what the call would do for others than
    the person ("check in whole factions"), refused when given."""
    if acting is None:
        return
    if for_others is not None:
        with uow:
            who: str | Text = (
                uow.repo.get(Member, acting.member_id).name
                if acting.member_id is not None
                else say("an administrator")
            )
        raise Forbidden(
            say(
                "%(who)s cannot %(doing)s: each person acts for themselves",
                who=who,
                doing=for_others,
            )
        )
    made = target()
    moment = uow.moment(at, made.organization_id)
    check_for_member(uow, acting, action, made, moment, member_ids)


# -- what a person can do now ----------------------------------------------------------------


@dataclass(frozen=True)
class Right:
    """One thing the person can do, in words, with the ids a page links to."""

    action: Action
    text: str  # "vote in Mill's elections and by-elections"
    reason: str  # why: "Ana Berg is a member of Mill"
    constituency_id: int | None = None
    council_id: int | None = None
    sitting_id: int | None = None
    vote_id: int | None = None
    petition_id: int | None = None
    order_id: int | None = None


@dataclass(frozen=True)
class _Candidate:
    action: Action
    target: Target
    text: str
    ids: dict[str, int]


def rights_of(uow: UnitOfWork, actor: Actor, at: datetime | None = None) -> list[Right]:
    """What the actor can do at `at` (now by default): their constituencies' elections and
    recall petitions, the sittings and votes of their councils, the sittings their offices
    run, the orders awaiting their committees' decision, the organization's setup. Each is
    decided by the same rules as the check, so a page never offers what would be refused."""
    with uow:
        moment = at or uow.now()
        facts = load_facts(uow, actor, moment)
        candidates: list[_Candidate] = []
        candidates += _administration(uow, actor)
        if facts.member is not None:
            candidates += _as_member(uow, facts, moment)
            candidates += _in_sittings(uow, facts, moment)
            candidates += _orders(uow, facts, moment)
        rights = []
        for c in candidates:
            decision = decide(facts, c.action, c.target, moment)
            if decision.allowed:
                rights.append(Right(c.action, c.text, decision.reason, **c.ids))
    return rights


def _administration(uow: UnitOfWork, actor: Actor) -> list[_Candidate]:
    if not actor.administrator:
        return []
    target = organization_target(uow, actor.organization_id)
    texts = {
        Action.CREATE_COUNCIL: f"create councils, committees and offices in {target.name}",
        Action.IMPORT_MEMBERS: f"import members into {target.name}",
        Action.APPORTION_SEATS: f"apportion the seats of {target.name}'s councils",
    }
    return [_Candidate(action, target, words, {}) for action, words in texts.items()]


def _as_member(uow: UnitOfWork, facts: Facts, at: datetime) -> list[_Candidate]:
    found: list[_Candidate] = []
    places = sorted(facts.constituencies.values(), key=lambda c: c.name)
    for c in places:
        target = Target(facts.organization_id, c.name, constituency=c)
        ids = {"constituency_id": c.id}
        found.append(
            _Candidate(
                Action.VOTE_IN_ELECTION,
                target,
                f"vote in {c.name}'s elections and by-elections",
                ids,
            )
        )
        found.append(
            _Candidate(
                Action.SIGN_RECALL_PETITION,
                target,
                f"open a petition to recall a delegate of {c.name}",
                ids,
            )
        )
    petitions = [
        p
        for p in petitions_in(uow.repo, [c.id for c in places])
        if p.opened_at <= at and (p.voted_at is None or p.voted_at > at)
    ]
    signed = _signed(uow, facts, [p.id for p in petitions])
    holders = _holders(uow, [p.mandate_id for p in petitions])
    for p in petitions:
        c = facts.constituencies[p.constituency_id]
        target = Target(facts.organization_id, c.name, constituency=c)
        ids = {"constituency_id": c.id, "petition_id": p.id}
        if p.reached_at is not None and p.reached_at <= at:
            found.append(
                _Candidate(
                    Action.VOTE_IN_RECALL,
                    target,
                    f"vote in the recall of {holders[p.mandate_id]} ({c.name})",
                    ids,
                )
            )
        elif p.id not in signed:
            found.append(
                _Candidate(
                    Action.SIGN_RECALL_PETITION,
                    target,
                    f"sign the petition to recall {holders[p.mandate_id]} ({c.name})",
                    ids,
                )
            )
    return found


def _signed(uow: UnitOfWork, facts: Facts, petition_ids: Sequence[int]) -> set[int]:
    if not petition_ids or facts.member is None:
        return set()
    return {
        s.petition_id
        for s in uow.repo.where(
            Signature,
            recall_petition_signatures.c.member_id == facts.member.id,
            recall_petition_signatures.c.petition_id.in_(sorted(petition_ids)),
        )
    }


def _holders(uow: UnitOfWork, mandate_ids: Sequence[int]) -> dict[int, str]:
    if not mandate_ids:
        return {}
    held = uow.repo.where(Mandate, mandates.c.id.in_(sorted(set(mandate_ids))))
    names = {m.id: m.name for m in uow.repo.members_by_id([m.member_id for m in held]).values()}
    return {m.id: names[m.member_id] for m in held}


def _in_sittings(uow: UnitOfWork, facts: Facts, at: datetime) -> list[_Candidate]:
    """The sittings not closed of the councils where the person holds a seat or an office
    that runs them: check in, speak, table, vote; open, run and close them."""
    seats = {m.council_id for m in facts.mandates_at(at)}
    runs = {body.parent_id for body, _ in facts.offices_at(at) if body.parent_id is not None}
    councils = sorted(seats | runs)
    if not councils:
        return []
    found: list[_Candidate] = []
    for council_id in sorted(runs):
        council = facts.councils[council_id]
        target = Target(facts.organization_id, council.name, council=council)
        ids = {"council_id": council_id}
        for action, words in (
            (Action.CONVENE_SITTING, f"convene a sitting of {council.name}"),
            (Action.PRODUCE_MINUTES, f"produce the minutes of {council.name}'s sittings"),
            (Action.PUBLISH_RESULTS, f"publish the results of {council.name}'s votes"),
        ):
            found.append(_Candidate(action, target, words, ids))
    sittings = [
        s
        for s in uow.repo.where(Sitting, sittings_store.sittings.c.council_id.in_(councils))
        if s.convened_at <= at and s.status_at(at) is not SittingStatus.CLOSED
    ]
    present = _present_in(uow, facts, [s.id for s in sittings], at)
    votes = _open_votes(uow, [s.id for s in sittings], at)
    voted = _voted_in(uow, facts, [v.id for v in votes])
    for sitting in sorted(sittings, key=lambda s: (s.day, s.id)):
        council = facts.councils[sitting.council_id]
        target = _sitting_target(council, sitting)
        ids = {"council_id": council.id, "sitting_id": sitting.id}
        is_open = sitting.status_at(at) is SittingStatus.OPEN
        if sitting.council_id in seats:
            if sitting.id in present:
                if is_open:
                    found.append(
                        _Candidate(
                            Action.ASK_TO_SPEAK, target, f"ask to speak in {target.name}", ids
                        )
                    )
                    found.append(
                        _Candidate(
                            Action.TABLE_MOTION, target, f"table a motion in {target.name}", ids
                        )
                    )
            else:
                found.append(_Candidate(Action.CHECK_IN, target, f"check in to {target.name}", ids))
        if sitting.council_id in runs:
            if is_open:
                for action, words in (
                    (Action.TAKE_UP_ITEM, f"run the agenda of {target.name}"),
                    (Action.GIVE_FLOOR, f"give the floor in {target.name}"),
                    (Action.CLOSE_SITTING, f"close {target.name}"),
                ):
                    found.append(_Candidate(action, target, words, ids))
                if not any(v.sitting_id == sitting.id for v in votes):
                    found.append(
                        _Candidate(Action.OPEN_VOTE, target, f"open a vote in {target.name}", ids)
                    )
            else:
                found.append(_Candidate(Action.OPEN_SITTING, target, f"open {target.name}", ids))
        for vote in (v for v in votes if v.sitting_id == sitting.id):
            vote_ids = {**ids, "vote_id": vote.id}
            mode = "secret vote" if vote.mode is VoteMode.SECRET else "roll-call vote"
            if sitting.council_id in seats and sitting.id in present and vote.id not in voted:
                found.append(
                    _Candidate(
                        Action.VOTE_ON_MOTION,
                        target,
                        f"vote in the {mode} {vote.id} in {target.name}",
                        vote_ids,
                    )
                )
            if sitting.council_id in runs:
                found.append(
                    _Candidate(
                        Action.CLOSE_VOTE,
                        target,
                        f"close the {mode} {vote.id} in {target.name}",
                        vote_ids,
                    )
                )
    return found


def _present_in(
    uow: UnitOfWork, facts: Facts, sitting_ids: Sequence[int], at: datetime
) -> set[int]:
    if not sitting_ids or facts.member is None:
        return set()
    table = sittings_store.sitting_attendance
    stays = uow.repo.where(
        Attendance,
        table.c.member_id == facts.member.id,
        table.c.sitting_id.in_(sorted(sitting_ids)),
    )
    held = {m.id for m in facts.mandates_at(at)}
    return {a.sitting_id for a in stays if a.here_at(at) and a.mandate_id in held}


def _open_votes(uow: UnitOfWork, sitting_ids: Sequence[int], at: datetime) -> list[Vote]:
    if not sitting_ids:
        return []
    table = sittings_store.sitting_votes
    return [
        v
        for v in uow.repo.where(Vote, table.c.sitting_id.in_(sorted(sitting_ids)))
        if v.opened_at <= at and (v.closed_at is None or v.closed_at > at)
    ]


def _voted_in(uow: UnitOfWork, facts: Facts, vote_ids: Sequence[int]) -> set[int]:
    if facts.member is None:
        return set()
    member_id = facts.member.id
    return {
        v.vote_id for v in sittings_store.voters_of(uow.repo, vote_ids) if v.member_id == member_id
    }


def _orders(uow: UnitOfWork, facts: Facts, at: datetime) -> list[_Candidate]:
    """Orders awaiting the decision of a body the person sits on."""
    held = (facts.councils.get(m.council_id) for m in facts.mandates_at(at))
    bodies = {b.id: b for b in held if b is not None and Power.COUNTERSIGN in b.powers}
    if not bodies:
        return []
    issued = [
        o
        for o in orders_store.orders_of(uow.repo, facts.organization_id)
        if o.issued_at <= at and not o.withdrawn_by(at)
    ]
    addressees = orders_store.addressees_of(uow.repo, [o.id for o in issued])
    decided = {
        (d.order_id, d.council_id)
        for d in orders_store.decisions_on(uow.repo, [o.id for o in issued])
        if d.decided_at <= at
    }
    found: list[_Candidate] = []
    for order in issued:
        for body_id, body in bodies.items():
            covered = tuple(
                a.unit_id
                for a in addressees
                if a.order_id == order.id and body_id in a.countersigners
            )
            if not covered or (order.id, body_id) in decided:
                continue
            target = Target(
                facts.organization_id,
                f"order {order.id} ({order.title})",
                council=body,
                unit_ids=covered,
                as_of=order.issued_at,
            )
            ids = {"council_id": body_id, "order_id": order.id}
            what = f"order {order.id} ({order.title}) for {body.name}"
            found.append(_Candidate(Action.COUNTERSIGN_ORDER, target, f"countersign {what}", ids))
            found.append(_Candidate(Action.REFUSE_ORDER, target, f"refuse {what}", ids))
    return found
