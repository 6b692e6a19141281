"""`smolny export` as a user runs it: a history replayed from a scenario, exported to a
file and to standard output, replayed into another database to the same councils; a
history the format cannot express, refused with its event; a bad option."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.e2e.conftest import run_smolny, said

SMALL = Path(__file__).parents[1] / "data" / "scenario_small.yaml"


def test_an_exported_history_replays_into_another_database(
    database_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    assert run_smolny(database_url, "replay", str(SMALL), "--quiet").returncode == 0
    exported = tmp_path / "town.yaml"
    result = run_smolny(
        database_url, "export", "Town Workers", "--output", str(exported), "--utc-offset", "+02:00"
    )
    assert result.returncode == 0, said(result)
    assert f"Exported Town Workers: 4 events to {exported}" in said(result)
    printed = run_smolny(database_url, "export", "town-workers", "--utc-offset", "+02:00")
    assert printed.returncode == 0, said(printed)
    assert printed.stdout == exported.read_text(encoding="utf-8")
    assert "- at: 2026-03-10\n  title: First elections\n" in printed.stdout

    other = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other)
    other_url = f"sqlite:///{other}"
    replayed = run_smolny(other_url, "replay", str(exported))
    assert replayed.returncode == 0, said(replayed)
    assert "Replayed town-workers: 4 events of the scenario" in said(replayed)
    for day in ("2026-03-11", "2026-05-03"):
        shown = [
            json.loads(
                run_smolny(
                    url, "council", "show", "Town Council", "--at", day, "--format", "json"
                ).stdout
            )
            for url in (database_url, other_url)
        ]
        assert shown[0]["factions"] == shown[1]["factions"]
        assert shown[0]["sections"] == shown[1]["sections"]
    again = run_smolny(other_url, "export", "Town Workers", "--utc-offset", "+02:00")
    assert again.stdout == printed.stdout  # exporting the replay gives the same file
    assert "OK:" in said(run_smolny(other_url, "verify"))


def test_what_the_format_cannot_express_is_refused(database_url: str) -> None:
    """A secret vote: the ledger holds who voted and the totals, which no action replays."""
    assert run_smolny(database_url, "replay", str(SMALL), "--quiet").returncode == 0
    when = ("--at", "2026-05-20T17:00+00:00")
    for command in (
        ("sitting", "convene", "Town Council", "Secret sitting", "--date", "2026-05-20", *when),
        ("sitting", "open", "2", *when),
        ("sitting", "check-in", "2", "--all", *when),
        ("sitting", "agenda-add", "2", "The strike", *when),
        ("sitting", "agenda-next", "2", *when),
        ("sitting", "table", "2", "Strike", "--text", "A strike.", "--faction", "Reds", *when),
        ("sitting", "vote-open", "2", "--mode", "secret", *when),
    ):
        done = run_smolny(database_url, *command)
        assert done.returncode == 0, said(done)
    refused = run_smolny(database_url, "export", "Town Workers")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert (
        "(sitting-vote-opened): version 1 of the scenario format cannot express a secret vote"
    ) in said(refused)
    bad_offset = run_smolny(database_url, "export", "Town Workers", "--utc-offset", "CET")
    assert bad_offset.returncode == 1
    assert "'CET' is not a UTC offset like +03:00" in said(bad_offset)
    unknown = run_smolny(database_url, "export", "Atlantis")
    assert unknown.returncode == 1
    assert "no organization named 'Atlantis'" in said(unknown)
