"""Text helpers shared by the readers and writers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from smolny.voting.formats.errors import BallotFileError, UnwritableProfileError
from smolny.voting.profile import NO_CANDIDATE, RankedProfile

WHOLE = re.compile(r"[0-9]+")  # a whole number as the files write it (no sign, no "_")
SIGNED = re.compile(r"[+-]?[0-9]+")
MAX_COUNT = 10**15 - 1  # a count or weight above this is surely a mistake (and not exact)


def as_text(text: str | Iterable[str]) -> str:
    """A text (or an iterable of lines, with or without their line ends) as one string,
    without a byte order mark at the start."""
    if not isinstance(text, str):
        text = "\n".join(line.rstrip("\r\n") for line in text)
    return text.removeprefix("\ufeff")


def split_lines(text: str | Iterable[str]) -> list[str]:
    """The lines of a text (see `as_text`) without line ends. Lines are split at "\\n"
    only (with "\\r\\n" ends tolerated), so line numbers are the editor's."""
    lines = as_text(text).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines] if any("\r" in x for x in lines) else lines


def content(lines: list[str], start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, stripped line) of each line from `start` that is neither blank nor a
    comment (a line whose first non-blank character is "#")."""
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            yield i, stripped


def empty_file(source: str, lines: list[str], expected: str) -> BallotFileError:
    """The error for a file with nothing to read."""
    if not any(line.strip() for line in lines):
        return BallotFileError(source, None, expected, "an empty file")
    return BallotFileError(source, None, expected, "only comments")


def whole(token: str) -> int | None:
    """A whole number written plainly, or None."""
    return int(token) if WHOLE.fullmatch(token) else None


def check_names(profile: RankedProfile, what: str) -> None:
    """Refuse names (and a title) that would break a line-based file."""
    for name in (*profile.candidates, profile.title):
        if "\n" in name or "\r" in name:
            raise UnwritableProfileError(
                f"{what} cannot hold a name or title with a line break: {name!r}"
            )


def ranks_of(profile: RankedProfile) -> Iterator[tuple[int, list[list[int]]]]:
    """(count, groups of tied candidates best first) per row, 1-based candidate numbers."""
    ballots = profile.ballots.tolist()
    counts = profile.counts.tolist()
    if profile.tied is None:
        for count, row in zip(counts, ballots, strict=True):
            yield count, [[c + 1] for c in row if c != NO_CANDIDATE]
        return
    tied = profile.tied.tolist()
    for count, row, ties in zip(counts, ballots, tied, strict=True):
        ranks: list[list[int]] = []
        current: list[int] = []
        for j, c in enumerate(row):
            if c == NO_CANDIDATE:
                break
            current.append(c + 1)
            if not (ties[j] and j + 1 < len(row) and row[j + 1] != NO_CANDIDATE):
                ranks.append(current)
                current = []
        yield count, ranks
