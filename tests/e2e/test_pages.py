"""The pages in headless Chromium, against `smolny serve` on a copy of the demo federation.

What the pages draw is checked against the database, read independently of the server
(`council_composition` on our own connection). The demo's April 2026 story: a recall at the
North Bus Depot on April 14 leaves one seat of the Riverside City Council vacant until the
by-election on April 28.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from smolny.domain.composition import Composition
from smolny.domain.federation import Council, slugify
from smolny.moments import parse_moment
from smolny.services.composition import council_composition
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import Server

pytestmark = pytest.mark.browser

RIVERSIDE = "Riverside City Council"
BEFORE_RECALL = "2026-04-01"
BETWEEN = "2026-04-20"  # after the recall, before the by-election
AFTER_BY_ELECTION = "2026-05-01"


@pytest.fixture(scope="module")
def uow(demo_server: Server) -> Iterator[UnitOfWork]:
    """Our own connection to the served database."""
    engine = connect(demo_server.database_url)
    yield UnitOfWork(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def councils(uow: UnitOfWork) -> dict[str, Council]:
    with uow:
        return {c.name: c for c in uow.repo.councils()}


def composition_at(uow: UnitOfWork, council: Council, day: str) -> Composition:
    return council_composition(uow, council.id, parse_moment(day))


def expected_seats(composition: Composition) -> dict[str, int]:
    """Seats per `data-faction` key, as the hemicycle should draw them."""
    seats = {slugify(name): n for name, n in composition.seats_by_faction().items()}
    if composition.vacant:
        seats["vacant"] = composition.vacant
    return seats


def drawn_seats(page: Page) -> dict[str, int]:
    """Seats per `data-faction` key, as the hemicycle draws them."""
    keys = page.locator("svg.hemicycle circle.seat").evaluate_all(
        "seats => seats.map(seat => seat.dataset.faction)"
    )
    return dict(Counter(keys))


def legend_seats(page: Page) -> dict[str, int]:
    """Seats per `data-faction` key, as the legend beside the hemicycle lists them."""
    rows = page.locator("table.legend tbody tr").evaluate_all(
        "rows => rows.map(row => [row.dataset.faction, row.querySelector('td.num').textContent])"
    )
    return {key: int(seats) for key, seats in rows}


def summary(composition: Composition) -> str:
    seats = "seat" if composition.seats == 1 else "seats"
    text = f"{composition.filled} of {composition.seats} {seats} filled"
    return text + (f", {composition.vacant} vacant" if composition.vacant else "")


@pytest.mark.parametrize("day", [BEFORE_RECALL, BETWEEN, AFTER_BY_ELECTION])
def test_every_hemicycle_draws_the_composition_of_the_day(
    page: Page, demo_server: Server, uow: UnitOfWork, councils: dict[str, Council], day: str
) -> None:
    for council in councils.values():
        expected = composition_at(uow, council, day)
        response = page.goto(f"{demo_server.url}/councils/{council.id}?at={day}")
        assert response is not None
        assert response.status == 200
        assert drawn_seats(page) == expected_seats(expected), council.name
        expect(page.locator("#summary")).to_contain_text(summary(expected))
        assert legend_seats(page) == expected_seats(expected), council.name


def test_the_recall_leaves_one_riverside_seat_vacant_until_the_by_election(
    page: Page, demo_server: Server, councils: dict[str, Council]
) -> None:
    riverside = councils[RIVERSIDE].id
    vacant = page.locator("circle.seat[data-faction=vacant]")
    seats = page.locator("circle.seat")
    for day, empty in ((BEFORE_RECALL, 0), (BETWEEN, 1), (AFTER_BY_ELECTION, 0)):
        page.goto(f"{demo_server.url}/councils/{riverside}?at={day}")
        expect(seats).to_have_count(34)
        expect(vacant).to_have_count(empty)


def test_the_date_control_shows_the_council_as_of_the_chosen_day(
    page: Page, demo_server: Server, uow: UnitOfWork, councils: dict[str, Council]
) -> None:
    riverside = councils[RIVERSIDE]
    page.goto(f"{demo_server.url}/councils/{riverside.id}")
    for day in (BETWEEN, BEFORE_RECALL):
        expected = composition_at(uow, riverside, day)
        page.locator("input#at").fill(day)
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(rf"/councils/{riverside.id}\?at={day}$"))
        expect(page.locator("#summary time")).to_have_text(day)
        expect(page.locator("#summary")).to_contain_text(summary(expected))
        assert drawn_seats(page) == expected_seats(expected)
        expect(page.locator("input#at")).to_have_value(day)


def test_the_federation_page_lists_every_council_with_a_working_link(
    page: Page, demo_server: Server, councils: dict[str, Council]
) -> None:
    page.goto(demo_server.url + "/")
    expect(page.locator("h1")).to_have_text("The federation")
    links = page.locator("a.council")
    listed = {link.inner_text(): link.get_attribute("href") for link in links.all()}
    assert set(listed) == set(councils)
    assert links.count() == len(councils)  # each council once
    for name, href in listed.items():
        assert href == f"/councils/{councils[name].id}"
        response = page.goto(demo_server.url + href)
        assert response is not None
        assert response.status == 200, name
        expect(page.locator("h1")).to_contain_text(name)


def test_following_a_council_link_opens_its_page(
    page: Page, demo_server: Server, councils: dict[str, Council]
) -> None:
    page.goto(demo_server.url + "/")
    page.get_by_role("link", name=RIVERSIDE).click()
    expect(page).to_have_url(f"{demo_server.url}/councils/{councils[RIVERSIDE].id}")
    expect(page.locator("h1")).to_contain_text(RIVERSIDE)
    expect(page.locator("svg.hemicycle")).to_be_visible()


def test_the_federation_page_counts_the_seats_of_the_chosen_day(
    page: Page, demo_server: Server, uow: UnitOfWork, councils: dict[str, Council]
) -> None:
    page.goto(demo_server.url + "/")
    page.locator("input#at").fill(BETWEEN)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"\?at={BETWEEN}$"))
    for name, council in councils.items():
        expected = composition_at(uow, council, BETWEEN)
        link = page.locator(f'a.council[href="/councils/{council.id}?at={BETWEEN}"]')
        expect(link).to_have_text(name)
        seats = link.locator("xpath=../span[@class='seats']")  # beside the link, in its <li>
        unit = "seat" if expected.seats == 1 else "seats"
        expect(seats).to_have_text(f"{expected.filled:,} / {expected.seats:,} {unit}")


def test_an_unknown_council_is_a_404_page_naming_it(page: Page, demo_server: Server) -> None:
    response = page.goto(demo_server.url + "/councils/99999")
    assert response is not None
    assert response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    expect(page).to_have_title(re.compile("404"))
    expect(page.locator("h1")).to_contain_text("Not found")
    expect(page.get_by_role("alert")).to_contain_text("council 99999")


def test_a_malformed_date_is_an_error_page_saying_what_is_expected(
    page: Page, demo_server: Server, councils: dict[str, Council]
) -> None:
    response = page.goto(f"{demo_server.url}/councils/{councils[RIVERSIDE].id}?at=2026-13-01")
    assert response is not None
    assert response.status == 422
    expect(page.get_by_role("alert")).to_contain_text("YYYY-MM-DD")
