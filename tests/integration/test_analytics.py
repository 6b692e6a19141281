"""Analytics through the services, on SQLite and PostgreSQL.

The story (tests/builders_analytics.py): two city councils send four delegates each to a
congress, which elects a four-seat executive. Every body starts in step (Centre 3, Left 1
in each city; Centre 6, Left 2 in the congress; Centre 3, Left 1 in the executive). In May
the cities swing away from the Centre; in June the congress is re-elected, then the
executive. Shares below are in eighths of the congress's seats.
"""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from smolny.domain.analytics import Target
from smolny.domain.elections import CandidateTally, ElectionMethod, RankedBallot
from smolny.domain.errors import NotFound, RuleViolation
from smolny.domain.federation import CouncilKind
from smolny.services import elections, federation
from smolny.services.analytics import (
    Groups,
    LagView,
    council_analytics,
    council_malapportionment,
    election_proportionality,
    lag_document,
    lag_series,
    malapportionment_document,
    proportionality_document,
    representation_lag,
)
from smolny.services.verify import verify_ledger
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR, build_city, elect_city
from tests.builders_analytics import (
    CONGRESS_ELECTED,
    CONGRESS_REELECTED,
    EXECUTIVE_ELECTED,
    EXECUTIVE_REELECTED,
    FIRST_ELECTIONS,
    SWING,
    Congress,
    build_story,
)
from tests.conftest import at

# The story's moments, each an hour after the change it follows.
STEADY = at("2026-04-01")  # after the March elections, before the swing
AFTER_A1 = at("2026-05-01", 13)  # A1 swung to the Left
AFTER_B1 = at("2026-05-10", 13)  # B1 swung to the Right and Left
AFTER_CONGRESS_A = at("2026-06-01", 13)  # City A's new congress delegation
AFTER_CONGRESS = at("2026-06-02", 13)  # both new delegations
AFTER_EXECUTIVE = at("2026-06-05", 13)  # the new executive

SQRT3_8 = 100 * math.sqrt(3) / 8  # Gallagher of differences 2/8, 1/8, 1/8: √(½·6/64)


@pytest.fixture
def story(uow: UnitOfWork) -> Congress:
    return build_story(uow)


def lag(
    uow: UnitOfWork, c: Congress, body: str, moment: datetime, target: Target | None = None
) -> LagView:
    council = {"congress": c.congress, "executive": c.executive} | c.cities
    return representation_lag(uow, council[body].id, moment, target)


def indices(view: LagView) -> tuple[float | None, float | None]:
    return view.lag.loosemore_hanby, view.lag.gallagher


def shares_by_name(view: LagView) -> dict[str, tuple[float | None, float | None]]:
    doc = lag_document(view)
    return {row["faction"]: (row["share"], row["target_share"]) for row in doc["factions"]}


# -- the congress against its lower councils ------------------------------------------------


def test_the_congress_lags_as_the_cities_swing_and_catches_up_when_re_elected(
    uow: UnitOfWork, story: Congress
) -> None:
    # Steady: the congress Centre 6, Left 2 (6/8, 2/8); both cities Centre 3/4, Left 1/4.
    assert indices(lag(uow, story, "congress", STEADY)) == (0, 0)
    # A1 turns Left: City A Centre 2/4, Left 2/4; weighted 4:4 with City B the target is
    # Centre 5/8, Left 3/8, against the congress's 6/8, 2/8: both indices 1/8 = 12.5 pp.
    assert indices(lag(uow, story, "congress", AFTER_A1)) == pytest.approx((12.5, 12.5))
    # B1 elects Right 1, Left 1: City B Centre 2/4, Left 1/4, Right 1/4. Target Centre
    # 4/8, Left 3/8, Right 1/8; differences 2/8, 1/8, 1/8: D = 2/8 = 25 pp,
    # LSq = √(½ (4 + 1 + 1))/8 = √3/8 = 21.65 pp.
    swung = lag(uow, story, "congress", AFTER_B1)
    assert indices(swung) == pytest.approx((25, SQRT3_8))
    assert shares_by_name(swung) == {
        "Left": (25.0, 37.5),
        "Centre": (75.0, 50.0),
        "Right": (0.0, 12.5),
    }
    # City A sends Centre 2, Left 2: the congress Centre 5/8, Left 3/8: 12.5 pp.
    assert indices(lag(uow, story, "congress", AFTER_CONGRESS_A)) == pytest.approx((12.5, 12.5))
    # City B sends Centre 2, Left 1, Right 1: the congress matches its base again.
    assert indices(lag(uow, story, "congress", AFTER_CONGRESS)) == (0, 0)


