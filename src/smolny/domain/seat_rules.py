"""The rule by which a council's seats are shared among its constituencies, or a committee's
seats among factions, stated once and applied by `apportion`."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from smolny.domain.apportionment import (
    Apportionment,
    DivisorMethod,
    Quota,
    Tie,
    TieError,
    TieRule,
    divisor,
    fixed,
    largest_remainder,
    ratio,
)
from smolny.domain.errors import InvalidInput, Unresolved

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class RatioRule:
    """One delegate per `per` members, at least `minimum`, at most `maximum`."""

    per: int
    minimum: int = 1
    maximum: int | None = None

    def describe(self) -> str:
        text = f"one delegate per {self.per} members, at least {self.minimum}"
        return text + (f", at most {self.maximum}" if self.maximum is not None else "")


@dataclass(frozen=True)
class FixedRule:
    seats_each: int

    def describe(self) -> str:
        return f"{self.seats_each} seat{'s' if self.seats_each != 1 else ''} per constituency"


@dataclass(frozen=True)
class DivisorRule:
    method: DivisorMethod
    seats: int
    minimum: int = 0

    def describe(self) -> str:
        text = f"{self.seats} seats by {_DIVISOR_NAMES[self.method]}"
        return text + (f", at least {self.minimum} each" if self.minimum else "")


@dataclass(frozen=True)
class QuotaRule:
    quota: Quota
    seats: int

    def describe(self) -> str:
        return f"{self.seats} seats by largest remainders, {self.quota.value.title()} quota"


@dataclass(frozen=True)
class StepRule:
    """`first` delegates for a constituency of `threshold` electors, one more per further
    `per`, at most `maximum`; a constituency under the threshold gets no seat of its own and
    must combine with others (through a council of them that sends delegates in its place).

    The All-Russian Conference of Soviets (March 1917): two delegates for a soviet of
    25,000 to 50,000 electors, one more per further 25,000, at most eight, smaller soviets
    combining: `StepRule(25000, 2, 25000, 8)`, written `step:25000:2:25000:8`.
    """

    threshold: int
    first: int
    per: int
    maximum: int | None = None

    def seats(self, electors: int) -> int:
        if electors < self.threshold:
            return 0
        more = self.first + (electors - self.threshold) // self.per
        return more if self.maximum is None else min(more, self.maximum)

    def describe(self) -> str:
        first = f"{self.first} delegate{'s' if self.first != 1 else ''}"
        text = f"{first} for {self.threshold:,} electors, one more per further {self.per:,}"
        if self.maximum is not None:
            text += f", at most {self.maximum}"
        return text + f"; under {self.threshold:,} electors, constituencies combine"


SeatRule = RatioRule | FixedRule | DivisorRule | QuotaRule | StepRule

_DIVISOR_NAMES = {
    DivisorMethod.DHONDT: "D'Hondt (Jefferson)",
    DivisorMethod.SAINTE_LAGUE: "Sainte-Laguë (Webster)",
    DivisorMethod.MODIFIED_SAINTE_LAGUE: "modified Sainte-Laguë",
    DivisorMethod.HUNTINGTON_HILL: "Huntington-Hill",
    DivisorMethod.ADAMS: "Adams",
}


@dataclass(frozen=True)
class TieBreak:
    """How a tie is decided, stated in advance; with no rule a tie stops the count."""

    rules: tuple[TieRule, ...] = ()
    order: tuple[Any, ...] = ()
    seed: int | None = None

    def describe(self) -> str:
        if not self.rules:
            return "ties are not broken: a tie stops the count"
        words = {
            TieRule.LARGEST: "the larger vote or membership",
            TieRule.ORDER: "the stated order",
            TieRule.LOT: f"lot (seed {self.seed})",
        }
        return "ties go to " + ", then ".join(words[r] for r in self.rules)


def apportion(
    rule: SeatRule,
    weights: Mapping[K, int],
    ties: TieBreak = TieBreak(),
    names: Mapping[K, str] | None = None,
) -> Apportionment[K]:
    """Apply the rule; an undecided tie is refused with the tied parties named (by `names`)."""
    try:
        match rule:
            case RatioRule(per=per, minimum=minimum, maximum=maximum):
                return ratio(weights, per, minimum=minimum, maximum=maximum)
            case FixedRule(seats_each=each):
                return fixed(list(weights), each)
            case DivisorRule(method=method, seats=seats, minimum=minimum):
                return divisor(
                    weights,
                    seats,
                    method,
                    minimum=minimum,
                    tie_rules=ties.rules,
                    order=ties.order,
                    seed=ties.seed,
                )
            case QuotaRule(quota=quota, seats=seats):
                return largest_remainder(
                    weights, seats, quota, tie_rules=ties.rules, order=ties.order, seed=ties.seed
                )
            case StepRule():
                return step(weights, rule)
    except TieError as error:
        raise Unresolved(error.describe(namer(names))) from error
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    raise InvalidInput(f"unknown seat rule {rule!r}")


def step(weights: Mapping[K, int], rule: StepRule) -> Apportionment[K]:
    """Seats by `rule` for each party on its own weight; the parties under the threshold
    are listed in `excluded` (they must combine). No ties can arise."""
    for name in ("threshold", "first", "per"):
        value = getattr(rule, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    if rule.maximum is not None and rule.maximum < rule.first:
        raise ValueError(f"maximum ({rule.maximum}) is less than the first seats ({rule.first})")
    seats: dict[K, int] = {}
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise ValueError(f"weight of {key!r} must be a whole number of at least 0")
        seats[key] = rule.seats(weight)
    excluded = tuple(key for key, weight in weights.items() if weight < rule.threshold)
    return Apportionment(method="step", seats=seats, ties=(), excluded=excluded)


def rule_text(rule: SeatRule) -> str:
    """The rule written as `parse_seat_rule` reads it."""
    match rule:
        case RatioRule(per=per, minimum=minimum, maximum=maximum):
            tail = f":{maximum}" if maximum is not None else ""
            return f"ratio:{per}:{minimum}{tail}"
        case FixedRule(seats_each=each):
            return f"fixed:{each}"
        case DivisorRule(method=method, seats=seats, minimum=minimum):
            return f"{method.value}:{seats}" + (f":{minimum}" if minimum else "")
        case QuotaRule(quota=quota, seats=seats):
            return f"{quota.value}:{seats}"
        case StepRule(threshold=threshold, first=first, per=per, maximum=maximum):
            tail = f":{maximum}" if maximum is not None else ""
            return f"step:{threshold}:{first}:{per}{tail}"
    raise InvalidInput(f"unknown seat rule {rule!r}")


def tie_record(tie: Tie[Any], names: Mapping[Any, str]) -> dict[str, Any]:
    """A tie as stored with the result: who was tied, for what, and how it was decided."""
    return {
        "seat": tie.seat,
        "tied": [names.get(k, str(k)) for k in tie.tied],
        "seats_at_stake": tie.seats_at_stake,
        "resolved_by": tie.resolved_by.value if tie.resolved_by else None,
        "winners": [names.get(k, str(k)) for k in tie.winners],
    }


def parse_seat_rule(text: str) -> SeatRule:
    """Read a rule written as `ratio:500[:MIN[:MAX]]`, `fixed:2`, `dhondt:40[:MIN]`,
    `sainte-lague:40`, `modified-sainte-lague:40`, `huntington-hill:40`, `adams:40`,
    `hare:40`, `droop:40` or `step:THRESHOLD:FIRST:PER[:MAX]` (`step:25000:2:25000:8`)."""
    name, _, rest = text.strip().partition(":")
    try:
        numbers = [int(part) for part in rest.split(":")] if rest else []
    except ValueError:
        raise InvalidInput(
            f"seat rule {text!r}: expected whole numbers after the method", field="rule"
        ) from None
    if not numbers:
        raise InvalidInput(f"seat rule {text!r}: expected a number after {name!r}:", field="rule")
    if name == "ratio" and len(numbers) <= 3:
        return RatioRule(*numbers)
    if name == "fixed" and len(numbers) == 1:
        return FixedRule(numbers[0])
    if name in {m.value for m in DivisorMethod} and len(numbers) <= 2:
        return DivisorRule(DivisorMethod(name), *numbers)
    if name in {q.value for q in Quota} and len(numbers) == 1:
        return QuotaRule(Quota(name), numbers[0])
    if name == "step" and len(numbers) in (3, 4):
        return StepRule(*numbers)
    raise InvalidInput(
        f"seat rule {text!r}: expected ratio:PER[:MIN[:MAX]], fixed:N, "
        "dhondt|sainte-lague|modified-sainte-lague|huntington-hill|adams:SEATS[:MIN], "
        "hare|droop:SEATS or step:THRESHOLD:FIRST:PER[:MAX]",
        field="rule",
    )


def namer(names: Mapping[Any, str] | None) -> Callable[[Any], str]:
    if names is None:
        return repr
    return lambda key: names.get(key, repr(key))
