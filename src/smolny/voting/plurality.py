"""Plurality, block vote and approval voting: one round of tallies, the highest elected.

Rules stated here:

* The `seats` candidates with the most votes are elected, listed from the most votes down;
  candidates level on votes and all elected are listed in ballot order (nothing turns on
  their order, so no tie is recorded).
* Candidates level on votes at the last seat, more of them than seats left, are a tie
  decided by lot from the seed, recorded in `CountResult.ties`; without a seed the count
  stops with a `CountError` naming the tied candidates.
* Withdrawn candidates cannot be elected; a ballot's preferences for them are skipped, so
  its next preference moves up (plurality, block vote) or its approval of them is void.
* Plurality counts each ballot's first preference; a first rank shared by several
  candidates (a tie on the ballot) counts for no one.
* The block vote counts each ballot's first `seats` preferences, one vote each; a rank
  shared by several candidates that straddles the cut (part of it within the first
  `seats` positions, part after) counts for none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smolny.voting.approval import ApprovalProfile
from smolny.voting.profile import NO_CANDIDATE, RankedProfile
from smolny.voting.result import CountError, CountResult, Round, Tie
from smolny.voting.ties import Lots

__all__ = [
    "ApprovalProfile",
    "approval",
    "block_vote",
    "check_seats",
    "elect_top",
    "plurality",
    "without_withdrawn",
]


def plurality(profile: RankedProfile, seats: int = 1, *, seed: int | None = None) -> CountResult:
    """Elect the `seats` candidates with the most first preferences."""
    check_seats(seats, profile.candidates, profile.withdrawn, profile.total)
    counted = without_withdrawn(profile)
    tallies = counted.first_preferences()
    note = "the candidates with the most first preferences are elected"
    return _single_round(
        "plurality",
        profile.candidates,
        profile.withdrawn,
        tallies,
        seats,
        seed,
        "first preferences",
        note,
    )


def block_vote(profile: RankedProfile, seats: int, *, seed: int | None = None) -> CountResult:
    """Elect the `seats` candidates with the most votes, each ballot giving one vote to each
    of its first `seats` preferences."""
    check_seats(seats, profile.candidates, profile.withdrawn, profile.total)
    counted = without_withdrawn(profile)
    ballots = counted.ballots[:, :seats]
    valid = ballots != NO_CANDIDATE
    if counted.tied is not None and counted.ballots.shape[1] > seats:
        # A rank straddling the cut: the preference at position seats - 1 is tied with the
        # one after the cut; void it and the preferences tied with it before it.
        tied = counted.tied[:, :seats]
        straddling = np.flip(np.cumprod(np.flip(tied, axis=1), axis=1), axis=1).astype(bool)
        valid &= ~straddling
    rows, cols = np.nonzero(valid)
    tallies = np.bincount(
        ballots[rows, cols], weights=counted.counts[rows], minlength=len(profile.candidates)
    )
    tallies = _exact(tallies, counted.total * seats)
    note = f"each ballot gives one vote to each of its first {seats} preferences"
    return _single_round(
        "block",
        profile.candidates,
        profile.withdrawn,
        tallies,
        seats,
        seed,
        f"votes for the first {seats} preferences",
        note,
    )


def approval(approvals: ApprovalProfile, seats: int = 1, *, seed: int | None = None) -> CountResult:
    """Elect the `seats` candidates approved by the most voters."""
    check_seats(seats, approvals.candidates, approvals.withdrawn, approvals.total)
    tallies = approvals.tallies()
    for c in approvals.withdrawn:
        tallies[c] = 0
    note = "the candidates approved by the most voters are elected"
    return _single_round(
        "approval",
        approvals.candidates,
        approvals.withdrawn,
        tallies,
        seats,
        seed,
        "approvals",
        note,
    )


# --- shared with the other counts -----------------------------------------------------------


def check_seats(
    seats: int, candidates: Sequence[str], withdrawn: frozenset[int], voters: int
) -> None:
    """CountError unless there are ballots and 1 <= seats <= the electable candidates."""
    if isinstance(seats, bool) or not isinstance(seats, int | np.integer):
        raise CountError(f"seats must be a whole number, got {seats!r}")
    if seats < 1:
        raise CountError(f"there must be at least one seat to fill, got {seats}")
    electable = len(candidates) - len(withdrawn)
    if seats > electable:
        who = "candidate" if electable == 1 else "candidates"
        also = f" ({len(withdrawn)} withdrawn)" if withdrawn else ""
        raise CountError(f"{seats} seats to fill but only {electable} {who} standing{also}")
    if voters < 1:
        raise CountError("the profile has no ballots: there is nothing to count")


def elect_top(
    candidates: Sequence[str],
    scores: Sequence[int] | NDArray[np.int64],
    seats: int,
    lots: Lots,
    *,
    electable: Sequence[bool] | None = None,
    round_number: int = 1,
    what: str = "votes",
    tie_text: str | None = None,
) -> tuple[tuple[str, ...], tuple[Tie, ...]]:
    """The `seats` electable candidates with the highest scores, highest first (equal
    scores in candidate order), and the tie, if candidates level at the last seat are more
    than the seats left (decided by lot). `what` names the scores in the message of a tie
    (e.g. "votes"), or `tie_text` replaces the message's start."""
    pool = [
        c for c in range(len(candidates)) if electable is None or electable[c]
    ]  # candidate order
    value = [int(s) for s in scores]
    ranked = sorted(pool, key=lambda c: -value[c])  # stable: candidate order within a level
    cut = value[ranked[seats - 1]]
    above = [c for c in ranked if value[c] > cut]
    level = [c for c in ranked if value[c] == cut]
    left = seats - len(above)
    if len(level) <= left:
        return tuple(candidates[c] for c in above + level), ()
    names = [candidates[c] for c in level]
    seat_words = "the last seat" if left == 1 else f"the last {left} seats"
    text = f"a tie on {cut} {what}" if tie_text is None else tie_text
    drawn = lots.draw(names, left, what=f"{text} for {seat_words}")
    chosen = [c for c in level if candidates[c] in drawn]  # candidate order
    tie = Tie(
        round=round_number,
        between=tuple(names),
        decides="election",
        resolved_by=lots.describe(),
        chosen=tuple(candidates[c] for c in chosen),
    )
    return tuple(candidates[c] for c in above + chosen), (tie,)


