"""Elections of delegates and committees, and recall votes, as they are recorded."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from smolny.domain.apportionment import DivisorMethod, Quota, Tie, TieError, resolve_tie
from smolny.domain.errors import InvalidInput, Unresolved
from smolny.domain.seat_rules import DivisorRule, QuotaRule, SeatRule, TieBreak, namer

K = TypeVar("K", bound=Hashable)


class ElectionKind(StrEnum):
    DELEGATES = "delegates"  # a constituency elects its delegates to a council
    BY_ELECTION = "by-election"  # a constituency fills a vacant seat
    COMMITTEE = "committee"  # a council elects a committee


class ElectionMethod(StrEnum):
    PLURALITY = "plurality"  # the candidates with the most votes
    DHONDT = "dhondt"  # party lists, divisors 1, 2, 3, ...
    SAINTE_LAGUE = "sainte-lague"  # party lists, divisors 1, 3, 5, ...
    HARE = "hare"  # party lists, Hare quota and largest remainders
    # Ranked ballots over candidates, counted by smolny.voting:
    IRV = "irv"  # instant runoff, one seat
    SCOTTISH_STV = "scottish-stv"  # single transferable vote, Scottish rules
    MEEK_STV = "meek-stv"  # single transferable vote, Meek's method
    SCHULZE = "schulze"  # Condorcet: the Schulze ranking's top candidates
    RANKED_PAIRS = "ranked-pairs"  # Condorcet: Tideman's ranked pairs


RANKED_METHODS = frozenset(
    {
        ElectionMethod.IRV,
        ElectionMethod.SCOTTISH_STV,
        ElectionMethod.MEEK_STV,
        ElectionMethod.SCHULZE,
        ElectionMethod.RANKED_PAIRS,
    }
)
LIST_METHODS = frozenset({ElectionMethod.DHONDT, ElectionMethod.SAINTE_LAGUE, ElectionMethod.HARE})

METHOD_NAMES = {
    ElectionMethod.PLURALITY: "plurality",
    ElectionMethod.DHONDT: "D'Hondt",
    ElectionMethod.SAINTE_LAGUE: "Sainte-Laguë",
    ElectionMethod.HARE: "Hare quota",
    ElectionMethod.IRV: "instant runoff",
    ElectionMethod.SCOTTISH_STV: "STV (Scottish rules)",
    ElectionMethod.MEEK_STV: "STV (Meek)",
    ElectionMethod.SCHULZE: "Schulze",
    ElectionMethod.RANKED_PAIRS: "ranked pairs",
}


@dataclass(frozen=True)
class Election:
    id: int
    council_id: int
    constituency_id: int | None
    kind: ElectionKind
    method: ElectionMethod
    seats: int
    held_at: datetime
    # What a person needs to check the count: the tallies, the seats per list, the ties.
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecallVote:
    id: int
    mandate_id: int
    constituency_id: int
    held_at: datetime
    votes_for: int
    votes_against: int
    abstentions: int
    electorate: int
    rule: str
    carried: bool


@dataclass(frozen=True)
class CandidateTally:
    """Votes for one candidate in a plurality count."""

    member_id: int
    votes: int


@dataclass(frozen=True)
class RankedBallot:
    """A ranking of candidates (member ids, most preferred first) and how many cast it."""

    ranking: tuple[int, ...]
    count: int = 1


@dataclass(frozen=True)
class ListTally:
    """Votes for a faction's list, and its candidates in the order they take seats.

    For a committee, `votes` may be None: the faction's strength is then its seats in the
    electing council.
    """

    faction_id: int
    candidates: tuple[int, ...]
    votes: int | None = None


def list_rule(method: ElectionMethod, seats: int) -> SeatRule:
    """The seat rule that shares `seats` among lists by `method`."""
    match method:
        case ElectionMethod.DHONDT:
            return DivisorRule(DivisorMethod.DHONDT, seats)
        case ElectionMethod.SAINTE_LAGUE:
            return DivisorRule(DivisorMethod.SAINTE_LAGUE, seats)
        case ElectionMethod.HARE:
            return QuotaRule(Quota.HARE, seats)
    raise InvalidInput(f"{method.value} is not a party-list method", field="method")


@dataclass(frozen=True)
class Selection(Generic[K]):
    elected: tuple[K, ...]  # most votes first
    ties: tuple[Tie[K], ...]


def plurality(
    tallies: Mapping[K, int],
    seats: int,
    ties: TieBreak = TieBreak(),
    names: Mapping[K, str] | None = None,
) -> Selection[K]:
    """The `seats` candidates with the most votes; a tie at the last seat goes by `ties`."""
    if seats < 0:
        raise InvalidInput("seats cannot be negative", field="seats")
    ranked = sorted(tallies, key=lambda k: -tallies[k])  # stable: input order among equals
    if seats >= len(ranked):
        return Selection(tuple(ranked), ())
    if seats == 0:
        return Selection((), ())
    cutoff = tallies[ranked[seats - 1]]
    ahead = [k for k in ranked if tallies[k] > cutoff]
    level = [k for k in ranked if tallies[k] == cutoff]
    remaining = seats - len(ahead)
    if len(level) == remaining:
        return Selection(tuple(ahead + level), ())
    try:
        tie = resolve_tie(
            level,
            remaining,
            seat=len(ahead) + 1,
            weights=tallies,
            rules=ties.rules,
            order=ties.order,
            seed=ties.seed,
            house=seats,
        )
    except TieError as error:
        raise Unresolved(error.describe(namer(names))) from error
    return Selection(tuple(ahead) + tie.winners, (tie,))
