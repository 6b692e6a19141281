"""The analytics core: hand-worked indices, their properties, the votes of a recorded
result by faction, and the representation lag of a body over time (pure, no database)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from smolny.domain.analytics import (
    FIRST_PREFERENCES,
    LIST_VOTES,
    VOTES,
    LagHistory,
    Outcome,
    Target,
    Votes,
    base_council,
    compare,
    election_votes,
    exact,
    gallagher,
    latest_choice,
    loosemore_hanby_exact,
    malapportionment,
    samuels_snyder,
    series_moments,
    shares,
    targets_for,
    weighted,
)
from smolny.domain.elections import Election, ElectionKind, ElectionMethod
from smolny.domain.errors import InvalidInput
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    RecallBasis,
)
from smolny.domain.mandates import Mandate, SeatAllocation

L, C, R = 1, 2, 3  # faction ids: Left, Centre, Right; None: no faction


def day(d: int, month: int = 3) -> datetime:
    return datetime(2026, month, d, 12, tzinfo=UTC)


# -- hand-worked indices --------------------------------------------------------------------


def test_gallagher_and_loosemore_hanby_by_hand() -> None:
    # 100 votes: A 45, B 35, C 20; 10 seats: A 5, B 4, C 1.
    # vote shares 45%, 35%, 20%; seat shares 50%, 40%, 10%; differences +5, +5, -10.
    # Loosemore–Hanby = ½ (5 + 5 + 10) = 10 pp: ten points of seats would change hands.
    # Gallagher = √(½ (5² + 5² + 10²)) = √(½ · 150) = √75 = 8.660 pp.
    result = compare({"A": 45, "B": 35, "C": 20}, {"A": 5, "B": 4, "C": 1})
    assert result.loosemore_hanby == pytest.approx(10)
    assert result.gallagher == pytest.approx(math.sqrt(75))
    assert [row.difference for row in result.rows] == pytest.approx([5, 5, -10])


def test_the_factory_election_by_hand() -> None:
    # tests/builders.py: the factory's D'Hondt lists Left 6, Centre 2, Right 1 votes gave
    # Left 4, Centre 1 of 5 seats. In 45ths: votes 30, 10, 5; seats 36, 9, 0;
    # differences +6, -1, -5 (/45).
    # Loosemore–Hanby = ½ (6 + 1 + 5)/45 = 6/45 = 13.333 pp.
    # Gallagher = √(½ (36 + 1 + 25))/45 = √31/45 = 12.373 pp.
    result = compare({L: 6, C: 2, R: 1}, {L: 4, C: 1})
    assert loosemore_hanby_exact(shares({L: 6, C: 2, R: 1}), shares({L: 4, C: 1})) == (
        Fraction(40, 3)
    )
    assert result.loosemore_hanby == pytest.approx(40 / 3)
    assert result.gallagher == pytest.approx(100 * math.sqrt(31) / 45)
    assert [row.key for row in result.rows] == [L, C, R]
    assert result.rows[2].actual == 0
    assert result.rows[2].actual_share == 0


def test_two_groups_make_the_two_indices_equal() -> None:
    # Votes 5 : 4, seats 1 : 1: differences ±(1/2 - 5/9) = ±1/18; both indices 1/18 = 5.556.
    result = compare({C: 5, L: 4}, {C: 1, L: 1})
    assert result.loosemore_hanby == pytest.approx(100 / 18)
    assert result.gallagher == pytest.approx(100 / 18)


def test_samuels_snyder_by_hand() -> None:
    # Three constituencies of 100, 300 and 600 electors (10%, 30%, 60%) with 2, 3 and 0 of
    # 5 seats (40%, 60%, 0%): MAL = ½ (30 + 30 + 60) = 60 pp. Electors per seat: 50 and 100,
    # so the largest is twice the smallest; the third has no seat.
    result = malapportionment({"a": 100, "b": 300, "c": 600}, {"a": 2, "b": 3, "c": 0})
    assert result.samuels_snyder == pytest.approx(60)
    assert result.ratio == 2
    assert (result.most, result.fewest) == ("b", "a")
    assert result.unseated == ("c",)
    assert [d.electors_per_seat for d in result.districts] == [50, 100, None]
    assert result.electors_per_seat == 200


def test_samuels_snyder_of_city_b() -> None:
    # B1 12 electors and B2 24, two seats each: elector shares 1/3 and 2/3 against 1/2 and
    # 1/2: MAL = ½ (1/6 + 1/6) = 1/6 = 16.667 pp; 6 and 12 electors per seat: ratio 2.
    result = malapportionment({"B1": 12, "B2": 24}, {"B1": 2, "B2": 2})
    assert result.samuels_snyder == pytest.approx(100 / 6)
    assert result.ratio == 2


def test_malapportionment_without_two_seated_constituencies_has_no_ratio() -> None:
    assert malapportionment({"a": 10}, {"a": 2}).ratio is None
    assert malapportionment({"a": 0, "b": 10}, {"a": 1, "b": 1}).ratio is None  # 0 electors
    empty = malapportionment({}, {})
    assert empty.samuels_snyder is None
    assert empty.districts == ()


def test_an_empty_side_leaves_the_indices_undefined() -> None:
    assert compare({}, {L: 1}).loosemore_hanby is None
    assert compare({L: 0, C: 0}, {L: 1}).gallagher is None
    assert compare({L: 0}, {L: 1}).rows[0].difference is None


def test_counts_must_be_counts() -> None:
    with pytest.raises(InvalidInput):
        shares({L: -1, C: 2})
    with pytest.raises(InvalidInput):
        shares({L: 0})
    with pytest.raises(InvalidInput):
        exact(float("nan"))
    assert exact(0.1) == Fraction(1, 10)  # a decimal vote (STV) is read as it prints


# -- properties -----------------------------------------------------------------------------

counts = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8)


def paired(draw: st.DrawFn) -> tuple[dict[int, int], dict[int, int]]:
    a = draw(counts)
    b = draw(st.lists(st.integers(0, 1000), min_size=len(a), max_size=len(a)))
    assume(sum(a) > 0 and sum(b) > 0)
    return dict(enumerate(a)), dict(enumerate(b))


pairs = st.composite(paired)()


@given(counts, st.integers(min_value=1, max_value=50))
def test_every_index_is_zero_when_the_shares_are_equal(a: list[int], k: int) -> None:
    assume(sum(a) > 0)
    votes = dict(enumerate(a))
    seats = {i: k * n for i, n in votes.items()}  # the same shares, k times the counts
    result = compare(votes, seats)
    assert result.loosemore_hanby == 0
    assert result.gallagher == 0
    assert malapportionment(votes, seats).samuels_snyder == 0


@given(pairs)
def test_the_indices_are_symmetric(pair: tuple[dict[int, int], dict[int, int]]) -> None:
    a, b = (shares(x) for x in pair)
    assert loosemore_hanby_exact(a, b) == loosemore_hanby_exact(b, a)
    assert gallagher(a, b) == pytest.approx(gallagher(b, a))
    assert samuels_snyder(a, b) == pytest.approx(samuels_snyder(b, a))


@given(pairs)
def test_the_indices_lie_between_0_and_100(pair: tuple[dict[int, int], dict[int, int]]) -> None:
    result = compare(*pair)
    assert result.loosemore_hanby is not None
    assert result.gallagher is not None
    assert 0 <= result.gallagher <= 100
    assert 0 <= result.loosemore_hanby <= 100


@given(pairs)
def test_gallagher_never_exceeds_loosemore_hanby(
    pair: tuple[dict[int, int], dict[int, int]],
) -> None:
    # LSq ≤ D (the differences sum to zero), and D ≤ √(n/2) · LSq (Cauchy–Schwarz).
    result = compare(*pair)
    assert result.gallagher is not None
    assert result.loosemore_hanby is not None
    n = len(pair[0])
    assert result.gallagher <= result.loosemore_hanby + 1e-9
    assert result.loosemore_hanby <= math.sqrt(max(n, 2) / 2) * result.gallagher + 1e-9


@given(pairs)
def test_loosemore_hanby_is_the_share_that_would_change_hands(
    pair: tuple[dict[int, int], dict[int, int]],
) -> None:
    a, b = (shares(x) for x in pair)
    gained = sum((max(b.get(k, 0) - a.get(k, 0), Fraction(0)) for k in a | b), Fraction(0))
    assert loosemore_hanby_exact(a, b) == 100 * gained


@given(pairs)
def test_the_ratio_of_electors_per_seat_is_at_least_one(
    pair: tuple[dict[int, int], dict[int, int]],
) -> None:
    electors, seats = pair
    result = malapportionment(electors, seats)
    if result.ratio is not None:
        assert result.ratio >= 1
    assert result.samuels_snyder is not None
    assert 0 <= result.samuels_snyder <= 100


# -- the votes of a recorded result ---------------------------------------------------------


def test_list_votes_by_faction() -> None:
    result = {
        "lists": [
            {"faction_id": L, "name": "Left", "votes": 6, "seats": 4},
            {"faction_id": R, "name": "Right", "votes": 0, "seats": 0},
        ]
    }
    votes = election_votes(result, ElectionMethod.DHONDT, {})
    assert votes == Votes({L: Fraction(6), R: Fraction(0)}, LIST_VOTES)


def test_plurality_votes_count_for_the_candidates_factions() -> None:
    # Candidates 11 (Left) 4 votes, 12 (Left) 1, 13 (no faction) 5, 14 (Centre) 0.
    result = {
        "candidate_ids": {"Ann": 11, "Bo": 12, "Cy": 13, "Di": 14},
        "rounds": [{"tallies": {"Ann": 4, "Bo": 1, "Cy": 5, "Di": 0}}],
    }
    votes = election_votes(result, ElectionMethod.PLURALITY, {11: L, 12: L, 13: None, 14: C})
    assert votes == Votes({L: Fraction(5), None: Fraction(5), C: Fraction(0)}, VOTES)


def test_ranked_ballots_count_by_first_preference() -> None:
    # 4 ballots rank 11 (Left) first, 2 rank 13 (Centre) first, 3 rank no one.
    result = {
        "candidate_ids": {"Ann": 11, "Cy": 13, "Ed": 15},
        "ballots": [[3, [11, 13]], [1, [11]], [2, [13, 11]], [3, []]],
        "rounds": [{"tallies": {"Ann": 999}}],  # ignored: the ballots say it exactly
    }
    votes = election_votes(result, ElectionMethod.SCOTTISH_STV, {11: L, 13: C, 15: R})
    assert votes == Votes({L: Fraction(4), C: Fraction(2), R: Fraction(0)}, FIRST_PREFERENCES)


def test_a_result_without_votes_has_none() -> None:
    assert election_votes({"elected": ["Ann"]}, ElectionMethod.PLURALITY, {}) is None


# -- the latest choice of a constituency ----------------------------------------------------


def outcome(
    when: datetime, votes: dict[int | None, int], filled: int, *, by: bool = False, eid: int = 1
) -> Outcome:
    counts = {k: Fraction(v) for k, v in votes.items()}
    return Outcome(eid, 1, when, Votes(counts, VOTES), {}, filled=filled, by_election=by)


def test_a_by_election_counts_for_the_seats_it_filled() -> None:
    # A five-seat regular election (Left 6, Centre 2, Right 1 of 9 votes), then a one-seat
    # by-election (Left 3, none 4, Centre 2 of 9): the regular election counts for 4 seats,
    # the by-election for 1: Left (4·6/9 + 3/9)/5 = 27/45, Centre (8/9 + 2/9)/5 = 10/45,
    # Right 4/45, none 4/45.
    found = latest_choice(
        [
            outcome(day(1, 2), {L: 6, C: 2, R: 1}, 5),
            outcome(day(15, 4), {L: 3, None: 4, C: 2}, 1, by=True, eid=2),
        ]
    )
    assert found == {
        L: Fraction(27, 45),
        C: Fraction(10, 45),
        R: Fraction(4, 45),
        None: Fraction(4, 45),
    }


def test_a_regular_election_supersedes_the_by_elections_before_it() -> None:
    found = latest_choice(
        [
            outcome(day(1, 2), {L: 1}, 2),
            outcome(day(1, 3), {C: 1}, 1, by=True, eid=2),
            outcome(day(1, 4), {R: 3, L: 1}, 2, eid=3),
        ]
    )
    assert found == {R: Fraction(3, 4), L: Fraction(1, 4)}
    assert latest_choice([]) is None


def test_a_result_without_votes_counts_its_seats() -> None:
    seats_only = Outcome(1, 1, day(1), None, {L: 2, C: 1}, filled=3)
    assert latest_choice([seats_only]) == {L: Fraction(2, 3), C: Fraction(1, 3)}


def test_weighted_shares() -> None:
    # Two cities of four congress seats each: (3/4, 1/4) and (1/2, 1/4, 1/4).
    mixed = weighted([(4, {C: Fraction(3, 4), L: Fraction(1, 4)}), (4, shares({C: 2, L: 1, R: 1}))])
    assert mixed == {C: Fraction(5, 8), L: Fraction(1, 4), R: Fraction(1, 8)}
    assert weighted([]) is None


# -- the lag of a body ----------------------------------------------------------------------


def council(
    cid: int, kind: CouncilKind = CouncilKind.COUNCIL, parent: int | None = None
) -> Council:
    return Council(cid, 1, f"Council {cid}", f"c{cid}", kind, parent, day(1, 1))


def seat(
    mid: int,
    council_id: int,
    faction: int | None,
    start: datetime,
    end: datetime | None = None,
    election: int | None = None,
) -> Mandate:
    """A delegate's seat (the member's id is the mandate's)."""
    return Mandate(mid, council_id, mid, faction, None, None, None, election, start, end)


