"""`smolny verify`: the chain is intact and the tables are what the events say."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypeVar

from smolny.domain.ballots import BallotVoter, MemberBallot
from smolny.domain.catalog import RECORD_TYPES
from smolny.domain.elections import Election, RecallVote
from smolny.domain.federation import Constituency
from smolny.domain.projection import MemoryRecords
from smolny.domain.records import Record
from smolny.domain.sittings import Vote, Voter
from smolny.ledger.chain import BrokenChain, walk
from smolny.services.ballots import ballot_box_problems as member_ballot_problems
from smolny.services.sittings import ballot_box_problems
from smolny.store.repository import label
from smolny.store.uow import UnitOfWork
from smolny.voting.methods import count_profile
from smolny.voting.profile import RankedProfile

R = TypeVar("R")


@dataclass(frozen=True)
class Verification:
    events: int
    head: str
    bad_event: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_ledger(uow: UnitOfWork) -> Verification:
    """Recompute the hash chain, rebuild every table from the events in memory, compare;
    count elections' recorded ballots, secret votes' ballot boxes and member ballots' boxes
    again.

    Names the first bad event: the one altered or missing, or the last event that wrote a
    row which no longer matches.
    """
    with uow:
        head = uow.ledger.head()
        memory = MemoryRecords()
        count = 0
        try:
            for recorded in walk(uow.ledger.stored(), head):
                try:
                    memory.apply(recorded)
                except Exception as error:  # any failure to replay is a finding, not a crash
                    return Verification(
                        count,
                        head[1],
                        recorded.seq,
                        f"event #{recorded.seq} cannot be replayed: {error}",
                    )
                count += 1
        except BrokenChain as broken:
            return Verification(count, head[1], broken.seq, str(broken))
        findings: list[tuple[int, str]] = []
        for kind in RECORD_TYPES:
            expected = memory.tables[kind]
            stored = {r.id: r for r in uow.repo.all(kind)}
            for rid in sorted(expected.keys() | stored.keys()):
                writer = memory.written_by.get((kind, rid), 0)
                what = f"{label(kind)} {rid}"
                if rid not in stored:
                    findings.append((writer, f"{what} is missing from the tables"))
                elif rid not in expected:
                    findings.append((0, f"{what} is in the tables but no event created it"))
                elif stored[rid] != expected[rid]:
                    findings.append(
                        (writer, f"{what} differs: {_difference(stored[rid], expected[rid])}")
                    )
        for election in memory.tables[Election].values():
            assert isinstance(election, Election)
            problem = recount(election)
            if problem:
                writer = memory.written_by[(Election, election.id)]
                findings.append((writer, f"election {election.id}: {problem}"))
        # The ballot boxes of secret votes are no projection: recount them against the votes
        # as the ledger has them (a difference is in the tables, not in an event).
        ballot_problems = ballot_box_problems(
            uow,
            [v for v in memory.tables[Vote].values() if isinstance(v, Vote)],
            [v for v in memory.tables[Voter].values() if isinstance(v, Voter)],
        )
        findings.extend((0, text) for _, text in ballot_problems)
        # So are the boxes of member ballots: recount every closed one against the election
        # or recall vote its close recorded, and every box against its roll of voters.
        findings.extend(
            (0, text)
            for text in member_ballot_problems(
                uow,
                _records(memory, MemberBallot),
                _records(memory, BallotVoter),
                {e.id: e for e in _records(memory, Election)},
                {r.id: r for r in _records(memory, RecallVote)},
                {c.id: c for c in _records(memory, Constituency)},
            )
        )
        if findings:
            seq, text = min(findings, key=lambda f: f[0])
            where = f"event #{seq}" if seq else "the tables"
            more = f" ({len(findings) - 1} more differences)" if len(findings) > 1 else ""
            return Verification(count, head[1], seq or None, f"{where}: {text}{more}")
        return Verification(count, head[1])


def _records(memory: MemoryRecords, kind: type[R]) -> list[R]:
    return [r for r in memory.tables[kind].values() if isinstance(r, kind)]


def _difference(stored: Record, expected: Record) -> str:
    parts = []
    for f in fields(stored):
        a, b = getattr(stored, f.name), getattr(expected, f.name)
        if a != b:
            parts.append(f"{f.name} is {a!r} in the table, {b!r} by the ledger")
    return "; ".join(parts)


def recount(election: Election) -> str | None:
    """Count an election's recorded ballots again; say what differs from its record."""
    record = election.result
    if "ballots" not in record:
        return None
    candidates: list[str] = record["candidates"]
    ids: dict[str, int] = record["candidate_ids"]
    index = {ids[name]: i for i, name in enumerate(candidates)}
    try:
        profile = RankedProfile.from_rankings(
            candidates,
            [[index[member] for member in ranking] for _, ranking in record["ballots"]],
            [count for count, _ in record["ballots"]],
        )
        again = count_profile(
            election.method.value, profile, election.seats, seed=record.get("seed")
        ).to_json()
    except (KeyError, ValueError) as error:
        return f"its recorded ballots cannot be counted again ({error})"
    for key in ("elected", "rounds", "ties"):
        if again[key] != record.get(key):
            return f"counting its recorded ballots again gives other {key} than recorded"
    return None
