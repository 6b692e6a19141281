"""A small federation built through the services, as a user would build it."""

from __future__ import annotations

from dataclasses import dataclass, field

from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally
from smolny.domain.federation import Constituency, Council, Faction, Member, Organization, Section
from smolny.domain.seat_rules import RatioRule
from smolny.services import elections, federation
from smolny.store.uow import UnitOfWork
from tests.conftest import at

ACTOR = "test"


@dataclass
class City:
    """A city council with a workers' and a soldiers' section: a factory of 10 members
    (6 Left, 2 Centre, 1 Right, 1 non-party) and a regiment of 6 (2 of each faction)."""

    organization: Organization
    council: Council
    factions: dict[str, Faction]
    sections: dict[str, Section]
    factory: Constituency
    regiment: Constituency
    members: dict[str, list[Member]] = field(default_factory=dict)

    def of(self, place: str, faction: str | None) -> list[Member]:
        fid = self.factions[faction].id if faction else None
        return [m for m in self.members[place] if m.faction_id == fid]


def build_city(uow: UnitOfWork) -> City:
    t = at("2026-01-05")
    org = federation.create_organization(uow, name="Test Union", actor=ACTOR, at=t)
    factions = {
        name: federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=t
        )
        for name, color in (("Left", "#aa0000"), ("Centre", "#00aa00"), ("Right", "#0000aa"))
    }
    council = federation.create_council(
        uow, organization_id=org.id, name="City Council", actor=ACTOR, at=t
    )
    sections = {
        name: federation.create_section(uow, council_id=council.id, name=name, actor=ACTOR, at=t)
        for name in ("Workers", "Soldiers")
    }
    factory = federation.create_constituency(
        uow,
        council_id=council.id,
        name="Factory",
        section_id=sections["Workers"].id,
        actor=ACTOR,
        at=t,
    )
    regiment = federation.create_constituency(
        uow,
        council_id=council.id,
        name="Regiment",
        section_id=sections["Soldiers"].id,
        actor=ACTOR,
        at=t,
    )
    city = City(org, council, factions, sections, factory, regiment)
    plan = {
        "Factory": (factory, ["Left"] * 6 + ["Centre"] * 2 + ["Right"] + [None]),
        "Regiment": (regiment, ["Left", "Left", "Centre", "Centre", "Right", "Right"]),
    }
    for place, (constituency, sides) in plan.items():
        city.members[place] = [
            federation.enroll_member(
                uow,
                organization_id=org.id,
                name=f"{place} member {i}",
                faction_id=factions[side].id if side else None,
                constituency_ids=[constituency.id],
                actor=ACTOR,
                at=t,
            )
            for i, side in enumerate(sides, start=1)
        ]
    # One delegate per two members: Factory 5 seats, Regiment 3.
    elections.apportion_seats(
        uow, council_id=council.id, rule=RatioRule(per=2), actor=ACTOR, at=at("2026-01-10")
    )
    return city


def elect_city(uow: UnitOfWork, city: City) -> None:
    """February elections: the factory by D'Hondt lists (Left 6, Centre 2, Right 1 votes:
    quotients 6, 3, 2, 2, 1.5 -> Left 4, Centre 1), the regiment by plurality."""
    lists = [
        ListTally(city.factions[name].id, tuple(m.id for m in city.of("Factory", name)), votes)
        for name, votes in (("Left", 6), ("Centre", 2), ("Right", 1))
    ]
    elections.elect_delegates(
        uow,
        constituency_id=city.factory.id,
        method=ElectionMethod.DHONDT,
        lists=lists,
        actor=ACTOR,
        at=at("2026-02-01"),
    )
    regiment = city.members["Regiment"]
    elections.elect_delegates(
        uow,
        constituency_id=city.regiment.id,
        method=ElectionMethod.PLURALITY,
        candidates=[
            CandidateTally(m.id, v) for m, v in zip(regiment, (4, 1, 5, 0, 3, 2), strict=True)
        ],
        actor=ACTOR,
        at=at("2026-02-02"),
    )
