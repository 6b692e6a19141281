"""A city whose committees review orders, with accounts for the people who do.

The test city (tests/builders.py) after its February elections, and:

* the Military Committee (Regiment members 1 and 3), given countersignature power over
  the 1st Regiment by the garrison conference of 20 February, but not over the 2nd;
* the Executive (Regiment member 5), a committee without that power;
* the Staff, an outside authority, and its orders: "March to the front" to both
  regiments (the committee's countersignature needed for the 1st only), "Hand over the
  rifles" to the 1st, "Parade on the square" to the 1st (withdrawn before a decision),
  and "Dig trenches" to the 1st, refused by the committee on 5 March;
* accounts with passwords: the signer (Regiment member 1), the executive member
  (Regiment member 5), a member on no committee (Factory member 10) and an
  administrator; and Other Union, an organization of its own with one member's account.
"""

from __future__ import annotations

from dataclasses import dataclass

from smolny.domain.elections import ElectionMethod, ListTally
from smolny.domain.federation import Council, CouncilKind, Member, Organization, Power
from smolny.domain.orders import Order, Unit
from smolny.services import accounts, elections, federation, orders
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR, City, build_city, elect_city
from tests.conftest import at

PASSWORD = "a long enough passphrase"


@dataclass
class Committees:
    city: City
    military: Council
    executive: Council
    first: Unit
    second: Unit
    orders: dict[str, Order]
    members: dict[str, Member]  # signer, second, executive, plain
    logins: dict[str, str]  # role -> login (signer, executive, plain, admin, outsider)
    other: Organization

    @property
    def organization(self) -> Organization:
        return self.city.organization


def elect_body(
    uow: UnitOfWork,
    city: City,
    name: str,
    powers: list[Power],
    who: list[Member],
    day: str,
) -> Council:
    """A committee of the City Council, created in the morning and elected at noon."""
    body = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name=name,
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        powers=powers,
        actor=ACTOR,
        at=at(day, 10),
    )
    lists = [ListTally(m.faction_id, (m.id,), 3 - i) for i, m in enumerate(who) if m.faction_id]
    elections.elect_committee(
        uow,
        committee_id=body.id,
        seats=len(who),
        lists=lists,
        method=ElectionMethod.DHONDT,
        actor=ACTOR,
        at=at(day),
    )
    with uow:
        return uow.repo.get(Council, body.id)


def account_for(uow: UnitOfWork, member: Member, login: str) -> str:
    token = accounts.issue_invitation(uow, member_id=member.id)
    accounts.accept_invitation(uow, token=token, password=PASSWORD, login=login)
    return login


def build_committees(uow: UnitOfWork) -> Committees:
    city = build_city(uow)
    elect_city(uow, city)
    regiment = city.members["Regiment"]
    members = {
        "signer": regiment[0],
        "second": regiment[2],
        "executive": regiment[4],
        "plain": city.members["Factory"][9],
    }
    military = elect_body(
        uow, city, "Military Committee", [], [members["signer"], members["second"]], "2026-02-12"
    )
    executive = elect_body(
        uow, city, "Executive", [Power.ACT_BETWEEN_SITTINGS], [members["executive"]], "2026-02-13"
    )
    oid = city.organization.id
    first, second = (
        orders.create_unit(uow, organization_id=oid, name=name, actor=ACTOR, at=at("2026-02-20", 9))
        for name in ("1st Regiment", "2nd Regiment")
    )
    orders.grant_countersignature(
        uow,
        council_id=military.id,
        unit_ids=[first.id],
        decision="garrison conference, 20 February",
        actor=ACTOR,
        at=at("2026-02-20"),
    )
    staff = orders.create_authority(
        uow, organization_id=oid, name="Staff", actor=ACTOR, at=at("2026-02-25")
    )

    def issue(title: str, units: list[Unit], day: str, text: str = "") -> Order:
        return orders.issue_order(
            uow,
            authority_id=staff.id,
            unit_ids=[u.id for u in units],
            title=title,
            text=text,
            actor=ACTOR,
            at=at(day),
        )

    made = {
        "trenches": issue("Dig trenches", [first], "2026-03-01"),
        "front": issue(
            "March to the front",
            [first, second],
            "2026-03-02",
            "Both regiments entrain for the front on 10 March.",
        ),
        "rifles": issue("Hand over the rifles", [first], "2026-03-03"),
        "parade": issue("Parade on the square", [first], "2026-03-04"),
    }
    orders.refuse_order(
        uow,
        order_id=made["trenches"].id,
        council_id=military.id,
        reason="the trenches would cut the supply road",
        actor=ACTOR,
        at=at("2026-03-05"),
    )
    orders.withdraw_order(
        uow, order_id=made["parade"].id, reason="rain", actor=ACTOR, at=at("2026-03-06")
    )
    logins = {
        "signer": account_for(uow, members["signer"], "signer"),
        "executive": account_for(uow, members["executive"], "executive"),
        "plain": account_for(uow, members["plain"], "plain"),
    }
    _, token = accounts.create_administrator(uow, organization_id=oid, login="admin")
    accounts.accept_invitation(uow, token=token, password=PASSWORD)
    logins["admin"] = "admin"
    other = federation.create_organization(
        uow, name="Other Union", actor=ACTOR, at=at("2026-03-11")
    )
    outsider = federation.enroll_member(
        uow, organization_id=other.id, name="Outsider", actor=ACTOR, at=at("2026-03-11")
    )
    logins["outsider"] = account_for(uow, outsider, "outsider")
    with uow:
        made = {k: uow.repo.get(Order, o.id) for k, o in made.items()}
        military = uow.repo.get(Council, military.id)
    return Committees(city, military, executive, first, second, made, members, logins, other)
