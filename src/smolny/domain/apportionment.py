"""Apportionment: how many seats each party gets, in exact arithmetic, with no hidden ties.

A *party* is whatever receives seats: a constituency weighted by its members, a faction
weighted by its votes. Weights are non-negative integers; every comparison is made on
integers (cross-multiplied quotients), never on floats, so two quotients are equal exactly
when they are equal on paper.

Methods
-------
Divisor methods (:func:`divisor`) hand out seats one at a time to the party whose weight
divided by its next divisor is highest; ``s`` is the number of seats the party already holds.

* ``dhondt`` (Jefferson, D'Hondt): divisors 1, 2, 3, ... i.e. ``s + 1``.
* ``sainte-lague`` (Webster, Sainte-Laguë): divisors 1, 3, 5, ... i.e. ``s + 1/2``.
* ``modified-sainte-lague``: first divisor 1.4, then 3, 5, 7, ... (a small party's first
  seat costs more).
* ``huntington-hill``: divisor ``sqrt(s(s + 1))``; compared exactly through the squared
  priority ``w² / (s(s + 1))``.
* ``adams``: divisor ``s``.

For Huntington-Hill and Adams the first divisor is 0: every party with a positive weight has
an infinite claim to its first seat, so all of them get one before anyone gets a second. If
there are more such parties than seats, they are *tied* (the method does not rank infinite
claims); the tie rules decide, e.g. :attr:`TieRule.LARGEST`.

Largest remainder (:func:`largest_remainder`): each party gets the whole number of quotas
its weight contains; the seats left over go to the largest remainders.

* ``hare`` (Hamilton): quota ``total / seats`` (a fraction).
* ``droop``: quota ``floor(total / (seats + 1)) + 1``.

Also :func:`ratio` ("one delegate per N members, at least one") and :func:`fixed`.

Ties
----
A tie counts only when it changes the outcome: if k parties share the highest claim and k
seats or more are still to give, each gets one and nothing is recorded. Otherwise a
:class:`Tie` is settled by the stated ``tie_rules``, tried in order; if none is stated, or
those stated leave it undecided, :class:`TieError` is raised. Nothing is settled silently
(not even by input order).

Thresholds
----------
``threshold`` is a fraction of the total weight of all parties: a party whose weight is
strictly below it is excluded (0 seats, listed in ``excluded``) before anything is counted.
The quota of a largest-remainder count is then computed on the weight of the remaining
parties. ``minimum`` seats (divisor methods) are given to every party not excluded.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any, Generic, TypeVar, assert_never

K = TypeVar("K", bound=Hashable)

__all__ = [
    "Apportionment",
    "DivisorMethod",
    "K",
    "Quota",
    "Tie",
    "TieError",
    "TieRule",
    "divisor",
    "fixed",
    "largest_remainder",
    "ratio",
    "resolve_tie",
]


class DivisorMethod(StrEnum):
    DHONDT = "dhondt"  # Jefferson / D'Hondt: divisors 1, 2, 3, ...
    SAINTE_LAGUE = "sainte-lague"  # Webster / Sainte-Laguë: 1, 3, 5, ... (s + 1/2)
    MODIFIED_SAINTE_LAGUE = "modified-sainte-lague"  # 1.4, then 3, 5, 7, ...
    HUNTINGTON_HILL = "huntington-hill"  # sqrt(s(s + 1)); a first seat to every party
    ADAMS = "adams"  # s; a first seat to every party


class Quota(StrEnum):
    HARE = "hare"  # total / seats (Hamilton, Hare largest remainder)
    DROOP = "droop"  # floor(total / (seats + 1)) + 1


class TieRule(StrEnum):
    LARGEST = "largest"  # the tied party with the larger weight wins; equal weights stay tied
    ORDER = "order"  # a precedence list stated by the caller: first in the list wins
    LOT = "lot"  # drawing of lots with random.Random(seed); the seed must be given


@dataclass(frozen=True)
class Tie(Generic[K]):
    """Parties with an equal claim to fewer seats than there are of them."""

    seat: int  # 1-based number of the first contested seat in the allocation order
    tied: tuple[K, ...]  # every party in the tie, in input order
    seats_at_stake: int  # how many seats the tied parties compete for (fewer than len(tied))
    # The rule that settled it: the last one applied, when an earlier rule (e.g. LARGEST)
    # only narrowed the field. None only inside TieError.
    resolved_by: TieRule | None
    winners: tuple[K, ...]  # who got the contested seats, in input order (empty in TieError)


@dataclass(frozen=True)
class Apportionment(Generic[K]):
    method: str  # "dhondt", "sainte-lague", ..., "hare", "droop", "ratio", "fixed"
    seats: dict[K, int]  # every input party, in input order, including zeros
    ties: tuple[Tie[K], ...]  # every tie met and how it was settled
    excluded: tuple[K, ...] = ()  # parties excluded by a threshold, in input order

    @property
    def total(self) -> int:
        return sum(self.seats.values())


class TieError(Exception):
    """A tie the stated rules do not settle.

    ``tie`` is the tie as met (``resolved_by=None``, ``winners=()``); ``undecided`` are the
    parties still tied after the stated rules, who compete for ``seats_undecided`` seats.
    """

    def __init__(
        self,
        tie: Tie[Any],
        *,
        house: int | None = None,
        rules: Sequence[TieRule] = (),
        undecided: tuple[Any, ...] | None = None,
        seats_undecided: int | None = None,
    ) -> None:
        self.tie = tie
        self.house = house
        self.rules = tuple(rules)
        self.undecided: tuple[Any, ...] = tie.tied if undecided is None else undecided
        self.seats_undecided = tie.seats_at_stake if seats_undecided is None else seats_undecided
        super().__init__(self.describe())

    def describe(self, name: Callable[[Any], str] = repr) -> str:
        """The message, naming each party by `name` (a party's key by default)."""
        tie = self.tie
        of_house = "" if self.house is None else f" of {self.house}"
        message = (
            f"tie for seat {tie.seat}{of_house} between {_names(tie.tied, name)} "
            f"({_seats(tie.seats_at_stake)} for {len(tie.tied)} parties); "
        )
        if self.rules:
            tried = ", ".join(r.value for r in self.rules)
            message += (
                f"after the tie rules ({tried}) {_names(self.undecided, name)} are still tied "
                f"for {_seats(self.seats_undecided)}; state a further tie rule"
            )
        else:
            message += "state a tie rule"
        return message


# --- divisor methods -----------------------------------------------------------------------


def divisor(
    weights: Mapping[K, int],
    seats: int,
    method: DivisorMethod,
    *,
    minimum: int = 0,
    threshold: Fraction | None = None,
    tie_rules: Sequence[TieRule] = (),
    order: Sequence[K] = (),
    seed: int | None = None,
) -> Apportionment[K]:
    """Apportion `seats` by a divisor method, seat by seat, highest claim first.

    Every party not excluded by `threshold` first gets `minimum` seats (weight 0 included:
    "at least one delegate per constituency"); the rest follow the method with ``s`` counted
    from the minimum. A party of weight 0 gets no seat beyond the minimum.

    Ties are settled by `tie_rules` in turn (``order`` must then list every party; ``seed``
    is needed for ``lot``); a tie they leave undecided raises :class:`TieError`. Invalid
    input is a ValueError (a TypeError for non-integers), raised before any counting.
    """
    method = DivisorMethod(method)
    keys, values = _read_weights(weights)
    ties = _TieBreaker(keys, values, tie_rules, order, seed, house=seats)
    _check_count("seats", seats)
    _check_count("minimum", minimum)
    if not keys and seats > 0:
        raise ValueError(f"no parties to apportion {_seats(seats)} among")
    excluded = _below_threshold(keys, values, threshold)
    taking = [i for i in range(len(keys)) if i not in excluded]
    if minimum * len(taking) > seats:
        raise ValueError(
            f"a minimum of {_seats(minimum)} for each of {len(taking)} parties needs "
            f"{minimum * len(taking)} seats, but there are only {seats}"
        )
    held = [0] * len(keys)
    for i in taking:
        held[i] = minimum
    given = minimum * len(taking)
    heap = [_Claim(*_priority(method, values[i], held[i]), i) for i in taking if values[i] > 0]
    if given < seats and not heap:
        raise ValueError(
            f"no party with a positive weight{' above the threshold' if excluded else ''} "
            f"to take the {_seats(seats - given)} left"
        )
    heapq.heapify(heap)

    found: list[Tie[K]] = []
    while given < seats:
        top = heapq.heappop(heap)
        level = [top]
        while heap and heap[0].level_with(top):
            level.append(heapq.heappop(heap))
        left = seats - given
        if len(level) <= left:
            for claim in level:
                i = claim.index
                held[i] += 1
                heapq.heappush(heap, _Claim(*_priority(method, values[i], held[i]), i))
            given += len(level)
            continue
        tie, won = ties.settle(sorted(c.index for c in level), left, seat=given + 1)
        for i in won:
            held[i] += 1
        found.append(tie)
        given = seats

    return Apportionment(
        method=method.value,
        seats=dict(zip(keys, held, strict=True)),
        ties=tuple(found),
        excluded=tuple(keys[i] for i in sorted(excluded)),
    )


class _Claim:
    """A party's claim to its next seat: the priority num/den (den 0: an infinite claim).

    Ordered so that the highest claim comes first in a heap; equal claims by input position
    (which only keeps the heap deterministic: equal claims are always popped together).
    """

    __slots__ = ("den", "index", "num")

    def __init__(self, num: int, den: int, index: int) -> None:
        self.num = num  # > 0 (parties of weight 0 never enter the heap)
        self.den = den  # >= 0
        self.index = index

    def __lt__(self, other: _Claim) -> bool:
        mine = self.num * other.den
        theirs = other.num * self.den
        if mine != theirs:
            return mine > theirs
        return self.index < other.index

    def level_with(self, other: _Claim) -> bool:
        return self.num * other.den == other.num * self.den


def _priority(method: DivisorMethod, weight: int, held: int) -> tuple[int, int]:
    """The claim of a party of `weight` holding `held` seats, as (numerator, denominator).

    All parties are on the same scale for a given method, which is all that matters.
    """
    match method:
        case DivisorMethod.DHONDT:
            return weight, held + 1
        case DivisorMethod.SAINTE_LAGUE:  # w / (s + 1/2) = 2w / (2s + 1)
            return 2 * weight, 2 * held + 1
        case DivisorMethod.MODIFIED_SAINTE_LAGUE:  # on the 1, 3, 5 scale: 7/5, 3, 5, ...
            return (5 * weight, 7) if held == 0 else (weight, 2 * held + 1)
        case DivisorMethod.HUNTINGTON_HILL:  # (w / sqrt(s(s+1)))² = w² / (s(s+1))
            return weight * weight, held * (held + 1)
        case DivisorMethod.ADAMS:
            return weight, held
        case _:
            assert_never(method)


# --- largest remainder ---------------------------------------------------------------------


def largest_remainder(
    weights: Mapping[K, int],
    seats: int,
    quota: Quota = Quota.HARE,
    *,
    threshold: Fraction | None = None,
    tie_rules: Sequence[TieRule] = (),
    order: Sequence[K] = (),
    seed: int | None = None,
) -> Apportionment[K]:
    """Apportion `seats` by whole quotas, then the largest remainders.

    The quota is computed on the weight of the parties not excluded by `threshold`. Each
    party gets at most one remainder seat, and a party of weight 0 never gets one.

    The Droop quota exceeds ``total / (seats + 1)``, so the whole quotas never exceed the
    seats; but when the total weight is small next to the number of seats (below about
    ``seats * (seats + 1)``) they can fall so short that more seats are left than there are
    parties to take them. That is a ValueError: use the Hare quota or a divisor method.

    Ties between equal remainders at the boundary, tie rules and validation: as
    :func:`divisor`.
    """
    quota = Quota(quota)
    keys, values = _read_weights(weights)
    ties = _TieBreaker(keys, values, tie_rules, order, seed, house=seats)
    _check_count("seats", seats)
    if not keys and seats > 0:
        raise ValueError(f"no parties to apportion {_seats(seats)} among")
    excluded = _below_threshold(keys, values, threshold)
    taking = [i for i in range(len(keys)) if i not in excluded and values[i] > 0]
    total = sum(values[i] for i in taking)
    if seats > 0 and total == 0:
        raise ValueError(
            f"no party with a positive weight{' above the threshold' if excluded else ''} "
            f"to take {_seats(seats)}"
        )
    held = [0] * len(keys)
    remainder = [0] * len(keys)
    found: list[Tie[K]] = []
    if seats > 0:
        size = Fraction(total, seats) if quota is Quota.HARE else total // (seats + 1) + 1
        for i in taking:
            if quota is Quota.HARE:
                # w / (total / seats) = w * seats / total; remainders are compared on the
                # common scale 1/seats, i.e. as the integers (w * seats) mod total.
                held[i], remainder[i] = divmod(values[i] * seats, total)
            else:
                held[i], remainder[i] = divmod(values[i], int(size))
        given = sum(held)
        left = seats - given
        if left > len(taking):
            raise ValueError(
                f"the {quota.value} quota ({size}) leaves {_seats(left)} "
                f"after the whole quotas but only {len(taking)} parties to take them: the total "
                f"weight ({total}) is too small for {seats} seats; use the Hare quota or a "
                f"divisor method"
            )
        if left > 0:
            ranked = sorted(taking, key=lambda i: (-remainder[i], i))
            cut = remainder[ranked[left - 1]]
            above = [i for i in taking if remainder[i] > cut]
            level = [i for i in taking if remainder[i] == cut]
            if len(above) + len(level) <= left:
                winners = above + level
            else:
                tie, won = ties.settle(level, left - len(above), seat=given + len(above) + 1)
                found.append(tie)
                winners = above + won
            for i in winners:
                held[i] += 1
    return Apportionment(
        method=quota.value,
        seats=dict(zip(keys, held, strict=True)),
        ties=tuple(found),
        excluded=tuple(keys[i] for i in sorted(excluded)),
    )


# --- fixed rules ---------------------------------------------------------------------------


def ratio(
    weights: Mapping[K, int], per: int, *, minimum: int = 1, maximum: int | None = None
) -> Apportionment[K]:
    """One seat per `per` of weight (rounded down), at least `minimum`, at most `maximum`.

    A party of weight 0 gets no seat. No ties can arise.
    """
    keys, values = _read_weights(weights)
    if isinstance(per, bool) or not isinstance(per, int) or per < 1:
        raise ValueError(f"per must be a whole number of at least 1, got {per!r}")
    _check_count("minimum", minimum)
    if maximum is not None:
        _check_count("maximum", maximum)
        if minimum > maximum:
            raise ValueError(f"minimum ({minimum}) is greater than maximum ({maximum})")
    held: dict[K, int] = {}
    for key, weight in zip(keys, values, strict=True):
        count = 0
        if weight > 0:
            count = max(weight // per, minimum)
            if maximum is not None:
                count = min(count, maximum)
        held[key] = count
    return Apportionment(method="ratio", seats=held, ties=())


def fixed(
    parties: Sequence[K] | Mapping[K, int], seats_each: int | None = None
) -> Apportionment[K]:
    """Fixed seats: a mapping party -> seats, or `seats_each` for every party of a sequence."""
    if isinstance(parties, Mapping):
        if seats_each is not None:
            raise ValueError("give either a mapping of seats or seats_each, not both")
        held: dict[K, int] = {}
        for key, count in parties.items():
            _check_count(f"seats of {key!r}", count)
            held[key] = count
        return Apportionment(method="fixed", seats=held, ties=())
    if seats_each is None:
        raise ValueError("seats_each is required when the parties are given as a sequence")
    _check_count("seats_each", seats_each)
    held = {}
    for key in parties:
        if key in held:
            raise ValueError(f"party {key!r} is listed twice")
        held[key] = seats_each
    return Apportionment(method="fixed", seats=held, ties=())


# --- ties on their own ----------------------------------------------------------------------


def resolve_tie(
    tied: Sequence[K],
    seats: int,
    *,
    seat: int,
    weights: Mapping[K, int],
    rules: Sequence[TieRule] = (),
    order: Sequence[K] = (),
    seed: int | None = None,
    house: int | None = None,
) -> Tie[K]:
    """Settle a tie met outside this module (e.g. candidates level on votes for the last seat).

    `tied` are the parties with an equal claim (kept in the given order), `seats` how many
    of them can have a seat (fewer than them), `seat` the number of the first contested seat
    and `house` the seats in all (for the message only). `weights` serve the rule LARGEST;
    `order` must list every tied party when ORDER is a rule. Raises TieError when the rules
    leave it undecided, ValueError on invalid input.
    """
    keys = list(tied)
    for n, key in enumerate(keys):
        if key in keys[:n]:
            raise ValueError(f"party {key!r} is listed twice among the tied")
        if key not in weights:
            raise ValueError(f"no weight for the tied party {key!r}")
    _, values = _read_weights({key: weights[key] for key in keys})
    breaker = _TieBreaker(keys, values, rules, order, seed, house=house)
    _check_count("seats", seats)
    if seats >= len(keys):
        raise ValueError(f"not a tie: {_seats(seats)} for {len(keys)} parties; each can have one")
    if isinstance(seat, bool) or not isinstance(seat, int) or seat < 1:
        raise ValueError(f"seat must be a seat number from 1, got {seat!r}")
    tie, _ = breaker.settle(list(range(len(keys))), seats, seat=seat)
    return tie


# --- shared --------------------------------------------------------------------------------


class _TieBreaker(Generic[K]):
    """Validates the tie rules at call time and settles the ties met during the count."""

    def __init__(
        self,
        keys: list[K],
        values: list[int],
        rules: Sequence[TieRule],
        order: Sequence[K],
        seed: int | None,
        *,
        house: int | None,
    ) -> None:
        # A bare TieRule is a str, hence a sequence of letters: take it as one rule.
        given: Sequence[str] = (rules,) if isinstance(rules, str) else rules
        self.rules = tuple(TieRule(r) for r in given)
        self.keys = keys
        self.values = values
        self.house = house
        self.rank: dict[int, int] = {}
        self.rng: random.Random | None = None
        if TieRule.ORDER in self.rules:
            if not order:
                raise ValueError("the tie rule 'order' needs the precedence list `order`")
            place: dict[K, int] = {}
            for n, key in enumerate(order):
                if key in place:
                    raise ValueError(f"party {key!r} appears twice in the tie order")
                place[key] = n
            missing = [k for k in keys if k not in place]
            if missing:
                raise ValueError(f"the tie order does not list {_names(tuple(missing))}")
            self.rank = {i: place[k] for i, k in enumerate(keys)}
        if TieRule.LOT in self.rules:
            if seed is None:
                raise ValueError("the tie rule 'lot' needs a seed, to be recorded with the result")
            if isinstance(seed, bool) or not isinstance(seed, int):
                raise TypeError(f"the seed must be an integer, got {seed!r}")
            self.rng = random.Random(seed)

    def settle(self, tied: list[int], at_stake: int, *, seat: int) -> tuple[Tie[K], list[int]]:
        """Give `at_stake` seats among the `tied` parties (input positions, ascending).

        Returns the tie as settled and the positions of the winners.
        """
        pending = list(tied)
        needed = at_stake
        won: list[int] = []
        decided_by: TieRule | None = None
        for rule in self.rules:
            if rule is TieRule.LOT:
                assert self.rng is not None  # checked in __init__
                sure, pending = self.rng.sample(pending, needed), []
            elif rule is TieRule.LARGEST:
                sure, pending = _by_rank(pending, needed, lambda i: -self.values[i])
            else:
                sure, pending = _by_rank(pending, needed, self.rank.__getitem__)
            won += sure
            needed -= len(sure)
            if needed == 0:
                decided_by = rule
                break
        tie_keys = tuple(self.keys[i] for i in tied)
        if decided_by is None:
            raise TieError(
                Tie(seat, tie_keys, at_stake, None, ()),
                house=self.house,
                rules=self.rules,
                undecided=tuple(self.keys[i] for i in pending),
                seats_undecided=needed,
            )
        won.sort()
        return Tie(seat, tie_keys, at_stake, decided_by, tuple(self.keys[i] for i in won)), won


def _by_rank(
    pending: list[int], needed: int, rank: Callable[[int], int]
) -> tuple[list[int], list[int]]:
    """Who wins for sure by `rank` (lower is better), and who is still tied for the rest."""
    sure: list[int] = []
    for value in sorted({rank(i) for i in pending}):
        group = [i for i in pending if rank(i) == value]
        if len(group) > needed - len(sure):
            return sure, group
        sure += group
        if len(sure) == needed:
            break
    return sure, []


def _read_weights(weights: Mapping[K, int]) -> tuple[list[K], list[int]]:
    keys: list[K] = []
    values: list[int] = []
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise TypeError(f"the weight of {key!r} must be an integer, got {weight!r}")
        if weight < 0:
            raise ValueError(f"the weight of {key!r} is negative ({weight})")
        keys.append(key)
        values.append(weight)
    return keys, values


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def _below_threshold(keys: list[K], values: list[int], threshold: Fraction | None) -> set[int]:
    """Positions of the parties whose weight is strictly below `threshold` of the total."""
    if threshold is None:
        return set()
    if isinstance(threshold, bool) or not isinstance(threshold, (int, Fraction)):
        raise TypeError(
            f"the threshold must be a Fraction (e.g. Fraction(5, 100)), got {threshold!r}"
        )
    share = Fraction(threshold)
    if not 0 <= share <= 1:
        raise ValueError(f"the threshold must be between 0 and 1, got {share}")
    total = sum(values)
    return {
        i for i, weight in enumerate(values) if weight * share.denominator < share.numerator * total
    }


def _names(keys: tuple[Any, ...], name: Callable[[Any], str] = repr) -> str:
    names = [name(k) for k in keys]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _seats(n: int) -> str:
    return f"{n} seat" if n == 1 else f"{n} seats"
