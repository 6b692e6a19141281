"""A congress of soviets built through the services, as a user would build it.

Four soviets send delegates to the All-Russian Congress: Petrograd (30 electors), Moscow
(20), Tver (6) and Klin (5). The congress shares its seats by the 1917 rule at 1/2500 scale,
`step:10:2:10:8` (two delegates for 10 electors, one more per further 10, at most eight,
smaller soviets combining): Petrograd 4, Moscow 3, Tver and Klin must combine.

Each soviet has one constituency, its factories, and one deputy per two electors, elected
by plurality: member i of n gets n - i votes, so the first half of each roll sits. The
members' factions repeat Bolsheviks, Bolsheviks, SRs, Mensheviks, non-party.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally
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
from smolny.domain.mandates import Mandate
from smolny.domain.seat_rules import FixedRule, RatioRule, StepRule
from smolny.services import congress as congress_service
from smolny.services import elections, federation, petitions
from smolny.store.uow import UnitOfWork
from tests.conftest import at

ACTOR = "test"
RULE = StepRule(threshold=10, first=2, per=10, maximum=8)
SIZES = {"Petrograd Soviet": 30, "Moscow Soviet": 20, "Tver Soviet": 6, "Klin Soviet": 5}
SIDES = ("Bolsheviks", "Bolsheviks", "SRs", "Mensheviks", None)
FACTIONS = {"Bolsheviks": "#c0392b", "SRs": "#d4ac0d", "Mensheviks": "#2e86c1"}


@dataclass
class Soviets:
    organization: Organization
    factions: dict[str, Faction]
    congress: Council
    soviets: dict[str, Council]
    factories: dict[str, Constituency]  # each soviet's constituency of members
    seats: dict[str, Constituency]  # each soviet's constituency in the congress
    members: dict[str, list[Member]] = field(default_factory=dict)

    def faction(self, name: str | None) -> int | None:
        return self.factions[name].id if name else None


def build_soviets(uow: UnitOfWork) -> Soviets:
    """The organization, the soviets with their members and deputies, and the congress
    with the soviets as constituencies (seats not yet apportioned)."""
    t = at("1917-05-01")
    org = federation.create_organization(uow, name="Soviets of 1917", actor=ACTOR, at=t)
    factions = {
        name: federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=t
        )
        for name, color in FACTIONS.items()
    }
    congress = federation.create_council(
        uow,
        organization_id=org.id,
        name="All-Russian Congress of Soviets",
        kind=CouncilKind.CONGRESS,
        actor=ACTOR,
        at=t,
    )
    built = Soviets(org, factions, congress, {}, {}, {})
    for name, size in SIZES.items():
        soviet = federation.create_council(
            uow, organization_id=org.id, name=name, actor=ACTOR, at=t
        )
        built.soviets[name] = soviet
        factory = federation.create_constituency(
            uow, council_id=soviet.id, name=f"{name.split()[0]} factories", actor=ACTOR, at=t
        )
        built.factories[name] = factory
        built.members[name] = [
            federation.enroll_member(
                uow,
                organization_id=org.id,
                name=f"{name.split()[0]} worker {i}",
                faction_id=built.faction(SIDES[(i - 1) % len(SIDES)]),
                constituency_ids=[factory.id],
                actor=ACTOR,
                at=t,
            )
            for i in range(1, size + 1)
        ]
        built.seats[name] = federation.create_constituency(
            uow,
            council_id=congress.id,
            name=name,
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=soviet.id,
            actor=ACTOR,
            at=t,
        )
    for soviet in built.soviets.values():
        elections.apportion_seats(
            uow, council_id=soviet.id, rule=RatioRule(per=2), actor=ACTOR, at=at("1917-05-02")
        )
    for i, name in enumerate(built.soviets):
        roll = built.members[name]
        elections.elect_delegates(
            uow,
            constituency_id=built.factories[name].id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(m.id, len(roll) - k) for k, m in enumerate(roll)],
            actor=ACTOR,
            at=at(f"1917-05-{3 + i:02d}"),
        )
    return built


def deputies(uow: UnitOfWork, council_id: int, moment: datetime) -> list[Mandate]:
    """The council's sitting delegates at a moment, in order of election."""
    with uow:
        return uow.repo.mandates_at(moment, council_id=council_id)


