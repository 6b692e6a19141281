"""Exporting an organization's history as a scenario: replayed into a fresh database, the
export gives the same state (the same records, compositions, sittings and chronicle), and
exporting the replay gives the same file again. What the format cannot express is refused
with the ledger event that holds it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from smolny.demo import load_demo
from smolny.domain.apportionment import TieRule
from smolny.domain.chronicle import ChronicleEntry
from smolny.domain.congress import CongressApportionment
from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally, RankedBallot
from smolny.domain.federation import CouncilKind, Power, RecallBasis
from smolny.domain.orders import SanctionKind
from smolny.domain.seat_rules import RatioRule, TieBreak
from smolny.domain.sittings import Choice, ItemKind, VoteMode
from smolny.scenario.export import CannotExport, export_yaml
from smolny.scenario.files import load_scenario
from smolny.scenario.replay import replay
from smolny.services import congress as congress_service
from smolny.services import elections, federation, orders, sittings
from smolny.services.chronicle import chronicle
from smolny.services.composition import council_composition
from smolny.services.lookup import find_council, find_organization
from smolny.services.sittings import sitting_view, sittings_of_council
from smolny.store.catalog import RECORD_TABLES
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests import builders_congress, builders_orders
from tests.builders import ACTOR, build_city, elect_city
from tests.conftest import at

SMALL = Path(__file__).parents[1] / "data" / "scenario_small.yaml"
Fresh = Callable[[], UnitOfWork]


@pytest.fixture
def fresh(sqlite_template: Path, tmp_path: Path) -> Iterator[Fresh]:
    """Fresh databases to replay exports into."""
    engines = []

    def make() -> UnitOfWork:
        path = tmp_path / f"replayed-{len(engines)}.sqlite3"
        shutil.copy(sqlite_template, path)
        engines.append(connect(f"sqlite:///{path}"))
        return UnitOfWork(engines[-1], clock=lambda: at("2026-06-01"))

    yield make
    for engine in engines:
        engine.dispose()


def round_trip(
    uow: UnitOfWork, organization: str, fresh: Fresh, tmp_path: Path, **options: str
) -> tuple[str, UnitOfWork]:
    """Export, replay the file into a fresh database, and export that again: the same
    file (a fixed point). The exported text and the replayed database."""
    text = export_yaml(uow, organization, **options)
    path = tmp_path / "exported.yaml"
    path.write_text(text, encoding="utf-8")
    other = fresh()
    replay(other, load_scenario(path))
    assert export_yaml(other, organization, **options) == text
    return text, other


def records(uow: UnitOfWork, *besides: type[Any]) -> dict[str, list[Any]]:
    """Every record of the state (the chronicle aside: a replay enters an entry per event)."""
    with uow:
        return {
            kind.__name__: uow.repo.all(kind)
            for kind in RECORD_TABLES
            if kind not in (ChronicleEntry, *besides)
        }


def composition(uow: UnitOfWork, council: str, day: str) -> tuple[Any, ...]:
    found = council_composition(uow, find_council(uow, council).id, at(day))
    return (
        found.seats,
        found.seats_by_faction(),
        {s.section.name: s.factions for s in found.sections},
        sorted((d.member.name, d.faction_name, d.origin) for d in found.delegates),
    )


def test_a_replayed_scenario_exports_to_a_file_that_replays_to_the_same_state(
    uow: UnitOfWork, fresh: Fresh, tmp_path: Path
) -> None:
    replay(uow, load_scenario(SMALL))
    text, other = round_trip(uow, "Town Workers", fresh, tmp_path, utc_offset="+02:00")
    exported = yaml.safe_load(text)
    assert [(e["at"], e["title"]) for e in exported["events"]] == [
        (dt.date(2026, 3, 1), "The town council is founded"),
        (dt.date(2026, 3, 10), "First elections"),
        ("2026-04-02T18:00", "The strike sitting"),
        (dt.date(2026, 5, 2), "Re-election at the Mill"),
    ]
    for day in ("2026-03-02", "2026-03-11", "2026-04-03", "2026-05-03"):
        for council in ("Town Council", "Town Executive", "Chair"):
            assert composition(other, council, day) == composition(uow, council, day)
    assert composition(other, "Town Council", "2026-05-03")[1] == {"Reds": 5, "Blues": 4}

    def sitting(u: UnitOfWork) -> tuple[Any, ...]:
        (summary,) = sittings_of_council(u, find_council(u, "Town Council").id, at("2026-05-03"))
        view = sitting_view(u, summary.sitting.id, at("2026-05-03"))
        (motion,) = view.motions
        (vote,) = motion.votes
        return (
            view.sitting.title,
            [w.names for w in view.walkouts],
            (vote.vote.yes, vote.vote.no, vote.vote.abstain, vote.vote.outcome),
            [p.present for p in view.timeline],
        )

    assert sitting(other) == sitting(uow)

    def told(u: UnitOfWork) -> list[tuple[Any, ...]]:
        organization = find_organization(u, "Town Workers")
        return [
            (e.at, e.title, e.text, e.sources, e.assumptions) for e in chronicle(u, organization.id)
        ]

    assert told(other) == told(uow)
    assert records(other) == records(uow)


def test_the_demo_federation_exports_with_its_ranked_ballots_and_replays(
    uow: UnitOfWork, fresh: Fresh, tmp_path: Path
) -> None:
    """United Transport Workers: Scottish STV at the Container Terminal, plurality with
    ties drawn by lot, a recall, a by-election, a failed recall."""
    load_demo(uow)
    text, other = round_trip(uow, "United Transport Workers", fresh, tmp_path)
    exported = yaml.safe_load(text)
    actions = [a for e in exported["events"] for a in e.get("do", [])]
    (stv,) = [a["elect"] for a in actions if a.get("elect", {}).get("method") == "scottish-stv"]
    assert stv["constituency"] == "Harbor City Council/Container Terminal"
    assert len(stv["standing"]) == 16
    assert stv["ties"] == {"seed": 2026}
    assert sum(b.get("count", 1) for b in stv["ballots"]) > 40
    assert [a["elect"]["by_election"] for a in actions if "by_election" in a.get("elect", {})]
    assert len([a for a in actions if "recall" in a]) == 2
    councils = (
        "Riverside City Council",
        "Harbor City Council",
        "National Congress",
        "Riverside Executive Committee",
        "Harbor Executive Committee",
        "National Executive",
    )
    for day in ("2026-02-10", "2026-03-06", "2026-03-10", "2026-04-20", "2026-04-29", "2026-05-06"):
        for council in councils:
            assert composition(other, council, day) == composition(uow, council, day)
    # The same members, numbers, mandates and elections (results, rounds, ballots); only
    # the congress, apportioned like a council, gains the congress's record of electors.
    assert records(other, CongressApportionment) == records(uow, CongressApportionment)


def test_a_sitting_exports_step_by_step(uow: UnitOfWork, fresh: Fresh, tmp_path: Path) -> None:
    """Convened the day before; the agenda, speakers, a motion and its amendment, faction
    lines, a roll call, a show of hands, a delegate leaving, an election by STV under its
    item, a walkout of a faction and a delegate, and a close after midnight."""
    city = build_city(uow)
    elect_city(uow, city)
    presidium = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Presidium",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=at("2026-05-01"),
    )
    seated = council_composition(uow, city.council.id, at("2026-05-01")).delegates
    people = {d.member.name: d.member.id for d in seated}

    def who(*names: str) -> list[int]:
        return [people[n] for n in names]

    def t(hour: int, minute: int = 0, day: int = 12) -> dt.datetime:
        return dt.datetime(2026, 5, day, hour, minute, tzinfo=dt.UTC)

    sitting = sittings.convene_sitting(
        uow,
        council_id=city.council.id,
        title="Sitting on the strike",
        day=dt.date(2026, 5, 12),
        chair_member_id=people["Factory member 1"],
        actor=ACTOR,
        at=t(17, day=11),
    )
    sid = sitting.id
    sittings.open_sitting(uow, sitting_id=sid, actor=ACTOR, at=t(17, 45))
    sittings.check_in(uow, sitting_id=sid, everyone=True, actor=ACTOR, at=t(17, 50))
    for title, kind in (("Reports", ItemKind.REPORT), ("The strike", ItemKind.MOTION)):
        sittings.add_agenda_item(
            uow, sitting_id=sid, title=title, kind=kind, actor=ACTOR, at=t(17, 55)
        )
    sittings.take_up_item(uow, sitting_id=sid, position=1, actor=ACTOR, at=t(18))
    (speaker,) = who("Factory member 2")
    sittings.ask_to_speak(uow, sitting_id=sid, member_id=speaker, actor=ACTOR, at=t(18, 1))
    sittings.give_floor(uow, sitting_id=sid, actor=ACTOR, at=t(18, 2))
    sittings.give_floor(uow, sitting_id=sid, actor=ACTOR, at=t(18, 10))
    sittings.take_up_item(uow, sitting_id=sid, position=2, actor=ACTOR, at=t(18, 15))
    strike = sittings.table_motion(
        uow,
        sitting_id=sid,
        title="Strike",
        text="The council calls a general strike.",
        by_faction_id=city.factions["Left"].id,
        actor=ACTOR,
        at=t(18, 16),
    )
    amendment = sittings.amend_motion(
        uow,
        motion_id=strike.id,
        title="One-day strike",
        text="The council calls a one-day strike.",
        by_member_id=people["Factory member 7"],
        actor=ACTOR,
        at=t(18, 20),
    )
    for motion, faction, line in (
        (amendment, "Left", Choice.AGAINST),
        (strike, "Centre", Choice.FOR),
    ):
        sittings.adopt_line(
            uow,
            motion_id=motion.id,
            faction_id=city.factions[faction].id,
            line=line,
            actor=ACTOR,
            at=t(18, 21),
        )
    vote = sittings.open_vote(
        uow, motion_id=amendment.id, mode=VoteMode.ROLL_CALL, actor=ACTOR, at=t(18, 25)
    )
    for names, choice in (
        (("Factory member 7", "Regiment member 3"), Choice.FOR),
        (
            ("Factory member 1", "Factory member 2", "Factory member 3", "Regiment member 1"),
            Choice.AGAINST,
        ),
        (("Regiment member 5",), Choice.ABSTAIN),
    ):
        for member_id in who(*names):
            sittings.cast_vote(
                uow, vote_id=vote.id, member_id=member_id, choice=choice, actor=ACTOR, at=t(18, 25)
            )
    sittings.close_vote(uow, vote_id=vote.id, actor=ACTOR, at=t(18, 25))
    sittings.leave(
        uow, sitting_id=sid, member_ids=who("Regiment member 5"), actor=ACTOR, at=t(18, 30)
    )
    sittings.record_totals(
        uow, motion_id=strike.id, yes=5, no=1, abstain=1, actor=ACTOR, at=t(18, 35)
    )
    sittings.add_agenda_item(
        uow,
        sitting_id=sid,
        title="The presidium",
        kind=ItemKind.ELECTION,
        actor=ACTOR,
        at=t(18, 40),
    )
    sittings.take_up_item(uow, sitting_id=sid, actor=ACTOR, at=t(18, 40))
    standing = who("Factory member 1", "Factory member 2", "Factory member 7", "Regiment member 3")
    sittings.hold_election(
        uow,
        sitting_id=sid,
        committee_id=presidium.id,
        seats=3,
        method=ElectionMethod.SCOTTISH_STV,
        standing=standing,
        ballots=[
            RankedBallot((standing[0], standing[1]), 3),
            RankedBallot((standing[2], standing[3]), 2),
            RankedBallot((standing[1], standing[0])),
        ],
        actor=ACTOR,
        at=t(18, 45),
    )
    sittings.walk_out(
        uow,
        sitting_id=sid,
        statement="We leave this sitting.",
        faction_ids=[city.factions["Centre"].id],
        member_ids=who("Factory member 4"),
        actor=ACTOR,
        at=t(18, 50),
    )
    sittings.close_sitting(uow, sitting_id=sid, actor=ACTOR, at=t(0, 30, day=13))

    text, other = round_trip(uow, "Test Union", fresh, tmp_path)
    steps = next(
        a["sitting"]["steps"]
        for e in yaml.safe_load(text)["events"]
        for a in e.get("do", [])
        if "sitting" in a
    )
    assert steps[0] == {"time": "2026-05-12T17:45", "open": True}
    assert {"time": "18:15", "take_up": 2} in steps
    assert {"time": "18:40", "item": {"title": "The presidium", "kind": "election"}} in steps
    assert steps[-1] == {"time": "2026-05-13T00:30", "close": True}
    assert {
        "time": "18:50",
        "walk_out": {
            "statement": "We leave this sitting.",
            "factions": ["Centre"],
            "members": ["Factory member 4"],
        },
    } in steps
    assert records(other) == records(uow)


def test_a_congress_with_its_credentials_and_central_committee(
    uow: UnitOfWork, fresh: Fresh, tmp_path: Path
) -> None:
    """The congress of soviets of tests/builders_congress.py, up to its close: credentials
    of the delegates named (some without a mandate), one refused by the credentials
    commission, a central committee elected by the seated."""
    built = builders_congress.build_soviets(uow)
    sent = builders_congress.seat_the_congress(uow, built)
    builders_congress.combine_small_soviets(uow, built)
    sent["Tver District Congress"] = builders_congress.deputies(
        uow, built.congress.id, at("1917-06-02")
    )[-2:]
    commission = builders_congress.credentials_commission(uow, built, at("1917-06-02"))
    cec = federation.create_council(
        uow,
        organization_id=built.organization.id,
        name="Central Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=built.congress.id,
        powers=[Power.ACT_BETWEEN_SITTINGS],
        actor=ACTOR,
        at=at("1917-06-02"),
    )
    convocation = congress_service.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    presented = [
        congress_service.Presentation(m.member_id, built.soviets[soviet].id)
        for soviet, mandates in sent.items()
        for m in mandates
    ]
    presented.append(
        congress_service.Presentation(
            built.members["Tver Soviet"][-1].id, built.soviets["Tver Soviet"].id
        )
    )
    congress_service.check_credentials(
        uow, convocation_id=convocation.id, presented=presented, actor=ACTOR, at=at("1917-06-03")
    )
    congress_service.refuse_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=sent["Petrograd Soviet"][3].member_id,
        reason="elected at a meeting without quorum",
        by_council_id=commission.id,
        actor=ACTOR,
        at=at("1917-06-04"),
    )
    seated = congress_service.seated_at_congress(uow, built.congress.id, at("1917-06-10"))
    congress_service.elect_central_committee(
        uow,
        committee_id=cec.id,
        seats=5,
        lists=[
            ListTally(f.id, tuple(m.member_id for m in seated if m.faction_id == f.id))
            for f in built.factions.values()
            if any(m.faction_id == f.id for m in seated)
        ],
        actor=ACTOR,
        at=at("1917-06-10"),
    )
    congress_service.close_congress(
        uow, congress_id=built.congress.id, actor=ACTOR, at=at("1917-06-24")
    )
    text, other = round_trip(uow, built.organization.name, fresh, tmp_path)
    actions = [a for e in yaml.safe_load(text)["events"] for a in e.get("do", [])]
    (credentials,) = [a["credentials"] for a in actions if "credentials" in a]
    assert len(credentials["delegates"]) == len(presented)
    (refusal,) = [a["refuse_credentials"] for a in actions if "refuse_credentials" in a]
    assert refusal["reason"] == "elected at a meeting without quorum"
    assert refusal["by"] == commission.name
    assert records(other) == records(uow)


def test_orders_countersignature_and_sanctions(
    uow: UnitOfWork, fresh: Fresh, tmp_path: Path
) -> None:
    p = builders_orders.build_petrograd(uow)
    orders.sanction_faction(
        uow,
        faction_id=p.factions["Bolsheviks"].id,
        council_id=p.executive.id,
        kind=SanctionKind.BAN,
        effects=["may not table motions"],
        decision="Executive Committee, 13 July 1917",
        actor=ACTOR,
        at=builders_orders.day("1917-07-13"),
    )
    builders_orders.october(uow, p)
    front = orders.issue_order(
        uow,
        authority_id=p.government.id,
        unit_ids=p.garrison,
        title="Send the garrison regiments to the northern front",
        text="The regiments named are to entrain for the northern front.",
        actor=ACTOR,
        at=builders_orders.day("1917-10-21"),
    )
    orders.refuse_order(
        uow,
        order_id=front.id,
        council_id=p.committee.id,
        reason="No order is valid without the Committee's countersignature",
        actor=ACTOR,
        at=builders_orders.day("1917-10-22"),
    )
    orders.issue_order(
        uow,
        council_id=p.committee.id,
        unit_ids=p.garrison,
        title="No regiment leaves the capital",
        countermands_id=front.id,
        actor=ACTOR,
        at=builders_orders.day("1917-10-22", 18),
    )
    palace = orders.issue_order(
        uow,
        authority_id=p.government.id,
        unit_ids=[p.pavlovsky.id],
        title="Guard the Winter Palace",
        actor=ACTOR,
        at=builders_orders.day("1917-10-24"),
    )
    orders.countersign_order(
        uow,
        order_id=palace.id,
        council_id=p.committee.id,
        actor=ACTOR,
        at=builders_orders.day("1917-10-24", 14),
    )
    text, other = round_trip(uow, p.organization.name, fresh, tmp_path)
    actions = [a for e in yaml.safe_load(text)["events"] for a in e.get("do", [])]
    assert {
        "countersignature": {
            "council": "Military Revolutionary Committee",
            "units": ["Volynsky Regiment", "Pavlovsky Regiment"],
            "decision": builders_orders.GARRISON_CONFERENCE,
        }
    } in actions
    assert any(a.get("order", {}).get("countermands") == front.title for a in actions)
    assert records(other) == records(uow)


def test_what_the_format_cannot_express_is_refused_with_its_event(uow: UnitOfWork) -> None:
    replay(uow, load_scenario(SMALL))
    council = find_council(uow, "Town Council")
    sitting = sittings.convene_sitting(
        uow,
        council_id=council.id,
        title="Secret sitting",
        day=dt.date(2026, 5, 20),
        actor=ACTOR,
        at=at("2026-05-20", 17),
    )
    sittings.open_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=at("2026-05-20", 17))
    sittings.check_in(
        uow, sitting_id=sitting.id, everyone=True, actor=ACTOR, at=at("2026-05-20", 17)
    )
    sittings.add_agenda_item(
        uow, sitting_id=sitting.id, title="Strike", actor=ACTOR, at=at("2026-05-20", 17)
    )
    sittings.take_up_item(uow, sitting_id=sitting.id, actor=ACTOR, at=at("2026-05-20", 17))
    motion = sittings.table_motion(
        uow,
        sitting_id=sitting.id,
        title="Strike",
        text="The council calls a strike.",
        by_faction_id=council_composition(uow, council.id, at("2026-05-20")).factions[0].id,
        actor=ACTOR,
        at=at("2026-05-20", 18),
    )
    sittings.open_vote(
        uow, motion_id=motion.id, mode=VoteMode.SECRET, actor=ACTOR, at=at("2026-05-20", 18)
    )
    with uow:
        seq = uow.ledger.head()[0]
    with pytest.raises(CannotExport) as refused:
        export_yaml(uow, "Town Workers")
    assert refused.value.message == (
        f"event #{seq} (sitting-vote-opened): version 1 of the scenario format cannot "
        "express a secret vote (the ledger holds who voted and the totals, never a choice "
        "beside a name)"
    )


def test_a_recall_petition_is_refused(uow: UnitOfWork) -> None:
    story = builders_congress.tell_the_story(uow)
    with pytest.raises(CannotExport, match=r"^event #\d+ \(recall-petition-opened\): version 1 "):
        export_yaml(uow, story.built.organization.name)


def test_a_change_during_a_sitting_is_refused(uow: UnitOfWork) -> None:
    """A sitting is one action of the format: a recall while it sits cannot be told."""
    replay(uow, load_scenario(SMALL))
    council = find_council(uow, "Town Council")
    sitting = sittings.convene_sitting(
        uow,
        council_id=council.id,
        title="Long sitting",
        day=dt.date(2026, 5, 20),
        actor=ACTOR,
        at=at("2026-05-20", 9),
    )
    sittings.open_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=at("2026-05-20", 10))
    seat = council_composition(uow, council.id, at("2026-05-20")).delegates[0].mandate
    elections.recall_delegate(
        uow, mandate_id=seat.id, votes_for=10, votes_against=1, actor=ACTOR, at=at("2026-05-20", 11)
    )
    sittings.close_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=at("2026-05-20", 12))
    with pytest.raises(
        CannotExport,
        match=r"\(recall-voted\): .* a change recorded while the sitting 'Long sitting'",
    ):
        export_yaml(uow, "Town Workers")


def test_plurality_by_election_and_members_named_alike(
    uow: UnitOfWork, fresh: Fresh, tmp_path: Path
) -> None:
    """Two members of one name are named by their membership numbers."""
    replay(uow, load_scenario(SMALL))
    organization = find_organization(uow, "Town Workers")
    mill = find_council(uow, "Town Council")
    (place,) = [c for c in _constituencies(uow, mill.id) if c.name == "Mill"]
    twins = [
        federation.enroll_member(
            uow,
            organization_id=organization.id,
            name="Sam Twin",
            number=number,
            constituency_ids=[place.id],
            actor=ACTOR,
            at=at("2026-05-10"),
        )
        for number in ("T-1", "T-2")
    ]
    seat = next(
        d.mandate
        for d in council_composition(uow, mill.id, at("2026-05-10")).delegates
        if d.origin == "Mill"
    )
    elections.resign_mandate(uow, mandate_id=seat.id, actor=ACTOR, at=at("2026-05-11"))
    elections.hold_by_election(
        uow,
        constituency_id=place.id,
        candidates=[CandidateTally(twins[0].id, 7), CandidateTally(twins[1].id, 9)],
        actor=ACTOR,
        at=at("2026-05-12"),
    )
    text, other = round_trip(uow, "Town Workers", fresh, tmp_path)
    assert "{name: Sam Twin, number: T-1}" in text
    assert "candidates: {T-1: 7, T-2: 9}" in text
    assert records(other) == records(uow)


def test_recall_rules_tie_rules_powers_and_a_ranked_by_election(
    uow: UnitOfWork, fresh: Fresh, tmp_path: Path
) -> None:
    replay(uow, load_scenario(SMALL))
    organization = find_organization(uow, "Town Workers")
    council = find_council(uow, "Town Council")
    yard = federation.create_constituency(
        uow,
        council_id=council.id,
        name="Yard",
        recall_basis=RecallBasis.VOTES_CAST,
        recall_share=Fraction(2, 3),
        actor=ACTOR,
        at=at("2026-05-10"),
    )
    federation.report_electors(
        uow, constituency_id=yard.id, electors=1000, actor=ACTOR, at=at("2026-05-10", 13)
    )
    federation.grant_powers(
        uow,
        council_id=find_council(uow, "Town Executive").id,
        granted=[Power.ISSUE_ORDERS],
        decision="Town Council, 10 May",
        actor=ACTOR,
        at=at("2026-05-10", 13),
    )
    reds = council_composition(uow, council.id, at("2026-05-10")).factions[0]
    crew = federation.enroll_members(
        uow,
        organization_id=organization.id,
        members=[federation.NewMember(f"Yard hand {n}", reds.id) for n in range(1, 5)],
        constituency_id=yard.id,
        actor=ACTOR,
        at=at("2026-05-10", 14),
    )
    elections.apportion_seats(
        uow,
        council_id=council.id,
        rule=RatioRule(per=500),
        ties=TieBreak((TieRule.LARGEST, TieRule.LOT), seed=7),
        actor=ACTOR,
        at=at("2026-05-11"),
    )
    ids = [m.id for m in crew]
    elections.elect_delegates(
        uow,
        constituency_id=yard.id,
        method=ElectionMethod.SCOTTISH_STV,
        standing=ids,
        ballots=[RankedBallot((ids[0], ids[1]), 300), RankedBallot((ids[1], ids[2]), 200)],
        ties=TieBreak(seed=11),
        actor=ACTOR,
        at=at("2026-05-12"),
    )
    (seat, *_) = [
        d.mandate
        for d in council_composition(uow, council.id, at("2026-05-13")).delegates
        if d.origin == "Yard"
    ]
    elections.recall_delegate(
        uow, mandate_id=seat.id, votes_for=70, votes_against=30, actor=ACTOR, at=at("2026-05-13")
    )
    elections.hold_by_election(
        uow,
        constituency_id=yard.id,
        method=ElectionMethod.IRV,
        standing=ids[2:],
        ballots=[RankedBallot((ids[3],), 40), RankedBallot((ids[2], ids[3]), 30)],
        actor=ACTOR,
        at=at("2026-05-14"),
    )
    text, other = round_trip(uow, "Town Workers", fresh, tmp_path)
    actions = [a for e in yaml.safe_load(text)["events"] for a in e.get("do", [])]
    assert {
        "constituency": {
            "council": "Town Council",
            "name": "Yard",
            "recall_basis": "votes_cast",
            "recall_share": "2/3",
        }
    } in actions
    assert {"electors": {"constituency": "Town Council/Yard", "electors": 1000}} in actions
    assert {
        "apportion": {
            "council": "Town Council",
            "rule": "ratio:500:1",
            "ties": {"rules": ["largest", "lot"], "seed": 7},
        }
    } in actions
    (by_election,) = [a["elect"] for a in actions if a.get("elect", {}).get("by_election")]
    assert by_election["method"] == "irv"
    assert by_election["ballots"] == [
        {"ranking": ["Yard hand 4"], "count": 40},
        {"ranking": ["Yard hand 3", "Yard hand 4"], "count": 30},
    ]
    assert records(other) == records(uow)


def _constituencies(uow: UnitOfWork, council_id: int) -> list[Any]:
    with uow:
        return uow.repo.constituencies(council_id)
