"""The analytics API over real HTTP, against `smolny serve` on the congress story of
tests/builders_analytics.py (a congress of two cities and its executive; the cities swing
in May, the congress is re-elected on June 1–2, the executive on June 5).

What the server answers is checked against the services on our own connection.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from smolny.domain.analytics import Target
from smolny.domain.elections import Election
from smolny.domain.federation import Council
from smolny.moments import parse_moment
from smolny.services.analytics import lag_series, series_document
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_analytics import load_story
from tests.e2e.conftest import Server, serving


@pytest.fixture(scope="module")
def story_url(module_database_url: str) -> str:
    load_story(module_database_url)
    return module_database_url


@pytest.fixture(scope="module")
def story_server(story_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(story_url, None, tmp_path_factory.mktemp("analytics-api")) as running:
        yield running


@pytest.fixture(scope="module")
def uow(story_url: str) -> Iterator[UnitOfWork]:
    engine = connect(story_url)
    yield UnitOfWork(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def ids(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        return {c.name: c.id for c in uow.repo.all(Council)}


@pytest.fixture(scope="module")
def client(story_server: Server) -> Iterator[httpx.Client]:
    with story_server.client(authorized=False) as http:
        yield http


def test_the_congress_lag_after_the_swing(client: httpx.Client, ids: dict[str, int]) -> None:
    response = client.get(f"/api/councils/{ids['Congress']}/lag", params={"at": "2026-05-20"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["loosemore_hanby"], body["gallagher"]) == (25.0, 21.6506)
    assert (body["composed_at"], body["base_elected_at"]) == (
        "2026-03-03T12:00:00+00:00",
        "2026-05-10T12:00:00+00:00",
    )
    assert body["target"] == "base"
    assert {f["faction"]: f["target_share"] for f in body["factions"]} == {
        "Left": 37.5,
        "Centre": 50.0,
        "Right": 12.5,
    }


def test_the_executive_series_against_the_lower_councils(
    client: httpx.Client, ids: dict[str, int], uow: UnitOfWork
) -> None:
    params = {"from": "2026-03-01", "to": "2026-07-01", "target": "base"}
    response = client.get(f"/api/councils/{ids['Executive']}/lag", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = series_document(
        lag_series(
            uow,
            ids["Executive"],
            parse_moment("2026-03-01"),
            parse_moment("2026-07-01"),
            Target.BASE,
        )
    )
    assert body == expected
    assert [p["loosemore_hanby"] for p in body["points"]] == [None, 0.0, 12.5, 25.0, 12.5]


def test_a_committee_is_measured_against_its_electing_council_by_default(
    client: httpx.Client, ids: dict[str, int]
) -> None:
    body = client.get(f"/api/councils/{ids['Executive']}/lag", params={"at": "2026-06-03"}).json()
    assert body["target"] == "council"
    assert (body["loosemore_hanby"], body["gallagher"]) == (25.0, 21.6506)
    assert "Congress" in body["target_description"]


def test_malapportionment_and_proportionality(
    client: httpx.Client, ids: dict[str, int], uow: UnitOfWork
) -> None:
    city_b = client.get(f"/api/councils/{ids['City B']}/malapportionment").json()
    assert (city_b["samuels_snyder"], city_b["largest_to_smallest"]) == (16.6667, 2.0)
    with uow:
        swing = next(
            e for e in uow.repo.all(Election) if e.held_at == parse_moment("2026-05-10T12:00:00Z")
        )
    body = client.get(f"/api/elections/{swing.id}/proportionality").json()
    # B1: Right 6, Left 4, Centre 1 votes; Right 1, Left 1 seats: D = 3/22, LSq = √7/22.
    assert (body["loosemore_hanby"], body["gallagher"]) == (13.6364, 12.0261)
    assert body["measure"] == "list votes"


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/api/councils/{Executive}/malapportionment", {}, 422, None),
        ("/api/councils/{Congress}/lag", {"at": "2026-05-20", "from": "2026-03-01"}, 422, "at"),
        ("/api/councils/{Congress}/lag", {"from": "March"}, 422, "from"),
        ("/api/councils/{Congress}/lag", {"from": "2026-06-01", "to": "2026-05-01"}, 422, None),
        ("/api/councils/{City A}/lag", {"target": "council"}, 422, "target"),
        ("/api/councils/999/lag", {}, 404, None),
        ("/api/elections/999/proportionality", {}, 404, None),
    ],
)
def test_refusals_name_the_problem(
    client: httpx.Client,
    ids: dict[str, int],
    path: str,
    params: dict[str, str],
    status: int,
    field: str | None,
) -> None:
    response = client.get(path.format(**ids), params=params)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"]
    if field is not None:
        assert error["field"] == field


def test_the_routes_are_documented(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/councils/{council_id}/lag",
        "/api/councils/{council_id}/malapportionment",
        "/api/elections/{election_id}/proportionality",
    ):
        assert paths[path]["get"]["tags"] == ["analytics"]
