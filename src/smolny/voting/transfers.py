"""Piles of ballot papers for the transfer counts (Scottish STV, instant runoff).

A ballot row (one distinct ballot and the number of voters who cast it) is held by at most
one candidate at a time, and all of its papers move together. Per row we keep where its
pointer stands on the ballot, which candidate holds it and what each of its papers is worth
now; per candidate we keep the rows it holds (a list of index arrays) and its total. A
transfer takes one candidate's rows, moves their pointers on to the next continuing
preference in a vectorized loop (at most one pass per ballot position), and hands each row
to its new holder, so a round touches only the rows that move.

Everything is exact integer arithmetic (values in units of 1/scale of a vote).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smolny.voting.profile import NO_CANDIDATE, RankedProfile
from smolny.voting.result import CountError
from smolny.voting.ties import Lots, by_history

EXHAUSTED = -1  # the "holder" of a row that has no further usable preference


@dataclass(frozen=True)
class Table:
    """A profile's ballots made ready for a transfer count.

    `rows[i]` lists the preferences of ballot row i with withdrawn candidates taken out
    and an extra -1 column at the end, so a pointer can always step onto a -1. Where the
    profile has ties, `group_end[i, j]` is the last position of the rank (the group of
    tied candidates) that position j belongs to; None when no ballot has a tie.
    """

    rows: NDArray[np.int16]
    counts: NDArray[np.int64]
    group_end: NDArray[np.int16] | None
    n_candidates: int

    @property
    def width(self) -> int:
        """Positions a pointer can stand on (including the final -1 column)."""
        return int(self.rows.shape[1])


def prepare(profile: RankedProfile) -> Table:
    """The profile's ballots as a `Table`: withdrawn candidates removed as if they had not
    been on the ballot (later preferences move up; a rank keeps its other members)."""
    ballots = profile.ballots
    n, width = ballots.shape
    tied = profile.tied
    if tied is not None and not tied.any():
        tied = None
    rank = None
    if tied is not None:
        step = np.ones((n, width), dtype=np.int32)
        step[:, 1:] = ~tied[:, :-1]
        rank = np.cumsum(step, axis=1, dtype=np.int32)
    if profile.withdrawn and width:
        gone = np.isin(ballots, np.fromiter(profile.withdrawn, dtype=np.int16))
        if gone.any():
            ballots = np.where(gone, np.int16(NO_CANDIDATE), ballots)
            order = np.argsort(ballots == NO_CANDIDATE, axis=1, kind="stable")
            ballots = np.take_along_axis(ballots, order, axis=1)
            if rank is not None:
                rank = np.take_along_axis(rank, order, axis=1)
    rows = np.full((n, width + 1), NO_CANDIDATE, dtype=np.int16)
    rows[:, :width] = ballots
    group_end: NDArray[np.int16] | None = None
    if rank is not None:
        present = rows[:, :width] != NO_CANDIDATE
        same = np.zeros((n, width + 1), dtype=np.bool_)  # position j tied with j + 1
        if width > 1:
            same[:, : width - 1] = (rank[:, :-1] == rank[:, 1:]) & present[:, 1:]
        if same.any():
            group_end = np.empty((n, width + 1), dtype=np.int16)
            group_end[:, width] = width
            for j in range(width - 1, -1, -1):
                group_end[:, j] = np.where(same[:, j], group_end[:, j + 1], j)
    counts = np.asarray(profile.counts, dtype=np.int64)
    return Table(rows, counts, group_end, len(profile.candidates))


@dataclass(frozen=True)
class Moved:
    """What one placement of rows gave: value by new holder, and value exhausted."""

    to: dict[int, int]  # candidate index -> value received (only candidates receiving rows)
    exhausted: int
    papers_exhausted: int  # ballot papers (voters) that found no usable preference


class Piles:
    """Who holds which ballot rows, what each row's papers are worth, and the totals."""

    def __init__(self, table: Table, continuing: NDArray[np.bool_], value: int) -> None:
        n = len(table.counts)
        self.table = table
        self._flat = table.rows.ravel()
        # Each row's pointer, as an index into the flattened table (one before its first
        # preference to start with).
        self.pointer = np.arange(n, dtype=np.int64) * table.width - 1
        self._group_end: NDArray[np.int64] | None = None
        if table.group_end is not None:
            starts = np.arange(n, dtype=np.int64)[:, None] * table.width
            self._group_end = (table.group_end.astype(np.int64) + starts).ravel()
        self.value = np.full(n, value, dtype=np.int64)
        self._common: int | None = value  # the value of every paper, while they are all equal
        self.tally = [0] * table.n_candidates
        self._chunks: list[list[NDArray[np.int64]]] = [[] for _ in range(table.n_candidates)]
        self._all = np.arange(n, dtype=np.int64)
        self.first = self.place(self._all, self.advance(self._all, continuing))

    # -- moving ---------------------------------------------------------------------------
    def take(self, candidate: int) -> NDArray[np.int64]:
        """Remove and return every row the candidate holds (their total drops to 0)."""
        chunks = self._chunks[candidate]
        self._chunks[candidate] = []
        self.tally[candidate] = 0
        if not chunks:
            return np.empty(0, dtype=np.int64)
        return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)

    def advance(self, rows: NDArray[np.int64], continuing: NDArray[np.bool_]) -> NDArray[np.int16]:
        """Move each row's pointer on to its next preference for a continuing candidate and
        return that candidate, or EXHAUSTED where there is none.

        A row is also EXHAUSTED where the rank it reaches holds two or more continuing
        candidates (a tie, which cannot say whom the paper is for); such a row is never
        looked at again, so it counts for no one from that point on.
        """
        flat = self._flat
        stop_at = np.append(continuing, True)  # index -1 (the end of a ballot) stops too
        everything = rows is self._all
        pointer = self.pointer + 1 if everything else self.pointer[rows] + 1
        holder = flat[pointer]
        waiting = np.flatnonzero(~stop_at[holder])
        while waiting.size:  # at most one pass per ballot position
            pointer[waiting] += 1
            candidate = flat[pointer[waiting]]
            holder[waiting] = candidate
            waiting = waiting[~stop_at[candidate]]
        if self._group_end is not None:
            live = np.append(continuing, False)
            found = np.flatnonzero(holder != EXHAUSTED)
            end = self._group_end[pointer[found]]
            in_group = end > pointer[found]
            found, end = found[in_group], end[in_group]
            step = 1
            while found.size:
                inside = pointer[found] + step <= end
                found, end = found[inside], end[inside]
                other = flat[pointer[found] + step]
                holder[found[live[other]]] = EXHAUSTED
                step += 1
        if everything:
            self.pointer = pointer
        else:
            self.pointer[rows] = pointer
        return holder

    def place(
        self,
        rows: NDArray[np.int64],
        holders: NDArray[np.int16],
        values: NDArray[np.int64] | None = None,
    ) -> Moved:
        """Hand each row to its holder (EXHAUSTED rows to no one) at `values` per paper
        (the rows' current values when None); add to the holders' totals."""
        if values is not None:
            self.value[rows] = values
            self._common = None
        if not rows.size:
            return Moved({}, 0, 0)
        order = np.argsort(holders, kind="stable")
        rows = order if rows is self._all else rows[order]
        counts = self.table.counts[rows]
        if self._common is None:
            weights = self.value[rows] * counts
        else:
            weights = counts if self._common == 1 else counts * self._common
        edges = np.searchsorted(holders[order], np.arange(-1, self.table.n_candidates + 1))
        to: dict[int, int] = {}
        exhausted = papers = 0
        for c in range(-1, self.table.n_candidates):
            start, stop = int(edges[c + 1]), int(edges[c + 2])
            if start == stop:
                continue
            amount = int(weights[start:stop].sum())
            if c == EXHAUSTED:
                exhausted = amount
                papers = int(counts[start:stop].sum())
            else:
                self._chunks[c].append(rows[start:stop])
                self.tally[c] += amount
                to[c] = amount
        return Moved(to, exhausted, papers)


