"""Congresses against a real database, on SQLite and PostgreSQL: apportionment by the 1917
rule, combining small soviets, credentials, the central executive committee."""

from __future__ import annotations

import pytest

from smolny.domain.congress import CredentialReason
from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally
from smolny.domain.errors import AlreadyExists, InvalidInput, RuleViolation
from smolny.domain.federation import ConstituencyKind, CouncilKind, Power
from smolny.domain.seat_rules import FixedRule, StepRule
from smolny.services import congress, elections, federation, petitions
from smolny.services.composition import council_composition
from smolny.services.verify import verify_ledger
from smolny.store.uow import UnitOfWork
from tests.builders_congress import (
    ACTOR,
    RULE,
    build_soviets,
    credentials_commission,
    deputies,
    seat_the_congress,
)
from tests.conftest import at

RULE_1917 = StepRule(threshold=25000, first=2, per=25000, maximum=8)


def test_the_1917_rule_shares_a_congress_by_the_electors_the_soviets_reported(
    uow: UnitOfWork,
) -> None:
    org = federation.create_organization(uow, name="Conference", actor=ACTOR, at=at("1917-03-29"))
    congress_ = federation.create_council(
        uow,
        organization_id=org.id,
        name="Congress",
        kind=CouncilKind.CONGRESS,
        actor=ACTOR,
        at=at("1917-03-29"),
    )
    reported = {}
    for electors in (24_999, 25_000, 49_999, 50_000, 200_000, 1_000_000):
        soviet = federation.create_council(
            uow,
            organization_id=org.id,
            name=f"Soviet of {electors}",
            actor=ACTOR,
            at=at("1917-03-29"),
        )
        seat = federation.create_constituency(
            uow,
            council_id=congress_.id,
            name=soviet.name,
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=soviet.id,
            actor=ACTOR,
            at=at("1917-03-29"),
        )
        reported[seat.id] = electors
    record = congress.apportion_congress(
        uow,
        congress_id=congress_.id,
        rule=RULE_1917,
        reported=reported,
        actor=ACTOR,
        at=at("1917-04-03"),
    )
    assert record.rule_text == "step:25000:2:25000:8"
    assert dict(zip(record.electors, record.seats, strict=True)) == {
        24_999: 0,
        25_000: 2,
        49_999: 2,
        50_000: 3,
        200_000: 8,
        1_000_000: 8,
    }
    view = congress.apportionment_view(uow, congress_.id, at("1917-04-04"))
    assert [r.constituency.name for r in view.must_combine] == ["Soviet of 24999"]
    assert view.seats == 23
    assert view.electors == sum(reported.values())
    assert all(r.reported for r in view.rows)
    assert view.threshold == 25000
    assert council_composition(uow, congress_.id, at("1917-04-04")).seats == 23
    assert verify_ledger(uow).ok


def test_reported_electors_must_name_constituencies_of_the_congress(uow: UnitOfWork) -> None:
    built = build_soviets(uow)
    with pytest.raises(InvalidInput, match="not a constituency of All-Russian"):
        congress.apportion_congress(
            uow,
            congress_id=built.congress.id,
            rule=RULE,
            reported={built.factories["Tver Soviet"].id: 100},
            actor=ACTOR,
        )
    with pytest.raises(InvalidInput, match="Tver Soviet: electors must be a whole number"):
        congress.apportion_congress(
            uow,
            congress_id=built.congress.id,
            rule=RULE,
            reported={built.seats["Tver Soviet"].id: -1},
            actor=ACTOR,
        )


