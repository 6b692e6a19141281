"""A committee member's review of orders: the orders awaiting the decision of the bodies
they sit on, for the units each body holds countersignature power over, and the orders
those bodies have decided.

Whether the member may decide is the rights rule (smolny.domain.rights), asked for each
order as the check in services.orders will ask it: the page never offers a button the
service would refuse, and says why when it offers none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smolny.domain.federation import Council, CouncilKind, Member, Organization, Power
from smolny.domain.orders import (
    STATUS_TEXT,
    Countersignature,
    Decision,
    Order,
    Unit,
    UnitStatus,
    statuses,
)
from smolny.domain.rights import Action, Actor, Facts, Target, decide
from smolny.domain.text import Text, say
from smolny.services.orders import Issuer
from smolny.services.rights import load_facts
from smolny.store import orders as store
from smolny.store.uow import UnitOfWork

__all__ = ["BodyReview", "Item", "Review", "UnitLine", "review", "reviewing_bodies"]


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    status: UnitStatus

    @property
    def say(self) -> str:
        return STATUS_TEXT[self.status.status]


@dataclass(frozen=True)
class Item:
    """An order as one body sees it: the units where its countersignature is required,
    the order's status for every unit it addresses, and the body's decision if made."""

    order: Order
    issuer: Issuer
    body: Council
    units: tuple[Unit, ...]  # where this body's countersignature is required
    lines: tuple[UnitLine, ...]  # the order's status for each unit it addresses, now
    decision: Countersignature | None
    may: bool  # the member may decide on it for the body now
    why: Text  # why (or why not), from the rights rule

    @property
    def reason(self) -> str:
        return str(self.why)

    @property
    def own(self) -> bool:
        """Issued by the body itself: counts as countersigned by it."""
        return self.order.issuer_council_id == self.body.id

    @property
    def awaiting(self) -> bool:
        return self.decision is None and self.order.withdrawn_at is None and not self.own

    @property
    def outcome(self) -> str:
        """What became of it for the body, in words (for the decided list)."""
        d = self.decision
        if d is not None:
            day = d.decided_at.date().isoformat()
            if d.decision is Decision.COUNTERSIGNED:
                return f"{self.body.name} countersigned it on {day}"
            return f"{self.body.name} refused it on {day}: {d.reason}"
        if self.own:
            return f"issued by {self.body.name} itself: counts as countersigned by it"
        assert self.order.withdrawn_at is not None
        return (
            f"withdrawn by {self.issuer.name} on {self.order.withdrawn_at.date().isoformat()}, "
            f"before {self.body.name} decided"
        )

    @property
    def state(self) -> str:
        """A word for the outcome's badge (and its CSS class)."""
        if self.decision is not None:
            return self.decision.decision.value
        return "own" if self.own else "withdrawn"


@dataclass(frozen=True)
class BodyReview:
    body: Council
    may: bool  # the member may decide for the body (it holds the power, they sit on it)
    why: Text
    power_over: tuple[Unit, ...]  # the units it holds countersignature power over now
    awaiting: tuple[Item, ...]  # oldest first
    decided: tuple[Item, ...]  # latest first

    @property
    def reason(self) -> str:
        return str(self.why)


@dataclass(frozen=True)
class Review:
    organization: Organization
    member: Member | None
    at: datetime
    bodies: tuple[BodyReview, ...]
    note: str  # when there is no body to review for: why, in words

    @property
    def awaiting(self) -> int:
        return sum(len(b.awaiting) for b in self.bodies if b.may)


def _reviews(body: Council) -> bool:
    """A body whose members come to this page: one holding the power to countersign, or
    a committee (whose members are told why it countersigns nothing)."""
    return Power.COUNTERSIGN in body.powers or body.kind is CouncilKind.COMMITTEE


def reviewing_bodies(uow: UnitOfWork, member_id: int, at: datetime | None = None) -> list[Council]:
    """The bodies the member sits on now that review orders (for the navigation)."""
    with uow:
        moment = uow.now() if at is None else at
        held = {m.council_id for m in uow.repo.mandates_of_member(member_id) if m.active_at(moment)}
        bodies = [uow.repo.get(Council, cid) for cid in sorted(held)]
    return [b for b in bodies if _reviews(b)]


