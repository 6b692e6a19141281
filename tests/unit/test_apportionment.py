"""Apportionment: hand-worked counts for every method, ties, validation, and properties.

Quotients in the comments are rounded for reading; the code compares them exactly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smolny.domain.apportionment import (
    Apportionment,
    DivisorMethod,
    Quota,
    Tie,
    TieError,
    TieRule,
    divisor,
    fixed,
    largest_remainder,
    ratio,
    resolve_tie,
)

DHONDT = DivisorMethod.DHONDT
SAINTE_LAGUE = DivisorMethod.SAINTE_LAGUE
MODIFIED = DivisorMethod.MODIFIED_SAINTE_LAGUE
HUNTINGTON_HILL = DivisorMethod.HUNTINGTON_HILL
ADAMS = DivisorMethod.ADAMS
LARGEST, ORDER, LOT = TieRule.LARGEST, TieRule.ORDER, TieRule.LOT

CLASSIC = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


# --- D'Hondt -------------------------------------------------------------------------------


def test_dhondt_classic_table_of_eight_seats() -> None:
    #        /1       /2      /3      /4      /5
    # A  100000*  50000*  33333*  25000*  20000
    # B   80000*  40000*  26667*  20000
    # C   30000*  15000
    # D   20000
    # The 8 starred quotients are the highest; the 8th is 25000, above every 20000.
    result = divisor(CLASSIC, 8, DHONDT)
    assert result == Apportionment("dhondt", {"A": 4, "B": 3, "C": 1, "D": 0}, ())
    assert list(result.seats) == ["A", "B", "C", "D"]
    assert result.total == 8


def test_dhondt_petrograd_soviet_executive_committee_of_september_1917() -> None:
    # 22 seats shared 13 Bolsheviks / 6 SRs / 3 Mensheviks. Assumed faction strengths in
    # the plenum: 519 Bolsheviks, 270 SRs, 144 Mensheviks (933 deputies, a Bolshevik
    # majority). D'Hondt gives each faction floor(strength / d) seats for any divisor d
    # that makes the seats add up; d = 39 works:
    #   519 / 39 = 13.3 -> 13,   270 / 39 = 6.9 -> 6,   144 / 39 = 3.7 -> 3;   13+6+3 = 22.
    # Seat by seat: the 22nd seat is the Bolsheviks' 13th at 519/13 = 39.92; the best
    # quotient left out is the SRs' 7th at 270/7 = 38.57 (then 519/14 = 37.07, 144/4 = 36).
    result = divisor({"Bolsheviks": 519, "SRs": 270, "Mensheviks": 144}, 22, DHONDT)
    assert result.seats == {"Bolsheviks": 13, "SRs": 6, "Mensheviks": 3}
    assert result.ties == ()


def test_dhondt_is_jefferson_favouring_the_large_state_where_hamilton_does_not() -> None:
    # Same populations as the Hamilton example below (Hamilton gives 5, 3, 1, 1).
    #       /1     /2     /3      /4     /5    /6
    # A   4630*  2315*  1543*  1157.5*  926*  772
    # B   3210*  1605*  1070*   802.5*  642
    # C   1430*   715
    # D    730
    # 10th quotient 802.5 (B's 4th) beats A's 6th (772) and D's 1st (730).
    result = divisor({"A": 4630, "B": 3210, "C": 1430, "D": 730}, 10, DHONDT)
    assert result.seats == {"A": 5, "B": 4, "C": 1, "D": 0}


def test_dhondt_minimum_gives_every_party_its_seats_first_even_with_weight_zero() -> None:
    # "At least one delegate per constituency": 4 seats go one to each, D included.
    # The 6 others by D'Hondt with s starting at 1: A 900/2=450, 300, 225, 180, 150, 128.6
    # all beat B's 90/2 = 45 and C's 10/2 = 5. D (weight 0) gets nothing more.
    result = divisor({"A": 900, "B": 90, "C": 10, "D": 0}, 10, DHONDT, minimum=1)
    assert result.seats == {"A": 7, "B": 1, "C": 1, "D": 1}


def test_weight_zero_party_gets_no_seat_without_minimum() -> None:
    result = divisor({"A": 5, "Z": 0}, 3, DHONDT)
    assert result.seats == {"A": 3, "Z": 0}


# --- Sainte-Laguë and modified Sainte-Laguë ------------------------------------------------


def test_sainte_lague_classic_table_of_eight_seats() -> None:
    #        /1       /3      /5      /7
    # A  100000*  33333*  20000*  14286
    # B   80000*  26667*  16000*
    # C   30000*  10000
    # D   20000*   6667
    # A's 20000 and D's 20000 tie for seats 6 and 7: both fit, so no tie is recorded.
    # Seat 8: B's 16000 > A's 14286.
    result = divisor(CLASSIC, 8, SAINTE_LAGUE)
    assert result.seats == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert result.ties == ()


def test_modified_sainte_lague_makes_a_small_party_pay_more_for_its_first_seat() -> None:
    # Sainte-Laguë, divisors 1, 3, 5, 7:
    #   A 50*  16.7*  10*  7.1*     B 30*  10*  6     C 12*  4     D 8*  2.7
    #   -> A 4, B 2, C 1, D 1 (D's 8 beats B's 6 for the 8th seat).
    # Modified, first divisor 1.4:
    #   A 35.7*  16.7*  10*  7.1*   B 21.4*  10*  6*   C 8.6*  4   D 5.7
    #   -> A 4, B 3, C 1, D 0 (B's 6 now beats D's 8 / 1.4 = 5.7).
    weights = {"A": 50, "B": 30, "C": 12, "D": 8}
    assert divisor(weights, 8, SAINTE_LAGUE).seats == {"A": 4, "B": 2, "C": 1, "D": 1}
    result = divisor(weights, 8, MODIFIED)
    assert result.method == "modified-sainte-lague"
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_modified_sainte_lague_finds_an_exact_tie_in_the_classic_table() -> None:
    # A's 4th quotient 100000 / 7 and D's first 20000 / 1.4 = 100000 / 7 are exactly equal,
    # and they compete for the 8th and last seat:
    #   A 71429* 33333* 20000* 14286   B 57143* 26667* 16000*   C 21429* 10000   D 14286
    with pytest.raises(TieError) as caught:
        divisor(CLASSIC, 8, MODIFIED)
    assert caught.value.tie == Tie(8, ("A", "D"), 1, None, ())
    result = divisor(CLASSIC, 8, MODIFIED, tie_rules=(LARGEST,))
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert result.ties == (Tie(8, ("A", "D"), 1, LARGEST, ("A",)),)


def test_sainte_lague_tie_for_the_last_seat() -> None:
    #        /1     /3     /5   /7
    # A     70*  23.3*  14*   10
    # B     20*   6.7
    # C     10
    # Seat 5: A's 70/7 = 10 and C's 10/1 = 10, one seat for two parties.
    weights = {"A": 70, "B": 20, "C": 10}
    with pytest.raises(TieError, match=r"tie for seat 5 of 5 between 'A' and 'C'"):
        divisor(weights, 5, SAINTE_LAGUE)
    # LARGEST: A has 70 members, C has 10.
    result = divisor(weights, 5, SAINTE_LAGUE, tie_rules=[LARGEST])
    assert result.seats == {"A": 4, "B": 1, "C": 0}


# --- Huntington-Hill and Adams -------------------------------------------------------------

SMALL = {"A": 55, "B": 20, "C": 5}


def test_the_four_divisor_families_all_differ_on_one_small_example() -> None:
    # 6 seats for A 55, B 20, C 5.
    # D'Hondt    A 55* 27.5* 18.3* 13.8* 11*       B 20* 10       C 5     -> 5, 1, 0
    # Ste-Laguë  A 55* 18.3* 11* 7.86* 6.1         B 20* 6.67*    C 5     -> 4, 2, 0
    # Huntington-Hill and Adams: see the two tests below.
    assert divisor(SMALL, 6, DHONDT).seats == {"A": 5, "B": 1, "C": 0}
    assert divisor(SMALL, 6, SAINTE_LAGUE).seats == {"A": 4, "B": 2, "C": 0}


def test_huntington_hill_worked_by_hand() -> None:
    # Seats 1-3: a first seat each (infinite claims w / sqrt(0 * 1)).
    # Then squared claims w² / (s(s+1)):
    #   A 55² = 3025: s=1 -> 3025/2 = 1512.5,  s=2 -> 3025/6 = 504.2,  s=3 -> 3025/12 = 252.1,
    #                 s=4 -> 3025/20 = 151.25
    #   B 20² = 400:  s=1 -> 400/2 = 200
    #   C 5² = 25:    s=1 -> 25/2 = 12.5
    # Seat 4: A (1512.5), seat 5: A (504.2), seat 6: A (252.1 > B's 200). -> 4, 1, 1.
    # (Unsquared: 55/√12 = 15.9 > 20/√2 = 14.1.) A 7th seat would go to B: 200 > 151.25.
    assert divisor(SMALL, 6, HUNTINGTON_HILL).seats == {"A": 4, "B": 1, "C": 1}
    assert divisor(SMALL, 7, HUNTINGTON_HILL).seats == {"A": 4, "B": 2, "C": 1}


def test_adams_worked_by_hand() -> None:
    # Seats 1-3: a first seat each. Then claims w / s:
    #   A 55/1 = 55*, 55/2 = 27.5*, 55/3 = 18.3     B 20/1 = 20*     C 5/1 = 5
    # Seat 4: A (55), seat 5: A (27.5), seat 6: B (20 > 18.3). -> 3, 2, 1.
    assert divisor(SMALL, 6, ADAMS).seats == {"A": 3, "B": 2, "C": 1}


@pytest.mark.parametrize("method", [HUNTINGTON_HILL, ADAMS])
def test_first_seats_are_tied_when_there_are_more_parties_than_seats(
    method: DivisorMethod,
) -> None:
    # Every party's claim to a first seat is infinite: the method cannot rank them.
    weights = {"A": 50, "B": 30, "C": 20, "Z": 0}
    with pytest.raises(TieError) as caught:
        divisor(weights, 2, method)
    assert caught.value.tie.tied == ("A", "B", "C")  # Z has no claim at all
    assert caught.value.tie.seats_at_stake == 2
    result = divisor(weights, 2, method, tie_rules=[LARGEST])
    assert result.seats == {"A": 1, "B": 1, "C": 0, "Z": 0}
    assert result.ties == (Tie(1, ("A", "B", "C"), 2, LARGEST, ("A", "B")),)


@pytest.mark.parametrize("method", [HUNTINGTON_HILL, ADAMS])
def test_minimum_removes_the_infinite_first_claims(method: DivisorMethod) -> None:
    # With one seat each given, the next claims are finite: A 50²/2 or 50/1 comes first.
    result = divisor({"A": 50, "B": 30, "C": 20}, 4, method, minimum=1)
    assert result.seats == {"A": 2, "B": 1, "C": 1}


# --- ties in divisor methods ---------------------------------------------------------------

TIED = {"A": 6, "B": 3, "C": 3}


def test_tie_without_a_rule_is_an_error_naming_the_parties_and_the_seat() -> None:
    # Seat 1: A (6). Seat 2: A's 6/2 = 3, B's 3/1 = 3, C's 3/1 = 3: one seat, three parties.
    with pytest.raises(TieError) as caught:
        divisor(TIED, 2, DHONDT)
    error = caught.value
    assert str(error) == (
        "tie for seat 2 of 2 between 'A', 'B' and 'C' (1 seat for 3 parties); state a tie rule"
    )
    assert error.tie == Tie(2, ("A", "B", "C"), 1, None, ())


def test_tie_rule_largest_gives_the_seat_to_the_larger_party() -> None:
    # A (6 members) is larger than B and C (3 each).
    result = divisor(TIED, 2, DHONDT, tie_rules=[LARGEST])
    assert result.seats == {"A": 2, "B": 0, "C": 0}
    assert result.ties == (Tie(2, ("A", "B", "C"), 1, LARGEST, ("A",)),)


def test_tie_rule_largest_leaves_equal_weights_tied_and_says_who() -> None:
    # Seats 2 and 3 for A, B, C: LARGEST gives one to A, then B and C (3 each) stay tied.
    with pytest.raises(TieError) as caught:
        divisor(TIED, 3, DHONDT, tie_rules=[LARGEST])
    error = caught.value
    assert error.tie == Tie(2, ("A", "B", "C"), 2, None, ())
    assert error.undecided == ("B", "C")
    assert error.seats_undecided == 1
    assert "'B' and 'C' are still tied for 1 seat" in str(error)


def test_tie_rules_are_tried_in_order_until_one_settles_it() -> None:
    result = divisor(TIED, 3, DHONDT, tie_rules=[LARGEST, ORDER], order=["C", "B", "A"])
    assert result.seats == {"A": 2, "B": 0, "C": 1}
    # LARGEST only narrowed the field; ORDER settled it.
    assert result.ties == (Tie(2, ("A", "B", "C"), 2, ORDER, ("A", "C")),)


def test_tie_rule_order_alone() -> None:
    result = divisor(TIED, 2, DHONDT, tie_rules=[ORDER], order=["B", "A", "C"])
    assert result.seats == {"A": 1, "B": 1, "C": 0}
    assert result.ties[0].resolved_by is ORDER


def test_tie_rule_lot_is_reproducible_from_its_seed() -> None:
    weights = {"A": 3, "B": 3, "C": 3}
    first = divisor(weights, 1, DHONDT, tie_rules=[LOT], seed=1917)
    again = divisor(weights, 1, DHONDT, tie_rules=[LOT], seed=1917)
    assert first == again
    assert first.total == 1
    assert first.ties[0].resolved_by is LOT
    assert first.ties[0].tied == ("A", "B", "C")
    assert len(first.ties[0].winners) == 1


def test_tie_rule_lot_really_draws() -> None:
    weights = {"A": 3, "B": 3, "C": 3}
    winners = {
        divisor(weights, 1, DHONDT, tie_rules=[LOT], seed=seed).ties[0].winners
        for seed in range(60)
    }
    assert winners == {("A",), ("B",), ("C",)}


def test_no_tie_is_recorded_when_the_tied_parties_all_fit() -> None:
    # Seat 1: A. Seats 2-4: A's 3, B's 3, C's 3, three seats for three parties.
    result = divisor(TIED, 4, DHONDT)
    assert result.seats == {"A": 2, "B": 1, "C": 1}
    assert result.ties == ()


def test_a_tie_rule_as_a_bare_value_or_string_is_accepted() -> None:
    assert divisor(TIED, 2, DHONDT, tie_rules=LARGEST).seats["A"] == 2  # type: ignore[arg-type]
    assert divisor(TIED, 2, "dhondt", tie_rules=["largest"]).seats["A"] == 2  # type: ignore[arg-type,list-item]


# --- ties met elsewhere (e.g. plurality) --------------------------------------------------


def test_resolve_tie_without_rules_names_the_tied_in_the_given_order() -> None:
    votes = {"Ivanova": 40, "Petrov": 31, "Sidorov": 31}
    with pytest.raises(TieError) as caught:
        resolve_tie(["Sidorov", "Petrov"], 1, seat=2, weights=votes, house=2)
    assert caught.value.tie == Tie(2, ("Sidorov", "Petrov"), 1, None, ())
    assert str(caught.value).startswith("tie for seat 2 of 2 between 'Sidorov' and 'Petrov'")


def test_resolve_tie_message_without_a_house_size() -> None:
    with pytest.raises(TieError, match=r"^tie for seat 3 between 'x' and 'y' \(1 seat"):
        resolve_tie(["x", "y"], 1, seat=3, weights={"x": 1, "y": 1})


def test_resolve_tie_by_rules() -> None:
    votes = {"P": 5, "Q": 5, "R": 5}
    tie = resolve_tie(["P", "Q", "R"], 2, seat=1, weights=votes, rules=[ORDER], order="RQP")
    assert tie == Tie(1, ("P", "Q", "R"), 2, ORDER, ("Q", "R"))
    drawn = resolve_tie(["P", "Q", "R"], 1, seat=1, weights=votes, rules=[LARGEST, LOT], seed=9)
    assert drawn.resolved_by is LOT
    assert drawn == resolve_tie(
        ["P", "Q", "R"], 1, seat=1, weights=votes, rules=[LARGEST, LOT], seed=9
    )


@pytest.mark.parametrize(
    ("tied", "seats", "message"),
    [
        (["P", "Q"], 2, "not a tie"),
        (["P", "P"], 1, "'P' is listed twice"),
        (["P", "Z"], 1, "no weight for the tied party 'Z'"),
    ],
)
def test_resolve_tie_refuses_what_is_not_a_tie(tied: list[str], seats: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_tie(tied, seats, seat=1, weights={"P": 1, "Q": 1})


# --- thresholds ----------------------------------------------------------------------------


def test_threshold_excludes_parties_strictly_below_it() -> None:
    # Total 100; C has 7, below 10% of it. Sainte-Laguë, divisors 1, 3, 5, 7, 9, 11:
    #   A 58* 19.3* 11.6* 8.29* 6.44* 5.27*   B 35* 11.7* 7* 5   C 7* 2.33
    #   (B's 7 and C's 7 take seats 7 and 8 together; A's 5.27 is 10th) -> 6, 3, 1.
    # With C excluded, B's 5 becomes the 10th quotient (A's next is 58/13 = 4.46):
    #   A 58* 19.3* 11.6* 8.29* 6.44* 5.27*   B 35* 11.7* 7* 5*   -> 6, 4.
    weights = {"A": 58, "B": 35, "C": 7}
    assert divisor(weights, 10, SAINTE_LAGUE).seats == {"A": 6, "B": 3, "C": 1}
    result = divisor(weights, 10, SAINTE_LAGUE, threshold=Fraction(1, 10))
    assert result.seats == {"A": 6, "B": 4, "C": 0}
    assert result.excluded == ("C",)


def test_threshold_exactly_met_is_not_excluded() -> None:
    result = divisor({"A": 95, "B": 5}, 20, DHONDT, threshold=Fraction(5, 100))
    assert result.excluded == ()
    assert result.seats == {"A": 19, "B": 1}


def test_minimum_goes_only_to_parties_not_excluded() -> None:
    result = divisor({"A": 95, "B": 1}, 5, DHONDT, minimum=1, threshold=Fraction(1, 20))
    assert result.seats == {"A": 5, "B": 0}
    assert result.excluded == ("B",)


# --- largest remainder ---------------------------------------------------------------------


def test_hamilton_small_example_in_the_style_of_1790() -> None:
    # Population 10000, house 10: quota 1000.
    #   A 4630 -> 4.63   B 3210 -> 3.21   C 1430 -> 1.43   D 730 -> 0.73
    # Whole quotas 4 + 3 + 1 + 0 = 8; 2 seats to the largest remainders: D .73, A .63.
    result = largest_remainder({"A": 4630, "B": 3210, "C": 1430, "D": 730}, 10)
    assert result == Apportionment("hare", {"A": 5, "B": 3, "C": 1, "D": 1}, ())


def test_hamilton_shows_the_alabama_paradox() -> None:
    # Total 14. House 10: quotas 4.29, 4.29, 1.43 -> 4, 4, 1 + C's .43 -> 4, 4, 2.
    # House 11: quotas 4.71, 4.71, 1.57 -> 4, 4, 1 + A's and B's .71 -> 5, 5, 1.
    # C loses a seat when the house grows (divisor methods never do this).
    weights = {"A": 6, "B": 6, "C": 2}
    assert largest_remainder(weights, 10).seats == {"A": 4, "B": 4, "C": 2}
    assert largest_remainder(weights, 11).seats == {"A": 5, "B": 5, "C": 1}


def test_droop_quota_favours_the_large_party_where_hare_does_not() -> None:
    # 100 votes, 5 seats.
    # Hare quota 20:  A 70 = 3 q + 10,  B 19 = 0 q + 19,  C 11 = 0 q + 11
    #   -> 3 whole quotas; remainders B 19 and C 11 beat A's 10 -> 3, 1, 1.
    # Droop quota floor(100/6) + 1 = 17:  A 70 = 4 q + 2,  B 19 = 1 q + 2,  C 11 = 0 q + 11
    #   -> 5 whole quotas, nothing left -> 4, 1, 0.
    weights = {"A": 70, "B": 19, "C": 11}
    assert largest_remainder(weights, 5, Quota.HARE).seats == {"A": 3, "B": 1, "C": 1}
    result = largest_remainder(weights, 5, Quota.DROOP)
    assert result == Apportionment("droop", {"A": 4, "B": 1, "C": 0}, ())


def test_droop_quota_with_a_remainder_seat() -> None:
    # Droop quota floor(100/6) + 1 = 17: A 60 = 3q + 9, B 28 = 1q + 11, C 12 = 0q + 12.
    # 4 whole quotas; the 5th seat to C's remainder 12.
    result = largest_remainder({"A": 60, "B": 28, "C": 12}, 5, Quota.DROOP)
    assert result.seats == {"A": 3, "B": 1, "C": 1}


def test_droop_whole_quotas_can_fill_the_house() -> None:
    # 100 votes, 5 seats. Droop quota 17: A 51 = 3q, B 34 = 2q exactly: 5 whole quotas.
    # Hare quota 20: A 51 = 2q + 11, B 34 = 1q + 14, C 15 = 0q + 15 -> C and B get the
    # 2 seats left -> 2, 2, 1.
    weights = {"A": 51, "B": 34, "C": 15}
    assert largest_remainder(weights, 5, Quota.DROOP).seats == {"A": 3, "B": 2, "C": 0}
    assert largest_remainder(weights, 5, Quota.HARE).seats == {"A": 2, "B": 2, "C": 1}


def test_droop_quota_too_large_for_the_house_is_refused() -> None:
    # 2 votes, 5 seats: quota floor(2/6) + 1 = 1, whole quotas 1 + 1, 3 seats left for
    # 2 parties: largest remainder cannot give them out.
    with pytest.raises(ValueError, match=r"droop quota \(1\) leaves 3 seats"):
        largest_remainder({"A": 1, "B": 1}, 5, Quota.DROOP)


def test_largest_remainder_tie_between_unequal_parties() -> None:
    # Total 30, 3 seats: Hare quota 10. A 15 = 1q + 5, B 5 = 0q + 5, C 10 = 1q + 0.
    # Seat 3: A's and B's remainders are both 5.
    weights = {"A": 15, "B": 5, "C": 10}
    with pytest.raises(TieError) as caught:
        largest_remainder(weights, 3)
    assert caught.value.tie == Tie(3, ("A", "B"), 1, None, ())
    result = largest_remainder(weights, 3, tie_rules=[LARGEST])
    assert result.seats == {"A": 2, "B": 0, "C": 1}
    assert result.ties == (Tie(3, ("A", "B"), 1, LARGEST, ("A",)),)


def test_largest_remainder_tie_between_equal_parties_needs_a_further_rule() -> None:
    # Total 30, 3 seats: quota 10. A 5 and B 5 (remainder 5 each) tie for seat 3.
    weights = {"C": 20, "A": 5, "B": 5}
    with pytest.raises(TieError, match="'A' and 'B' are still tied"):
        largest_remainder(weights, 3, tie_rules=[LARGEST])
    result = largest_remainder(weights, 3, tie_rules=[LARGEST, LOT], seed=7)
    assert result.seats["C"] == 2
    assert result.ties[0].resolved_by is LOT
    assert result.ties[0].winners in {("A",), ("B",)}
    assert result == largest_remainder(weights, 3, tie_rules=[LARGEST, LOT], seed=7)


def test_largest_remainder_no_tie_when_equal_remainders_all_fit() -> None:
    # Quota 14/11: A 6 -> 66/14 = 4 r 10, B the same, C 2 -> 22/14 = 1 r 8; 2 seats left
    # for A and B, whose equal remainders both fit.
    result = largest_remainder({"A": 6, "B": 6, "C": 2}, 11)
    assert result.ties == ()


def test_largest_remainder_threshold_recomputes_the_quota() -> None:
    # Without threshold: quota 10: A 58 = 5 r 8, B 35 = 3 r 5, C 7 = 0 r 7 -> A, C -> 6, 3, 1.
    # With 10%: C excluded, quota 93/10 = 9.3: A 580/93 = 6 r 22, B 350/93 = 3 r 71
    # (remainders on the scale 1/10) -> the 10th seat to B -> 6, 4, 0.
    weights = {"A": 58, "B": 35, "C": 7}
    assert largest_remainder(weights, 10).seats == {"A": 6, "B": 3, "C": 1}
    result = largest_remainder(weights, 10, threshold=Fraction(1, 10))
    assert result.seats == {"A": 6, "B": 4, "C": 0}
    assert result.excluded == ("C",)


def test_largest_remainder_weight_zero_gets_nothing() -> None:
    result = largest_remainder({"A": 1, "B": 1, "Z": 0}, 2)
    assert result.seats == {"A": 1, "B": 1, "Z": 0}


# --- ratio and fixed -----------------------------------------------------------------------


def test_ratio_one_delegate_per_thousand_at_least_one() -> None:
    # One deputy per 1000 workers, and one for an enterprise under 1000.
    weights = {"Putilov": 30_500, "Workshop": 400, "Closed": 0, "Mill": 1_999}
    result = ratio(weights, 1000)
    assert result == Apportionment(
        "ratio", {"Putilov": 30, "Workshop": 1, "Closed": 0, "Mill": 1}, ()
    )


def test_ratio_with_minimum_and_maximum() -> None:
    result = ratio({"A": 30_500, "B": 400, "C": 7_000}, 1000, minimum=2, maximum=25)
    assert result.seats == {"A": 25, "B": 2, "C": 7}


def test_fixed_same_number_for_every_party() -> None:
    result = fixed(["Vyborg", "Narva", "Petrograd side"], 2)
    assert result == Apportionment("fixed", {"Vyborg": 2, "Narva": 2, "Petrograd side": 2}, ())
    assert result.total == 6


def test_fixed_from_a_mapping() -> None:
    result = fixed({"Army": 3, "Fleet": 1, "Reserve": 0})
    assert result.seats == {"Army": 3, "Fleet": 1, "Reserve": 0}


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: divisor({"A": 1, "B": -2}, 3, DHONDT), "'B' is negative"),
        (lambda: largest_remainder({"B": -2}, 3), "'B' is negative"),
        (lambda: ratio({"B": -2}, 10), "'B' is negative"),
        (lambda: divisor({"A": 1}, -1, DHONDT), "seats must not be negative"),
        (lambda: largest_remainder({"A": 1}, -1), "seats must not be negative"),
        (lambda: divisor({}, 3, DHONDT), "no parties"),
        (lambda: largest_remainder({}, 3), "no parties"),
        (lambda: divisor({"A": 0, "B": 0}, 3, DHONDT), "no party with a positive weight"),
        (lambda: largest_remainder({"A": 0}, 3), "no party with a positive weight"),
        (lambda: divisor({"A": 1, "B": 1}, 3, DHONDT, minimum=2), "minimum of 2 seats"),
        (lambda: ratio({"A": 1}, 0), "per must be"),
        (lambda: ratio({"A": 1}, 10, minimum=3, maximum=2), r"minimum \(3\) is greater"),
        (lambda: ratio({"A": 1}, 10, minimum=-1), "minimum must not be negative"),
        (lambda: divisor({"A": 1}, 1, DHONDT, threshold=Fraction(3, 2)), "between 0 and 1"),
        (lambda: largest_remainder({"A": 1}, 1, threshold=Fraction(-1, 2)), "between 0 and 1"),
        (lambda: divisor(TIED, 2, DHONDT, tie_rules=[ORDER]), "needs the precedence list"),
        (lambda: divisor(TIED, 2, DHONDT, tie_rules=[LOT]), "needs a seed"),
        (lambda: largest_remainder(TIED, 2, tie_rules=[LOT]), "needs a seed"),
        (lambda: divisor(TIED, 2, DHONDT, tie_rules=[ORDER], order=["A", "B"]), "'C'"),
        (lambda: divisor(TIED, 2, DHONDT, tie_rules=[ORDER], order="ABCA"), "'A' appears twice"),
        (lambda: fixed(["A", "B"]), "seats_each is required"),
        (lambda: fixed({"A": 1}, 2), "not both"),
        (lambda: fixed(["A", "A"], 1), "'A' is listed twice"),
        (lambda: fixed({"A": -1}), "seats of 'A' must not be negative"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_tie_rule_requirements_are_checked_before_counting() -> None:
    # No tie would occur here, but the rule is unusable as stated.
    with pytest.raises(ValueError, match="needs a seed"):
        divisor({"A": 10, "B": 1}, 1, DHONDT, tie_rules=[LOT])


def test_float_weights_and_thresholds_are_refused() -> None:
    with pytest.raises(TypeError, match="'A' must be an integer"):
        divisor({"A": 1.5}, 1, DHONDT)  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="Fraction"):
        divisor({"A": 1}, 1, DHONDT, threshold=0.05)  # type: ignore[arg-type]


def test_no_seats_and_no_parties_is_an_empty_apportionment() -> None:
    assert divisor({}, 0, DHONDT) == Apportionment("dhondt", {}, ())
    assert largest_remainder({"A": 0}, 0).seats == {"A": 0}


# --- properties ----------------------------------------------------------------------------

METHODS = list(DivisorMethod)

weight_maps = st.lists(st.integers(0, 10_000), min_size=1, max_size=8).map(
    lambda ws: {f"P{i}": w for i, w in enumerate(ws)}
)
positive_weight_maps = st.lists(st.integers(1, 1_000_000), min_size=1, max_size=8).map(
    lambda ws: {f"P{i}": w for i, w in enumerate(ws)}
)


def _claim(method: DivisorMethod, weight: int, held: int) -> Fraction | float:
    """A party's claim to its next seat, written independently from the module."""
    if method is DivisorMethod.DHONDT:
        return Fraction(weight, held + 1)
    if method is DivisorMethod.SAINTE_LAGUE:
        return Fraction(weight) / (held + Fraction(1, 2))
    if method is DivisorMethod.MODIFIED_SAINTE_LAGUE:
        return Fraction(weight) / (Fraction(7, 5) if held == 0 else 2 * held + 1)
    if method is DivisorMethod.HUNTINGTON_HILL:  # squared
        return math.inf if held == 0 else Fraction(weight * weight, held * (held + 1))
    return math.inf if held == 0 else Fraction(weight, held)


