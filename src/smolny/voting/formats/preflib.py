"""PrefLib ordinal data: soc, soi, toc and toi files (https://www.preflib.org/format).

    # TITLE: 2009 Burlington Mayoral Election
    # DATA TYPE: toi
    # NUMBER ALTERNATIVES: 6
    # NUMBER VOTERS: 8980
    # NUMBER UNIQUE ORDERS: 384
    # ALTERNATIVE NAME 1: Bob Kiss
    ...
    840: 5
    355: 1,2
    12: 2,{1,4}

Each order line is "count: a,b,..." with alternatives numbered from 1, best first; braces
group alternatives tied at one rank. The type promises what the orders are: soc complete
strict orders, soi strict orders that may leave alternatives out, toc complete orders with
ties, toi orders with ties that may leave alternatives out; a line breaking the promise is
an error, and so are NUMBER VOTERS and NUMBER UNIQUE ORDERS headers that disagree with the
orders. The older layout (a first line with the number of alternatives, then "i,name"
lines, a "voters,sum,unique" line and "count,a,b,{c,d}" lines) is read too.

PrefLib has no seats and no withdrawn candidates: writing a profile drops them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from smolny.voting.formats import _arrays
from smolny.voting.formats._arrays import NEWLINE, NUMBER, Arrays, following, previous
from smolny.voting.formats._text import (
    MAX_COUNT,
    WHOLE,
    check_names,
    content,
    empty_file,
    ranks_of,
    split_lines,
    whole,
)
from smolny.voting.formats.errors import BallotFileError, UnwritableProfileError, quoted
from smolny.voting.profile import NO_CANDIDATE, RankedProfile

KINDS = ("soc", "soi", "toc", "toi")
_STRICT = ("soc", "soi")
_COMPLETE = ("soc", "toc")
_META = re.compile(r"#\s*([A-Za-z][A-Za-z ]*?)\s*(\d*)\s*:(.*)")
_TOKEN = re.compile(r"[{},]|[^{},\s]+")
_DESCRIBE = {
    "soc": "complete strict orders",
    "soi": "strict orders, possibly incomplete",
    "toc": "complete orders with ties",
    "toi": "orders with ties, possibly incomplete",
}
_COLON, _COMMA, _OPEN, _CLOSE = (ord(c) for c in ":,{}")


def order_text(kind: str | None) -> str:
    if kind in _STRICT:
        return 'an order "count: a,b,c"'
    return 'an order "count: a,b,{c,d}"'


@dataclass
class _Header:
    """What the "#" lines say, with the line each said it on (0-based index)."""

    kind: tuple[str, int] | None = None
    title: str = ""
    alternatives: tuple[int, int] | None = None
    voters: tuple[int, int] | None = None
    unique: tuple[int, int] | None = None
    names: dict[int, tuple[str, int]] = field(default_factory=dict)


def parse_preflib(
    text: str | Iterable[str], source: str = "<preflib>", kind: str | None = None
) -> RankedProfile:
    """The grouped profile a PrefLib soc/soi/toc/toi file holds. `kind` is the type the
    file name says (by default the extension of `source`, if a PrefLib one); the DATA TYPE
    header must agree with it."""
    if kind is None:
        suffix = source.rsplit(".", 1)[-1].lower() if "." in source else ""
        kind = suffix if suffix in KINDS else None
    elif kind not in KINDS:
        raise ValueError(f"unknown PrefLib kind {kind!r}: expected one of {', '.join(KINDS)}")
    lines = split_lines(text)
    first = next(content(lines), None)
    if first is None and not any(line.strip().startswith("#") for line in lines):
        raise empty_file(source, lines, "PrefLib metadata and orders")
    if first is not None and whole(first[1]) is not None:
        return _parse_old(lines, source, kind)
    return _parse_new(lines, source, kind)


def write_preflib(profile: RankedProfile, kind: str | None = None) -> str:
    """The profile as a PrefLib file of the given kind, or of the narrowest kind that
    holds it (soc, then soi, toc, toi). Orders are grouped, most common first."""
    check_names(profile, "a PrefLib file")
    names = [name.strip() for name in profile.candidates]
    if len(set(names)) != len(names):
        raise UnwritableProfileError(
            "PrefLib drops blanks around names, and two names would then be the same"
        )
    fits = fitting_kind(profile)
    if kind is None:
        kind = fits
    elif kind not in KINDS:
        raise UnwritableProfileError(f"unknown PrefLib kind {kind!r}")
    elif kind in _STRICT and fits not in _STRICT:
        raise UnwritableProfileError(f"a {kind} file holds no ties, and some ballots have ties")
    elif kind in _COMPLETE and fits not in _COMPLETE:
        raise UnwritableProfileError(
            f"a {kind} file holds only complete orders, and some ballots leave candidates out"
        )
    grouped = profile.grouped()
    order = np.argsort(-grouped.counts, kind="stable")
    rows = list(ranks_of(grouped))
    out = [
        f"# TITLE: {profile.title.strip()}",
        f"# DATA TYPE: {kind}",
        f"# NUMBER ALTERNATIVES: {len(names)}",
        f"# NUMBER VOTERS: {grouped.total}",
        f"# NUMBER UNIQUE ORDERS: {len(rows)}",
    ]
    out.extend(f"# ALTERNATIVE NAME {i}: {name}" for i, name in enumerate(names, start=1))
    for i in order.tolist():
        count, ranks = rows[i]
        body = ",".join(
            str(rank[0]) if len(rank) == 1 else "{" + ",".join(map(str, rank)) + "}"
            for rank in ranks
        )
        out.append(f"{count}: {body}" if body else f"{count}:")
    return "\n".join(out) + "\n"


def fitting_kind(profile: RankedProfile) -> str:
    """The narrowest PrefLib kind that holds the profile's ballots."""
    ties = profile.tied is not None and bool(
        (profile.tied[:, :-1] & (profile.ballots[:, 1:] != NO_CANDIDATE)).any()
    )
    complete = bool((profile.lengths == len(profile.candidates)).all())
    if ties:
        return "toc" if complete else "toi"
    return "soc" if complete else "soi"


