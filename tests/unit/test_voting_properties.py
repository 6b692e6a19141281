"""Properties every count here must have: anonymity (ballot rows in any order, or split into
single voters, give the same result), neutrality (candidates in any order on the ballot
paper give the same result when no lot is drawn), and Condorcet consistency for Schulze and
ranked pairs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.voting.approval import ApprovalProfile
from smolny.voting.condorcet import ranked_pairs, schulze
from smolny.voting.plurality import approval, block_vote, plurality
from smolny.voting.profile import NO_CANDIDATE, RankedProfile
from smolny.voting.result import CountResult

Count = Callable[[RankedProfile, int, int], CountResult]

COUNTS: dict[str, Count] = {
    "plurality": lambda p, seats, seed: plurality(p, seats, seed=seed),
    "block": lambda p, seats, seed: block_vote(p, seats, seed=seed),
    "approval": lambda p, seats, seed: approval(ApprovalProfile.from_ranked(p), seats, seed=seed),
    "schulze": lambda p, seats, seed: schulze(p, seats, seed=seed),
    "schulze-margin": lambda p, seats, seed: schulze(p, seats, seed=seed, measure="margin"),
    "ranked-pairs": lambda p, seats, seed: ranked_pairs(p, seats, seed=seed),
    "ranked-pairs-wv": lambda p, seats, seed: ranked_pairs(
        p, seats, seed=seed, measure="winning-votes"
    ),
}


@st.composite
def profiles(draw: st.DrawFn, full: bool = False) -> RankedProfile:
    """Up to 6 candidates and 15 distinct rows; truncated ballots and shared ranks."""
    c = draw(st.integers(1, 6))
    rankings: list[list[int | tuple[int, ...]]] = []
    for _ in range(draw(st.integers(1, 15))):
        order = list(draw(st.permutations(range(c))))
        if not full:
            order = order[: draw(st.integers(1, c))]
        ranks: list[int | tuple[int, ...]] = []
        i = 0
        while i < len(order):
            size = 1 if full else draw(st.sampled_from([1, 1, 1, 2]))
            group = order[i : i + size]
            ranks.append(group[0] if len(group) == 1 else tuple(group))
            i += size
        rankings.append(ranks)
    counts = draw(st.lists(st.integers(1, 6), min_size=len(rankings), max_size=len(rankings)))
    return RankedProfile.from_rankings([f"c{i}" for i in range(c)], rankings, counts)


def shuffled_rows(profile: RankedProfile, order: list[int]) -> RankedProfile:
    return RankedProfile(
        profile.candidates,
        profile.ballots[order],
        profile.counts[order],
        None if profile.tied is None else profile.tied[order],
    )


def single_voters(profile: RankedProfile) -> RankedProfile:
    rows = np.repeat(np.arange(len(profile.counts)), profile.counts)
    return RankedProfile(
        profile.candidates,
        profile.ballots[rows],
        np.ones(len(rows), dtype=np.int64),
        None if profile.tied is None else profile.tied[rows],
    )


def relabelled(profile: RankedProfile, new_place: list[int]) -> RankedProfile:
    """The same ballots with candidate c moved to position new_place[c] on the paper."""
    names = [""] * len(profile.candidates)
    for c, place in enumerate(new_place):
        names[place] = profile.candidates[c]
    mapping = np.array(new_place, dtype=np.int16)
    ballots = np.where(
        profile.ballots == NO_CANDIDATE, NO_CANDIDATE, mapping[np.maximum(profile.ballots, 0)]
    ).astype(np.int16)
    return RankedProfile(tuple(names), ballots, profile.counts, profile.tied)


def seats_for(profile: RankedProfile, share: float) -> int:
    return max(1, round(share * len(profile.candidates)))


@settings(max_examples=60, deadline=None)
@given(
    profile=profiles(),
    method=st.sampled_from(sorted(COUNTS)),
    share=st.floats(0, 1),
    data=st.data(),
)
def test_ballot_row_order_does_not_matter(
    profile: RankedProfile, method: str, share: float, data: st.DataObject
) -> None:
    seats = seats_for(profile, share)
    order = data.draw(st.permutations(range(len(profile.counts))))
    count = COUNTS[method]
    assert count(shuffled_rows(profile, list(order)), seats, 1917) == count(profile, seats, 1917)


@settings(max_examples=60, deadline=None)
@given(profile=profiles(), method=st.sampled_from(sorted(COUNTS)), share=st.floats(0, 1))
def test_anonymity_one_row_per_voter_gives_the_same_result(
    profile: RankedProfile, method: str, share: float
) -> None:
    seats = seats_for(profile, share)
    count = COUNTS[method]
    assert count(single_voters(profile), seats, 7) == count(profile, seats, 7)


@settings(max_examples=100, deadline=None)
@given(
    profile=profiles(),
    method=st.sampled_from(sorted(COUNTS)),
    share=st.floats(0, 1),
    data=st.data(),
)
def test_neutrality_the_order_on_the_ballot_paper_does_not_matter(
    profile: RankedProfile, method: str, share: float, data: st.DataObject
) -> None:
    seats = seats_for(profile, share)
    new_place = list(data.draw(st.permutations(range(len(profile.candidates)))))
    count = COUNTS[method]
    before = count(profile, seats, 3)
    after = count(relabelled(profile, new_place), seats, 3)
    if before.ties or after.ties:
        # A lot was drawn; who it picks may depend on the order. Nothing else may.
        assert bool(before.ties) == bool(after.ties)
        return
    assert set(before.elected) == set(after.elected)
    assert before.rounds[0].tallies == after.rounds[0].tallies


@settings(max_examples=200, deadline=None)
@given(profile=profiles())
def test_a_condorcet_winner_wins_schulze_and_ranked_pairs(profile: RankedProfile) -> None:
    support = profile.pairwise()
    c = len(profile.candidates)
    beats_all = [
        a for a in range(c) if all(support[a, b] > support[b, a] for b in range(c) if b != a)
    ]
    if not beats_all:
        return
    (winner,) = beats_all
    name = profile.candidates[winner]
    for method in ("schulze", "schulze-margin", "ranked-pairs", "ranked-pairs-wv"):
        result = COUNTS[method](profile, 1, 5)
        assert result.elected == (name,), method
        assert not result.ties or method.startswith("ranked-pairs")  # a TBRC may be drawn
        assert result.elected == COUNTS[method](profile, 1, 6).elected  # whatever the lot


@settings(max_examples=100, deadline=None)
@given(profile=profiles(full=True))
def test_schulze_and_ranked_pairs_elect_from_the_smith_set(profile: RankedProfile) -> None:
    # The Smith set: the smallest set whose members all beat everyone outside it.
    support = profile.pairwise()
    c = len(profile.candidates)
    beats = support > support.T
    # Copeland order, then grow the top until it beats the rest.
    order = sorted(range(c), key=lambda a: -int(beats[a].sum()))
    size = 1
    while not all(beats[a, b] for a in order[:size] for b in order[size:]):
        size += 1
    smith = {profile.candidates[a] for a in order[:size]}
    for method in ("schulze", "ranked-pairs"):
        assert COUNTS[method](profile, 1, 9).elected[0] in smith
