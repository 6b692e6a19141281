"""Convening a sitting from "My sittings", in the browser alone, at phone width, against
`smolny serve` on SQLite and PostgreSQL, in headless Chromium.

The Works Council (tests/builders_journeys.py): Anna Berg holds its office of Chair (the
powers chair and convene), Boris Popov sits in it without an office. Anna convenes a
sitting on her phone and it appears in her list with the chair's console; a refusal (an
empty title, a day already past) is the service's reason, and nothing changes. Boris sees
no form, and a form forged in his name is refused with the reason (403). axe-core checks
every page shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from smolny.store import sittings as store
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_journeys import CHAIR
from tests.e2e.conftest import assert_accessible, serving
from tests.e2e.test_journey_sitting import (
    PASSWORD,
    PHONE,
    Site,
    build_works_with_accounts,
    not_reloaded,
    shoot,
    sign_in,
)

pytestmark = pytest.mark.browser

MIN_HEIGHT = 44  # 2.75rem: every button and field on a phone


@pytest.fixture(scope="module")
def site(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    engine = connect(module_database_url)
    works = build_works_with_accounts(UnitOfWork(engine))  # argon2 is slow: once
    logs = tmp_path_factory.mktemp("convene")
    with serving(module_database_url, "operator-token", logs) as server:
        yield Site(server, engine, works)
    engine.dispose()


def titles(engine: Engine, council_id: int) -> list[str]:
    uow = UnitOfWork(engine)
    with uow:
        return [s.title for s in store.sittings_of(uow.repo, council_id)]


def open_form(page: Page, council_id: int) -> None:
    """Unfold "Convene a sitting" (open at first when the list is empty)."""
    form = page.get_by_test_id(f"convene-{council_id}")
    expect(form).to_be_visible()
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    expect(page.locator(f"#convene-title-{council_id}")).to_be_visible()


def tall_enough(page: Page, selector: str) -> None:
    for box in page.locator(selector).all():
        size = box.bounding_box()
        assert size is not None, selector
        assert size["height"] >= MIN_HEIGHT - 0.5, (selector, size)


def test_the_chair_convenes_a_sitting_on_her_phone(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    council = site.works.council.id
    today = datetime.now(UTC).date()
    anna = sign_in(browser, site.server, CHAIR, PHONE)
    page = anna.page
    open_form(page, council)
    expect(page.locator(f"#convene-day-{council}")).to_have_value(today.isoformat())
    expect(page.locator(f"#convene-chair-{council}")).to_have_value(str(site.works.id(CHAIR)))
    assert_accessible(page)
    # One column: the fields and the button span the phone's width, and are tall enough.
    for selector in (f"#convene-title-{council}", f"#convene-sitting-{council}"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["width"] > PHONE["width"] * 0.7, (selector, box)
        assert box["x"] + box["width"] <= PHONE["width"], (selector, box)
    tall_enough(page, f"[data-testid=convene-{council}] input:not([type=hidden])")
    tall_enough(page, f"[data-testid=convene-{council}] select")
    tall_enough(
        page, f"[data-testid=convene-{council}] button, [data-testid=convene-{council}] summary"
    )
    shoot(anna, tmp_path, "01-convene-form")

    page.fill(f"#convene-title-{council}", "Extraordinary meeting")
    page.click(f"#convene-sitting-{council}")
    notice = page.get_by_test_id("notice")
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("“Extraordinary meeting” is convened for")
    card = page.locator(".my-sitting", has_text="Extraordinary meeting")
    expect(card).to_contain_text("today")
    expect(card.get_by_role("link", name=re.compile("Chair's console"))).to_be_visible()
    expect(page.locator(f"#convene-title-{council}")).to_have_value("")  # ready for the next
    assert titles(site.engine, council) == ["Extraordinary meeting"]
    assert not_reloaded(anna)
    assert_accessible(page)
    shoot(anna, tmp_path, "02-convened")

    # Refusals the browser would not send: the service's reason, and nothing changes.
    page.evaluate(
        "for (const f of document.querySelectorAll('form input')) "
        "{ f.removeAttribute('required'); f.removeAttribute('min'); }"
    )
    page.click(f"#convene-sitting-{council}")
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("a sitting's title cannot be empty")
    past = today - timedelta(days=1)
    page.fill(f"#convene-title-{council}", "Yesterday's meeting")
    page.fill(f"#convene-day-{council}", past.isoformat())
    page.click(f"#convene-sitting-{council}")
    expect(notice).to_contain_text(f"{past.isoformat()} has passed")
    expect(notice).to_have_attribute("role", "alert")
    expect(page.locator(f"#convene-title-{council}")).to_have_value("Yesterday's meeting")
    assert_accessible(page)
    shoot(anna, tmp_path, "03-refused")
    assert titles(site.engine, council) == ["Extraordinary meeting"]
    expect(page.locator(".my-sitting")).to_have_count(1)

    card.get_by_role("link", name=re.compile("Chair's console")).click()
    expect(page.locator("h1")).to_contain_text("Chair's console")
    expect(page.locator("#open-sitting")).to_be_visible()
    anna.context.close()


def test_a_delegate_without_the_power_sees_no_form_and_a_forged_one_is_refused(
    site: Site, browser: Browser
) -> None:
    council = site.works.council.id
    before = titles(site.engine, council)
    boris = sign_in(browser, site.server, "Boris Popov", PHONE)
    page = boris.page
    expect(page.get_by_text("Convene a sitting")).to_have_count(0)
    expect(page.locator("form[action='/my/sittings']")).to_have_count(0)
    assert_accessible(page)
    reason = (
        "Boris Popov holds no office of Works Council with the power convene: only Chair "
        "can convene sittings for it"
    )
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    form = {
        "csrf_token": csrf,
        "council_id": str(council),
        "title": "Boris's meeting",
        "day": datetime.now(UTC).date().isoformat(),
    }
    answer = page.request.post(
        f"{site.server.url}/my/sittings", form=form, headers={"HX-Request": "true"}
    )
    assert answer.status == 403
    assert 'role="alert"' in answer.text()
    assert reason in html.unescape(answer.text())
    # Without JavaScript: the whole page, with the reason in the notice.
    answer = page.request.post(f"{site.server.url}/my/sittings", form=form)
    assert answer.status == 403
    assert "<h1>My sittings</h1>" in answer.text()
    assert reason in html.unescape(answer.text())
    assert titles(site.engine, council) == before
    boris.context.close()


def test_without_javascript_the_chair_still_convenes(site: Site, browser: Browser) -> None:
    council = site.works.council.id
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site.server.url}/login?next=/my/sittings")
    page.fill("#login", "anna")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    open_form(page, council)
    page.fill(f"#convene-title-{council}", "Quiet convocation")
    page.click(f"#convene-sitting-{council}")
    expect(page.get_by_test_id("notice")).to_contain_text("“Quiet convocation” is convened for")
    card = page.locator(".my-sitting", has_text="Quiet convocation")
    expect(card.get_by_role("link", name=re.compile("Chair's console"))).to_be_visible()
    assert "Quiet convocation" in titles(site.engine, council)
    context.close()
