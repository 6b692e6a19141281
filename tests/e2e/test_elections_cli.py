"""`smolny election` as a subprocess, on a copy of the demo."""

from __future__ import annotations

import json

from smolny.moments import parse_moment
from smolny.services import elections
from smolny.services.composition import council_composition
from smolny.services.lookup import find_council
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import DemoDatabase, run_smolny, said


def test_a_by_election_needs_a_vacant_seat_and_fills_it(demo_database: DemoDatabase) -> None:
    url = demo_database.copy()
    refused = run_smolny(
        url, "election", "by-election", "Riverside City Council/Tram Works",
        "--candidate", "UTW-1080=5", "--at", "2026-06-02",
    )  # fmt: skip
    assert refused.returncode == 1
    assert "Tram Works has no vacant seat to fill" in said(refused)
    # A Tram Works delegate is recalled (recorded through the services, as a recall vote).
    engine = connect(url)
    uow = UnitOfWork(engine)
    riverside = find_council(uow, "Riverside City Council")
    tram = next(
        d for d in council_composition(uow, riverside.id).delegates if d.origin == "Tram Works"
    )
    elections.recall_delegate(
        uow, mandate_id=tram.mandate.id, votes_for=30, votes_against=5, actor="test",
        at=parse_moment("2026-06-03T18:00"),
    )  # fmt: skip
    engine.dispose()
    filled = run_smolny(
        url, "election", "by-election", "Riverside City Council/Tram Works",
        "--candidate", "UTW-1080=21", "--candidate", "UTW-1081=14", "--at", "2026-06-10",
    )  # fmt: skip
    assert filled.returncode == 0, said(filled)
    assert "(plurality, 1 seat)" in said(filled)
    shown = run_smolny(url, "council", "show", "Riverside City Council", "--format", "json")
    assert json.loads(shown.stdout)["vacant"] == 0


def test_a_constituency_elects_by_lists_and_the_result_shows_round_by_round(
    demo_database: DemoDatabase,
) -> None:
    url = demo_database.copy()
    elected = run_smolny(
        url, "election", "delegates", "Riverside City Council/Tram Works",
        "--list", "Rank and File=20:UTW-1071,UTW-1072,UTW-1073,UTW-1074,UTW-1075,UTW-1076",
        "--list", "Solidarity=16:UTW-1077,UTW-1078,UTW-1079,UTW-1080,UTW-1081",
        "--at", "2026-06-01",
    )  # fmt: skip
    assert elected.returncode == 0, said(elected)
    assert "D'Hondt, 9 seats" in said(elected)
    number = said(elected).split("Election ")[1].split(" ")[0]
    shown = run_smolny(url, "election", "show", number, "--format", "json")
    result = json.loads(shown.stdout)["result"]
    # 20 and 16 votes, 9 seats: quotients 20, 16, 10, 8, 6.67, 5.33, 5, 4, 4 -> 5 and 4.
    assert {row["name"]: row["seats"] for row in result["lists"]} == {
        "Rank and File": 5,
        "Solidarity": 4,
    }
    table = run_smolny(url, "election", "show", number)
    assert "Round by round" in said(table)
    verified = run_smolny(url, "verify")
    assert verified.returncode == 0, said(verified)


def test_an_unknown_constituency_is_refused_with_the_names(demo_database: DemoDatabase) -> None:
    url = demo_database.copy()
    done = run_smolny(
        url, "election", "delegates", "Riverside City Council/Nowhere", "--candidate", "x=1"
    )
    assert done.returncode == 1
    assert "has no constituency 'Nowhere'" in said(done)
    assert "Tram Works" in said(done)
