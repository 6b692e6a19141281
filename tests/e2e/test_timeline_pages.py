"""The timeline page in headless Chromium (and over plain HTTP), against `smolny serve` on
the story of tests/builders_timeline.py: moving the slider changes the hemicycles and the
chronicle entry in place, the address keeps the date, and every source is a link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.builders_timeline import ENTRIES, Story, load_story
from tests.e2e.conftest import Server, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def story(module_database_url: str) -> Story:
    return load_story(module_database_url)


@pytest.fixture(scope="module")
def story_server(
    story: Story, module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with serving(module_database_url, None, tmp_path_factory.mktemp("timeline-pages")) as running:
        yield running


def address(story: Story, day: str | None = None) -> str:
    path = f"/organizations/{story.organization.id}/timeline"
    return path + (f"?at={day}" if day else "")


def card(page: Page, council_id: int) -> Locator:
    return page.locator(f"#moment .card[data-council='{council_id}']")


def seats(page: Page, council_id: int, faction: str) -> Locator:
    """The body's seats of a faction, in the text beside its hemicycle."""
    return card(page, council_id).locator(f"tr[data-faction='{faction}'] td[data-seats]")


def current_entry(page: Page) -> Locator:
    return page.locator("#moment .entry.current .entry-title")


def move_slider(page: Page, day: str) -> None:
    page.locator("#timeline-day").fill(str(date.fromisoformat(day).toordinal()))


def test_moving_the_slider_redraws_the_day_in_place(
    page: Page, story_server: Server, story: Story
) -> None:
    response = page.goto(story_server.url + address(story, "1917-07-01"))
    assert response is not None
    assert response.status == 200
    congress, executive = story.congress.id, story.executive.id
    city_a = story.cities["City A"].id
    expect(current_entry(page)).to_have_text("The congress meets")
    expect(seats(page, congress, "Centre")).to_have_text("6")
    expect(seats(page, city_a, "Centre")).to_have_text("7")
    page.evaluate("window.stillThisPage = true")  # gone if the page were loaded anew

    move_slider(page, "1917-09-10")
    expect(page).to_have_url(re.compile(r"/timeline\?at=1917-09-10$"))
    expect(page.locator("#timeline-day-label")).to_have_text("1917-09-10")
    expect(current_entry(page)).to_have_text("The cities turn Left")
    expect(seats(page, city_a, "Left")).to_have_text("8")  # the city has turned ...
    expect(seats(page, congress, "Centre")).to_have_text("6")  # ... the congress has not
    expect(seats(page, executive, "Centre")).to_have_text("3")
    workers = card(page, city_a).locator(
        "figure.drawing[data-section='Workers'] svg.hemicycle desc"
    )
    expect(workers).to_have_text("Left 5, Centre 1 — 6 seats")
    marker = page.locator(f"#shares-{congress} svg line.marker")
    expect(marker).to_have_attribute("data-at", re.compile(r"^1917-09-10T23:59:59"))
    expect(page.locator(f"#lag-{executive} svg line.marker")).to_have_count(1)

    move_slider(page, "1917-10-22")
    expect(page).to_have_url(re.compile(r"/timeline\?at=1917-10-22$"))
    expect(current_entry(page)).to_have_text("The second congress")
    expect(seats(page, congress, "Left")).to_have_text("6")
    expect(seats(page, executive, "Left")).to_have_text("3")
    hemicycle = card(page, congress).locator("svg.hemicycle")
    expect(hemicycle).to_have_attribute("role", "img")
    expect(hemicycle.locator("desc")).to_have_text("Left 6, Centre 2 — 8 seats")
    assert page.evaluate("window.stillThisPage") is True

    page.go_back()  # the history holds each day shown
    expect(page).to_have_url(re.compile(r"/timeline\?at=1917-09-10$"))


def test_every_source_is_a_link_to_its_address(
    page: Page, story_server: Server, story: Story
) -> None:
    page.goto(story_server.url + address(story, "1917-10-22"))
    for title, (_, sources, assumptions) in ENTRIES.items():
        entry = page.locator("#moment .entry").filter(
            has=page.locator(".entry-title", has_text=title)
        )
        expect(entry).to_have_count(1)
        online = [s for s in sources if s.url]
        links = entry.locator("a.source")
        expect(links).to_have_count(len(online))
        for link, source in zip(links.all(), online, strict=True):
            expect(link).to_have_text(source.label)
            expect(link).to_have_attribute("href", source.url)
        for source in sources:
            if not source.url:
                expect(entry.locator("span.source")).to_have_text(source.label)
        if assumptions:
            expect(entry.locator(".assumptions")).to_contain_text("Assumed")
            expect(entry.locator(".assumptions li")).to_have_text(assumptions)
        else:
            expect(entry.locator(".assumptions")).to_have_count(0)


def test_the_entry_buttons_jump_and_the_slider_follows(
    page: Page, story_server: Server, story: Story
) -> None:
    page.goto(story_server.url + address(story, "1917-09-10"))
    page.get_by_role("link", name=re.compile("Next entry")).click()
    expect(page).to_have_url(re.compile(r"/timeline\?at=1917-10-20$"))
    expect(current_entry(page)).to_have_text("The second congress")
    slider = page.locator("#timeline-day")
    expect(slider).to_have_value(str(date(1917, 10, 20).toordinal()))
    expect(page.locator("#timeline-day-label")).to_have_text("1917-10-20")
    expect(page.locator("#entry-next")).to_have_count(0)  # the last entry
    page.get_by_role("link", name=re.compile("Previous entry")).click()
    expect(page).to_have_url(re.compile(r"/timeline\?at=1917-09-01$"))
    expect(current_entry(page)).to_have_text("The cities turn Left")
    expect(slider).to_have_value(str(date(1917, 9, 1).toordinal()))


def test_without_javascript_the_forms_still_choose_the_day(
    browser: Browser, story_server: Server, story: Story
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(story_server.url + address(story))
        expect(page.locator("#moment")).to_have_attribute("data-date", "1917-10-22")
        page.get_by_label("Go to a date").fill("1917-07-01")
        page.locator(".date-form").get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"/timeline\?at=1917-07-01$"))
        expect(current_entry(page)).to_have_text("The congress meets")
        move_slider(page, "1917-09-05")
        page.locator(".slider-form").get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"/timeline\?at=1917-09-05$"))  # redirected
        expect(current_entry(page)).to_have_text("The cities turn Left")
    finally:
        context.close()


def test_the_fragment_and_the_redirect_over_http(story_server: Server, story: Story) -> None:
    day = date(1917, 9, 10).toordinal()
    with httpx.Client(base_url=story_server.url, timeout=30) as client:
        moved = client.get(address(story), params={"day": day})
        assert moved.status_code == 303
        assert moved.headers["location"] == address(story, "1917-09-10")
        fragment = client.get(
            address(story),
            params={"day": day},
            headers={"HX-Request": "true", "HX-Target": "moment"},
        )
        assert fragment.status_code == 200
        assert fragment.headers["HX-Push-Url"] == address(story, "1917-09-10")
        assert "<html" not in fragment.text
        assert 'id="moment"' in fragment.text
        bad = client.get(address(story), params={"day": -5})
        assert bad.status_code == 422
        assert "is not a day" in bad.text
        missing = client.get("/organizations/999/timeline")
        assert missing.status_code == 404
        federation = client.get("/")
        assert f'href="{address(story)}"' in federation.text  # the federation page and the nav
        assert ">Timeline</a>" in federation.text
        assert f'href="/organizations/{story.organization.id}/orders?at=1917-09-10"' in (
            client.get(address(story, "1917-09-10")).text
        )
