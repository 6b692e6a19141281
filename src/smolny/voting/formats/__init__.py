"""Ballot files: reading and writing BLT, PrefLib (soc, soi, toc, toi) and CSV cast vote
records as `RankedProfile`s.

The parsers and writers turn text into profiles and back, opening no file; `read_profile`
and `write_profile` do the opening. Every reader returns a grouped profile (identical
ballots merged) and refuses a malformed file with a `BallotFileError` naming the file, the
line and what was expected there; nothing is returned in part.
"""

from smolny.voting.formats.blt import parse_blt, write_blt
from smolny.voting.formats.cvr import parse_cvr_csv, write_cvr_csv
from smolny.voting.formats.errors import BallotFileError, UnwritableProfileError
from smolny.voting.formats.files import (
    FORMATS,
    decode,
    detect_format,
    format_of,
    parse_profile,
    read_profile,
    write_profile,
    write_text,
)
from smolny.voting.formats.preflib import fitting_kind, parse_preflib, write_preflib

__all__ = [
    "FORMATS",
    "BallotFileError",
    "UnwritableProfileError",
    "decode",
    "detect_format",
    "fitting_kind",
    "format_of",
    "parse_blt",
    "parse_cvr_csv",
    "parse_preflib",
    "parse_profile",
    "read_profile",
    "write_blt",
    "write_cvr_csv",
    "write_preflib",
    "write_profile",
    "write_text",
]