def test_small_soviets_combine_through_a_district_congress_and_send_its_delegates(
    uow: UnitOfWork,
) -> None:
    built = build_soviets(uow)
    seat_the_congress(uow, built)
    view = congress.apportionment_view(uow, built.congress.id, at("1917-05-21"))
    assert {r.constituency.name: (r.electors, r.seats) for r in view.rows} == {
        "Petrograd Soviet": (30, 4),
        "Moscow Soviet": (20, 3),
        "Tver Soviet": (6, 0),
        "Klin Soviet": (5, 0),
    }
    assert sorted(r.constituency.name for r in view.must_combine) == ["Klin Soviet", "Tver Soviet"]

    # Tver and Klin meet in a district congress, which sends delegates in their place.
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
    district_seat = federation.create_constituency(
        uow,
        council_id=built.congress.id,
        name="Tver District Congress",
        kind=ConstituencyKind.COUNCIL,
        lower_council_id=district.id,
        actor=ACTOR,
        at=at("1917-05-27"),
    )
    # Each soviet sends two delegates to the district congress, elected by its deputies.
    congress.apportion_congress(
        uow, congress_id=district.id, rule=FixedRule(2), actor=ACTOR, at=at("1917-05-28")
    )
    with uow:
        district_seats = {c.name: c for c in uow.repo.constituencies(district.id)}
    for day, name in ((29, "Tver Soviet"), (30, "Klin Soviet")):
        sitting = deputies(uow, built.soviets[name].id, at(f"1917-05-{day}"))
        elections.elect_delegates(
            uow,
            constituency_id=district_seats[name].id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(m.member_id, 2 - k) for k, m in enumerate(sitting[:2])],
            actor=ACTOR,
            at=at(f"1917-05-{day}"),
        )
    # The congress is apportioned again: the district counts the electors of both soviets.
    congress.apportion_congress(
        uow, congress_id=built.congress.id, rule=RULE, actor=ACTOR, at=at("1917-05-31")
    )
    view = congress.apportionment_view(uow, built.congress.id, at("1917-05-31"))
    rows = {r.constituency.name: r for r in view.rows}
    assert (rows["Tver District Congress"].electors, rows["Tver District Congress"].seats) == (
        11,
        2,
    )
    assert [c.name for c in rows["Tver District Congress"].combines] == [
        "Tver Soviet",
        "Klin Soviet",
    ]
    for name in ("Tver Soviet", "Klin Soviet"):
        assert rows[name].seats == 0
        assert rows[name].through == district_seat
        assert not rows[name].must_combine
    assert view.must_combine == []
    assert view.seats == 4 + 3 + 2
    assert view.electors == 30 + 20 + 11  # the combined soviets are counted once

    # The district congress's four delegates elect its two congress delegates; a Klin
    # worker may stand, since the district's base is both soviets' members.
    district_delegates = deputies(uow, district.id, at("1917-06-01"))
    assert len(district_delegates) == 4
    klin = next(
        m for m in district_delegates if m.constituency_id == district_seats["Klin Soviet"].id
    )
    tver = next(
        m for m in district_delegates if m.constituency_id == district_seats["Tver Soviet"].id
    )
    election = elections.elect_delegates(
        uow,
        constituency_id=district_seat.id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(klin.member_id, 3), CandidateTally(tver.member_id, 1)],
        actor=ACTOR,
        at=at("1917-06-01"),
    )
    assert election.result["electorate"] == 4
    sent = council_composition(uow, built.congress.id, at("1917-06-02"))
    assert {d.member.id for d in sent.delegates if d.origin == "Tver District Congress"} == {
        klin.member_id,
        tver.member_id,
    }

    # At the congress, they sit for the district, not for their own soviets.
    convocation = congress.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    checked = congress.check_credentials(
        uow,
        convocation_id=convocation.id,
        presented=[
            congress.Presentation(klin.member_id, district.id),
            congress.Presentation(tver.member_id, built.soviets["Tver Soviet"].id),
        ],
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    assert [c.seated for c in checked] == [True, False]
    assert checked[1].reason is CredentialReason.NO_SEATS
    assert checked[1].detail == (
        "Tver Soviet has no seats in All-Russian Congress of Soviets: its electors are counted "
        "in Tver District Congress, which sends the delegates"
    )
    assert verify_ledger(uow).ok


def test_a_council_counted_twice_or_a_congress_under_itself_is_refused(uow: UnitOfWork) -> None:
    built = build_soviets(uow)
    org = built.organization.id
    districts = [
        federation.create_council(
            uow, organization_id=org, name=name, kind=CouncilKind.CONGRESS, actor=ACTOR
        )
        for name in ("North District", "South District")
    ]
    for district in districts:
        federation.create_constituency(
            uow,
            council_id=district.id,
            name="Klin Soviet",
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=built.soviets["Klin Soviet"].id,
            actor=ACTOR,
        )
        federation.create_constituency(
            uow,
            council_id=built.congress.id,
            name=district.name,
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=district.id,
            actor=ACTOR,
        )
    with pytest.raises(RuleViolation, match="Klin Soviet would be counted twice"):
        congress.apportion_congress(uow, congress_id=built.congress.id, rule=RULE, actor=ACTOR)
    federation.create_constituency(
        uow,
        council_id=districts[0].id,
        name="The congress itself",
        kind=ConstituencyKind.COUNCIL,
        lower_council_id=built.congress.id,
        actor=ACTOR,
    )
    with pytest.raises(RuleViolation, match="cannot be among its own lower councils"):
        congress.apportion_congress(uow, congress_id=built.congress.id, rule=RULE, actor=ACTOR)


def test_credentials_seat_the_holders_of_a_mandate_and_refuse_the_others_saying_why(
    uow: UnitOfWork,
) -> None:
    built = build_soviets(uow)
    sent = seat_the_congress(uow, built)
    petrograd, moscow = sent["Petrograd Soviet"], sent["Moscow Soviet"]
    outsider = built.members["Petrograd Soviet"][-1]  # a worker with no congress mandate
    tver_worker = built.members["Tver Soviet"][0]
    convocation = congress.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    p, s = congress.Presentation, built.soviets
    checked = congress.check_credentials(
        uow,
        convocation_id=convocation.id,
        presented=[
            *(p(m.member_id, s["Petrograd Soviet"].id) for m in petrograd),
            p(moscow[0].member_id, s["Moscow Soviet"].id),
            p(moscow[1].member_id, s["Petrograd Soviet"].id),  # from the wrong soviet
            p(outsider.id, s["Petrograd Soviet"].id),
            p(tver_worker.id, s["Tver Soviet"].id),
        ],
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    assert [c.seated for c in checked] == [True] * 5 + [False] * 3
    wrong, nobody, tver = checked[5:]
    assert wrong.reason is CredentialReason.NO_MANDATE
    assert wrong.detail.endswith("from Petrograd Soviet (holds one from Moscow Soviet instead)")
    assert nobody.reason is CredentialReason.NO_MANDATE
    assert nobody.detail == (
        "Petrograd worker 30 holds no mandate in All-Russian Congress of Soviets from "
        "Petrograd Soviet"
    )
    assert tver.reason is CredentialReason.NO_SEATS
    assert "must combine" in tver.detail

    # The credentials commission refuses a seated delegate, stating why.
    commission = credentials_commission(uow, built, at("1917-06-03"))
    disputed = petrograd[3]
    refused = congress.refuse_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=disputed.member_id,
        reason="elected at a meeting without quorum",
        by_council_id=commission.id,
        actor=ACTOR,
        at=at("1917-06-04"),
    )
    assert refused.reason is CredentialReason.REFUSED
    assert refused.detail == (
        "refused by Credentials Commission: elected at a meeting without quorum"
    )
    assert refused.council_id == s["Petrograd Soviet"].id  # where they presented from
    with pytest.raises(RuleViolation, match="refused by Credentials Commission"):
        congress.present_credentials(
            uow,
            convocation_id=convocation.id,
            member_id=disputed.member_id,
            council_id=s["Petrograd Soviet"].id,
            actor=ACTOR,
            at=at("1917-06-04"),
        )
    with pytest.raises(AlreadyExists, match="already seated at First Congress"):
        congress.present_credentials(
            uow,
            convocation_id=convocation.id,
            member_id=petrograd[0].member_id,
            council_id=s["Petrograd Soviet"].id,
            actor=ACTOR,
            at=at("1917-06-04"),
        )

    report = congress.credentials_report(uow, convocation.id, at("1917-06-04"))
    assert len(report.seated) == 4  # three from Petrograd, one from Moscow
    assert {r.member.id for r in report.seated} == {
        *(m.member_id for m in petrograd[:3]),
        moscow[0].member_id,
    }
    assert report.by_reason() == {
        "no mandate from that council": 2,
        "council has no seats": 1,
        "refused by the credentials body": 1,
    }
    assert {a.member.id for a in report.absent} == {m.member_id for m in moscow[1:]} - {
        moscow[1].member_id
    }
    assert report.seats == 7
    seated = congress.seated_at_congress(uow, built.congress.id, at("1917-06-04"))
    assert {m.member_id for m in seated} == {r.member.id for r in report.seated}
    # As of the opening day, before the commission refused, four from Petrograd sat.
    on_the_3rd = congress.seated_at_congress(uow, built.congress.id, at("1917-06-03", 18))
    assert len(on_the_3rd) == 5
    assert verify_ledger(uow).ok


def test_only_a_body_of_the_congress_holding_the_power_refuses_credentials(
    uow: UnitOfWork,
) -> None:
    built = build_soviets(uow)
    sent = seat_the_congress(uow, built)
    convocation = congress.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    delegate = sent["Moscow Soviet"][0]
    executive = federation.create_council(
        uow,
        organization_id=built.organization.id,
        name="Bureau",
        kind=CouncilKind.COMMITTEE,
        parent_id=built.congress.id,
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    with pytest.raises(RuleViolation, match="Bureau does not hold the check-credentials power"):
        congress.refuse_credentials(
            uow,
            convocation_id=convocation.id,
            member_id=delegate.member_id,
            council_id=built.soviets["Moscow Soviet"].id,
            reason="no reason",
            by_council_id=executive.id,
            actor=ACTOR,
        )
    elsewhere = federation.create_council(
        uow,
        organization_id=built.organization.id,
        name="Moscow Commission",
        kind=CouncilKind.COMMITTEE,
        parent_id=built.soviets["Moscow Soviet"].id,
        powers=[Power.CHECK_CREDENTIALS],
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    with pytest.raises(RuleViolation, match="Moscow Commission is not a body of All-Russian"):
        congress.refuse_credentials(
            uow,
            convocation_id=convocation.id,
            member_id=delegate.member_id,
            council_id=built.soviets["Moscow Soviet"].id,
            reason="no reason",
            by_council_id=elsewhere.id,
            actor=ACTOR,
        )
    with pytest.raises(InvalidInput, match="state the reason"):
        congress.refuse_credentials(
            uow,
            convocation_id=convocation.id,
            member_id=delegate.member_id,
            reason="  ",
            by_council_id=elsewhere.id,
            actor=ACTOR,
        )


def test_a_recalled_delegate_loses_the_congress_seat_at_once_and_is_refused(
    uow: UnitOfWork,
) -> None:
    built = build_soviets(uow)
    sent = seat_the_congress(uow, built)
    moscow = built.soviets["Moscow Soviet"]
    first, second = sent["Moscow Soviet"][:2]
    # The second Moscow delegate is recalled before the congress opens.
    elections.recall_delegate(
        uow, mandate_id=second.id, votes_for=8, votes_against=1, actor=ACTOR, at=at("1917-06-01")
    )
    convocation = congress.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    seated, refused = congress.check_credentials(
        uow,
        convocation_id=convocation.id,
        presented=[
            congress.Presentation(first.member_id, moscow.id),
            congress.Presentation(second.member_id, moscow.id),
        ],
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    assert seated.seated
    assert refused.reason is CredentialReason.MANDATE_ENDED
    assert refused.detail == (
        "Moscow worker 2's mandate from Moscow Soviet ended: recalled on 1917-06-01"
    )
    # The first is recalled during the congress: the seat is lost at once.
    elections.recall_delegate(
        uow, mandate_id=first.id, votes_for=6, votes_against=2, actor=ACTOR, at=at("1917-06-05")
    )
    before = congress.seated_at_congress(uow, built.congress.id, at("1917-06-04"))
    after = congress.seated_at_congress(uow, built.congress.id, at("1917-06-06"))
    assert first.id in {m.id for m in before}
    assert first.id not in {m.id for m in after}
    report = congress.credentials_report(uow, convocation.id, at("1917-06-06"))
    assert [(r.member.id, r.detail) for r in report.left] == [
        (first.member_id, "mandate ended (recall) on 1917-06-05")
    ]
    # Presenting again, they are refused: the mandate ended.
    again = congress.present_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=first.member_id,
        council_id=moscow.id,
        actor=ACTOR,
        at=at("1917-06-06"),
    )
    assert again.reason is CredentialReason.MANDATE_ENDED
    assert verify_ledger(uow).ok


def test_the_central_executive_committee_is_elected_by_the_seated_and_acts_between_congresses(
    uow: UnitOfWork,
) -> None:
    built = build_soviets(uow)
    sent = seat_the_congress(uow, built)
    cec = federation.create_council(
        uow,
        organization_id=built.organization.id,
        name="Central Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=built.congress.id,
        powers=[Power.ACT_BETWEEN_SITTINGS, Power.CONVENE],
        actor=ACTOR,
        at=at("1917-05-27"),
    )
    assert congress.acting_for_congress(uow, built.congress.id, at("1917-05-28")) == [cec]
    lists = [
        ListTally(
            built.factions[side].id,
            tuple(
                m.member_id
                for ms in sent.values()
                for m in ms
                if m.faction_id == built.faction(side)
            ),
        )
        for side in ("Bolsheviks", "SRs", "Mensheviks")
    ]
    with pytest.raises(RuleViolation, match="not in session"):
        congress.elect_central_committee(
            uow, committee_id=cec.id, seats=3, lists=lists, actor=ACTOR, at=at("1917-05-28")
        )
    convocation = congress.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    with pytest.raises(RuleViolation, match="no delegate is seated"):
        congress.elect_central_committee(
            uow, committee_id=cec.id, seats=3, lists=lists, actor=ACTOR, at=at("1917-06-03")
        )
    # Everyone presents but one Petrograd delegate, who stays unseated.
    absent = sent["Petrograd Soviet"][0]
    congress.check_credentials(
        uow,
        convocation_id=convocation.id,
        presented=[
            congress.Presentation(m.member_id, built.soviets[soviet].id)
            for soviet, ms in sent.items()
            for m in ms
            if m.id != absent.id
        ],
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    assert congress.acting_for_congress(uow, built.congress.id, at("1917-06-04")) == [
        built.congress
    ]
    with pytest.raises(RuleViolation, match="cannot stand"):
        congress.elect_central_committee(
            uow, committee_id=cec.id, seats=3, lists=lists, actor=ACTOR, at=at("1917-06-10")
        )
    seated_lists = [
        ListTally(t.faction_id, tuple(mid for mid in t.candidates if mid != absent.member_id))
        for t in lists
    ]
    election = congress.elect_central_committee(
        uow, committee_id=cec.id, seats=3, lists=seated_lists, actor=ACTOR, at=at("1917-06-10")
    )
    assert election.result["electorate"] == 6  # the seated delegates, not the seven mandates
    assert council_composition(uow, cec.id, at("1917-06-11")).filled == 3
    congress.close_congress(uow, congress_id=built.congress.id, actor=ACTOR, at=at("1917-06-24"))
    assert congress.acting_for_congress(uow, built.congress.id, at("1917-06-25")) == [cec]
    assert congress.seated_at_congress(uow, built.congress.id, at("1917-06-25")) == []
    view = congress.congress_view(uow, built.congress.id, at("1917-06-25"))
    assert not view.in_session
    assert view.convocation == congress.credentials_report(uow, convocation.id).convocation
    assert [c.council.name for c in view.committees if c.acts_between_sittings] == [cec.name]
    assert view.report is not None
    assert len(view.report.seated) == 6  # the report as it stood at the close
    assert view.seated is not None
    assert view.seated.filled == 6
    with pytest.raises(RuleViolation, match="not in session"):
        congress.close_congress(uow, congress_id=built.congress.id, actor=ACTOR)
    assert verify_ledger(uow).ok


def test_convocations_do_not_overlap_and_credentials_are_checked_while_in_session(
    uow: UnitOfWork,
) -> None:
    built = build_soviets(uow)
    sent = seat_the_congress(uow, built)
    first = congress.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    with pytest.raises(RuleViolation, match="is in session \\(First Congress"):
        congress.convene_congress(
            uow, congress_id=built.congress.id, name="Second", actor=ACTOR, at=at("1917-06-04")
        )
    congress.close_congress(uow, congress_id=built.congress.id, actor=ACTOR, at=at("1917-06-24"))
    delegate = sent["Moscow Soviet"][0]
    with pytest.raises(RuleViolation, match="not in session"):
        congress.present_credentials(
            uow,
            convocation_id=first.id,
            member_id=delegate.member_id,
            council_id=built.soviets["Moscow Soviet"].id,
            actor=ACTOR,
            at=at("1917-06-25"),
        )
    with pytest.raises(AlreadyExists, match="already had a convocation 'First Congress'"):
        congress.convene_congress(
            uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR
        )
    with pytest.raises(RuleViolation, match="is a council, not a congress"):
        congress.convene_congress(
            uow, congress_id=built.soviets["Tver Soviet"].id, name="X", actor=ACTOR
        )
    second = congress.convene_congress(
        uow, congress_id=built.congress.id, name="Second Congress", actor=ACTOR, at=at("1917-10-25")
    )
    # Credentials are per convocation: nobody is seated at the second until checked.
    assert congress.seated_at_congress(uow, built.congress.id, at("1917-10-25", 13)) == []
    congress.present_credentials(
        uow,
        convocation_id=second.id,
        member_id=delegate.member_id,
        council_id=built.soviets["Moscow Soviet"].id,
        actor=ACTOR,
        at=at("1917-10-25", 14),
    )
    assert [m.id for m in congress.seated_at_congress(uow, built.congress.id)] == [delegate.id]


def test_a_congress_delegate_recalled_by_petition_of_the_soviets_deputies(
    uow: UnitOfWork,
) -> None:
    """The delegate the Moscow Soviet sent is recalled by the soviet's own deputies, on a
    petition they signed; the seat at the congress is lost at once; a by-election fills it."""
    built = build_soviets(uow)
    sent = seat_the_congress(uow, built)
    moscow = built.soviets["Moscow Soviet"]
    delegate = sent["Moscow Soviet"][0]
    convocation = congress.convene_congress(
        uow, congress_id=built.congress.id, name="First Congress", actor=ACTOR, at=at("1917-06-03")
    )
    congress.present_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=delegate.member_id,
        council_id=moscow.id,
        actor=ACTOR,
        at=at("1917-06-03"),
    )
    soviet_deputies = deputies(uow, moscow.id, at("1917-06-04"))  # ten deputies
    assert len(soviet_deputies) == 10
    petition = petitions.open_petition(
        uow,
        mandate_id=delegate.id,
        opened_by=soviet_deputies[5].member_id,
        reason="voted for the offensive",
        actor=ACTOR,
        at=at("1917-06-05"),
    )
    assert (petition.electorate, petition.threshold) == (10, 2)  # 1/5 of ten deputies
    rank_and_file = built.members["Moscow Soviet"][-1]  # a worker, not a deputy
    with pytest.raises(RuleViolation, match="holds no seat in Moscow Soviet"):
        petitions.sign_petition(
            uow, petition_id=petition.id, member_id=rank_and_file.id, actor=ACTOR
        )
    petitions.sign_petition(
        uow,
        petition_id=petition.id,
        member_id=soviet_deputies[6].member_id,
        actor=ACTOR,
        at=at("1917-06-06"),
    )
    vote = petitions.hold_recall_vote(
        uow, petition_id=petition.id, votes_for=6, votes_against=3, actor=ACTOR, at=at("1917-06-07")
    )
    assert vote.carried
    assert vote.electorate == 10
    assert delegate.id not in {
        m.id for m in congress.seated_at_congress(uow, built.congress.id, at("1917-06-07", 13))
    }
    # The soviet's deputies elect a successor, who presents and is seated.
    successor = soviet_deputies[7]
    elections.hold_by_election(
        uow,
        constituency_id=built.seats["Moscow Soviet"].id,
        candidates=[CandidateTally(successor.member_id, 7)],
        actor=ACTOR,
        at=at("1917-06-08"),
    )
    credential = congress.present_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=successor.member_id,
        council_id=moscow.id,
        actor=ACTOR,
        at=at("1917-06-08"),
    )
    assert credential.seated
    assert verify_ledger(uow).ok


def test_a_congress_of_many_soviets_checks_every_delegate_in_one_batch(uow: UnitOfWork) -> None:
    """Forty soviets, one delegate each, presented at once (the replays of 1917 present
    hundreds): every one seated, one transaction."""
    built = build_soviets(uow)
    org = built.organization.id
    big = federation.create_council(
        uow, organization_id=org, name="Regional Congress", kind=CouncilKind.CONGRESS, actor=ACTOR
    )
    presented = []
    for i in range(40):
        soviet = federation.create_council(
            uow, organization_id=org, name=f"Soviet {i}", actor=ACTOR
        )
        factory = federation.create_constituency(
            uow, council_id=soviet.id, name=f"Works {i}", actor=ACTOR
        )
        worker = federation.enroll_member(
            uow, organization_id=org, name=f"Worker {i}", constituency_ids=[factory.id], actor=ACTOR
        )
        federation.create_constituency(
            uow,
            council_id=big.id,
            name=soviet.name,
            kind=ConstituencyKind.COUNCIL,
            lower_council_id=soviet.id,
            actor=ACTOR,
        )
        elections.apportion_seats(uow, council_id=soviet.id, rule=FixedRule(1), actor=ACTOR)
        elections.elect_delegates(
            uow,
            constituency_id=factory.id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(worker.id, 1)],
            actor=ACTOR,
        )
        presented.append((worker.id, soviet.id))
    congress.apportion_congress(uow, congress_id=big.id, rule=StepRule(1, 1, 10, 1), actor=ACTOR)
    with uow:
        seats = {c.id: c for c in uow.repo.constituencies(big.id)}
    for constituency in seats.values():
        worker_id = next(w for w, s in presented if s == constituency.lower_council_id)
        elections.elect_delegates(
            uow,
            constituency_id=constituency.id,
            method=ElectionMethod.PLURALITY,
            candidates=[CandidateTally(worker_id, 1)],
            actor=ACTOR,
        )
    convocation = congress.convene_congress(
        uow, congress_id=big.id, name="Regional Congress I", actor=ACTOR
    )
    checked = congress.check_credentials(
        uow,
        convocation_id=convocation.id,
        presented=[congress.Presentation(w, s) for w, s in presented],
        actor=ACTOR,
    )
    assert all(c.seated for c in checked)
    assert len(congress.seated_at_congress(uow, big.id)) == 40
    view = congress.congress_view(uow, big.id)
    assert view.seated is not None
    assert view.seated.filled == 40
    assert view.in_session
    assert verify_ledger(uow).ok
