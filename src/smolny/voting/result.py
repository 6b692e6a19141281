"""What a count returns: who was elected, and every round and tie, checkable by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tie:
    """A tie the count met, and how the method's own rule decided it."""

    round: int  # the round in which it was met (1-based)
    between: tuple[str, ...]  # the tied candidates (or parties)
    decides: str  # what it decided: "exclusion", "election", "surplus order", "seat", ...
    resolved_by: str  # e.g. "earlier round 2", "lot (seed 1917)", "candidate order"
    chosen: tuple[str, ...]  # who the rule picked


@dataclass(frozen=True)
class Round:
    """One round (stage) of a count. Vote values are integers in units of 1/scale votes,
    where `scale` is the result's (1 for whole votes, 100000 for Scottish STV)."""

    number: int
    action: str  # what happened, in words: "first preferences", "surplus of X", ...
    tallies: Mapping[str, int]  # votes per continuing or elected candidate after the round
    transfers: Mapping[str, int] = field(default_factory=dict)  # moved in this round, by recipient
    exhausted: int = 0  # weight exhausted so far (no further preference), cumulative
    lost: int = 0  # weight lost to truncation so far, cumulative
    elected: tuple[str, ...] = ()  # elected in this round
    excluded: tuple[str, ...] = ()  # excluded in this round
    quota: int | None = None
    note: str = ""  # why: the rule applied, in words


@dataclass(frozen=True)
class CountResult:
    method: str
    seats: int
    candidates: tuple[str, ...]
    elected: tuple[str, ...]  # in order of election
    rounds: tuple[Round, ...] = ()
    ties: tuple[Tie, ...] = ()
    scale: int = 1
    seed: int | None = None  # the seed lots were drawn from, when a lot was drawn
    details: Mapping[str, Any] = field(default_factory=dict)  # method-specific (matrices...)

    def votes(self, value: int) -> float | int:
        """A round value in votes (exact in decimal: scale is a power of ten)."""
        return value if self.scale == 1 else value / self.scale

    def to_json(self) -> dict[str, Any]:
        """{"method", "seats", "candidates", "elected", "rounds", "ties"} and the rest."""
        rounds = [
            {
                "round": r.number,
                "action": r.action,
                "tallies": {k: self.votes(v) for k, v in r.tallies.items()},
                "transfers": {k: self.votes(v) for k, v in r.transfers.items()},
                "exhausted": self.votes(r.exhausted),
                "lost": self.votes(r.lost),
                "elected": list(r.elected),
                "excluded": list(r.excluded),
                "quota": None if r.quota is None else self.votes(r.quota),
                "note": r.note,
            }
            for r in self.rounds
        ]
        ties = [
            {
                "round": t.round,
                "between": list(t.between),
                "decides": t.decides,
                "resolved_by": t.resolved_by,
                "chosen": list(t.chosen),
            }
            for t in self.ties
        ]
        document: dict[str, Any] = {
            "method": self.method,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "elected": list(self.elected),
            "rounds": rounds,
            "ties": ties,
        }
        if self.seed is not None:
            document["seed"] = self.seed
        if self.details:
            document["details"] = _plain(self.details)
        return document


def _plain(value: Any) -> Any:
    """numpy scalars and arrays to JSON-ready values."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in value]
    return value


class CountError(ValueError):
    """A count that cannot be made as asked (seats, candidates, a method's preconditions)."""
