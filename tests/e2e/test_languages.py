"""The pages in Russian, in headless Chromium against `smolny serve` on the demo: the text
and the dates in the language asked, the switch in the top bar and the cookie that keeps
the choice, and the browser's preference as the default."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from smolny.services import accounts
from smolny.store.database import connect
from smolny.store.tables import organizations
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import DemoDatabase, Server, assert_accessible, serving

pytestmark = pytest.mark.browser

# Babel writes the year's "г." after a narrow no-break space.
OCTOBER_25 = "25 октября 1917\u202fг."


@pytest.fixture
def russian_browser(browser: Browser) -> Iterator[BrowserContext]:
    """A browser whose user prefers Russian (Accept-Language: ru-RU)."""
    context = browser.new_context(locale="ru-RU")
    context.set_default_timeout(10_000)
    yield context
    context.close()


PASSWORD = "a long enough passphrase"


@pytest.fixture(scope="module")
def site_with_account(
    demo_database: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A copy of the demo served, with the administrator "secretary" of its first
    organization (password PASSWORD)."""
    url = demo_database.copy()
    engine = connect(url)
    uow = UnitOfWork(engine)
    with engine.connect() as connection:
        first = connection.execute(select(func.min(organizations.c.id))).scalar_one()
    _, token = accounts.create_administrator(uow, organization_id=first, login="secretary")
    accounts.accept_invitation(uow, token=token, password=PASSWORD)
    engine.dispose()
    with serving(url, None, tmp_path_factory.mktemp("languages-accounts")) as running:
        yield running


def log_in(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#login", "secretary")
    page.fill("#password", PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/account"))


def organization_id(server: Server, name: str) -> int:
    found = httpx.get(f"{server.url}/api/organizations").json()
    return next(o["id"] for o in found if name in o["name"])


def council_id(server: Server, name: str) -> int:
    found = httpx.get(f"{server.url}/api/councils").json()
    return next(c["id"] for c in found if c["name"] == name)


def cookie(page: Page, name: str) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == name), None)


