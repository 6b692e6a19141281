"""Motions: yes, no and abstain under a stated majority rule, with a quorum rule.

Every rule is decided in integers: "more than half of N" means ``2 * yes > N``, "at least
two thirds of N" means ``3 * yes >= 2 * N``. `Decision.required` is the smallest number of
yes votes that carries the motion on the same base (the same votes for and against, the
same votes cast, the same seats), and `Decision.reason` says it in words.

Rules stated here, because bodies differ on them:

* A tied vote (as many for as against) does not carry, under every rule: the motion is
  lost and the decision says it was a tie. No chair's casting vote is assumed.
* A motion needs at least one vote for it, even when the base is zero (no votes cast).
* A body without a quorum decides nothing: the motion is not carried, whatever the votes.
* The members present are the members voting unless `present` is given (members may be
  present and not vote); the quorum counts the members present.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from smolny.voting.result import CountError

__all__ = ["Decision", "Majority", "Quorum", "decide"]


class Majority(StrEnum):
    SIMPLE = "simple"  # more yes than no; abstentions do not count
    OF_VOTES_CAST = "of-votes-cast"  # yes more than half of yes + no + abstain
    OF_SEATS = "of-seats"  # yes more than half of the seats (all members of the body)
    TWO_THIRDS = "two-thirds"  # yes at least two thirds of yes + no
    TWO_THIRDS_OF_VOTES_CAST = "two-thirds-of-votes-cast"  # ... of yes + no + abstain
    TWO_THIRDS_OF_SEATS = "two-thirds-of-seats"  # ... of the seats

    @property
    def text(self) -> str:
        """The rule in words."""
        return _TEXT[self]

    @property
    def two_thirds(self) -> bool:
        return self in (
            Majority.TWO_THIRDS,
            Majority.TWO_THIRDS_OF_VOTES_CAST,
            Majority.TWO_THIRDS_OF_SEATS,
        )

    @property
    def of_seats(self) -> bool:
        return self in (Majority.OF_SEATS, Majority.TWO_THIRDS_OF_SEATS)


_TEXT = {
    Majority.SIMPLE: "simple majority: more for than against; abstentions do not count",
    Majority.OF_VOTES_CAST: "majority of the votes cast, abstentions included",
    Majority.OF_SEATS: "majority of all members of the body",
    Majority.TWO_THIRDS: "two-thirds majority of the votes for and against",
    Majority.TWO_THIRDS_OF_VOTES_CAST: (
        "two-thirds majority of the votes cast, abstentions included"
    ),
    Majority.TWO_THIRDS_OF_SEATS: "two-thirds majority of all members of the body",
}


@dataclass(frozen=True)
class Quorum:
    """The members who must be present for the body to decide: more than ``share`` of the
    seats (``strict``), or at least that share (not strict)."""

    share: Fraction = Fraction(1, 2)
    strict: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.share, bool) or not isinstance(self.share, int | Fraction):
            raise CountError(f"a quorum share must be a Fraction, got {self.share!r}")
        if not 0 <= self.share <= 1:
            raise CountError(f"a quorum share must be between 0 and 1, got {self.share}")

    def needed(self, seats: int) -> int:
        """The fewest members present that make a quorum of a body of `seats`."""
        share = Fraction(self.share)
        bound = share * seats
        if self.strict:
            return bound.numerator // bound.denominator + 1
        return -(-bound.numerator // bound.denominator)

    def met(self, present: int, seats: int) -> bool:
        return present >= self.needed(seats)

    def text(self, seats: int) -> str:
        share = Fraction(self.share)
        words = "more than" if self.strict else "at least"
        return f"{words} {_share_text(share)} of {seats} seats, i.e. {self.needed(seats)} present"


@dataclass(frozen=True)
class Decision:
    carried: bool
    tied: bool  # as many for as against (a tied vote does not carry)
    yes: int
    no: int
    abstain: int
    required: int  # the fewest yes votes that carry on the same base
    rule: Majority
    rule_text: str
    quorate: bool
    reason: str  # the decision in words, e.g. "carried: 279 for, 115 against, ..."
    seats: int | None = None
    present: int | None = None


def decide(
    yes: int,
    no: int,
    abstain: int = 0,
    *,
    rule: Majority,
    seats: int | None = None,
    present: int | None = None,
    quorum: Quorum | None = None,
) -> Decision:
    """Decide a motion on its counts under `rule`, checking `quorum` when one is given.

    `seats` is the number of members of the body (needed by the rules of seats and by a
    quorum); `present` the members present (the members voting when not given).
    """
    rule = _rule(rule)
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        _check_count(name, value)
    cast = yes + no + abstain
    if seats is not None:
        _check_count("seats", seats)
        if seats < 1:
            raise CountError("a body must have at least one seat")
    if present is not None:
        _check_count("present", present)
        if cast > present:
            raise CountError(
                f"{cast} votes cast ({yes} for, {no} against, {abstain} abstaining) "
                f"but only {present} members present"
            )
        if seats is not None and present > seats:
            raise CountError(f"{present} members present but the body has only {seats} seats")
    if seats is not None and cast > seats:
        raise CountError(f"{cast} votes cast but the body has only {seats} seats")
    if rule.of_seats and seats is None:
        raise CountError(f"the rule '{rule.value}' ({rule.text}) needs the number of seats")
    if quorum is not None and seats is None:
        raise CountError("a quorum is a share of the seats: give the number of seats")

    attending = cast if present is None else present
    quorate = True
    quorum_text = ""
    if quorum is not None:
        assert seats is not None
        quorate = quorum.met(attending, seats)
        quorum_text = quorum.text(seats)

    match rule:
        case Majority.SIMPLE | Majority.TWO_THIRDS:
            base, of = yes + no, f"{yes + no} votes for and against"
        case Majority.OF_VOTES_CAST | Majority.TWO_THIRDS_OF_VOTES_CAST:
            base, of = cast, f"{cast} votes cast"
        case _:
            assert seats is not None
            base, of = seats, f"{seats} seats"
    if rule.two_thirds:
        required = max(1, -(-2 * base // 3))  # ceil(2 * base / 3)
        needed = f"needed at least {required} of {of}"
    else:
        required = base // 2 + 1
        needed = f"needed more than {required - 1} of {of}"
    tied = yes == no
    carried = quorate and yes >= required and not tied

    counts = f"{yes} for, {no} against, {abstain} abstaining"
    if not quorate:
        reason = (
            f"not carried: no quorum ({attending} present; the quorum is {quorum_text}); {counts}"
        )
    elif tied:
        reason = f"not carried: a tie, {counts}; a tied vote does not carry; {needed}"
    else:
        verdict = "carried" if carried else "not carried"
        reason = f"{verdict}: {counts}; {needed}"
    reason += f" ({rule.text})"
    return Decision(
        carried=carried,
        tied=tied,
        yes=yes,
        no=no,
        abstain=abstain,
        required=required,
        rule=rule,
        rule_text=rule.text,
        quorate=quorate,
        reason=reason,
        seats=seats,
        present=present,
    )


def _rule(rule: Majority | str) -> Majority:
    try:
        return Majority(rule)
    except ValueError:
        known = ", ".join(m.value for m in Majority)
        raise CountError(f"unknown majority rule {rule!r}; the rules are {known}") from None


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CountError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise CountError(f"{name} must not be negative, got {value}")


def _share_text(share: Fraction) -> str:
    names = {Fraction(1, 2): "half", Fraction(1, 3): "a third", Fraction(2, 3): "two thirds"}
    return names.get(share, f"{share.numerator}/{share.denominator}")