# -- the current layout --------------------------------------------------------------------
def _parse_new(lines: list[str], source: str, kind: str | None) -> RankedProfile:
    header = _Header()
    data: list[int] = []  # indices of the order lines
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            _meta(header, line, i, source)
        else:
            data.append(i)
    kind = _kind(header, kind, source)
    n = _alternatives(header, source)
    names = _names(header, n, source)

    arrays = _fast_orders(lines[data[0] :], n, kind) if data else None
    if arrays is None:
        arrays = _slow_orders(lines, data, n, kind, source, ":")
    ballots, tied, counts = arrays
    _check_totals(header, counts, len(data), source)
    return _arrays.profile(names, ballots, tied, counts, title=header.title)


def _meta(header: _Header, line: str, i: int, source: str) -> None:
    match = _META.fullmatch(line)
    if not match:
        return  # a comment
    key, number, value = match.group(1).upper(), match.group(2), match.group(3).strip()
    if key == "ALTERNATIVE NAME" and number:
        k = int(number)
        if k in header.names:
            raise BallotFileError(
                source, i + 1, f"one ALTERNATIVE NAME {k} line", f"another {quoted(line)}"
            )
        header.names[k] = (value, i)
    elif number:
        return
    elif key == "DATA TYPE":
        if value not in KINDS:
            raise BallotFileError(
                source, i + 1, "DATA TYPE soc, soi, toc or toi (ranked ballots)", quoted(line)
            )
        header.kind = (value, i)
    elif key == "TITLE":
        header.title = value
    elif key in ("NUMBER ALTERNATIVES", "NUMBER VOTERS", "NUMBER UNIQUE ORDERS"):
        amount = whole(value)
        if amount is None:
            raise BallotFileError(source, i + 1, f"a whole number after {key}", quoted(line))
        attribute = {
            "NUMBER ALTERNATIVES": "alternatives",
            "NUMBER VOTERS": "voters",
            "NUMBER UNIQUE ORDERS": "unique",
        }[key]
        setattr(header, attribute, (amount, i))


def _kind(header: _Header, kind: str | None, source: str) -> str | None:
    if header.kind is None:
        return kind
    stated, i = header.kind
    if kind is not None and stated != kind:
        raise BallotFileError(
            source, i + 1, f"DATA TYPE {kind} (as the file name says)", f"DATA TYPE {stated}"
        )
    return stated


def _alternatives(header: _Header, source: str) -> int:
    if header.alternatives is not None:
        n, i = header.alternatives
    elif header.names:
        n, i = max(header.names), -1
    else:
        raise BallotFileError(
            source, None, "a header line # NUMBER ALTERNATIVES: n", "none (and no names)"
        )
    if not 1 <= n <= _arrays.MAX_CANDIDATES:
        raise BallotFileError(
            source,
            i + 1 if i >= 0 else None,
            f"between 1 and {_arrays.MAX_CANDIDATES} alternatives",
            str(n),
        )
    return n


