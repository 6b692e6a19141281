"""The `smolny` command as a subprocess, as a user runs it, on the demo federation.

What it prints is checked against the database read independently (our own connection).
The tamper tests alter a copy of the database behind the ledger's back with plain SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from smolny.domain.federation import Council
from smolny.moments import parse_moment
from smolny.services.composition import composition_document, council_composition, list_councils
from smolny.store.database import connect, normalize_url
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import DemoDatabase, free_port, run_smolny, said

RIVERSIDE = "Riverside City Council"


@pytest.fixture(scope="module")
def demo_url(demo_database: DemoDatabase) -> str:
    """A copy of the demo that this module's tests only read."""
    return demo_database.copy()


@pytest.fixture(scope="module")
def uow(demo_url: str) -> Iterator[UnitOfWork]:
    engine = connect(demo_url)
    yield UnitOfWork(engine)
    engine.dispose()


def execute(database_url: str, statement: str, **values: object) -> int:
    """Run SQL on the database directly, behind the application's back; rows changed."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as connection:
            return connection.execute(text(statement), values).rowcount
    finally:
        engine.dispose()


def fetch(database_url: str, statement: str, **values: object) -> object:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(statement), values).scalar_one()
    finally:
        engine.dispose()


# -- setting up ----------------------------------------------------------------------------------


def test_init_migrates_an_empty_sqlite_file_and_demo_loads_the_federation_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new.sqlite3"
    path.touch()  # an empty file is an empty SQLite database
    url = f"sqlite:///{path}"

    first = run_smolny(url, "init", cwd=tmp_path)
    assert first.returncode == 0, said(first)
    assert re.search(r"migrated from empty to schema \w+", said(first))
    again = run_smolny(url, "init", cwd=tmp_path)
    assert again.returncode == 0, said(again)
    assert "is up to date" in said(again)

    demo = run_smolny(url, "demo", "--no-serve", cwd=tmp_path, timeout=900)
    assert demo.returncode == 0, said(demo)
    assert "Loaded the demo: United Transport Workers" in said(demo)
    twice = run_smolny(url, "demo", "--no-serve", cwd=tmp_path, timeout=900)
    assert twice.returncode == 0, said(twice)
    assert "The demo is already loaded." in said(twice)

    engine = connect(url)
    try:
        councils = list_councils(UnitOfWork(engine))
    finally:
        engine.dispose()
    union = [n for n in councils if n.organization.name == "United Transport Workers"]
    assert len(union) == 6
    assert "Replayed the scenario Petrograd 1917" in said(demo)
    assert not (tmp_path / "var").exists()  # the database named is the one used


# -- reading -------------------------------------------------------------------------------------


def test_council_list_as_json_gives_every_council_with_its_seats(
    demo_url: str, uow: UnitOfWork
) -> None:
    result = run_smolny(demo_url, "council", "list", "--at", "2026-04-20", "--format", "json")
    assert result.returncode == 0, said(result)
    listed = json.loads(result.stdout)
    expected = list_councils(uow, parse_moment("2026-04-20"))
    assert listed == [
        {
            "council": n.council.name,
            "organization": n.organization.name,
            "kind": n.council.kind.value,
            "seats": n.seats,
            "filled": n.filled,
        }
        for n in expected
    ]
    assert {row["organization"] for row in listed} == {
        "United Transport Workers",
        "Soviets of Workers' and Soldiers' Deputies",
        "RSDLP (Bolsheviks)",
    }
    riverside = next(row for row in listed if row["council"] == RIVERSIDE)
    assert (riverside["seats"], riverside["filled"]) == (34, 33)


def test_council_show_as_json_gives_the_composition_of_the_day(
    demo_url: str, uow: UnitOfWork
) -> None:
    result = run_smolny(
        demo_url, "council", "show", RIVERSIDE, "--at", "2026-04-20", "--format", "json"
    )
    assert result.returncode == 0, said(result)
    shown = json.loads(result.stdout)
    assert (shown["council"], shown["seats"], shown["filled"], shown["vacant"]) == (
        RIVERSIDE,
        34,
        33,
        1,
    )
    with uow:
        council = next(c for c in uow.repo.councils() if c.name == RIVERSIDE)
    expected = council_composition(uow, council.id, parse_moment("2026-04-20"))
    assert shown == json.loads(json.dumps(composition_document(expected)))
    assert len(shown["delegates"]) == 33
    assert sum(shown["factions"].values()) == 33


def test_council_show_as_a_table_names_the_council_its_factions_and_delegates(
    demo_url: str, uow: UnitOfWork
) -> None:
    result = run_smolny(demo_url, "council", "show", RIVERSIDE, "--at", "2026-04-20")
    assert result.returncode == 0, said(result)
    output = said(result)
    assert RIVERSIDE in output
    assert "34 seats, 33 filled, 1 vacant" in output
    with uow:
        council: Council = next(c for c in uow.repo.councils() if c.name == RIVERSIDE)
    composition = council_composition(uow, council.id, parse_moment("2026-04-20"))
    for faction in composition.seats_by_faction():
        assert faction in output
    assert composition.delegates[0].member.name in output


def test_verify_says_ok_on_an_untouched_ledger(demo_url: str) -> None:
    events = fetch(demo_url, "SELECT count(*) FROM events")
    result = run_smolny(demo_url, "verify")
    assert result.returncode == 0, said(result)
    assert said(result).startswith("OK")
    assert f"{events} events, chain intact" in said(result)


# -- refusals ------------------------------------------------------------------------------------


def test_an_unknown_council_is_an_error_listing_the_councils(demo_url: str) -> None:
    result = run_smolny(demo_url, "council", "show", "Atlantis Council")
    assert result.returncode == 1
    assert "no council named 'Atlantis Council'" in said(result)
    assert RIVERSIDE in said(result)
    assert "Traceback" not in said(result)


def test_a_malformed_date_is_a_usage_error_saying_what_is_expected(demo_url: str) -> None:
    result = run_smolny(demo_url, "council", "show", RIVERSIDE, "--at", "2026-13-01")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in said(result)
    assert "2026-13-01" in said(result)
    assert "Traceback" not in said(result)


@pytest.mark.parametrize(
    "command", [["council", "list"], ["verify"], ["serve", "--port", "0"]], ids=" ".join
)
def test_a_command_on_an_uninitialized_database_says_to_run_init(
    empty_database_url: str, tmp_path: Path, command: list[str]
) -> None:
    if command[0] == "serve":
        command = ["serve", "--port", str(free_port())]
    result = run_smolny(empty_database_url, *command, cwd=tmp_path, timeout=30)
    assert result.returncode == 1, said(result)
    assert "is not initialized" in said(result)
    assert "run `smolny init`" in said(result)
    assert "Traceback" not in said(result)


# -- tampering -----------------------------------------------------------------------------------


def test_verify_names_an_event_whose_stored_body_was_altered(demo_database: DemoDatabase) -> None:
    url = demo_database.copy()
    body = str(fetch(url, "SELECT body FROM events WHERE seq = 100"))
    altered = body.replace('"actor":"demo"', '"actor":"Demo"', 1)  # one byte
    assert sum(a != b for a, b in zip(body, altered, strict=True)) == 1
    assert execute(url, "UPDATE events SET body = :body WHERE seq = 100", body=altered) == 1

    result = run_smolny(url, "verify")
    assert result.returncode == 1
    output = said(result)
    assert output.startswith("FAILED")
    assert "event #100" in output
    assert "altered" in output


def test_verify_names_the_event_and_the_mandate_of_an_altered_row(
    demo_database: DemoDatabase,
) -> None:
    url = demo_database.copy()
    mandate = 1
    faction = fetch(url, "SELECT faction_id FROM mandates WHERE id = :id", id=mandate)
    other = fetch(url, "SELECT min(id) FROM factions WHERE id <> :id", id=faction)
    changed = execute(
        url, "UPDATE mandates SET faction_id = :other WHERE id = :id", other=other, id=mandate
    )
    assert changed == 1

    result = run_smolny(url, "verify")
    assert result.returncode == 1
    output = said(result)
    assert output.startswith("FAILED")
    found = re.search(r"event #(\d+): mandate (\d+) differs: faction_id", output)
    assert found, output
    assert int(found[2]) == mandate
    # The event named is one that wrote this mandate.
    writer = str(fetch(url, "SELECT body FROM events WHERE seq = :seq", seq=int(found[1])))
    assert re.search(rf'"mandate_id":{mandate}[,}}]', writer), writer