def _reference(
    weights: Mapping[str, int], seats: int, method: DivisorMethod
) -> dict[str, int] | tuple[int, tuple[str, ...]]:
    """Naive seat-by-seat count without a heap: the seats, or (seat, tied) at a tie."""
    held = dict.fromkeys(weights, 0)
    given = 0
    while given < seats:
        claims = {k: _claim(method, w, held[k]) for k, w in weights.items() if w > 0}
        best = max(claims.values())
        level = [k for k in weights if k in claims and claims[k] == best]
        if len(level) > seats - given:
            return given + 1, tuple(level)
        for k in level:
            held[k] += 1
        given += len(level)
    return held


def _count(
    weights: Mapping[str, int], seats: int, method: DivisorMethod
) -> dict[str, int] | tuple[int, tuple[str, ...]]:
    try:
        return divisor(weights, seats, method).seats
    except TieError as error:
        return error.tie.seat, error.tie.tied


@given(weights=positive_weight_maps, seats=st.integers(0, 40), method=st.sampled_from(METHODS))
def test_divisor_agrees_with_a_naive_count(
    weights: dict[str, int], seats: int, method: DivisorMethod
) -> None:
    assert _count(weights, seats, method) == _reference(weights, seats, method)


@given(
    weights=st.lists(st.integers(1, 6), min_size=2, max_size=6).map(
        lambda ws: {f"P{i}": w for i, w in enumerate(ws)}
    ),
    seats=st.integers(1, 12),
    method=st.sampled_from(METHODS),
)
def test_divisor_agrees_with_a_naive_count_on_tie_prone_small_weights(
    weights: dict[str, int], seats: int, method: DivisorMethod
) -> None:
    assert _count(weights, seats, method) == _reference(weights, seats, method)


