"""BLT ballot files (the ERS/OpenSTV format used for STV counts).

    10 3                     candidates and seats
    -2 -5                    withdrawn candidates (optional, any number of such lines)
    1 4 2 6 10 0             a ballot: weight, then candidates 1-based best first, then 0
    (b17) 2 2=7 1 0          an optional ballot id in parentheses; "=" ties two candidates
    0                        the end of the ballots
    "Vish ARCHER"            one name a line, in double quotes ("" for a quote inside;
                             "Ann SMITH" "Labour" reads as: Ann SMITH "Labour")
    ...
    "Tillydrone Ward"        the title, quoted or bare

Lines starting with "#" are comments, as is anything after "#" on a number line. A ballot
with weight w stands for w voters casting it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator

import numpy as np

from smolny.voting.formats import _arrays
from smolny.voting.formats._arrays import Arrays
from smolny.voting.formats._text import (
    MAX_COUNT,
    SIGNED,
    WHOLE,
    as_text,
    check_names,
    content,
    empty_file,
    ranks_of,
    split_lines,
)
from smolny.voting.formats.errors import BallotFileError, enquote, quoted, unquote
from smolny.voting.profile import RankedProfile

HEADER = 'a first line "candidates seats" (two whole numbers)'
BALLOT = 'a ballot "weight c1 c2 ... 0"'
_BALLOT_ID = re.compile(r"\(([^()]*)\)\s*")
_PLAIN = np.zeros(256, dtype=np.bool_)  # the bytes of plain ballot lines
_PLAIN[[ord(c) for c in "0123456789 \t\n"]] = True
_BLANK = np.zeros(256, dtype=np.bool_)
_BLANK[[ord(" "), ord("\t")]] = True
_TIE = re.compile(r"\s*=\s*")
_QUOTED_FIELD = re.compile(r'"((?:[^"]|"")*)"')
_QUOTED_FIELDS = re.compile(r'(?:"(?:[^"]|"")*"\s*)+')


def parse_blt(text: str | Iterable[str], source: str = "<blt>") -> RankedProfile:
    """The grouped profile a BLT file holds (`source` names it in error messages)."""
    text = as_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    head = _head(text)
    first = next(head, None)
    if first is None:
        lines = split_lines(text)
        raise empty_file(source, lines, HEADER)
    number, _, header = first
    n_candidates, seats = _header(header, source, number)

    withdrawn: set[int] = set()
    ballots_at = len(text)  # where the ballot lines start: the offset, and the line number
    ballots_line = number + 1
    for number, offset, line in head:
        tokens = line.split()
        if not all(SIGNED.fullmatch(t) and t.startswith("-") for t in tokens):
            ballots_at, ballots_line = offset, number
            break
        for token in tokens:
            k = -int(token)
            if not 1 <= k <= n_candidates:
                raise BallotFileError(
                    source, number, f'withdrawn candidates "-1" to "-{n_candidates}"', quoted(token)
                )
            withdrawn.add(k - 1)
        ballots_line = number + 1

    # The usual file: plain ballot lines up to a line "0", read in a few numpy passes.
    arrays: Arrays | None = None
    zero_at = text.find("\n0\n", ballots_at - 1)
    if zero_at < 0 and text.endswith("\n0"):
        zero_at = len(text) - 2
    if zero_at >= 0:
        arrays = _fast_ballots(text[ballots_at:zero_at], n_candidates)
    if arrays is not None:
        zero_line = text.count("\n", 0, zero_at + 1) + 1
        rest = split_lines(text[zero_at + 3 :])
        entries = [(zero_line + 1 + i, line) for i, line in content(rest)]
    else:
        lines = split_lines(text)
        arrays, zero_index = _slow_ballots(lines, ballots_line - 1, n_candidates, source)
        zero_line = zero_index + 1
        entries = [(i + 1, line) for i, line in content(lines, zero_index + 1)]

    ballots, tied, counts = _arrays.group(*arrays)
    if _arrays.has_repeats(ballots).any():  # only the fast path lets repeats through
        _slow_ballots(split_lines(text), ballots_line - 1, n_candidates, source)
    names, title = _names(entries, zero_line, n_candidates, source)
    return _arrays.profile(
        names,
        ballots,
        tied,
        counts,
        withdrawn=frozenset(withdrawn),
        title=title,
        seats=seats,
        grouped=True,
    )


def _head(text: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset, uncommented line) of the lines with content, from the start."""
    position, number = 0, 1
    while position < len(text):
        end = text.find("\n", position)
        if end < 0:
            end = len(text)
        line = text[position:end].strip()
        if line and not line.startswith("#"):
            yield number, position, _uncomment(line)
        position, number = end + 1, number + 1