def test_the_lag_states_the_dates_it_compares(uow: UnitOfWork, story: Congress) -> None:
    swung = lag(uow, story, "congress", AFTER_B1)
    assert swung.lag.composed_at == CONGRESS_ELECTED["City B"]  # its latest election
    assert swung.lag.base_elected_at == SWING["B1"]  # the latest election in the cities
    caught_up = lag(uow, story, "congress", AFTER_CONGRESS)
    assert caught_up.lag.composed_at == CONGRESS_REELECTED["City B"]
    assert caught_up.lag.base_elected_at == SWING["B1"]
    document = lag_document(swung)
    assert document["composed_at"] == "2026-03-03T12:00:00+00:00"
    assert document["base_elected_at"] == "2026-05-10T12:00:00+00:00"
    assert document["target"] == "base"
    assert "lower councils" in document["target_description"]


def test_the_congress_series_has_a_point_at_every_change(uow: UnitOfWork, story: Congress) -> None:
    series = lag_series(uow, story.congress.id, at("2026-03-01", 13), at("2026-07-01"))
    points = [(p.at, p.loosemore_hanby) for p in series.points]
    assert points == [
        (at("2026-03-01", 13), None),  # seats apportioned, no delegate yet
        (CONGRESS_ELECTED["City A"], 0),
        (CONGRESS_ELECTED["City B"], 0),
        (SWING["A1"], pytest.approx(12.5)),
        (SWING["B1"], pytest.approx(25)),
        (CONGRESS_REELECTED["City A"], pytest.approx(12.5)),
        (CONGRESS_REELECTED["City B"], 0),
    ]
    assert list(series.elections) == [
        CONGRESS_ELECTED["City A"],
        CONGRESS_ELECTED["City B"],
        CONGRESS_REELECTED["City A"],
        CONGRESS_REELECTED["City B"],
    ]


def test_a_recall_in_a_city_moves_the_congress_lag(uow: UnitOfWork) -> None:
    story = build_story(uow, until="swing")
    with uow:
        right = next(
            m
            for m in uow.repo.mandates_at(AFTER_B1, constituency_id=story.workplaces["B1"].id)
            if m.faction_id == story.factions["Right"].id
        )
    recalled = at("2026-05-20")
    elections.recall_delegate(
        uow, mandate_id=right.id, votes_for=7, votes_against=2, actor=ACTOR, at=recalled
    )
    # City B without its Right delegate: Centre 2/3, Left 1/3. Target (4·City A + 4·City B)
    # /8: Centre (1/2 + 2/3)/2 = 7/12, Left (1/2 + 1/3)/2 = 5/12; the congress Centre 9/12,
    # Left 3/12: both indices 2/12 = 16.667 pp.
    after = lag(uow, story, "congress", at("2026-05-21"))
    assert indices(after) == pytest.approx((100 / 6, 100 / 6))
    series = lag_series(uow, story.congress.id, at("2026-05-15"), at("2026-05-25"))
    assert [p.at for p in series.points] == [at("2026-05-15"), recalled]
    assert series.points[1].loosemore_hanby == pytest.approx(100 / 6)
    assert verify_ledger(uow).ok


