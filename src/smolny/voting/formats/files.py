"""Choosing a format, and the only file opening: `read_profile` and `write_profile`."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from pathlib import Path

from smolny.voting.formats import blt, cvr, preflib
from smolny.voting.formats._text import split_lines
from smolny.voting.formats.errors import BallotFileError, UnwritableProfileError, quoted
from smolny.voting.profile import RankedProfile

FORMATS = ("blt", "soc", "soi", "toc", "toi", "preflib", "csv")
UNKNOWN = "a BLT, PrefLib (soc, soi, toc, toi) or CSV ballot file"
_EXTENSIONS = {".blt": "blt", ".csv": "csv"} | {f".{k}": k for k in preflib.KINDS}
_PREFLIB_KEY = re.compile(
    r"#\s*(DATA TYPE|ALTERNATIVE NAME \d+|NUMBER ALTERNATIVES|NUMBER UNIQUE ORDERS)\s*:",
    re.IGNORECASE,
)
_BLT_HEADER = re.compile(r"[0-9]+\s+[0-9]+(\s*#.*)?")
_CHUNK = 1 << 20

Progress = Callable[[int, int], None]


def format_of(path: str | os.PathLike[str]) -> str | None:
    """The format a file name's extension says ("blt", "soi", "csv"...), or None."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


def detect_format(text: str) -> str | None:
    """The format the text looks like ("blt", "preflib" or "csv"), or None."""
    lines = split_lines(text[: 1 << 16])
    for line in lines[:200]:
        if _PREFLIB_KEY.match(line.strip()):
            return "preflib"
    body = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not body:
        return None
    first = body[0]
    if _BLT_HEADER.fullmatch(first):
        return "blt"
    if first.isdigit() and len(body) > 1 and re.match(r"1\s*,", body[1]):
        return "preflib"  # the older PrefLib layout: alternatives, then "1,name"
    columns = next(csv.reader([first]), [])
    if any(cvr.is_rank_column(c) for c in columns):
        return "csv"
    return None


def parse_profile(
    data: str | bytes, source: str = "<ballots>", format: str | None = None
) -> RankedProfile:
    """The grouped profile in `data` (bytes must be UTF-8). `format` is one of FORMATS;
    without it the extension of `source` decides, and failing that the content."""
    text = decode(data, source) if isinstance(data, bytes) else data
    kind = format if format is not None else format_of(source)
    if kind is None:
        if not text.strip():
            raise BallotFileError(source, None, UNKNOWN, "an empty file")
        kind = detect_format(text)
        if kind is None:
            first = next((line for line in split_lines(text) if line.strip()), "")
            raise BallotFileError(source, None, UNKNOWN, f"a first line {quoted(first)}")
    if kind == "blt":
        return blt.parse_blt(text, source)
    if kind == "csv":
        return cvr.parse_cvr_csv(text, source)
    if kind == "preflib":
        return preflib.parse_preflib(text, source)
    if kind in preflib.KINDS:
        return preflib.parse_preflib(text, source, kind)
    raise ValueError(f"unknown ballot format {kind!r}: expected one of {', '.join(FORMATS)}")


def decode(data: bytes, source: str) -> str:
    """UTF-8 bytes as text (a byte order mark dropped), or a BallotFileError naming the
    line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise BallotFileError(source, line, "UTF-8 text", f"the byte 0x{bad}") from None


def read_profile(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    progress: Progress | None = None,
) -> RankedProfile:
    """The grouped profile in a ballot file; the format from `format`, else the file's
    extension (.blt, .soc, .soi, .toc, .toi, .csv), else its content. `progress` is called
    with (bytes read, total bytes) as the file is read, and once more when it is parsed."""
    path = Path(path)
    total = path.stat().st_size
    chunks: list[bytes] = []
    done = 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            chunks.append(chunk)
            done += len(chunk)
            if progress is not None:
                progress(min(done, total), max(total, done))
    data = b"".join(chunks)
    profile = parse_profile(data, path.name, format if format is not None else format_of(path))
    if progress is not None:
        progress(len(data), len(data))
    return profile


def write_text(profile: RankedProfile, format: str) -> str:
    """The profile as text in `format` (one of FORMATS; "preflib" picks the narrowest
    PrefLib kind)."""
    if format == "blt":
        return blt.write_blt(profile)
    if format == "csv":
        return cvr.write_cvr_csv(profile)
    if format == "preflib":
        return preflib.write_preflib(profile)
    if format in preflib.KINDS:
        return preflib.write_preflib(profile, format)
    raise UnwritableProfileError(
        f"unknown ballot format {format!r}: expected one of {', '.join(FORMATS)}"
    )


def write_profile(
    profile: RankedProfile, path: str | os.PathLike[str], format: str | None = None
) -> None:
    """Write the profile to `path` (UTF-8) in `format`, else the one its extension says
    (a PrefLib extension names the kind, which must hold the profile)."""
    path = Path(path)
    kind = format if format is not None else format_of(path)
    if kind is None:
        raise UnwritableProfileError(
            f"cannot tell a ballot format from {path.name!r}: give one of {', '.join(FORMATS)}"
        )
    text = write_text(profile, kind)
    path.write_text(text, encoding="utf-8", newline="\n")