@given(
    weights=weight_maps,
    seats=st.integers(0, 60),
    minimum=st.integers(0, 3),
    method=st.sampled_from(METHODS),
)
def test_divisor_seats_add_up_to_the_house(
    weights: dict[str, int], seats: int, minimum: int, method: DivisorMethod
) -> None:
    assume(minimum * len(weights) <= seats)
    assume(seats == minimum * len(weights) or any(weights.values()))
    result = divisor(weights, seats, method, minimum=minimum, tie_rules=[LOT], seed=5)
    assert result.total == seats
    assert all(n >= minimum for n in result.seats.values())
    assert list(result.seats) == list(weights)
    for tie in result.ties:
        assert tie.seats_at_stake < len(tie.tied)
        assert len(tie.winners) == tie.seats_at_stake
        assert set(tie.winners) <= set(tie.tied)


@given(weights=weight_maps, seats=st.integers(0, 60), method=st.sampled_from(METHODS))
def test_every_seat_won_had_a_claim_at_least_as_high_as_every_claim_left(
    weights: dict[str, int], seats: int, method: DivisorMethod
) -> None:
    assume(seats == 0 or any(weights.values()))
    result = divisor(weights, seats, method, tie_rules=[LARGEST, LOT], seed=3)
    held = result.seats
    won = [_claim(method, weights[k], held[k] - 1) for k in weights if held[k] > 0]
    left = [_claim(method, weights[k], held[k]) for k in weights if weights[k] > 0]
    if won and left:
        assert min(won) >= max(left)
    assert all(held[k] == 0 for k in weights if weights[k] == 0)