CITY, COMMITTEE = council(1), council(2, CouncilKind.COMMITTEE, parent=1)


def committee_history(mandates: list[Mandate], elections: list[Election]) -> LagHistory:
    return LagHistory(
        body=COMMITTEE,
        target=Target.COUNCIL,
        electing=CITY,
        base=CITY,
        constituencies=(),
        allocations=(),
        mandates=tuple(mandates),
        elections=tuple(elections),
        outcomes=(),
    )


def election(eid: int, council_id: int, when: datetime) -> Election:
    kind = ElectionKind.COMMITTEE if council_id == COMMITTEE.id else ElectionKind.DELEGATES
    return Election(eid, council_id, None, kind, ElectionMethod.DHONDT, 1, when)


def test_a_committee_lags_behind_its_council_until_it_is_re_elected() -> None:
    # The city: Centre 3, Left 1 from March 1; on April 1 two Centre seats turn Left
    # (Centre 1, Left 3). The committee: Centre 1 from March 5, then Left 1 from May 1.
    city = [
        seat(1, 1, C, day(1)),
        seat(2, 1, C, day(1), day(1, 4)),
        seat(3, 1, C, day(1), day(1, 4)),
        seat(4, 1, L, day(1)),
        seat(5, 1, L, day(1, 4)),
        seat(6, 1, L, day(1, 4)),
    ]
    committee = [seat(7, 2, C, day(5), day(1, 5)), seat(8, 2, L, day(1, 5))]
    history = committee_history(
        city + committee,
        [election(1, 1, day(1)), election(2, 2, day(5)), election(3, 1, day(1, 4)),
         election(4, 2, day(1, 5))],
    )  # fmt: skip
    assert history.moments() == [day(1), day(5), day(1, 4), day(1, 5)]
    before, elected, swung, again = history.series(history.moments())
    assert before.loosemore_hanby is None  # no committee yet
    assert before.target == {C: Fraction(3, 4), L: Fraction(1, 4)}
    # Committee Centre 1 against the city's Centre 3/4, Left 1/4: 25 pp.
    assert elected.loosemore_hanby == pytest.approx(25)
    # Against Centre 1/4, Left 3/4: 75 pp; composed March 5, the city voted on April 1.
    assert swung.loosemore_hanby == pytest.approx(75)
    assert swung.gallagher == pytest.approx(75)
    assert (swung.composed_at, swung.base_elected_at) == (day(5), day(1, 4))
    # Re-elected Left 1: 25 pp again.
    assert again.loosemore_hanby == pytest.approx(25)
    assert again.composed_at == day(1, 5)


