"""Condorcet methods: Schulze and ranked pairs on published examples, ties by lot, the fast
pairwise count, and cross-checks against pref_voting on random profiles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.voting.condorcet import pairwise_support, ranked_pairs, schulze, strongest_paths
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError

A, B, C, D, E = range(5)


def schulze_example() -> RankedProfile:
    """The 45 voters of Schulze's paper (and Wikipedia's "Schulze method")."""
    return RankedProfile.from_rankings(
        "ABCDE",
        [
            [A, C, B, E, D],
            [A, D, E, C, B],
            [B, E, D, A, C],
            [C, A, B, E, D],
            [C, A, E, B, D],
            [C, B, A, D, E],
            [D, C, E, B, A],
            [E, B, A, D, C],
        ],
        [5, 5, 8, 3, 7, 2, 7, 8],
    )


def tennessee() -> RankedProfile:
    """Tennessee's capital: 42% Memphis, 26% Nashville, 15% Chattanooga, 17% Knoxville."""
    m, n, c, k = range(4)
    return RankedProfile.from_rankings(
        ("Memphis", "Nashville", "Chattanooga", "Knoxville"),
        [[m, n, c, k], [n, c, k, m], [c, k, n, m], [k, c, n, m]],
        [42, 26, 15, 17],
    )


# --- Schulze ----------------------------------------------------------------------------------


def test_schulze_paper_example_elects_e() -> None:
    result = schulze(schulze_example())
    assert result.method == "schulze"
    assert result.elected == ("E",)
    # d[a, b], voters preferring a to b:
    assert result.details["pairwise"] == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    # p[a, b], strongest paths by winning votes; e.g. E -> D 31 directly, D -> E 24 via
    # D -> C (28) -> E (24). E's paths beat everyone's paths back: 25 > 24 against A, ...
    assert result.details["strongest_paths"] == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    assert result.details["winners"] == ["E"]
    assert result.details["ranking"] == [["E"], ["A"], ["C"], ["B"], ["D"]]
    assert result.details["order"] == ["A", "B", "C", "D", "E"]
    assert result.rounds[0].tallies == {"A": 3, "B": 1, "C": 2, "D": 0, "E": 4}
    assert schulze(schulze_example(), 3).elected == ("E", "A", "C")
    # Ballots are complete: measuring by margins gives the same result.
    assert schulze(schulze_example(), 5, measure="margin").elected == ("E", "A", "C", "B", "D")


def test_schulze_three_way_cycle_is_a_tie_decided_by_lot() -> None:
    # A > B > C, B > C > A, C > A > B: each pair 2 to 1; every strongest path is 2.
    cycle = RankedProfile.from_rankings("ABC", [[A, B, C], [B, C, A], [C, A, B]])
    with pytest.raises(CountError, match="a tie in the Schulze ranking for the last seat"):
        schulze(cycle)
    result = schulze(cycle, seed=1)
    assert result.details["winners"] == ["A", "B", "C"]
    assert result.ties[0].between == ("A", "B", "C")
    assert result.ties[0].chosen == result.elected
    assert result.seed == 1
    assert schulze(cycle, 3).elected == ("A", "B", "C")  # all elected: no lot


def test_schulze_winning_votes_and_margins_differ_on_truncated_ballots() -> None:
    # d: A>B 4, B>A 3 | B>C 6, C>B 0 | C>A 5, A>C 4 (truncated ballots leave many level).
    #   3 x B C      B>C, B>A, C>A
    #   1 x A B      A>B, A>C, B>C
    #   2 x C A      C>A, C>B... (checked against the matrix below)
    profile = RankedProfile.from_rankings(
        "ABC", [[B, C], [A, B], [C, A], [A], [B]], [3, 1, 2, 3, 2]
    )
    support = pairwise_support(profile)
    assert (support == profile.pairwise()).all()
    wv = strongest_paths(support, "winning-votes")
    margin = strongest_paths(support, "margin")
    assert (wv >= margin).all()
    assert schulze(profile).details["measure"] == "winning-votes"


