"""The delegate's and the chair's journeys through a sitting, live, at phone width, against
`smolny serve` on SQLite and PostgreSQL, in headless Chromium.

The Works Council (built through the services; accounts through services/accounts.py) has
four seats: Anna Berg chairs it (an office with the power `chair`), Boris Popov and Vera
Lund sit in it, and Grigory Sokol was recalled. Three phones: the chair opens the sitting,
the delegates check in (the chair's page follows without reload), a roll-call vote and a
secret vote are run, the chair sees who has not voted yet, closes the votes, and the
results appear on the delegates' phones without reload. The recalled delegate is refused,
with the reason. axe-core checks every page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine

from smolny.domain.sittings import Sitting
from smolny.services import accounts, sittings
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from smolny.web.i18n import format_day, speaking
from tests.builders_journeys import ACTOR, PEOPLE, RECALLED, Works, build_works
from tests.e2e.conftest import Server, assert_accessible, serving

pytestmark = pytest.mark.browser

PASSWORD = "a long enough passphrase"
PHONE = {"width": 390, "height": 844}


def build_works_with_accounts(uow: UnitOfWork) -> Works:
    """The Works Council, elected forty days ago, and an account for each of the four."""
    works = build_works(uow, datetime.now(UTC) - timedelta(days=40))
    for name, member in works.members.items():
        token = accounts.issue_invitation(uow, member_id=member.id)
        accounts.accept_invitation(uow, token=token, password=PASSWORD, login=PEOPLE[name][0])
    return works


@dataclass
class Site:
    """The Works Council built once for the module's tests, and a server on it."""

    server: Server
    engine: Engine
    works: Works

    def convene(self, title: str) -> Sitting:
        """A new sitting for today (each test runs its own)."""
        return sittings.convene_sitting(
            UnitOfWork(self.engine),
            council_id=self.works.council.id,
            title=title,
            day=datetime.now(UTC).date(),
            actor=ACTOR,
        )


