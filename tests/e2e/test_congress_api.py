"""The congress and petition routes of the JSON API over real HTTP, against `smolny serve`
as a subprocess. The soviets and their deputies are built through the services on the
served database (tests/builders_congress.py); everything the congress does goes through
the API, with explicit moments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from smolny.domain.federation import CouncilKind, Power
from smolny.services import federation
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_congress import ACTOR, Soviets, build_soviets, deputies
from tests.conftest import at
from tests.e2e.conftest import Server


@pytest.fixture
def soviets(server: Server) -> Iterator[tuple[Soviets, UnitOfWork]]:
    engine = connect(server.database_url)
    uow = UnitOfWork(engine)
    yield build_soviets(uow), uow
    engine.dispose()


def post(client: httpx.Client, path: str, body: dict[str, Any], status: int = 201) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == status, f"POST {path}: {response.status_code} {response.text}"
    return response.json()


def get(client: httpx.Client, path: str, **params: str) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()


def test_a_congress_is_apportioned_convened_checked_and_elects_its_executive_over_http(
    server: Server, soviets: tuple[Soviets, UnitOfWork]
) -> None:
    built, uow = soviets
    cid = built.congress.id
    seat = {name: c.id for name, c in built.seats.items()}
    with server.client() as client:
        # The 1917 rule over the electors the soviets reported.
        shared = post(
            client,
            f"/api/congresses/{cid}/apportionment",
            {
                "rule": "step:25000:2:25000:8",
                "reported": {
                    str(seat["Petrograd Soviet"]): 400_000,
                    str(seat["Moscow Soviet"]): 50_000,
                    str(seat["Tver Soviet"]): 24_999,
                    str(seat["Klin Soviet"]): 9_000,
                },
                "at": "1917-05-20T12:00:00Z",
            },
        )
        assert {r["name"]: r["seats"] for r in shared["constituencies"]} == {
            "Petrograd Soviet": 8,
            "Moscow Soviet": 3,
            "Tver Soviet": 0,
            "Klin Soviet": 0,
        }
        assert shared["must_combine"] == ["Tver Soviet", "Klin Soviet"]
        assert shared["rule_text"] == "step:25000:2:25000:8"
        # Moscow's ten deputies elect its three delegates (spine route).
        moscow = deputies(uow, built.soviets["Moscow Soviet"].id, at("1917-05-25"))
        post(
            client,
            f"/api/constituencies/{seat['Moscow Soviet']}/elections",
            {
                "method": "plurality",
                "candidates": [
                    {"member_id": m.member_id, "votes": 9 - k} for k, m in enumerate(moscow[:4])
                ],
                "at": "1917-05-25T12:00:00Z",
            },
        )
        sent = [m.member_id for m in moscow[:3]]
        convocation = post(
            client,
            f"/api/congresses/{cid}/convocations",
            {"name": "First Congress", "at": "1917-06-03T10:00:00Z"},
        )
        checked = post(
            client,
            f"/api/convocations/{convocation['id']}/credentials",
            {
                "presented": [
                    {"member_id": sent[0], "council_id": built.soviets["Moscow Soviet"].id},
                    {"member_id": sent[1], "council_id": built.soviets["Moscow Soviet"].id},
                    {"member_id": sent[2], "council_id": built.soviets["Tver Soviet"].id},
                ],
                "at": "1917-06-03T12:00:00Z",
            },
        )
        assert [c["seated"] for c in checked] == [True, True, False]
        assert checked[2]["reason"] == "no-seats"

        bureau = federation.create_council(
            uow,
            organization_id=built.organization.id,
            name="Bureau",
            kind=CouncilKind.COMMITTEE,
            parent_id=cid,
            actor=ACTOR,
            at=at("1917-06-03", 13),
        )
        refusal = {
            "member_id": sent[1],
            "reason": "mandate signed by the old executive",
            "by_council_id": bureau.id,
            "at": "1917-06-04T12:00:00Z",
        }
        refused = client.post(f"/api/convocations/{convocation['id']}/refusals", json=refusal)
        assert refused.status_code == 422
        assert "does not hold the check-credentials power" in refused.json()["error"]["message"]
        federation.grant_powers(
            uow,
            council_id=bureau.id,
            granted=[Power.CHECK_CREDENTIALS],
            decision="the congress made its bureau the credentials commission",
            actor=ACTOR,
            at=at("1917-06-03", 14),
        )
        post(client, f"/api/convocations/{convocation['id']}/refusals", refusal)

        report = get(client, f"/api/convocations/{convocation['id']}/credentials", at="1917-06-05")
        assert report["seated_count"] == 1
        assert report["refused_by_reason"] == {
            "council has no seats": 1,
            "refused by the credentials body": 1,
        }
        seated = get(client, f"/api/congresses/{cid}/seated", at="1917-06-05")
        assert [s["member_id"] for s in seated] == [sent[0]]
        assert (
            get(client, f"/api/congresses/{cid}/seated", at="1917-06-03T12:30")[1]["member_id"]
            == (sent[1])
        )

        cec = federation.create_council(
            uow,
            organization_id=built.organization.id,
            name="Central Executive Committee",
            kind=CouncilKind.COMMITTEE,
            parent_id=cid,
            powers=[Power.ACT_BETWEEN_SITTINGS],
            actor=ACTOR,
            at=at("1917-06-05"),
        )
        faction = next(m.faction_id for m in moscow if m.member_id == sent[0])
        body = {
            "seats": 1,
            "lists": [{"faction_id": faction, "candidates": [sent[1]]}],
            "at": "1917-06-10T12:00:00Z",
        }
        unseated = client.post(f"/api/congresses/{cid}/committees/{cec.id}/elections", json=body)
        assert unseated.status_code == 422  # refused at credentials: cannot stand
        body["lists"] = [{"faction_id": faction, "candidates": [sent[0]]}]
        election = post(client, f"/api/congresses/{cid}/committees/{cec.id}/elections", body)
        assert election["result"]["electorate"] == 1

        post(client, f"/api/congresses/{cid}/closing", {"at": "1917-06-24T12:00:00Z"}, 200)
        state = get(client, f"/api/congresses/{cid}", at="1917-06-25")
        assert state["in_session"] is False
        assert state["acting"] == ["Central Executive Committee"]
        assert state["credentials"]["seated_count"] == 1
        assert state["convocations"][0]["closed_at"] == "1917-06-24T12:00:00+00:00"
        during = get(client, f"/api/congresses/{cid}", at="1917-06-11")
        assert during["acting"] == [built.congress.name]
        assert during["convocations"][0]["closed_at"] is None  # not known on 11 June
        assert get(client, "/api/ledger/verification")["ok"] is True

    with server.client(authorized=False) as anonymous:
        response = anonymous.post(
            f"/api/congresses/{cid}/convocations", json={"name": "Second Congress"}
        )
        assert response.status_code == 401


def test_a_petition_over_http_reaches_its_threshold_and_its_vote_recalls_the_delegate(
    server: Server, soviets: tuple[Soviets, UnitOfWork]
) -> None:
    built, uow = soviets
    tver = built.soviets["Tver Soviet"]
    with uow:
        mandate = uow.repo.mandates_at(at("1917-05-10"), council_id=tver.id)[0]
    workers = built.members["Tver Soviet"]  # six members: 1/5 of 6, rounded up, is 2
    with server.client() as client:
        petition = post(
            client,
            f"/api/mandates/{mandate.id}/petitions",
            {"opened_by": workers[5].id, "reason": "absent", "at": "1917-06-01T12:00:00Z"},
        )
        assert (petition["threshold"], petition["signatures"]) == (2, 1)
        short = client.post(
            f"/api/petitions/{petition['id']}/recall-vote",
            json={"votes_for": 5, "votes_against": 0, "at": "1917-06-02T12:00:00Z"},
        )
        assert short.status_code == 422
        assert "1 of the 2 signatures" in short.json()["error"]["message"]
        stranger = built.members["Klin Soviet"][0]
        outsider = client.post(
            f"/api/petitions/{petition['id']}/signatures", json={"member_id": stranger.id}
        )
        assert outsider.status_code == 422
        twice = client.post(
            f"/api/petitions/{petition['id']}/signatures", json={"member_id": workers[5].id}
        )
        assert twice.status_code == 409
        signed = post(
            client,
            f"/api/petitions/{petition['id']}/signatures",
            {"member_id": workers[4].id, "at": "1917-06-02T12:00:00Z"},
        )
        assert signed["reached_at"] == "1917-06-02T12:00:00Z"
        vote = post(
            client,
            f"/api/petitions/{petition['id']}/recall-vote",
            {"votes_for": 4, "votes_against": 1, "at": "1917-06-03T12:00:00Z"},
        )
        assert vote["carried"] is True
        post(
            client,
            f"/api/constituencies/{built.factories['Tver Soviet'].id}/by-elections",
            {
                "candidates": [{"member_id": workers[5].id, "votes": 4}],
                "at": "1917-06-10T12:00:00Z",
            },
        )
        state = get(client, f"/api/petitions/{petition['id']}", at="1917-06-11")
        assert state["status"] == "recalled"
        assert state["vote"]["for"] == 4
        assert state["by_election"] is not None
        before = get(client, f"/api/petitions/{petition['id']}", at="1917-06-01T18:00")
        assert (before["status"], before["signatures"]) == ("open", 1)
        listed = get(
            client,
            f"/api/constituencies/{built.factories['Tver Soviet'].id}/petitions",
            at="1917-06-11",
        )
        assert [p["status"] for p in listed["petitions"]] == ["recalled"]
        assert get(client, "/api/ledger/verification")["ok"] is True
