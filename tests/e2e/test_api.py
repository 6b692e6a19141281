"""The JSON API over real HTTP, against `smolny serve` running as a subprocess.

A small federation is built entirely through the API, once per module and backend, with
explicit moments; the tests then read it back as of those moments, and check that bad
requests are refused with the reason and change nothing.

The federation mirrors tests/builders.py: a city council with a Workers section (the
Factory, 10 members: Left 6, Centre 2, Right 1, one non-party) and a Soldiers section (the
Regiment, 6 members: 2 of each faction), one seat per two members (Factory 5, Regiment 3).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, serving

CREATED = "2026-01-05T12:00:00Z"
APPORTIONED = "2026-01-10T12:00:00Z"
FACTORY_VOTES = "2026-02-01T12:00:00Z"
REGIMENT_VOTES = "2026-02-02T12:00:00Z"
COMMITTEE_CREATED = "2026-02-10T12:00:00Z"
COMMITTEE_VOTES = "2026-02-15T12:00:00Z"
RECALL = "2026-04-01T12:00:00Z"
BY_ELECTION = "2026-04-15T12:00:00Z"

BEFORE_RECALL = "2026-03-01"
AFTER_RECALL = "2026-04-02"
AFTER_BY_ELECTION = "2026-04-16"

FACTIONS = {"Left": "#aa0000", "Centre": "#00aa00", "Right": "#0000aa"}
FACTORY = ["Left"] * 6 + ["Centre"] * 2 + ["Right"] + [None]
REGIMENT = ["Left", "Left", "Centre", "Centre", "Right", "Right"]
REGIMENT_VOTES_CAST = (4, 1, 5, 0, 3, 2)  # members 3 (Centre), 1 (Left), 5 (Right) win


@dataclass
class Federation:
    """The ids of what was built, and the answers worth checking."""

    server: Server
    organization: int = 0
    factions: dict[str, int] = field(default_factory=dict)
    council: int = 0
    sections: dict[str, int] = field(default_factory=dict)
    factory: int = 0
    regiment: int = 0
    members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    committee: int = 0
    recalled: dict[str, Any] = field(default_factory=dict)  # the recalled delegate
    recall_vote: dict[str, Any] = field(default_factory=dict)
    newcomer: dict[str, Any] = field(default_factory=dict)  # the by-election's winner
    by_election: dict[str, Any] = field(default_factory=dict)

    def client(self, *, authorized: bool = True) -> httpx.Client:
        return self.server.client(authorized=authorized)


def created(client: httpx.Client, path: str, body: dict[str, Any]) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == 201, f"POST {path}: {response.status_code} {response.text}"
    return response.json()


def composition(client: httpx.Client, council_id: int, at: str) -> dict[str, Any]:
    response = client.get(f"/api/councils/{council_id}/composition", params={"at": at})
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def ledger(client: httpx.Client) -> list[dict[str, Any]]:
    response = client.get("/api/ledger", params={"limit": 1000})
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()
    return events


def build_federation(server: Server) -> Federation:
    built = Federation(server)
    with server.client() as api:
        org = created(api, "/api/organizations", {"name": "Test Union", "at": CREATED})
        built.organization = org["id"]
        for name, color in FACTIONS.items():
            faction = created(
                api,
                f"/api/organizations/{org['id']}/factions",
                {"name": name, "color": color, "at": CREATED},
            )
            built.factions[name] = faction["id"]
        council = created(
            api, f"/api/organizations/{org['id']}/councils", {"name": "City Council", "at": CREATED}
        )
        built.council = council["id"]
        for name in ("Workers", "Soldiers"):
            section = created(
                api, f"/api/councils/{council['id']}/sections", {"name": name, "at": CREATED}
            )
            built.sections[name] = section["id"]
        for place, section in (("Factory", "Workers"), ("Regiment", "Soldiers")):
            constituency = created(
                api,
                f"/api/councils/{council['id']}/constituencies",
                {"name": place, "section_id": built.sections[section], "at": CREATED},
            )
            setattr(built, place.lower(), constituency["id"])
        for place, sides, constituency_id in (
            ("Factory", FACTORY, built.factory),
            ("Regiment", REGIMENT, built.regiment),
        ):
            built.members[place] = [
                created(
                    api,
                    f"/api/organizations/{org['id']}/members",
                    {
                        "name": f"{place} member {i}",
                        "number": f"{place[0]}-{i}",
                        "faction_id": built.factions[side] if side else None,
                        "constituency_ids": [constituency_id],
                        "at": CREATED,
                    },
                )
                for i, side in enumerate(sides, start=1)
            ]
        created(
            api,
            f"/api/councils/{council['id']}/apportionment",
            {"rule": "ratio:2", "at": APPORTIONED},
        )
        # D'Hondt, Left 6, Centre 2, Right 1 votes for 5 seats: quotients 6, 3, 2 (Left),
        # 2 (Centre), 1.5 (Left): Left 4, Centre 1.
        lists = [
            {
                "faction_id": built.factions[name],
                "candidates": [
                    m["id"]
                    for m in built.members["Factory"]
                    if m["faction_id"] == built.factions[name]
                ],
                "votes": votes,
            }
            for name, votes in (("Left", 6), ("Centre", 2), ("Right", 1))
        ]
        created(
            api,
            f"/api/constituencies/{built.factory}/elections",
            {"method": "dhondt", "lists": lists, "at": FACTORY_VOTES},
        )
        candidates = [
            {"member_id": m["id"], "votes": v}
            for m, v in zip(built.members["Regiment"], REGIMENT_VOTES_CAST, strict=True)
        ]
        created(
            api,
            f"/api/constituencies/{built.regiment}/elections",
            {"method": "plurality", "candidates": candidates, "at": REGIMENT_VOTES},
        )

        # The executive committee, elected by the council's delegates by faction strength.
        committee = created(
            api,
            f"/api/organizations/{org['id']}/councils",
            {
                "name": "Executive Committee",
                "kind": "committee",
                "parent_id": council["id"],
                "at": COMMITTEE_CREATED,
            },
        )
        built.committee = committee["id"]
        delegates = composition(api, council["id"], COMMITTEE_CREATED)["delegates"]
        names = {m["name"]: m for place in built.members.values() for m in place}
        committee_lists = [
            {
                "faction_id": built.factions[name],
                "candidates": [names[d["name"]]["id"] for d in delegates if d["faction"] == name],
            }
            for name in FACTIONS
        ]
        created(
            api,
            f"/api/committees/{committee['id']}/elections",
            {"seats": 3, "method": "dhondt", "lists": committee_lists, "at": COMMITTEE_VOTES},
        )

        # April: the Factory recalls a Left delegate (one not on the committee, so that only
        # the council changes) by 6 of its 10 members, a majority of the members; then it
        # elects its Right member to the vacant seat.
        on_committee = {
            d["name"] for d in composition(api, committee["id"], BEFORE_RECALL)["delegates"]
        }
        built.recalled = next(
            d
            for d in composition(api, council["id"], BEFORE_RECALL)["delegates"]
            if d["from"] == "Factory" and d["faction"] == "Left" and d["name"] not in on_committee
        )
        built.recall_vote = created(
            api,
            f"/api/mandates/{built.recalled['mandate']}/recall",
            {"votes_for": 6, "votes_against": 2, "abstentions": 1, "at": RECALL},
        )
        built.newcomer = next(
            m for m in built.members["Factory"] if m["faction_id"] == built.factions["Right"]
        )
        built.by_election = created(
            api,
            f"/api/constituencies/{built.factory}/by-elections",
            {"candidates": [{"member_id": built.newcomer["id"], "votes": 7}], "at": BY_ELECTION},
        )
    return built


@pytest.fixture(scope="module")
def federation(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Federation]:
    """The federation, built through a real server's API; the server keeps running for the
    module's tests, which only read it or try changes that must be refused."""
    logs: Path = tmp_path_factory.mktemp("api-server")
    with serving(module_database_url, secrets.token_urlsafe(24), logs) as running:
        yield build_federation(running)