# -- ties -----------------------------------------------------------------------------------
def break_tie(
    tied: Sequence[int],
    history: Sequence[dict[int, int]],
    lots: Lots,
    *,
    lowest: bool,
    names: Sequence[str],
    what: str,
) -> tuple[int, str]:
    """Pick one of `tied` (candidate indices) by the most recent earlier round at which
    their values differed (the lowest or the highest there; a tie that remains among the
    extremes goes on back to earlier rounds), then by lot. Returns the pick and how."""
    remaining = sorted(tied)
    deciding: list[int] = []
    while len(remaining) > 1:
        narrowed, at = by_history(remaining, history, lowest=lowest, earliest=False)
        if at is None:
            break
        remaining = narrowed
        deciding.append(at)
    how = ", ".join(f"earlier round {r}" for r in deciding)
    if len(remaining) == 1:
        return remaining[0], how
    by_name = {names[c]: c for c in remaining}
    picked = lots.draw(list(by_name), 1, what=what)
    return by_name[picked[0]], (how + ", then " if how else "") + lots.describe()


def order_by_history(
    candidates: Sequence[int], tally: Sequence[int], history: Sequence[dict[int, int]]
) -> list[int]:
    """Candidates by value now (highest first), equal values by the most recent earlier
    round where they differed, then by candidate order: for listing several candidates
    elected together (no lot is drawn; who comes first in such a list decides nothing)."""

    def key(c: int) -> tuple[int, ...]:
        return (-tally[c], *(-h.get(c, 0) for h in reversed(history)), c)

    return sorted(candidates, key=key)


def check_count(profile: RankedProfile, seats: int | None) -> list[int]:
    """The candidates who may be elected; raise CountError for a count that cannot be
    made (no candidates, seats out of range, no ballots)."""
    eligible = [c for c in range(len(profile.candidates)) if c not in profile.withdrawn]
    if not eligible:
        raise CountError("there are no candidates to count (all withdrawn or none named)")
    if seats is not None:
        if seats < 1:
            raise CountError(f"seats must be at least 1, not {seats}")
        if seats > len(eligible):
            raise CountError(
                f"{seats} seats but only {len(eligible)} candidate"
                f"{'s' if len(eligible) != 1 else ''} standing"
            )
    if profile.total == 0:
        raise CountError("the profile has no ballots")
    return eligible


def units(value: int, scale: int) -> str:
    """An integer number of 1/scale units written as a decimal: units(12345, 100000) is
    '0.12345'."""
    if scale == 1:
        return str(value)
    digits = len(str(scale)) - 1
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), scale)
    return f"{sign}{whole}.{part:0{digits}d}"
