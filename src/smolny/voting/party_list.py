"""Party lists: seats shared among parties in proportion to their votes.

The arithmetic is the domain's (:mod:`smolny.domain.apportionment`: exact integers, every
tie found and settled by a stated rule); this module turns it into a `CountResult` a person
can check: the votes, the quotients that won seats, the seats in the order they were won.

Rules stated here:

* ``elected`` lists the seat winners in seat order: a party appears once for every seat it
  won. For divisor methods the seat order is the order of the winning quotients, highest
  first (equal quotients in the order the parties were given: nothing turns on it, except at
  the last seat, where a tie is decided and recorded). For largest remainders, the seats
  won by whole quotas come first, party by party from the most votes down, then the seats
  won by remainders, from the largest remainder down.
* ``threshold`` is a share of all votes (a `Fraction`); a party strictly below it is
  excluded before anything is counted, listed in the round's ``excluded``.
* Ties at the last seat. The published rules differ from law to law, e.g.:

  - D'Hondt: Spain (LOREG art. 163) gives the seat to the list with more votes in all and,
    between lists with equal votes, draws lots; Portugal gives it to the list with fewer
    votes; many other laws draw lots.
  - Sainte-Laguë: Germany (BWahlG § 6) draws lots.
  - Modified Sainte-Laguë: Norway gives the seat to the list with more votes, then draws
    lots; Sweden draws lots.
  - Largest remainders: many laws give an equal remainder to the party with more votes, and
    between parties with equal votes draw lots.

  By default a divisor method's ties are decided by lot (``TieRule.LOT``) and a largest
  remainder tie by the larger vote, then by lot (``TieRule.LARGEST``, ``TieRule.LOT``).
  Pass ``tie_rules`` to follow another law. A lot needs a seed, recorded with the result;
  without one a tie the other rules leave undecided stops the count with a `CountError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from smolny.domain.apportionment import (
    Apportionment,
    DivisorMethod,
    Quota,
    TieError,
    TieRule,
    divisor,
    largest_remainder,
)
from smolny.domain.apportionment import Tie as ApportionmentTie
from smolny.voting.plurality import without_withdrawn
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult, Round, Tie

__all__ = [
    "METHODS",
    "ManyApportionment",
    "PartyListMethod",
    "dhondt_many",
    "divisor_many",
    "party_list",
]

PartyListMethod = Literal["dhondt", "sainte-lague", "modified-sainte-lague", "hare", "droop-lr"]

METHODS: dict[str, DivisorMethod | Quota] = {
    "dhondt": DivisorMethod.DHONDT,
    "sainte-lague": DivisorMethod.SAINTE_LAGUE,
    "modified-sainte-lague": DivisorMethod.MODIFIED_SAINTE_LAGUE,
    "hare": Quota.HARE,
    "droop-lr": Quota.DROOP,
}

_DIVISORS_TEXT = {
    DivisorMethod.DHONDT: "divisors 1, 2, 3, ...",
    DivisorMethod.SAINTE_LAGUE: "divisors 1, 3, 5, ...",
    DivisorMethod.MODIFIED_SAINTE_LAGUE: "divisors 1.4, 3, 5, ...",
}


def party_list(
    votes: Mapping[str, int] | RankedProfile,
    seats: int,
    method: PartyListMethod,
    *,
    threshold: Fraction | None = None,
    seed: int | None = None,
    tie_rules: Sequence[TieRule] | None = None,
) -> CountResult:
    """Share `seats` among the parties by `method`.

    With a `RankedProfile` the parties are its candidates and their votes the first
    preferences (withdrawn parties take no part). `tie_rules` replace the default rules
    (module docstring); ``TieRule.ORDER`` is not supported here.
    """
    if method not in METHODS:
        known = ", ".join(METHODS)
        raise CountError(f"unknown party-list method {method!r}; the methods are {known}")
    rule = METHODS[method]
    weights, parties, withdrawn = _read_votes(votes)
    _check_house(seats)
    seats = int(seats)
    if not weights:
        raise CountError("no parties to share the seats among")
    if sum(weights.values()) == 0:
        raise CountError("no votes were cast for any party: there is nothing to count")

    if tie_rules is None:
        tie_rules = (
            (TieRule.LOT,) if isinstance(rule, DivisorMethod) else (TieRule.LARGEST, TieRule.LOT)
        )
    rules = tuple(TieRule(r) for r in tie_rules)
    if TieRule.ORDER in rules:
        raise CountError("the tie rule 'order' is not supported for party lists")
    used = rules if seed is not None else tuple(r for r in rules if r is not TieRule.LOT)
    try:
        if isinstance(rule, DivisorMethod):
            outcome = divisor(weights, seats, rule, threshold=threshold, tie_rules=used, seed=seed)
        else:
            outcome = largest_remainder(
                weights, seats, rule, threshold=threshold, tie_rules=used, seed=seed
            )
    except TieError as error:
        raise CountError(_tie_message(error, str, lot=TieRule.LOT in rules)) from None
    except (ValueError, TypeError) as error:
        raise CountError(str(error)) from None

    if isinstance(rule, DivisorMethod):
        elected, details = _divisor_table(weights, outcome, rule)
        quota: int | None = None
        note = f"{method}: {_DIVISORS_TEXT[rule]}; the highest quotients win the seats"
    else:
        elected, details, size = _remainder_table(weights, outcome, rule)
        quota = int(size) if rule is Quota.DROOP else None
        note = f"{method}: whole quotas of {_fraction(size)} votes, then the largest remainders"
    ties = tuple(_tie(t, seed) for t in outcome.ties)
    details = {"seats": dict(outcome.seats), **details}
    if threshold is not None:
        details["threshold"] = _fraction(Fraction(threshold))
    if withdrawn:
        details["withdrawn"] = list(withdrawn)
    count = Round(
        number=1,
        action="votes",
        tallies={party: weights.get(party, 0) for party in parties},
        elected=elected,
        excluded=outcome.excluded,
        quota=quota,
        note=note,
    )
    lot_drawn = any(t.resolved_by is TieRule.LOT for t in outcome.ties)
    return CountResult(
        method=method,
        seats=seats,
        candidates=parties,
        elected=elected,
        rounds=(count,),
        ties=ties,
        seed=seed if lot_drawn else None,
        details=details,
    )


# --- many constituencies at once -------------------------------------------------------------


@dataclass(frozen=True)
class ManyApportionment:
    """Seats per constituency (rows) and party (columns), and the ties met, by row."""

    seats: NDArray[np.int64]
    ties: Mapping[int, tuple[ApportionmentTie[int], ...]] = field(default_factory=dict)
    exact_rows: int = 0  # rows settled by the exact seat-by-seat count of the domain


def divisor_many(
    votes: ArrayLike,
    seats: int | ArrayLike,
    method: Literal["dhondt", "sainte-lague", "modified-sainte-lague"] = "dhondt",
    *,
    threshold: Fraction | None = None,
    tie_rules: Sequence[TieRule] = (TieRule.LOT,),
    seed: int | None = None,
) -> ManyApportionment:
    """A divisor method in many constituencies at once: `votes` has one row per
    constituency and one column per party; `seats` is one number or one per row.

    Gives exactly the seats of :func:`smolny.domain.apportionment.divisor` on each row.
    Each quotient is computed as the float64 nearest the exact fraction, and rounding to
    nearest is monotone, so a quotient whose float is strictly greater than another's is
    exactly greater. The winners of a row are the quotients at or above the float of the
    row's last winning quotient; when that float is strictly above the next one, the split
    is exact. A row where the two are equal (a tie, or two fractions too close for floats)
    is counted seat by seat by the domain, exactly, with `tie_rules` (lot from `seed`,
    the same seed for every row; without a seed a tie is a `CountError`).
    """
    rule = METHODS.get(method)
    if not isinstance(rule, DivisorMethod):
        raise CountError(f"unknown divisor method {method!r}")
    table = np.asarray(votes)
    if table.ndim != 2:
        raise CountError(
            "votes must be a 2-d array: one row per constituency, one column per party"
        )
    if table.dtype.kind not in "iu" and table.size:
        raise CountError("votes must be whole numbers")
    table = table.astype(np.int64)
    rows, parties = table.shape
    house = np.broadcast_to(np.asarray(seats), (rows,))
    if house.dtype.kind not in "iu" and house.size:
        raise CountError("seats must be whole numbers")
    house = house.astype(np.int64)
    if (table < 0).any():
        row, col = np.argwhere(table < 0)[0]
        raise CountError(f"constituency {row + 1}: party {col + 1} has negative votes")
    if (house < 0).any():
        raise CountError(f"constituency {int(np.argmax(house < 0)) + 1}: negative seats")

    counted = table.copy()
    if threshold is not None:
        share = Fraction(threshold)
        if not 0 <= share <= 1:
            raise CountError(f"the threshold must be between 0 and 1, got {share}")
        totals = table.sum(axis=1, keepdims=True)
        below = table * share.denominator < share.numerator * totals
        counted[below] = 0

    top = int(house.max(initial=0))
    result = np.zeros((rows, parties), dtype=np.int64)
    exact: list[int] = []
    if top > 0 and parties > 0:
        if int(counted.max(initial=0)) * 5 >= 2**53:
            exact = list(range(rows))  # too large to convert to float64 exactly
        else:
            quotients = _quotients(counted, top, rule)  # (rows, parties, top)
            last, after = _cut(quotients.reshape(rows, parties * top), house)
            filled = house > 0
            clean = ~filled | ((last > after) & (last > 0))
            won = (quotients >= last[:, None, None]).sum(axis=2)
            result = np.where(clean[:, None], won, 0).astype(np.int64)
            exact = np.flatnonzero(~clean).tolist()

    found: dict[int, tuple[ApportionmentTie[int], ...]] = {}
    rules = tuple(TieRule(r) for r in tie_rules)
    used = rules if seed is not None else tuple(r for r in rules if r is not TieRule.LOT)
    for row in exact:
        weights = {p: int(v) for p, v in enumerate(table[row])}
        try:
            outcome = divisor(
                weights, int(house[row]), rule, threshold=threshold, tie_rules=used, seed=seed
            )
        except TieError as error:
            message = _tie_message(error, lambda p: f"party {p + 1}", lot=TieRule.LOT in rules)
            raise CountError(f"constituency {row + 1}: {message}") from None
        except ValueError as error:
            raise CountError(f"constituency {row + 1}: {error}") from None
        result[row] = [outcome.seats[p] for p in range(parties)]
        if outcome.ties:
            found[row] = outcome.ties
    return ManyApportionment(result, found, len(exact))


def dhondt_many(
    votes: ArrayLike,
    seats: int | ArrayLike,
    *,
    threshold: Fraction | None = None,
    tie_rules: Sequence[TieRule] = (TieRule.LOT,),
    seed: int | None = None,
) -> ManyApportionment:
    """D'Hondt in many constituencies at once (:func:`divisor_many`)."""
    return divisor_many(votes, seats, "dhondt", threshold=threshold, tie_rules=tie_rules, seed=seed)


