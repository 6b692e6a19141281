"""The demo: a present-day union federation, built through the services like any other.

Two city councils of workplace delegates, a national congress of delegates from the city
councils, executive committees elected proportionally, and, in April 2026, a recall at
the North Bus Depot followed by a by-election, so the composition changes over time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from rich.console import Console
from rich.progress import Progress, TaskID

from smolny.domain.apportionment import DivisorMethod, TieRule
from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally, RankedBallot
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    CouncilKind,
    Faction,
    Member,
)
from smolny.domain.seat_rules import DivisorRule, RatioRule, TieBreak
from smolny.services import elections, federation
from smolny.services.composition import council_composition
from smolny.store.uow import UnitOfWork

ORGANIZATION = "United Transport Workers"
ACTOR = "demo"
# The union's stated rule: a tie for the last seat is drawn by lot, from a recorded seed.
TIES = TieBreak((TieRule.LOT,), seed=2026)

FACTIONS = (  # left to right, as the hemicycle draws them
    ("Rank and File", "R&F", "#c0392b"),
    ("Solidarity", "SOL", "#8e44ad"),
    ("Members First", "MF", "#2e86c1"),
    ("Reform Group", "REF", "#d4ac0d"),
)
# workplace -> (council, section, members, faction shares, how it elects)
WORKPLACES = {
    "North Bus Depot": ("Riverside", "Operations", 70, (30, 10, 20, 5), ElectionMethod.DHONDT),
    "Tram Works": ("Riverside", "Maintenance", 45, (12, 15, 8, 6), ElectionMethod.PLURALITY),
    "Central Rail Yard": ("Riverside", "Operations", 55, (18, 6, 16, 10), ElectionMethod.DHONDT),
    "Container Terminal": (
        "Harbor",
        "Operations",
        60,
        (14, 12, 20, 8),
        ElectionMethod.SCOTTISH_STV,
    ),
    "Harbor Bus Garage": ("Harbor", "Operations", 50, (20, 8, 10, 6), ElectionMethod.PLURALITY),
    "Dry Dock Workshops": ("Harbor", "Maintenance", 40, (9, 14, 6, 6), ElectionMethod.DHONDT),
}
FIRST = [
    "Ada",
    "Amir",
    "Ana",
    "Bea",
    "Bilal",
    "Carla",
    "Chen",
    "Dara",
    "Dmitri",
    "Elena",
    "Emeka",
    "Femi",
    "Grace",
    "Hana",
    "Ines",
    "Ivan",
    "Jamal",
    "Jana",
    "Kofi",
    "Lena",
    "Luis",
    "Maya",
    "Mei",
    "Nadia",
    "Nikos",
    "Olga",
    "Omar",
    "Priya",
    "Rosa",
    "Sam",
    "Sara",
    "Tomas",
    "Una",
    "Vera",
    "Wen",
    "Yusuf",
    "Zara",
    "Marta",
    "Pavel",
    "Irina",
]
LAST = [
    "Abara",
    "Berg",
    "Costa",
    "Diallo",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Santos",
    "Tanaka",
    "Uddin",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Kuznetsova",
    "Murphy",
    "Nakamura",
    "Oliveira",
]


def day(month: int, d: int, hour: int = 18) -> datetime:
    return datetime(2026, month, d, hour, tzinfo=UTC)


def load_demo(uow: UnitOfWork, progress: Console | None = None) -> str | None:
    """Load the demo federation unless it is there; say what was loaded."""
    with uow:
        if uow.repo.organization_by_name(ORGANIZATION):
            return None
    rng = random.Random(1917)
    total_members = sum(w[2] for w in WORKPLACES.values())
    with Progress(console=progress or Console(quiet=True), transient=True) as bar:
        task = bar.add_task("Loading the demo federation", total=total_members + 20)

        def step(n: int = 1) -> None:
            bar.advance(task, n)

        return _build(uow, rng, step)


def _build(uow: UnitOfWork, rng: random.Random, step: Callable[[int], None]) -> str:
    at = day(1, 12, 10)
    org = federation.create_organization(uow, name=ORGANIZATION, actor=ACTOR, at=at)
    factions = [
        federation.create_faction(
            uow, organization_id=org.id, name=n, short_name=s, color=c, actor=ACTOR, at=at
        )
        for n, s, c in FACTIONS
    ]
    congress = federation.create_council(
        uow,
        organization_id=org.id,
        name="National Congress",
        kind=CouncilKind.CONGRESS,
        actor=ACTOR,
        at=at,
    )
    cities, sections, executives = {}, {}, {}
    for city in ("Riverside", "Harbor"):
        council = federation.create_council(
            uow, organization_id=org.id, name=f"{city} City Council", actor=ACTOR, at=at
        )
        cities[city] = council
        for name in ("Operations", "Maintenance"):
            sections[city, name] = federation.create_section(
                uow, council_id=council.id, name=name, actor=ACTOR, at=at
            )
        executives[city] = federation.create_council(
            uow,
            organization_id=org.id,
            name=f"{city} Executive Committee",
            kind=CouncilKind.COMMITTEE,
            parent_id=council.id,
            actor=ACTOR,
            at=at,
        )
    national_executive = federation.create_council(
        uow,
        organization_id=org.id,
        name="National Executive",
        kind=CouncilKind.COMMITTEE,
        parent_id=congress.id,
        actor=ACTOR,
        at=at,
    )
    for council in cities.values():
        federation.create_constituency(
            uow,
            council_id=congress.id,
            name=council.name,
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=council.id,
            actor=ACTOR,
            at=at,
        )
    step(10)

    # Members, enrolled in their workplace with their faction (some non-party).
    workplaces: dict[str, Constituency] = {}
    roster: dict[str, list[Member]] = {}
    everyone = [f"{first} {last}" for first in FIRST for last in LAST]
    names = iter(rng.sample(everyone, k=len(everyone)))
    number = 1000
    for place, (city, section, size, shares, _) in WORKPLACES.items():
        constituency = federation.create_constituency(
            uow,
            council_id=cities[city].id,
            name=place,
            section_id=sections[city, section].id,
            actor=ACTOR,
            at=day(1, 12, 11),
        )
        workplaces[place] = constituency
        roster[place] = []
        pool: list[Faction | None] = [
            f for f, share in zip(factions, shares, strict=True) for _ in range(share)
        ]
        pool += [None] * (size - len(pool))
        rng.shuffle(pool)
        for faction in pool:
            number += 1
            member = federation.enroll_member(
                uow,
                organization_id=org.id,
                name=next(names),
                number=f"UTW-{number}",
                faction_id=faction.id if faction else None,
                constituency_ids=[constituency.id],
                actor=ACTOR,
                at=day(1, 12, 11),
            )
            roster[place].append(member)
            step(1)

    # City councils: one delegate per 5 members, at least one.
    for council in cities.values():
        elections.apportion_seats(
            uow, council_id=council.id, rule=RatioRule(per=5), actor=ACTOR, at=day(1, 20)
        )
    step(2)

    # Workplace elections, early February: turnout about four in five.
    for i, (place, (*_, method)) in enumerate(WORKPLACES.items()):
        when = day(2, 2 + i)
        members = roster[place]
        if method is ElectionMethod.PLURALITY:
            nominees = rng.sample(members, k=12)
            elections.elect_delegates(
                uow,
                constituency_id=workplaces[place].id,
                method=method,
                candidates=[CandidateTally(m.id, rng.randint(5, 30)) for m in nominees],
                ties=TIES,
                actor=ACTOR,
                at=when,
            )
        elif method is ElectionMethod.SCOTTISH_STV:
            slate, ballots = _workplace_ballots(members, factions, rng)
            elections.elect_delegates(
                uow,
                constituency_id=workplaces[place].id,
                method=method,
                standing=slate,
                ballots=ballots,
                ties=TIES,
                actor=ACTOR,
                at=when,
            )
        else:
            elections.elect_delegates(
                uow,
                constituency_id=workplaces[place].id,
                method=method,
                lists=_workplace_lists(members, factions, rng),
                ties=TIES,
                actor=ACTOR,
                at=when,
            )
    step(3)

    # City executives, elected proportionally by faction from the councils' delegates.
    for city, council in cities.items():
        elections.elect_committee(
            uow,
            committee_id=executives[city].id,
            seats=5,
            lists=_council_lists(uow, council.id, day(2, 16), factions),
            actor=ACTOR,
            at=day(2, 16),
        )

    # The congress: 20 seats shared between the cities by their electorates, each city
    # council electing its congress delegates from party lists.
    elections.apportion_seats(
        uow,
        council_id=congress.id,
        rule=DivisorRule(DivisorMethod.HUNTINGTON_HILL, 20),
        actor=ACTOR,
        at=day(3, 2),
    )
    for constituency_id, council in zip(
        (c.id for c in _congress_constituencies(uow, congress.id)), cities.values(), strict=True
    ):
        lists = _council_lists(uow, council.id, day(3, 5), factions, votes=True)
        elections.elect_delegates(
            uow,
            constituency_id=constituency_id,
            method=ElectionMethod.DHONDT,
            lists=lists,
            actor=ACTOR,
            at=day(3, 5),
        )
    elections.elect_committee(
        uow,
        committee_id=national_executive.id,
        seats=7,
        lists=_council_lists(uow, congress.id, day(3, 9), factions),
        actor=ACTOR,
        at=day(3, 9),
    )
    step(3)

    # April: North Bus Depot recalls a Members First delegate who signed the rota deal
    # without a vote; a by-election fills the seat. A recall at the Container Terminal fails.
    depot = workplaces["North Bus Depot"]
    mf = factions[2]
    with uow:
        sitting = uow.repo.mandates_at(day(4, 14), constituency_id=depot.id)
    recalled = next(m for m in sitting if m.faction_id == mf.id)
    elections.recall_delegate(
        uow,
        mandate_id=recalled.id,
        votes_for=41,
        votes_against=17,
        abstentions=4,
        actor=ACTOR,
        at=day(4, 14),
    )
    seated = {m.member_id for m in sitting}
    candidates = [m for m in roster["North Bus Depot"] if m.id not in seated][:3]
    elections.hold_by_election(
        uow,
        constituency_id=depot.id,
        candidates=[CandidateTally(m.id, v) for m, v in zip(candidates, (34, 19, 8), strict=True)],
        actor=ACTOR,
        at=day(4, 28),
    )
    terminal = workplaces["Container Terminal"]
    with uow:
        target = uow.repo.mandates_at(day(5, 5), constituency_id=terminal.id)[0]
    elections.recall_delegate(
        uow,
        mandate_id=target.id,
        votes_for=22,
        votes_against=25,
        abstentions=3,
        actor=ACTOR,
        at=day(5, 5),
    )
    step(2)
    total = sum(len(r) for r in roster.values())
    return (
        f"{ORGANIZATION}: a congress, {len(cities)} city councils and 3 executive committees; "
        f"{total} members in {len(WORKPLACES)} workplaces"
    )


def _workplace_lists(
    members: list[Member], factions: list[Faction], rng: random.Random
) -> list[ListTally]:
    """Each faction's list is its members at the workplace; votes follow its strength."""
    lists = []
    for faction in factions:
        own = [m.id for m in members if m.faction_id == faction.id]
        if own:
            votes = sum(1 for _ in own if rng.random() < 0.85) + rng.randint(0, 3)
            lists.append(ListTally(faction.id, tuple(own), votes))
    return lists


