"""Party lists: hand-worked tables for every method, thresholds, ties, and the vectorized
many-constituency divisor count against the domain's seat-by-seat count.

Quotients in the comments are rounded for reading; the code compares them exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from smolny.domain.apportionment import DivisorMethod, TieRule, divisor
from smolny.voting.party_list import dhondt_many, divisor_many, party_list
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, Tie

CLASSIC = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}  # 230,000 votes


def test_dhondt_classic_table() -> None:
    #        /1        /2       /3       /4       /5
    # A  100000 1  50000 3  33333 5  25000 8  20000
    # B   80000 2  40000 4  26667 7  20000
    # C   30000 6  15000
    # D   20000
    # Seat order (numbers above): A B A B A C B A. The next quotient would be 20000.
    result = party_list(CLASSIC, 8, "dhondt")
    assert result.method == "dhondt"
    assert result.candidates == ("A", "B", "C", "D")
    assert result.elected == ("A", "B", "A", "B", "A", "C", "B", "A")
    assert result.details["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert result.details["quotients"] == {
        "A": ["100000", "50000", "100000/3", "25000"],
        "B": ["80000", "40000", "80000/3"],
        "C": ["30000"],
        "D": [],
    }
    assert result.details["last_winning_quotient"] == "25000"
    assert result.details["next_quotient"] == "20000"
    (count,) = result.rounds
    assert count.tallies == CLASSIC
    assert count.elected == result.elected
    assert count.excluded == ()
    assert result.ties == ()
    assert result.seed is None


def test_sainte_lague_classic_table_with_a_tie_that_decides_nothing() -> None:
    #        /1       /3       /5       /7
    # A  100000 1  33333 3  20000 6  14286
    # B   80000 2  26667 5  16000 8
    # C   30000 4  10000
    # D   20000 7   6667
    # A's third quotient and D's first are both 20000, for seats 6 and 7: both win, no lot.
    result = party_list(CLASSIC, 8, "sainte-lague")
    assert result.details["seats"] == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert result.elected == ("A", "B", "A", "C", "B", "A", "D", "B")
    assert result.ties == ()


def test_modified_sainte_lague_tie_for_the_last_seat() -> None:
    #        /1.4      /3       /5       /7
    # A   71429 1  33333 3  20000 6  14286 (100000/7)
    # B   57143 2  26667 4  16000 7
    # C   21429 5  10000
    # D   14286 (20000/1.4 = 100000/7)
    # Seven seats are clear; A's fourth quotient and D's first are exactly equal for the 8th.
    with pytest.raises(
        CountError,
        match=r"tie for seat 8 of 8 between A and D .*; a lot must decide it: give a seed",
    ):
        party_list(CLASSIC, 8, "modified-sainte-lague")
    result = party_list(CLASSIC, 8, "modified-sainte-lague", seed=1917)
    winner = result.ties[0].chosen[0]
    assert result.ties == (
        Tie(
            round=1,
            between=("A", "D"),
            decides="seat 8",
            resolved_by="lot (seed 1917)",
            chosen=(winner,),
        ),
    )
    assert result.seed == 1917
    assert result.details["seats"] == {
        "A": 3 + (winner == "A"),
        "B": 3,
        "C": 1,
        "D": int(winner == "D"),
    }
    assert result.details["quotients"]["C"] == ["150000/7"]  # 30000 / 1.4 = 150000 / 7
    # Norway's rule: the list with more votes, then lot.
    norway = party_list(
        CLASSIC, 8, "modified-sainte-lague", tie_rules=(TieRule.LARGEST, TieRule.LOT)
    )
    assert norway.details["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert norway.ties[0].resolved_by == "more votes"
    assert norway.seed is None


def test_hare_largest_remainder() -> None:
    # Quota 230000 / 8 = 28750.
    # A 100000 = 3 quotas (86250) + 13750
    # B  80000 = 2 quotas (57500) + 22500  <- remainder seat 1
    # C  30000 = 1 quota  (28750) +  1250
    # D  20000 = 0 quotas         + 20000  <- remainder seat 2
    result = party_list(CLASSIC, 8, "hare")
    assert result.details["seats"] == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert result.details["quota"] == "28750"
    assert result.details["whole_quotas"] == {"A": 3, "B": 2, "C": 1, "D": 0}
    assert result.details["remainders"] == {"A": "13750", "B": "22500", "C": "1250", "D": "20000"}
    assert result.details["remainder_seats"] == ["B", "D"]
    assert result.elected == ("A", "A", "A", "B", "B", "C", "B", "D")
    assert result.rounds[0].quota is None  # a fraction in general: in details


def test_droop_largest_remainder() -> None:
    # Quota floor(230000 / 9) + 1 = 25556.
    # A 100000 = 3 quotas (76668) + 23332  <- remainder seat
    # B  80000 = 3 quotas (76668) +  3332
    # C  30000 = 1 quota  (25556) +  4444
    # D  20000 = 0 quotas         + 20000
    result = party_list(CLASSIC, 8, "droop-lr")
    assert result.details["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert result.rounds[0].quota == 25556
    assert result.elected == ("A", "A", "A", "B", "B", "B", "C", "A")


def test_hare_remainder_tie_goes_to_the_larger_party_then_lot() -> None:
    # 3 seats, 600 votes, quota 200. A 300 = 1 + 100, B 100 = 0 + 100, C 200 = 1 + 0.
    # A and B tie on remainders (100) for the last seat: A has more votes.
    result = party_list({"A": 300, "B": 100, "C": 200}, 3, "hare")
    assert result.details["seats"] == {"A": 2, "B": 0, "C": 1}
    assert result.ties[0].between == ("A", "B")
    assert result.ties[0].resolved_by == "more votes"
    # Equal parties: lot.
    with pytest.raises(CountError, match="give a seed"):
        party_list({"A": 100, "B": 100}, 1, "hare")
    assert party_list({"A": 100, "B": 100}, 1, "hare", seed=3).ties[0].resolved_by == (
        "lot (seed 3)"
    )


def test_threshold_excludes_small_parties_before_counting() -> None:
    # 5% of 240000 is 12000: E (10000) is excluded; the rest as in the classic table.
    votes = {**CLASSIC, "E": 10_000}
    result = party_list(votes, 8, "dhondt", threshold=Fraction(5, 100))
    assert result.rounds[0].excluded == ("E",)
    assert result.details["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0, "E": 0}
    assert result.details["threshold"] == "1/20"
    # Without the threshold E is still short of a seat under D'Hondt; under Hare, the quota
    # is computed without E: 230000 / 8 as before.
    assert party_list(votes, 8, "hare", threshold=Fraction(5, 100)).details["quota"] == "28750"


def test_a_ranked_profile_counts_first_preferences_as_party_votes() -> None:
    profile = RankedProfile.from_rankings(
        ("Bolsheviks", "SRs", "Mensheviks"), [[0, 2], [1], [2, 1]], [519, 270, 144]
    )
    # 22 seats, D'Hondt: 13 / 6 / 3 (the Petrograd Soviet's executive of September 1917).
    result = party_list(profile, 22, "dhondt")
    assert result.details["seats"] == {"Bolsheviks": 13, "SRs": 6, "Mensheviks": 3}
    assert result.rounds[0].tallies == {"Bolsheviks": 519, "SRs": 270, "Mensheviks": 144}


def test_a_thousand_seats_is_one_round() -> None:
    result = party_list({"A": 523_411, "B": 301_113, "C": 99_998, "D": 12}, 1000, "dhondt")
    assert len(result.rounds) == 1
    assert len(result.elected) == 1000
    assert sum(result.details["seats"].values()) == 1000
    assert result.elected.count("A") == result.details["seats"]["A"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: party_list(CLASSIC, 0, "dhondt"), "at least one seat"),
        (lambda: party_list(CLASSIC, 3, "borda"), "unknown party-list method 'borda'"),  # type: ignore[arg-type]
        (lambda: party_list({}, 3, "dhondt"), "no parties"),
        (lambda: party_list({"A": 0, "B": 0}, 3, "dhondt"), "no votes"),
        (lambda: party_list({"A": -1}, 3, "dhondt"), "negative"),
        (lambda: party_list({"A": 1.5}, 3, "dhondt"), "whole number"),  # type: ignore[dict-item]
        (lambda: party_list(CLASSIC, 3, "dhondt", threshold=Fraction(2)), "between 0 and 1"),
        (lambda: party_list(CLASSIC, 3, "dhondt", threshold=0.05), "Fraction"),  # type: ignore[arg-type]
        (lambda: party_list({"A": 1, "B": 1}, 30, "droop-lr"), "too small"),
        (
            lambda: party_list(CLASSIC, 3, "dhondt", tie_rules=(TieRule.ORDER,)),
            "'order' is not supported",
        ),
    ],
)
def test_invalid_party_list_counts(call: object, message: str) -> None:
    with pytest.raises(CountError, match=message):
        call()  # type: ignore[operator]


# --- properties -------------------------------------------------------------------------------

VOTES = st.dictionaries(
    st.sampled_from("ABCDEFG"), st.integers(0, 10_000), min_size=1, max_size=7
).filter(lambda v: sum(v.values()) > 0)


@given(votes=VOTES, house=st.integers(1, 40))
def test_dhondt_is_house_monotone(votes: dict[str, int], house: int) -> None:
    # One more seat never costs a party a seat (where no lot was drawn).
    smaller = party_list(votes, house, "dhondt", seed=1)
    larger = party_list(votes, house + 1, "dhondt", seed=1)
    if smaller.ties or larger.ties:
        return
    for party in votes:
        assert larger.details["seats"][party] >= smaller.details["seats"][party]


@given(
    votes=VOTES,
    house=st.integers(1, 40),
    method=st.sampled_from(["dhondt", "sainte-lague", "modified-sainte-lague", "hare"]),
)
def test_elected_lists_every_seat_once_in_seat_order(
    votes: dict[str, int], house: int, method: str
) -> None:
    result = party_list(votes, house, method, seed=5)  # type: ignore[arg-type]
    assert len(result.elected) == house
    for party, seats in result.details["seats"].items():
        assert result.elected.count(party) == seats
    if method != "hare":
        # The winning quotients never increase along the seat order.
        taken = dict.fromkeys(votes, 0)
        along = []
        for party in result.elected:
            along.append(Fraction(result.details["quotients"][party][taken[party]]))
            taken[party] += 1
        assert along == sorted(along, reverse=True)
        assert str(along[-1]) == result.details["last_winning_quotient"]


# --- many constituencies ----------------------------------------------------------------------

METHOD_NAMES = {
    "dhondt": DivisorMethod.DHONDT,
    "sainte-lague": DivisorMethod.SAINTE_LAGUE,
    "modified-sainte-lague": DivisorMethod.MODIFIED_SAINTE_LAGUE,
}


def per_row(votes: np.ndarray, seats: np.ndarray, method: str, seed: int | None = 11) -> np.ndarray:
    rows = []
    for row, house in zip(votes, seats, strict=True):
        outcome = divisor(
            {p: int(v) for p, v in enumerate(row)},
            int(house),
            METHOD_NAMES[method],
            tie_rules=(TieRule.LOT,),
            seed=seed,
        )
        rows.append([outcome.seats[p] for p in range(len(row))])
    return np.array(rows, dtype=np.int64).reshape(votes.shape)


def test_dhondt_many_on_the_classic_table_and_a_tie() -> None:
    votes = np.array([[100_000, 80_000, 30_000, 20_000], [300, 200, 100, 0], [10, 10, 0, 0]])
    result = dhondt_many(votes, [8, 5, 1], seed=4)
    # Row 2: quotients 300 150 100 | 200 100 | 100: seats 1-3 go to 300, 200, 150; seats 4
    # and 5 to two of the three quotients of 100 (A/3, B/2, C/1): a tie, drawn by lot.
    # Row 3: 10 | 10 for one seat: a tie.
    assert party_list({"A": 300, "B": 200, "C": 100}, 5, "dhondt", seed=4).ties[0].decides == (
        "seats 4 to 5"
    )
    assert result.seats[0].tolist() == [4, 3, 1, 0]
    assert result.seats.sum(axis=1).tolist() == [8, 5, 1]
    assert set(result.ties) == {1, 2}
    assert result.exact_rows == 2
    assert (result.seats == per_row(votes, np.array([8, 5, 1]), "dhondt", seed=4)).all()
    with pytest.raises(
        CountError,
        match="constituency 2: tie for seat 4 of 5 between party 1, party 2 and party 3 "
        r"\(2 seats for 3 parties\); a lot must decide it: give a seed",
    ):
        dhondt_many(votes, [8, 5, 1])


def test_divisor_many_threshold_and_validation() -> None:
    votes = np.array([[100_000, 80_000, 30_000, 20_000, 10_000]])
    result = divisor_many(votes, 8, "sainte-lague", threshold=Fraction(5, 100))
    assert result.seats.tolist() == [[3, 3, 1, 1, 0]]
    with pytest.raises(CountError, match="2-d"):
        divisor_many(np.array([1, 2]), 1)
    with pytest.raises(CountError, match="negative votes"):
        divisor_many(np.array([[1, -2]]), 1)
    with pytest.raises(CountError, match="unknown divisor method 'hare'"):
        divisor_many(np.array([[1, 2]]), 1, "hare")  # type: ignore[arg-type]
    with pytest.raises(CountError, match="constituency 1: no party with a positive weight"):
        divisor_many(np.array([[0, 0]]), 1)
    assert divisor_many(np.array([[0, 0]]), 0).seats.tolist() == [[0, 0]]


@settings(max_examples=200, deadline=None)
@given(
    votes=hnp.arrays(
        np.int64, st.tuples(st.integers(1, 8), st.integers(1, 6)), elements=st.integers(0, 60)
    ),
    seats=st.integers(0, 12),
    method=st.sampled_from(sorted(METHOD_NAMES)),
)
def test_divisor_many_equals_the_domain_count_on_each_row(
    votes: np.ndarray, seats: int, method: str
) -> None:
    # Small votes make many ties and many close quotients: the exact fallback is exercised.
    votes[:, 0] += 1  # at least one party with votes in each row
    result = divisor_many(votes, seats, method, seed=11)  # type: ignore[arg-type]
    assert (result.seats == per_row(votes, np.full(len(votes), seats), method)).all()


def test_divisor_many_equals_the_domain_count_on_large_random_elections() -> None:
    rng = np.random.default_rng(1917)
    votes = rng.integers(0, 2_000_000, size=(300, 7))
    seats = rng.integers(1, 60, size=300)
    for method in METHOD_NAMES:
        result = divisor_many(votes, seats, method)  # type: ignore[arg-type]
        assert (result.seats == per_row(votes, seats, method)).all()
        assert result.exact_rows == 0
        # The same 50 seats everywhere (7 x 50 quotients a row): selected, not sorted.
        uniform = divisor_many(votes, 50, method)  # type: ignore[arg-type]
        assert (uniform.seats == per_row(votes, np.full(300, 50), method)).all()


def test_dhondt_many_agrees_with_the_apportionment_package() -> None:
    methods = pytest.importorskip("apportionment.methods")
    rng = np.random.default_rng(7)
    votes = rng.integers(1, 1_000_000, size=(200, 6))
    result = dhondt_many(votes, 10)
    for row, seats in zip(votes, result.seats, strict=True):
        assert methods.compute("dhondt", row.tolist(), 10) == seats.tolist()