# --- ranked pairs -----------------------------------------------------------------------------


def test_ranked_pairs_tennessee_elects_nashville() -> None:
    # Margins: Chattanooga > Knoxville 83 - 17 = 66; Nashville > Chattanooga 68 - 32 = 36;
    # Nashville > Knoxville 36; Nashville, Chattanooga, Knoxville > Memphis each 58 - 42 = 16.
    # All six lock without a cycle: Nashville > Chattanooga > Knoxville > Memphis.
    result = ranked_pairs(tennessee(), 4)
    assert result.method == "ranked-pairs"
    assert result.elected == ("Nashville", "Chattanooga", "Knoxville", "Memphis")
    assert result.details["locked"] == [
        ["Chattanooga", "Knoxville", 66],
        ["Nashville", "Chattanooga", 36],
        ["Nashville", "Knoxville", 36],
        ["Nashville", "Memphis", 16],
        ["Chattanooga", "Memphis", 16],
        ["Knoxville", "Memphis", 16],
    ]
    assert result.details["skipped"] == []
    assert result.details["tie_breaking_ranking"] is None  # equal strengths, order irrelevant
    assert result.ties == ()
    assert ranked_pairs(tennessee()).elected == ("Nashville",)
    assert ranked_pairs(tennessee(), measure="winning-votes").elected == ("Nashville",)
    assert schulze(tennessee()).elected == ("Nashville",)


def test_ranked_pairs_skips_the_pair_that_closes_a_cycle() -> None:
    # 4 x A B C, 3 x B C A, 2 x C A B: A>B 6-3 (margin 3), B>C 7-2 (5), C>A 5-4 (1).
    # Lock B>C (5), A>B (3); C>A (1) would close the cycle: skipped. A > B > C.
    profile = RankedProfile.from_rankings("ABC", [[A, B, C], [B, C, A], [C, A, B]], [4, 3, 2])
    result = ranked_pairs(profile, 3)
    assert result.details["locked"] == [["B", "C", 5], ["A", "B", 3]]
    assert result.details["skipped"] == [["C", "A", 1]]
    assert result.elected == ("A", "B", "C")
    assert result.rounds[0].tallies == {"A": 2, "B": 1, "C": 0}


def test_ranked_pairs_orders_pairs_of_equal_strength_by_a_lot_drawn_ranking() -> None:
    # The three-way cycle: A>B, B>C, C>A all by 1. They cannot all be locked; the
    # tie-breaking ranking (TBRC) is drawn: the pairs are taken in the order of their
    # winners in it; the first two lock and the third closes the cycle.
    cycle = RankedProfile.from_rankings("ABC", [[A, B, C], [B, C, A], [C, A, B]])
    with pytest.raises(CountError, match="the order of pairs of equal strength"):
        ranked_pairs(cycle)
    result = ranked_pairs(cycle, 3, seed=1917)
    tbrc = result.details["tie_breaking_ranking"]
    assert sorted(tbrc) == ["A", "B", "C"]
    locked = result.details["locked"]
    assert [pair[0] for pair in locked] == tbrc[:2]
    assert [pair[0] for pair in result.details["skipped"]] == tbrc[2:]
    # The two locked pairs make a chain: top > middle > bottom.
    (top,) = {"A", "B", "C"} - {pair[1] for pair in locked}
    middle = next(pair[1] for pair in locked if pair[0] == top)
    (bottom,) = {"A", "B", "C"} - {top, middle}
    assert result.elected == (top, middle, bottom)
    (tie,) = result.ties
    assert tie.between == ("A", "B", "C")
    assert tie.chosen == tuple(tbrc)
    assert tie.resolved_by == "lot (seed 1917): tie-breaking ranking of the candidates"
    assert result.seed == 1917
    assert ranked_pairs(cycle, 3, seed=1917) == result


