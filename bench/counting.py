"""Counting benchmark: Smolny beside pref_voting, VoteKit, pyrankvote and apportionment.

Every library counts the same ballots in the same run. Each gets its own input objects
built before the clock starts (except where a library does its method's work while
building them: pref_voting counts the pairwise margins when it builds a Profile, so its
Schulze time includes that). The check that every library elects the same candidates
runs before any time is reported.

    make bench                      # or: .venv/bin/python bench/counting.py
    .venv/bin/python bench/counting.py --sizes 100000 --quick

Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smolny.voting.methods import count_profile
from smolny.voting.party_list import dhondt_many
from smolny.voting.profile import RankedProfile

CANDIDATES = tuple(f"C{i}" for i in range(10))
# Plackett-Luce strengths: a clear order at the top, close contests below it.
STRENGTHS = np.array([3.0, 2.6, 2.3, 2.1, 2.0, 1.6, 1.5, 1.2, 1.0, 0.8])


def ballots(n: int, *, full: bool, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n ranked ballots over 10 candidates (Plackett-Luce), grouped: (rows, counts)."""
    rng = np.random.default_rng(seed)
    keys = np.log(STRENGTHS) + rng.gumbel(size=(n, len(STRENGTHS)))
    order = np.argsort(-keys, axis=1).astype(np.int16)
    if not full:
        lengths = rng.integers(1, len(STRENGTHS) + 1, size=n)
        order[np.arange(len(STRENGTHS)) >= lengths[:, None]] = -1
    rows, counts = np.unique(order, axis=0, return_counts=True)
    return rows, counts.astype(np.int64)


def rankings(rows: np.ndarray) -> list[list[int]]:
    return [[int(c) for c in row if c >= 0] for row in rows]


# -- adapters: prepare (untimed) and run (timed, returns the winners' indices) ------------


@dataclass
class Contender:
    library: str
    prepare: Callable[[np.ndarray, np.ndarray], Any]
    run: Callable[[Any], set[int]]
    prepare_is_work: bool = False  # the library does the method's work while preparing


def smolny(method: str, seats: int) -> Contender:
    def prepare(rows: np.ndarray, counts: np.ndarray) -> RankedProfile:
        return RankedProfile(CANDIDATES, rows, counts)

    def run(profile: RankedProfile) -> set[int]:
        result = count_profile(method, profile, seats, seed=1)
        return {CANDIDATES.index(name) for name in result.elected}

    return Contender("smolny", prepare, run)


def pref_voting(method: str, seats: int) -> Contender:
    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles import Profile
    from pref_voting.profiles_with_ties import ProfileWithTies
    from pref_voting.proportional_methods import stv_scottish

    def build(rows: np.ndarray, counts: np.ndarray) -> Any:
        if (rows >= 0).all():
            return Profile(rankings(rows), rcounts=counts.tolist())
        ranks = [{c: r for r, c in enumerate(ranking)} for ranking in rankings(rows)]
        profile = ProfileWithTies(ranks, rcounts=counts.tolist(), candidates=list(range(10)))
        profile.use_extended_strict_preference()
        return profile

    if method == "schulze":
        # Its Profile counts the margins when built: that is Schulze's work, so it is timed.
        return Contender(
            "pref_voting",
            lambda rows, counts: (rows, counts),
            lambda data: set(beat_path(build(*data))),
            prepare_is_work=True,
        )
    if method == "irv":
        return Contender("pref_voting", build, lambda p: set(instant_runoff(p)))
    return Contender("pref_voting", build, lambda p: set(stv_scottish(p, num_seats=seats, rng=1)))


def votekit(method: str, seats: int) -> Contender:
    from votekit.ballot import RankBallot
    from votekit.elections import FastSTV, Schulze
    from votekit.pref_profile import RankProfile

    def build(rows: np.ndarray, counts: np.ndarray) -> Any:
        return RankProfile(
            ballots=[
                RankBallot(ranking=[{CANDIDATES[c]} for c in ranking], weight=int(n))
                for ranking, n in zip(rankings(rows), counts, strict=True)
            ],
            candidates=list(CANDIDATES),
        )

    def run(profile: Any) -> set[int]:
        if method == "schulze":
            election: Any = Schulze(profile, n_seats=1)
        else:
            election = FastSTV(profile, n_seats=seats, tiebreak="random", rng_seed=1)
        return {CANDIDATES.index(c) for group in election.get_elected() for c in group}

    return Contender("votekit", build, run)


def pyrankvote(method: str, seats: int) -> Contender:
    import pyrankvote as prv

    people = [prv.Candidate(name) for name in CANDIDATES]

    def build(rows: np.ndarray, counts: np.ndarray) -> Any:
        # pyrankvote has no weights: one Ballot per voter, sharing objects per row.
        votes = []
        for ranking, n in zip(rankings(rows), counts, strict=True):
            ballot = prv.Ballot(ranked_candidates=[people[c] for c in ranking])
            votes.extend([ballot] * int(n))
        return votes

    def run(votes: Any) -> set[int]:
        if method == "irv":
            result = prv.instant_runoff_voting(people, votes)
        else:
            result = prv.single_transferable_vote(people, votes, number_of_seats=seats)
        return {CANDIDATES.index(c.name) for c in result.get_winners()}

    return Contender("pyrankvote", build, run)


