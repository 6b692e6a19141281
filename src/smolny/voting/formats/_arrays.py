"""Array helpers shared by the readers: whole-text number scanning, row building, grouping.

The readers parse the usual file in a few numpy passes over its bytes (`scan`); anything
unusual makes the fast path give up (return None) and the reader's line-by-line path,
which also words the errors, takes over. Both paths accept exactly the same text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smolny.voting.profile import NO_CANDIDATE, RankedProfile

MAX_CANDIDATES = int(np.iinfo(np.int16).max)  # candidate indices are int16
_MAX_DIGITS = 15  # longer numbers go the slow way (and are refused there as too big)
_SPACE = (ord(" "), ord("\t"), ord("\r"))
_NEWLINE = ord("\n")


@dataclass(frozen=True)
class Scan:
    """The symbols of a text in order: numbers (kind NUMBER, with their values) and the
    punctuation characters asked for (kind = the character's code), plus a newline symbol
    (kind NEWLINE) ending every line, the last one included."""

    kinds: NDArray[np.int16]
    values: NDArray[np.int64]  # the number's value for NUMBER symbols, else 0


NUMBER = -1
NEWLINE = _NEWLINE

# ballots, tie marks (None when no ties), counts
Arrays = tuple[NDArray[np.int16], NDArray[np.bool_] | None, NDArray[np.int64]]


def scan(data: bytes, punctuation: bytes = b"") -> Scan | None:
    """The symbols of `data`, or None when it holds anything but ASCII digits, blanks,
    newlines and `punctuation`, or a number too long to be a count."""
    a = np.frombuffer(data + b"\n", dtype=np.uint8)
    digit = (a >= ord("0")) & (a <= ord("9"))
    punct = a == _NEWLINE
    for code in punctuation:
        punct |= a == code
    blank = np.zeros(len(a), dtype=np.bool_)
    for code in _SPACE:
        blank |= a == code
    if not (digit | punct | blank).all():
        return None
    run_start = digit.copy()
    run_start[1:] &= ~digit[:-1]
    run_end = digit.copy()
    run_end[:-1] &= ~digit[1:]
    starts = np.flatnonzero(run_start)
    lengths = np.flatnonzero(run_end) + 1 - starts
    if len(lengths) and int(lengths.max()) > _MAX_DIGITS:
        return None
    values = np.zeros(len(starts), dtype=np.int64)
    for k in range(int(lengths.max()) if len(lengths) else 0):
        more = lengths > k
        at = np.minimum(starts + k, len(a) - 1)
        values = np.where(more, values * 10 + (a[at].astype(np.int64) - ord("0")), values)
    symbol = run_start | punct
    positions = np.flatnonzero(symbol)
    kinds = a[positions].astype(np.int16)
    is_number = run_start[positions]
    kinds[is_number] = NUMBER
    all_values = np.zeros(len(positions), dtype=np.int64)
    all_values[is_number] = values
    return Scan(kinds, all_values)


def previous(kinds: NDArray[np.int16]) -> NDArray[np.int16]:
    """The kind of the symbol before each (a NEWLINE before the first)."""
    out = np.empty_like(kinds)
    out[0:1] = NEWLINE
    out[1:] = kinds[:-1]
    return out


def following(kinds: NDArray[np.int16]) -> NDArray[np.int16]:
    """The kind of the symbol after each (a NEWLINE after the last)."""
    out = np.empty_like(kinds)
    out[-1:] = NEWLINE
    out[:-1] = kinds[1:]
    return out


def has_repeats(ballots: NDArray[np.int16]) -> NDArray[np.bool_]:
    """Per row: does it name a candidate twice?"""
    n, width = ballots.shape
    if width < 2:
        return np.zeros(n, dtype=np.bool_)
    named = ballots != NO_CANDIDATE
    if int(ballots.max(initial=0)) < 62:
        # Candidates as bits: the sum equals the union exactly when no bit comes twice.
        bits = np.where(named, np.left_shift(1, ballots.astype(np.int64)), 0)
        return np.asarray(bits.sum(axis=1) != np.bitwise_or.reduce(bits, axis=1))
    fill = -1 - np.arange(width, dtype=np.int32)
    keyed = np.where(named, ballots.astype(np.int32), fill)
    ordered = np.sort(keyed, axis=1)
    return np.asarray((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))


def fill_rows(
    row_of: NDArray[np.int64], n_rows: int, values: NDArray[np.int64]
) -> tuple[NDArray[np.int16], NDArray[np.int64]]:
    """Ballot rows from a flat run of candidate indices `values`, `row_of` saying (in
    non-decreasing order) which row each belongs to: (ballots, position of each value)."""
    lengths = np.bincount(row_of, minlength=n_rows)
    width = int(lengths.max()) if n_rows else 0
    offsets = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    columns = np.arange(len(values), dtype=np.int64) - offsets[row_of]
    ballots = np.full((n_rows, width), NO_CANDIDATE, dtype=np.int16)
    ballots[row_of, columns] = values
    return ballots, columns


def group(
    ballots: NDArray[np.int16], tied: NDArray[np.bool_] | None, counts: NDArray[np.int64]
) -> Arrays:
    """Identical rows merged (their counts added), in order of first appearance; columns
    that no ballot reaches dropped; tie marks only where a tie follows (None if none)."""
    n = len(ballots)
    used = int((ballots != NO_CANDIDATE).sum(axis=1).max()) if n else 0
    ballots = ballots[:, :used]
    if tied is not None:
        tied = tied[:, :used].copy()
        if used:
            tied[:, -1] = False
            tied[:, :-1] &= ballots[:, 1:] != NO_CANDIDATE
        if not tied.any():
            tied = None
    if n == 0:
        return ballots, tied, counts
    keys = _row_keys(ballots, tied)
    if keys.ndim == 1:
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    summed = np.zeros(len(first), dtype=np.int64)
    np.add.at(summed, inverse, counts)
    order = np.argsort(first, kind="stable")
    rows = first[order]
    return (
        ballots[rows],
        None if tied is None else tied[rows],
        summed[order],
    )


def _row_keys(ballots: NDArray[np.int16], tied: NDArray[np.bool_] | None) -> NDArray[np.int64]:
    """One int64 per row when the rows fit (else a few per row), equal exactly when the rows
    (and their tie marks) are."""
    n, width = ballots.shape
    digits = ballots.astype(np.int64) + 1
    base = max(2, int(digits.max(initial=0)) + 1)
    if tied is not None:
        digits = digits * 2 + tied
        base *= 2
    per_word = 1
    while base ** (per_word + 1) < 2**62:
        per_word += 1
    words = max(1, -(-width // per_word))
    keys = np.zeros((n, words), dtype=np.int64)
    for j in range(width):
        w = j // per_word
        keys[:, w] = keys[:, w] * base + digits[:, j]
    if words == 1:
        return keys[:, 0]
    return keys


def profile(
    candidates: tuple[str, ...],
    ballots: NDArray[np.int16],
    tied: NDArray[np.bool_] | None,
    counts: NDArray[np.int64],
    *,
    withdrawn: frozenset[int] = frozenset(),
    title: str = "",
    seats: int | None = None,
    grouped: bool = False,
) -> RankedProfile:
    """The grouped profile of already validated rows (`grouped`: already grouped)."""
    if not grouped:
        ballots, tied, counts = group(ballots, tied, counts)
    return RankedProfile(
        candidates,
        ballots,
        counts,
        tied,
        withdrawn=withdrawn,
        title=title,
        seats=seats,
    )


class Rows:
    """Ballots gathered one at a time (the line-by-line readers): candidate indices and
    tie marks per ballot, with its count."""

    def __init__(self) -> None:
        self.flat: list[int] = []  # every ballot's candidates, one after the other
        self.tied_at: list[int] = []  # positions in `flat` tied with the next
        self.lengths: list[int] = []
        self.counts: list[int] = []

    def add(self, count: int, ranks: list[list[int]]) -> None:
        """One ballot: `ranks` lists the groups of tied candidates, best first."""
        length = 0
        for rank in ranks:
            if len(rank) > 1:
                at = len(self.flat)
                self.tied_at.extend(range(at, at + len(rank) - 1))
            self.flat.extend(rank)
            length += len(rank)
        self.lengths.append(length)
        self.counts.append(count)

    def add_strict(self, count: int, choices: list[int]) -> None:
        """One ballot without ties: the candidates best first."""
        self.flat.extend(choices)
        self.lengths.append(len(choices))
        self.counts.append(count)

    def __len__(self) -> int:
        return len(self.counts)

    def arrays(self) -> Arrays:
        n = len(self.counts)
        lengths = np.asarray(self.lengths, dtype=np.int64)
        row_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
        values = np.asarray(self.flat, dtype=np.int64)
        ballots, columns = fill_rows(row_of, n, values)
        tied: NDArray[np.bool_] | None = None
        if self.tied_at:
            at = np.asarray(self.tied_at, dtype=np.int64)
            tied = np.zeros(ballots.shape, dtype=np.bool_)
            tied[row_of[at], columns[at]] = True
        return ballots, tied, np.asarray(self.counts, dtype=np.int64)
