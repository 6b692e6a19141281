"""Every counting method by name, as `smolny count --method` and the council elections
call them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from smolny.voting.condorcet import ranked_pairs, schulze
from smolny.voting.irv import instant_runoff
from smolny.voting.meek import meek_stv
from smolny.voting.party_list import party_list
from smolny.voting.plurality import ApprovalProfile, approval, block_vote, plurality
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult
from smolny.voting.stv import scottish_stv

Counter = Callable[[RankedProfile, int, int | None, Fraction | None], CountResult]


@dataclass(frozen=True)
class Method:
    name: str
    description: str
    count: Counter
    single_seat: bool = False  # fills exactly one seat
    party_list: bool = False  # candidates are parties, seats are shared among them


def _single(count: Callable[..., CountResult]) -> Counter:
    def run(p: RankedProfile, seats: int, seed: int | None, _t: Fraction | None) -> CountResult:
        if seats != 1:
            raise CountError(f"this method fills one seat, not {seats}")
        return count(p, seed=seed)

    return run


def _multi(count: Callable[..., CountResult]) -> Counter:
    def run(p: RankedProfile, seats: int, seed: int | None, _t: Fraction | None) -> CountResult:
        return count(p, seats, seed=seed)

    return run


def _list(method: str) -> Counter:
    def run(p: RankedProfile, seats: int, seed: int | None, t: Fraction | None) -> CountResult:
        return party_list(p, seats, method, threshold=t, seed=seed)  # type: ignore[arg-type]

    return run


def _approval(p: RankedProfile, seats: int, seed: int | None, _t: Fraction | None) -> CountResult:
    return approval(ApprovalProfile.from_ranked(p), seats, seed=seed)


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("plurality", "the most first preferences", _multi(plurality)),
        Method("block", "each voter's first SEATS preferences count one each", _multi(block_vote)),
        Method("approval", "every candidate a ballot ranks is approved", _approval),
        Method("dhondt", "party lists, D'Hondt divisors", _list("dhondt"), party_list=True),
        Method("sainte-lague", "party lists, Sainte-Laguë", _list("sainte-lague"), party_list=True),
        Method(
            "modified-sainte-lague",
            "party lists, Sainte-Laguë with first divisor 1.4",
            _list("modified-sainte-lague"),
            party_list=True,
        ),
        Method(
            "hare", "party lists, Hare quota, largest remainders", _list("hare"), party_list=True
        ),
        Method(
            "droop-lr",
            "party lists, Droop quota, largest remainders",
            _list("droop-lr"),
            party_list=True,
        ),
        Method("irv", "instant runoff", _single(instant_runoff), single_seat=True),
        Method("scottish-stv", "STV, Scottish rules (SSI 2007/42)", _multi(scottish_stv)),
        Method("meek-stv", "STV, Meek's method", _multi(meek_stv)),
        Method("schulze", "Condorcet: Schulze's method", _multi(schulze)),
        Method("ranked-pairs", "Condorcet: Tideman's ranked pairs", _multi(ranked_pairs)),
    )
}


def count_profile(
    method: str,
    profile: RankedProfile,
    seats: int,
    *,
    seed: int | None = None,
    threshold: Fraction | None = None,
) -> CountResult:
    """Count `profile` by the named method."""
    chosen = METHODS.get(method)
    if chosen is None:
        raise CountError(f"unknown method {method!r}: one of {', '.join(METHODS)}")
    if threshold is not None and not chosen.party_list:
        raise CountError("a threshold applies to party-list methods only")
    return chosen.count(profile, seats, seed, threshold)