# -- the run --------------------------------------------------------------------------------


@dataclass
class Row:
    task: str
    times: dict[str, float] = field(default_factory=dict)
    winners: dict[str, set[int]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = run()
        best = min(best, time.perf_counter() - start)
    return best, value


def ranked_task(
    name: str, method: str, seats: int, n: int, full: bool, contenders: list[Contender], repeat: int
) -> Row:
    rows, counts = ballots(n, full=full, seed=n + full)
    row = Row(f"{name}, {n:,} {'full' if full else 'truncated'}")
    for c in contenders:
        try:
            data = c.prepare(rows, counts)
            reps = repeat if c.library == "smolny" else max(1, repeat // 3)
            seconds, winners = timed(lambda c=c, data=data: c.run(data), reps)
        except Exception as error:  # a peer that cannot count this is reported, not fatal
            row.failures[c.library] = f"{type(error).__name__}: {error}"[:120]
            continue
        row.times[c.library] = seconds
        row.winners[c.library] = winners
    return row


def dhondt_task(constituencies: int, repeat: int) -> Row:
    from apportionment.methods import compute

    rng = np.random.default_rng(7)
    votes = rng.integers(1_000, 200_000, size=(constituencies, 8))
    seats = rng.integers(3, 40, size=constituencies)
    row = Row(f"D'Hondt, {constituencies:,} constituencies × 8 parties")
    seconds, ours = timed(lambda: dhondt_many(votes, seats).seats, repeat)
    row.times["smolny"] = seconds
    row.winners["smolny"] = {hash(np.asarray(ours).tobytes())}

    def peer() -> np.ndarray:
        return np.array(
            [
                compute("dhondt", list(v), int(s), verbose=False)
                for v, s in zip(votes, seats, strict=True)
            ]
        )

    seconds, theirs = timed(peer, max(1, repeat // 3))
    row.times["apportionment"] = seconds
    row.winners["apportionment"] = {
        hash(np.asarray(theirs, dtype=np.asarray(ours).dtype).tobytes())
    }
    return row


def report(rows: list[Row]) -> str:
    peers = ["pref_voting", "votekit", "pyrankvote", "apportionment"]
    lines = [
        "| count | smolny | " + " | ".join(peers) + " | fastest peer ÷ smolny | same winners |",
        "|---|---|" + "---|" * len(peers) + "---|---|",
    ]
    for row in rows:
        cells = []
        for peer in peers:
            if peer in row.times:
                cells.append(f"{row.times[peer] * 1000:,.1f} ms")
            elif peer in row.failures:
                cells.append("fails")
            else:
                cells.append("–")
        theirs = [row.times[p] for p in peers if p in row.times]
        ratio = f"{min(theirs) / row.times['smolny']:,.1f}×" if theirs else "–"
        same = len({frozenset(w) for w in row.winners.values()}) == 1
        lines.append(
            f"| {row.task} | {row.times['smolny'] * 1000:,.1f} ms | "
            + " | ".join(cells)
            + f" | {ratio} | {'yes' if same else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    parser.add_argument("--quick", action="store_true", help="skip the slowest peers")
    args = parser.parse_args()
    tasks: list[tuple[str, str, int, list[Contender]]] = [
        ("instant runoff", "irv", 1, []),
        ("STV, 3 seats (Scottish)", "scottish-stv", 3, []),
        ("Schulze", "schulze", 1, []),
    ]
    rows: list[Row] = []
    for name, method, seats, _ in tasks:
        contenders = [smolny(method, seats), pref_voting(method, seats), votekit(method, seats)]
        if method != "schulze":
            contenders.append(pyrankvote(method, seats))
        if args.quick:
            contenders = [c for c in contenders if c.library in ("smolny", "votekit")]
        for n in args.sizes:
            for full in (False, True):
                row = ranked_task(name, method, seats, n, full, contenders, args.repeat)
                rows.append(row)
                print(report([row]).splitlines()[-1], flush=True)
                for library, failure in row.failures.items():
                    print(f"    {library}: {failure}", flush=True)
    rows.append(dhondt_task(1_000, args.repeat))
    print()
    print(
        f"Machine: {platform.machine()}, {platform.processor() or platform.system()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    print(report(rows))
    disagreements = [r.task for r in rows if len({frozenset(w) for w in r.winners.values()}) > 1]
    if disagreements:
        print("\nWinners differ in: " + "; ".join(disagreements))
        for r in rows:
            if r.task in disagreements:
                print(f"  {r.task}: " + ", ".join(f"{k} {sorted(v)}" for k, v in r.winners.items()))


if __name__ == "__main__":
    main()
