"""Sittings end to end: the JSON API over real HTTP, the pages (the chair's desk form, the
minutes and their Markdown download), and the live sitting page in headless Chromium.

Each test builds the test city through the services on a fresh database of the backend
under test (tests/builders_sittings.py), then serves it with `smolny serve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_sittings import EVERYONE, WORKERS, Chamber, build_chamber
from tests.e2e.conftest import Server, serving

DAY = "2026-05-12"


def moment(hour: int, minute: int = 0) -> str:
    return f"{DAY}T{hour:02d}:{minute:02d}:00Z"


@pytest.fixture
def chamber(database_url: str) -> Chamber:
    engine = connect(database_url)
    try:
        return build_chamber(UnitOfWork(engine))
    finally:
        engine.dispose()


@pytest.fixture
def served(chamber: Chamber, database_url: str, token: str, tmp_path: Path) -> Iterator[Server]:
    with serving(database_url, token, tmp_path / "logs") as running:
        yield running


def post(api: httpx.Client, path: str, body: dict[str, Any], status: int = 201) -> Any:
    response = api.post(path, json=body)
    assert response.status_code == status, f"POST {path}: {response.status_code} {response.text}"
    return response.json()


def refused(api: httpx.Client, path: str, body: dict[str, Any], status: int = 422) -> str:
    response = api.post(path, json=body)
    assert response.status_code == status, response.text
    message: str = response.json()["error"]["message"]
    return message


def test_a_sitting_through_the_api_keeps_a_secret_vote_secret_while_it_is_open(
    served: Server, chamber: Chamber
) -> None:
    sid = chamber.sitting.id
    with served.client() as api, served.client(authorized=False) as anonymous:
        assert (
            anonymous.post(f"/api/sittings/{sid}/attendance", json={"everyone": True}).status_code
            == 401
        )
        outsider = chamber.city.members["Factory"][4]  # not elected
        message = refused(
            api,
            f"/api/sittings/{sid}/attendance",
            {"member_ids": [outsider.id], "at": moment(18, 1)},
        )
        assert message == (
            "Factory member 5 is not a delegate of City Council: Factory member 5 cannot check in"
        )
        arrived = post(
            api, f"/api/sittings/{sid}/attendance", {"everyone": True, "at": moment(18, 2)}
        )
        assert len(arrived) == 8
        post(
            api,
            f"/api/sittings/{sid}/agenda",
            {"title": "Power", "kind": "motion", "at": moment(18, 3)},
        )
        post(api, f"/api/sittings/{sid}/agenda/current", {"at": moment(18, 4)}, status=200)
        motion = post(
            api,
            f"/api/sittings/{sid}/motions",
            {
                "title": "All power to the councils",
                "text": "The council takes power.",
                "by_faction_id": chamber.faction("Left"),
                "at": moment(18, 5),
            },
        )
        vote = post(
            api, f"/api/motions/{motion['id']}/votes", {"mode": "secret", "at": moment(18, 6)}
        )
        for i, name in enumerate(EVERYONE[:5]):
            cast = post(
                api,
                f"/api/votes/{vote['id']}/ballots",
                {
                    "member_id": chamber.id(name),
                    "choice": "for" if i < 3 else "against",
                    "at": moment(18, 7),
                },
            )
            assert cast["choice"] is None
        assert (cast["voted"], cast["present"]) == (5, 8)
        again = refused(
            api,
            f"/api/votes/{vote['id']}/ballots",
            {"member_id": chamber.id(EVERYONE[0]), "choice": "against", "at": moment(18, 8)},
            status=409,
        )
        assert again == f"Factory member 1 has already voted in vote {vote['id']} (at 18:07)"
        progress = api.get(f"/api/votes/{vote['id']}").json()
        assert (progress["voted"], progress["present"]) == (5, 8)
        assert not {"for", "against", "abstain", "outcome", "names"} & set(progress)
        result = post(api, f"/api/votes/{vote['id']}/closing", {"at": moment(18, 9)}, status=200)
        assert (result["for"], result["against"], result["outcome"]) == (3, 2, "carried")
        assert "names" not in result
        document = api.get(f"/api/sittings/{sid}", params={"at": moment(18, 6)}).json()
        assert document["presence"] == {"present": 8, "seated": 8, "quorum": 5, "quorate": True}
        assert document["agenda"][0]["current"] is True
        # The live part of the page: redrawn only when something changed.
        page = api.get(f"/sittings/{sid}")
        version = re.search(r'data-version="([0-9a-f]+)"', page.text)
        assert version is not None
        unchanged = api.get(f"/sittings/{sid}/live", params={"v": version[1]})
        assert unchanged.status_code == 204
        changed = api.get(f"/sittings/{sid}/live", params={"v": "0" * 16})
        assert changed.status_code == 200
        assert f'hx-get="/sittings/{sid}/live?v={version[1]}"' in changed.text
        minutes = api.get(f"/api/sittings/{sid}/minutes").json()
        assert minutes["motions"][0]["status"] == "carried"
        assert api.get("/api/ledger/verification").json()["ok"] is True


def test_a_recalled_delegates_vote_is_refused_through_the_api_and_through_the_page(
    served: Server, chamber: Chamber, token: str
) -> None:
    sid = chamber.sitting.id
    with served.client() as api:
        post(api, f"/api/sittings/{sid}/attendance", {"everyone": True, "at": moment(18, 1)})
        motion = post(
            api,
            f"/api/sittings/{sid}/motions",
            {
                "title": "Strike",
                "text": "We strike.",
                "by_member_id": chamber.id("Factory member 1"),
                "at": moment(18, 2),
            },
        )
        vote = post(api, f"/api/motions/{motion['id']}/votes", {"at": moment(18, 3)})
        mandate = chamber.mandates["Factory member 2"]
        post(
            api,
            f"/api/mandates/{mandate.id}/recall",
            {"votes_for": 6, "votes_against": 2, "at": moment(18, 4)},
        )
        reason = "Factory member 2 holds no seat in City Council since 2026-05-12 (recall)"
        message = refused(
            api,
            f"/api/votes/{vote['id']}/ballots",
            {"member_id": chamber.id("Factory member 2"), "choice": "for", "at": moment(18, 5)},
        )
        assert message == f"{reason}: Factory member 2 cannot vote"

        # The chair's desk on the motion's page: refused with the reason, nothing changes.
        page = api.get(f"/motions/{motion['id']}")
        assert page.status_code == 200
        assert 'action="/votes/' in page.text
        form = {"member": "Factory member 2", "choice": "for", "token": token}
        answer = api.post(f"/votes/{vote['id']}/ballots", data=form, follow_redirects=False)
        assert answer.status_code == 422
        assert 'role="alert"' in answer.text
        assert reason in answer.text
        wrong = api.post(
            f"/votes/{vote['id']}/ballots", data={**form, "token": "guess"}, follow_redirects=False
        )
        assert wrong.status_code == 422
        assert "token is wrong" in wrong.text
        assert api.get(f"/api/votes/{vote['id']}").json()["voted"] == 0

        # A delegate who holds their seat votes through the same form.
        member = chamber.city.members["Factory"][0]
        done = api.post(
            f"/votes/{vote['id']}/ballots",
            data={"member": member.number, "choice": "against", "token": token},
            follow_redirects=False,
        )
        assert done.status_code == 303
        assert done.headers["location"].startswith(f"/motions/{motion['id']}")
        state = api.get(f"/api/votes/{vote['id']}").json()
        assert (state["voted"], state["present"]) == (1, 7)
        assert state["names"]["against"] == ["Factory member 1"]


def test_the_minutes_are_a_printable_page_and_a_markdown_download(
    served: Server, chamber: Chamber
) -> None:
    sid = chamber.sitting.id
    with served.client() as api:
        post(
            api,
            f"/api/sittings/{sid}/attendance",
            {"member_ids": chamber.ids(*WORKERS, "Factory member 7"), "at": moment(18, 1)},
        )
        motion = post(
            api,
            f"/api/sittings/{sid}/motions",
            {
                "title": "On power",
                "text": "Power to the councils.",
                "by_faction_id": chamber.faction("Left"),
                "at": moment(18, 2),
            },
        )
        post(
            api,
            f"/api/motions/{motion['id']}/totals",
            {"yes": 3, "no": 1, "abstain": 1, "at": moment(18, 3)},
        )
        post(
            api,
            f"/api/sittings/{sid}/walkouts",
            {
                "faction_ids": [chamber.faction("Centre")],
                "statement": "We leave.",
                "at": moment(18, 4),
            },
        )
        post(api, f"/api/sittings/{sid}/closing", {"at": moment(18, 30)}, status=200)

        download = api.get(f"/sittings/{sid}/minutes.md")
        assert download.status_code == 200
        assert download.headers["content-type"].startswith("text/markdown")
        assert download.headers["content-disposition"].startswith("attachment;")
        assert (
            'filename="minutes-2026-05-12-ordinary-sitting.md"'
            in download.headers["content-disposition"]
        )
        text = download.text
        assert "# Minutes: Ordinary sitting" in text
        assert "**carried, 3 for, 1 against, 1 abstaining (needed 3 for)**" in text
        assert "| 18:04 | 4 | 8 | 5 | no |" in text
        assert "Quorum lost (4 present, 5 needed)" in text

        page = api.get(f"/sittings/{sid}/minutes")
        assert page.status_code == 200
        assert "sittings.css" in page.text
        assert "presence-chart" in page.text
        council = api.get(f"/councils/{chamber.city.council.id}")
        assert f'href="/councils/{chamber.city.council.id}/sittings"' in council.text
        listing = api.get(f"/councils/{chamber.city.council.id}/sittings")
        assert f'href="/sittings/{sid}"' in listing.text
        css = api.get("/static/sittings.css")
        assert "@media print" in css.text


@pytest.mark.browser
def test_the_sitting_page_follows_attendance_and_a_vote_without_reload(
    served: Server, chamber: Chamber, page: Page
) -> None:
    sid = chamber.sitting.id
    page.goto(f"{served.url}/sittings/{sid}")
    page.evaluate("window.__loaded = true")  # gone if the page were reloaded
    present = page.locator("[data-testid=present]")
    expect(present).to_have_text("0")
    expect(page.locator("[data-testid=quorum]")).to_contain_text("No quorum")
    with served.client() as api:
        post(api, f"/api/sittings/{sid}/attendance", {"member_ids": chamber.ids(*WORKERS)})
        expect(present).to_have_text("4")
        post(
            api,
            f"/api/sittings/{sid}/attendance",
            {"member_ids": chamber.ids("Factory member 7", "Regiment member 1")},
        )
        expect(present).to_have_text("6")
        expect(page.locator("[data-testid=quorum]")).to_contain_text("Quorate")
        expect(page.locator("svg.hemicycle circle.seat[data-faction=left]")).to_have_count(5)
        motion = post(
            api,
            f"/api/sittings/{sid}/motions",
            {
                "title": "All power",
                "text": "Power to the councils.",
                "by_faction_id": chamber.faction("Left"),
            },
        )
        vote = post(api, f"/api/motions/{motion['id']}/votes", {"mode": "secret"})
        progress = page.locator(f"[data-testid=vote-progress-{vote['id']}]")
        expect(progress).to_contain_text("0 of 6 present have voted")
        for name in WORKERS[:3]:
            post(
                api,
                f"/api/votes/{vote['id']}/ballots",
                {"member_id": chamber.id(name), "choice": "for"},
            )
        expect(progress).to_contain_text("3 of 6 present have voted")
        # A secret vote: how many have voted, never how.
        expect(page.locator(f"#vote-{vote['id']} dl.names")).to_have_count(0)
        post(
            api,
            f"/api/sittings/{sid}/departures",
            {"member_ids": chamber.ids("Regiment member 1")},
            status=200,
        )
        expect(progress).to_contain_text("3 of 5 present have voted")
        expect(present).to_have_text("5")
    assert page.evaluate("window.__loaded") is True
    assert re.search(rf"/sittings/{sid}$", page.url)
