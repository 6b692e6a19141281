"""Plurality, block vote and approval: hand-worked counts, ties by lot, validation."""

from __future__ import annotations

import numpy as np
import pytest

from smolny.voting.approval import ApprovalProfile
from smolny.voting.plurality import approval, block_vote, plurality, without_withdrawn
from smolny.voting.profile import ProfileError, RankedProfile
from smolny.voting.result import CountError, Tie

A, B, C, D, E = range(5)
NAMES = ("A", "B", "C", "D", "E")


def profile(
    rankings: list[list[int | tuple[int, ...]]],
    counts: list[int],
    *,
    candidates: int = 4,
    withdrawn: frozenset[int] = frozenset(),
) -> RankedProfile:
    return RankedProfile.from_rankings(NAMES[:candidates], rankings, counts, withdrawn=withdrawn)


# --- plurality --------------------------------------------------------------------------------


def test_plurality_counts_first_preferences() -> None:
    # First preferences: A 5, B 3 + 1 = 4, C 2, D 0. A is elected, then B.
    p = profile([[A, B], [B, A, C], [C], [B]], [5, 3, 2, 1])
    result = plurality(p)
    assert result.method == "plurality"
    assert result.elected == ("A",)
    assert len(result.rounds) == 1
    assert result.rounds[0].tallies == {"A": 5, "B": 4, "C": 2, "D": 0}
    assert result.rounds[0].elected == ("A",)
    assert result.ties == ()
    assert result.seed is None
    assert plurality(p, 2).elected == ("A", "B")
    assert plurality(p, 3).elected == ("A", "B", "C")


def test_plurality_tie_at_the_last_seat_is_drawn_by_lot_and_recorded() -> None:
    # A 4, B 3, C 3: A takes the first seat; B and C tie for the second.
    p = profile([[A], [B], [C]], [4, 3, 3])
    result = plurality(p, 2, seed=1917)
    assert result.elected[0] == "A"
    assert result.elected[1] in ("B", "C")
    assert result.ties == (
        Tie(
            round=1,
            between=("B", "C"),
            decides="election",
            resolved_by="lot (seed 1917)",
            chosen=(result.elected[1],),
        ),
    )
    assert result.seed == 1917
    assert plurality(p, 2, seed=1917) == result  # the same seed draws the same lot
    with pytest.raises(CountError, match="a tie on 3 votes for the last seat between B, C"):
        plurality(p, 2)


def test_a_tie_that_decides_nothing_needs_no_lot() -> None:
    # B and C tie, but with three seats both are elected: no lot, no seed needed.
    p = profile([[A], [B], [C]], [4, 3, 3])
    result = plurality(p, 3)
    assert result.elected == ("A", "B", "C")
    assert result.ties == ()


def test_a_tied_first_rank_counts_for_no_one() -> None:
    # Two voters rank (A = B) first: no first preference. C has 1 and wins.
    p = profile([[(A, B), C], [C]], [2, 1])
    assert plurality(p).rounds[0].tallies == {"A": 0, "B": 0, "C": 1, "D": 0}
    assert plurality(p).elected == ("C",)


def test_withdrawn_candidates_are_skipped_and_cannot_be_elected() -> None:
    # A withdrew: A's 5 voters' next preference, B, counts. B 5 + 2 = 7, C 3.
    p = profile([[A, B], [C], [B]], [5, 3, 2], withdrawn=frozenset({A}))
    result = plurality(p)
    assert result.rounds[0].tallies == {"A": 0, "B": 7, "C": 3, "D": 0}
    assert result.elected == ("B",)
    assert result.details == {"withdrawn": ["A"]}
    with pytest.raises(CountError, match=r"4 seats to fill but only 3 candidates standing \(1 "):
        plurality(p, 4)


def test_striking_withdrawn_candidates_keeps_ranks_shared() -> None:
    # (A = B) > C > D with B withdrawn becomes A > C > D; A > (B = C) > D becomes A > C > D;
    # (B = C = D) becomes (C = D).
    p = RankedProfile.from_rankings(
        NAMES[:4], [[(A, B), C, D], [A, (B, C), D], [(B, C, D)]], withdrawn=frozenset({B})
    )
    struck = without_withdrawn(p)
    assert [r for _, r in struck.rankings()] == [
        ((A,), (C,), (D,)),
        ((A,), (C,), (D,)),
        ((C, D),),
    ]


# --- block vote -------------------------------------------------------------------------------


def test_block_vote_counts_the_first_seats_preferences() -> None:
    # Two seats; each ballot's first two preferences count one each.
    #   4 x A B C: A 4, B 4
    #   3 x B C A: B 3, C 3
    #   2 x D C:   D 2, C 2
    #   1 x C:     C 1
    # A 4, B 7, C 6, D 2: B and C elected (plurality would elect A and B: 4, 3).
    p = profile([[A, B, C], [B, C, A], [D, C], [C]], [4, 3, 2, 1])
    result = block_vote(p, 2)
    assert result.method == "block"
    assert result.rounds[0].tallies == {"A": 4, "B": 7, "C": 6, "D": 2}
    assert result.elected == ("B", "C")
    assert plurality(p, 2).elected == ("A", "B")