def write_blt(profile: RankedProfile, *, seats: int | None = None) -> str:
    """The profile as BLT text. Seats: `seats`, else the profile's, else 1."""
    check_names(profile, "a BLT file")
    seats = seats if seats is not None else profile.seats if profile.seats is not None else 1
    out = [f"{len(profile.candidates)} {seats}"]
    if profile.withdrawn:
        out.append(" ".join(f"-{c + 1}" for c in sorted(profile.withdrawn)))
    for count, ranks in ranks_of(profile):
        choices = " ".join("=".join(map(str, rank)) for rank in ranks)
        out.append(f"{count} {choices} 0" if choices else f"{count} 0")
    out.append("0")
    out.extend(enquote(name) for name in profile.candidates)
    out.append(enquote(profile.title))
    return "\n".join(out) + "\n"


def _uncomment(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _header(line: str, source: str, number: int) -> tuple[int, int]:
    tokens = line.split()
    if len(tokens) != 2 or not all(WHOLE.fullmatch(t) for t in tokens):
        raise BallotFileError(source, number, HEADER, quoted(line))
    n_candidates, seats = int(tokens[0]), int(tokens[1])
    if not 1 <= n_candidates <= _arrays.MAX_CANDIDATES:
        raise BallotFileError(
            source,
            number,
            f"between 1 and {_arrays.MAX_CANDIDATES} candidates in the first line",
            quoted(line),
        )
    if seats < 1:
        raise BallotFileError(source, number, "at least 1 seat in the first line", quoted(line))
    return n_candidates, seats


def _fast_ballots(region: str, n_candidates: int) -> Arrays | None:
    """The ballots of plain lines "w c1 ... 0", or None when any line is anything else
    (blank, a comment, a tie, an id, a mistake...: the slow path then reads, or refuses,
    the file)."""
    if not region:
        return np.zeros((0, 0), np.int16), None, np.zeros(0, np.int64)
    try:
        data = region.encode("ascii")
    except UnicodeEncodeError:
        return None
    a = np.frombuffer(data + b"\n", dtype=np.uint8)
    if not _PLAIN[a].all():
        return None
    # Every line ends in a token "0": with exactly as many zeros as lines, the zeros are
    # the line ends, and the number after each is the next ballot's weight.
    ends = np.flatnonzero(a == ord("\n"))
    line_starts = np.zeros(len(ends), dtype=np.int64)
    line_starts[1:] = ends[:-1] + 1
    if ((ends - line_starts) < 3).any():
        return None
    if (a[ends - 1] != ord("0")).any() or not _BLANK[a[ends - 2]].all():
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            values = np.fromstring(data, dtype=np.int64, sep=" ")
        except Exception:  # a warning made an error, or a numpy without fromstring
            return None
    zeros = np.flatnonzero(values == 0)
    if len(zeros) != len(ends):
        return None
    firsts = np.zeros(len(zeros), dtype=np.int64)
    firsts[1:] = zeros[:-1] + 1
    weights = values[firsts]
    if weights.min() < 1 or weights.max() > MAX_COUNT:
        return None
    keep = np.ones(len(values), dtype=np.bool_)
    keep[zeros] = False
    keep[firsts] = False
    choices = values[keep]
    if len(choices) and (choices.min() < 1 or choices.max() > n_candidates):
        return None
    lengths = zeros - firsts - 1
    row_of = np.repeat(np.arange(len(zeros), dtype=np.int64), lengths)
    ballots, _ = _arrays.fill_rows(row_of, len(zeros), choices - 1)
    return ballots, None, weights  # repeats are looked for once grouped


def _slow_ballots(
    lines: list[str], start: int, n_candidates: int, source: str
) -> tuple[Arrays, int]:
    """The ballots line by line, with a precise error for the first bad one; and the
    index of the "0" line ending them."""
    rows = _arrays.Rows()
    for i in range(start, len(lines)):
        line = lines[i]
        if "#" in line:
            line = line.split("#", 1)[0]
        line = line.strip()
        if not line:
            continue
        if line == "0":
            return rows.arrays(), i
        # A plain ballot "w c1 ... 0" is read here; anything else goes to _ballot, which
        # reads ties and ids, and words the error if there is one.
        tokens = line.split()
        if "".join(tokens).isdigit() and line.isascii():
            numbers = list(map(int, tokens))
            choices = numbers[1:-1]
            if (
                len(numbers) > 1
                and numbers[-1] == 0
                and 1 <= numbers[0] <= MAX_COUNT
                and (not choices or (min(choices) >= 1 and max(choices) <= n_candidates))
                and len(set(choices)) == len(choices)
            ):
                rows.add_strict(numbers[0], [c - 1 for c in choices])
                continue
        if line.startswith('"'):
            raise BallotFileError(
                source, i + 1, 'a line "0" ending the ballots before the names', quoted(line)
            )
        count, ranks = _ballot(line, n_candidates, source, i + 1)
        rows.add(count, ranks)
    raise BallotFileError(source, None, 'a line "0" ending the ballots', "the end of the file")


def _ballot(line: str, n_candidates: int, source: str, number: int) -> tuple[int, list[list[int]]]:
    text = line
    match = _BALLOT_ID.match(text)
    if match:
        text = text[match.end() :]
    tokens = _TIE.sub("=", text).split()
    if not tokens:
        raise BallotFileError(source, number, BALLOT, quoted(line))
    weight = tokens[0]
    if not SIGNED.fullmatch(weight):
        raise BallotFileError(
            source, number, "a whole-number weight first on the ballot line", quoted(weight)
        )
    count = int(weight)
    if count < 1 or count > MAX_COUNT:
        raise BallotFileError(source, number, f"a weight between 1 and {MAX_COUNT}", quoted(weight))
    ranks: list[list[int]] = []
    seen: set[int] = set()
    for position, token in enumerate(tokens[1:], start=1):
        if token == "0":
            if position != len(tokens) - 1:
                after = " ".join(tokens[position + 1 :])
                raise BallotFileError(
                    source, number, 'nothing after the "0" ending the ballot', quoted(after)
                )
            return count, ranks
        rank: list[int] = []
        for part in token.split("="):
            if not WHOLE.fullmatch(part):
                raise BallotFileError(source, number, BALLOT, quoted(line))
            c = int(part)
            if not 1 <= c <= n_candidates:
                raise BallotFileError(
                    source, number, f"candidate numbers 1 to {n_candidates}", quoted(part)
                )
            if c in seen:
                raise BallotFileError(
                    source,
                    number,
                    "each candidate at most once on a ballot",
                    f"candidate {c} twice in {quoted(line)}",
                )
            seen.add(c)
            rank.append(c - 1)
        ranks.append(rank)
    raise BallotFileError(source, number, 'the ballot to end with "0"', quoted(line))


def _names(
    entries: list[tuple[int, str]], zero_line: int, n_candidates: int, source: str
) -> tuple[tuple[str, ...], str]:
    """The names and the title from the (line number, line) entries after the "0" line."""
    if len(entries) < n_candidates + 1:
        raise BallotFileError(
            source,
            zero_line,
            f'{n_candidates} candidate names (one a line) and then the title after the "0" line',
            f"{len(entries)} lines",
        )
    if len(entries) > n_candidates + 1:
        number, extra = entries[n_candidates + 1]
        raise BallotFileError(
            source,
            number,
            f"{n_candidates} candidate names, then the title, and nothing after them",
            quoted(extra),
        )
    names: list[str] = []
    where: dict[str, int] = {}
    for k, (number, line) in enumerate(entries[:n_candidates], start=1):
        name = _text(line, source, number, "a candidate name")
        if name in where:
            raise BallotFileError(
                source,
                number,
                "a different name for each candidate",
                f"{quoted(name)} again (candidate {where[name]} has it)",
            )
        where[name] = k
        names.append(name)
    number, line = entries[n_candidates]
    return tuple(names), _text(line, source, number, "the title")


def _text(line: str, source: str, number: int, what: str) -> str:
    """A quoted or bare name or title. Several quoted strings on the line, as in
    `"Ann SMITH" "Labour"`, read as the first followed by the others in quotes:
    `Ann SMITH "Labour"` (the form the other files give with doubled quotes)."""
    if not line.startswith('"'):
        return line
    text = unquote(line)
    if text is not None:
        return text
    if _QUOTED_FIELDS.fullmatch(line):
        fields: list[str] = [f.replace('""', '"') for f in _QUOTED_FIELD.findall(line)]
        return fields[0] + "".join(f' "{field}"' for field in fields[1:])
    raise BallotFileError(
        source, number, f'{what} in double quotes (a quote inside written "")', quoted(line)
    )
