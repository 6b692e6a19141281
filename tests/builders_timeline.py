"""A small federation with a chronicle, built through the services at dates in 1917, for
the timeline: two cities turn from the Centre to the Left in September, the congress they
send delegates to and its executive catch up only in October.

Factions Left, Centre and Right. City A has a workers' and a soldiers' section: the Factory
(12 members: Left 6, Centre 5, Right 1) and the Regiment (8: Left 4, Centre 4), one seat per
two members (6 and 4). City B has the Depot (10: Left 5, Centre 5; 5 seats). The congress
has 4 seats per city, each city's delegates electing its four by Hare; the congress elects
a four-seat executive by Hare from its factions' seats.

| when   | what                                                  | result              |
| Jun 10 | chronicle: "June: the cities vote"                    |                     |
| Jun 11 | Factory D'Hondt: Centre 7, Left 4, Right 1            | Centre 4, Left 2    |
| Jun 12 | Regiment D'Hondt: Centre 5, Left 3                    | Centre 3, Left 1    |
| Jun 13 | Depot D'Hondt: Centre 7, Left 3                       | Centre 4, Left 1    |
| Jun 15 | congress seats, 4 per city; chronicle "The congress"  |                     |
| Jun 16 | City A to the congress, Hare: Centre 7, Left 3        | Centre 3, Left 1    |
| Jun 16 | City B to the congress, Hare: Centre 4, Left 1        | Centre 3, Left 1    |
| Jun 17 | the executive, Hare, 4 seats (Centre 6, Left 2)       | Centre 3, Left 1    |
| Sep 1  | chronicle: "The cities turn Left"                     |                     |
| Sep 2  | Factory D'Hondt: Left 9, Centre 3                     | Left 5, Centre 1    |
| Sep 3  | Regiment D'Hondt: Left 5, Centre 3                    | Left 3, Centre 1    |
| Sep 4  | Depot D'Hondt: Left 7, Centre 3                       | Left 4, Centre 1    |
| Oct 20 | chronicle: "The second congress"                      |                     |
| Oct 21 | City A to the congress: Left 8, Centre 2              | Left 3, Centre 1    |
| Oct 21 | City B to the congress: Left 4, Centre 1              | Left 3, Centre 1    |
| Oct 22 | the executive, Hare (Left 6, Centre 2)                | Left 3, Centre 1    |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from smolny.domain.chronicle import ChronicleEntry, Source
from smolny.domain.elections import ElectionMethod, ListTally
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Faction,
    Member,
    Organization,
    Section,
)
from smolny.domain.seat_rules import FixedRule, RatioRule
from smolny.services import elections, federation
from smolny.services.chronicle import enter_chronicle
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.conftest import at

ACTOR = "test"
ORGANIZATION = "Timeline Union"
FACTIONS = {"Left": "#aa0000", "Centre": "#00aa00", "Right": "#0000aa"}
# constituency -> (city, section, members by faction)
PLACES = {
    "Factory": ("City A", "Workers", {"Left": 6, "Centre": 5, "Right": 1}),
    "Regiment": ("City A", "Soldiers", {"Left": 4, "Centre": 4}),
    "Depot": ("City B", None, {"Left": 5, "Centre": 5}),
}
JUNE_VOTES = {
    "Factory": {"Centre": 7, "Left": 4, "Right": 1},
    "Regiment": {"Centre": 5, "Left": 3},
    "Depot": {"Centre": 7, "Left": 3},
}
SEPTEMBER_VOTES = {
    "Factory": {"Left": 9, "Centre": 3},
    "Regiment": {"Left": 5, "Centre": 3},
    "Depot": {"Left": 7, "Centre": 3},
}
# What the chronicle says, when; the sources of each with their addresses.
ENTRIES: dict[str, tuple[datetime, list[Source], list[str]]] = {
    "June: the cities vote": (
        at("1917-06-10"),
        [
            Source("Minutes of the Factory meeting", "https://example.org/minutes/factory-1917-06"),
            Source("Depot bulletin no. 3", "https://example.org/depot/bulletin-3"),
        ],
        ["The Regiment's vote is taken from the company reports."],
    ),
    "The congress meets": (
        at("1917-06-15"),
        [Source("Congress stenogram, first day", "https://example.org/congress/1917-06-16")],
        [],
    ),
    "The cities turn Left": (
        at("1917-09-01"),
        [
            Source("Factory resolution", "https://example.org/factory/resolution-1917-09"),
            Source("A newspaper report", ""),
        ],
        [],
    ),
    "The second congress": (
        at("1917-10-20"),
        [Source("Stenogram of the second congress", "https://example.org/congress/1917-10-21")],
        ["Delegates are seated as elected: no credentials are recorded."],
    ),
}
CREATED = at("1917-05-01")
LAST_CHANGE = at("1917-10-22")


@dataclass
class Story:
    organization: Organization
    factions: dict[str, Faction]
    cities: dict[str, Council]
    sections: dict[str, Section]
    places: dict[str, Constituency]
    congress: Council
    seats: dict[str, Constituency]  # the congress's constituencies, by city
    executive: Council
    members: dict[str, list[Member]] = field(default_factory=dict)
    entries: dict[str, ChronicleEntry] = field(default_factory=dict)

    def of(self, where: str, faction: str) -> list[Member]:
        """Members of a constituency, or of a city's constituencies, in one faction."""
        places = [p for p, (city, _, _) in PLACES.items() if city == where] or [where]
        fid = self.factions[faction].id
        return [m for p in places for m in self.members[p] if m.faction_id == fid]

    def lists(self, where: str, votes: dict[str, int]) -> list[ListTally]:
        return [
            ListTally(self.factions[name].id, tuple(m.id for m in self.of(where, name)), n)
            for name, n in votes.items()
        ]


