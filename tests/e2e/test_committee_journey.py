"""The committee member's journey, against `smolny serve` on SQLite and PostgreSQL, in
headless Chromium: "Orders to review", countersign one order and refuse another (with a
reason, from the keyboard), the statuses per unit changing on the order's page; a member
of a committee without countersignature power sees why, and is refused with the reason
when they try. Screenshots at desktop and phone width; axe-core on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine, func, select

from smolny.services import accounts, orders
from smolny.store.database import connect
from smolny.store.tables import events
from smolny.store.uow import UnitOfWork
from tests.builders_committee_journey import PASSWORD, Committees, build_committees
from tests.e2e.conftest import Server, assert_accessible, serving

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGE = "/committee/orders"


@dataclass
class Site:
    server: Server
    engine: Engine
    world: Committees

    def statuses(self, key: str) -> dict[str, str]:
        """The order's status per unit name, now, as the service reads it."""
        order = self.world.orders[key]
        units = {self.world.first.id: "1st Regiment", self.world.second.id: "2nd Regiment"}
        found = orders.order_statuses(UnitOfWork(self.engine), order.id)
        return {units[u]: s.status.value for u, s in found.items()}


@pytest.fixture(scope="module")
def site(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    engine = connect(module_database_url)
    world = build_committees(UnitOfWork(engine))  # argon2 makes accounts slow: build once
    logs = tmp_path_factory.mktemp("committee")
    with serving(module_database_url, "operator-token", logs) as server:
        yield Site(server, engine, world)
    engine.dispose()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return tmp_path / "screens"


def signed_in(
    browser: Browser, site: Site, login: str, viewport: dict[str, int], then: str = PAGE
) -> Page:
    context: BrowserContext = browser.new_context(viewport=viewport, has_touch=viewport is PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site.server.url}/login?next={then}")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(site.server.url + then)
    return page


def card(page: Page, site: Site, key: str) -> str:
    return f"#order-{site.world.orders[key].id}-{site.world.military.id}"


def test_a_committee_member_countersigns_one_order_and_refuses_another(
    site: Site, browser: Browser, shots: Path
) -> None:
    world = site.world
    # From the navigation (a boosted link: htmx swaps the body, the page's styles with it).
    page = signed_in(browser, site, "signer", DESKTOP, then="/")
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Orders to review").click()
    expect(page).to_have_url(site.server.url + PAGE)
    expect(page.locator("h1")).to_have_text("Orders to review")
    expect(page.locator(".card").first).to_have_css("border-radius", "8px")
    expect(page.locator("#awaiting-count")).to_have_text("2 orders await your decision.")
    section = page.locator(f"#body-{world.military.id}")
    expect(section.locator("h2")).to_contain_text("Military Committee")
    expect(section.locator(".why")).to_contain_text(
        "Regiment member 1 sits on Military Committee, which holds countersignature power "
        "over 1st Regiment"
    )
    front = page.locator(card(page, site, "front"))
    expect(front.locator("h4")).to_have_text("Order 2: March to the front")
    expect(front.locator(".issued")).to_contain_text("Staff")
    expect(front.locator(".order-text")).to_have_text(
        "Both regiments entrain for the front on 10 March."
    )
    expect(front.locator(".needs")).to_have_text(
        "Needs the countersignature of Military Committee for 1st Regiment."
    )
    expect(front.locator("li[data-status=awaiting]")).to_contain_text("1st Regiment")
    expect(front.locator("li[data-status=valid]")).to_contain_text("2nd Regiment")
    decided = page.locator("ol.decided > li")
    expect(decided).to_have_count(2)
    expect(decided.nth(0)).to_contain_text("withdrawn by Staff on 2026-03-06")
    expect(decided.nth(1)).to_contain_text(
        "Military Committee refused it on 2026-03-05: the trenches would cut the supply road"
    )
    assert_accessible(page)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "review-desktop.png"), full_page=True)
    assert site.statuses("front") == {"1st Regiment": "awaiting", "2nd Regiment": "valid"}

    # Countersign "March to the front": it moves to the decided list, valid everywhere.
    front.get_by_role("button", name="Countersign for Military Committee").click()
    expect(page.locator("#notice")).to_have_text(
        re.compile(r"Order 2 \(March to the front\): Military Committee countersigned it on ")
    )
    expect(page.locator("#awaiting-count")).to_have_text("1 order awaits your decision.")
    done = page.locator(f"ol.decided {card(page, site, 'front')}")
    expect(done).to_have_attribute("data-outcome", "countersigned")
    expect(done.locator("li[data-status=valid]")).to_have_count(2)
    assert site.statuses("front") == {"1st Regiment": "valid", "2nd Regiment": "valid"}

    # Refuse "Hand over the rifles" from the keyboard: the reason is required.
    rifles = page.locator(card(page, site, "rifles"))
    rifles.locator("summary").focus()
    page.keyboard.press("Enter")
    reason = rifles.get_by_label(re.compile("Why Military Committee refuses order 3"))
    expect(reason).to_be_visible()
    reason.focus()
    page.keyboard.press("Tab")  # to the refuse button, with the reason empty
    expect(rifles.get_by_role("button", name="Refuse for Military Committee")).to_be_focused()
    page.keyboard.press("Enter")
    assert reason.evaluate("e => e.validity.valueMissing") is True
    assert site.statuses("rifles") == {"1st Regiment": "awaiting"}
    reason.focus()
    page.keyboard.type("the rifles stay with the regiment")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#notice")).to_contain_text(
        "Order 3 (Hand over the rifles): Military Committee refused it on"
    )
    expect(page.locator("#notice")).to_contain_text(": the rifles stay with the regiment.")
    expect(page.locator("#awaiting-count")).to_have_text("0 orders await your decision.")
    assert site.statuses("rifles") == {"1st Regiment": "refused"}

    # The order's own page shows the decisions in its trail, in the member's name.
    page.goto(f"{site.server.url}/orders/{world.orders['rifles'].id}")
    expect(page.locator("tr[data-unit] .badge")).to_contain_text("refused")
    expect(page.locator(".trail")).to_contain_text(
        "Military Committee refused for 1st Regiment: the rifles stay with the regiment"
    )
    signer = accounts.account_by_login(UnitOfWork(site.engine), "signer")
    decisions = ("orders-order-countersigned", "orders-order-refused")
    with site.engine.connect() as connection:
        actors = connection.execute(
            select(events.c.actor).where(events.c.kind.in_(decisions)).order_by(events.c.seq)
        ).scalars()
        assert list(actors)[-2:] == [signer.actor, signer.actor]
    page.context.close()

    phone = signed_in(browser, site, "signer", PHONE)
    expect(phone.locator("ol.decided > li")).to_have_count(4)
    assert_accessible(phone)
    phone.screenshot(path=str(shots / "review-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide at phone width"
    phone.context.close()


def test_a_member_of_a_committee_without_the_power_is_told_why_and_refused(
    site: Site, browser: Browser, shots: Path
) -> None:
    world = site.world
    page = signed_in(browser, site, "executive", PHONE)
    why = page.locator(f"#body-{world.executive.id}-why")
    expect(why).to_have_text(
        "You cannot countersign or refuse for it: Executive does not hold the power "
        "countersign: Regiment member 5 cannot countersign orders for it."
    )
    expect(page.get_by_role("button", name=re.compile("Countersign"))).to_have_count(0)
    assert_accessible(page)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "refused-phone.png"), full_page=True)

    # A form sent anyway (as a crafted request with the page's own CSRF token) is refused
    # by the service, with the reason, and changes nothing.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    target = world.orders["trenches"].id
    for council, reason in (
        (world.executive.id, "Executive does not hold the power countersign"),
        (
            world.military.id,
            "Regiment member 5 holds no mandate in Military Committee: Regiment member 5 "
            "cannot countersign orders for it",
        ),
    ):
        answer = page.request.post(
            f"{site.server.url}{PAGE}/{target}/countersign",
            form={"council_id": str(council), "csrf_token": token},
        )
        assert answer.status == 403
        assert reason in answer.text().replace("&#39;", "'")
    assert site.statuses("trenches") == {"1st Regiment": "refused"}
    executive = accounts.account_by_login(UnitOfWork(site.engine), "executive")
    with site.engine.connect() as connection:
        mine = connection.execute(
            select(func.count()).select_from(events).where(events.c.actor == executive.actor)
        ).scalar_one()
    assert mine == 0
    page.context.close()


def test_a_member_on_no_committee_has_nothing_to_review_and_strangers_log_in_first(
    site: Site, browser: Browser
) -> None:
    page = signed_in(browser, site, "plain", DESKTOP)
    expect(page.locator("#note")).to_have_text(
        "Factory member 10 sits on no committee now: only the members of a committee with "
        "countersignature power review orders"
    )
    expect(page.locator("nav[aria-label=Main] a[href='/committee/orders']")).to_have_count(0)
    page.context.close()
    anonymous = httpx.get(site.server.url + PAGE, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=/committee/orders"
