"""Condorcet methods: Schulze's beatpath method and Tideman's ranked pairs.

Both start from the pairwise support matrix: ``support[a, b]`` voters rank a above b (a
ranked candidate is above every unranked one; unranked candidates are level; a rank shared
on a ballot is no preference). Withdrawn candidates take no part: the methods are computed
on the candidates standing, whose pairwise comparisons do not depend on the others.

Rules stated here:

* Schulze: the strength of a link a -> b is measured by *winning votes*, ``support[a, b]``
  when a beats b (``support[a, b] > support[b, a]``), as in Schulze's paper; a pairwise tie
  is no link. ``measure="margin"`` measures ``support[a, b] - support[b, a]`` instead (the
  two agree when every ballot ranks every candidate). ``p[a, b]``, the strongest path from
  a to b, is the widest path (Floyd-Warshall). a ranks above b when ``p[a, b] > p[b, a]``;
  the winners are the candidates no one ranks above. With ``seats > 1`` the elected are
  the top `seats` of that Schulze ranking (not the proportional "Schulze STV").
* Ranked pairs: pairs a > b are sorted by their *margin* ``support[a, b] - support[b, a]``
  (Tideman's measure), strongest first; ``measure="winning-votes"`` sorts by
  ``support[a, b]`` instead. Each pair is locked in unless it would make a cycle with the
  pairs already locked; pairwise ties are never locked. A group of pairs of equal strength
  is ordered, after Zavist and Tideman (1989), by a tie-breaking ranking of the candidates
  (TBRC): the pair whose winner stands higher in the TBRC first, and for the same winner
  the pair whose loser stands lower first. Zavist and Tideman build the TBRC from ballots
  drawn at random; here it is a random order of the candidates drawn by lot from the seed,
  and only when the order of a group matters, i.e. when its pairs cannot all be locked
  (when they can, every order locks them all). It is recorded as a tie. The ranking is the
  order of the locked pairs; with ``seats > 1`` its top `seats` are elected.
* Candidates level in the ranking (neither above the other) are listed in ballot order;
  when more of them than seats are left at the last seat, a lot decides, recorded.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from smolny.voting.plurality import check_seats, elect_top
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult, Round, Tie
from smolny.voting.ties import Lots

__all__ = ["Measure", "pairwise_support", "ranked_pairs", "schulze", "strongest_paths"]

Measure = Literal["winning-votes", "margin"]

_MAX_MASK_CANDIDATES = 16  # 2**16 * 17 bins per position; beyond, the rank-matrix count


def pairwise_support(profile: RankedProfile) -> NDArray[np.int64]:
    """``support[a, b]``: voters who rank a above b; the same matrix as
    `RankedProfile.pairwise()`, counted faster.

    For each position of the ballots, the candidate there is counted against the set of
    candidates ranked strictly above it, encoded as a bit mask: one `np.bincount` per
    position over (mask, candidate) pairs. The counts per mask are then spread over the
    candidates of the mask by one small integer product. Unranked candidates count as
    placed after the whole ballot. O(ballots x positions), exact (bin sums are integers
    below 2**53). Profiles of more than 16 candidates use `RankedProfile.pairwise()`.
    """
    c = len(profile.candidates)
    n, width = profile.ballots.shape
    total = profile.total
    if c > _MAX_MASK_CANDIDATES or total >= 2**53:
        return profile.pairwise()
    support = np.zeros((c, c), dtype=np.int64)
    if n == 0 or width == 0 or c == 0:
        return support
    masks = 1 << c
    bins = masks * (c + 1)
    weights = None if bool((profile.counts == 1).all()) else profile.counts.astype(np.float64)
    # One contiguous row per position, holding candidate + 1 (0 for no candidate).
    columns = np.ascontiguousarray(profile.ballots.T).astype(np.intp)
    columns += 1
    ties = None if profile.tied is None else np.ascontiguousarray(profile.tied.T)
    above = np.zeros(n, dtype=np.intp)  # mask of the candidates ranked strictly above
    pending = np.zeros(n, dtype=np.intp)  # mask of the candidates of the current rank
    key = np.empty(n, dtype=np.intp)
    bit = np.empty(n, dtype=np.intp)
    tallies: NDArray[Any] = np.zeros(bins, dtype=np.int64 if weights is None else np.float64)
    for j in range(width):
        np.multiply(above, c + 1, out=key)
        key += columns[j]
        tallies += np.bincount(key, weights, bins)
        np.left_shift(1, columns[j], out=bit)  # 1 << (candidate + 1), or 1 for none
        bit >>= 1
        if ties is None:
            above |= bit
        else:
            pending |= bit
            closes = ~ties[j]
            above[closes] |= pending[closes]
            pending[closes] = 0
    ranked = above | pending
    counted = np.rint(tallies).astype(np.int64).reshape(masks, c + 1)[:, 1:]
    members = (np.arange(masks)[:, None] >> np.arange(c)) & 1  # members[mask, a]
    # Unranked candidates: below every candidate the ballot ranks.
    per_set = np.rint(np.bincount(ranked, weights, masks)).astype(np.int64)
    counted = counted + per_set[:, None] * (1 - members)
    support += members.T @ counted
    return support


def strongest_paths(
    support: NDArray[np.int64], measure: Measure = "winning-votes"
) -> NDArray[np.int64]:
    """``p[a, b]``: the strength of the strongest path from a to b (0 when there is none),
    links measured by `measure`; the diagonal is 0."""
    links = _links(support, measure)
    paths = links.copy()
    for k in range(len(paths)):
        np.maximum(paths, np.minimum(paths[:, k : k + 1], paths[k : k + 1, :]), out=paths)
    np.fill_diagonal(paths, 0)
    return paths


def schulze(
    profile: RankedProfile,
    seats: int = 1,
    *,
    seed: int | None = None,
    measure: Measure = "winning-votes",
) -> CountResult:
    """Schulze's method: the winners, and with ``seats > 1`` the top of the Schulze ranking."""
    _check_measure(measure)
    check_seats(seats, profile.candidates, profile.withdrawn, profile.total)
    standing, names = _standing(profile)
    support = pairwise_support(profile)[np.ix_(standing, standing)]
    paths = strongest_paths(support, measure)
    beats = paths > paths.T
    levels = _levels(beats)
    lots = Lots(seed)
    elected, ties = _elect_by_levels(names, levels, seats, lots, "the Schulze ranking")
    tallies = {name: int(beats[i].sum()) for i, name in enumerate(names)}
    count = Round(
        number=1,
        action="pairwise comparisons",
        tallies=tallies,
        elected=elected,
        note=(
            f"strongest paths by {measure}; a candidate ranks above another when its "
            "strongest path to it is stronger than the reverse (tallies: how many candidates "
            "each ranks above)"
        ),
    )
    details: dict[str, Any] = {
        "measure": measure,
        "order": list(names),  # the rows and columns of the matrices
        "pairwise": support.tolist(),
        "strongest_paths": paths.tolist(),
        "winners": [names[i] for i in levels[0]],
        "ranking": [[names[i] for i in level] for level in levels],
    }
    return _result("schulze", profile, seats, elected, count, ties, lots, details)