def assert_refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is `status` with the API's error body; returns the error."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert {"code", "message", "field"} <= set(error)
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


# -- reading what was built ----------------------------------------------------------------------


def test_the_composition_document_has_its_documented_keys(federation: Federation) -> None:
    with federation.client() as api:
        document = composition(api, federation.council, BEFORE_RECALL)
    assert {"council", "at", "seats", "filled", "vacant", "factions", "sections", "delegates"} <= (
        set(document)
    )
    assert document["council"] == "City Council"
    assert document["at"] == "2026-03-01T23:59:59.999999+00:00"  # a date means its end


def test_the_elections_fill_the_council_by_faction_and_section(federation: Federation) -> None:
    with federation.client() as api:
        document = composition(api, federation.council, BEFORE_RECALL)
    assert (document["seats"], document["filled"], document["vacant"]) == (8, 8, 0)
    assert document["factions"] == {"Left": 5, "Centre": 2, "Right": 1}
    assert document["sections"] == {
        "Workers": {"seats": 5, "factions": {"Left": 4, "Centre": 1}},
        "Soldiers": {"seats": 3, "factions": {"Left": 1, "Centre": 1, "Right": 1}},
    }
    regiment = {d["name"] for d in document["delegates"] if d["from"] == "Regiment"}
    assert regiment == {"Regiment member 1", "Regiment member 3", "Regiment member 5"}