def test_a_lower_council_counts_with_its_congress_seats() -> None:
    # Councils 11 (A) and 12 (B) send 3 and 1 delegates to congress 10.
    congress = council(10, CouncilKind.CONGRESS)
    kind, basis = ConstituencyKind.COUNCIL, RecallBasis.MEMBERS
    seats_from = [
        Constituency(20, 10, "A", kind, None, 11, basis, 1, 2, day(1)),
        Constituency(21, 10, "B", kind, None, 12, basis, 1, 2, day(1)),
    ]
    allocations = (SeatAllocation(30, 10, 20, 3, day(1)), SeatAllocation(31, 10, 21, 1, day(1)))
    mandates = (
        seat(1, 11, L, day(1)),  # A: all Left
        seat(2, 12, C, day(1)),  # B: all Centre
        seat(3, 10, C, day(2)),  # the congress: one Centre delegate
    )
    history = LagHistory(
        congress, Target.BASE, None, congress, tuple(seats_from), allocations, mandates, (), ()
    )
    lag = history.at(day(3))
    # Target: A's Left with weight 3, B's Centre with weight 1: Left 3/4, Centre 1/4.
    assert lag.target == {L: Fraction(3, 4), C: Fraction(1, 4)}
    assert lag.loosemore_hanby == pytest.approx(75)