def elect_to_congress(
    uow: UnitOfWork, built: Soviets, soviet: str, moment: datetime
) -> list[Mandate]:
    """The soviet's deputies elect its congress delegates by plurality: the first of them
    get the most votes (every deputy votes once for one of the first seats + 1)."""
    constituency = built.seats[soviet]
    with uow:
        seats = sum(
            a.seats
            for a in uow.repo.allocations_at(built.congress.id, moment)
            if a.constituency_id == constituency.id
        )
    standing = deputies(uow, built.soviets[soviet].id, moment)[: seats + 1]
    elections.elect_delegates(
        uow,
        constituency_id=constituency.id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(m.member_id, len(standing) - k) for k, m in enumerate(standing)],
        actor=ACTOR,
        at=moment,
    )
    with uow:
        return uow.repo.mandates_at(moment, constituency_id=constituency.id)


def seat_the_congress(uow: UnitOfWork, built: Soviets) -> dict[str, list[Mandate]]:
    """Apportion the congress by the scaled 1917 rule (20 May) and let Petrograd and Moscow
    elect their delegates (Petrograd 4 on 25 May, Moscow 3 on 26 May)."""
    congress_service.apportion_congress(
        uow, congress_id=built.congress.id, rule=RULE, actor=ACTOR, at=at("1917-05-20")
    )
    return {
        "Petrograd Soviet": elect_to_congress(uow, built, "Petrograd Soviet", at("1917-05-25")),
        "Moscow Soviet": elect_to_congress(uow, built, "Moscow Soviet", at("1917-05-26")),
    }


def credentials_commission(uow: UnitOfWork, built: Soviets, moment: datetime) -> Council:
    """A credentials commission of the congress, holding the check-credentials power."""
    return federation.create_council(
        uow,
        organization_id=built.organization.id,
        name="Credentials Commission",
        kind=CouncilKind.COMMITTEE,
        parent_id=built.congress.id,
        powers=[Power.CHECK_CREDENTIALS],
        actor=ACTOR,
        at=moment,
    )


def combine_small_soviets(uow: UnitOfWork, built: Soviets) -> Council:
    """Tver and Klin, under the threshold, meet in the Tver District Congress (27 May),
    each sending two delegates elected by its deputies (28-30 May); the district is made a
    constituency of the congress, which is apportioned again (31 May), and the district's
    four delegates elect its two congress delegates (1 June)."""
    org = built.organization.id
    district = federation.create_council(
        uow,
        organization_id=org,
        name="Tver District Congress",
        kind=CouncilKind.CONGRESS,
        actor=ACTOR,
        at=at("1917-05-27"),
    )
    for name in ("Tver Soviet", "Klin Soviet"):
        federation.create_constituency(
            uow,
            council_id=district.id,
            name=name,
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=built.soviets[name].id,
            actor=ACTOR,
            at=at("1917-05-27"),
        )
    built.seats["Tver District Congress"] = federation.create_constituency(
        uow,
        council_id=built.congress.id,
        name="Tver District Congress",
        kind=ConstituencyKind.COUNCIL,
        lower_council_id=district.id,
        actor=ACTOR,
        at=at("1917-05-27"),
    )
    built.soviets["Tver District Congress"] = district
    congress_service.apportion_congress(
        uow, congress_id=district.id, rule=FixedRule(2), actor=ACTOR, at=at("1917-05-28")
    )
    with uow:
        seats = {c.name: c for c in uow.repo.constituencies(district.id)}
    for day, name in ((29, "Tver Soviet"), (30, "Klin Soviet")):
        sitting = deputies(uow, built.soviets[name].id, at(f"1917-05-{day}"))
        elections.elect_delegates(
            uow,
            constituency_id=seats[name].id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(m.member_id, 2 - k) for k, m in enumerate(sitting[:2])],
            actor=ACTOR,
            at=at(f"1917-05-{day}"),
        )
    congress_service.apportion_congress(
        uow, congress_id=built.congress.id, rule=RULE, actor=ACTOR, at=at("1917-05-31")
    )
    elect_to_congress(uow, built, "Tver District Congress", at("1917-06-01"))
    return district