def review(uow: UnitOfWork, actor: Actor, at: datetime | None = None) -> Review:
    """The orders awaiting the decision of each body the actor sits on now, and those it
    has decided, with whether the actor may decide and why."""
    with uow:
        repo = uow.repo
        moment = uow.now() if at is None else at
        organization = repo.get(Organization, actor.organization_id)
        facts = load_facts(uow, actor, moment)
        if facts.member is None:
            who = "the administrator" if actor.administrator else "this account"
            note = (
                f"{who} acts for no member: only the members of a committee with "
                "countersignature power review its orders"
            )
            return Review(organization, None, moment, (), note)
        bodies = [
            facts.councils[m.council_id]
            for m in facts.mandates_at(moment)
            if m.council_id in facts.councils and _reviews(facts.councils[m.council_id])
        ]
        bodies = sorted({b.id: b for b in bodies}.values(), key=lambda b: b.name)
        if not bodies:
            note = (
                f"{facts.member.name} sits on no committee now: only the members of a "
                "committee with countersignature power review orders"
            )
            return Review(organization, facts.member, moment, (), note)
        issued = sorted(
            (o for o in store.orders_of(repo, organization.id) if o.issued_at <= moment),
            key=lambda o: (o.issued_at, o.id),
        )
        addressees = store.addressees_of(repo, [o.id for o in issued])
        decisions = [
            d for d in store.decisions_on(repo, [o.id for o in issued]) if d.decided_at <= moment
        ]
        found = statuses(issued, addressees, decisions, moment)
        units = {u.id: u for u in store.units_of(repo, organization.id)}
        councils = dict(facts.councils)
        authorities = {a.id: a for a in store.authorities_of(repo, organization.id)}

        def issuer(order: Order) -> Issuer:
            if order.issuer_council_id is not None:
                c = councils[order.issuer_council_id]
                return Issuer(order.issuer, c.name, c.kind.value, False)
            assert order.issuer_authority_id is not None
            a = authorities[order.issuer_authority_id]
            return Issuer(order.issuer, a.name, a.kind.value, True)

        reviews = []
        for body in bodies:
            items = []
            for order in issued:
                mine = [a for a in addressees if a.order_id == order.id]
                covered = tuple(a.unit_id for a in mine if body.id in a.countersigners)
                if not covered:
                    continue
                decision = next(
                    (d for d in decisions if d.order_id == order.id and d.council_id == body.id),
                    None,
                )
                target = Target(
                    organization.id,
                    f"order {order.id} ({order.title})",
                    council=body,
                    unit_ids=covered,
                    as_of=order.issued_at,
                )
                allowed = decide(facts, Action.COUNTERSIGN_ORDER, target, moment)
                items.append(
                    Item(
                        order=order,
                        issuer=issuer(order),
                        body=body,
                        units=tuple(units[u] for u in covered),
                        lines=tuple(
                            UnitLine(units[a.unit_id], found[(order.id, a.unit_id)]) for a in mine
                        ),
                        decision=decision,
                        may=allowed.allowed,
                        why=allowed.text,
                    )
                )
            reviews.append(_body_review(facts, body, items, units, moment))
        return Review(organization, facts.member, moment, tuple(reviews), "")


def _body_review(
    facts: Facts, body: Council, items: list[Item], units: dict[int, Unit], at: datetime
) -> BodyReview:
    over = sorted(facts.countersigns_over(body.id, at))
    power_over = tuple(units[u] for u in over if u in units)
    target = Target(facts.organization_id, body.name, council=body, unit_ids=tuple(over), as_of=at)
    if Power.COUNTERSIGN not in body.powers:
        allowed = decide(facts, Action.COUNTERSIGN_ORDER, target, at)
        may, why = False, allowed.text
    elif not over:
        may = any(i.may for i in items)
        why = say(
            "%(body)s holds countersignature power over no unit now: it decides only on "
            "the orders issued while it held that power",
            body=body.name,
        )
    else:
        allowed = decide(facts, Action.COUNTERSIGN_ORDER, target, at)
        may, why = allowed.allowed, allowed.text
    awaiting = tuple(i for i in items if i.awaiting)
    decided = sorted(
        (i for i in items if not i.awaiting),
        key=lambda i: (
            i.decision.decided_at if i.decision else (i.order.withdrawn_at or i.order.issued_at),
            i.order.id,
        ),
        reverse=True,
    )
    return BodyReview(body, may, why, power_over, awaiting, tuple(decided))