def _names(header: _Header, n: int, source: str) -> tuple[str, ...]:
    for k, (_, i) in sorted(header.names.items()):
        if not 1 <= k <= n:
            raise BallotFileError(
                source, i + 1, f"ALTERNATIVE NAME 1 to {n} (NUMBER ALTERNATIVES)", f"name {k}"
            )
    missing = [k for k in range(1, n + 1) if k not in header.names]
    if missing:
        raise BallotFileError(
            source,
            None,
            f"a line # ALTERNATIVE NAME i: name for each alternative 1 to {n}",
            f"none for {', '.join(map(str, missing[:5]))}{'...' if len(missing) > 5 else ''}",
        )
    seen: dict[str, int] = {}
    for k in range(1, n + 1):
        name, i = header.names[k]
        if name in seen:
            raise BallotFileError(
                source,
                i + 1,
                "a different name for each alternative",
                f"{quoted(name)} again (alternative {seen[name]} has it)",
            )
        seen[name] = k
    return tuple(header.names[k][0] for k in range(1, n + 1))


def _check_totals(header: _Header, counts: NDArray[np.int64], orders: int, source: str) -> None:
    if header.voters is not None:
        stated, i = header.voters
        total = int(counts.sum())
        if stated != total:
            raise BallotFileError(
                source,
                i + 1,
                f"NUMBER VOTERS to be the sum of the counts, {total}",
                f"NUMBER VOTERS: {stated}",
            )
    if header.unique is not None:
        stated, i = header.unique
        if stated != orders:
            raise BallotFileError(
                source,
                i + 1,
                f"NUMBER UNIQUE ORDERS to be the number of order lines, {orders}",
                f"NUMBER UNIQUE ORDERS: {stated}",
            )


def _fast_orders(region: list[str], n: int, kind: str | None) -> Arrays | None:
    """The orders of plain "count: a,b,{c,d}" lines (and blank lines), or None when any
    line is anything else (the slow path then reads, or refuses, the file)."""
    try:
        data = "\n".join(region).encode("ascii")
    except UnicodeEncodeError:
        return None
    punctuation = b":," if kind in _STRICT else b":,{}"
    found = _arrays.scan(data, punctuation)
    if found is None:
        return None
    kinds = found.kinds
    before, after = previous(kinds), following(kinds)
    number = kinds == NUMBER
    count = number & (before == NEWLINE)
    choice = number & ~count
    is_in = np.isin
    ok = (
        (~count | (after == _COLON)).all()
        and (~choice | is_in(before, [_COLON, _COMMA, _OPEN])).all()
        and (~choice | is_in(after, [_COMMA, _CLOSE, NEWLINE])).all()
        and (before[kinds == _COLON] == NUMBER).all()
        and is_in(after[kinds == _COLON], [NUMBER, _OPEN, NEWLINE]).all()
        and is_in(after[kinds == _COMMA], [NUMBER, _OPEN]).all()
        and is_in(before[kinds == _COMMA], [NUMBER, _CLOSE]).all()
        and is_in(before[kinds == _OPEN], [_COLON, _COMMA]).all()
        and (after[kinds == _OPEN] == NUMBER).all()
        and (before[kinds == _CLOSE] == NUMBER).all()
        and is_in(after[kinds == _CLOSE], [_COMMA, NEWLINE]).all()
    )
    if not ok:
        return None
    depth = np.cumsum((kinds == _OPEN).astype(np.int64) - (kinds == _CLOSE))
    if depth.min(initial=0) < 0 or depth.max(initial=0) > 1:
        return None
    if (depth[(kinds == NEWLINE) | (kinds == _COLON)] != 0).any():
        return None
    values = found.values
    counts = values[count]
    choices = values[choice]
    if (counts < 1).any():
        return None
    if len(choices) and (choices.min() < 1 or choices.max() > n):
        return None
    row_of = (np.cumsum(count) - 1)[choice]
    ballots, columns = _arrays.fill_rows(row_of, len(counts), choices - 1)
    if _arrays.has_repeats(ballots).any():
        return None
    tie_marks = (depth[choice] == 1) & (after[choice] == _COMMA)
    tied = None
    if tie_marks.any():
        tied = np.zeros(ballots.shape, dtype=np.bool_)
        tied[row_of, columns] = tie_marks
    if kind in _COMPLETE and ((ballots != NO_CANDIDATE).sum(axis=1) != n).any():
        return None
    return ballots, tied, counts


def _slow_orders(
    lines: list[str], data: list[int], n: int, kind: str | None, source: str, separator: str
) -> Arrays:
    rows = _arrays.Rows()
    for i in data:
        count, ranks = _order(lines[i].strip(), i + 1, n, kind, source, separator)
        rows.add(count, ranks)
    return rows.arrays()