# -- the executive: against its congress, and against the lower councils ------------------


def test_the_executive_lags_a_re_elected_congress_until_it_is_re_elected_itself(
    uow: UnitOfWork, story: Congress
) -> None:
    executive = Target.COUNCIL
    # The executive Centre 3/4, Left 1/4 against the congress 6/8, 2/8: in step, and still
    # in step after the swing, since the congress has not changed.
    assert indices(lag(uow, story, "executive", STEADY, executive)) == (0, 0)
    assert indices(lag(uow, story, "executive", AFTER_B1, executive)) == (0, 0)
    # The new congress: Centre 5/8, Left 3/8 after City A; then Centre 4/8, Left 3/8,
    # Right 1/8, against the executive's Centre 6/8, Left 2/8: 25 pp and √3/8.
    assert indices(lag(uow, story, "executive", AFTER_CONGRESS_A, executive)) == pytest.approx(
        (12.5, 12.5)
    )
    rose = lag(uow, story, "executive", AFTER_CONGRESS, executive)
    assert indices(rose) == pytest.approx((25, SQRT3_8))
    assert (rose.lag.composed_at, rose.lag.base_elected_at) == (
        EXECUTIVE_ELECTED,
        CONGRESS_REELECTED["City B"],
    )
    # The new executive by D'Hondt: Centre 2, Left 2 (4/8, 4/8) against Centre 4/8, Left
    # 3/8, Right 1/8: differences 0, 1/8, 1/8: both 12.5 pp.
    fell = lag(uow, story, "executive", AFTER_EXECUTIVE, executive)
    assert indices(fell) == pytest.approx((12.5, 12.5))
    assert fell.lag.composed_at == EXECUTIVE_REELECTED


def test_the_executive_lags_the_lower_councils_through_the_swing_and_falls_when_re_elected(
    uow: UnitOfWork, story: Congress
) -> None:
    # The view of the 1917 CEC: the executive against the cities as they stand, each
    # weighted by its congress seats, whatever the congress itself.
    base = Target.BASE
    assert indices(lag(uow, story, "executive", STEADY, base)) == (0, 0)
    assert indices(lag(uow, story, "executive", AFTER_A1, base)) == pytest.approx((12.5, 12.5))
    rose = lag(uow, story, "executive", AFTER_B1, base)
    assert indices(rose) == pytest.approx((25, SQRT3_8))
    assert (rose.lag.composed_at, rose.lag.base_elected_at) == (EXECUTIVE_ELECTED, SWING["B1"])
    # The congress's re-election does not change this view; the executive's does.
    assert indices(lag(uow, story, "executive", AFTER_CONGRESS, base)) == pytest.approx(
        (25, SQRT3_8)
    )
    assert indices(lag(uow, story, "executive", AFTER_EXECUTIVE, base)) == pytest.approx(
        (12.5, 12.5)
    )
    series = lag_series(uow, story.executive.id, at("2026-03-01", 13), at("2026-07-01"), base)
    assert [(p.at, p.loosemore_hanby) for p in series.points] == [
        (at("2026-03-01", 13), None),
        (EXECUTIVE_ELECTED, 0),
        (SWING["A1"], pytest.approx(12.5)),
        (SWING["B1"], pytest.approx(25)),
        (EXECUTIVE_REELECTED, pytest.approx(12.5)),
    ]
    assert list(series.elections) == [EXECUTIVE_ELECTED, EXECUTIVE_REELECTED]
    assert verify_ledger(uow).ok


def test_a_council_has_no_electing_council_to_lag_behind(uow: UnitOfWork, story: Congress) -> None:
    with pytest.raises(RuleViolation, match="City A is a council: no council elects it"):
        lag(uow, story, "City A", STEADY, Target.COUNCIL)
    with pytest.raises(NotFound):
        representation_lag(uow, 999)


# -- a council against its constituencies' latest elections -------------------------------