@given(weights=positive_weight_maps, seats=st.integers(0, 40), method=st.sampled_from(METHODS))
def test_divisor_methods_are_house_monotone(
    weights: dict[str, int], seats: int, method: DivisorMethod
) -> None:
    try:
        smaller = divisor(weights, seats, method)
        larger = divisor(weights, seats + 1, method)
    except TieError:
        assume(False)
        raise
    assert all(larger.seats[k] >= smaller.seats[k] for k in weights)


@given(
    data=st.data(),
    weights=positive_weight_maps,
    seats=st.integers(0, 40),
    method=st.sampled_from(METHODS),
)
def test_divisor_result_does_not_depend_on_input_order(
    data: st.DataObject, weights: dict[str, int], seats: int, method: DivisorMethod
) -> None:
    shuffled = dict(data.draw(st.permutations(list(weights.items()))))
    try:
        original = divisor(weights, seats, method)
    except TieError:
        assume(False)
        raise
    assert divisor(shuffled, seats, method).seats == original.seats


@given(data=st.data(), weights=positive_weight_maps, seats=st.integers(0, 40))
def test_largest_remainder_does_not_depend_on_input_order(
    data: st.DataObject, weights: dict[str, int], seats: int
) -> None:
    shuffled = dict(data.draw(st.permutations(list(weights.items()))))
    try:
        original = largest_remainder(weights, seats)
    except TieError:
        assume(False)
        raise
    assert largest_remainder(shuffled, seats).seats == original.seats


