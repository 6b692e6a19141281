"""The committee member's review of orders (services.committee) on SQLite and PostgreSQL:
what awaits whom, for which units, what was decided, and why someone may not decide."""

from __future__ import annotations

import pytest

from smolny.domain.errors import Forbidden
from smolny.domain.orders import Decision, Status
from smolny.domain.rights import Actor
from smolny.services import accounts, committee, orders
from smolny.store.uow import UnitOfWork
from tests.builders_committee_journey import Committees, build_committees


def actor(uow: UnitOfWork, login: str) -> Actor:
    account = accounts.account_by_login(uow, login)
    return Actor(
        account.organization_id, account.member_id, account.administrator, account_id=account.id
    )


@pytest.fixture
def world(uow: UnitOfWork) -> Committees:
    return build_committees(uow)


def test_the_signer_sees_what_awaits_the_committee_for_its_units_oldest_first(
    uow: UnitOfWork, world: Committees
) -> None:
    view = committee.review(uow, actor(uow, "signer"))
    assert view.member is not None
    assert view.member.name == "Regiment member 1"
    (body,) = view.bodies
    assert body.body.name == "Military Committee"
    assert body.may
    assert body.reason == (
        "Regiment member 1 sits on Military Committee, which holds countersignature power "
        "over 1st Regiment"
    )
    assert [u.name for u in body.power_over] == ["1st Regiment"]
    assert [i.order.title for i in body.awaiting] == ["March to the front", "Hand over the rifles"]
    assert view.awaiting == 2
    front = body.awaiting[0]
    # The committee's countersignature is needed for the 1st Regiment only; the 2nd needs
    # no one's, so the order is valid there already.
    assert [u.name for u in front.units] == ["1st Regiment"]
    assert {line.unit.name: line.status.status for line in front.lines} == {
        "1st Regiment": Status.AWAITING,
        "2nd Regiment": Status.VALID,
    }
    assert front.issuer.name == "Staff"
    assert front.issuer.outside
    assert front.order.text == "Both regiments entrain for the front on 10 March."
    assert front.may


def test_decided_orders_come_latest_first_with_their_outcome_in_words(
    uow: UnitOfWork, world: Committees
) -> None:
    (body,) = committee.review(uow, actor(uow, "signer")).bodies
    assert [(i.order.title, i.state) for i in body.decided] == [
        ("Parade on the square", "withdrawn"),
        ("Dig trenches", "refused"),
    ]
    parade, trenches = body.decided
    assert parade.outcome == ("withdrawn by Staff on 2026-03-06, before Military Committee decided")
    assert trenches.outcome == (
        "Military Committee refused it on 2026-03-05: the trenches would cut the supply road"
    )
    assert [line.status.status for line in trenches.lines] == [Status.REFUSED]


def test_a_countersignature_in_the_members_name_moves_the_order_to_decided(
    uow: UnitOfWork, world: Committees
) -> None:
    signer = actor(uow, "signer")
    made = orders.countersign_order(
        uow,
        order_id=world.orders["front"].id,
        council_id=world.military.id,
        actor=signer.ledger_name,
        acting=signer,
    )
    assert made.decision is Decision.COUNTERSIGNED
    assert made.unit_ids == (world.first.id,)
    (body,) = committee.review(uow, signer).bodies
    assert [i.order.title for i in body.awaiting] == ["Hand over the rifles"]
    front = body.decided[0]
    assert front.order.title == "March to the front"
    assert front.state == "countersigned"
    assert front.outcome.startswith("Military Committee countersigned it on ")
    assert {line.status.status for line in front.lines} == {Status.VALID}
    with uow:
        last = list(uow.ledger.stored())[-1]
    assert last.actor == f"account:{signer.account_id}"
    assert last.kind == "orders-order-countersigned"


def test_the_other_member_of_the_committee_sees_the_same_decision_made(
    uow: UnitOfWork, world: Committees
) -> None:
    signer = actor(uow, "signer")
    orders.refuse_order(
        uow,
        order_id=world.orders["rifles"].id,
        council_id=world.military.id,
        reason="the rifles stay with the regiment",
        actor=signer.ledger_name,
        acting=signer,
    )
    second = world.members["second"]
    other = Actor(world.organization.id, member_id=second.id, account_id=None)
    (body,) = committee.review(uow, other).bodies
    assert [i.order.title for i in body.awaiting] == ["March to the front"]
    assert body.decided[0].outcome.endswith(": the rifles stay with the regiment")


def test_a_committee_without_the_power_is_told_why_and_refused_by_the_service(
    uow: UnitOfWork, world: Committees
) -> None:
    member = actor(uow, "executive")
    (body,) = committee.review(uow, member).bodies
    assert body.body.name == "Executive"
    assert not body.may
    assert body.reason == (
        "Executive does not hold the power countersign: Regiment member 5 cannot countersign "
        "orders for it"
    )
    assert body.awaiting == ()
    assert body.decided == ()
    with pytest.raises(Forbidden, match="Executive does not hold the power countersign"):
        orders.countersign_order(
            uow,
            order_id=world.orders["front"].id,
            council_id=world.executive.id,
            actor=member.ledger_name,
            acting=member,
        )
    with pytest.raises(
        Forbidden,
        match="Regiment member 5 holds no mandate in Military Committee: Regiment member 5 "
        "cannot refuse orders for it",
    ):
        orders.refuse_order(
            uow,
            order_id=world.orders["front"].id,
            council_id=world.military.id,
            reason="no",
            actor=member.ledger_name,
            acting=member,
        )
    (body,) = committee.review(uow, actor(uow, "signer")).bodies
    assert len(body.awaiting) == 2  # nothing was recorded


def test_a_member_on_no_committee_and_the_administrator_are_told_why_there_is_nothing(
    uow: UnitOfWork, world: Committees
) -> None:
    plain = committee.review(uow, actor(uow, "plain"))
    assert plain.bodies == ()
    assert plain.note == (
        "Factory member 10 sits on no committee now: only the members of a committee with "
        "countersignature power review orders"
    )
    admin = committee.review(uow, actor(uow, "admin"))
    assert admin.member is None
    assert admin.bodies == ()
    assert admin.note.startswith("the administrator acts for no member")
    assert committee.reviewing_bodies(uow, world.members["plain"].id) == []
    assert [b.name for b in committee.reviewing_bodies(uow, world.members["signer"].id)] == [
        "Military Committee"
    ]
