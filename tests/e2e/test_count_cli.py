"""`smolny count` as a subprocess, on the public elections and on broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ELECTIONS, IN_CI

pytestmark = pytest.mark.skipif(
    not ELECTIONS.is_dir() and not IN_CI, reason=f"no election data at {ELECTIONS}"
)
BURLINGTON = ELECTIONS / "burlington-2009" / "00005-00000002.toi"
DUBLIN_WEST = ELECTIONS / "ireland-2002" / "00001-00000002.soi"
WARD = ELECTIONS / "scotland-2022" / "aberdeen_2022_ward1.blt"


def count(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smolny", "count", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def document(*args: str | Path) -> dict[str, object]:
    done = count(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    parsed: dict[str, object] = json.loads(done.stdout)
    return parsed


def test_burlington_by_instant_runoff_elects_kiss_in_a_readable_table() -> None:
    done = count(BURLINGTON, "--method", "irv")
    assert done.returncode == 0, done.stderr
    assert "Elected (in order): Bob Kiss" in done.stdout
    assert "Round by round" in done.stdout
    assert "2,951" in done.stdout  # Wright's first preferences, as declared


def test_burlington_by_schulze_elects_the_condorcet_winner() -> None:
    assert document(BURLINGTON, "--method", "schulze")["elected"] == ["Andy Montroll"]


def test_dublin_west_by_scottish_stv_elects_the_declared_three() -> None:
    result = document(DUBLIN_WEST, "--method", "scottish-stv", "--seats", "3")
    names = " ".join(result["elected"])  # type: ignore[arg-type]
    for declared in ("Lenihan", "Higgins", "Burton"):
        assert declared in names
    assert result["method"] == "scottish-stv"
    assert result["seats"] == 3


def test_a_scottish_ward_takes_its_seats_from_the_file_and_shows_every_round() -> None:
    result = document(WARD, "--method", "scottish-stv")
    assert result["seats"] == 4
    rounds = result["rounds"]
    assert isinstance(rounds, list)
    assert rounds[0]["quota"] == 1320  # floor(6598 / 5) + 1
    assert len(result["elected"]) == 4  # type: ignore[arg-type]
    assert set(result) >= {"method", "seats", "candidates", "elected", "rounds", "ties"}


def test_the_same_file_counts_the_same_way_twice() -> None:
    assert document(WARD, "--method", "meek-stv") == document(WARD, "--method", "meek-stv")


def test_a_malformed_file_is_refused_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.blt"
    broken.write_text('3 1\n1 1 2 0\n1 2 x 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    done = count(broken, "--method", "irv")
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert "broken.blt, line 3" in message
    assert "expected" in message


def test_an_unknown_method_is_a_usage_error() -> None:
    done = count(WARD, "--method", "borda")
    assert done.returncode == 2
    assert "scottish-stv" in done.stderr


def test_a_party_list_count_with_a_threshold(tmp_path: Path) -> None:
    votes = tmp_path / "parties.csv"
    votes.write_text(
        "count,rank1\n"
        + "".join(f"{n},{party}\n" for party, n in (("Red", 480), ("Blue", 330), ("Green", 40)))
    )
    result = document(votes, "--method", "dhondt", "--seats", "10", "--threshold", "5%")
    assert result["elected"].count("Red") == 6  # type: ignore[union-attr]
    assert result["elected"].count("Blue") == 4  # type: ignore[union-attr]
    assert "Green" in result["rounds"][0]["excluded"]  # type: ignore[index]