@given(
    weights=weight_maps,
    seats=st.integers(0, 40),
    factor=st.integers(2, 1000),
    method=st.sampled_from(METHODS),
)
def test_scaling_all_weights_does_not_change_a_divisor_apportionment(
    weights: dict[str, int], seats: int, factor: int, method: DivisorMethod
) -> None:
    assume(seats == 0 or any(weights.values()))
    rules = [LARGEST, LOT]
    original = divisor(weights, seats, method, tie_rules=rules, seed=11)
    scaled = {k: w * factor for k, w in weights.items()}
    # Same seats and the very same ties, settled the same way.
    assert divisor(scaled, seats, method, tie_rules=rules, seed=11) == original


@given(weights=weight_maps, seats=st.integers(0, 60))
def test_hamilton_satisfies_the_quota_rule(weights: dict[str, int], seats: int) -> None:
    total = sum(weights.values())
    assume(seats == 0 or total > 0)
    result = largest_remainder(weights, seats, tie_rules=[LOT], seed=2)
    assert result.total == seats
    for key, weight in weights.items():
        quota = Fraction(weight * seats, total) if total else Fraction(0)
        assert math.floor(quota) <= result.seats[key] <= math.ceil(quota)


@given(weights=weight_maps, seats=st.integers(0, 60))
def test_droop_adds_up_or_refuses_only_when_the_votes_are_too_few(
    weights: dict[str, int], seats: int
) -> None:
    total = sum(weights.values())
    assume(seats == 0 or total > 0)
    try:
        result = largest_remainder(weights, seats, Quota.DROOP, tie_rules=[LOT], seed=2)
    except ValueError:
        # Whole Droop quotas never exceed the seats; they fall short of them by more than
        # the number of parties only when the total is below seats * (seats + 1).
        assert total < seats * (seats + 1)
        return
    assert result.total == seats
    assert all(result.seats[k] == 0 for k in weights if weights[k] == 0)