def test_block_vote_voids_a_shared_rank_that_straddles_the_cut() -> None:
    # Two seats. A > (B = C): the rank (B = C) runs past the second position: it counts for
    # neither. (A = B) > C: both within the first two: A and B count.
    p = profile([[A, (B, C)], [(A, B), C]], [3, 1])
    assert block_vote(p, 2).rounds[0].tallies == {"A": 4, "B": 1, "C": 0, "D": 0}
    # With three seats, A > (B = C) fits entirely.
    assert block_vote(p, 3).rounds[0].tallies == {"A": 4, "B": 4, "C": 4, "D": 0}


def test_block_vote_with_one_seat_is_plurality_on_untied_ballots() -> None:
    p = profile([[A, B, C], [B, C, A], [D, C], [C]], [4, 3, 2, 1])
    assert block_vote(p, 1).rounds[0].tallies == plurality(p).rounds[0].tallies


# --- approval ---------------------------------------------------------------------------------


def test_approval_from_sets() -> None:
    # 3 x {A, B}, 2 x {B, C}, 1 x {D}, 1 x {} (blank): A 3, B 5, C 2, D 1.
    ballots = ApprovalProfile.from_sets(
        NAMES[:4], [{"A", "B"}, {"B", "C"}, {"D"}, set()], [3, 2, 1, 1]
    )
    assert ballots.total == 7
    result = approval(ballots)
    assert result.method == "approval"
    assert result.rounds[0].tallies == {"A": 3, "B": 5, "C": 2, "D": 1}
    assert result.elected == ("B",)
    assert approval(ballots, 2).elected == ("B", "A")


def test_approval_from_sets_by_index_and_from_ranked() -> None:
    by_index = ApprovalProfile.from_sets(NAMES[:3], [[0, 2], [1]])
    assert by_index.approvals.tolist() == [[True, False, True], [False, True, False]]
    ranked = profile([[A, (B, C)], [D]], [2, 1])
    approvals = ApprovalProfile.from_ranked(ranked)
    assert approvals.tallies().tolist() == [2, 2, 2, 1]
    assert approvals.counts.tolist() == [2, 1]


def test_approval_tie_is_drawn_by_lot() -> None:
    ballots = ApprovalProfile.from_sets(NAMES[:3], [{"A", "B"}, {"C"}], [1, 1])
    with pytest.raises(CountError, match="between A, B, C must be decided by lot"):
        approval(ballots)
    result = approval(ballots, 2, seed=7)
    assert len(result.ties) == 1
    assert result.ties[0].between == ("A", "B", "C")
    assert set(result.ties[0].chosen) == set(result.elected)


def test_approval_of_withdrawn_candidates_is_void() -> None:
    ballots = ApprovalProfile.from_sets(NAMES[:3], [{"A"}, {"B"}], [5, 2], withdrawn=frozenset({0}))
    assert approval(ballots).elected == ("B",)
    assert approval(ballots).rounds[0].tallies == {"A": 0, "B": 2, "C": 0}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ApprovalProfile.from_sets(("A", "A"), []), "same name"),
        (lambda: ApprovalProfile.from_sets(("A",), [{"Z"}]), "approves 'Z', not a candidate"),
        (lambda: ApprovalProfile.from_sets(("A",), [{3}]), "candidate 4, who does not exist"),
        (lambda: ApprovalProfile.from_sets(("A",), [{"A"}], [0]), "count below 1"),
        (
            lambda: ApprovalProfile(("A",), np.zeros((1, 2), np.bool_), np.ones(1, np.int64)),
            "one column per candidate",
        ),
        (
            lambda: ApprovalProfile(("A",), np.zeros((1, 1), np.int64), np.ones(1, np.int64)),
            "booleans",
        ),
    ],
)
def test_invalid_approval_ballots(build: object, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        build()  # type: ignore[operator]


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [plurality, block_vote])
def test_ranked_counts_refuse_impossible_seats(count: object) -> None:
    p = profile([[A]], [1])
    with pytest.raises(CountError, match="at least one seat"):
        count(p, 0)  # type: ignore[operator]
    with pytest.raises(CountError, match="5 seats to fill but only 4 candidates standing"):
        count(p, 5)  # type: ignore[operator]
    with pytest.raises(CountError, match="whole number"):
        count(p, 1.0)  # type: ignore[operator]
    empty = RankedProfile(NAMES[:4], np.zeros((0, 0), np.int16), np.zeros(0, np.int64))
    with pytest.raises(CountError, match="no ballots"):
        count(empty, 1)  # type: ignore[operator]


def test_approval_refuses_an_empty_profile() -> None:
    with pytest.raises(CountError, match="no ballots"):
        approval(ApprovalProfile.from_sets(NAMES[:2], []))