@dataclass
class Story:
    """The First Congress of the scaled soviets, told through the services:

    - 20 May: the congress apportioned by `step:10:2:10:8` (Petrograd 4, Moscow 3; Tver
      and Klin must combine); 25-26 May Petrograd and Moscow elect their delegates;
    - 27 May-1 June: Tver and Klin combine in the Tver District Congress, which gets 2 seats;
    - 3 June: the First Congress opens; every delegate presents themselves, and two
      workers who hold no mandate (one from Petrograd, one from Tver, which has no seats);
      all nine delegates are seated, the two workers refused;
    - 4 June: the credentials commission refuses one Petrograd delegate ("elected at a
      meeting without quorum"): 8 seated, 3 refused;
    - 10 June: the congress elects a Central Executive Committee of 5 (acts between
      sittings) by D'Hondt over the seated delegates' factions;
    - 12-14 June: the Moscow deputies petition against a Moscow congress delegate (two
      signatures needed of ten deputies), the recall carries (6 for, 3 against): 7 seated;
    - 24 June: the First Congress closes; the CEC acts for the congress.
    """

    built: Soviets
    district: Council
    commission: Council
    cec: Council
    convocation_id: int
    refused_delegate: Mandate
    recalled: Mandate
    petition_id: int
    sent: dict[str, list[Mandate]]


def tell_the_story(uow: UnitOfWork) -> Story:
    built = build_soviets(uow)
    sent = seat_the_congress(uow, built)
    district = combine_small_soviets(uow, built)
    sent["Tver District Congress"] = deputies(uow, built.congress.id, at("1917-06-02"))[-2:]
    commission = credentials_commission(uow, built, at("1917-06-02"))
    cec = federation.create_council(
        uow,
        organization_id=built.organization.id,
        name="Central Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=built.congress.id,
        powers=[Power.ACT_BETWEEN_SITTINGS, Power.CONVENE],
        actor=ACTOR,
        at=at("1917-06-02"),
    )
    convocation = congress_service.convene_congress(
        uow,
        congress_id=built.congress.id,
        name="First Congress",
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    presented = [
        congress_service.Presentation(m.member_id, built.soviets[soviet].id)
        for soviet, ms in sent.items()
        for m in ms
    ]
    presented += [
        congress_service.Presentation(
            built.members["Petrograd Soviet"][-1].id, built.soviets["Petrograd Soviet"].id
        ),
        congress_service.Presentation(
            built.members["Tver Soviet"][-1].id, built.soviets["Tver Soviet"].id
        ),
    ]
    congress_service.check_credentials(
        uow, convocation_id=convocation.id, presented=presented, actor=ACTOR, at=at("1917-06-03")
    )
    refused = sent["Petrograd Soviet"][3]
    congress_service.refuse_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=refused.member_id,
        reason="elected at a meeting without quorum",
        by_council_id=commission.id,
        actor=ACTOR,
        at=at("1917-06-04"),
    )
    seated = congress_service.seated_at_congress(uow, built.congress.id, at("1917-06-10"))
    lists = [
        ListTally(faction.id, tuple(m.member_id for m in seated if m.faction_id == faction.id))
        for faction in built.factions.values()
        if any(m.faction_id == faction.id for m in seated)
    ]
    congress_service.elect_central_committee(
        uow, committee_id=cec.id, seats=5, lists=lists, actor=ACTOR, at=at("1917-06-10")
    )
    recalled = sent["Moscow Soviet"][2]
    moscow = deputies(uow, built.soviets["Moscow Soviet"].id, at("1917-06-12"))
    petition = petitions.open_petition(
        uow,
        mandate_id=recalled.id,
        opened_by=moscow[8].member_id,
        reason="voted for the offensive against the soviet's instruction",
        actor=ACTOR,
        at=at("1917-06-12"),
    )
    petitions.sign_petition(
        uow,
        petition_id=petition.id,
        member_id=moscow[9].member_id,
        actor=ACTOR,
        at=at("1917-06-13"),
    )
    petitions.hold_recall_vote(
        uow, petition_id=petition.id, votes_for=6, votes_against=3, actor=ACTOR, at=at("1917-06-14")
    )
    congress_service.close_congress(
        uow, congress_id=built.congress.id, actor=ACTOR, at=at("1917-06-24")
    )
    return Story(
        built, district, commission, cec, convocation.id, refused, recalled, petition.id, sent
    )