def test_the_council_is_empty_before_its_elections(federation: Federation) -> None:
    with federation.client() as api:
        before_apportionment = composition(api, federation.council, "2026-01-06")
        before_elections = composition(api, federation.council, "2026-01-20")
    assert (before_apportionment["seats"], before_apportionment["filled"]) == (0, 0)
    assert (before_elections["seats"], before_elections["filled"]) == (8, 0)
    assert before_elections["delegates"] == []


def test_the_committee_is_elected_proportionally_from_the_council(federation: Federation) -> None:
    with federation.client() as api:
        document = composition(api, federation.committee, "2026-02-16")
        council = composition(api, federation.council, "2026-02-16")
    assert (document["seats"], document["filled"]) == (3, 3)
    assert document["factions"] == {"Left": 2, "Centre": 1}
    assert {d["from"] for d in document["delegates"]} == {"City Council"}
    assert {d["name"] for d in document["delegates"]} <= {d["name"] for d in council["delegates"]}


def test_a_carried_recall_ends_the_mandate_and_leaves_a_vacant_seat(
    federation: Federation,
) -> None:
    vote = federation.recall_vote
    assert vote["carried"] is True
    assert (vote["votes_for"], vote["votes_against"], vote["electorate"]) == (6, 2, 10)
    assert vote["rule"] == "a majority of its members"
    mandate = federation.recalled["mandate"]
    with federation.client() as api:
        before = composition(api, federation.council, BEFORE_RECALL)
        after = composition(api, federation.council, AFTER_RECALL)
        ended = api.get(f"/api/mandates/{mandate}").json()
    assert mandate in {d["mandate"] for d in before["delegates"]}
    assert mandate not in {d["mandate"] for d in after["delegates"]}
    assert (after["seats"], after["filled"], after["vacant"]) == (8, 7, 1)
    assert after["factions"] == {"Left": 4, "Centre": 2, "Right": 1}
    assert after["sections"]["Workers"] == {"seats": 5, "factions": {"Left": 3, "Centre": 1}}
    assert ended["end_reason"] == "recall"
    assert ended["valid_to"].startswith("2026-04-01T12:00:00")