def _workplace_ballots(
    members: list[Member], factions: list[Faction], rng: random.Random
) -> tuple[list[int], list[RankedBallot]]:
    """Four candidates per faction stand, in the order their faction recommends; about
    four in five members vote, most following their faction's order, many going on to
    rank others after their own."""
    slates = {
        f.id: rng.sample(own, k=min(4, len(own)))
        for f in factions
        if (own := [m.id for m in members if m.faction_id == f.id])
    }
    standing = [mid for slate in slates.values() for mid in slate]
    ballots = []
    for member in members:
        if rng.random() > 0.8:
            continue
        own = list(slates.get(member.faction_id or -1, []))
        if rng.random() > 0.7:
            rng.shuffle(own)
        others = [mid for mid in standing if mid not in own]
        rng.shuffle(others)
        ranking = own + others[: rng.randint(0, 6)] if own else others[: rng.randint(1, 6)]
        ballots.append(RankedBallot(tuple(ranking)))
    return standing, ballots


def _council_lists(
    uow: UnitOfWork, council_id: int, at: datetime, factions: list[Faction], votes: bool = False
) -> list[ListTally]:
    """Lists of a council's delegates by faction; with `votes`, each delegate votes for
    their own faction's list (without, the committee election counts seats)."""
    composition = council_composition(uow, council_id, at)
    lists = []
    for faction in factions:
        own = [
            d.member.id for d in composition.delegates if d.faction and d.faction.id == faction.id
        ]
        if own:
            lists.append(ListTally(faction.id, tuple(own), len(own) if votes else None))
    return lists


def _congress_constituencies(uow: UnitOfWork, congress_id: int) -> list[Constituency]:
    with uow:
        return uow.repo.constituencies(congress_id)


def load_scenarios(uow: UnitOfWork, progress: Console | None = None) -> list[tuple[str, int]]:
    """Replay every scenario that ships with Smolny whose organization is not there yet;
    the names replayed, each with its chronicle's organization."""
    from smolny.scenario.files import built_in, load_scenario
    from smolny.scenario.replay import replay

    loaded = []
    for path in built_in().values():
        scenario = load_scenario(path)
        with uow:
            if uow.repo.organization_by_name(scenario.chronicle):
                continue
        with Progress(console=progress or Console(quiet=True), transient=True) as bar:
            task = bar.add_task(f"Replaying {scenario.title}", total=len(scenario.events))
            result = replay(uow, scenario, progress=partial(_advance, bar, task))
        loaded.append((scenario.title, result.chronicle_organization_id))
    return loaded


def _advance(bar: Progress, task: TaskID, done: int, _: object) -> None:
    bar.update(task, completed=done)