def without_withdrawn(profile: RankedProfile) -> RankedProfile:
    """The profile with the withdrawn candidates struck from every ballot, later preferences
    moving up (ranks shared with a struck candidate stay shared among the others)."""
    if not profile.withdrawn:
        return profile
    ballots = profile.ballots
    struck = np.isin(ballots, np.fromiter(profile.withdrawn, dtype=np.int16))
    keep = (ballots != NO_CANDIDATE) & ~struck
    order = np.argsort(~keep, axis=1, kind="stable")  # kept positions first, in order
    rows = np.arange(ballots.shape[0])[:, None]
    kept = np.take_along_axis(keep, order, axis=1)
    new = np.where(kept, np.take_along_axis(ballots, order, axis=1), NO_CANDIDATE)
    tied = None
    if profile.tied is not None:
        # group[i, j]: which rank position j of row i belongs to (ranks counted from 0).
        group = np.zeros(ballots.shape, dtype=np.int64)
        group[:, 1:] = np.cumsum(~profile.tied[:, :-1], axis=1)
        moved = group[rows, order]
        tied = np.zeros(ballots.shape, dtype=np.bool_)
        tied[:, :-1] = kept[:, 1:] & (moved[:, :-1] == moved[:, 1:])
        if not tied.any():
            tied = None
    return RankedProfile(
        profile.candidates,
        new.astype(np.int16),
        profile.counts,
        tied,
        profile.withdrawn,
        profile.title,
        profile.seats,
        _checked=True,
    )


def _single_round(
    method: str,
    candidates: tuple[str, ...],
    withdrawn: frozenset[int],
    tallies: NDArray[np.int64],
    seats: int,
    seed: int | None,
    action: str,
    note: str,
) -> CountResult:
    lots = Lots(seed)
    electable = [c not in withdrawn for c in range(len(candidates))]
    elected, ties = elect_top(candidates, tallies, seats, lots, electable=electable)
    count = Round(
        number=1,
        action=action,
        tallies={name: int(tallies[c]) for c, name in enumerate(candidates)},
        elected=elected,
        note=note,
    )
    return CountResult(
        method=method,
        seats=seats,
        candidates=candidates,
        elected=elected,
        rounds=(count,),
        ties=ties,
        seed=seed if lots.drawn else None,
        details={"withdrawn": [candidates[c] for c in sorted(withdrawn)]} if withdrawn else {},
    )


def _exact(sums: NDArray[Any], bound: int) -> NDArray[np.int64]:
    """Weighted bincount sums (float64) as integers; exact while every sum < 2**53."""
    if bound >= 2**53:
        raise CountError("too many votes to count exactly in this method (2**53 or more)")
    exact: NDArray[np.int64] = np.rint(sums).astype(np.int64)
    return exact
