"""Ranked ballots as arrays."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smolny.voting.profile import ProfileError, RankedProfile

NAMES = ("Ann", "Bob", "Cy")


def test_rankings_become_padded_rows_with_counts() -> None:
    p = RankedProfile.from_rankings(NAMES, [[0, 1], [2, (0, 1)], [1]], [3, 2, 1])
    assert p.ballots.tolist() == [[0, 1, -1], [2, 0, 1], [1, -1, -1]]
    assert p.tied is not None
    assert p.tied.tolist() == [[False, False, False], [False, True, False], [False] * 3]
    assert p.total == 6
    assert p.lengths.tolist() == [2, 3, 1]
    assert list(p.rankings()) == [(3, ((0,), (1,))), (2, ((2,), (0, 1))), (1, ((1,),))]


def test_first_preferences_count_a_tied_first_rank_for_no_one() -> None:
    p = RankedProfile.from_rankings(NAMES, [[0, 1], [(1, 2)], [2]], [3, 2, 1])
    assert p.first_preferences().tolist() == [3, 0, 1]


def test_pairwise_puts_ranked_candidates_above_unranked_ones() -> None:
    # a>b (3 voters), c>{a,b} (2), b (1), a>b (4)
    p = RankedProfile.from_rankings(NAMES, [[0, 1], [2, (0, 1)], [1], [0, 1]], [3, 2, 1, 4])
    assert p.pairwise().tolist() == [[0, 7, 7], [1, 0, 8], [2, 2, 0]]
    assert p.rank_matrix().tolist() == [[0, 1, 2], [1, 1, 0], [1, 0, 1], [0, 1, 2]]


def test_grouping_merges_identical_ballots_in_order_of_first_appearance() -> None:
    p = RankedProfile.from_rankings(NAMES, [[2], [0, 1], [2], [0, 1], [0]], [1, 2, 3, 4, 5])
    g = p.grouped()
    assert g.ballots.tolist() == [[2, -1], [0, 1], [0, -1]]
    assert g.counts.tolist() == [4, 6, 5]


@pytest.mark.parametrize(
    ("rankings", "counts", "message"),
    [
        ([[0, 0]], None, "ballot 1 ranks a candidate twice"),
        ([[0], [5]], None, "ballot 2 names a candidate that does not exist"),
        ([[0]], [0], "ballot 1 has a count below 1"),
    ],
)
def test_invalid_ballots_are_refused(
    rankings: list[list[int]], counts: list[int] | None, message: str
) -> None:
    with pytest.raises(ProfileError, match=message):
        RankedProfile.from_rankings(NAMES, rankings, counts)


def test_a_gap_between_preferences_is_refused() -> None:
    ballots = np.array([[0, -1, 1]], dtype=np.int16)
    with pytest.raises(ProfileError, match="ballot 1 has a gap"):
        RankedProfile(NAMES, ballots, np.array([1], dtype=np.int64))


rankings = st.lists(
    st.permutations([0, 1, 2, 3]).flatmap(lambda p: st.integers(0, 4).map(lambda k: p[:k])),
    min_size=1,
    max_size=30,
)


@given(rankings)
def test_grouping_keeps_every_voter(rows: list[list[int]]) -> None:
    p = RankedProfile.from_rankings(("a", "b", "c", "d"), rows)
    g = p.grouped()
    assert g.total == p.total
    assert np.array_equal(g.pairwise(), p.pairwise())
    assert np.array_equal(g.first_preferences(), p.first_preferences())