def test_a_pairwise_tie_is_never_locked_and_leaves_candidates_level() -> None:
    # A > B and B > A once each: no pair to lock. A lot decides the one seat.
    profile = RankedProfile.from_rankings("AB", [[A, B], [B, A]])
    result = ranked_pairs(profile, seed=2)
    assert result.details["locked"] == []
    assert result.details["ranking"] == [["A", "B"]]
    assert len(result.ties) == 1
    assert ranked_pairs(profile, 2).elected == ("A", "B")


# --- shared rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [schulze, ranked_pairs])
def test_withdrawn_candidates_take_no_part(count: object) -> None:
    profile = RankedProfile.from_rankings(
        "ABCDE", schulze_example().ballots.tolist(), schulze_example().counts.tolist(),
        withdrawn=frozenset({E}),
    )  # fmt: skip
    result = count(profile)  # type: ignore[operator]
    assert "E" not in result.details["order"]
    assert result.details["withdrawn"] == ["E"]
    assert result.elected != ("E",)
    with pytest.raises(CountError, match=r"5 seats to fill but only 4 candidates standing"):
        count(profile, 5)  # type: ignore[operator]


@pytest.mark.parametrize("count", [schulze, ranked_pairs])
def test_condorcet_counts_refuse_impossible_requests(count: object) -> None:
    with pytest.raises(CountError, match="at least one seat"):
        count(tennessee(), 0)  # type: ignore[operator]
    with pytest.raises(CountError, match="5 seats to fill but only 4 candidates"):
        count(tennessee(), 5)  # type: ignore[operator]
    empty = RankedProfile(("A", "B"), np.zeros((0, 0), np.int16), np.zeros(0, np.int64))
    with pytest.raises(CountError, match="no ballots"):
        count(empty)  # type: ignore[operator]
    with pytest.raises(CountError, match="unknown measure 'borda'"):
        count(tennessee(), measure="borda")  # type: ignore[operator]


# --- the pairwise count -----------------------------------------------------------------------


@st.composite
def profiles(draw: st.DrawFn, max_candidates: int = 6, ties: bool = True) -> RankedProfile:
    c = draw(st.integers(1, max_candidates))
    rankings = []
    for _ in range(draw(st.integers(1, 12))):
        order = draw(st.permutations(range(c)))
        order = order[: draw(st.integers(0, c))]
        ranks: list[int | tuple[int, ...]] = []
        i = 0
        while i < len(order):
            size = draw(st.integers(1, 3)) if ties else 1
            group = order[i : i + size]
            ranks.append(group[0] if len(group) == 1 else tuple(group))
            i += size
        rankings.append(ranks)
    counts = draw(st.lists(st.integers(1, 5), min_size=len(rankings), max_size=len(rankings)))
    return RankedProfile.from_rankings([f"c{i}" for i in range(c)], rankings, counts)


@settings(max_examples=300, deadline=None)
@given(profile=profiles())
def test_pairwise_support_equals_the_profile_pairwise(profile: RankedProfile) -> None:
    assert (pairwise_support(profile) == profile.pairwise()).all()


def test_pairwise_support_on_a_large_random_profile_with_weights_and_ties() -> None:
    rng = np.random.default_rng(5)
    n, c = 20_000, 9
    ballots = np.argsort(rng.random((n, c)), axis=1).astype(np.int16)
    lengths = rng.integers(0, c + 1, n)
    ballots[np.arange(c)[None, :] >= lengths[:, None]] = -1
    tied = (rng.random((n, c)) < 0.2) & (ballots != -1)
    tied[:, -1] = False
    tied[:, :-1] &= ballots[:, 1:] != -1
    counts = rng.integers(1, 1000, n)
    profile = RankedProfile(tuple("ABCDEFGHI"), ballots, counts, tied)
    assert (pairwise_support(profile) == profile.pairwise()).all()


