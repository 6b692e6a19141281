"""The demo as a user finds it: `smolny demo` replays Petrograd 1917 beside the union
federation, and `smolny council show ... --at ... --format json` gives the record's seats."""

from __future__ import annotations

import json

from tests.e2e.conftest import DemoDatabase, run_smolny, said


def show(url: str, council: str, at: str) -> dict[str, object]:
    result = run_smolny(url, "council", "show", council, "--at", at, "--format", "json")
    assert result.returncode == 0, said(result)
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_the_second_congress_and_the_petrograd_executive_from_the_command(
    demo_database: DemoDatabase,
) -> None:
    url = demo_database.copy()
    congress = show(url, "All-Russian Congress of Soviets", "1917-10-26")
    assert congress["seats"] == 650
    assert congress["factions"] == {
        "Bolsheviks": 390,
        "Socialist Revolutionaries": 64,
        "Left Socialist Revolutionaries": 95,
        "Mensheviks": 72,
        "Menshevik-Internationalists": 6,
        "United Social Democrats": 14,
        "Others": 9,
    }
    executive = show(url, "Executive Committee of the Petrograd Soviet", "1917-09-26")
    assert executive["factions"] == {
        "Bolsheviks": 13,
        "Socialist Revolutionaries": 6,
        "Mensheviks": 3,
    }
    assert "OK:" in said(run_smolny(url, "verify"))


def test_the_demo_points_to_the_timeline_and_loads_once(demo_database: DemoDatabase) -> None:
    url = demo_database.copy()
    again = run_smolny(url, "demo", "--no-serve", timeout=900)
    assert again.returncode == 0, said(again)
    assert "The demo is already loaded." in said(again)
    assert "Replayed the scenario" not in said(again)
    assert "start at /organizations/2/timeline" in said(again)  # the soviets, after the union
