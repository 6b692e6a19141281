"""The congress and petition pages in headless Chromium, against `smolny serve` on a
database where the First Congress of the scaled soviets was told through the services
(tests/builders_congress.py, `tell_the_story`). What the pages draw is checked against the
services, read on our own connection."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from smolny.domain.federation import slugify
from smolny.moments import parse_moment
from smolny.services import congress
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_congress import Story, tell_the_story
from tests.e2e.conftest import Server

pytestmark = pytest.mark.browser

OPENING = "1917-06-03"
SITTING = "1917-06-11"  # after the commission's refusal and the CEC's election
AFTER_RECALL = "1917-06-15"
CLOSED = "1917-06-25"


@pytest.fixture
def story(server: Server) -> Iterator[tuple[Story, UnitOfWork]]:
    engine = connect(server.database_url)
    uow = UnitOfWork(engine)
    yield tell_the_story(uow), uow
    engine.dispose()


def drawn(page: Page) -> Counter[str]:
    keys = page.locator("svg.hemicycle circle.seat").evaluate_all(
        "seats => seats.map(seat => seat.dataset.faction)"
    )
    return Counter(keys)


@pytest.mark.parametrize("day", [OPENING, SITTING, AFTER_RECALL, CLOSED])
def test_the_hemicycle_seats_exactly_the_delegates_the_credentials_report_seats(
    page: Page, server: Server, story: tuple[Story, UnitOfWork], day: str
) -> None:
    told, uow = story
    report = congress.credentials_report(uow, told.convocation_id, parse_moment(day))
    page.goto(f"{server.url}/congresses/{told.built.congress.id}?at={day}")
    seats = drawn(page)
    seated = sum(n for key, n in seats.items() if key != "vacant")
    assert seated == len(report.seated)
    assert sum(seats.values()) == report.seats == 9
    expect(page.locator("#seated-count")).to_have_text(str(len(report.seated)))
    expect(page.locator("svg.hemicycle .hemicycle-total")).to_have_text(str(len(report.seated)))
    by_faction = Counter(slugify(r.faction) for r in report.seated)
    assert {k: n for k, n in seats.items() if k != "vacant"} == by_faction
    expect(page.locator("#refused li")).to_have_count(len(report.refused))


def test_the_congress_page_shows_the_apportionment_the_session_and_the_executive(
    page: Page, server: Server, story: tuple[Story, UnitOfWork]
) -> None:
    told, uow = story
    cid = told.built.congress.id
    page.goto(f"{server.url}/congresses/{cid}?at=1917-05-21")
    rows = page.locator("#apportionment li")
    expect(rows).to_have_count(4)
    expect(page.locator("#apportionment li.combine")).to_have_count(2)
    expect(page.get_by_text("Must combine: Tver Soviet, Klin Soviet.")).to_be_visible()
    expect(page.locator("#session")).to_contain_text("not in session")

    page.goto(f"{server.url}/congresses/{cid}?at={SITTING}")
    view = congress.apportionment_view(uow, cid, parse_moment(SITTING))
    seats = page.locator("#apportionment li").evaluate_all(
        "rows => rows.map(row => Number(row.dataset.seats))"
    )
    assert seats == [r.seats for r in view.rows] == [4, 3, 2, 0, 0]
    expect(page.locator("#apportionment li.combined")).to_have_count(2)
    expect(page.locator("#session")).to_contain_text("in session — First Congress")
    expect(page.locator("#refused")).to_contain_text(
        "refused by Credentials Commission: elected at a meeting without quorum"
    )
    expect(page.get_by_role("link", name="Central Executive Committee")).to_be_visible()

    page.goto(f"{server.url}/congresses/{cid}?at={CLOSED}")
    expect(page.locator("#session")).to_contain_text(
        "Between its sittings Central Executive Committee acts for it."
    )
    expect(page.locator("#credentials-summary")).to_contain_text("as it stood at the close")


def test_the_council_page_leads_to_the_congress_and_the_date_control_moves_it(
    page: Page, server: Server, story: tuple[Story, UnitOfWork]
) -> None:
    told, uow = story
    cid = told.built.congress.id
    page.goto(f"{server.url}/councils/{cid}?at={SITTING}")
    page.get_by_role("link", name=re.compile("^Congress: seats by lower council")).click()
    expect(page).to_have_url(re.compile(rf"/congresses/{cid}\?at={SITTING}$"))
    page.locator("input#at").fill(AFTER_RECALL)
    page.get_by_role("button", name="Show").press("Enter")
    expect(page).to_have_url(re.compile(rf"/congresses/{cid}\?at={AFTER_RECALL}$"))
    report = congress.credentials_report(uow, told.convocation_id, parse_moment(AFTER_RECALL))
    expect(page.locator("#seated-count")).to_have_text(str(len(report.seated)))
    expect(page.get_by_text("mandate ended (recall) on 1917-06-14")).to_be_visible()


def test_the_petition_page_draws_the_signatures_against_the_threshold_and_the_vote(
    page: Page, server: Server, story: tuple[Story, UnitOfWork]
) -> None:
    told, _ = story
    page.goto(f"{server.url}/petitions/{told.petition_id}?at=1917-06-12")
    expect(page.locator("#signatures")).to_have_text("1")
    expect(page.locator("#threshold")).to_have_text("2")
    expect(page.locator("svg.progress")).to_have_attribute(
        "aria-label", "1 of 2 signatures needed, out of 10 who may sign"
    )
    expect(page.get_by_text("No vote yet")).to_be_visible()
    page.goto(f"{server.url}/petitions/{told.petition_id}?at=1917-06-15")
    expect(page.locator("svg.progress.reached")).to_have_count(1)
    expect(page.locator("#vote-summary")).to_contain_text("carried — 6 for, 3 against")
    page.get_by_role("link", name="Moscow Soviet: petitions").click()
    expect(page.locator("#petitions li")).to_have_count(1)
    expect(page.locator("#petitions")).to_contain_text("recall carried")
