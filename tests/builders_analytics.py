"""A congress of two city councils and its executive, built through the services, with a
swing in the cities that the congress and its executive only catch up with later.

Factions Left, Centre and Right. City A has two workplaces, A1 and A2, of 12 members
(4 of each faction) with one seat per 6 members (2 each); City B has B1 (12 members) and
B2 (24 members, 8 of each faction) with 2 seats each (so B2's electors count half as
much). The congress has 4 seats per city (fixed), each city's delegates electing its four
by Hare largest remainders; the congress elects a four-seat executive.

| when   | what                                                         | result            |
| Feb 1  | A1 D'Hondt: Centre 5, Left 4 votes                           | Centre 1, Left 1  |
| Feb 2  | A2 D'Hondt: Centre 8, Left 2                                 | Centre 2          |
| Feb 3  | B1 D'Hondt: Centre 5, Left 4                                 | Centre 1, Left 1  |
| Feb 4  | B2 D'Hondt: Centre 8, Left 2                                 | Centre 2          |
|        | so each city: Centre 3, Left 1                               |                   |
| Mar 2  | City A to the congress, Hare, 4 seats: Centre 3, Left 1 vote | Centre 3, Left 1  |
| Mar 3  | City B likewise                                              | Centre 3, Left 1  |
| Mar 9  | the executive, Hare, 4 seats from the congress (C 6, L 2)    | Centre 3, Left 1  |
| May 1  | swing: A1 D'Hondt Left 7, Centre 3 (7, 3.5 > 3)              | Left 2            |
| May 10 | swing: B1 D'Hondt Right 6, Left 4, Centre 1 (6, 4 > 3)       | Right 1, Left 1   |
|        | so City A: Centre 2, Left 2; City B: Centre 2, Left 1, Right 1 |                 |
| Jun 1  | City A re-elects to the congress: Centre 2, Left 2 votes     | Centre 2, Left 2  |
| Jun 2  | City B: Centre 2, Left 1, Right 1                            | Centre 2, L 1, R 1|
| Jun 5  | the executive, D'Hondt, from the congress (C 4, L 3, R 1)    | Centre 2, Left 2  |

Every congress delegate and executive member re-elected keeps their seat (the lists put
the sitting members first), so no committee seat ends on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from smolny.domain.elections import ElectionMethod, ListTally
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Faction,
    Member,
    Organization,
)
from smolny.domain.seat_rules import FixedRule, RatioRule
from smolny.services import elections, federation
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.conftest import at

ACTOR = "test"
FACTIONS = {"Left": "#aa0000", "Centre": "#00aa00", "Right": "#0000aa"}
WORKPLACES = {"A1": ("City A", 4), "A2": ("City A", 4), "B1": ("City B", 4), "B2": ("City B", 8)}

CREATED = at("2026-01-05")
FIRST_ELECTIONS = {"A1": at("2026-02-01"), "A2": at("2026-02-02")}
FIRST_ELECTIONS |= {"B1": at("2026-02-03"), "B2": at("2026-02-04")}
CONGRESS_ELECTED = {"City A": at("2026-03-02"), "City B": at("2026-03-03")}
EXECUTIVE_ELECTED = at("2026-03-09")
SWING = {"A1": at("2026-05-01"), "B1": at("2026-05-10")}
CONGRESS_REELECTED = {"City A": at("2026-06-01"), "City B": at("2026-06-02")}
EXECUTIVE_REELECTED = at("2026-06-05")


@dataclass
class Congress:
    organization: Organization
    factions: dict[str, Faction]
    cities: dict[str, Council]
    workplaces: dict[str, Constituency]
    congress: Council
    seats: dict[str, Constituency]  # the congress's constituencies, by city
    executive: Council
    members: dict[str, list[Member]] = field(default_factory=dict)

    def of(self, place: str, faction: str) -> list[Member]:
        """Members of a workplace, or of a city's two workplaces, in one faction."""
        places = [w for w, (city, _) in WORKPLACES.items() if city == place] or [place]
        fid = self.factions[faction].id
        return [m for p in places for m in self.members[p] if m.faction_id == fid]

    def lists(self, place: str, votes: dict[str, int | None]) -> list[ListTally]:
        return [
            ListTally(self.factions[name].id, tuple(m.id for m in self.of(place, name)), n)
            for name, n in votes.items()
        ]


