"""Seat rules as users state them, and plurality counts with their ties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smolny.domain.apportionment import DivisorMethod, Quota, TieRule
from smolny.domain.elections import plurality
from smolny.domain.errors import InvalidInput, Unresolved
from smolny.domain.seat_rules import (
    DivisorRule,
    FixedRule,
    QuotaRule,
    RatioRule,
    StepRule,
    TieBreak,
    apportion,
    parse_seat_rule,
    rule_text,
)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("ratio:500", RatioRule(500)),
        ("ratio:25000:2:8", RatioRule(25000, 2, 8)),
        ("fixed:2", FixedRule(2)),
        ("dhondt:22", DivisorRule(DivisorMethod.DHONDT, 22)),
        ("huntington-hill:20:1", DivisorRule(DivisorMethod.HUNTINGTON_HILL, 20, 1)),
        ("sainte-lague:9", DivisorRule(DivisorMethod.SAINTE_LAGUE, 9)),
        ("hare:40", QuotaRule(Quota.HARE, 40)),
        (" droop:5 ", QuotaRule(Quota.DROOP, 5)),
    ],
)
def test_rules_read_from_text(text: str, rule: object) -> None:
    assert parse_seat_rule(text) == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ratio", "expected a number"),
        ("ratio:x", "whole numbers"),
        ("lottery:5", "expected ratio:PER"),
        ("fixed:1:2", "expected ratio:PER"),
    ],
)
def test_malformed_rules_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_seat_rule(text)


def test_rules_describe_themselves() -> None:
    assert RatioRule(500).describe() == "one delegate per 500 members, at least 1"
    assert RatioRule(25000, 2, 8).describe() == (
        "one delegate per 25000 members, at least 2, at most 8"
    )
    assert DivisorRule(DivisorMethod.DHONDT, 22).describe() == "22 seats by D'Hondt (Jefferson)"
    assert TieBreak().describe() == "ties are not broken: a tie stops the count"
    assert TieBreak((TieRule.LARGEST, TieRule.LOT), seed=7).describe() == (
        "ties go to the larger vote or membership, then lot (seed 7)"
    )


def test_the_petrograd_executive_of_september_1917() -> None:
    # 22 seats, 13 Bolsheviks / 6 SRs / 3 Mensheviks (Trotsky). Assumed strengths: the
    # factions' deputies at the sitting, 520 / 240 / 130; D'Hondt with divisor 40 gives
    # 13, 6, 3 (520/40 = 13, 240/40 = 6, 130/40 = 3.25) and no other party reaches 40.
    result = apportion(
        DivisorRule(DivisorMethod.DHONDT, 22), {"Bolsheviks": 520, "SRs": 240, "Mensheviks": 130}
    )
    assert result.seats == {"Bolsheviks": 13, "SRs": 6, "Mensheviks": 3}


def test_an_undecided_tie_names_the_parties_by_name() -> None:
    with pytest.raises(Unresolved, match="between Left and Right"):
        apportion(DivisorRule(DivisorMethod.DHONDT, 1), {1: 5, 2: 5}, names={1: "Left", 2: "Right"})


def test_invalid_rules_are_refused_as_input() -> None:
    with pytest.raises(InvalidInput, match="per"):
        apportion(RatioRule(0), {"a": 10})


def test_plurality_elects_the_most_votes() -> None:
    assert plurality({"a": 5, "b": 9, "c": 7}, 2).elected == ("b", "c")
    assert plurality({"a": 5}, 3).elected == ("a",)


def test_a_plurality_tie_at_the_last_seat_is_refused_without_a_rule() -> None:
    with pytest.raises(Unresolved, match="tie for seat 2 of 2 between Ann and Bob"):
        plurality({"a": 5, "b": 5, "c": 9}, 2, names={"a": "Ann", "b": "Bob", "c": "Cy"})


def test_a_plurality_tie_is_drawn_by_lot_from_a_recorded_seed() -> None:
    tallies = {"a": 5, "b": 5, "c": 9, "d": 5}
    first = plurality(tallies, 2, TieBreak((TieRule.LOT,), seed=11))
    again = plurality(tallies, 2, TieBreak((TieRule.LOT,), seed=11))
    assert first == again
    assert first.elected[0] == "c"
    (tie,) = first.ties
    assert tie.tied == ("a", "b", "d")
    assert tie.resolved_by is TieRule.LOT
    assert tie.winners == first.elected[1:]


def test_level_candidates_who_all_fit_are_no_tie() -> None:
    selection = plurality({"a": 5, "b": 5, "c": 9}, 3)
    assert selection.ties == ()
    assert set(selection.elected) == {"a", "b", "c"}


# -- the 1917 rule: two delegates for 25,000 electors, one more per 25,000, at most eight -------

RULE_1917 = StepRule(threshold=25000, first=2, per=25000, maximum=8)


@pytest.mark.parametrize(
    ("electors", "seats"),
    [
        (0, 0),
        (24_999, 0),  # under the threshold: must combine
        (25_000, 2),
        (49_999, 2),
        (50_000, 3),
        (74_999, 3),
        (75_000, 4),
        (175_000, 8),
        (200_000, 8),  # 2 + 7 would be 9: at most eight
        (1_000_000, 8),
    ],
)
def test_the_1917_rule_worked_by_hand(electors: int, seats: int) -> None:
    assert RULE_1917.seats(electors) == seats
    result = apportion(RULE_1917, {"soviet": electors})
    assert result.seats == {"soviet": seats}
    assert result.excluded == (("soviet",) if electors < 25_000 else ())


def test_the_1917_rule_says_which_soviets_must_combine() -> None:
    result = apportion(
        RULE_1917, {"Petrograd": 400_000, "Tver": 24_999, "Klin": 9_000, "Moscow": 50_000}
    )
    assert result.seats == {"Petrograd": 8, "Tver": 0, "Klin": 0, "Moscow": 3}
    assert result.excluded == ("Tver", "Klin")
    assert result.ties == ()


def test_the_1917_rule_is_written_and_read_as_text() -> None:
    assert parse_seat_rule("step:25000:2:25000:8") == RULE_1917
    assert parse_seat_rule("step:100:1:50") == StepRule(100, 1, 50)
    assert rule_text(RULE_1917) == "step:25000:2:25000:8"
    assert RULE_1917.describe() == (
        "2 delegates for 25,000 electors, one more per further 25,000, at most 8; "
        "under 25,000 electors, constituencies combine"
    )
    with pytest.raises(InvalidInput, match="step:THRESHOLD:FIRST:PER\\[:MAX\\]"):
        parse_seat_rule("step:25000:2")


@pytest.mark.parametrize(
    "text",
    ["ratio:500:1", "ratio:25000:2:8", "fixed:2", "dhondt:22", "huntington-hill:20:1", "hare:40",
     "droop:5", "step:25000:2:25000:8", "step:10:1:5"],
)  # fmt: skip
def test_every_rule_is_written_back_as_it_is_read(text: str) -> None:
    assert rule_text(parse_seat_rule(text)) == text


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (StepRule(0, 2, 25000), "threshold"),
        (StepRule(25000, 2, 0), "per"),
        (StepRule(25000, 3, 25000, 2), "maximum \\(2\\) is less than the first seats \\(3\\)"),
    ],
)
def test_a_step_rule_that_makes_no_sense_is_refused(rule: StepRule, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        apportion(rule, {"a": 10})


@given(
    a=st.integers(min_value=0, max_value=2_000_000), b=st.integers(min_value=0, max_value=2_000_000)
)
def test_more_electors_never_mean_fewer_delegates(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert RULE_1917.seats(low) <= RULE_1917.seats(high) <= 8
