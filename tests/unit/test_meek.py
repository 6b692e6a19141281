"""Meek STV: counts worked by hand (fixed point, 9 decimals), and properties."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smolny.voting.irv import instant_runoff
from smolny.voting.meek import meek_stv
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult

S = 10**9  # one vote at the default precision


def profile(names: str, *groups: tuple[int, str]) -> RankedProfile:
    return RankedProfile.from_rankings(
        list(names),
        [[names.index(c) for c in ranking] for _, ranking in groups],
        [count for count, _ in groups],
    )


def conserved(r: CountResult, total: int) -> bool:
    return all(sum(x.tallies.values()) + x.exhausted == total * r.scale for x in r.rounds)


def test_a_surplus_passes_by_the_keep_factor_rounded_up() -> None:
    r = meek_stv(profile("ABC", (6, "AB"), (2, "B"), (3, "C")), 2)
    # Round 1: A 6, B 2, C 3; no excess. Quota = 11 / 3 = 3.666666666 (truncated) plus
    # 0.000000001 = 3.666666667: A is elected.
    first = r.rounds[0]
    assert (first.quota, first.elected) == (3_666_666_667, ("A",))
    # A's keep factor: 1 × 3.666666667 / 6 = 0.6111111111666... rounded up: 0.611111112.
    # Each of A's 6 ballots: A keeps 0.611111112, B gets 1 - 0.611111112 = 0.388888888.
    # A 3.666666672, B 2 + 2.333333328 = 4.333333328 >= the quota: B is elected.
    second = r.rounds[1]
    assert r.details["keep_factors"][1]["A"] == "0.611111112"
    assert second.tallies == {"A": 3_666_666_672, "B": 4_333_333_328, "C": 3 * S}
    assert second.transfers == {"A": -2_333_333_328, "B": 2_333_333_328, "non-transferable": 0}
    assert second.elected == ("B",)
    assert r.elected == ("A", "B")
    assert (r.method, r.scale, r.details["precision"]) == ("meek-stv", S, 9)
    assert conserved(r, 11)


def test_the_quota_falls_as_votes_exhaust() -> None:
    r = meek_stv(profile("ABCD", (6, "A"), (2, "B"), (3, "C"), (1, "D")), 2)
    # Round 1: quota 12 / 3 + 0.000000001; A (6) elected. A's ballots name no one else, so
    # what A does not keep is excess. The fixed point: A keeps k of 6, excess 6(1 - k),
    # quota (12 - 6(1 - k)) / 3 = 2 + 2k = 6k: k = 0.5, quota 3, excess 3. C (3) does not
    # reach the quota (3.000000001 and up).
    assert r.rounds[0].quota == 4 * S + 1
    second = r.rounds[1]
    assert second.action == "exclusion of D"
    assert abs(second.quota - 3 * S) < S // 10**5
    assert abs(second.exhausted - 3 * S) < S // 10**4
    assert abs(second.tallies["A"] - second.quota) <= r.details["tolerance"]
    assert abs(int(r.details["keep_factors"][1]["A"].replace(".", "")) - S // 2) < S // 10**5
    # Round 3: D's ballot has nothing further: excess about 4, quota about 8 / 3, and C
    # (3) is elected.
    third = r.rounds[2]
    assert abs(third.quota - 8 * S // 3) < S // 10**5
    assert third.elected == ("C",)
    assert r.elected == ("A", "C")
    assert conserved(r, 12)


def test_ties_and_refusals() -> None:
    p = profile("ABC", (3, "AB"), (3, "BA"), (5, "C"))
    with pytest.raises(CountError, match="by lot: give a seed"):
        meek_stv(p, 1)
    r = meek_stv(p, 1, seed=4)
    assert r == meek_stv(p, 1, seed=4)
    assert r.ties[0].resolved_by == "lot (seed 4)"
    with pytest.raises(CountError, match="precision"):
        meek_stv(p, 1, precision=10)
    with pytest.raises(CountError, match="only 3 candidates"):
        meek_stv(p, 4)
    with pytest.raises(CountError, match="at least 1"):
        meek_stv(p, 0)
    assert meek_stv(p, 2, seed=1, precision=4).scale == 10**4


def test_a_tie_on_a_ballot_passes_nothing_further() -> None:
    p = RankedProfile.from_rankings(["A", "B", "C"], [[0, (1, 2)], [1], [2]], [6, 2, 3])
    r = meek_stv(p, 2)
    # A's surplus cannot choose between B and C: it is excess, not a transfer.
    assert r.rounds[1].transfers.get("B", 0) == r.rounds[1].transfers.get("C", 0) == 0
    assert conserved(r, 11)


# -- properties ------------------------------------------------------------------------------
@st.composite
def profiles(draw: st.DrawFn) -> RankedProfile:
    n = draw(st.integers(2, 6))
    rows = draw(
        st.lists(
            st.permutations(range(n)).flatmap(
                lambda order: st.integers(1, len(order)).map(lambda k: list(order[:k]))
            ),
            min_size=1,
            max_size=20,
        )
    )
    counts = draw(st.lists(st.integers(1, 40), min_size=len(rows), max_size=len(rows)))
    return RankedProfile.from_rankings([f"c{i}" for i in range(n)], rows, counts)


@settings(max_examples=100, deadline=None)
@given(profiles(), st.integers(1, 4))
def test_weight_is_conserved_every_round(p: RankedProfile, seats: int) -> None:
    assume(seats <= len(p.candidates))
    r = meek_stv(p, seats, seed=1)
    assert conserved(r, p.total)
    assert len(set(r.elected)) == seats


@settings(max_examples=100, deadline=None)
@given(profiles())
def test_one_seat_elects_the_instant_runoff_winner(p: RankedProfile) -> None:
    try:
        meek, irv = meek_stv(p, 1), instant_runoff(p)
    except CountError:
        assume(False)
        raise
    assert meek.elected == irv.elected


@settings(max_examples=60, deadline=None)
@given(profiles(), st.integers(1, 3), st.randoms(use_true_random=False))
def test_row_order_voters_and_labels_do_not_matter(
    p: RankedProfile, seats: int, rnd: random.Random
) -> None:
    assume(seats <= len(p.candidates))
    try:
        base = meek_stv(p, seats)
    except CountError:
        assume(False)
        raise
    voters = list(np.repeat(np.arange(len(p.counts)), p.counts))
    rnd.shuffle(voters)
    single = RankedProfile(p.candidates, p.ballots[voters], np.ones(len(voters), np.int64))
    assert meek_stv(single, seats) == base
    perm = list(range(len(p.candidates)))
    rnd.shuffle(perm)
    names = [""] * len(perm)
    for c, new in enumerate(perm):
        names[new] = p.candidates[c]
    table = np.array([-1, *perm], dtype=np.int16)[p.ballots.astype(np.int64) + 1]
    moved = meek_stv(RankedProfile(tuple(names), table, p.counts.copy()), seats)
    assert set(moved.elected) == set(base.elected)
    assert [dict(x.tallies) for x in moved.rounds] == [dict(x.tallies) for x in base.rounds]
