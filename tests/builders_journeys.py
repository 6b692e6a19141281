"""The Works Council, for the delegate's and the chair's journeys, built through the
services: four members elected to its four seats, Anna Berg elected to its office of
Chair (the powers chair and convene), and Grigory Sokol recalled ten days after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally
from smolny.domain.federation import Council, CouncilKind, Member, Power
from smolny.domain.seat_rules import RatioRule
from smolny.services import elections, federation
from smolny.services.composition import council_composition
from smolny.store.uow import UnitOfWork

ACTOR = "test"
PEOPLE = {  # name: (login, faction)
    "Anna Berg": ("anna", "Left"),
    "Boris Popov": ("boris", "Left"),
    "Vera Lund": ("vera", "Right"),
    "Grigory Sokol": ("grigory", "Right"),
}
CHAIR = "Anna Berg"
RECALLED = "Grigory Sokol"


@dataclass
class Works:
    organization_id: int
    council: Council
    chair_office: Council
    members: dict[str, Member] = field(default_factory=dict)

    def id(self, name: str) -> int:
        return self.members[name].id


def build_works(uow: UnitOfWork, start: datetime) -> Works:
    """Everything recorded between `start` and ten days after it."""

    def day(n: int) -> datetime:
        return start + timedelta(days=n)

    org = federation.create_organization(uow, name="Works Union", actor=ACTOR, at=day(0))
    factions = {
        name: federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=day(0)
        )
        for name, color in (("Left", "#aa0000"), ("Right", "#0000aa"))
    }
    council = federation.create_council(
        uow, organization_id=org.id, name="Works Council", actor=ACTOR, at=day(0)
    )
    works = federation.create_constituency(
        uow, council_id=council.id, name="Works", actor=ACTOR, at=day(0)
    )
    members = {
        name: federation.enroll_member(
            uow,
            organization_id=org.id,
            name=name,
            faction_id=factions[faction].id,
            constituency_ids=[works.id],
            actor=ACTOR,
            at=day(0),
        )
        for name, (_, faction) in PEOPLE.items()
    }
    elections.apportion_seats(
        uow, council_id=council.id, rule=RatioRule(per=1), actor=ACTOR, at=day(1)
    )
    elections.elect_delegates(
        uow,
        constituency_id=works.id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(m.id, 4 - i) for i, m in enumerate(members.values())],
        actor=ACTOR,
        at=day(2),
    )
    chair = federation.create_council(
        uow,
        organization_id=org.id,
        name="Chair",
        kind=CouncilKind.OFFICE,
        parent_id=council.id,
        powers=[Power.CHAIR, Power.CONVENE],
        actor=ACTOR,
        at=day(3),
    )
    anna = members[CHAIR]
    elections.elect_committee(
        uow,
        committee_id=chair.id,
        seats=1,
        lists=[ListTally(anna.faction_id, (anna.id,), 3)],
        actor=ACTOR,
        at=day(3),
    )
    seats = council_composition(uow, council.id, day(4)).delegates
    recalled = next(d.mandate for d in seats if d.member.name == RECALLED)
    elections.recall_delegate(
        uow, mandate_id=recalled.id, votes_for=3, votes_against=1, actor=ACTOR, at=day(10)
    )
    return Works(org.id, council, chair, members)
