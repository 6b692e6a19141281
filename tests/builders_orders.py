"""Petrograd in 1917, in miniature, built through the services as a replay would build it.

July: the Soviet (a workers' and a soldiers' section), its Executive Committee (which may
sanction factions), three factions, the Putilov Works and three regiments, each regiment a
unit that receives orders; the Provisional Government and the Military District Staff as
outside authorities. October (`october`): the Military Revolutionary Committee, and the
garrison conference of 18 October giving it countersignature power over the Volynsky and
Pavlovsky regiments, but not over the Don Cossacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from smolny.domain.elections import CandidateTally, ElectionMethod
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Faction,
    Member,
    Organization,
    Power,
)
from smolny.domain.orders import AuthorityKind, Order, OutsideAuthority, Unit, UnitKind
from smolny.domain.seat_rules import RatioRule
from smolny.services import elections, federation
from smolny.services import orders as services
from smolny.store.uow import UnitOfWork

ACTOR = "test"
GARRISON_CONFERENCE = "garrison conference, 18 October 1917"


def day(text: str, hour: int = 12) -> datetime:
    """A moment of 1917 (or any year): day("1917-10-18") is noon UTC that day."""
    return datetime.fromisoformat(text).replace(hour=hour, tzinfo=UTC)


REGIMENTS = ("Volynsky Regiment", "Pavlovsky Regiment", "1st Don Cossack Regiment")
# constituency -> the factions of its members, in order; two members per seat
PLACES = {
    "Putilov Works": ["Bolsheviks", "Bolsheviks", "Bolsheviks", "Mensheviks"],
    "Volynsky Regiment": ["Bolsheviks", "SRs"],
    "Pavlovsky Regiment": ["Bolsheviks", "Bolsheviks"],
    "1st Don Cossack Regiment": ["SRs", "Mensheviks"],
}


@dataclass
class Petrograd:
    organization: Organization
    soviet: Council
    executive: Council  # holds sanction-factions
    factions: dict[str, Faction]
    constituencies: dict[str, Constituency]
    members: dict[str, list[Member]]
    units: dict[str, Unit]
    government: OutsideAuthority
    staff: OutsideAuthority
    mrc: Council | None = None
    extra: dict[str, Council] = field(default_factory=dict)

    @property
    def volynsky(self) -> Unit:
        return self.units["Volynsky Regiment"]

    @property
    def pavlovsky(self) -> Unit:
        return self.units["Pavlovsky Regiment"]

    @property
    def cossacks(self) -> Unit:
        return self.units["1st Don Cossack Regiment"]

    @property
    def garrison(self) -> list[int]:
        return [u.id for u in self.units.values()]

    @property
    def committee(self) -> Council:
        assert self.mrc is not None, "call october() first"
        return self.mrc


def build_petrograd(uow: UnitOfWork) -> Petrograd:
    t = day("1917-07-01")
    org = federation.create_organization(
        uow, name="Petrograd Soviet of Workers' and Soldiers' Deputies", actor=ACTOR, at=t
    )
    factions = {
        name: federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=t
        )
        for name, color in (
            ("Bolsheviks", "#c0392b"),
            ("Mensheviks", "#2e86c1"),
            ("SRs", "#239b56"),
        )
    }
    soviet = federation.create_council(
        uow, organization_id=org.id, name="Petrograd Soviet", actor=ACTOR, at=t
    )
    sections = {
        name: federation.create_section(uow, council_id=soviet.id, name=name, actor=ACTOR, at=t)
        for name in ("Workers", "Soldiers")
    }
    constituencies = {
        name: federation.create_constituency(
            uow,
            council_id=soviet.id,
            name=name,
            kind=ConstituencyKind.UNIT if name in REGIMENTS else ConstituencyKind.WORKPLACE,
            section_id=sections["Soldiers" if name in REGIMENTS else "Workers"].id,
            actor=ACTOR,
            at=t,
        )
        for name in PLACES
    }
    members = {
        place: [
            federation.enroll_member(
                uow,
                organization_id=org.id,
                name=f"{place} member {i}",
                faction_id=factions[side].id,
                constituency_ids=[constituencies[place].id],
                actor=ACTOR,
                at=t,
            )
            for i, side in enumerate(sides, start=1)
        ]
        for place, sides in PLACES.items()
    }
    elections.apportion_seats(
        uow, council_id=soviet.id, rule=RatioRule(per=2), actor=ACTOR, at=day("1917-07-02")
    )
    for place, people in members.items():
        elections.elect_delegates(
            uow,
            constituency_id=constituencies[place].id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(m.id, len(people) - i) for i, m in enumerate(people)],
            actor=ACTOR,
            at=day("1917-07-03"),
        )
    executive = federation.create_council(
        uow,
        organization_id=org.id,
        name="Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=soviet.id,
        powers=(Power.SANCTION_FACTIONS,),
        actor=ACTOR,
        at=day("1917-07-04"),
    )
    t = day("1917-07-05")
    units = {
        name: services.create_unit(
            uow,
            organization_id=org.id,
            name=name,
            kind=UnitKind.REGIMENT,
            constituency_id=constituencies[name].id,
            actor=ACTOR,
            at=t,
        )
        for name in REGIMENTS
    }
    government = services.create_authority(
        uow,
        organization_id=org.id,
        name="Provisional Government",
        kind=AuthorityKind.GOVERNMENT,
        actor=ACTOR,
        at=t,
    )
    staff = services.create_authority(
        uow,
        organization_id=org.id,
        name="Petrograd Military District Staff",
        kind=AuthorityKind.MILITARY_COMMAND,
        actor=ACTOR,
        at=t,
    )
    return Petrograd(
        org, soviet, executive, factions, constituencies, members, units, government, staff
    )


def october(uow: UnitOfWork, p: Petrograd, *, grant: bool = True) -> Petrograd:
    """The Military Revolutionary Committee (12 October), which may issue orders; with
    `grant`, the garrison conference of 18 October gives it countersignature power over
    the Volynsky and Pavlovsky regiments."""
    p.mrc = federation.create_council(
        uow,
        organization_id=p.organization.id,
        name="Military Revolutionary Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=p.soviet.id,
        powers=(Power.ISSUE_ORDERS,),
        actor=ACTOR,
        at=day("1917-10-12"),
    )
    if grant:
        services.grant_countersignature(
            uow,
            council_id=p.mrc.id,
            unit_ids=[p.volynsky.id, p.pavlovsky.id],
            decision=GARRISON_CONFERENCE,
            actor=ACTOR,
            at=day("1917-10-18"),
        )
    return p


def october_orders(uow: UnitOfWork, p: Petrograd) -> dict[str, Order]:
    """Orders of 20–24 October: the Staff sends the Cossacks to patrol the bridges (withdrawn
    on the 25th), the Government sends the garrison to the front (refused by the committee
    on the 22nd), the committee countermands it, the Government orders the Volynsky
    regiment and the Cossacks to guard the Winter Palace."""
    bridges = services.issue_order(
        uow,
        authority_id=p.staff.id,
        unit_ids=[p.cossacks.id],
        title="Patrol the bridges",
        actor=ACTOR,
        at=day("1917-10-20"),
    )
    front = services.issue_order(
        uow,
        authority_id=p.government.id,
        unit_ids=p.garrison,
        title="Send the garrison regiments to the northern front",
        text="The regiments named are to entrain for the northern front.",
        actor=ACTOR,
        at=day("1917-10-21"),
    )
    services.refuse_order(
        uow,
        order_id=front.id,
        council_id=p.committee.id,
        reason="No order is valid without the Committee's countersignature",
        actor=ACTOR,
        at=day("1917-10-22"),
    )
    stay = services.issue_order(
        uow,
        council_id=p.committee.id,
        unit_ids=p.garrison,
        title="No regiment leaves the capital",
        countermands_id=front.id,
        actor=ACTOR,
        at=day("1917-10-22", 18),
    )
    palace = services.issue_order(
        uow,
        authority_id=p.government.id,
        unit_ids=[p.volynsky.id, p.cossacks.id],
        title="Guard the Winter Palace",
        actor=ACTOR,
        at=day("1917-10-24"),
    )
    services.withdraw_order(
        uow, order_id=bridges.id, reason="the bridges are taken", actor=ACTOR, at=day("1917-10-25")
    )
    return {"bridges": bridges, "front": front, "stay": stay, "palace": palace}
