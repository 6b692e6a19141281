"""A sitting of the test city's council, built through the services.

The city (tests/builders.py) has eight delegates after its February elections: in the
Workers section the Factory's Left 4 (members 1-4) and Centre 1 (member 7); in the
Soldiers section the Regiment's Left (member 1), Centre (member 3) and Right (member 5).
With the default quorum (more than half of the seated) five of eight make a quorum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from smolny.domain.elections import ElectionMethod, ListTally
from smolny.domain.federation import Council, Member
from smolny.domain.mandates import Mandate
from smolny.domain.seat_rules import RatioRule
from smolny.domain.sittings import Sitting
from smolny.services import elections, federation, sittings
from smolny.services.composition import council_composition
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR, City, build_city, elect_city

DAY = date(2026, 5, 12)


def t(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """A moment of the sitting's day, UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@dataclass
class Chamber:
    """The city, its delegates by name, and a sitting convened at 17:00 and opened at 17:45
    (none checked in yet)."""

    city: City
    sitting: Sitting
    delegates: dict[str, Member]
    mandates: dict[str, Mandate]

    def ids(self, *names: str) -> list[int]:
        return [self.delegates[n].id for n in names]

    def id(self, name: str) -> int:
        return self.delegates[name].id

    def faction(self, name: str) -> int:
        return self.city.factions[name].id


WORKERS = ["Factory member 1", "Factory member 2", "Factory member 3", "Factory member 4"]
CENTRE = ["Factory member 7", "Regiment member 3"]
SOLDIERS = ["Regiment member 1", "Regiment member 3", "Regiment member 5"]
EVERYONE = [*WORKERS, "Factory member 7", *SOLDIERS]


def build_chamber(
    uow: UnitOfWork, *, section_names: Sequence[str] = (), title: str = "Ordinary sitting"
) -> Chamber:
    city = build_city(uow)
    elect_city(uow, city)
    composition = council_composition(uow, city.council.id, t(16))
    delegates = {d.member.name: d.member for d in composition.delegates}
    mandates = {d.member.name: d.mandate for d in composition.delegates}
    sitting = sittings.convene_sitting(
        uow,
        council_id=city.council.id,
        title=title,
        day=DAY,
        section_ids=[city.sections[n].id for n in section_names],
        chair_member_id=delegates["Factory member 1"].id,
        actor=ACTOR,
        at=t(17),
    )
    sitting = sittings.open_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=t(17, 45))
    return Chamber(city, sitting, delegates, mandates)


@dataclass
class Soviet:
    """A city soviet of 500 delegates in two sections, elected by party lists: the Workers
    section (the Putilov Works, 460 seats: Bolsheviks 280, Mensheviks 110, SRs 70) and the
    Soldiers section (a Guards regiment, 40 seats: Bolsheviks 20, SRs 20)."""

    organization_id: int
    council: Council
    sections: dict[str, int]
    factions: dict[str, int]
    members: dict[str, list[Member]]


SOVIET_DAY = date(1917, 8, 31)


def soviet_time(hour: int, minute: int = 0, day: date = SOVIET_DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def build_soviet(uow: UnitOfWork) -> Soviet:
    at = soviet_time(10, day=date(1917, 8, 1))
    org = federation.create_organization(uow, name="City Soviets", actor=ACTOR, at=at)
    factions = {
        name: federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=at
        ).id
        for name, color in (
            ("Bolsheviks", "#b71c1c"),
            ("Mensheviks", "#1565c0"),
            ("SRs", "#2e7d32"),
        )
    }
    council = federation.create_council(
        uow, organization_id=org.id, name="City Soviet", actor=ACTOR, at=at
    )
    sections = {
        name: federation.create_section(
            uow, council_id=council.id, name=name, actor=ACTOR, at=at
        ).id
        for name in ("Workers", "Soldiers")
    }
    plan = {
        "Putilov Works": ("Workers", (("Bolsheviks", 280), ("Mensheviks", 110), ("SRs", 70))),
        "Guards Regiment": ("Soldiers", (("Bolsheviks", 20), ("SRs", 20))),
    }
    members: dict[str, list[Member]] = {}
    places = {}
    for place, (section, shares) in plan.items():
        constituency = federation.create_constituency(
            uow, council_id=council.id, name=place, section_id=sections[section], actor=ACTOR, at=at
        )
        places[place] = constituency
        members[place] = [
            federation.enroll_member(
                uow,
                organization_id=org.id,
                name=f"{place} {faction} {i}",
                number=f"{place[0]}{faction[0]}-{i}",
                faction_id=factions[faction],
                constituency_ids=[constituency.id],
                actor=ACTOR,
                at=at,
            )
            for faction, n in shares
            for i in range(1, n + 1)
        ]
    elections.apportion_seats(
        uow,
        council_id=council.id,
        rule=RatioRule(per=1),
        actor=ACTOR,
        at=soviet_time(10, day=date(1917, 8, 2)),
    )
    for place, (_, shares) in plan.items():
        lists = [
            ListTally(
                factions[faction],
                tuple(m.id for m in members[place] if m.faction_id == factions[faction]),
                n,
            )
            for faction, n in shares
        ]
        elections.elect_delegates(
            uow,
            constituency_id=places[place].id,
            method=ElectionMethod.DHONDT,
            lists=lists,
            actor=ACTOR,
            at=soviet_time(10, day=date(1917, 8, 3)),
        )
    return Soviet(org.id, council, sections, factions, members)