def test_pairwise_support_falls_back_beyond_sixteen_candidates() -> None:
    names = tuple(f"c{i}" for i in range(18))
    profile = RankedProfile.from_rankings(names, [list(range(18)), [17, 3]], [2, 1])
    assert (pairwise_support(profile) == profile.pairwise()).all()


# --- cross-checks against pref_voting ---------------------------------------------------------


def random_full_profile(rng: np.random.Generator, c: int, voters: int) -> RankedProfile:
    ballots = np.argsort(rng.random((voters, c)), axis=1).astype(np.int16)
    # A few popular orders, so that cycles and close margins are common.
    popular = ballots[: max(1, c // 2)]
    pick = rng.random(voters) < 0.5
    ballots[pick] = popular[rng.integers(0, len(popular), int(pick.sum()))]
    return RankedProfile(tuple(f"c{i}" for i in range(c)), ballots, np.ones(voters, np.int64))


def test_schulze_and_ranked_pairs_agree_with_pref_voting_on_random_profiles() -> None:
    pytest.importorskip("pref_voting")
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.margin_based_methods import ranked_pairs as pv_ranked_pairs
    from pref_voting.profiles import Profile

    rng = np.random.default_rng(1917)
    checked = 0
    for trial in range(300):
        c = int(rng.integers(3, 7))
        voters = int(rng.integers(3, 40)) | 1  # odd: no pairwise ties on complete ballots
        profile = random_full_profile(rng, c, voters)
        theirs = Profile(profile.ballots.tolist())
        names = profile.candidates
        # Schulze: the winner sets agree (margins and winning votes agree on full ballots).
        ours = schulze(profile, seed=trial)
        assert ours.details["winners"] == [names[w] for w in beat_path(theirs)]
        margin = schulze(profile, seed=trial, measure="margin")
        assert margin.details["winners"] == ours.details["winners"]
        # Ranked pairs: pref_voting returns every winner under some order of equal pairs
        # (it tries them all: skip the profiles with many); ours is one of them, and the
        # same when there is only one.
        margins = profile.pairwise() - profile.pairwise().T
        _, sizes = np.unique(margins[margins > 0], return_counts=True)
        if np.prod([math.factorial(int(k)) for k in sizes]) > 24:
            continue
        rp_theirs = [names[w] for w in pv_ranked_pairs(theirs)]
        rp_ours = ranked_pairs(profile, seed=trial)
        assert rp_ours.elected[0] in rp_theirs
        if len(rp_theirs) == 1:
            assert rp_ours.elected == (rp_theirs[0],)
            checked += 1
    assert checked > 100


def test_schulze_winning_votes_agrees_with_pref_voting_on_truncated_ballots() -> None:
    pytest.importorskip("pref_voting")
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles_with_ties import ProfileWithTies

    rng = np.random.default_rng(11)
    checked = 0
    for trial in range(150):
        c = int(rng.integers(3, 6))
        voters = int(rng.integers(3, 30))
        profile = random_full_profile(rng, c, voters)
        lengths = rng.integers(1, c + 1, voters)
        ballots = profile.ballots.copy()
        ballots[np.arange(c)[None, :] >= lengths[:, None]] = -1
        profile = RankedProfile(profile.candidates, ballots, profile.counts)
        support = profile.pairwise()
        if (support == support.T)[~np.eye(c, dtype=bool)].any():
            continue  # a pairwise tie: pref_voting's and our treatments differ
        theirs = ProfileWithTies(
            [{int(x): r for r, x in enumerate(row) if x >= 0} for row in ballots.tolist()],
            candidates=list(range(c)),
        )
        theirs.use_extended_strict_preference()
        names = profile.candidates
        for measure, strength in (
            ("winning-votes", lambda a, b, s=support: int(s[a, b])),
            ("margin", None),
        ):
            ours = schulze(profile, seed=trial, measure=measure)  # type: ignore[arg-type]
            expected = beat_path(theirs, strength_function=strength)
            assert ours.details["winners"] == [names[w] for w in expected], (trial, measure)
        checked += 1
    assert checked > 50