def build_congress(uow: UnitOfWork) -> Congress:
    """The organization, its councils and members, and the cities' seats (Jan 10)."""
    t = CREATED
    org = federation.create_organization(uow, name="Analytics Union", actor=ACTOR, at=t)
    factions = {
        name: federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=t
        )
        for name, color in FACTIONS.items()
    }
    cities = {
        name: federation.create_council(uow, organization_id=org.id, name=name, actor=ACTOR, at=t)
        for name in ("City A", "City B")
    }
    congress = federation.create_council(
        uow, organization_id=org.id, name="Congress", kind=CouncilKind.CONGRESS, actor=ACTOR, at=t
    )
    executive = federation.create_council(
        uow,
        organization_id=org.id,
        name="Executive",
        kind=CouncilKind.COMMITTEE,
        parent_id=congress.id,
        actor=ACTOR,
        at=t,
    )
    seats = {
        name: federation.create_constituency(
            uow,
            council_id=congress.id,
            name=name,
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=city.id,
            actor=ACTOR,
            at=t,
        )
        for name, city in cities.items()
    }
    workplaces = {
        place: federation.create_constituency(
            uow, council_id=cities[city].id, name=place, actor=ACTOR, at=t
        )
        for place, (city, _) in WORKPLACES.items()
    }
    built = Congress(org, factions, cities, workplaces, congress, seats, executive)
    for place, (_, each) in WORKPLACES.items():
        built.members[place] = [
            federation.enroll_member(
                uow,
                organization_id=org.id,
                name=f"{place} {faction} {i}",
                faction_id=factions[faction].id,
                constituency_ids=[workplaces[place].id],
                actor=ACTOR,
                at=t,
            )
            for faction in FACTIONS
            for i in range(1, each + 1)
        ]
    elections.apportion_seats(
        uow, council_id=cities["City A"].id, rule=RatioRule(per=6), actor=ACTOR, at=at("2026-01-10")
    )
    elections.apportion_seats(
        uow, council_id=cities["City B"].id, rule=FixedRule(2), actor=ACTOR, at=at("2026-01-10")
    )
    return built


def elect_workplace(
    uow: UnitOfWork, c: Congress, place: str, votes: dict[str, int | None], when: datetime
) -> None:
    """A workplace elects its delegates by D'Hondt from its factions' lists."""
    elections.elect_delegates(
        uow,
        constituency_id=c.workplaces[place].id,
        method=ElectionMethod.DHONDT,
        lists=c.lists(place, votes),
        actor=ACTOR,
        at=when,
    )


def elect_cities(uow: UnitOfWork, c: Congress) -> None:
    """February: each city Centre 3, Left 1."""
    for place in ("A1", "A2", "B1", "B2"):
        votes = {"Centre": 5, "Left": 4} if place.endswith("1") else {"Centre": 8, "Left": 2}
        elect_workplace(uow, c, place, dict(votes), FIRST_ELECTIONS[place])


def elect_to_congress(
    uow: UnitOfWork, c: Congress, city: str, votes: dict[str, int | None], when: datetime
) -> None:
    """A city's delegates elect its congress delegates by Hare largest remainders."""
    elections.elect_delegates(
        uow,
        constituency_id=c.seats[city].id,
        method=ElectionMethod.HARE,
        lists=c.lists(city, votes),
        actor=ACTOR,
        at=when,
    )