def test_the_federation_page_in_russian(page: Page, demo_server: Server) -> None:
    page.goto(f"{demo_server.url}/?lang=ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text("Федерация")
    expect(page).to_have_title("Федерация · Смольный")
    expect(page.locator("nav[aria-label='Главное меню']")).to_contain_text("Хроника")
    expect(page.locator(".organization .muted").first).to_contain_text("320 членов")
    expect(page.locator(".tree .kind").first).to_have_text("съезд")
    expect(page.locator(".tree .seats").first).to_have_text(re.compile(r"^\d+ из \d+ мест"))
    expect(page.get_by_role("link", name="Приказы и контрассигнация").first).to_be_visible()
    assert_accessible(page)


def test_a_council_page_in_russian_with_russian_dates(page: Page, demo_server: Server) -> None:
    council = council_id(demo_server, "Petrograd Soviet")
    page.goto(f"{demo_server.url}/councils/{council}?at=1917-10-25&lang=ru")
    expect(page.locator("#summary")).to_contain_text(f"На {OCTOBER_25}:")
    expect(page.locator("#summary")).to_contain_text(re.compile(r"занято \d+ из \d+ мест"))
    expect(page.get_by_role("heading", name="Делегаты")).to_be_visible()
    expect(page.locator("table.delegates thead")).to_contain_text("Фракция")
    # Every day on the page is written the Russian way: no ISO day is left in the text.
    delegates = page.locator("table.delegates tbody td:last-child")
    expect(delegates.first).to_have_text(re.compile(r"^\d{1,2} [а-я]+ 1917\u202fг\.$"))
    changes = page.locator("ol.changes time").all_inner_texts()
    assert changes, "the council's changes are listed"
    assert all(re.fullmatch(r"\d{1,2} [а-я]+ 19\d\d\u202fг\.", day) for day in changes)
    assert_accessible(page)


def test_the_timeline_in_russian(page: Page, demo_server: Server) -> None:
    petrograd = organization_id(demo_server, "Soviets")
    page.goto(f"{demo_server.url}/organizations/{petrograd}/timeline?at=1917-10-25&lang=ru")
    expect(page.locator("h2.moment-day")).to_have_text(OCTOBER_25)
    expect(page.locator("#timeline-day-label")).to_have_text(OCTOBER_25)
    expect(page.locator("#chronicle-heading")).to_have_text("Летопись")
    expect(page.locator("#bodies-heading")).to_have_text(f"Органы на {OCTOBER_25}")
    expect(page.locator("#entry-previous")).to_contain_text("Предыдущая запись")
    # The slider says its day in Russian too, drawn by the browser as it moves.
    page.locator("#timeline-day").fill(str(date(1917, 9, 10).toordinal()))
    expect(page.locator("#timeline-day-label")).to_have_text("10 сентября 1917\u202fг.")
    expect(page.locator("h2.moment-day")).to_have_text("10 сентября 1917\u202fг.")
    assert_accessible(page)


def test_the_switch_changes_the_language_and_the_cookie_keeps_it(
    page: Page, demo_server: Server
) -> None:
    council = council_id(demo_server, "Petrograd Soviet")
    page.goto(f"{demo_server.url}/councils/{council}?at=1917-10-25")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.get_by_role("navigation", name="Language")
    expect(switch.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    switch.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#summary")).to_contain_text(OCTOBER_25)
    assert "at=1917-10-25" in page.url, "the switch keeps the page's other parameters"
    assert cookie(page, "smolny_lang") == "ru"
    # Another page, without the parameter: the cookie keeps Russian.
    page.goto(f"{demo_server.url}/")
    expect(page.locator("h1")).to_have_text("Федерация")
    # Back to English, from the keyboard: the switch is two ordinary links.
    english = page.get_by_role("navigation", name="Язык").get_by_role("link", name="English")
    english.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("The federation")
    assert cookie(page, "smolny_lang") == "en"


def test_the_browsers_preference_is_the_default(
    russian_browser: BrowserContext, demo_server: Server
) -> None:
    page = russian_browser.new_page()
    response = page.goto(f"{demo_server.url}/")
    assert response is not None
    assert response.headers["content-language"] == "ru"
    expect(page.locator("h1")).to_have_text("Федерация")
    assert cookie(page, "smolny_lang") is None, "the browser's preference sets no cookie"
    # A choice made on the page overrides the browser's preference from then on.
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("The federation")
    page.goto(f"{demo_server.url}/")
    expect(page.locator("h1")).to_have_text("The federation")


def test_over_http_the_parameter_sets_the_cookie_once(demo_server: Server) -> None:
    with httpx.Client(base_url=demo_server.url) as client:
        chosen = client.get("/?lang=ru")
        assert chosen.headers["content-language"] == "ru"
        assert "smolny_lang=ru" in chosen.headers["set-cookie"]
        again = client.get("/")  # the client keeps the cookie
        assert again.headers["content-language"] == "ru"
        assert "smolny_lang" not in again.headers.get("set-cookie", "")
        english = httpx.get(
            f"{demo_server.url}/", headers={"Accept-Language": "ru", "Cookie": "smolny_lang=en"}
        )
        assert english.headers["content-language"] == "en"
        unknown = httpx.get(f"{demo_server.url}/?lang=xx", headers={"Accept-Language": "de, ru"})
        assert unknown.headers["content-language"] == "ru"
        assert "smolny_lang" not in unknown.headers.get("set-cookie", "")
        missing = httpx.get(f"{demo_server.url}/councils/99999?lang=ru")
        assert missing.status_code == 404
        assert "Не найдено" in missing.text


def test_a_sitting_and_its_minutes_in_russian(page: Page, demo_server: Server) -> None:
    congress = council_id(demo_server, "All-Russian Congress of Soviets")
    page.goto(f"{demo_server.url}/councils/{congress}/sittings?lang=ru")
    expect(page.locator("h1")).to_have_text("Заседания: All-Russian Congress of Soviets")
    page.get_by_role("link", name="First sitting of the Second Congress").click()
    expect(page.locator("p.summary")).to_contain_text(f"заседание {OCTOBER_25}")
    expect(page.locator("h1 .status")).to_have_text("закрыто")
    expect(page.get_by_role("heading", name="Присутствие")).to_be_visible()
    expect(page.get_by_role("heading", name="Уходы с заседания")).to_be_visible()
    expect(page.get_by_role("heading", name="Предложения")).to_be_visible()
    # A closed vote's result, its mode and its rule in Russian words.
    motions = page.locator("ul.motions")
    expect(motions).to_contain_text("Голосование")
    expect(motions).to_contain_text(re.compile(r"принято, за — \d+, против — \d+"))
    assert_accessible(page)
    page.get_by_role("link", name="Протокол").first.click()
    expect(page.locator("h1")).to_have_text("Протокол: First sitting of the Second Congress")
    expect(page.locator("table.timeline caption")).to_have_text("Присутствие при каждом изменении")
    expect(page.locator("section.motion").first).to_contain_text("простое большинство")
    sitting = re.search(r"/sittings/(\d+)/minutes", page.url)
    assert sitting is not None
    printable = page.request.get(f"{demo_server.url}/sittings/{sitting[1]}/minutes/print")
    assert printable.ok
    assert '<html lang="ru">' in printable.text()
    assert re.search(rf"Заседание {re.escape(OCTOBER_25)}\s+Открыто в", printable.text())
    assert "г.." not in printable.text(), "a Russian date brings its own full stop"


def test_the_account_keeps_its_language_on_every_browser(
    browser: Browser, site_with_account: Server
) -> None:
    first = browser.new_context(locale="en-GB")
    page = first.new_page()
    log_in(page, site_with_account)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("The pages' language, wherever you log in").select_option("ru")
    page.locator("#language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_label("Язык страниц, где бы вы ни вошли")).to_have_value("ru")
    assert cookie(page, "smolny_lang") == "ru"
    assert_accessible(page)
    first.close()

    # Another browser, which prefers English and has no cookie: once logged in, Russian.
    second = browser.new_context(locale="en-GB")
    page = second.new_page()
    page.goto(f"{site_with_account.url}/")
    expect(page.locator("h1")).to_have_text("The federation")
    log_in(page, site_with_account)
    expect(page.locator("h1")).to_have_text("Ваша учётная запись")
    page.goto(f"{site_with_account.url}/")
    expect(page.locator("h1")).to_have_text("Федерация")
    # Back to the browser's choice: the cookie goes, and English comes back.
    page.goto(f"{site_with_account.url}/account")
    page.get_by_label("Язык страниц, где бы вы ни вошли").select_option("")
    page.locator("#language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert cookie(page, "smolny_lang") is None
    second.close()