def test_the_past_is_unchanged_by_the_recall(federation: Federation) -> None:
    with federation.client() as api:
        document = composition(api, federation.council, BEFORE_RECALL)
    assert (document["filled"], document["vacant"]) == (8, 0)
    assert federation.recalled in document["delegates"]


def test_the_by_election_fills_the_vacant_seat(federation: Federation) -> None:
    assert federation.by_election["kind"] == "by-election"
    assert federation.by_election["seats"] == 1
    with federation.client() as api:
        document = composition(api, federation.council, AFTER_BY_ELECTION)
    assert (document["seats"], document["filled"], document["vacant"]) == (8, 8, 0)
    assert document["factions"] == {"Left": 4, "Centre": 2, "Right": 2}
    newcomer = next(d for d in document["delegates"] if d["name"] == federation.newcomer["name"])
    assert (newcomer["from"], newcomer["faction"], newcomer["section"]) == (
        "Factory",
        "Right",
        "Workers",
    )
    assert newcomer["since"] == "2026-04-15T12:00:00+00:00"


def test_the_ledger_verifies(federation: Federation) -> None:
    with federation.client() as api:
        response = api.get("/api/ledger/verification")
        events = ledger(api)
    assert response.status_code == 200
    verification = response.json()
    assert verification["ok"] is True, verification["problem"]
    assert verification["problem"] is None
    assert verification["bad_event"] is None
    assert verification["events"] == len(events)
    assert verification["head"] == events[-1]["hash"]


def test_the_ledger_lists_the_events_in_order_with_their_hashes(federation: Federation) -> None:
    with federation.client() as api:
        events = ledger(api)
        page = api.get("/api/ledger", params={"after": 3, "limit": 2}).json()
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all(len(e["hash"]) == 64 for e in events)
    assert len({e["hash"] for e in events}) == len(events)
    assert all(isinstance(e["body"], str) and e["kind"] in e["body"] for e in events)
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "organization-created"
    assert any("recall" in kind for kind in kinds)
    assert page == events[3:5]


def test_the_councils_are_listed_with_their_seats(federation: Federation) -> None:
    with federation.client() as api:
        councils = api.get("/api/councils", params={"at": AFTER_RECALL}).json()
    by_name = {c["name"]: c for c in councils}
    assert set(by_name) == {"City Council", "Executive Committee"}
    assert (by_name["City Council"]["seats"], by_name["City Council"]["filled"]) == (8, 7)
    assert by_name["Executive Committee"]["parent_id"] == federation.council


# -- refusals: a 4xx with the reason, and nothing changed ------------------------------------------


def test_an_unknown_council_is_not_found(federation: Federation) -> None:
    with federation.client() as api:
        events = ledger(api)
        error = assert_refused(api.get("/api/councils/9999/composition"), 404, "not_found")
        assert "council 9999" in error["message"]
        write = api.post("/api/councils/9999/sections", json={"name": "X", "at": RECALL})
        assert "council 9999" in assert_refused(write, 404, "not_found")["message"]
        assert ledger(api) == events


def test_a_duplicate_membership_number_is_a_conflict(federation: Federation) -> None:
    with federation.client() as api:
        events = ledger(api)
        response = api.post(
            f"/api/organizations/{federation.organization}/members",
            json={"name": "Another", "number": "F-1", "at": BY_ELECTION},
        )
        error = assert_refused(response, 409, "conflict")
        assert "'F-1'" in error["message"]
        assert ledger(api) == events


def test_recalling_a_mandate_that_already_ended_is_refused(federation: Federation) -> None:
    with federation.client() as api:
        events = ledger(api)
        response = api.post(
            f"/api/mandates/{federation.recalled['mandate']}/recall",
            json={"votes_for": 9, "votes_against": 0, "at": "2026-04-20T12:00:00Z"},
        )
        error = assert_refused(response, 422, "rule_violation")
        assert f"{federation.recalled['name']} holds no seat" in error["message"]
        assert "ended on 2026-04-01" in error["message"]
        assert ledger(api) == events