def test_the_targets_a_body_offers() -> None:
    assert targets_for(COMMITTEE) == (Target.COUNCIL, Target.BASE)
    assert targets_for(CITY) == (Target.BASE,)
    presidium = council(3, CouncilKind.COMMITTEE, parent=2)
    assert base_council(presidium, {1: CITY, 2: COMMITTEE, 3: presidium}) == CITY
    with pytest.raises(InvalidInput):
        LagHistory(CITY, Target.COUNCIL, None, CITY, (), (), (), (), ())


def test_a_series_starts_at_its_start_and_takes_every_change_up_to_its_end() -> None:
    changes = [day(1), day(5), day(9), day(20)]
    assert series_moments(changes, day(5), day(9)) == [day(5), day(9)]
    assert series_moments(changes, day(2), day(19)) == [day(2), day(5), day(9)]
    with pytest.raises(InvalidInput):
        series_moments(changes, day(9), day(5))
    with pytest.raises(InvalidInput):
        series_moments(changes, day(9).replace(tzinfo=None), day(10))


def test_many_moments_are_counted_at_once() -> None:
    # A thousand mandates over a year, measured at every day: one pass, same answers as
    # one moment at a time.
    mandates = [
        seat(i, 1, (L, C, R, None)[i % 4], day(1, 1) + timedelta(days=i % 300),
             day(1, 1) + timedelta(days=i % 300 + 30 + i % 50))
        for i in range(1, 1001)
    ] + [seat(2000, 2, C, day(1, 1))]  # fmt: skip
    history = committee_history(mandates, [])
    moments = [day(1, 1) + timedelta(days=d) for d in range(0, 365, 7)]
    together = history.series(moments)
    assert [history.at(t).loosemore_hanby for t in moments[:10]] == [
        lag.loosemore_hanby for lag in together[:10]
    ]
    assert all(lag.body == {C: 1} for lag in together)
    backwards = history.series(list(reversed(moments)))
    assert [lag.loosemore_hanby for lag in reversed(backwards)] == [
        lag.loosemore_hanby for lag in together
    ]