def ranked_pairs(
    profile: RankedProfile,
    seats: int = 1,
    *,
    seed: int | None = None,
    measure: Measure = "margin",
) -> CountResult:
    """Tideman's ranked pairs: the top `seats` of the order the locked pairs make."""
    _check_measure(measure)
    check_seats(seats, profile.candidates, profile.withdrawn, profile.total)
    standing, names = _standing(profile)
    support = pairwise_support(profile)[np.ix_(standing, standing)]
    links = _links(support, measure)
    m = len(names)
    lots = Lots(seed)
    ties: list[Tie] = []
    reach = np.zeros((m, m), dtype=np.bool_)  # reach[a, b]: a is locked above b
    locked: list[tuple[int, int, int]] = []
    skipped: list[tuple[int, int, int]] = []
    tbrc: list[int] | None = None
    rows, cols = np.nonzero(links)
    strengths = sorted({int(links[a, b]) for a, b in zip(rows, cols, strict=True)}, reverse=True)
    for strength in strengths:
        group = [(int(a), int(b)) for a, b in zip(*np.nonzero(links == strength), strict=True)]
        lockable = [(a, b) for a, b in group if not reach[b, a]]
        trial = reach.copy()
        if len(lockable) > 1 and not all(_lock(trial, a, b) for a, b in lockable):
            # The pairs cannot all be locked: which are depends on their order.
            if tbrc is None:
                drawn = lots.draw(
                    names, m, what="the order of pairs of equal strength (a tie-breaking ranking)"
                )
                tbrc = [names.index(name) for name in drawn]
            place = {c: n for n, c in enumerate(tbrc)}
            group.sort(key=lambda pair: (place[pair[0]], -place[pair[1]]))
            involved = sorted({c for pair in group for c in pair})
            ties.append(
                Tie(
                    round=1,
                    between=tuple(names[c] for c in involved),
                    decides=f"the order of the pairs of strength {strength}",
                    resolved_by=f"{lots.describe()}: tie-breaking ranking of the candidates",
                    chosen=tuple(names[c] for c in tbrc),
                )
            )
        for a, b in group:
            if _lock(reach, a, b):
                locked.append((a, b, strength))
            else:
                skipped.append((a, b, strength))
    levels = _levels(reach)
    elected, last = _elect_by_levels(names, levels, seats, lots, "the ranked-pairs order")
    ties += last
    count = Round(
        number=1,
        action="pairwise comparisons",
        tallies={name: int(reach[i].sum()) for i, name in enumerate(names)},
        elected=elected,
        note=(
            f"pairs locked by {measure}, strongest first, unless they make a cycle "
            "(tallies: how many candidates each is locked above)"
        ),
    )

    def named(pairs: list[tuple[int, int, int]]) -> list[list[Any]]:
        return [[names[a], names[b], s] for a, b, s in pairs]

    details: dict[str, Any] = {
        "measure": measure,
        "order": list(names),
        "pairwise": support.tolist(),
        "locked": named(locked),  # [winner, loser, strength] in the order locked
        "skipped": named(skipped),  # pairs that would have made a cycle
        "tie_breaking_ranking": None if tbrc is None else [names[c] for c in tbrc],
        "ranking": [[names[i] for i in level] for level in levels],
    }
    return _result(
        "ranked-pairs", profile, seats, tuple(elected), count, tuple(ties), lots, details
    )


