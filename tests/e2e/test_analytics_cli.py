"""`smolny analytics` as a subprocess, on the congress story of tests/builders_analytics.py;
what it prints is checked against the services on our own connection."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from smolny.domain.analytics import Target
from smolny.domain.elections import Election
from smolny.moments import parse_moment
from smolny.services.analytics import (
    council_malapportionment,
    election_proportionality,
    lag_document,
    lag_series,
    malapportionment_document,
    proportionality_document,
    representation_lag,
    series_document,
)
from smolny.services.lookup import find_council
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_analytics import load_story
from tests.e2e.conftest import run_smolny, said


@pytest.fixture(scope="module")
def story_url(module_database_url: str) -> str:
    load_story(module_database_url)
    return module_database_url


@pytest.fixture(scope="module")
def uow(story_url: str) -> Iterator[UnitOfWork]:
    engine = connect(story_url)
    yield UnitOfWork(engine)
    engine.dispose()


def council_id(uow: UnitOfWork, name: str) -> int:
    return find_council(uow, name).id


def test_lag_at_a_moment_as_json_and_as_a_table(story_url: str, uow: UnitOfWork) -> None:
    result = run_smolny(
        story_url, "analytics", "lag", "Congress", "--at", "2026-05-20", "--format", "json"
    )
    assert result.returncode == 0, said(result)
    expected = lag_document(
        representation_lag(uow, council_id(uow, "Congress"), parse_moment("2026-05-20"))
    )
    assert json.loads(result.stdout) == expected
    assert (expected["loosemore_hanby"], expected["gallagher"]) == (25.0, 21.6506)

    table = run_smolny(story_url, "analytics", "lag", "Congress", "--at", "2026-05-20")
    assert table.returncode == 0, said(table)
    text = said(table)
    assert "Loosemore–Hanby 25.00 pp, Gallagher 21.65 pp" in text
    assert "composed 2026-03-03 (its latest election), base last voted 2026-05-10" in text
    assert "Target: what its base would give at the moment" in text


def test_lag_series_of_the_executive_against_the_lower_councils(
    story_url: str, uow: UnitOfWork
) -> None:
    args = ["--from", "2026-03-01", "--to", "2026-07-01", "--target", "base"]
    result = run_smolny(story_url, "analytics", "lag", "Executive", *args, "--format", "json")
    assert result.returncode == 0, said(result)
    expected = series_document(
        lag_series(
            uow,
            council_id(uow, "Executive"),
            parse_moment("2026-03-01"),
            parse_moment("2026-07-01"),
            Target.BASE,
        )
    )
    assert json.loads(result.stdout) == expected
    assert [p["loosemore_hanby"] for p in expected["points"]] == [None, 0.0, 12.5, 25.0, 12.5]

    table = run_smolny(story_url, "analytics", "lag", "Executive", *args)
    assert table.returncode == 0, said(table)
    text = said(table)
    for row in ("2026-05-10 12:00 │ 25.00 │ 21.65", "2026-06-05 12:00 │ 12.50 │ 12.50"):
        assert row in text


def test_a_series_to_an_end_only_starts_when_the_body_was_created(story_url: str) -> None:
    result = run_smolny(
        story_url, "analytics", "lag", "City A", "--to", "2026-05-05", "--format", "json"
    )
    assert result.returncode == 0, said(result)
    series = json.loads(result.stdout)
    assert series["from"] == "2026-01-05T12:00:00+00:00"
    assert [(p["at"][:10], p["loosemore_hanby"]) for p in series["points"]] == [
        ("2026-01-05", None),  # created
        ("2026-01-10", None),  # seats apportioned, no delegate yet
        ("2026-02-01", 5.5556),  # A1 elected: votes 5 : 4, seats 1 : 1
        ("2026-02-02", 7.2222),  # A2 elected
        ("2026-05-01", 5.0),  # A1 swung
    ]


def test_malapportionment(story_url: str, uow: UnitOfWork) -> None:
    result = run_smolny(
        story_url, "analytics", "malapportionment", "City B", "--at", "2026-04-01", "--format",
        "json",
    )  # fmt: skip
    assert result.returncode == 0, said(result)
    expected = malapportionment_document(
        council_malapportionment(uow, council_id(uow, "City B"), parse_moment("2026-04-01"))
    )
    assert json.loads(result.stdout) == expected
    table = said(run_smolny(story_url, "analytics", "malapportionment", "Congress"))
    assert "Samuels–Snyder 10.00 pp; largest to smallest electors per seat 1.50" in table
    assert "(City B to City A)" in table


def test_proportionality(story_url: str, uow: UnitOfWork) -> None:
    with uow:
        swing = next(
            e for e in uow.repo.all(Election) if e.held_at == parse_moment("2026-05-10T12:00Z")
        )
    result = run_smolny(
        story_url, "analytics", "proportionality", str(swing.id), "--format", "json"
    )
    assert result.returncode == 0, said(result)
    assert json.loads(result.stdout) == proportionality_document(
        election_proportionality(uow, swing.id)
    )
    text = said(run_smolny(story_url, "analytics", "proportionality", str(swing.id)))
    assert "Gallagher 12.03 pp, Loosemore–Hanby 13.64 pp (list votes against seats)" in text


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["malapportionment", "Executive"], 1, "error: Executive is a committee"),
        (
            ["lag", "Congress", "--at", "2026-05-01", "--from", "2026-03-01"],
            1,
            "error: give --at for one moment, or --from/--to for a series, not both",
        ),
        (["lag", "City A", "--target", "council"], 1, "error: City A is a council"),
        (["lag", "Nowhere"], 1, "error: no council named 'Nowhere'"),
        (["proportionality", "999"], 1, "error: election 999 does not exist"),
        (["lag", "Congress", "--from", "March"], 2, "--from"),
    ],
)
def test_refusals_say_why(story_url: str, args: list[str], status: int, message: str) -> None:
    result = run_smolny(story_url, "analytics", *args)
    assert result.returncode == status, said(result)
    assert message in said(result)