@given(weights=positive_weight_maps, seats=st.integers(1, 30), seed=st.integers(0, 2**32))
def test_lot_with_the_same_seed_gives_the_same_result(
    weights: dict[str, int], seats: int, seed: int
) -> None:
    small = {k: 1 + w % 3 for k, w in weights.items()}  # ties are likely
    rules = [LOT]
    assert divisor(small, seats, DHONDT, tie_rules=rules, seed=seed) == divisor(
        small, seats, DHONDT, tie_rules=rules, seed=seed
    )
    assert largest_remainder(small, seats, tie_rules=rules, seed=seed) == largest_remainder(
        small, seats, tie_rules=rules, seed=seed
    )


@settings(max_examples=30)
@given(weights=weight_maps, per=st.integers(1, 5000), minimum=st.integers(0, 3))
def test_ratio_is_the_clamped_quotient(weights: dict[str, int], per: int, minimum: int) -> None:
    result = ratio(weights, per, minimum=minimum, maximum=minimum + 5)
    for key, weight in weights.items():
        expected = 0 if weight == 0 else min(max(weight // per, minimum), minimum + 5)
        assert result.seats[key] == expected


# --- scale ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_a_thousand_parties_and_ten_thousand_seats_are_fast(method: DivisorMethod) -> None:
    weights = {i: (i * 7919) % 100_003 + 1 for i in range(1000)}
    start = time.perf_counter()
    result = divisor(weights, 10_000, method, tie_rules=[LARGEST, LOT], seed=1)
    elapsed = time.perf_counter() - start
    assert result.total == 10_000
    assert elapsed < 1.0, f"{method}: {elapsed:.2f}s"
