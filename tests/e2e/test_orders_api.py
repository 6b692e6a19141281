"""The orders API over real HTTP, against `smolny serve` as a subprocess.

October 1917 in miniature is built entirely through the API, once per module and backend:
the Soviet with its Executive Committee (which may sanction factions) and its Military
Revolutionary Committee (which may issue orders), three regiments as units, the Provisional
Government as an outside authority, and the garrison conference's grant. The tests read it
back as of several moments and check that refused requests change nothing.
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
from tests.e2e.test_api import assert_refused, created

JULY = "1917-07-01T12:00:00Z"
BAN = "1917-07-13T12:00:00Z"
LIFT = "1917-09-04T12:00:00Z"
MRC_CREATED = "1917-10-12T12:00:00Z"
CONFERENCE = "1917-10-18T12:00:00Z"
FRONT = "1917-10-21T12:00:00Z"
REFUSAL = "1917-10-22T12:00:00Z"
STAY = "1917-10-23T12:00:00Z"
WITHDRAWAL = "1917-10-26T12:00:00Z"

REGIMENTS = ("Volynsky Regiment", "Pavlovsky Regiment", "1st Don Cossack Regiment")


@dataclass
class October:
    server: Server
    organization: int = 0
    factions: dict[str, int] = field(default_factory=dict)
    soviet: int = 0
    executive: int = 0
    mrc: int = 0
    units: dict[str, int] = field(default_factory=dict)
    government: int = 0
    front: dict[str, Any] = field(default_factory=dict)
    stay: dict[str, Any] = field(default_factory=dict)

    def client(self, *, authorized: bool = True) -> httpx.Client:
        return self.server.client(authorized=authorized)


def read(client: httpx.Client, path: str, at: str | None = None) -> Any:
    response = client.get(path, params={"at": at} if at else None)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()


def build(server: Server) -> October:
    built = October(server)
    with server.client() as api:
        org = created(api, "/api/organizations", {"name": "Petrograd", "at": JULY})
        built.organization = org["id"]
        for name in ("Bolsheviks", "Mensheviks", "SRs"):
            faction = created(
                api, f"/api/organizations/{org['id']}/factions", {"name": name, "at": JULY}
            )
            built.factions[name] = faction["id"]
        soviet = created(
            api,
            f"/api/organizations/{org['id']}/councils",
            {"name": "Petrograd Soviet", "at": JULY},
        )
        built.soviet = soviet["id"]
        executive = created(
            api,
            f"/api/organizations/{org['id']}/councils",
            {
                "name": "Executive Committee",
                "kind": "committee",
                "parent_id": soviet["id"],
                "at": JULY,
            },
        )
        built.executive = executive["id"]
        response = api.post(
            f"/api/councils/{executive['id']}/powers",
            json={
                "granted": ["sanction-factions"],
                "decision": "Petrograd Soviet, 1 July",
                "at": JULY,
            },
        )
        assert response.status_code == 200, response.text
        for name in REGIMENTS:
            constituency = created(
                api,
                f"/api/councils/{soviet['id']}/constituencies",
                {"name": name, "kind": "unit", "at": JULY},
            )
            unit = created(
                api,
                f"/api/organizations/{org['id']}/units",
                {
                    "name": name,
                    "kind": "regiment",
                    "constituency_id": constituency["id"],
                    "at": JULY,
                },
            )
            built.units[name] = unit["id"]
        built.government = created(
            api,
            f"/api/organizations/{org['id']}/authorities",
            {"name": "Provisional Government", "kind": "government", "at": JULY},
        )["id"]
        created(
            api,
            f"/api/factions/{built.factions['Bolsheviks']}/sanctions",
            {
                "council_id": executive["id"],
                "kind": "ban",
                "effects": ["Its delegates may not table motions"],
                "decision": "Executive Committee, 13 July 1917",
                "at": BAN,
            },
        )
        response = api.post(
            f"/api/factions/{built.factions['Bolsheviks']}/sanctions/lifting",
            json={"council_id": executive["id"], "decision": "4 September", "at": LIFT},
        )
        assert response.status_code == 200, response.text
        mrc = created(
            api,
            f"/api/organizations/{org['id']}/councils",
            {
                "name": "Military Revolutionary Committee",
                "kind": "committee",
                "parent_id": soviet["id"],
                "at": MRC_CREATED,
            },
        )
        built.mrc = mrc["id"]
        api.post(
            f"/api/councils/{mrc['id']}/powers",
            json={"granted": ["issue-orders"], "decision": "Petrograd Soviet", "at": MRC_CREATED},
        ).raise_for_status()
        grants = created(
            api,
            f"/api/councils/{mrc['id']}/countersignature",
            {
                "unit_ids": [built.units["Volynsky Regiment"], built.units["Pavlovsky Regiment"]],
                "decision": "garrison conference, 18 October 1917",
                "at": CONFERENCE,
            },
        )
        assert len(grants) == 2
        built.front = created(
            api,
            "/api/orders",
            {
                "authority_id": built.government,
                "unit_ids": list(built.units.values()),
                "title": "Send the garrison regiments to the northern front",
                "at": FRONT,
            },
        )
        created(
            api,
            f"/api/orders/{built.front['id']}/refusals",
            {"council_id": mrc["id"], "reason": "not countersigned", "at": REFUSAL},
        )
        built.stay = created(
            api,
            "/api/orders",
            {
                "council_id": mrc["id"],
                "unit_ids": list(built.units.values()),
                "title": "No regiment leaves the capital",
                "countermands_id": built.front["id"],
                "at": STAY,
            },
        )
        api.post(
            f"/api/orders/{built.front['id']}/withdrawal",
            json={"reason": "the regiments stayed", "at": WITHDRAWAL},
        ).raise_for_status()
    return built


@pytest.fixture(scope="module")
def october(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[October]:
    logs: Path = tmp_path_factory.mktemp("orders-api")
    with serving(module_database_url, secrets.token_urlsafe(24), logs) as running:
        yield build(running)


def statuses(document: dict[str, Any], order_id: int) -> dict[str, str]:
    return {u["name"]: u["statuses"][str(order_id)] for u in document["units"]}


def test_the_government_order_is_refused_where_the_committee_holds_power_and_valid_elsewhere(
    october: October,
) -> None:
    front = october.front["id"]
    with october.client() as api:
        awaiting = read(api, f"/api/organizations/{october.organization}/orders", "1917-10-21")
        refused = read(api, f"/api/organizations/{october.organization}/orders", "1917-10-22")
        withdrawn = read(api, f"/api/organizations/{october.organization}/orders", "1917-10-26")
    assert statuses(awaiting, front) == {
        "Volynsky Regiment": "awaiting",
        "Pavlovsky Regiment": "awaiting",
        "1st Don Cossack Regiment": "valid",
    }
    assert statuses(refused, front) == {
        "Volynsky Regiment": "refused",
        "Pavlovsky Regiment": "refused",
        "1st Don Cossack Regiment": "valid",
    }
    assert set(statuses(withdrawn, front).values()) == {"withdrawn"}
    assert [u["countersigners"] for u in refused["units"]] == [
        ["Military Revolutionary Committee"],
        ["Military Revolutionary Committee"],
        [],
    ]


def test_the_countermand_is_a_direct_conflict_where_both_orders_are_in_force(
    october: October,
) -> None:
    with october.client() as api:
        document = read(api, f"/api/organizations/{october.organization}/orders", "1917-10-23")
        after = read(api, f"/api/organizations/{october.organization}/orders", "1917-10-26")
    assert document["conflicts"] == [
        {
            "unit": "1st Don Cossack Regiment",
            "unit_id": october.units["1st Don Cossack Regiment"],
            "kind": "direct",
            "orders": [october.front["id"], october.stay["id"]],
            "issuers": ["Provisional Government", "Military Revolutionary Committee"],
        }
    ]
    assert after["conflicts"] == []


def test_the_order_document_has_its_trail_and_per_unit_status(october: October) -> None:
    with october.client() as api:
        document = read(api, f"/api/orders/{october.front['id']}", "1917-10-23")
    assert document["issuer"]["outside"] is True
    assert document["countermanded_by"] == [october.stay["id"]]
    assert [(u["unit"], u["status"], u["refused"]) for u in document["units"]] == [
        ("Volynsky Regiment", "refused", ["Military Revolutionary Committee"]),
        ("Pavlovsky Regiment", "refused", ["Military Revolutionary Committee"]),
        ("1st Don Cossack Regiment", "valid", []),
    ]
    assert [e["later"] for e in document["trail"]] == [False, False, False, False, True]
    assert (
        document["trail"][-1]["text"] == "Withdrawn by Provisional Government: the regiments stayed"
    )


def test_the_unit_and_the_powers_as_of_a_moment(october: October) -> None:
    volynsky = october.units["Volynsky Regiment"]
    with october.client() as api:
        before = read(api, f"/api/units/{volynsky}", "1917-10-17")
        after = read(api, f"/api/units/{volynsky}", "1917-10-23")
        powers = read(api, f"/api/councils/{october.mrc}/powers", "1917-10-18")
    assert before["countersigners"] == []
    assert after["countersigners"] == ["Military Revolutionary Committee"]
    assert [o["status"] for o in after["orders"]] == ["refused", "valid"]
    assert {p["power"]: p["decision"] for p in powers["powers"]} == {
        "issue-orders": "Petrograd Soviet",
        "countersign": "garrison conference, 18 October 1917",
    }
    assert powers["countersigns_over"] == ["Volynsky Regiment", "Pavlovsky Regiment"]


def test_the_ban_and_its_lifting_as_of_different_moments(october: October) -> None:
    bolsheviks = october.factions["Bolsheviks"]
    with october.client() as api:
        states = {
            day: read(api, f"/api/factions/{bolsheviks}/status", day)["state"]
            for day in ("1917-07-12", "1917-07-13", "1917-09-03", "1917-09-04")
        }
        page = read(api, f"/api/factions/{bolsheviks}", "1917-08-01")
    assert states == {
        "1917-07-12": "active",
        "1917-07-13": "banned",
        "1917-09-03": "banned",
        "1917-09-04": "active",
    }
    assert page["sanction"]["effects"] == ["Its delegates may not table motions"]
    assert [(s["kind"], s["by"], s["ending"]) for s in page["sanctions"]] == [
        ("ban", "Executive Committee", "4 September")
    ]


def test_a_sanction_by_a_body_without_the_power_is_refused_and_changes_nothing(
    october: October,
) -> None:
    with october.client() as api:
        before = read(api, "/api/ledger/verification")
        error = assert_refused(
            api.post(
                f"/api/factions/{october.factions['Mensheviks']}/sanctions",
                json={"council_id": october.mrc, "kind": "ban", "effects": ["None may speak"]},
            ),
            422,
            "rule_violation",
        )
        after = read(api, "/api/ledger/verification")
    assert "does not hold the power sanction-factions" in error["message"]
    assert after == before
    assert after["ok"] is True


def test_a_decision_on_a_withdrawn_order_is_refused(october: October) -> None:
    with october.client() as api:
        error = assert_refused(
            api.post(
                f"/api/orders/{october.front['id']}/countersignatures",
                json={"council_id": october.mrc},
            ),
            422,
            "rule_violation",
        )
    assert "withdrawn" in error["message"]


def test_changes_need_the_administrators_token(october: October) -> None:
    with october.client(authorized=False) as api:
        assert_refused(
            api.post(
                "/api/orders",
                json={"authority_id": october.government, "unit_ids": [1], "title": "x"},
            ),
            401,
            "unauthorized",
        )


def test_an_order_with_two_issuers_is_invalid_input(october: October) -> None:
    with october.client() as api:
        error = assert_refused(
            api.post(
                "/api/orders",
                json={
                    "council_id": october.mrc,
                    "authority_id": october.government,
                    "unit_ids": list(october.units.values()),
                    "title": "Both",
                },
            ),
            422,
            "invalid_input",
        )
    assert error["field"] == "issuer"
