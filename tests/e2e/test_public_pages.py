"""Public pages, against `smolny serve` on SQLite and PostgreSQL: an administrator makes
an organization's pages members-only in the browser; then no one signed in reads any of
its pages, downloads or API answers (the login page, 401), a member does (after logging
in, or with an API token), an account of another organization finds nothing (404), and a
public organization stays open to all. Screenshots at desktop and phone width."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from smolny.domain.sittings import Sitting
from smolny.services import accounts, sittings, visibility
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_committee_journey import PASSWORD, Committees, build_committees
from tests.conftest import at
from tests.e2e.conftest import Server, assert_accessible, serving

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OPERATOR = "operator-token"


@dataclass
class Site:
    server: Server
    engine: Engine
    world: Committees
    sitting: Sitting
    tokens: dict[str, str]  # login -> an API token of the account

    @property
    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def url(self, path: str) -> str:
        return self.server.url + path

    def make_public(self, public: bool) -> None:
        visibility.set_public(
            self.uow,
            organization_id=self.world.organization.id,
            public=public,
            account=None,
            actor="test",
        )

    def pages(self) -> list[str]:
        """One address of each kind of page and download of the organization."""
        w = self.world
        oid, council = w.organization.id, w.city.council.id
        with self.uow as uow:
            election = min(e.id for e in uow.repo.elections_of(council))
        return [
            f"/councils/{council}",
            f"/councils/{council}/sittings",
            f"/councils/{council}/analytics",
            f"/councils/{council}/petitions",
            f"/councils/{council}/composition.csv",
            f"/elections/{election}",
            f"/elections/{election}.json",
            f"/sittings/{self.sitting.id}",
            f"/sittings/{self.sitting.id}/minutes",
            f"/organizations/{oid}/orders",
            f"/organizations/{oid}/timeline",
            f"/orders/{w.orders['front'].id}",
            f"/units/{w.first.id}",
            f"/factions/{w.city.factions['Left'].id}",
            f"/constituencies/{w.city.factory.id}/petitions",
        ]

    def api(self) -> list[str]:
        w = self.world
        oid, council = w.organization.id, w.city.council.id
        return [
            f"/api/councils/{council}",
            f"/api/councils/{council}/composition",
            f"/api/organizations/{oid}/factions",
            f"/api/organizations/{oid}/orders",
            f"/api/orders/{w.orders['front'].id}",
            f"/api/members/{w.members['signer'].id}",
            f"/api/sittings/{self.sitting.id}",
            f"/api/councils/{council}/lag",
        ]


@pytest.fixture(scope="module")
def site(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    engine = connect(module_database_url)
    uow = UnitOfWork(engine)
    world = build_committees(uow)  # argon2 makes accounts slow: build once
    sitting = sittings.convene_sitting(
        uow,
        council_id=world.city.council.id,
        title="Ordinary sitting",
        day=at("2026-03-20").date(),
        actor="test",
        at=at("2026-03-15"),
    )
    tokens = {
        login: accounts.create_api_token(
            uow, account_id=accounts.account_by_login(uow, login).id, name="script"
        )[1]
        for login in ("plain", "outsider")
    }
    logs = tmp_path_factory.mktemp("public")
    with serving(module_database_url, OPERATOR, logs) as server:
        yield Site(server, engine, world, sitting, tokens)
    engine.dispose()


def log_in(page: Page, login: str) -> None:
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")


def client(site: Site, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=site.server.url, headers=headers, timeout=30)


@pytest.mark.browser
def test_an_administrator_makes_the_pages_members_only_and_a_member_logs_in_to_read_them(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    site.make_public(True)
    world = site.world
    oid, council = world.organization.id, world.city.council.id
    shots = tmp_path / "screens"
    shots.mkdir()

    # The administrator chooses, from their account page.
    admin = browser.new_context(viewport=DESKTOP).new_page()
    admin.goto(site.url("/login?next=/account"))
    log_in(admin, "admin")
    admin.get_by_role("link", name="Public pages").click()
    expect(admin).to_have_url(site.url(f"/organizations/{oid}/admin/public"))
    expect(admin.locator("label.choice").first).to_have_css("display", "flex")  # its styles
    expect(admin.locator("#state")).to_contain_text(
        "Anyone, without an account, can read the pages of Test Union now."
    )
    assert_accessible(admin)
    admin.get_by_label("Its members only: they log in to read them").check()
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("#notice")).to_have_text(
        "Saved: the pages of Test Union are open to its members only."
    )
    expect(admin.locator("#state")).to_contain_text(
        "Only the accounts of Test Union can read its pages now."
    )
    admin.screenshot(path=str(shots / "admin-public-desktop.png"), full_page=True)
    assert not visibility.is_public(site.uow, oid)
    admin.context.close()

    # No one signed in: the federation page leaves Test Union out; its pages ask to log in.
    anonymous = browser.new_context(viewport=PHONE, has_touch=True).new_page()
    anonymous.goto(site.url("/"))
    expect(anonymous.locator("section.organization h2")).to_have_text(["Other Union"])
    expect(anonymous.locator("main")).not_to_contain_text("Test Union")
    anonymous.goto(site.url(f"/councils/{council}"))
    expect(anonymous).to_have_url(site.url(f"/login?next=/councils/{council}"))
    expect(anonymous.locator("main")).not_to_contain_text("City Council")
    anonymous.screenshot(path=str(shots / "login-phone.png"), full_page=True)

    # A member logs in there and is taken back to the page, which they read.
    log_in(anonymous, "plain")
    expect(anonymous).to_have_url(site.url(f"/councils/{council}"))
    expect(anonymous.locator("h1")).to_contain_text("City Council")
    anonymous.goto(site.url("/"))
    expect(anonymous.locator("section.organization h2")).to_have_text(["Test Union", "Other Union"])
    assert_accessible(anonymous)
    anonymous.screenshot(path=str(shots / "member-federation-phone.png"), full_page=True)
    anonymous.context.close()

    # An account of another organization finds nothing there, and no name.
    outsider = browser.new_context(viewport=DESKTOP).new_page()
    outsider.goto(site.url(f"/login?next=/councils/{council}"))
    log_in(outsider, "outsider")
    expect(outsider.locator("h1")).to_contain_text("404")
    expect(outsider.locator("main")).not_to_contain_text("City Council")
    expect(outsider.locator("main")).not_to_contain_text("Test Union")
    outsider.context.close()
    site.make_public(True)


def test_members_only_pages_downloads_and_api_are_refused_to_others(site: Site) -> None:
    site.make_public(False)
    world = site.world
    other = world.other.id
    with client(site) as anonymous:
        for path in site.pages():
            answer = anonymous.get(path, follow_redirects=False)
            assert answer.status_code == 303, path
            assert answer.headers["location"] == f"/login?next={path}", path
        for path in site.api():
            answer = anonymous.get(path)
            assert answer.status_code == 401, path
            assert answer.json()["error"]["code"] == "unauthorized"
            assert "Test Union" not in answer.text
        names = [o["name"] for o in anonymous.get("/api/organizations").json()]
        assert names == ["Other Union"]
        councils = anonymous.get("/api/councils").json()
        assert {c["organization_id"] for c in councils} <= {other}
        ledger = anonymous.get("/api/ledger", params={"limit": 1000}).json()
        hidden = [e for e in ledger if e.get("withheld")]
        shown = [e for e in ledger if not e.get("withheld")]
        assert hidden
        assert all(e["body"] is None and e["kind"] is None and e["hash"] for e in hidden)
        assert all('"organization":' + str(other) in e["body"] for e in shown)
        assert "Test Union" not in str(ledger)
        # The public organization stays open to all.
        assert anonymous.get(f"/api/organizations/{other}/factions").status_code == 200
        assert anonymous.get("/").status_code == 200
    with client(site, site.tokens["plain"]) as member:
        for path in site.api():
            assert member.get(path).status_code == 200, path
        assert {o["name"] for o in member.get("/api/organizations").json()} == {
            "Test Union",
            "Other Union",
        }
        assert not any(e.get("withheld") for e in member.get("/api/ledger").json())
    with client(site, site.tokens["outsider"]) as outsider:
        for path in site.api():
            answer = outsider.get(path)
            assert answer.status_code == 404, path
            assert "Test Union" not in answer.text
    with client(site, OPERATOR) as operator:
        for path in site.api():
            assert operator.get(path).status_code == 200, path


def test_public_pages_are_open_to_all(site: Site) -> None:
    site.make_public(True)
    with client(site) as anonymous:
        for path in site.pages():
            assert anonymous.get(path, follow_redirects=False).status_code == 200, path
        for path in site.api():
            assert anonymous.get(path).status_code == 200, path
