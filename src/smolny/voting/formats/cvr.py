"""Cast vote records as CSV: one row per ballot (or per group of identical ballots).

The dialect, exactly:

- UTF-8 text, comma-separated, fields quoted as in RFC 4180 (`"Smith, Jr."`, a quote
  inside written twice).
- Before the header row, lines whose first character is "#" are comments. Four of them
  say something, each "# key: value" (key in any case):
  `# candidates: A,B,"C, Jr."` the candidates in order, as one CSV row (candidates with
  no votes survive only this way); `# title: text`; `# seats: n`; `# withdrawn: B` (a CSV
  row of candidate names). Other comments are ignored; blank lines too.
- The header row names the columns. Rank columns are those whose name contains "rank" or
  "choice" (in any case: `rank1`, `Choice_2`, `ranking 3`), first preference leftmost,
  in the order they stand. A column named `count` or `weight` (any case) gives how many
  voters cast the row's ballot (a whole number, at least 1); without one each row is one
  voter. Other columns (`ballot_id`, `precinct`...) are ignored. There must be at least
  one rank column.
- A rank cell holds a candidate's name; surrounding blanks are not part of it. Blank
  cells may only follow the last preference (a blank before a name is a gap: an error),
  and no name may stand twice on a ballot. A row may have fewer cells than the header
  (the missing ones are blank), not more. A row whose cells are all blank is skipped; a
  ballot ranking no one needs a count or an id to be kept.
- The candidates are those of the `# candidates` line (a name not in it is an error), or
  else the distinct names in order of first appearance (rows top to bottom, ranks left
  to right).
- There are no ties: a rank cell names one candidate.

Writing produces this dialect: the `# candidates` line (and `# title`, `# seats`,
`# withdrawn` when set), then `count,rank1,...,rankN` and one row per distinct ballot.
Names are written without surrounding blanks.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from smolny.voting.formats import _arrays
from smolny.voting.formats._text import MAX_COUNT, WHOLE, check_names, ranks_of, split_lines
from smolny.voting.formats.errors import BallotFileError, UnwritableProfileError, quoted
from smolny.voting.profile import RankedProfile

HEADER = 'a header row naming the rank columns ("rank1,rank2,..." or "choice_1,...")'
_COMMENT = re.compile(r"#\s*(candidates|title|seats|withdrawn)\s*:(.*)", re.IGNORECASE)


def is_rank_column(name: str) -> bool:
    lowered = name.strip().lower()
    return "rank" in lowered or "choice" in lowered


def is_count_column(name: str) -> bool:
    return name.strip().lower() in ("count", "weight")


def parse_cvr_csv(text: str | Iterable[str], source: str = "<csv>") -> RankedProfile:
    """The grouped profile a CSV of cast vote records holds (the dialect above)."""
    lines = split_lines(text)
    listed: list[str] | None = None
    listed_at = 0
    title = ""
    seats: int | None = None
    withdrawn_names: list[tuple[str, int]] = []
    header_at = -1
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            header_at = i
            break
        match = _COMMENT.fullmatch(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "candidates":
            listed, listed_at = _names_row(value, source, i), i
        elif key == "title":
            title = value
        elif key == "seats":
            if not WHOLE.fullmatch(value) or int(value) < 1:
                raise BallotFileError(source, i + 1, "a whole number of seats", quoted(line))
            seats = int(value)
        else:
            withdrawn_names.extend((name, i) for name in _names_row(value, source, i))
    if header_at < 0:
        if not any(line.strip() for line in lines):
            raise BallotFileError(source, None, HEADER, "an empty file")
        raise BallotFileError(source, None, HEADER, "only comments")

    columns = next(csv.reader([lines[header_at]]))
    ranks = [j for j, name in enumerate(columns) if is_rank_column(name)]
    count_columns = [j for j, name in enumerate(columns) if is_count_column(name)]
    if not ranks:
        raise BallotFileError(source, header_at + 1, HEADER, quoted(lines[header_at]))
    if len(count_columns) > 1:
        raise BallotFileError(
            source, header_at + 1, "at most one count (or weight) column", quoted(lines[header_at])
        )
    count_at = count_columns[0] if count_columns else -1

    # Identical ballots are gathered first (with the line each first stood on), then each
    # distinct ballot is checked once.
    seen: dict[tuple[str, ...], list[int]] = {}
    reader = csv.reader(io.StringIO("\n".join(lines[header_at + 1 :])))
    before = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise BallotFileError(
                source, header_at + 1 + reader.line_num, "a CSV row", str(error)
            ) from None
        number = header_at + 1 + before + 1
        before = reader.line_num
        if all(not cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise BallotFileError(
                source,
                number,
                f"at most {len(columns)} cells, as the header has",
                f"{len(row)} cells",
            )
        count = 1
        if count_at >= 0:
            cell = row[count_at].strip() if count_at < len(row) else ""
            if not WHOLE.fullmatch(cell) or not 1 <= int(cell) <= MAX_COUNT:
                raise BallotFileError(
                    source,
                    number,
                    f"a whole-number {columns[count_at].strip()} of at least 1",
                    quoted(cell),
                )
            count = int(cell)
        key = tuple(row[j].strip() if j < len(row) else "" for j in ranks)
        entry = seen.get(key)
        if entry is None:
            seen[key] = [count, number]
        else:
            entry[0] += count

    index: dict[str, int] = {name: k for k, name in enumerate(listed or ())}
    rows = _arrays.Rows()
    for key, (count, number) in seen.items():
        last = max((j for j, name in enumerate(key) if name), default=-1)
        ballot: list[list[int]] = []
        on_ballot: set[str] = set()
        for j in range(last + 1):
            name = key[j]
            if not name:
                later = next(n for n in key[j + 1 : last + 1] if n)
                raise BallotFileError(
                    source,
                    number,
                    "blank rank cells only after the last preference",
                    f"{columns[ranks[j]].strip()} blank before {quoted(later)}",
                )
            if name in on_ballot:
                raise BallotFileError(
                    source,
                    number,
                    "each candidate at most once on a ballot",
                    f"{quoted(name)} twice",
                )
            on_ballot.add(name)
            k = index.get(name)
            if k is None:
                if listed is not None:
                    raise BallotFileError(
                        source,
                        number,
                        f"a candidate of the # candidates line (line {listed_at + 1})",
                        quoted(name),
                    )
                k = index[name] = len(index)
            ballot.append([k])
        rows.add(count, ballot)
    if len(index) > _arrays.MAX_CANDIDATES:
        raise BallotFileError(
            source, None, f"at most {_arrays.MAX_CANDIDATES} candidates", str(len(index))
        )
    withdrawn: set[int] = set()
    for name, i in withdrawn_names:
        if name not in index:
            raise BallotFileError(
                source, i + 1, "withdrawn candidates among the candidates", quoted(name)
            )
        withdrawn.add(index[name])
    ballots, tied, counts = rows.arrays()
    return _arrays.profile(
        tuple(index),
        ballots,
        tied,
        counts,
        withdrawn=frozenset(withdrawn),
        title=title,
        seats=seats,
    )


def _names_row(value: str, source: str, i: int) -> list[str]:
    names = [name.strip() for name in next(csv.reader([value]), [])]
    if not all(names):
        raise BallotFileError(source, i + 1, "a comma-separated list of names", quoted(value))
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise BallotFileError(
            source, i + 1, "each candidate once in the list", f"{quoted(twice)} twice"
        )
    return names


def write_cvr_csv(profile: RankedProfile) -> str:
    """The profile in the CSV dialect above (which has no ties)."""
    check_names(profile, "a CSV file")
    names = [name.strip() for name in profile.candidates]
    if not all(names):
        raise UnwritableProfileError("a CSV file cannot hold a blank candidate name")
    if len(set(names)) != len(names):
        raise UnwritableProfileError(
            "CSV drops blanks around names, and two names would then be the same"
        )
    out: list[str] = [
        "# candidates: " + _row(names),
    ]
    if profile.title.strip():
        out.append(f"# title: {profile.title.strip()}")
    if profile.seats is not None:
        out.append(f"# seats: {profile.seats}")
    if profile.withdrawn:
        out.append("# withdrawn: " + _row([names[c] for c in sorted(profile.withdrawn)]))
    width = max(1, profile.ballots.shape[1])
    out.append(_row(["count", *(f"rank{j}" for j in range(1, width + 1))]))
    for count, ranks in ranks_of(profile):
        if any(len(rank) > 1 for rank in ranks):
            raise UnwritableProfileError("a CSV file of cast vote records holds no ties")
        cells = [names[rank[0] - 1] for rank in ranks]
        out.append(_row([str(count), *cells, *[""] * (width - len(cells))]))
    return "\n".join(out) + "\n"


def _row(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()