def build_federation(uow: UnitOfWork) -> Story:
    t = CREATED
    org = federation.create_organization(uow, name=ORGANIZATION, actor=ACTOR, at=t)
    factions = {
        name: federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=t
        )
        for name, color in FACTIONS.items()
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
    cities = {
        name: federation.create_council(uow, organization_id=org.id, name=name, actor=ACTOR, at=t)
        for name in ("City A", "City B")
    }
    sections = {
        name: federation.create_section(
            uow, council_id=cities["City A"].id, name=name, actor=ACTOR, at=t
        )
        for name in ("Workers", "Soldiers")
    }
    places = {
        place: federation.create_constituency(
            uow,
            council_id=cities[city].id,
            name=place,
            section_id=sections[section].id if section else None,
            actor=ACTOR,
            at=t,
        )
        for place, (city, section, _) in PLACES.items()
    }
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
    story = Story(org, factions, cities, sections, places, congress, seats, executive)
    for place, (_, _, counts) in PLACES.items():
        story.members[place] = federation.enroll_members(
            uow,
            organization_id=org.id,
            members=[
                federation.NewMember(f"{place} {faction} {i}", factions[faction].id)
                for faction, n in counts.items()
                for i in range(1, n + 1)
            ],
            constituency_id=places[place].id,
            actor=ACTOR,
            at=t,
        )
    for city in cities.values():
        elections.apportion_seats(
            uow, council_id=city.id, rule=RatioRule(per=2), actor=ACTOR, at=at("1917-05-02")
        )
    return story


def chronicle(uow: UnitOfWork, story: Story, title: str) -> None:
    when, sources, assumptions = ENTRIES[title]
    story.entries[title] = enter_chronicle(
        uow,
        organization_id=story.organization.id,
        title=title,
        text=f"What the record says of {title.lower()}.\n\nA second paragraph.",
        sources=sources,
        assumptions=assumptions,
        actor=ACTOR,
        at=when,
    )


def elect_places(
    uow: UnitOfWork, story: Story, votes: dict[str, dict[str, int]], first: datetime
) -> None:
    """Each constituency elects its delegates by D'Hondt, one a day from `first`."""
    for offset, (place, counts) in enumerate(votes.items()):
        elections.elect_delegates(
            uow,
            constituency_id=story.places[place].id,
            method=ElectionMethod.DHONDT,
            lists=story.lists(place, counts),
            actor=ACTOR,
            at=first + timedelta(days=offset),
        )


def elect_congress(
    uow: UnitOfWork, story: Story, votes: dict[str, dict[str, int]], when: str
) -> None:
    for city, counts in votes.items():
        elections.elect_delegates(
            uow,
            constituency_id=story.seats[city].id,
            method=ElectionMethod.HARE,
            lists=story.lists(city, counts),
            actor=ACTOR,
            at=at(when),
        )


def elect_executive(uow: UnitOfWork, story: Story, names: tuple[str, ...], when: str) -> None:
    """The congress delegates of each faction as its list (without votes: each list counts
    with its faction's seats at the congress)."""
    with uow:
        sitting = {
            m.member_id for m in uow.repo.mandates_at(at(when), council_id=story.congress.id)
        }
    lists = [
        ListTally(
            story.factions[name].id,
            tuple(m.id for city in story.cities for m in story.of(city, name) if m.id in sitting),
        )
        for name in names
    ]
    elections.elect_committee(
        uow,
        committee_id=story.executive.id,
        seats=4,
        method=ElectionMethod.HARE,
        lists=lists,
        actor=ACTOR,
        at=at(when),
    )


def build_story(uow: UnitOfWork) -> Story:
    story = build_federation(uow)
    chronicle(uow, story, "June: the cities vote")
    elect_places(uow, story, JUNE_VOTES, at("1917-06-11"))
    chronicle(uow, story, "The congress meets")
    elections.apportion_seats(
        uow, council_id=story.congress.id, rule=FixedRule(4), actor=ACTOR, at=at("1917-06-15")
    )
    elect_congress(
        uow,
        story,
        {"City A": {"Centre": 7, "Left": 3}, "City B": {"Centre": 4, "Left": 1}},
        "1917-06-16",
    )
    elect_executive(uow, story, ("Centre", "Left"), "1917-06-17")
    chronicle(uow, story, "The cities turn Left")
    elect_places(uow, story, SEPTEMBER_VOTES, at("1917-09-02"))
    chronicle(uow, story, "The second congress")
    elect_congress(
        uow,
        story,
        {"City A": {"Left": 8, "Centre": 2}, "City B": {"Left": 4, "Centre": 1}},
        "1917-10-21",
    )
    elect_executive(uow, story, ("Left", "Centre"), "1917-10-22")
    return story


def load_story(database_url: str) -> Story:
    """Build the story in the database at `database_url` (for the end-to-end tests)."""
    engine = connect(database_url)
    try:
        return build_story(UnitOfWork(engine, clock=lambda: at("2026-06-01")))
    finally:
        engine.dispose()