# --- shared ---------------------------------------------------------------------------------


def _links(support: NDArray[np.int64], measure: Measure) -> NDArray[np.int64]:
    """The strength of each pairwise defeat a -> b (0 where a does not beat b)."""
    _check_measure(measure)
    wins = support > support.T
    value = support if measure == "winning-votes" else support - support.T
    links: NDArray[np.int64] = np.where(wins, value, 0).astype(np.int64)
    return links


def _lock(reach: NDArray[np.bool_], a: int, b: int) -> bool:
    """Lock a above b in the transitive closure `reach` unless b is already above a."""
    if reach[b, a]:
        return False
    into = reach[:, a].copy()
    into[a] = True
    out = reach[b].copy()
    out[b] = True
    reach |= np.outer(into, out)
    return True


def _levels(beats: NDArray[np.bool_]) -> list[list[int]]:
    """Levels of a strict partial order: those no one beats, then the same among the rest."""
    remaining = list(range(len(beats)))
    levels: list[list[int]] = []
    while remaining:
        sub = beats[np.ix_(remaining, remaining)]
        top = [c for i, c in enumerate(remaining) if not sub[:, i].any()]
        if not top:  # cannot happen for the transitive, acyclic relations used here
            raise CountError("the ranking has a cycle")
        levels.append(top)
        remaining = [c for c in remaining if c not in top]
    return levels


def _elect_by_levels(
    names: list[str], levels: list[list[int]], seats: int, lots: Lots, ranking: str
) -> tuple[tuple[str, ...], tuple[Tie, ...]]:
    score = [0] * len(names)
    for depth, level in enumerate(levels):
        for c in level:
            score[c] = -depth
    return elect_top(names, score, seats, lots, tie_text=f"a tie in {ranking}")


def _standing(profile: RankedProfile) -> tuple[list[int], list[str]]:
    standing = [c for c in range(len(profile.candidates)) if c not in profile.withdrawn]
    return standing, [profile.candidates[c] for c in standing]


def _check_measure(measure: str) -> None:
    if measure not in ("winning-votes", "margin"):
        raise CountError(f"unknown measure {measure!r}: 'winning-votes' or 'margin'")


def _result(
    method: str,
    profile: RankedProfile,
    seats: int,
    elected: tuple[str, ...],
    count: Round,
    ties: tuple[Tie, ...],
    lots: Lots,
    details: dict[str, Any],
) -> CountResult:
    if profile.withdrawn:
        details["withdrawn"] = [profile.candidates[c] for c in sorted(profile.withdrawn)]
    return CountResult(
        method=method,
        seats=seats,
        candidates=profile.candidates,
        elected=elected,
        rounds=(count,),
        ties=ties,
        seed=lots.seed if lots.drawn else None,
        details=details,
    )