def elect_congress(uow: UnitOfWork, c: Congress) -> None:
    """March: four seats per city; each city's delegates (Centre 3, Left 1) vote their
    lists, Hare quota 1: Centre 3, Left 1 from each city."""
    elections.apportion_seats(
        uow, council_id=c.congress.id, rule=FixedRule(4), actor=ACTOR, at=at("2026-03-01")
    )
    for city in ("City A", "City B"):
        elect_to_congress(uow, c, city, {"Centre": 3, "Left": 1}, CONGRESS_ELECTED[city])


def executive_lists(
    uow: UnitOfWork, c: Congress, names: tuple[str, ...], when: datetime
) -> list[ListTally]:
    """The congress delegates of each faction, City A's and City B's alternately, as the
    executive lists (without votes: each list counts its faction's congress seats)."""
    with uow:
        mandates = uow.repo.mandates_at(when, council_id=c.congress.id)
    sitting = {m.member_id for m in mandates}
    lists = []
    for name in names:
        a = [m.id for m in c.of("City A", name) if m.id in sitting]
        b = [m.id for m in c.of("City B", name) if m.id in sitting]
        alternating = [x for pair in zip(a, b, strict=False) for x in pair]
        alternating += a[len(b) :] + b[len(a) :]
        lists.append(ListTally(c.factions[name].id, tuple(alternating)))
    return lists


def elect_executive(uow: UnitOfWork, c: Congress) -> None:
    """March 9: four seats, Hare from the congress's Centre 6, Left 2 (quota 2): 3 and 1."""
    elections.elect_committee(
        uow,
        committee_id=c.executive.id,
        seats=4,
        method=ElectionMethod.HARE,
        lists=executive_lists(uow, c, ("Centre", "Left"), EXECUTIVE_ELECTED),
        actor=ACTOR,
        at=EXECUTIVE_ELECTED,
    )


def swing(uow: UnitOfWork, c: Congress) -> None:
    """May: A1 and B1 re-elect, turning from the Centre."""
    elect_workplace(uow, c, "A1", {"Left": 7, "Centre": 3}, SWING["A1"])
    elect_workplace(uow, c, "B1", {"Right": 6, "Left": 4, "Centre": 1}, SWING["B1"])


def reelect_congress(uow: UnitOfWork, c: Congress) -> None:
    """June 1 and 2: the cities send new delegations, as they now stand."""
    elect_to_congress(uow, c, "City A", {"Centre": 2, "Left": 2}, CONGRESS_REELECTED["City A"])
    elect_to_congress(
        uow, c, "City B", {"Centre": 2, "Left": 1, "Right": 1}, CONGRESS_REELECTED["City B"]
    )


def reelect_executive(uow: UnitOfWork, c: Congress) -> None:
    """June 5: D'Hondt from Centre 4, Left 3, Right 1 (quotients 4, 3, 2, 1.5; next 1.33):
    Centre 2, Left 2."""
    elections.elect_committee(
        uow,
        committee_id=c.executive.id,
        seats=4,
        method=ElectionMethod.DHONDT,
        lists=executive_lists(uow, c, ("Centre", "Left", "Right"), EXECUTIVE_REELECTED),
        actor=ACTOR,
        at=EXECUTIVE_REELECTED,
    )


def build_story(uow: UnitOfWork, *, until: str = "executive re-elected") -> Congress:
    """The whole story, or up to a stage: 'congress elected', 'swing', 'congress
    re-elected', 'executive re-elected'."""
    stages = ("congress elected", "swing", "congress re-elected", "executive re-elected")
    stop = stages.index(until)
    c = build_congress(uow)
    elect_cities(uow, c)
    elect_congress(uow, c)
    elect_executive(uow, c)
    steps = (swing, reelect_congress, reelect_executive)
    for step in steps[:stop]:
        step(uow, c)
    return c


def load_story(database_url: str) -> None:
    """Build the whole story in the database at `database_url` (for the end-to-end tests,
    which then read it through the server or the command)."""
    engine = connect(database_url)
    try:
        build_story(UnitOfWork(engine, clock=lambda: at("2026-07-01")))
    finally:
        engine.dispose()
