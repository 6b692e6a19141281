"""The use cases against a real database, on SQLite and PostgreSQL."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import Engine, update

from smolny.domain.apportionment import DivisorMethod, TieRule
from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally, RankedBallot
from smolny.domain.errors import AlreadyExists, InvalidInput, NotFound, RuleViolation, Unresolved
from smolny.domain.federation import ConstituencyKind, CouncilKind, RecallBasis
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.seat_rules import DivisorRule, RatioRule, TieBreak
from smolny.services import elections, federation
from smolny.services.composition import composition_document, council_composition
from smolny.services.composition import federation as federation_tree
from smolny.services.verify import verify_ledger
from smolny.store.tables import elections as elections_table
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR, build_city, elect_city
from tests.conftest import at


def head(uow: UnitOfWork) -> tuple[int, str]:
    with uow:
        return uow.ledger.head()


def test_seats_are_apportioned_by_ratio_over_the_members(uow: UnitOfWork) -> None:
    city = build_city(uow)
    composition = council_composition(uow, city.council.id, at("2026-01-11"))
    assert composition.seats == 8  # 10 members / 2 + 6 / 2
    assert {s.section.name: s.seats for s in composition.sections} == {"Workers": 5, "Soldiers": 3}
    assert composition.filled == 0


def test_elections_fill_the_council_by_faction_and_section(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    document = composition_document(council_composition(uow, city.council.id, at("2026-03-01")))
    # Regiment plurality: votes 4, 1, 5, 0, 3, 2 -> members 3 (Centre), 1 (Left), 5 (Right).
    assert document["seats"] == 8
    assert document["factions"] == {"Left": 5, "Centre": 2, "Right": 1}
    assert document["sections"] == {
        "Workers": {"seats": 5, "factions": {"Left": 4, "Centre": 1}},
        "Soldiers": {"seats": 3, "factions": {"Left": 1, "Centre": 1, "Right": 1}},
    }
    regiment = {d["name"] for d in document["delegates"] if d["from"] == "Regiment"}
    assert regiment == {"Regiment member 1", "Regiment member 3", "Regiment member 5"}
    assert document["council"] == "City Council"
    assert document["at"] == "2026-03-01T12:00:00+00:00"


def test_a_new_election_replaces_the_constituencys_delegates(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    # The factory re-elects in May by Sainte-Laguë, Left 5 and Centre 3 votes: quotients
    # Left 5, 1.67, 1; Centre 3, 1 -> seats 5 (L), 3 (C), 1.67 (L), then 1 and 1 share
    # the last two seats -> Left 3, Centre 2.
    lists = [
        ListTally(city.factions[n].id, tuple(m.id for m in city.of("Factory", n)), v)
        for n, v in (("Left", 5), ("Centre", 3))
    ]
    elections.elect_delegates(
        uow,
        constituency_id=city.factory.id,
        method=ElectionMethod.SAINTE_LAGUE,
        lists=lists,
        actor=ACTOR,
        at=at("2026-05-01"),
    )
    before = council_composition(uow, city.council.id, at("2026-04-30"))
    after = council_composition(uow, city.council.id, at("2026-05-02"))
    assert before.sections[0].factions == {"Left": 4, "Centre": 1}
    assert after.sections[0].factions == {"Left": 3, "Centre": 2}
    assert after.filled == 8  # the five old factory mandates ended, five new began
    with uow:
        ended = [m for m in uow.repo.all(Mandate) if m.end_reason is MandateEnd.TERM]
    assert len(ended) == 5
    assert {m.valid_to for m in ended} == {at("2026-05-01")}


def test_an_undecided_tie_is_refused_naming_the_tied_and_changes_nothing(uow: UnitOfWork) -> None:
    city = build_city(uow)
    lists = [
        ListTally(city.factions[n].id, tuple(m.id for m in city.of("Factory", n)), 4)
        for n in ("Left", "Centre")
    ]
    before = head(uow)
    with pytest.raises(Unresolved, match=r"Left.*Centre|Centre.*Left"):
        elections.elect_delegates(
            uow,
            constituency_id=city.factory.id,
            method=ElectionMethod.DHONDT,
            lists=lists,
            actor=ACTOR,
            at=at("2026-02-01"),
        )
    assert head(uow) == before


def test_a_tie_is_decided_only_by_a_stated_rule_and_recorded(uow: UnitOfWork) -> None:
    city = build_city(uow)
    lists = [
        ListTally(city.factions[n].id, tuple(m.id for m in city.of("Factory", n)), 4)
        for n in ("Left", "Centre")
    ]
    # D'Hondt, 4 and 4 votes, 5 seats: quotients 4, 4, 2, 2, then 1.33 and 1.33 for seat 5.
    order = (city.factions["Left"].id, city.factions["Centre"].id)
    election = elections.elect_delegates(
        uow,
        constituency_id=city.factory.id,
        method=ElectionMethod.DHONDT,
        lists=lists,
        ties=TieBreak((TieRule.ORDER,), order),
        actor=ACTOR,
        at=at("2026-02-01"),
    )
    assert election.result["ties"] == [
        {
            "seat": 5,
            "tied": ["Left", "Centre"],
            "seats_at_stake": 1,
            "resolved_by": "order",
            "winners": ["Left"],
        }
    ]
    seats = {row["name"]: row["seats"] for row in election.result["lists"]}
    assert seats == {"Left": 3, "Centre": 2}


def test_recall_ends_the_mandate_and_the_past_stays_as_it_was(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    target = next(
        d
        for d in council_composition(uow, city.council.id, at("2026-03-01")).delegates
        if d.origin == "Factory"
    )
    vote = elections.recall_delegate(
        uow,
        mandate_id=target.mandate.id,
        votes_for=6,
        votes_against=2,
        actor=ACTOR,
        at=at("2026-04-01"),
    )
    assert vote.carried
    assert vote.electorate == 10
    assert vote.rule == "a majority of its members"
    before = council_composition(uow, city.council.id, at("2026-03-31"))
    after = council_composition(uow, city.council.id, at("2026-04-02"))
    assert target.mandate.id in {d.mandate.id for d in before.delegates}
    assert target.mandate.id not in {d.mandate.id for d in after.delegates}
    assert (before.filled, after.filled, after.vacant) == (8, 7, 1)
    with uow:
        ended = uow.repo.get(type(target.mandate), target.mandate.id)
    assert ended.end_reason is MandateEnd.RECALL
    assert ended.valid_to == at("2026-04-01")


def test_a_recall_short_of_the_rule_keeps_the_delegate(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    target = council_composition(uow, city.council.id, at("2026-03-01")).delegates[0]
    # 5 of 10 members is not a majority of the members, though it is of the votes cast.
    vote = elections.recall_delegate(
        uow,
        mandate_id=target.mandate.id,
        votes_for=5,
        votes_against=1,
        actor=ACTOR,
        at=at("2026-04-01"),
    )
    assert not vote.carried
    assert council_composition(uow, city.council.id, at("2026-04-02")).filled == 8


def test_the_recall_rule_is_configurable_per_constituency(uow: UnitOfWork) -> None:
    city = build_city(uow)
    cell = federation.create_constituency(
        uow,
        council_id=city.council.id,
        name="Depot",
        recall_basis=RecallBasis.VOTES_CAST,
        recall_share=Fraction(2, 3),
        actor=ACTOR,
        at=at("2026-01-11"),
    )
    assert cell.recall_rule.describe() == "more than 2/3 of the votes cast"


def test_a_by_election_fills_the_vacant_seat(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    composition = council_composition(uow, city.council.id, at("2026-03-01"))
    target = next(d for d in composition.delegates if d.origin == "Factory")
    elections.recall_delegate(
        uow,
        mandate_id=target.mandate.id,
        votes_for=7,
        votes_against=0,
        actor=ACTOR,
        at=at("2026-04-01"),
    )
    sitting = {d.member.id for d in composition.delegates}
    newcomer = next(m for m in city.members["Factory"] if m.id not in sitting)
    election = elections.hold_by_election(
        uow,
        constituency_id=city.factory.id,
        candidates=[CandidateTally(newcomer.id, 7)],
        actor=ACTOR,
        at=at("2026-04-15"),
    )
    assert election.kind.value == "by-election"
    assert election.seats == 1
    after = council_composition(uow, city.council.id, at("2026-04-16"))
    assert after.filled == 8
    assert newcomer.id in {d.member.id for d in after.delegates}
    with pytest.raises(RuleViolation, match="no vacant seat"):
        elections.hold_by_election(
            uow,
            constituency_id=city.factory.id,
            candidates=[CandidateTally(newcomer.id, 7)],
            actor=ACTOR,
            at=at("2026-04-20"),
        )


def test_recalling_a_delegate_who_holds_no_seat_is_refused(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    target = council_composition(uow, city.council.id, at("2026-03-01")).delegates[0]
    elections.recall_delegate(
        uow,
        mandate_id=target.mandate.id,
        votes_for=9,
        votes_against=0,
        actor=ACTOR,
        at=at("2026-04-01"),
    )
    before = head(uow)
    with pytest.raises(RuleViolation, match=r"holds no seat.*ended on 2026-04-01.*recall"):
        elections.recall_delegate(
            uow,
            mandate_id=target.mandate.id,
            votes_for=9,
            votes_against=0,
            actor=ACTOR,
            at=at("2026-04-02"),
        )
    with pytest.raises(NotFound, match="mandate 999 does not exist"):
        elections.recall_delegate(uow, mandate_id=999, votes_for=9, votes_against=0, actor=ACTOR)
    assert head(uow) == before


def test_more_votes_than_electors_are_refused(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    target = council_composition(uow, city.council.id, at("2026-03-01")).delegates[0]
    with pytest.raises(RuleViolation, match="11 votes in Factory, which has 10 electors"):
        elections.recall_delegate(
            uow,
            mandate_id=target.mandate.id,
            votes_for=9,
            votes_against=2,
            actor=ACTOR,
            at=at("2026-04-01"),
        )


def test_the_committee_is_elected_proportionally_and_replaced_at_the_next_election(
    uow: UnitOfWork,
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    committee = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=at("2026-02-10"),
    )
    delegates = council_composition(uow, city.council.id, at("2026-02-10")).delegates
    lists = [
        ListTally(f.id, tuple(d.member.id for d in delegates if d.faction == f))
        for f in city.factions.values()
    ]
    # Strengths are the factions' seats (Left 5, Centre 2, Right 1); 3 seats by D'Hondt:
    # quotients 5, 2.5, 2, 1.67 -> Left 2, Centre 1.
    election = elections.elect_committee(
        uow, committee_id=committee.id, seats=3, lists=lists, actor=ACTOR, at=at("2026-02-15")
    )
    assert {r["name"]: r["seats"] for r in election.result["lists"]} == {
        "Left": 2,
        "Centre": 1,
        "Right": 0,
    }
    first = council_composition(uow, committee.id, at("2026-02-16"))
    assert first.seats == 3
    assert first.seats_by_faction() == {"Left": 2, "Centre": 1}
    assert all(d.origin == "City Council" for d in first.delegates)
    elections.elect_committee(
        uow, committee_id=committee.id, seats=4, lists=lists, actor=ACTOR, at=at("2026-03-15")
    )
    second = council_composition(uow, committee.id, at("2026-03-16"))
    assert second.seats == 4
    assert second.filled == 4
    assert council_composition(uow, committee.id, at("2026-03-01")).seats == 3


def test_a_committee_member_must_sit_in_the_council(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    committee = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Presidium",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=at("2026-02-10"),
    )
    outsider = city.of("Factory", None)[0]
    with pytest.raises(RuleViolation, match="cannot stand in City Council"):
        elections.elect_committee(
            uow,
            committee_id=committee.id,
            seats=1,
            lists=[ListTally(city.factions["Left"].id, (outsider.id,), 3)],
            actor=ACTOR,
            at=at("2026-02-15"),
        )


def test_a_congress_takes_its_seats_from_lower_councils(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    org = city.organization
    congress = federation.create_council(
        uow,
        organization_id=org.id,
        name="Congress",
        kind=CouncilKind.CONGRESS,
        actor=ACTOR,
        at=at("2026-02-20"),
    )
    seat = federation.create_constituency(
        uow,
        council_id=congress.id,
        name="From the city",
        kind=ConstituencyKind.COUNCIL,
        lower_council_id=city.council.id,
        actor=ACTOR,
        at=at("2026-02-20"),
    )
    elections.apportion_seats(
        uow,
        council_id=congress.id,
        rule=DivisorRule(DivisorMethod.DHONDT, 3),
        actor=ACTOR,
        at=at("2026-02-21"),
    )
    delegates = council_composition(uow, city.council.id, at("2026-02-21")).delegates
    left = tuple(d.member.id for d in delegates if d.faction_name == "Left")
    centre = tuple(d.member.id for d in delegates if d.faction_name == "Centre")
    election = elections.elect_delegates(
        uow,
        constituency_id=seat.id,
        method=ElectionMethod.DHONDT,
        lists=[
            ListTally(city.factions["Left"].id, left, 5),
            ListTally(city.factions["Centre"].id, centre, 3),
        ],
        actor=ACTOR,
        at=at("2026-02-22"),
    )
    assert election.result["electorate"] == 8  # the city council's sitting delegates vote
    composition = council_composition(uow, congress.id, at("2026-02-23"))
    assert composition.seats_by_faction() == {"Left": 2, "Centre": 1}
    assert {d.origin for d in composition.delegates} == {"From the city"}
    tree = federation_tree(uow, at("2026-02-23"))[0]
    assert [n.council.name for n in tree.roots] == ["Congress"]
    assert [n.council.name for n in tree.roots[0].children] == ["City Council"]


def test_duplicates_are_refused(uow: UnitOfWork) -> None:
    city = build_city(uow)
    before = head(uow)
    with pytest.raises(AlreadyExists, match="organization named 'Test Union'"):
        federation.create_organization(uow, name="Test  Union", actor=ACTOR)
    with pytest.raises(AlreadyExists, match="membership number '1' is already"):
        federation.enroll_member(
            uow, organization_id=city.organization.id, name="X", number="1", actor=ACTOR
        )
    with pytest.raises(AlreadyExists, match="already has a constituency 'Factory'"):
        federation.create_constituency(uow, council_id=city.council.id, name="Factory", actor=ACTOR)
    with pytest.raises(AlreadyExists, match="faction named 'Left'"):
        federation.create_faction(
            uow, organization_id=city.organization.id, name="Left", actor=ACTOR
        )
    assert head(uow) == before


def test_bad_input_is_refused_with_the_reason(uow: UnitOfWork) -> None:
    city = build_city(uow)
    before = head(uow)
    with pytest.raises(NotFound, match="council 42 does not exist"):
        federation.create_section(uow, council_id=42, name="X", actor=ACTOR)
    with pytest.raises(InvalidInput, match="colour 'red'"):
        federation.create_faction(
            uow, organization_id=city.organization.id, name="Greens", color="red", actor=ACTOR
        )
    with pytest.raises(RuleViolation, match="is not a member of Regiment"):
        elections.elect_delegates(
            uow,
            constituency_id=city.regiment.id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(city.members["Factory"][0].id, 3)],
            actor=ACTOR,
        )
    with pytest.raises(InvalidInput, match="needs a name"):
        federation.create_organization(uow, name="   ", actor=ACTOR)
    assert head(uow) == before


def test_the_ledger_is_chronological_per_organization(uow: UnitOfWork) -> None:
    city = build_city(uow)
    with pytest.raises(RuleViolation, match="before this organization's last recorded change"):
        federation.create_faction(
            uow, organization_id=city.organization.id, name="Late", actor=ACTOR, at=at("2025-12-01")
        )
    # Another organization keeps its own time line.
    federation.create_organization(uow, name="Old Guild", actor=ACTOR, at=at("1917-06-03"))


def test_elections_need_apportioned_seats(uow: UnitOfWork) -> None:
    city = build_city(uow)
    depot = federation.create_constituency(
        uow, council_id=city.council.id, name="Depot", actor=ACTOR, at=at("2026-01-11")
    )
    with pytest.raises(RuleViolation, match="Depot has no seats in City Council: apportion"):
        elections.elect_delegates(
            uow,
            constituency_id=depot.id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(city.members["Factory"][0].id, 1)],
            actor=ACTOR,
            at=at("2026-01-12"),
        )


def test_a_member_holds_one_seat_per_council(uow: UnitOfWork) -> None:
    city = build_city(uow)
    both = federation.enroll_member(
        uow,
        organization_id=city.organization.id,
        name="Worker-soldier",
        constituency_ids=[city.factory.id, city.regiment.id],
        actor=ACTOR,
        at=at("2026-01-11"),
    )
    elections.apportion_seats(
        uow, council_id=city.council.id, rule=RatioRule(per=2), actor=ACTOR, at=at("2026-01-12")
    )
    elections.elect_delegates(
        uow,
        constituency_id=city.factory.id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(both.id, 5)],
        actor=ACTOR,
        at=at("2026-02-01"),
    )
    with pytest.raises(RuleViolation, match="Worker-soldier already holds a seat in City Council"):
        elections.elect_delegates(
            uow,
            constituency_id=city.regiment.id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(both.id, 5)],
            actor=ACTOR,
            at=at("2026-02-02"),
        )


def test_verify_passes_after_a_history_with_a_recall(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    target = council_composition(uow, city.council.id, at("2026-03-01")).delegates[0]
    elections.recall_delegate(
        uow,
        mandate_id=target.mandate.id,
        votes_for=9,
        votes_against=0,
        actor=ACTOR,
        at=at("2026-04-01"),
    )
    result = verify_ledger(uow)
    assert result.ok, result.problem
    assert result.events > 30


def test_faction_names_cannot_be_confused(uow: UnitOfWork) -> None:
    city = build_city(uow)
    org = city.organization.id
    with pytest.raises(AlreadyExists, match="'left' is too like the existing faction 'Left'"):
        federation.create_faction(uow, organization_id=org, name="left", actor=ACTOR)
    for reserved in ("Non-party", "vacant", "NON PARTY"):
        with pytest.raises(InvalidInput, match="is reserved"):
            federation.create_faction(uow, organization_id=org, name=reserved, actor=ACTOR)


def test_a_recalled_delegate_loses_the_committee_seats_the_council_gave_them(
    uow: UnitOfWork,
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    committee = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=at("2026-02-10"),
    )
    presidium = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Presidium",
        kind=CouncilKind.COMMITTEE,
        parent_id=committee.id,
        actor=ACTOR,
        at=at("2026-02-10"),
    )
    delegates = council_composition(uow, city.council.id, at("2026-02-10")).delegates
    left = tuple(d.member.id for d in delegates if d.faction_name == "Left")
    lists = [ListTally(city.factions["Left"].id, left)]
    elections.elect_committee(
        uow, committee_id=committee.id, seats=2, lists=lists, actor=ACTOR, at=at("2026-02-15")
    )
    elections.elect_committee(
        uow,
        committee_id=presidium.id,
        seats=1,
        lists=[ListTally(city.factions["Left"].id, left[:1])],
        actor=ACTOR,
        at=at("2026-02-16"),
    )
    chair = next(d for d in delegates if d.member.id == left[0])
    elections.recall_delegate(
        uow,
        mandate_id=chair.mandate.id,
        votes_for=8,
        votes_against=0,
        actor=ACTOR,
        at=at("2026-04-01"),
    )
    after = at("2026-04-02")
    assert council_composition(uow, committee.id, after).filled == 1
    assert council_composition(uow, presidium.id, after).filled == 0
    with uow:
        ends = {
            m.council_id: m.end_reason
            for m in uow.repo.mandates_of_member(left[0])
            if m.valid_to == at("2026-04-01")
        }
    assert ends == {
        city.council.id: MandateEnd.RECALL,
        committee.id: MandateEnd.UNSEATED,
        presidium.id: MandateEnd.UNSEATED,
    }
    assert verify_ledger(uow).ok


def test_a_delegate_not_reelected_leaves_the_committee(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    committee = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=at("2026-02-10"),
    )
    regiment = council_composition(uow, city.council.id, at("2026-02-10")).delegates
    soldier = next(d for d in regiment if d.origin == "Regiment")
    faction = soldier.mandate.faction_id
    assert faction is not None
    elections.elect_committee(
        uow,
        committee_id=committee.id,
        seats=1,
        lists=[ListTally(faction, (soldier.member.id,), 1)],
        actor=ACTOR,
        at=at("2026-02-15"),
    )
    others = [m for m in city.members["Regiment"] if m.id != soldier.member.id]
    elections.elect_delegates(
        uow,
        constituency_id=city.regiment.id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(m.id, 1 + i) for i, m in enumerate(others)],
        actor=ACTOR,
        at=at("2026-05-01"),
    )
    assert council_composition(uow, committee.id, at("2026-05-02")).filled == 0


def test_a_constituency_elects_by_stv_from_ranked_ballots_and_verify_recounts_them(
    uow: UnitOfWork, engine: Engine
) -> None:
    city = build_city(uow)
    factory = city.members["Factory"]
    standing = [m.id for m in factory[:7]]
    # Ten electors rank seven candidates; five seats (Droop quota floor(10/6)+1 = 2).
    rankings = [
        [standing[0], standing[1]],
        [standing[0], standing[2]],
        [standing[0], standing[3]],
        [standing[1], standing[0]],
        [standing[2]],
        [standing[3], standing[4]],
        [standing[4], standing[3]],
        [standing[5], standing[6]],
        [standing[6], standing[5]],
        [standing[6]],
    ]
    election = elections.elect_delegates(
        uow,
        constituency_id=city.factory.id,
        method=ElectionMethod.SCOTTISH_STV,
        standing=standing,
        ballots=[RankedBallot(tuple(r)) for r in rankings],
        ties=TieBreak((TieRule.LOT,), seed=7),
        actor=ACTOR,
        at=at("2026-02-01"),
    )
    result = election.result
    assert result["method"] == "scottish-stv"
    assert result["rounds"][0]["quota"] == 2
    assert result["elected"][0] == factory[0].name  # three first preferences, over the quota
    assert len(result["elected"]) == 5
    composition = council_composition(uow, city.council.id, at("2026-02-02"))
    assert {d.member.name for d in composition.delegates} == set(result["elected"])
    assert verify_ledger(uow).ok
    # Change a recorded ballot in the table and the ledger check notices the recount differs.
    with engine.begin() as connection:
        forged = dict(result)
        forged["ballots"] = [[5, [standing[6]]], *result["ballots"][1:]]
        connection.execute(
            update(elections_table).where(elections_table.c.id == election.id).values(result=forged)
        )
    assert not verify_ledger(uow).ok


def test_ranked_ballots_are_checked_before_counting(uow: UnitOfWork) -> None:
    city = build_city(uow)
    factory = city.members["Factory"]
    regiment = city.members["Regiment"]
    standing = [m.id for m in factory[:3]]

    def elect(**cast: object) -> None:
        elections.elect_delegates(
            uow,
            constituency_id=city.factory.id,
            method=ElectionMethod.MEEK_STV,
            actor=ACTOR,
            at=at("2026-02-01"),
            **cast,  # type: ignore[arg-type]
        )

    with pytest.raises(InvalidInput, match=r"ranks member \d+, who is not standing"):
        elect(standing=standing, ballots=[RankedBallot((factory[5].id,))])
    with pytest.raises(InvalidInput, match="ballot 1 ranks a candidate twice"):
        elect(standing=standing, ballots=[RankedBallot((standing[0], standing[0]))])
    with pytest.raises(RuleViolation, match="11 ballots cast in Factory, which has 10 electors"):
        elect(standing=standing, ballots=[RankedBallot((standing[0],), 11)])
    with pytest.raises(RuleViolation, match="is not a member of Factory"):
        elect(standing=[regiment[0].id], ballots=[RankedBallot((regiment[0].id,))])
    with pytest.raises(InvalidInput, match="counts ballots, not candidates"):
        elect(candidates=[CandidateTally(standing[0], 3)])


def test_a_committee_is_elected_by_stv_among_the_delegates(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    committee = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=at("2026-02-10"),
    )
    delegates = council_composition(uow, city.council.id, at("2026-02-10")).delegates
    ids = [d.member.id for d in delegates]
    # Eight delegates vote; three seats; each ranks one of the first three and then a fourth.
    ballots = [RankedBallot((ids[i % 3], ids[3]), 1) for i in range(8)]
    election = elections.elect_committee(
        uow,
        committee_id=committee.id,
        seats=3,
        method=ElectionMethod.SCOTTISH_STV,
        standing=ids[:4],
        ballots=ballots,
        ties=TieBreak((TieRule.LOT,), seed=1),
        actor=ACTOR,
        at=at("2026-02-15"),
    )
    assert set(election.result["elected"]) == {d.member.name for d in delegates[:3]}
    assert council_composition(uow, committee.id, at("2026-02-16")).filled == 3
