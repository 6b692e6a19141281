"""Scottish STV (SSI 2007/42, Schedule 1, rules 45-52): counts worked by hand, the tie
rules, and properties. Values are in units of 0.00001 of a vote (scale 100000)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smolny.voting.irv import instant_runoff
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult
from smolny.voting.stv import SCALE, scottish_stv

V = SCALE  # one vote


def profile(names: str, *groups: tuple[int, str]) -> RankedProfile:
    """profile("ABCD", (8, "AB"), (1, "A")): 8 voters rank A then B, one ranks A only."""
    return RankedProfile.from_rankings(
        list(names),
        [[names.index(c) for c in ranking] for _, ranking in groups],
        [count for count, _ in groups],
    )


def conserved(result: CountResult, valid: int) -> bool:
    return all(
        sum(r.tallies.values()) + r.exhausted + r.lost == valid * result.scale
        for r in result.rounds
    )


def test_surplus_with_five_decimal_truncation_and_exclusions() -> None:
    p = profile(
        "ABCD",
        (8, "ABC"),
        (4, "ACB"),
        (1, "A"),
        (5, "B"),
        (3, "CB"),
        (4, "DC"),
    )
    r = scottish_stv(p, 2)
    # 25 valid papers, 2 seats: quota = floor(25 / 3) + 1 = 9.
    assert r.details["quota"] == 9 * V
    stage = r.rounds
    # Stage 1: A 13 >= 9, elected.
    assert stage[0].tallies == {"A": 13 * V, "B": 5 * V, "C": 3 * V, "D": 4 * V}
    assert stage[0].elected == ("A",)
    # Stage 2: A's surplus 4 of 13. Transfer value = 4 × 1 / 13 = 0.307692... -> 0.30769.
    # B gets 8 × 0.30769 = 2.46152, C 4 × 0.30769 = 1.23076, and the paper marked A
    # only is non-transferable: 0.30769. Moved 3.99997 of 4: 0.00003 lost.
    assert stage[1].action == "surplus of A (transfer value 0.30769)"
    assert stage[1].transfers == {"B": 246152, "C": 123076, "non-transferable": 30769}
    assert stage[1].tallies == {"A": 9 * V, "B": 746152, "C": 423076, "D": 4 * V}
    assert (stage[1].exhausted, stage[1].lost) == (30769, 3)
    # Stage 3: no surplus left; D (4) is lowest (C has 4.23076): excluded, 4 papers to C
    # at their value 1: C = 8.23076.
    assert stage[2].action == "exclusion of D"
    assert stage[2].excluded == ("D",)
    assert stage[2].tallies == {"A": 9 * V, "B": 746152, "C": 823076}
    # Stage 4: B (7.46152) is lowest: excluded. B's 8 papers marked A, B, C pass to C at
    # the 0.30769 they came with (2.46152); B's own 5 papers have no next preference.
    # C = 8.23076 + 2.46152 = 10.69228 >= 9: elected (rule 47), filling the last seat.
    assert stage[3].transfers == {"C": 246152, "non-transferable": 5 * V}
    assert stage[3].tallies == {"A": 9 * V, "C": 1069228}
    assert stage[3].elected == ("C",)
    assert "Rule 47: C reached the quota" in stage[3].note
    assert (stage[3].exhausted, stage[3].lost) == (5 * V + 30769, 3)
    assert r.elected == ("A", "C")
    assert r.method == "scottish-stv"
    assert r.scale == 100000
    assert r.ties == ()
    assert conserved(r, 25)


def test_a_second_surplus_uses_each_papers_value_when_received() -> None:
    p = profile("ABCDE", (12, "ABC"), (3, "BD"), (3, "C"), (3, "D"), (2, "ED"))
    r = scottish_stv(p, 3)
    # 23 papers, 3 seats: quota = floor(23 / 4) + 1 = 6.
    assert r.rounds[0].quota == 6 * V
    # Stage 2: A's surplus 6 of 12: transfer value 6 × 1 / 12 = 0.5; B = 3 + 12 × 0.5 = 9.
    assert r.rounds[1].tallies["B"] == 9 * V
    assert r.rounds[1].elected == ("B",)
    # Stage 3: B's surplus 3 of 9. B's own 3 papers (value 1): 3 × 1 / 9 = 0.33333 each,
    # to D: 0.99999. The 12 papers B received from A at 0.5: 3 × 0.5 / 9 = 0.166666...
    # -> 0.16666 each, to C: 1.99992. Moved 2.99991 of 3: 0.00009 lost.
    third = r.rounds[2]
    assert third.action == "surplus of B (transfer value 0.33333)"
    assert third.transfers == {"C": 199992, "D": 99999, "non-transferable": 0}
    assert third.lost == 9
    # Stage 4: E (2) excluded, both papers to D: 3 + 0.99999 + 2 = 5.99999, one
    # 0.00001 short of the quota because of the truncation.
    assert r.rounds[3].tallies["D"] == 599999
    assert r.rounds[3].elected == ()
    # Stage 5: C (4.99992) excluded; D, the one continuing candidate, takes the last seat.
    assert r.rounds[4].excluded == ("C",)
    assert r.rounds[4].elected == ("D",)
    assert r.elected == ("A", "B", "D")
    assert conserved(r, 23)


def test_equal_lowest_decided_by_the_most_recent_stage_at_which_they_differed() -> None:
    # Rule 51(2)(a): "the most recently preceding stage of the count at which they had an
    # unequal number of votes". X and Y tie at stage 3 (6 each); at stage 2 X had 6 and
    # Y 5, at stage 1 X 4 and Y 5. The Order looks at stage 2: Y is excluded (looking at
    # the earliest stage, as the Irish and Northern Irish rules do, would exclude X).
    p = profile(
        "AXYPQ",
        (10, "A"),
        (4, "XY"),
        (5, "YX"),
        (2, "PXY"),
        (1, "QYX"),
        (2, "Q"),
    )
    r = scottish_stv(p, 1)
    # 24 papers, 1 seat: quota 13. Stage 1: A 10, X 4, Y 5, P 2, Q 3.
    assert [s.excluded for s in r.rounds[1:3]] == [("P",), ("Q",)]
    assert r.rounds[1].tallies["X"] == 6 * V  # P's 2 papers to X
    assert r.rounds[2].tallies["Y"] == 6 * V  # 1 of Q's papers to Y, 2 non-transferable
    assert r.rounds[3].excluded == ("Y",)
    (tie,) = r.ties
    assert (tie.round, tie.between, tie.decides) == (4, ("X", "Y"), "exclusion")
    assert (tie.resolved_by, tie.chosen) == ("earlier round 2", ("Y",))
    # Y's 6 papers go to X: X 12, A 10; A is excluded and X takes the seat (rule 52).
    assert r.rounds[3].tallies == {"A": 10 * V, "X": 12 * V}
    assert r.elected == ("X",)
    assert r.seed is None  # no lot was drawn


def test_equal_surpluses_the_larger_earlier_goes_first() -> None:
    p = profile(
        "ABCED",
        (9, "AC"),
        (8, "BE"),
        (8, "C"),
        (7, "E"),
        (2, "DAC"),
        (3, "DBE"),
    )
    r = scottish_stv(p, 3)
    # 37 papers, 3 seats: quota = floor(37 / 4) + 1 = 10. Stage 1: A 9, B 8, C 8, E 7,
    # D 5: D excluded. Stage 2: A 11, B 11, both elected, equal surpluses of 1.
    assert r.rounds[1].elected == ("A", "B")
    # Rule 49(2): at stage 1 A had 9 and B 8, so A's surplus goes first: 11 papers at
    # 1 / 11 = 0.09090 to C (0.99990; 0.00010 lost); then B's, to E.
    (tie,) = r.ties
    assert (tie.decides, tie.resolved_by, tie.chosen) == (
        "surplus order",
        "earlier round 1",
        ("A",),
    )
    assert r.rounds[2].action == "surplus of A (transfer value 0.09090)"
    assert r.rounds[2].transfers == {"C": 99990, "non-transferable": 0}
    assert r.rounds[3].action == "surplus of B (transfer value 0.09090)"
    assert r.rounds[3].tallies == {"A": 10 * V, "B": 10 * V, "C": 899990, "E": 799990}
    assert r.elected == ("A", "B", "C")
    assert conserved(r, 37)


def test_a_tie_at_every_stage_is_decided_by_lot_from_the_seed() -> None:
    # A and B have 3 each at every stage; whoever the lot excludes passes their 3 papers to
    # the other, who then has 6 = floor(11 / 2) + 1, the quota.
    p = profile("ABC", (3, "AB"), (3, "BA"), (5, "C"))
    with pytest.raises(CountError, match="by lot: give a seed"):
        scottish_stv(p, 1)
    first = scottish_stv(p, 1, seed=1917)
    assert first == scottish_stv(p, 1, seed=1917)  # same seed, same lot, same count
    (tie,) = first.ties
    assert tie.between == ("A", "B")
    assert tie.resolved_by == "lot (seed 1917)"
    assert first.seed == 1917
    loser = tie.chosen[0]
    assert first.elected == (({"A", "B"} - {loser}).pop(),)
    winners = {scottish_stv(p, 1, seed=s).elected[0] for s in range(20)}
    assert winners == {"A", "B"}  # the lot does decide


def test_rule_52_elects_the_continuing_candidates_when_they_fill_the_seats() -> None:
    p = profile("ABC", (5, "A"), (3, "B"), (2, "C"))
    r = scottish_stv(p, 3)
    assert len(r.rounds) == 1
    assert r.elected == ("A", "B", "C")  # by votes: A 5 also reached the quota (3)


def test_tied_first_preference_is_void_and_a_later_tie_non_transferable() -> None:
    p = RankedProfile.from_rankings(
        ["A", "B", "C", "D"],
        [[(0, 1), 2], [0, (1, 2)], [0, (1, 3)], [1], [2], [3]],
        [2, 3, 1, 5, 6, 1],
    )
    r = scottish_stv(p, 1)
    # The 2 papers with A = B first are void (no single first preference): 16 valid
    # papers, quota = floor(16 / 2) + 1 = 9. Stage 1: A 4, B 5, C 6, D 1.
    assert r.details["void_papers"] == 2
    assert r.rounds[0].quota == 9 * V
    assert r.rounds[0].tallies == {"A": 4 * V, "B": 5 * V, "C": 6 * V, "D": 1 * V}
    # Stage 2: D excluded. Stage 3: A excluded: the 3 papers marking B = C next cannot
    # say which, so they are non-transferable; the paper marking B = D next goes to B, D
    # being excluded.
    assert r.rounds[2].excluded == ("A",)
    assert r.rounds[2].transfers == {"B": 1 * V, "non-transferable": 3 * V}
    # Stage 4: B and C have 6 each; at stage 2 B had 5, C 6: B is excluded, C elected.
    assert r.ties[0].chosen == ("B",)
    assert r.elected == ("C",)
    assert conserved(r, 16)


def test_withdrawn_candidates_are_passed_over() -> None:
    names = ["A", "B", "C", "D"]
    rankings = [[1, 0, 2], [1, 2], [3, 2], [0], [2, 3]]
    counts = [4, 3, 2, 5, 3]
    withdrawn = RankedProfile.from_rankings(names, rankings, counts, withdrawn=frozenset({1}))
    without = RankedProfile.from_rankings(
        names, [[c for c in r if c != 1] for r in rankings], counts
    )
    a, b = scottish_stv(withdrawn, 2), scottish_stv(without, 2)
    assert a.elected == b.elected
    assert [r.tallies for r in a.rounds] == [
        {k: v for k, v in r.tallies.items() if k != "B"} for r in b.rounds
    ]
    assert "B" not in a.rounds[0].tallies


@pytest.mark.parametrize(
    ("seats", "message"),
    [(0, "at least 1"), (5, "only 4 candidates"), (-1, "at least 1")],
)
def test_impossible_counts_are_refused(seats: int, message: str) -> None:
    p = profile("ABCD", (3, "AB"))
    with pytest.raises(CountError, match=message):
        scottish_stv(p, seats)


def test_an_empty_profile_is_refused() -> None:
    with pytest.raises(CountError, match="no ballots"):
        scottish_stv(RankedProfile.from_rankings(["A", "B"], []), 1)
    with pytest.raises(CountError, match="no valid ballot paper"):
        scottish_stv(RankedProfile.from_rankings(["A", "B"], [[(0, 1)]]), 1)


# -- properties ------------------------------------------------------------------------------
@st.composite
def profiles(draw: st.DrawFn, max_candidates: int = 6) -> RankedProfile:
    n = draw(st.integers(2, max_candidates))
    rows = draw(
        st.lists(
            st.permutations(range(n)).flatmap(
                lambda order: st.integers(1, len(order)).map(lambda k: list(order[:k]))
            ),
            min_size=1,
            max_size=25,
        )
    )
    counts = draw(st.lists(st.integers(1, 40), min_size=len(rows), max_size=len(rows)))
    return RankedProfile.from_rankings([f"c{i}" for i in range(n)], rows, counts)


def relabel(p: RankedProfile, perm: list[int]) -> RankedProfile:
    """The same election with candidate c moved to index perm[c] (names follow)."""
    names = [""] * len(perm)
    for c, new in enumerate(perm):
        names[new] = p.candidates[c]
    table = np.array([-1, *perm], dtype=np.int16)[p.ballots.astype(np.int64) + 1]
    return RankedProfile(tuple(names), table, p.counts.copy())


def shape(r: CountResult) -> list[tuple[object, ...]]:
    """What a count decided, round by round, independent of candidate order."""
    return [
        (x.action, dict(x.tallies), frozenset(x.elected), x.excluded, x.exhausted, x.lost)
        for x in r.rounds
    ]


@settings(max_examples=150, deadline=None)
@given(profiles(), st.integers(1, 4))
def test_weight_is_conserved_every_round(p: RankedProfile, seats: int) -> None:
    assume(seats <= len(p.candidates))
    r = scottish_stv(p, seats, seed=3)
    assert conserved(r, p.total)
    assert len(r.elected) == len(set(r.elected)) == seats


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_one_seat_elects_the_instant_runoff_winner(p: RankedProfile) -> None:
    try:
        stv, irv = scottish_stv(p, 1), instant_runoff(p)
    except CountError:  # a lot would be needed
        assume(False)
        raise
    assert stv.elected == irv.elected


@settings(max_examples=100, deadline=None)
@given(profiles(), st.integers(1, 3), st.randoms(use_true_random=False))
def test_row_order_and_merging_do_not_matter(
    p: RankedProfile, seats: int, rnd: random.Random
) -> None:
    assume(seats <= len(p.candidates))
    order = list(range(len(p.counts)))
    rnd.shuffle(order)
    shuffled = RankedProfile(p.candidates, p.ballots[order], p.counts[order])
    # Anonymity: one row per voter, in a random order.
    voters = list(np.repeat(np.arange(len(p.counts)), p.counts))
    rnd.shuffle(voters)
    single = RankedProfile(p.candidates, p.ballots[voters], np.ones(len(voters), np.int64))
    base = scottish_stv(p, seats, seed=11)
    assert scottish_stv(shuffled, seats, seed=11) == base
    assert scottish_stv(single, seats, seed=11) == base


@settings(max_examples=100, deadline=None)
@given(profiles(), st.integers(1, 3), st.randoms(use_true_random=False))
def test_neutrality(p: RankedProfile, seats: int, rnd: random.Random) -> None:
    assume(seats <= len(p.candidates))
    perm = list(range(len(p.candidates)))
    rnd.shuffle(perm)
    try:
        base = scottish_stv(p, seats)
    except CountError:  # a lot would be needed: lots are drawn in candidate order
        assume(False)
        raise
    moved = scottish_stv(relabel(p, perm), seats)
    assert shape(moved) == shape(base)
    assert set(moved.elected) == set(base.elected)
