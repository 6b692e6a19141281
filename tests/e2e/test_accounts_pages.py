"""Accounts end to end, against `smolny serve` on SQLite and PostgreSQL: an administrator
created by the command imports fifty members in the browser, a member accepts the
invitation, logs in and out; CSRF, the session cookie, the login limit and API tokens."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, func, select

from smolny.app import create_app
from smolny.services import accounts, federation
from smolny.settings import Settings
from smolny.store.database import connect
from smolny.store.tables import events, members
from smolny.store.uow import UnitOfWork
from tests.builders import City, build_city
from tests.e2e.conftest import Server, assert_accessible, serving, smolny_env

PASSWORD = "a long enough passphrase"
FACTIONS = ["Left", "Centre", "Right", ""]


@dataclass
class Site:
    server: Server
    engine: Engine
    city: City

    @property
    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def url(self, path: str) -> str:
        return self.server.url + path

    def counts(self) -> tuple[int, int]:
        with self.engine.connect() as connection:
            return (
                connection.execute(select(func.count()).select_from(events)).scalar_one(),
                connection.execute(select(func.count()).select_from(members)).scalar_one(),
            )

    def administrator(self, login: str) -> str:
        _, token = accounts.create_administrator(
            self.uow, organization_id=self.city.organization.id, login=login
        )
        accounts.accept_invitation(self.uow, token=token, password=PASSWORD)
        return login


@pytest.fixture(scope="module")
def site(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    engine = connect(module_database_url)
    city = build_city(UnitOfWork(engine))
    with serving(module_database_url, "operator-token", tmp_path_factory.mktemp("acc")) as server:
        yield Site(server, engine, city)
    engine.dispose()


def roll(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["name", "number", "faction", "constituency"])
    for i in range(1, n + 1):
        place = "Factory" if i % 2 else "Regiment"
        writer.writerow([f"Comrade {i:02d}", f"N-{i:03d}", FACTIONS[i % 4], place])
    return ("\ufeff" + out.getvalue()).encode()


def create_admin_by_command(site: Site, login: str) -> str:
    """`smolny account create-admin`, as the operator runs it; the link it prints."""
    result = subprocess.run(
        [sys.executable, "-m", "smolny", "account", "create-admin", "Test Union", login],
        env=smolny_env(site.server.database_url, SMOLNY_BASE_URL=site.server.url + "/"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (link,) = re.findall(r"http://\S+/invite/\S+", result.stdout)
    assert link.startswith(site.server.url + "/invite/")
    return link


def log_in(page: Page, login: str, password: str) -> None:
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


@pytest.mark.browser
def test_an_administrator_imports_fifty_members_and_a_member_logs_in_and_out(
    site: Site, page: Page, browser: Browser
) -> None:
    oid = site.city.organization.id
    link = create_admin_by_command(site, "secretary")

    # The administrator sets a password by the printed link, and logs in.
    page.goto(link)
    expect(page.locator("h1")).to_have_text(f"Welcome to {site.city.organization.name}")
    page.fill("#password", PASSWORD)
    page.fill("#repeat", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("[role=status]")).to_contain_text("Your password is set")
    expect(page.locator("#login")).to_have_value("secretary")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(site.url("/account"))
    expect(page.locator(".top .who a")).to_have_text("secretary")

    # Upload fifty members: the preview says what would happen and writes nothing.
    page.click("text=Import members from a CSV file")
    expect(page).to_have_url(site.url(f"/organizations/{oid}/admin/members/import"))
    before = site.counts()
    page.set_input_files(
        "#file", files=[{"name": "roll.csv", "mimeType": "text/csv", "buffer": roll(50)}]
    )
    page.click("text=Preview the import")
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("50 new")
    expect(summary).to_contain_text("0 in error")
    expect(page.locator("table.preview tbody tr")).to_have_count(50)
    expect(page.locator("#row-2 .tag")).to_have_text("new")
    assert site.counts() == before

    # Import: fifty enrolled in two events (one per constituency), fifty links.
    page.click("text=Import 50 rows")
    expect(page.locator("#import-done")).to_have_text(
        "50 members enrolled, 0 changed, 50 invitations given out."
    )
    assert site.counts() == (before[0] + 2, before[1] + 50)
    with site.engine.connect() as connection:
        actors = connection.execute(
            select(events.c.kind, events.c.actor).order_by(events.c.seq.desc()).limit(2)
        ).all()
    secretary = accounts.account_by_login(site.uow, "secretary")
    assert actors == [("members-enrolled", secretary.actor)] * 2
    links = page.locator("table.links a.link")
    expect(links).to_have_count(50)
    with page.expect_download() as download:
        page.click("#download")
    saved = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(saved)))
    assert rows[0] == ["number", "name", "link"]
    assert len(rows) == 51
    assert rows[1][:2] == ["N-001", "Comrade 01"]
    assert rows[1][2] == links.first.get_attribute("href")

    # A member opens their link in their own browser, chooses a login and a password.
    member = browser.new_context()
    tab = member.new_page()
    tab.goto(rows[7][2])
    expect(tab.locator("main p").first).to_contain_text("Comrade 07")
    expect(tab.locator("#login")).to_have_value("comrade.07")
    tab.fill("#password", "short")
    tab.fill("#repeat", "short")
    tab.click("button[type=submit]")  # the browser's own check refuses it first
    assert tab.url == rows[7][2]
    tab.fill("#password", "we shall overcome 1917")
    tab.fill("#repeat", "we shall overcome 1917")
    tab.click("button[type=submit]")
    expect(tab.locator("[role=status]")).to_contain_text("Your password is set")
    log_in(tab, "comrade.07", "we shall overcome 1917")
    expect(tab.locator("main .summary")).to_contain_text("the account of Comrade 07")
    expect(tab.locator(".top .who a")).to_have_text("comrade.07")
    tab.click(".top .who button")
    expect(tab.locator("[role=status]")).to_have_text("You are logged out.")
    expect(tab.locator(".top .who")).not_to_contain_text("comrade.07")
    tab.goto(site.url("/"))
    expect(tab.locator(".top .who a")).to_have_text("Log in")
    assert tab.goto(site.url("/account")).url.startswith(site.url("/login?next=/account"))
    # The link worked once.
    tab.goto(rows[7][2])
    expect(tab.locator("p.error")).to_contain_text("already used")
    member.close()


def session(site: Site, login: str) -> tuple[httpx.Client, str]:
    """A client logged in as `login`, and its session's CSRF token."""
    client = httpx.Client(base_url=site.server.url, timeout=30)
    token = csrf(client.get("/login").text)
    answer = client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, answer.text
    return client, csrf(client.get("/account").text)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_form_without_the_token_or_with_another_sessions_is_refused(site: Site) -> None:
    site.administrator("csrf-a")
    site.administrator("csrf-b")
    with httpx.Client(base_url=site.server.url, timeout=30) as anonymous:
        refused = anonymous.post("/login", data={"login": "csrf-a", "password": PASSWORD})
        assert refused.status_code == 403
        assert "security token (CSRF)" in refused.text
        token = csrf(anonymous.get("/login").text)
        assert (
            anonymous.post("/login", data={"login": "csrf-a", "password": PASSWORD}).status_code
            == 403
        )
        header = {"X-CSRF-Token": token}
        done = anonymous.post(
            "/login", data={"login": "csrf-a", "password": PASSWORD}, headers=header
        )
        assert done.status_code == 303
    a, a_token = session(site, "csrf-a")
    b, b_token = session(site, "csrf-b")
    assert a_token != b_token
    for offered in ({}, {"csrf_token": b_token}, {"csrf_token": ""}):
        answer = a.post("/account/tokens", data={"name": "script", **offered})
        assert answer.status_code == 403
    assert accounts.api_tokens(site.uow, accounts.account_by_login(site.uow, "csrf-a").id) == []
    answer = a.post("/account/tokens", data={"name": "script"}, headers={"X-CSRF-Token": a_token})
    assert answer.status_code == 200
    assert 'id="new-token"' in answer.text
    logout = a.post("/logout", data={"csrf_token": b_token})
    assert logout.status_code == 403
    assert a.get("/account", follow_redirects=False).status_code == 200
    a.close()
    b.close()