@pytest.fixture(scope="module")
def site(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    engine = connect(module_database_url)
    works = build_works_with_accounts(UnitOfWork(engine))  # argon2 is slow: once
    logs = tmp_path_factory.mktemp("journey")
    with serving(module_database_url, "operator-token", logs) as server:
        yield Site(server, engine, works)
    engine.dispose()


@dataclass
class Phone:
    """A person's browser: their own context (cookies), at phone width."""

    context: BrowserContext
    page: Page
    name: str

    def told(self, *words: str) -> None:
        """The notice of the last action says all these words."""
        for text in words:
            expect(self.page.get_by_test_id("notice")).to_contain_text(text)


def sign_in(browser: Browser, server: Server, name: str, viewport: dict[str, int]) -> Phone:
    context = browser.new_context(viewport=viewport, has_touch=viewport is PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{server.url}/login?next=/my/sittings")
    page.fill("#login", PEOPLE[name][0])
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("h1")).to_have_text("My sittings")
    # Set once: still there at the end means the page was never reloaded.
    page.evaluate("window.notReloaded = true")
    return Phone(context, page, name)


def not_reloaded(phone: Phone) -> bool:
    return bool(phone.page.evaluate("window.notReloaded === true"))


def shoot(phone: Phone, directory: Path, name: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    phone.page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def test_a_sitting_run_from_three_phones_live_with_a_roll_call_and_a_secret_vote(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    served = site.server
    shots = tmp_path / "screens"
    sid = site.convene("Works meeting").id
    chair = sign_in(browser, served, "Anna Berg", PHONE)
    boris = sign_in(browser, served, "Boris Popov", PHONE)
    vera = sign_in(browser, served, "Vera Lund", PHONE)
    page = chair.page

    # The chair's sittings: today's, with the console.
    card = page.get_by_test_id(f"my-sitting-{sid}")
    expect(card).to_contain_text("Works meeting")
    expect(card).to_contain_text("today")
    assert_accessible(page)
    shoot(chair, shots, "01-chair-my-sittings")
    card.get_by_role("link", name=re.compile("Chair's console")).click()
    expect(page.locator("h1")).to_contain_text("Chair's console")
    page.evaluate("window.notReloaded = true")
    assert_accessible(page)
    page.click("#open-sitting")
    chair.told("The sitting is open")
    expect(page.locator("#part-state")).to_contain_text("in the chair: Anna Berg")

    # The delegates check in on their phones; the chair's page follows without reload.
    for phone in (boris, vera):
        card = phone.page.get_by_test_id(f"my-sitting-{sid}")
        card.get_by_role("link", name=re.compile("Your place")).click()
        expect(phone.page.locator("#check-in")).to_be_visible()
        phone.page.evaluate("window.notReloaded = true")
        assert_accessible(phone.page)
        phone.page.click("#check-in")
        expect(phone.page.get_by_test_id("my-presence")).to_contain_text("You are present")
        expect(page.get_by_test_id("present-list")).to_contain_text(phone.name)
    shoot(boris, shots, "02-delegate-checked-in")
    page.click("#chair-check-in")
    expect(page.get_by_test_id("present-list")).to_contain_text("Anna Berg")
    expect(page.get_by_test_id("quorum")).to_contain_text("3 present of 3 seated")
    expect(boris.page.get_by_test_id("quorum")).to_contain_text("3 present of 3 seated")

    # The agenda and the speakers' list.
    page.get_by_text("Add an item to the agenda").click()
    page.fill("#item-title", "Wages")
    page.click("#add-item")
    page.click("#take-up-1")
    expect(boris.page.locator("#part-floor")).to_contain_text("item 1, Wages")
    boris.page.locator("#ask-to-speak").focus()  # by keyboard: Space presses a button
    boris.page.keyboard.press("Space")
    expect(boris.page.get_by_test_id("my-floor")).to_contain_text("on the speakers' list")
    expect(page.get_by_test_id("speakers")).to_contain_text("Boris Popov")
    expect(vera.page.get_by_test_id("speakers")).to_contain_text("Boris Popov")
    assert_accessible(page)
    shoot(chair, shots, "03-chair-speakers")
    page.click("#give-floor")
    expect(boris.page.get_by_test_id("my-floor")).to_have_text("You have the floor.")
    expect(page.get_by_test_id("floor")).to_contain_text("Has the floor: Boris Popov")

    # A roll-call vote on Vera's motion.
    vera.page.get_by_text("Table a motion in your name").click()
    vera.page.fill("#motion-title", "A shorter week")
    vera.page.fill("#motion-text", "The works keep a 40-hour week.")
    vera.page.click("#table-motion")
    vera.told("is tabled in your name")
    page.get_by_role("button", name="Open a roll-call vote").click()
    chair.told("roll-call vote")
    for phone, button in ((boris, "#vote-for"), (vera, "#vote-for")):
        expect(phone.page.locator(button)).to_be_visible()
        expect(phone.page.locator("#part-vote")).to_contain_text("A shorter week")
    assert_accessible(boris.page)
    shoot(boris, shots, "04-delegate-roll-call")
    boris.page.click("#vote-for")
    boris.told("Your vote is recorded: FOR")
    expect(boris.page.get_by_test_id("cast")).to_contain_text("You voted FOR")
    vera.page.click("#vote-for")
    expect(page.get_by_test_id("vote-progress")).to_contain_text("2 of 3")
    expect(page.get_by_test_id("not-voted")).to_have_text("Not yet: Anna Berg.")
    assert_accessible(page)
    shoot(chair, shots, "05-chair-two-of-three")
    page.click("#close-vote")
    chair.told("closed and its result published")
    for phone in (boris, vera):
        result = phone.page.locator("#part-results .result-card").first
        expect(result).to_contain_text("Carried: 2 for, 0 against, 0 abstaining")
        expect(result).to_contain_text("A shorter week")
        expect(phone.page.get_by_test_id("no-vote")).to_be_visible()

    # A secret vote on the chair's motion.
    page.get_by_text("Table a motion in your name").click()
    page.fill("#motion-title", "Overtime pay")
    page.fill("#motion-text", "Overtime is paid at double rate.")
    page.click("#table-motion")
    chair.told("is tabled in your name")
    page.get_by_role("button", name="Open a secret vote").click()
    expect(boris.page.get_by_test_id("secret-note")).to_contain_text(
        "Smolny records that you voted, not how"
    )
    assert_accessible(boris.page)
    shoot(boris, shots, "06-delegate-secret")
    boris.page.click("#vote-for")
    boris.told("you voted FOR", "nothing links this ballot to your name")
    expect(boris.page.get_by_test_id("cast")).to_contain_text(
        "how you voted is not recorded beside your name"
    )
    expect(boris.page.get_by_test_id("cast")).not_to_contain_text("FOR")
    shoot(boris, shots, "07-delegate-secret-cast")
    vera.page.locator("#vote-against").focus()  # by keyboard: Enter presses a button
    vera.page.keyboard.press("Enter")
    vera.told("you voted AGAINST")
    expect(page.get_by_test_id("vote-progress")).to_contain_text("2 of 3")
    expect(page.get_by_test_id("not-voted")).to_have_text("Not yet: Anna Berg.")
    open_vote = page.get_by_test_id("open-vote").inner_text()
    assert not re.search(r"\b(for|against|FOR|AGAINST)\b", open_vote.replace("Close the", "")), (
        open_vote
    )
    page.click("#close-vote")
    for phone in (boris, vera):
        result = phone.page.locator("#part-results .result-card").first
        expect(result).to_contain_text("Overtime pay")
        expect(result).to_contain_text("Tied: 1 for, 1 against, 0 abstaining")
        expect(result).to_contain_text("no ballot is linked to a name")
    assert_accessible(vera.page)
    shoot(vera, shots, "08-delegate-results")

    # The chair closes the sitting; the minutes are linked.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#close-sitting")
    expect(page.get_by_test_id("closed")).to_be_visible()
    expect(page.locator("#minutes-pdf")).to_have_attribute("href", f"/sittings/{sid}/minutes.pdf")
    expect(boris.page.locator("#part-presence")).to_contain_text("The sitting closed")
    assert_accessible(page)
    shoot(chair, shots, "09-chair-closed")
    assert all(not_reloaded(p) for p in (chair, boris, vera))
    page.click("#minutes-link")
    expect(page.locator("main")).to_contain_text("Overtime pay")
    for phone in (chair, boris, vera):
        phone.context.close()


def test_a_recalled_delegate_is_refused_with_the_reason(site: Site, browser: Browser) -> None:
    served = site.server
    sid = site.convene("Recall day").id
    grigory = sign_in(browser, served, RECALLED, PHONE)
    page = grigory.page
    expect(page.get_by_test_id("no-sittings")).to_be_visible()  # no seat: no sittings
    assert_accessible(page)
    page.goto(f"{served.url}/sittings/{sid}/delegate")
    reason = (
        f"Grigory Sokol's mandate in Works Council ended on "
        f"{(datetime.now(UTC) - timedelta(days=30)).date().isoformat()} (recall): "
        "Grigory Sokol can no longer check in there"
    )
    expect(page.get_by_test_id("refusal-check-in")).to_contain_text(reason)
    expect(page.locator("#check-in")).to_have_count(0)
    assert_accessible(page)
    # Sent anyway (a page opened before the recall), the service refuses it, saying why.
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    answer = page.request.post(
        f"{served.url}/sittings/{sid}/delegate/check-in",
        form={"csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert answer.status == 403
    assert reason in html.unescape(answer.text())
    # The chair's console: the buttons are for the chair, and it says why.
    page.goto(f"{served.url}/sittings/{sid}/chair")
    expect(page.get_by_test_id("not-chair")).to_contain_text("You cannot run this sitting")
    expect(page.locator("#open-sitting")).to_have_count(0)
    answer = page.request.post(f"{served.url}/sittings/{sid}/chair/open", form={"csrf_token": csrf})
    assert answer.status == 403
    assert "Grigory Sokol holds no office of Works Council with the power chair" in html.unescape(
        answer.text()
    )
    grigory.context.close()


def test_a_recalled_delegate_is_refused_in_russian_on_a_russian_page(
    site: Site, browser: Browser
) -> None:
    """The reason is the engine's sentence in the page's language (its date too); the
    refused request's notice as well. The API and the CLI keep the English."""
    served = site.server
    sid = site.convene("Recall day, in Russian").id
    grigory = sign_in(browser, served, RECALLED, PHONE)
    page = grigory.page
    page.goto(f"{served.url}/sittings/{sid}/delegate?lang=ru")
    with speaking("ru"):
        ended = format_day(datetime.now(UTC) - timedelta(days=30))
    reason = (
        f"Мандат в органе «Works Council» (Grigory Sokol) прекращён {ended} (отзыв): "
        "Grigory Sokol больше не может отметиться о присутствии там."
    )
    refusal = page.get_by_test_id("refusal-check-in")
    expect(refusal).to_contain_text("Вы не можете отметиться.")
    expect(refusal).to_contain_text(reason)
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    answer = page.request.post(  # the cookie keeps the page's language
        f"{served.url}/sittings/{sid}/delegate/check-in",
        form={"csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert answer.status == 403
    assert reason[1:].rstrip(".") in html.unescape(answer.text())  # told after a colon there
    answer = page.request.post(f"{served.url}/sittings/{sid}/chair/open", form={"csrf_token": csrf})
    assert answer.status == 403
    assert (
        "Grigory Sokol не занимает в органе «Works Council» должности с полномочием "
        "«председательствовать»: открывать заседания от его имени могут только"
    ) in html.unescape(answer.text())
    grigory.context.close()


def test_the_sitting_events_say_when_the_sitting_changes(site: Site) -> None:
    served = site.server
    sid = site.convene("Evening meeting").id
    with httpx.Client(base_url=served.url, timeout=10) as web:
        answer = web.get(f"/sittings/{sid}/events", follow_redirects=False)
        assert answer.status_code == 303  # to the login page
        web.post(
            "/login",
            data={
                "login": "boris",
                "password": PASSWORD,
                "next": "/my/sittings",
                "csrf_token": web.cookies.get("smolny_csrf", ""),
            },
        )
        with web.stream("GET", f"/sittings/{sid}/events") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.iter_lines()
            assert next(lines) == "retry: 500"
            head = int(next(lines).removeprefix("id: "))
            with served.client() as api:
                opened = api.post(f"/api/sittings/{sid}/opening", json={})
                assert opened.status_code == 200, opened.text
            got = [next(lines) for _ in range(4)]
        assert got[1:4] == [f"id: {head + 1}", "event: change", f"data: {head + 1}"], got


def test_without_javascript_the_forms_still_work(site: Site, browser: Browser) -> None:
    sid = site.convene("Quiet meeting").id
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site.server.url}/login?next=/sittings/{sid}/delegate")
    page.fill("#login", "vera")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.click("#check-in")
    expect(page.get_by_test_id("notice")).to_contain_text("You are checked in")
    expect(page.get_by_test_id("my-presence")).to_contain_text("You are present")
    expect(page.locator("#check-in")).to_have_count(0)
    page.goto(f"{site.server.url}/sittings/{sid}/chair")
    expect(page.get_by_test_id("not-chair")).to_contain_text("Vera Lund holds no office")
    context.close()