def _order(
    line: str, number: int, n: int, kind: str | None, source: str, separator: str
) -> tuple[int, list[list[int]]]:
    expected = order_text(kind)
    if separator == ",":
        expected = expected.replace(": ", ",")
    head, sep, body = line.partition(separator)
    if not sep:
        raise BallotFileError(source, number, expected, quoted(line))
    head = head.strip()
    if not WHOLE.fullmatch(head):
        raise BallotFileError(
            source, number, f"a whole-number count first ({expected})", quoted(head)
        )
    count = int(head)
    if not 1 <= count <= MAX_COUNT:
        raise BallotFileError(source, number, f"a count between 1 and {MAX_COUNT}", quoted(head))
    ranks: list[list[int]] = []
    seen: set[int] = set()
    group: list[int] | None = None  # the open brace's alternatives
    want_item = False  # after a separator: an alternative (or a brace) must follow
    tokens = _TOKEN.findall(body)
    for token in tokens:
        if token == "{":
            if kind in _STRICT:
                raise BallotFileError(
                    source, number, f"a strict order (no ties in a {kind} file)", quoted(line)
                )
            if group is not None or (ranks and not want_item):
                raise BallotFileError(source, number, expected, quoted(line))
            group, want_item = [], True
        elif token == "}":
            if group is None or want_item:
                raise BallotFileError(source, number, expected, quoted(line))
            ranks.append(group)
            group = None
        elif token == ",":
            if want_item or (not ranks and group is None):
                raise BallotFileError(source, number, expected, quoted(line))
            want_item = True
        else:
            if not want_item and (ranks or (group is not None and group)):
                raise BallotFileError(source, number, expected, quoted(line))
            if not WHOLE.fullmatch(token):
                raise BallotFileError(source, number, expected, quoted(line))
            c = int(token)
            if not 1 <= c <= n:
                raise BallotFileError(
                    source, number, f"alternatives numbered 1 to {n}", quoted(token)
                )
            if c in seen:
                raise BallotFileError(
                    source,
                    number,
                    "each alternative at most once in an order",
                    f"{c} twice in {quoted(line)}",
                )
            seen.add(c)
            if group is None:
                ranks.append([c - 1])
            else:
                group.append(c - 1)
            want_item = False
    if group is not None or want_item:
        raise BallotFileError(source, number, expected, quoted(line))
    if kind in _COMPLETE and len(seen) != n:
        raise BallotFileError(
            source,
            number,
            f"all {n} alternatives ranked (a complete order in a {kind} file)",
            f"{len(seen)} ranked in {quoted(line)}",
        )
    return count, ranks


# -- the older layout ------------------------------------------------------------------------
def _parse_old(lines: list[str], source: str, kind: str | None) -> RankedProfile:
    entries = content(lines)
    i, line = next(entries)
    n = int(line)
    if not 1 <= n <= _arrays.MAX_CANDIDATES:
        raise BallotFileError(
            source, i + 1, f"between 1 and {_arrays.MAX_CANDIDATES} alternatives", quoted(line)
        )
    names: list[str] = []
    seen: dict[str, int] = {}
    for k in range(1, n + 1):
        entry = next(entries, None)
        if entry is None:
            raise BallotFileError(
                source, None, f'{n} lines "i,name" after the first', f"only {k - 1}"
            )
        i, line = entry
        number, sep, name = line.partition(",")
        if not sep or whole(number.strip()) != k:
            raise BallotFileError(
                source, i + 1, f'the name of alternative {k}: "{k},name"', quoted(line)
            )
        name = name.strip()
        if name in seen:
            raise BallotFileError(
                source,
                i + 1,
                "a different name for each alternative",
                f"{quoted(name)} again (alternative {seen[name]} has it)",
            )
        seen[name] = k
        names.append(name)
    entry = next(entries, None)
    totals_line = 'a line "voters,sum of counts,unique orders" after the names'
    if entry is None:
        raise BallotFileError(source, None, totals_line, "the end of the file")
    totals_at, line = entry
    parts = [part.strip() for part in line.split(",")]
    if len(parts) != 3 or not all(WHOLE.fullmatch(part) for part in parts):
        raise BallotFileError(source, totals_at + 1, totals_line, quoted(line))
    voters, total, unique = (int(part) for part in parts)
    data = [j for j, _ in entries]
    ballots, tied, counts = _slow_orders(lines, data, n, kind, source, ",")
    header = _Header(voters=(voters, totals_at), unique=(unique, totals_at))
    _check_totals(header, counts, len(data), source)
    if total != int(counts.sum()):
        raise BallotFileError(
            source,
            totals_at + 1,
            f"the sum of the counts, {int(counts.sum())}, second in the line",
            quoted(line),
        )
    return _arrays.profile(tuple(names), ballots, tied, counts)
