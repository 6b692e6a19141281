"""Motions: hand-worked decisions under every majority rule, ties, quorums, validation."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smolny.voting.majority import Decision, Majority, Quorum, decide
from smolny.voting.result import CountError

SIMPLE = Majority.SIMPLE
OF_VOTES_CAST = Majority.OF_VOTES_CAST
OF_SEATS = Majority.OF_SEATS
TWO_THIRDS = Majority.TWO_THIRDS
TWO_THIRDS_OF_VOTES_CAST = Majority.TWO_THIRDS_OF_VOTES_CAST
TWO_THIRDS_OF_SEATS = Majority.TWO_THIRDS_OF_SEATS


# --- the Petrograd Soviet, 31 August / 1 September 1917 -------------------------------------


def test_petrograd_soviet_resolution_on_power_under_a_simple_majority() -> None:
    # 279 for, 115 against, 51 abstaining. Simple majority: abstentions do not count, so the
    # base is 279 + 115 = 394; more than half of 394 (197) is needed, i.e. 198. 279 >= 198.
    decision = decide(279, 115, 51, rule=SIMPLE)
    assert decision == Decision(
        carried=True,
        tied=False,
        yes=279,
        no=115,
        abstain=51,
        required=198,
        rule=SIMPLE,
        rule_text="simple majority: more for than against; abstentions do not count",
        quorate=True,
        reason=(
            "carried: 279 for, 115 against, 51 abstaining; needed more than 197 of 394 votes "
            "for and against (simple majority: more for than against; abstentions do not count)"
        ),
    )


def test_petrograd_soviet_resolution_of_the_votes_cast() -> None:
    # Votes cast 279 + 115 + 51 = 445; half is 222.5; 223 needed; 279 >= 223.
    decision = decide(279, 115, 51, rule=OF_VOTES_CAST)
    assert decision.carried
    assert decision.required == 223
    assert "needed more than 222 of 445 votes cast" in decision.reason


def test_petrograd_soviet_resolution_under_the_two_thirds_rules() -> None:
    # Two thirds of 394 for and against = 262.67: 263 needed, 279 carries (3 * 279 = 837 >=
    # 2 * 394 = 788). Two thirds of the 445 votes cast = 296.67: 297 needed, 279 falls short.
    assert decide(279, 115, 51, rule=TWO_THIRDS).carried
    assert decide(279, 115, 51, rule=TWO_THIRDS).required == 263
    lost = decide(279, 115, 51, rule=TWO_THIRDS_OF_VOTES_CAST)
    assert not lost.carried
    assert lost.required == 297
    assert lost.reason.startswith("not carried: 279 for, 115 against, 51 abstaining")
    assert "needed at least 297 of 445 votes cast" in lost.reason


def test_petrograd_soviet_resolution_had_it_needed_a_majority_of_all_members() -> None:
    # Say the Soviet had 1,000 seats: more than 500 needed; 279 is not enough.
    decision = decide(279, 115, 51, rule=OF_SEATS, seats=1000)
    assert not decision.carried
    assert decision.required == 501
    assert "needed more than 500 of 1000 seats" in decision.reason


# --- the Second Congress of Soviets, 25-26 October 1917 ------------------------------------


@pytest.mark.parametrize(
    ("rule", "required"),
    [
        (SIMPLE, 320),  # 636 + 2 = 638 for and against; more than 319
        (OF_VOTES_CAST, 326),  # 650 cast; more than 325
        (OF_SEATS, 326),  # 650 seats; more than 325
        (TWO_THIRDS, 426),  # 2 * 638 / 3 = 425.33
        (TWO_THIRDS_OF_VOTES_CAST, 434),  # 2 * 650 / 3 = 433.33
        (TWO_THIRDS_OF_SEATS, 434),
    ],
)
def test_second_congress_proclamation_carries_under_every_rule(
    rule: Majority, required: int
) -> None:
    # "All but two votes in favour, twelve abstentions": with 650 delegates present (of 650
    # seats), 650 - 2 - 12 = 636 for.
    decision = decide(636, 2, 12, rule=rule, seats=650, present=650, quorum=Quorum())
    assert decision.carried
    assert decision.quorate
    assert decision.required == required


# --- ties and boundaries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule", [SIMPLE, OF_VOTES_CAST, OF_SEATS, TWO_THIRDS, TWO_THIRDS_OF_VOTES_CAST]
)
def test_a_tied_vote_does_not_carry_under_any_rule(rule: Majority) -> None:
    decision = decide(100, 100, 0, rule=rule, seats=200)
    assert decision.tied
    assert not decision.carried
    assert decision.reason.startswith("not carried: a tie, 100 for, 100 against, 0 abstaining;")
    assert "a tied vote does not carry" in decision.reason


def test_a_tie_under_a_majority_of_seats() -> None:
    # 300 for, 300 against in a body of 650: more than 325 needed anyway; reported as a tie.
    decision = decide(300, 300, rule=OF_SEATS, seats=650)
    assert decision.tied
    assert not decision.carried
    assert decision.required == 326


def test_exactly_half_of_the_votes_cast_is_not_more_than_half() -> None:
    # 50 for, 40 against, 10 abstaining: 50 of 100 cast is half, not more (2 * 50 = 100).
    decision = decide(50, 40, 10, rule=OF_VOTES_CAST)
    assert not decision.carried
    assert not decision.tied
    assert decision.required == 51
    # The same votes carry under a simple majority: 50 > 40.
    assert decide(50, 40, 10, rule=SIMPLE).carried


def test_exactly_half_of_the_seats_is_not_enough_and_one_more_is() -> None:
    assert not decide(325, 0, rule=OF_SEATS, seats=650).carried
    assert decide(326, 0, rule=OF_SEATS, seats=650).carried


def test_exactly_two_thirds_carries_and_one_less_does_not() -> None:
    # 200 of 300: 3 * 200 = 600 >= 2 * 300 = 600. 199 of 299 (199 + 100): 597 < 598.
    assert decide(200, 100, rule=TWO_THIRDS).carried
    assert decide(200, 100, rule=TWO_THIRDS).required == 200
    assert not decide(199, 100, rule=TWO_THIRDS).carried
    # Of seats: 2 * 651 / 3 = 434 exactly.
    assert decide(434, 0, rule=TWO_THIRDS_OF_SEATS, seats=651).carried
    assert not decide(433, 0, rule=TWO_THIRDS_OF_SEATS, seats=651).carried


def test_no_votes_at_all_carry_nothing() -> None:
    assert decide(0, 0, rule=SIMPLE).tied
    assert not decide(0, 0, rule=SIMPLE).carried
    # Two thirds of nothing is nothing, but a motion needs at least one vote for it.
    assert decide(0, 0, 5, rule=TWO_THIRDS).required == 1
    assert not decide(0, 0, 5, rule=TWO_THIRDS).carried


# --- quorum ----------------------------------------------------------------------------------


def test_a_lost_quorum_carries_nothing() -> None:
    # 650 seats; more than half present needed: 326. 300 present, 290 for, 10 against.
    decision = decide(290, 10, rule=SIMPLE, seats=650, present=300, quorum=Quorum())
    assert not decision.quorate
    assert not decision.carried
    assert decision.reason == (
        "not carried: no quorum (300 present; the quorum is more than half of 650 seats, "
        "i.e. 326 present); 290 for, 10 against, 0 abstaining "
        "(simple majority: more for than against; abstentions do not count)"
    )


def test_quorum_counts_the_members_present_not_only_those_voting() -> None:
    # 326 present of 650 make a quorum, though only 300 vote.
    assert decide(290, 10, rule=SIMPLE, seats=650, present=326, quorum=Quorum()).carried
    # Without `present`, the members voting are taken as the members present.
    assert not decide(290, 10, rule=SIMPLE, seats=650, quorum=Quorum()).quorate


def test_a_quorum_that_is_not_strict() -> None:
    # At least a third of 651 seats: 217 present.
    third = Quorum(Fraction(1, 3), strict=False)
    assert third.needed(651) == 217
    assert decide(200, 17, rule=SIMPLE, seats=651, quorum=third).quorate
    assert not decide(200, 16, rule=SIMPLE, seats=651, quorum=third).quorate
    # Strictly more than a third of 651 (217): 218.
    assert Quorum(Fraction(1, 3)).needed(651) == 218
    # More than half of 650 is 326; at least half is 325.
    assert Quorum().needed(650) == 326
    assert Quorum(strict=False).needed(650) == 325


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: decide(-1, 0, rule=SIMPLE), "yes must not be negative"),
        (lambda: decide(1, -2, rule=SIMPLE), "no must not be negative"),
        (lambda: decide(1, 0, -3, rule=SIMPLE), "abstain must not be negative"),
        (lambda: decide(True, 0, rule=SIMPLE), "yes must be a whole number"),
        (lambda: decide(1.5, 0, rule=SIMPLE), "yes must be a whole number"),  # type: ignore[arg-type]
        (lambda: decide(10, 5, 1, rule=SIMPLE, present=15), "16 votes cast"),
        (lambda: decide(1, 0, rule=SIMPLE, seats=10, present=11), "11 members present"),
        (lambda: decide(8, 3, rule=SIMPLE, seats=10), "11 votes cast but the body has only 10"),
        (lambda: decide(5, 0, rule=OF_SEATS), "needs the number of seats"),
        (lambda: decide(5, 0, rule=TWO_THIRDS_OF_SEATS), "needs the number of seats"),
        (lambda: decide(5, 0, rule=SIMPLE, quorum=Quorum()), "give the number of seats"),
        (lambda: decide(0, 0, rule=SIMPLE, seats=0), "at least one seat"),
        (lambda: decide(1, 0, rule="plurality"), "unknown majority rule 'plurality'"),  # type: ignore[arg-type]
        (lambda: Quorum(Fraction(3, 2)), "between 0 and 1"),
    ],
)
def test_invalid_motions_are_refused_with_a_reason(call: object, message: str) -> None:
    with pytest.raises(CountError, match=message):
        call()  # type: ignore[operator]


def test_rules_can_be_named_by_their_values() -> None:
    assert decide(3, 1, rule="of-votes-cast").rule is OF_VOTES_CAST  # type: ignore[arg-type]
    assert {m.value for m in Majority} == {
        "simple",
        "of-votes-cast",
        "of-seats",
        "two-thirds",
        "two-thirds-of-votes-cast",
        "two-thirds-of-seats",
    }


# --- properties ------------------------------------------------------------------------------


@given(
    base=st.integers(0, 2000),
    share=st.floats(0, 1),
    rule=st.sampled_from([SIMPLE, TWO_THIRDS]),
    abstain=st.integers(0, 50),
)
def test_required_is_the_least_yes_vote_that_carries_on_the_base(
    base: int, share: float, rule: Majority, abstain: int
) -> None:
    # With yes + no fixed, the motion carries exactly from `required` yes votes up, and the
    # rule agrees with the fractions on paper.
    yes = round(share * base)
    decision = decide(yes, base - yes, abstain, rule=rule)
    if rule is SIMPLE:
        on_paper = Fraction(yes) > Fraction(base, 2)
    else:
        on_paper = yes >= 1 and Fraction(yes) >= Fraction(2, 3) * base
    assert decision.carried == on_paper
    assert decision.carried == (yes >= decision.required)
    assert decision.required >= 1


@given(
    yes=st.integers(0, 300),
    no=st.integers(0, 300),
    abstain=st.integers(0, 300),
    rule=st.sampled_from(list(Majority)),
)
def test_turning_a_vote_against_into_a_vote_for_never_loses_a_motion(
    yes: int, no: int, abstain: int, rule: Majority
) -> None:
    seats = 1000
    before = decide(yes, no, abstain, rule=rule, seats=seats)
    if before.carried and no > 0:
        assert decide(yes + 1, no - 1, abstain, rule=rule, seats=seats).carried
    if before.carried and abstain > 0:
        assert decide(yes + 1, no, abstain - 1, rule=rule, seats=seats).carried
