"""The analytics pages in headless Chromium, against `smolny serve` on the congress story
of tests/builders_analytics.py. What the lag chart draws is checked point by point against
the services' series, read on our own connection."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from smolny.domain.analytics import Target
from smolny.domain.elections import Election
from smolny.domain.federation import Council
from smolny.ledger.chain import iso
from smolny.moments import parse_moment
from smolny.services.analytics import LagSeries, lag_series
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_analytics import load_story
from tests.e2e.conftest import Server, serving

pytestmark = pytest.mark.browser

DAY = "2026-06-10"  # after the whole story


@pytest.fixture(scope="module")
def story_url(module_database_url: str) -> str:
    load_story(module_database_url)
    return module_database_url


@pytest.fixture(scope="module")
def story_server(story_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(story_url, None, tmp_path_factory.mktemp("analytics-pages")) as running:
        yield running


@pytest.fixture(scope="module")
def uow(story_url: str) -> Iterator[UnitOfWork]:
    engine = connect(story_url)
    yield UnitOfWork(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def councils(uow: UnitOfWork) -> dict[str, Council]:
    with uow:
        return {c.name: c for c in uow.repo.all(Council)}


def drawn_points(page: Page, target: str) -> dict[str, list[tuple[str, float]]]:
    """The chart's markers of each index, as (moment, value), in drawing order."""
    points = page.locator(f"#lag-{target} svg.lag-chart circle.point").evaluate_all(
        "cs => cs.map(c => [c.dataset.index, c.dataset.at, Number(c.dataset.value)])"
    )
    found: dict[str, list[tuple[str, float]]] = {"lh": [], "g": []}
    for index, moment, value in points:
        found[index].append((moment, value))
    return found


def expected_points(series: LagSeries) -> dict[str, list[tuple[str, float]]]:
    return {
        "lh": [
            (iso(p.at), round(p.loosemore_hanby, 4))
            for p in series.points
            if p.loosemore_hanby is not None
        ],
        "g": [(iso(p.at), round(p.gallagher, 4)) for p in series.points if p.gallagher is not None],
    }


@pytest.mark.parametrize("target", [Target.COUNCIL, Target.BASE])
def test_the_lag_chart_draws_the_services_series(
    page: Page,
    story_server: Server,
    uow: UnitOfWork,
    councils: dict[str, Council],
    target: Target,
) -> None:
    executive = councils["Executive"]
    response = page.goto(f"{story_server.url}/councils/{executive.id}/analytics?at={DAY}")
    assert response is not None
    assert response.status == 200
    series = lag_series(uow, executive.id, executive.created_at, parse_moment(DAY), target)
    drawn = drawn_points(page, target.value)
    assert drawn == expected_points(series)
    assert len(drawn["lh"]) >= 4  # the rise and the fall are there to see
    elections = page.locator(f"#lag-{target.value} svg.lag-chart line.election").evaluate_all(
        "ls => ls.map(l => l.dataset.at)"
    )
    assert elections == [iso(t) for t in series.elections]
    chart = page.locator(f"#lag-{target.value} svg.lag-chart")
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_attribute("data-to", iso(parse_moment(DAY)))


def test_the_figures_follow_the_date_control_from_the_keyboard(
    page: Page, story_server: Server, councils: dict[str, Council]
) -> None:
    congress = councils["Congress"]
    page.goto(f"{story_server.url}/councils/{congress.id}")
    page.get_by_role("link", name="Analytics", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/councils/{congress.id}/analytics$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Congress: analytics")
    lh = page.locator("#lag-base dd[data-index=lh]")
    g = page.locator("#lag-base dd[data-index=g]")
    shown = {"2026-05-20": ("25.0 pp", "21.7 pp"), "2026-06-03": ("0.0 pp", "0.0 pp")}
    for day, (d, lsq) in shown.items():
        date = page.get_by_label("As of")
        date.focus()
        date.fill(day)
        date.press("Enter")
        expect(page).to_have_url(re.compile(rf"/analytics\?at={day}$"))
        expect(lh).to_have_text(d)
        expect(g).to_have_text(lsq)
    # The seat shares against the target, at 2026-06-03: the congress is in step again.
    expect(page.locator("#lag-base .lag-table tbody tr")).to_have_count(3)
    # Malapportionment: City B's 36 electors and City A's 24 share 8 seats equally.
    expect(page.locator("#malapportionment dd[data-index=samuels-snyder]")).to_have_text("10.0 pp")
    bars = page.locator("svg.electors-chart rect.per-seat").evaluate_all(
        "rs => rs.map(r => [r.dataset.constituency, Number(r.dataset.value)])"
    )
    assert bars == [["City A", 6.0], ["City B", 9.0]]


def test_the_election_proportionality_page_and_fragment(
    page: Page, story_server: Server, uow: UnitOfWork, councils: dict[str, Council]
) -> None:
    with uow:
        swing = next(
            e for e in uow.repo.all(Election) if e.held_at == parse_moment("2026-05-10T12:00Z")
        )
    page.goto(f"{story_server.url}/councils/{councils['City B'].id}/analytics?at=2026-05-20")
    page.get_by_role("link", name="Proportionality by faction of B1: delegates, 2026-05-10").click()
    expect(page).to_have_url(re.compile(rf"/elections/{swing.id}/proportionality$"))
    expect(page.locator("dd[data-index=lh]")).to_have_text("13.64 pp")
    expect(page.locator("dd[data-index=g]")).to_have_text("12.03 pp")
    rows = page.locator(".proportionality-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("Right")
    fragment = page.request.get(f"{story_server.url}/elections/{swing.id}/proportionality/fragment")
    assert fragment.status == 200
    text = fragment.text()
    assert text.lstrip().startswith("<section")
    assert "13.64 pp" in text
    assert "<html" not in text


def test_the_page_fits_a_phone(
    page: Page, story_server: Server, councils: dict[str, Council]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("Executive", "Congress", "City B"):
        page.goto(f"{story_server.url}/councils/{councils[name].id}/analytics?at={DAY}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, name