def test_the_session_cookie_is_http_only_same_site_and_secure_when_asked(
    site: Site, module_database_url: str
) -> None:
    site.administrator("cookies")
    with httpx.Client(base_url=site.server.url, timeout=30) as client:
        token = csrf(client.get("/login").text)
        answer = client.post(
            "/login", data={"login": "cookies", "password": PASSWORD, "csrf_token": token}
        )
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("smolny_session=")
    flags = {f.strip().split("=")[0].lower() for f in cookie.split(";")[1:]}
    assert {"httponly", "samesite", "path", "max-age"} <= flags
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in flags
    settings = Settings(database_url=module_database_url, secure_cookies=True)
    with TestClient(create_app(settings), base_url="https://testserver") as secure:
        token = csrf(secure.get("/login").text)
        answer = secure.post(
            "/login",
            data={"login": "cookies", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert "secure" in answer.headers["set-cookie"].lower()


def test_the_sixth_wrong_password_is_refused_saying_how_long_to_wait(site: Site) -> None:
    site.administrator("guessed")
    with httpx.Client(base_url=site.server.url, timeout=30) as client:
        token = csrf(client.get("/login").text)
        for n in range(5):
            wrong = {"login": "guessed", "password": f"guess number {n}", "csrf_token": token}
            answer = client.post("/login", data=wrong)
            assert answer.status_code == 401
            assert "the login name or the password is wrong" in answer.text
        right = {"login": "guessed", "password": PASSWORD, "csrf_token": token}
        answer = client.post("/login", data=right)
    assert answer.status_code == 429
    assert re.search(r"too many failed logins: try again in 1[45] minutes", answer.text)
    assert 840 <= int(answer.headers["retry-after"]) <= 900


def test_an_administrators_api_token_changes_its_own_organization_only(site: Site) -> None:
    site.administrator("scripted")
    other = federation.create_organization(site.uow, name="Other Union", actor="test")
    client, token = session(site, "scripted")
    page = client.post("/account/tokens", data={"name": "roll sync", "csrf_token": token})
    client.close()
    found = re.search(r'id="token-value"[^>]* value="([^"]+)"', page.text)
    assert found is not None
    bearer = {"Authorization": f"Bearer {found.group(1)}"}
    oid = site.city.organization.id
    with httpx.Client(base_url=site.server.url, timeout=30, headers=bearer) as api:
        made = api.post(f"/api/organizations/{oid}/factions", json={"name": "Anarchists"})
        assert made.status_code == 201, made.text
        refused = api.post(f"/api/organizations/{other.id}/factions", json={"name": "Anarchists"})
        assert refused.status_code == 403
        assert "administers another organization" in refused.json()["error"]["message"]
        assert api.post("/api/organizations", json={"name": "Mine"}).status_code == 403
    with site.engine.connect() as connection:
        last = connection.execute(
            select(events.c.kind, events.c.actor).order_by(events.c.seq.desc()).limit(1)
        ).one()
    account = accounts.account_by_login(site.uow, "scripted")
    assert tuple(last) == ("faction-created", account.actor)


@pytest.mark.browser
def test_the_administrator_gives_one_member_an_invitation_and_another_a_reset_link(
    site: Site, page: Page, browser: Browser
) -> None:
    oid = site.city.organization.id
    login = site.administrator("roll-keeper")
    regiment = site.city.members["Regiment"]
    token = accounts.issue_invitation(site.uow, member_id=regiment[1].id)
    accounts.accept_invitation(site.uow, token=token, password=PASSWORD, login="forgetful")
    page.goto(site.url("/login?next=" + f"/organizations/{oid}/admin/members"))
    log_in(page, login, PASSWORD)
    page.fill("#q", "Regiment member")
    page.click("form[role=search] button")
    expect(page.locator("table.roll tbody tr")).to_have_count(6)
    page.click(f"#member-{regiment[0].id} button")
    invitation = page.locator("#issued-link").input_value()
    assert re.fullmatch(re.escape(site.url("/invite/")) + r"[\w-]{43}", invitation)
    page.click(f"#member-{regiment[1].id} button")
    expect(page.locator("#issued")).to_contain_text("Password reset link for Regiment member 2")
    reset = page.locator("#issued-link").input_value()
    other = browser.new_context()
    tab = other.new_page()
    tab.goto(reset)
    expect(tab.locator("main p").first).to_contain_text("forgetful")
    tab.fill("#password", "remembered at last")
    tab.fill("#repeat", "remembered at last")
    tab.click("main button[type=submit]")
    log_in(tab, "forgetful", "remembered at last")
    expect(tab.locator(".top .who a")).to_have_text("forgetful")
    # A member's account cannot open the administrator's pages.
    answer = tab.goto(site.url(f"/organizations/{oid}/admin/members"))
    assert answer is not None
    assert answer.status == 403
    other.close()


@pytest.mark.browser
def test_an_administrator_disables_a_member_who_is_logged_out_and_refused_until_enabled(
    site: Site, page: Page, browser: Browser
) -> None:
    oid = site.city.organization.id
    login = site.administrator("gatekeeper")
    me = accounts.account_by_login(site.uow, login)
    leaving = site.city.members["Factory"][9]
    token = accounts.issue_invitation(site.uow, member_id=leaving.id)
    account = accounts.accept_invitation(site.uow, token=token, password=PASSWORD, login="leaver")

    # The member is logged in, in their own browser.
    theirs = browser.new_context()
    tab = theirs.new_page()
    tab.goto(site.url("/login"))
    log_in(tab, "leaver", PASSWORD)
    expect(tab.locator(".top .who a")).to_have_text("leaver")

    # The administrator finds them and disables the account, by the confirmation page.
    members_page = site.url(f"/organizations/{oid}/admin/members")
    page.goto(site.url("/login?next=" + f"/organizations/{oid}/admin/members"))
    log_in(page, login, PASSWORD)
    expect(page).to_have_url(members_page)
    # No button disables one's own account.
    own = page.locator(f"#account-{me.id}")
    expect(own).to_be_visible()
    expect(own.locator(".actions a, .actions button")).to_have_count(0)
    page.fill("#q", "Factory member 10")
    page.click("form[role=search] button")
    row = page.locator(f"#member-{leaving.id}")
    expect(row).to_contain_text("leaver")
    assert_accessible(page)
    row.get_by_role("link", name="Disable the account of Factory member 10").click()
    expect(page.locator("h1")).to_have_text("Disable the account leaver")
    expect(page.locator("main")).to_contain_text("ends every session of the account")
    assert_accessible(page)
    page.fill("#reason", "left the union")
    page.click("#disable-form button[type=submit]")
    expect(page.locator("#members-notice")).to_contain_text(
        "The account leaver is disabled: its sessions have ended"
    )
    row = page.locator(f"#member-{leaving.id}")
    day = site.uow.now().date().isoformat()
    expect(row).to_contain_text(f"disabled on {day} by gatekeeper")
    expect(row).to_contain_text("Reason: left the union")
    reset = row.get_by_role("button", name="Reset the password of Factory member 10")
    expect(reset).to_have_count(0)
    assert_accessible(page)

    # Their open session is logged out on the next request, and the login is refused.
    tab.goto(site.url("/account"))
    expect(tab).to_have_url(re.compile(re.escape(site.url("/login?next=/account"))))
    expect(tab.locator(".top .who")).not_to_contain_text("leaver")
    log_in(tab, "leaver", PASSWORD)
    expect(tab.locator("#login-error")).to_have_text(
        "This account is disabled. Ask an administrator of your organization to enable it."
    )
    log_in(tab, "leaver", "not the password at all")
    expect(tab.locator("#login-error")).to_contain_text("This account is disabled.")

    # In Russian, the roll says the same.
    page.goto(members_page + "?q=Factory+member+10&lang=ru")
    expect(page.locator(f"#member-{leaving.id}")).to_contain_text("отключена")
    expect(page.locator(f"#member-{leaving.id}")).to_contain_text("Причина: left the union")
    page.goto(members_page + "?q=Factory+member+10&lang=en")

    # Enabled again (after confirming), the member logs in with their password.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#member-{leaving.id}").get_by_role(
        "button", name="Enable the account of Factory member 10"
    ).click()
    expect(page.locator("#members-notice")).to_contain_text("The account leaver is enabled")
    expect(page.locator(f"#member-{leaving.id}")).not_to_contain_text("disabled")
    log_in(tab, "leaver", PASSWORD)
    expect(tab.locator(".top .who a")).to_have_text("leaver")
    assert not accounts.account_by_login(site.uow, "leaver").disabled
    assert account.id == accounts.account_by_login(site.uow, "leaver").id
    theirs.close()


def test_the_disabling_forms_need_the_token_and_an_administrator(site: Site) -> None:
    oid = site.city.organization.id
    site.administrator("warden")
    token = accounts.issue_invitation(site.uow, member_id=site.city.members["Factory"][8].id)
    target = accounts.accept_invitation(site.uow, token=token, password=PASSWORD, login="kept")
    path = f"/organizations/{oid}/admin/members/accounts/{target.id}/disable"
    client, csrf_token = session(site, "warden")
    assert client.post(path, data={"reason": "no token"}).status_code == 403
    assert not accounts.account_by_login(site.uow, "kept").disabled
    member, member_token = session(site, "kept")
    refused = member.post(path, data={"csrf_token": member_token})
    assert refused.status_code == 403
    assert not accounts.account_by_login(site.uow, "kept").disabled
    warden = accounts.account_by_login(site.uow, "warden")
    own = f"/organizations/{oid}/admin/members/accounts/{warden.id}/disable"
    mine = client.post(own, data={"csrf_token": csrf_token})
    assert mine.status_code == 409
    assert "cannot disable your own account" in mine.text
    done = client.post(path, data={"csrf_token": csrf_token}, follow_redirects=False)
    assert done.status_code == 303
    # The member's session ended with it: their next request is anonymous.
    assert member.get("/account", follow_redirects=False).status_code == 303
    client.close()
    member.close()
