"""`smolny replay` as a user runs it: the timeline it prints, what the database holds
after, and a refused scenario that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import run_smolny, said

SMALL = Path(__file__).parents[1] / "data" / "scenario_small.yaml"


def test_replay_prints_the_timeline_and_the_councils_show_its_results(database_url: str) -> None:
    result = run_smolny(database_url, "replay", str(SMALL))
    assert result.returncode == 0, said(result)
    text = said(result)
    assert "2026-03-10 12:00 │ First elections │ 4" in text
    assert "Replayed small-town: 4 events of the scenario, 34 events in the ledger." in text
    shown = run_smolny(
        database_url, "council", "show", "Town Council", "--at", "2026-05-03", "--format", "json"
    )
    document = json.loads(shown.stdout)
    assert document["factions"] == {"Reds": 5, "Blues": 4}
    assert document["sections"]["Drivers"]["factions"] == {"Reds": 1, "Blues": 2}
    assert "OK: 34 events" in said(run_smolny(database_url, "verify"))


def test_a_refused_scenario_says_where_and_changes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace('quorum: "1/3"', 'quorum: "3/2"'))
    result = run_smolny(database_url, "replay", str(bad))
    assert result.returncode == 1
    assert (
        "event 1 (2026-03-01, 'The town council is founded'), action 7 (standing_rules): "
        "the quorum is a share of the seated delegates below 1"
    ) in said(result)
    assert "no council named 'Town Council'" in said(
        run_smolny(database_url, "council", "show", "Town Council")
    )


def test_an_unknown_scenario_names_the_built_in_ones(database_url: str) -> None:
    result = run_smolny(database_url, "replay", "atlantis")
    assert result.returncode == 1
    assert "no scenario named 'atlantis' (built in:" in said(result)