def test_a_city_lags_the_latest_votes_of_its_workplaces(uow: UnitOfWork, story: Congress) -> None:
    # City A in February: A1 voted Centre 5, Left 4 (2 seats: Centre 1, Left 1), A2 Centre 8,
    # Left 2 (Centre 2). Target (2·(5/9, 4/9) + 2·(8/10, 2/10))/4: Centre 61/90, Left 29/90,
    # against the city's Centre 3/4 = 67.5/90: both indices 6.5/90 = 7.222 pp.
    steady = lag(uow, story, "City A", STEADY)
    assert indices(steady) == pytest.approx((650 / 90, 650 / 90))
    assert (steady.lag.composed_at, steady.lag.base_elected_at) == (
        FIRST_ELECTIONS["A2"],
        FIRST_ELECTIONS["A2"],
    )
    # After A1 votes Left 7, Centre 3 (Left 2 seats): Left (7/10 + 2/10)/2 = 9/20 against
    # the city's 10/20: 5 pp.
    assert indices(lag(uow, story, "City A", AFTER_A1)) == pytest.approx((5, 5))


def test_a_by_election_counts_for_the_seat_it_filled(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    # Target in 72nds: the factory's Left 6, Centre 2, Right 1 votes for its 5 seats and
    # the regiment's 5, 5, 5 for its 3: Left (5·6/9 + 1)/8 = 39/72, Centre 19/72, Right
    # 14/72. The city: Left 5, Centre 2, Right 1 = 45/72, 18/72, 9/72; differences 6, 1,
    # 5: D = 6/72 = 8.333 pp, LSq = √(½ (36 + 1 + 25))/72 = √31/72 = 7.733 pp.
    council = city.council.id
    before = representation_lag(uow, council, at("2026-03-01"))
    assert indices(before) == pytest.approx((600 / 72, 100 * math.sqrt(31) / 72))
    # The factory recalls a Left delegate: the city Left 4, Centre 2, Right 1 of 7 (in
    # 504ths: 288, 144, 72) against 273, 133, 98: D = 26/504, LSq = √(½·1022)/504.
    factory = city.factory.id
    with uow:
        left = next(
            m
            for m in uow.repo.mandates_at(at("2026-03-01"), constituency_id=factory)
            if m.faction_id == city.factions["Left"].id
        )
    elections.recall_delegate(
        uow, mandate_id=left.id, votes_for=6, votes_against=2, actor=ACTOR, at=at("2026-04-01")
    )
    recalled = representation_lag(uow, council, at("2026-04-02"))
    assert indices(recalled) == pytest.approx((2600 / 504, 100 * math.sqrt(511) / 504))
    # The by-election: Left 3, non-party 4, Centre 2 votes; the non-party member wins. The
    # factory counts its February vote for 4 seats and the by-election for 1: Left 27/45,
    # Centre 10/45, Right 4/45, none 4/45. City target: Left 36/72, Centre 19/72, Right
    # 13/72, none 4/72, against the city's 36, 18, 9, 9: D = 5/72 = 6.944 pp,
    # LSq = √(½ (0 + 1 + 16 + 25))/72 = √21/72 = 6.365 pp.
    left_5, centre_8, non_party = (
        city.of("Factory", "Left")[4],
        city.of("Factory", "Centre")[1],
        city.of("Factory", None)[0],
    )
    elections.hold_by_election(
        uow,
        constituency_id=factory,
        candidates=[
            CandidateTally(left_5.id, 3),
            CandidateTally(non_party.id, 4),
            CandidateTally(centre_8.id, 2),
        ],
        actor=ACTOR,
        at=at("2026-04-15"),
    )
    filled = representation_lag(uow, council, at("2026-04-16"))
    assert indices(filled) == pytest.approx((500 / 72, 100 * math.sqrt(21) / 72))
    assert filled.lag.base_elected_at == at("2026-04-15")
    series = lag_series(uow, council, at("2026-03-01"), at("2026-05-01"))
    assert [p.at for p in series.points] == [at("2026-03-01"), at("2026-04-01"), at("2026-04-15")]
    assert verify_ledger(uow).ok


# -- proportionality ------------------------------------------------------------------------


def test_the_proportionality_of_list_plurality_ranked_and_by_elections(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    with uow:
        held = {
            (e.constituency_id, e.held_at): e.id for e in uow.repo.elections_of(city.council.id)
        }
    # The factory, D'Hondt: votes Left 6, Centre 2, Right 1 against seats Left 4, Centre 1.
    factory = election_proportionality(uow, held[city.factory.id, at("2026-02-01")])
    assert factory.measure == "list votes"
    assert factory.comparison.loosemore_hanby == pytest.approx(40 / 3)
    assert factory.comparison.gallagher == pytest.approx(100 * math.sqrt(31) / 45)
    # The regiment, plurality: votes 4 + 1 (Left), 5 + 0 (Centre), 3 + 2 (Right) and one
    # seat each: proportional.
    regiment = election_proportionality(uow, held[city.regiment.id, at("2026-02-02")])
    assert regiment.measure == "votes"
    assert (regiment.comparison.loosemore_hanby, regiment.comparison.gallagher) == (0, 0)
    assert [(r.key, r.reference, r.actual) for r in regiment.comparison.rows] == [
        (city.factions["Left"].id, 5, 1),
        (city.factions["Centre"].id, 5, 1),
        (city.factions["Right"].id, 5, 1),
    ]
    # A committee by Scottish STV: first preferences Left 5, Centre 2, Right 1 of 8 ballots
    # (quota 3): the Left candidate is elected with 5, its surplus of 2 at 2/5 brings the
    # Centre candidate to 3.6. Seats Left 1, Centre 1: differences -1/8, +2/8, -1/8:
    # D = 25 pp, LSq = √3/8 = 21.65 pp.
    committee = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="City Executive",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=at("2026-02-10"),
    )
    left, centre, right = (
        city.of("Factory", "Left")[0].id,
        city.of("Factory", "Centre")[0].id,
        city.of("Regiment", "Right")[0].id,
    )
    stv = elections.elect_committee(
        uow,
        committee_id=committee.id,
        seats=2,
        method=ElectionMethod.SCOTTISH_STV,
        standing=[left, centre, right],
        ballots=[
            RankedBallot((left, centre), 4),
            RankedBallot((centre,), 2),
            RankedBallot((right, centre), 1),
            RankedBallot((left,), 1),
        ],
        actor=ACTOR,
        at=at("2026-02-15"),
    )
    ranked = election_proportionality(uow, stv.id)
    assert ranked.measure == "first preferences"
    assert (ranked.comparison.loosemore_hanby, ranked.comparison.gallagher) == pytest.approx(
        (25, 100 * math.sqrt(3) / 8)
    )
    # A plurality by-election after a recall, won by the non-party member with 4 of 9
    # votes (Left 3, none 4, Centre 2): differences -3/9, +5/9, -2/9: D = 5/9 = 55.6 pp,
    # LSq = √(½ (9 + 25 + 4))/9 = √19/9 = 48.4 pp. Candidates of no faction are one group.
    with uow:
        seat = next(
            m
            for m in uow.repo.mandates_at(at("2026-03-01"), constituency_id=city.factory.id)
            if m.member_id == left
        )
    elections.recall_delegate(
        uow, mandate_id=seat.id, votes_for=6, votes_against=2, actor=ACTOR, at=at("2026-04-01")
    )
    by = elections.hold_by_election(
        uow,
        constituency_id=city.factory.id,
        candidates=[
            CandidateTally(city.of("Factory", "Left")[4].id, 3),
            CandidateTally(city.of("Factory", None)[0].id, 4),
            CandidateTally(city.of("Factory", "Centre")[1].id, 2),
        ],
        actor=ACTOR,
        at=at("2026-04-15"),
    )
    by_election = election_proportionality(uow, by.id)
    assert by_election.comparison.loosemore_hanby == pytest.approx(500 / 9)
    assert by_election.comparison.gallagher == pytest.approx(100 * math.sqrt(19) / 9)
    document = proportionality_document(by_election)
    assert document["measure"] == "votes"
    assert document["constituency"] == "Factory"
    assert [(f["faction"], f["votes"], f["seats"]) for f in document["factions"]] == [
        ("Left", 3, 0),
        ("Centre", 2, 0),
        ("Non-party", 4, 1),
    ]
    assert verify_ledger(uow).ok


# -- malapportionment -----------------------------------------------------------------------


def test_the_malapportionment_of_the_cities_and_the_congress(
    uow: UnitOfWork, story: Congress
) -> None:
    # City A: two workplaces of 12 with 2 seats each: equal.
    city_a = council_malapportionment(uow, story.cities["City A"].id, STEADY)
    assert (city_a.result.samuels_snyder, city_a.result.ratio) == (0, 1)
    # City B: B1 12 and B2 24 electors, 2 seats each: 6 and 12 per seat, ratio 2;
    # MAL = ½ (|1/2 - 1/3| + |1/2 - 2/3|) = 1/6 = 16.667 pp.
    city_b = malapportionment_document(
        council_malapportionment(uow, story.cities["City B"].id, STEADY)
    )
    assert city_b["samuels_snyder"] == pytest.approx(100 / 6, abs=1e-4)
    assert city_b["largest_to_smallest"] == 2
    assert (city_b["most_electors_per_seat"], city_b["fewest_electors_per_seat"]) == ("B2", "B1")
    assert [(r["constituency"], r["electors"], r["seats"]) for r in city_b["constituencies"]] == [
        ("B1", 12, 2),
        ("B2", 24, 2),
    ]
    # The congress: City A's base 24 electors and City B's 36, four seats each: 6 and 9
    # per seat, ratio 1.5; MAL = ½ (|1/2 - 2/5| + |1/2 - 3/5|) = 10 pp.
    congress = malapportionment_document(council_malapportionment(uow, story.congress.id, STEADY))
    assert congress["samuels_snyder"] == pytest.approx(10)
    assert congress["largest_to_smallest"] == 1.5
    assert congress["electors"] == 60
    assert congress["electors_per_seat"] == 7.5
    # Before the congress had seats: electors, but no seat yet.
    unseated = council_malapportionment(uow, story.congress.id, at("2026-02-15"))
    assert unseated.result.seats == 0
    assert unseated.result.samuels_snyder is None
    assert len(unseated.result.unseated) == 2


def test_a_committee_has_no_malapportionment(uow: UnitOfWork, story: Congress) -> None:
    with pytest.raises(RuleViolation, match="Executive is a committee"):
        council_malapportionment(uow, story.executive.id)


# -- the page's view -------------------------------------------------------------------------


def test_the_analytics_of_a_committee_show_both_targets(uow: UnitOfWork, story: Congress) -> None:
    view = council_analytics(uow, story.executive.id, AFTER_B1)
    assert [p.view.subject.target for p in view.lags] == [Target.COUNCIL, Target.BASE]
    assert [p.view.lag.loosemore_hanby for p in view.lags] == pytest.approx([0, 25])
    assert [p.series.points[-1].loosemore_hanby for p in view.lags] == pytest.approx([0, 25])
    assert view.malapportionment is None
    assert [e.election.held_at for e in view.elections] == [EXECUTIVE_ELECTED]
    congress = council_analytics(uow, story.congress.id, AFTER_B1)
    assert [p.view.subject.title for p in congress.lags] == ["against its lower councils"]
    assert congress.malapportionment is not None
    assert len(congress.elections) == 2  # the March delegations
    assert Groups(()).label(None) == "Non-party"
