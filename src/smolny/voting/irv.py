"""Instant runoff (the alternative vote): one seat, the lowest excluded until someone holds
a majority of the votes still in the count.

Rules, as this count applies them:

* Each ballot counts for its highest-ranked continuing candidate. Withdrawn candidates are
  passed over as if they were not on the ballot.
* A candidate holding more than half of the continuing votes (the votes held by continuing
  candidates; exhausted ballots no longer count) is elected.
* Otherwise the candidate with the fewest votes is excluded and their ballots pass to each
  ballot's next continuing preference. One candidate is excluded a round.
* Equal lowest: the one with fewer votes at the most recent earlier round at which the tied
  candidates' votes differed is excluded (the usual rule: fewer votes in the round before);
  equal at every round: by lot from the seed, recorded.
* Overvotes: a ballot whose highest-ranked continuing preference is a tie (two or more
  continuing candidates at one rank) counts for no one from that point on: it is exhausted,
  and stays exhausted even if the tie later resolves (Burlington's 2009 count did so).
"""

from __future__ import annotations

import numpy as np

from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult, Round, Tie
from smolny.voting.ties import Lots
from smolny.voting.transfers import Piles, break_tie, check_count, prepare

OVERVOTE_NOTE = (
    "a ballot whose highest continuing preference is a tie counts for no one from then on"
)


def instant_runoff(profile: RankedProfile, *, seed: int | None = None) -> CountResult:
    """Count one seat by instant runoff; every round and tie recorded (see the module)."""
    eligible = check_count(profile, None)
    names = profile.candidates
    continuing = np.zeros(len(names), dtype=np.bool_)
    continuing[eligible] = True
    piles = Piles(prepare(profile), continuing, 1)
    if piles.first.exhausted == profile.total:
        raise CountError("no ballot gives a usable first preference")
    exhausted = piles.first.exhausted
    lots = Lots(seed)
    history: list[dict[int, int]] = []
    rounds: list[Round] = []
    ties: list[Tie] = []
    action, note = "first preferences", ""
    excluded: tuple[str, ...] = ()
    transfers: dict[str, int] = {}
    if exhausted:
        note = f"{exhausted} ballot(s) with no usable first preference ({OVERVOTE_NOTE}). "
    winner: int | None = None
    while True:
        number = len(rounds) + 1
        tally = piles.tally
        live = [c for c in eligible if continuing[c]]
        history.append({c: tally[c] for c in live})
        active = sum(tally[c] for c in live)
        needed = active // 2 + 1
        best = max(live, key=lambda c: tally[c])
        if tally[best] >= needed or len(live) == 1:
            winner = best
            why = (
                f"{names[best]} has {tally[best]} of {active} continuing votes, a majority"
                if tally[best] >= needed
                else f"{names[best]} is the only continuing candidate"
            )
            note += why + " (elected)."
        rounds.append(
            Round(
                number,
                action,
                {names[c]: tally[c] for c in live},
                transfers,
                exhausted,
                0,
                (names[winner],) if winner is not None else (),
                excluded,
                needed,
                note.strip(),
            )
        )
        if winner is not None:
            break
        # Exclude the lowest continuing candidate.
        low = min(tally[c] for c in live)
        tied = [c for c in live if tally[c] == low]
        note = ""
        if len(tied) > 1:
            out, how = break_tie(
                tied, history, lots, lowest=True, names=names, what="the exclusion"
            )
            ties.append(
                Tie(
                    number + 1,
                    tuple(names[c] for c in tied),
                    "exclusion",
                    how,
                    (names[out],),
                )
            )
            note = f"Equal lowest, decided by {how}. "
        else:
            out = tied[0]
        continuing[out] = False
        rows = piles.take(out)
        moved = piles.place(rows, piles.advance(rows, continuing))
        exhausted += moved.exhausted
        transfers = {names[c]: v for c, v in sorted(moved.to.items())}
        transfers["non-transferable"] = moved.exhausted
        action, excluded = f"exclusion of {names[out]}", (names[out],)
        note += (
            f"No majority: {names[out]}, lowest with {low} votes, excluded; their ballots"
            f" pass to each one's next continuing preference ({OVERVOTE_NOTE}). "
        )
    return CountResult(
        method="irv",
        seats=1,
        candidates=names,
        elected=(names[winner],),
        rounds=tuple(rounds),
        ties=tuple(ties),
        scale=1,
        seed=seed if lots.drawn else None,
        details={
            "ballots": profile.total,
            "tie_rule": "equal lowest: fewer votes at the most recent earlier round where "
            "they differed, then lot",
            "overvote_rule": OVERVOTE_NOTE,
        },
    )