def test_a_malformed_date_is_refused_saying_what_is_expected(federation: Federation) -> None:
    with federation.client() as api:
        response = api.get(
            f"/api/councils/{federation.council}/composition", params={"at": "2026-13-01"}
        )
    error = assert_refused(response, 422, "invalid_input")
    assert "YYYY-MM-DD" in error["message"]
    assert "2026-13-01" in error["message"]
    assert error["field"] == "at"


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        ({"votes_for": "many", "votes_against": 0}, "votes_for"),
        ({"votes_for": 1, "votes_against": -1}, "votes_against"),
        ({"votes_for": 1, "votes_against": 0, "at": "2026-04-31T12:00:00Z"}, "at"),
        ({"votes_for": 1, "votes_against": 0, "at": "2026-05-01T12:00:00"}, "at"),  # no zone
        ({"votes_for": 1, "votes_against": 0, "reason": "none"}, "reason"),
    ],
    ids=["not-a-number", "negative", "no-such-day", "naive-time", "unknown-field"],
)
def test_a_malformed_body_field_is_refused_naming_the_field(
    federation: Federation, body: dict[str, Any], bad_field: str
) -> None:
    sitting = next(m for m in federation.members["Regiment"] if m["name"] == "Regiment member 1")
    with federation.client() as api:
        events = ledger(api)
        delegates = composition(api, federation.council, AFTER_BY_ELECTION)["delegates"]
        mandate = next(d["mandate"] for d in delegates if d["name"] == sitting["name"])
        response = api.post(f"/api/mandates/{mandate}/recall", json=body)
        error = assert_refused(response, 422, "invalid_input")
        assert error["field"] == bad_field
        assert bad_field in error["message"]
        assert ledger(api) == events


def test_a_body_that_is_not_json_is_refused(federation: Federation) -> None:
    with federation.client() as api:
        events = ledger(api)
        response = api.post(
            "/api/organizations",
            content=b'{"name": "Broken',
            headers={"content-type": "application/json"},
        )
        assert_refused(response, 422, "invalid_input")
        assert ledger(api) == events


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", "Basic YWRtaW46YWRtaW4="],
    ids=["no-header", "wrong-token", "basic-auth"],
)
def test_a_write_without_the_token_is_unauthorized(
    federation: Federation, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with federation.client(authorized=False) as anonymous:
        events = ledger(anonymous)
        response = anonymous.post(
            "/api/organizations", json={"name": "Intruders", "at": BY_ELECTION}, headers=headers
        )
        error = assert_refused(response, 401, "unauthorized")
        assert "Authorization: Bearer" in error["message"]
        assert ledger(anonymous) == events
        assert "Intruders" not in {o["name"] for o in anonymous.get("/api/organizations").json()}


def test_a_server_without_an_admin_token_refuses_writes_but_serves_reads(
    server: Server, read_only_server: Server
) -> None:
    with server.client() as admin:
        created(admin, "/api/organizations", {"name": "Test Union", "at": CREATED})
    with read_only_server.client() as api:
        events = ledger(api)
        assert [o["name"] for o in api.get("/api/organizations").json()] == ["Test Union"]
        for headers in ({}, {"Authorization": f"Bearer {server.token}"}):
            response = api.post(
                "/api/organizations", json={"name": "Another", "at": CREATED}, headers=headers
            )
            error = assert_refused(response, 403, "forbidden")
            assert "SMOLNY_ADMIN_TOKEN" in error["message"]
        assert ledger(api) == events
    assert len(events) == 1


# -- documentation -------------------------------------------------------------------------------


def test_the_api_documentation_is_served(federation: Federation) -> None:
    with federation.client(authorized=False) as api:
        docs = api.get("/docs")
        schema = api.get("/openapi.json")
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/councils/{council_id}/composition" in paths
    assert "/api/mandates/{mandate_id}/recall" in paths
    assert not any(p == "/" or p.startswith("/councils") for p in paths)  # pages are not API