def _cut(
    quotients: NDArray[np.float64], house: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per row, the house-th highest quotient (the last to win; +inf for no seats) and the
    next one (-inf when there is none)."""
    rows, width = quotients.shape
    if rows and width > 200 and int(house.min()) == int(house.max()):
        # Long rows with the same number of seats everywhere: select, do not sort.
        seats = int(house[0])
        kth = [k for k in (width - seats, width - seats - 1) if 0 <= k < width]
        chosen = np.partition(quotients, kth, axis=1)
        last = chosen[:, width - seats] if seats > 0 else np.full(rows, np.inf)
        after = chosen[:, width - seats - 1] if seats < width else np.full(rows, -np.inf)
        return last, after
    ordered = np.sort(quotients, axis=1)[:, ::-1]
    index = np.arange(rows)
    last = np.where(house > 0, ordered[index, np.maximum(house - 1, 0)], np.inf)
    after = np.where(house < width, ordered[index, np.minimum(house, width - 1)], -np.inf)
    return last, after


def _quotients(votes: NDArray[np.int64], top: int, rule: DivisorMethod) -> NDArray[np.float64]:
    """quotients[r, p, s]: the claim of party p of row r to its seat s + 1, as the float64
    nearest the exact fraction (one correctly rounded division of exact floats)."""
    steps = np.arange(top, dtype=np.float64)
    match rule:
        case DivisorMethod.DHONDT:
            divisors = steps + 1
        case DivisorMethod.SAINTE_LAGUE | DivisorMethod.MODIFIED_SAINTE_LAGUE:
            divisors = 2 * steps + 1
        case _:
            raise CountError(f"{rule.value} is not supported here")
    quotients: NDArray[np.float64] = votes.astype(np.float64)[:, :, None] / divisors
    if rule is DivisorMethod.MODIFIED_SAINTE_LAGUE:  # first divisor 1.4: w / 1.4 = 5w / 7
        quotients[:, :, 0] = (5 * votes).astype(np.float64) / 7.0
    return quotients


# --- tables for the reader -------------------------------------------------------------------


def _divisor_table(
    weights: Mapping[str, int], outcome: Apportionment[str], rule: DivisorMethod
) -> tuple[tuple[str, ...], dict[str, Any]]:
    order = {party: n for n, party in enumerate(weights)}
    winning: list[tuple[Fraction, int, str]] = []
    table: dict[str, list[str]] = {}
    for party, held in outcome.seats.items():
        quotients = [_quotient(weights[party], s, rule) for s in range(held)]
        table[party] = [_fraction(q) for q in quotients]
        winning += [(q, order[party], party) for q in quotients]
    winning.sort(key=lambda item: (-item[0], item[1]))
    elected = tuple(party for _, _, party in winning)
    losing = [
        _quotient(weights[party], outcome.seats[party], rule)
        for party in weights
        if party not in outcome.excluded and weights[party] > 0
    ]
    details: dict[str, Any] = {
        "divisors": _DIVISORS_TEXT[rule],
        "quotients": table,  # per party, the quotients that won its seats
        "last_winning_quotient": _fraction(winning[-1][0]) if winning else None,
        "next_quotient": _fraction(max(losing)) if losing else None,  # the first not to win
    }
    return elected, details


def _quotient(weight: int, held: int, rule: DivisorMethod) -> Fraction:
    """The claim of a party holding `held` seats to its next seat (the table's scale)."""
    if rule is DivisorMethod.DHONDT:
        return Fraction(weight, held + 1)
    if rule is DivisorMethod.MODIFIED_SAINTE_LAGUE and held == 0:
        return Fraction(weight * 5, 7)
    return Fraction(weight, 2 * held + 1)


def _remainder_table(
    weights: Mapping[str, int], outcome: Apportionment[str], quota: Quota
) -> tuple[tuple[str, ...], dict[str, Any], Fraction]:
    taking = [p for p in weights if p not in outcome.excluded and weights[p] > 0]
    total = sum(weights[p] for p in taking)
    seats = outcome.total
    size = Fraction(total, seats) if quota is Quota.HARE else Fraction(total // (seats + 1) + 1)
    whole = {p: int(weights[p] // size) if p in taking else 0 for p in weights}
    remainder = {p: Fraction(weights[p]) - whole[p] * size for p in taking}
    order = {party: n for n, party in enumerate(weights)}
    by_votes = sorted(weights, key=lambda p: (-weights[p], order[p]))
    elected = [p for p in by_votes for _ in range(whole[p])]
    extra = [p for p in weights if outcome.seats[p] > whole[p]]
    extra.sort(key=lambda p: (-remainder[p], order[p]))
    elected += extra
    details: dict[str, Any] = {
        "quota": _fraction(size),
        "whole_quotas": whole,
        "remainders": {p: _fraction(r) for p, r in remainder.items()},
        "remainder_seats": extra,
    }
    return tuple(elected), details, size


def _tie(tie: ApportionmentTie[str], seed: int | None) -> Tie:
    if tie.resolved_by is TieRule.LOT:
        how = f"lot (seed {seed})"
    elif tie.resolved_by is TieRule.LARGEST:
        how = "more votes"
    else:
        how = str(tie.resolved_by)
    last = tie.seat + tie.seats_at_stake - 1
    seats = f"seat {tie.seat}" if last == tie.seat else f"seats {tie.seat} to {last}"
    return Tie(
        round=1,
        between=tie.tied,
        decides=seats,
        resolved_by=how,
        chosen=tie.winners,
    )


def _tie_message(error: TieError, name: Callable[[Any], str], *, lot: bool) -> str:
    """The domain's message, ending with what the caller can do about it."""
    message = error.describe(name)
    if lot:
        message = message.rsplit("; state a", 1)[0] + "; a lot must decide it: give a seed"
    return message


def _read_votes(
    votes: Mapping[str, int] | RankedProfile,
) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...]]:
    if isinstance(votes, RankedProfile):
        tallies = without_withdrawn(votes).first_preferences()
        withdrawn = tuple(votes.candidates[c] for c in sorted(votes.withdrawn))
        weights = {
            name: int(tallies[c])
            for c, name in enumerate(votes.candidates)
            if c not in votes.withdrawn
        }
        return weights, votes.candidates, withdrawn
    weights = {}
    for party, value in votes.items():
        if not isinstance(party, str):
            raise CountError(f"a party's name must be a string, got {party!r}")
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise CountError(f"the votes of {party!r} must be a whole number, got {value!r}")
        if value < 0:
            raise CountError(f"the votes of {party!r} are negative ({value})")
        weights[party] = int(value)
    return weights, tuple(weights), ()


def _check_house(seats: int) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int | np.integer):
        raise CountError(f"seats must be a whole number, got {seats!r}")
    if seats < 1:
        raise CountError(f"there must be at least one seat to fill, got {seats}")


def _fraction(value: Fraction) -> str:
    """A fraction as "n" or "n/d" (exact)."""
    return str(value)
