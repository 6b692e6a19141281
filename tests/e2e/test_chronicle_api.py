"""Over HTTP: many members enrolled as one event, electors reported by a constituency's
body, and the chronicle written and read back."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import Server
from tests.e2e.test_api import assert_refused, created

AT = "2026-02-01T10:00:00Z"


def test_bulk_enrolment_reported_electors_and_the_chronicle(server: Server) -> None:
    with server.client() as api:
        org = created(api, "/api/organizations", {"name": "Harbor Union", "at": AT})
        reds = created(api, f"/api/organizations/{org['id']}/factions", {"name": "Reds", "at": AT})
        council = created(
            api, f"/api/organizations/{org['id']}/councils", {"name": "Port Council", "at": AT}
        )
        dock = created(
            api, f"/api/councils/{council['id']}/constituencies", {"name": "Dock", "at": AT}
        )
        rows = [{"name": f"Docker {n}", "faction_id": reds["id"]} for n in range(1, 41)]
        before = len(api.get("/api/ledger", params={"limit": 1000}).json())
        # A bad row is named and nothing is enrolled.
        bad = api.post(
            f"/api/organizations/{org['id']}/members/bulk",
            json={"members": [*rows, {"name": "  "}], "constituency_id": dock["id"], "at": AT},
        )
        error = assert_refused(bad, 422, "invalid_input")
        assert error["message"].startswith("member 41 ('  '):")
        assert len(api.get("/api/ledger", params={"limit": 1000}).json()) == before
        enrolled = created(
            api,
            f"/api/organizations/{org['id']}/members/bulk",
            {"members": rows, "constituency_id": dock["id"], "at": AT},
        )
        assert [m["name"] for m in enrolled][:2] == ["Docker 1", "Docker 2"]
        ledger = api.get("/api/ledger", params={"limit": 1000}).json()
        assert len(ledger) == before + 1  # one event for forty members
        members = api.get(f"/api/constituencies/{dock['id']}/members").json()
        assert len(members) == 40
        # The dock's union reports 4,000 electors: a ratio of 1 per 1,000 gives 4 seats.
        reported = api.put(
            f"/api/constituencies/{dock['id']}/electors", json={"electors": 4000, "at": AT}
        )
        assert reported.status_code == 200, reported.text
        assert reported.json()["reported_electors"] == 4000
        seats = created(
            api, f"/api/councils/{council['id']}/apportionment", {"rule": "ratio:1000", "at": AT}
        )
        assert [s["seats"] for s in seats] == [4]
        assert_refused(
            api.put(f"/api/constituencies/{dock['id']}/electors", json={"electors": -1}),
            422,
            "invalid_input",
        )
        entry = created(
            api,
            f"/api/organizations/{org['id']}/chronicle",
            {
                "title": "The dock elects its first council",
                "text": "Forty dockers enrolled.",
                "sources": [{"label": "Minutes", "url": "https://example.org/m"}],
                "assumptions": ["The electors are as the union reported them."],
                "at": AT,
            },
        )
        assert entry["seq"] > 0
        assert_refused(
            api.post(
                f"/api/organizations/{org['id']}/chronicle",
                json={"title": "x", "sources": [{"label": "L", "url": "ftp://x"}], "at": AT},
            ),
            422,
            "invalid_input",
        )
        read = api.get(f"/api/organizations/{org['id']}/chronicle").json()
        assert [(e["title"], e["source_urls"]) for e in read] == [
            ("The dock elects its first council", ["https://example.org/m"])
        ]
        before_entry = api.get(
            f"/api/organizations/{org['id']}/chronicle", params={"at": "2026-01-01"}
        ).json()
        assert before_entry == []


def test_reading_the_chronicle_of_no_organization_is_not_found(server: Server) -> None:
    with httpx.Client(base_url=server.url) as api:
        assert_refused(api.get("/api/organizations/999/chronicle"), 404, "not_found")
