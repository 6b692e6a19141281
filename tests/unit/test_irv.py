"""Instant runoff: counts worked by hand, the overvote rule, ties, and properties."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smolny.voting.irv import instant_runoff
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult


def profile(names: str, *groups: tuple[int, str]) -> RankedProfile:
    return RankedProfile.from_rankings(
        list(names),
        [[names.index(c) for c in ranking] for _, ranking in groups],
        [count for count, _ in groups],
    )


def test_majority_of_the_continuing_votes() -> None:
    p = profile("ABC", (4, "A"), (3, "BA"), (2, "C"))
    r = instant_runoff(p)
    # Round 1: A 4, B 3, C 2 of 9: a majority needs 5. C excluded; C's 2 ballots have no
    # further preference. Round 2: A 4, B 3 of the 7 continuing votes: 4 is a majority.
    assert r.rounds[0].tallies == {"A": 4, "B": 3, "C": 2}
    assert r.rounds[0].quota == 5
    assert r.rounds[1].action == "exclusion of C"
    assert r.rounds[1].transfers == {"non-transferable": 2}
    assert (r.rounds[1].tallies, r.rounds[1].quota) == ({"A": 4, "B": 3}, 4)
    assert r.rounds[1].elected == ("A",)
    assert r.elected == ("A",)
    assert (r.method, r.seats, r.scale) == ("irv", 1, 1)


def test_a_tie_at_the_highest_continuing_rank_exhausts_the_ballot() -> None:
    p = RankedProfile.from_rankings(
        ["A", "B", "C", "D"],
        [[0], [1], [2, 1], [(0, 1), 2], [2, (0, 1)], [2, (0, 3)], [3]],
        [6, 5, 2, 1, 1, 1, 1],
    )
    r = instant_runoff(p)
    # Round 1: A 6, B 5, C 4 (2 + 1 + 1), D 1; the ballot ranking A = B first counts for
    # no one (exhausted: 1). 16 continuing votes, majority 9.
    first = r.rounds[0]
    assert (first.tallies, first.exhausted, first.quota) == (
        {"A": 6, "B": 5, "C": 4, "D": 1},
        1,
        9,
    )
    assert "counts for no one" in first.note
    # Round 2: D excluded; D's ballot has nothing further: exhausted 2.
    assert r.rounds[1].excluded == ("D",)
    # Round 3: C excluded. 2 ballots go to B. "C, then A = B" reaches a tie between two
    # continuing candidates: exhausted. "C, then A = D": D is out, so the rank holds only
    # A: it counts for A.
    third = r.rounds[2]
    assert third.transfers == {"A": 1, "B": 2, "non-transferable": 1}
    assert (third.tallies, third.exhausted) == ({"A": 7, "B": 7}, 3)
    # Round 4: A and B have 7 each; in round 2 A had 6 and B 5: B, with fewer votes at
    # the most recent round where they differed, is excluded. The ballot "A = B, then C"
    # stays exhausted although only A is left: it counts for no one from round 1 on.
    (tie,) = r.ties
    assert (tie.round, tie.chosen, tie.resolved_by) == (4, ("B",), "earlier round 2")
    assert r.rounds[3].tallies == {"A": 7}
    assert r.rounds[3].exhausted == 10
    assert r.elected == ("A",)


def test_equal_lowest_by_the_most_recent_round_where_they_differed() -> None:
    # X and Y: round 1 X 4 < Y 5, round 2 X 6 > Y 5, round 3 X 6 = Y 6. Round 2 decides:
    # Y is excluded; its ballots then make X the winner.
    p = profile(
        "AXYPQ",
        (10, "A"),
        (4, "XY"),
        (5, "YX"),
        (2, "PXY"),
        (1, "QYX"),
        (2, "Q"),
    )
    r = instant_runoff(p)
    (tie,) = r.ties
    assert (tie.between, tie.resolved_by, tie.chosen) == (("X", "Y"), "earlier round 2", ("Y",))
    # Round 4: X 6 + 6 = 12 of 22 continuing votes: a majority.
    assert r.rounds[3].tallies == {"A": 10, "X": 12}
    assert r.elected == ("X",)


def test_a_tie_at_every_round_is_decided_by_lot() -> None:
    p = profile("ABC", (3, "AB"), (3, "BA"), (5, "C"))
    with pytest.raises(CountError, match="by lot: give a seed"):
        instant_runoff(p)
    first = instant_runoff(p, seed=7)
    assert first == instant_runoff(p, seed=7)
    assert first.ties[0].resolved_by == "lot (seed 7)"
    assert first.seed == 7
    assert {instant_runoff(p, seed=s).elected[0] for s in range(20)} == {"A", "B"}


def test_refusals() -> None:
    with pytest.raises(CountError, match="no ballots"):
        instant_runoff(RankedProfile.from_rankings(["A"], []))
    with pytest.raises(CountError, match="no ballot gives a usable first preference"):
        instant_runoff(RankedProfile.from_rankings(["A", "B"], [[(0, 1)]]))
    with pytest.raises(CountError, match="no candidates"):
        instant_runoff(RankedProfile.from_rankings(["A"], [[0]], withdrawn=frozenset({0})))


def test_a_withdrawn_candidate_is_passed_over() -> None:
    p = RankedProfile.from_rankings(
        ["A", "B", "C"], [[1, 0], [2], [0]], [5, 4, 2], withdrawn=frozenset({1})
    )
    r = instant_runoff(p)
    assert r.rounds[0].tallies == {"A": 7, "C": 4}
    assert r.elected == ("A",)


# -- properties ------------------------------------------------------------------------------
@st.composite
def profiles(draw: st.DrawFn) -> RankedProfile:
    """Ranked ballots over 2-6 candidates, some with tied ranks."""
    n = draw(st.integers(2, 6))
    rows = []
    for _ in range(draw(st.integers(1, 25))):
        order = draw(st.permutations(range(n)))
        k = draw(st.integers(1, n))
        ranks: list[int | tuple[int, ...]] = []
        i = 0
        while i < k:
            size = draw(st.sampled_from([1, 1, 1, 1, 2])) if i + 1 < k else 1
            group = tuple(order[i : i + size])
            ranks.append(group[0] if size == 1 else group)
            i += size
        rows.append(ranks)
    counts = draw(st.lists(st.integers(1, 30), min_size=len(rows), max_size=len(rows)))
    return RankedProfile.from_rankings([f"c{i}" for i in range(n)], rows, counts)


def relabel(p: RankedProfile, perm: list[int]) -> RankedProfile:
    names = [""] * len(perm)
    for c, new in enumerate(perm):
        names[new] = p.candidates[c]
    table = np.array([-1, *perm], dtype=np.int16)[p.ballots.astype(np.int64) + 1]
    return RankedProfile(tuple(names), table, p.counts.copy(), p.tied)


def outcome(r: CountResult) -> list[tuple[object, ...]]:
    return [(x.action, dict(x.tallies), x.elected, x.excluded, x.exhausted) for x in r.rounds]


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_every_ballot_is_counted_once_each_round(p: RankedProfile) -> None:
    try:
        r = instant_runoff(p, seed=5)
    except CountError:  # every ballot ties at its first rank
        assume(False)
        raise
    for x in r.rounds:
        assert sum(x.tallies.values()) + x.exhausted == p.total
        assert x.quota == (p.total - x.exhausted) // 2 + 1


@settings(max_examples=100, deadline=None)
@given(profiles(), st.randoms(use_true_random=False))
def test_anonymity_and_row_order(p: RankedProfile, rnd: random.Random) -> None:
    try:
        base = instant_runoff(p, seed=2)
    except CountError:
        assume(False)
        raise
    order = list(range(len(p.counts)))
    rnd.shuffle(order)
    tied = None if p.tied is None else p.tied[order]
    shuffled = RankedProfile(p.candidates, p.ballots[order], p.counts[order], tied)
    assert instant_runoff(shuffled, seed=2) == base
    voters = list(np.repeat(np.arange(len(p.counts)), p.counts))
    rnd.shuffle(voters)
    tied = None if p.tied is None else p.tied[voters]
    single = RankedProfile(p.candidates, p.ballots[voters], np.ones(len(voters), np.int64), tied)
    assert instant_runoff(single, seed=2) == base


@settings(max_examples=100, deadline=None)
@given(profiles(), st.randoms(use_true_random=False))
def test_neutrality(p: RankedProfile, rnd: random.Random) -> None:
    perm = list(range(len(p.candidates)))
    rnd.shuffle(perm)
    try:
        base = instant_runoff(p)
    except CountError:  # a lot (drawn in candidate order) or no usable ballot
        assume(False)
        raise
    assert outcome(instant_runoff(relabel(p, perm))) == outcome(base)
