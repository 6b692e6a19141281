"""The orders pages in headless Chromium, against `smolny serve` on October 1917 in
miniature (tests/builders_orders.py), built through the services on our own connection.

What the pages show is compared with the services' answer for the same moment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from smolny.domain.orders import Order, SanctionKind, Status
from smolny.moments import parse_moment
from smolny.services import orders as services
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_orders import (
    ACTOR,
    Petrograd,
    build_petrograd,
    day,
    october,
    october_orders,
)
from tests.e2e.conftest import Server, serving

pytestmark = pytest.mark.browser

DAYS = ["1917-10-21", "1917-10-22", "1917-10-24", "1917-10-25"]


@dataclass
class October:
    server: Server
    uow: UnitOfWork
    petrograd: Petrograd
    orders: dict[str, Order]

    def matrix(self, date: str) -> services.OrdersMatrix:
        return services.orders_matrix(self.uow, self.petrograd.organization.id, parse_moment(date))

    def url(self, path: str) -> str:
        return self.server.url + path


@pytest.fixture(scope="module")
def scenario(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[October]:
    engine = connect(module_database_url)
    uow = UnitOfWork(engine)
    p = october(uow, build_petrograd(uow))
    orders = october_orders(uow, p)
    engine.dispose()
    logs: Path = tmp_path_factory.mktemp("orders-pages")
    with serving(module_database_url, None, logs) as server:
        engine = connect(module_database_url)
        yield October(server, UnitOfWork(engine), p, orders)
        engine.dispose()


def drawn_cells(page: Page) -> dict[tuple[int, int], str]:
    """(order, unit) -> status, as the matrix's cells say."""
    cells = page.locator("table.matrix td.cell").evaluate_all(
        "cells => cells.map(c => [+c.dataset.order, +c.dataset.unit, c.dataset.status])"
    )
    return {(order, unit): status for order, unit, status in cells}


def drawn_conflicts(page: Page) -> dict[tuple[int, int], str]:
    cells = page.locator("table.matrix td.cell.conflict").evaluate_all(
        "cells => cells.map(c => [+c.dataset.order, +c.dataset.unit, c.dataset.conflict])"
    )
    return {(order, unit): kind for order, unit, kind in cells}


@pytest.mark.parametrize("date", DAYS)
def test_the_matrix_cells_show_the_services_statuses_of_the_day(
    page: Page, scenario: October, date: str
) -> None:
    expected = scenario.matrix(date)
    response = page.goto(
        scenario.url(f"/organizations/{expected.organization.id}/orders?at={date}")
    )
    assert response is not None
    assert response.status == 200
    statuses = {
        (cell.order_id, cell.unit_id): cell.status.value
        for row in expected.rows
        for cell in row.cells
    }
    assert statuses  # the day has orders
    assert drawn_cells(page) == statuses
    marks = {
        (cell.order_id, cell.unit_id): cell.conflict.value
        for row in expected.rows
        for cell in row.cells
        if cell.conflict
    }
    assert drawn_conflicts(page) == marks
    headers = page.locator("th.order-head").evaluate_all("hs => hs.map(h => +h.dataset.order)")
    assert headers == [line.order.id for line in expected.orders]
    expect(page.locator("ul.conflicts > li")).to_have_count(len(expected.conflicts))


def test_the_october_matrix_shows_the_refusal_and_the_direct_conflict(
    page: Page, scenario: October
) -> None:
    p, front = scenario.petrograd, scenario.orders["front"]
    page.goto(scenario.url(f"/organizations/{p.organization.id}/orders?at=1917-10-23"))
    cell = page.locator(f'td.cell[data-order="{front.id}"]')
    expect(cell.and_(page.locator(f'[data-unit="{p.volynsky.id}"]'))).to_have_attribute(
        "data-status", Status.REFUSED.value
    )
    cossacks = cell.and_(page.locator(f'[data-unit="{p.cossacks.id}"]'))
    expect(cossacks).to_have_attribute("data-status", Status.VALID.value)
    expect(cossacks).to_have_attribute("data-conflict", "direct")
    rule = page.locator(f'tr[data-unit="{p.volynsky.id}"] th .rule')
    expect(rule).to_have_text("countersignature: Military Revolutionary Committee")
    expect(page.locator(f'tr[data-unit="{p.cossacks.id}"] th .rule')).to_have_text(
        "no countersignature needed"
    )


def test_the_date_control_moves_the_matrix_to_the_chosen_day(page: Page, scenario: October) -> None:
    organization = scenario.petrograd.organization.id
    page.goto(scenario.url(f"/organizations/{organization}/orders"))
    for date in ("1917-10-21", "1917-10-22"):
        page.locator("input#at").fill(date)
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(rf"/organizations/{organization}/orders\?at={date}$"))
        expect(page.locator("#summary time")).to_have_text(date)
        expected = scenario.matrix(date)
        assert drawn_cells(page) == {
            (c.order_id, c.unit_id): c.status.value for r in expected.rows for c in r.cells
        }


def test_the_federation_page_links_to_the_orders_and_the_cells_to_their_order(
    page: Page, scenario: October
) -> None:
    p, front = scenario.petrograd, scenario.orders["front"]
    page.goto(scenario.url("/?at=1917-10-22"))
    page.get_by_role("link", name="Orders and countersignature").click()
    expect(page).to_have_url(
        scenario.url(f"/organizations/{p.organization.id}/orders?at=1917-10-22")
    )
    page.locator(f'th.order-head[data-order="{front.id}"] a').click()
    expect(page.locator("h1")).to_have_text(f"Order {front.id}: {front.title}")
    view = services.order_view(scenario.uow, front.id, parse_moment("1917-10-22"))
    rows = page.locator("table.per-unit tbody tr").evaluate_all(
        "rows => rows.map(r => [+r.dataset.unit, r.dataset.status])"
    )
    assert rows == [[line.unit.id, line.status.status.value] for line in view.units]
    expect(page.locator("ol.trail")).to_contain_text("Military Revolutionary Committee refused")


def test_the_unit_page_draws_the_authorities_over_it(page: Page, scenario: October) -> None:
    p = scenario.petrograd
    page.goto(scenario.url(f"/units/{p.volynsky.id}?at=1917-10-25"))
    expect(page.locator("h1")).to_contain_text("Volynsky Regiment")
    view = services.unit_view(scenario.uow, p.volynsky.id, parse_moment("1917-10-25"))
    expect(page.locator("svg.timeline rect.span.grant")).to_have_count(len(view.grants))
    marks = page.locator("svg.timeline circle.mark").evaluate_all(
        "ms => ms.map(m => m.getAttribute('class'))"
    )
    assert sorted(marks) == sorted(f"mark s-{s.status.value}" for _, s in view.orders)
    expect(page.locator("#summary")).to_contain_text("Military Revolutionary Committee")


def test_the_faction_page_shows_a_ban_only_while_it_is_in_force(
    page: Page, scenario: October
) -> None:
    p = scenario.petrograd
    mensheviks = p.factions["Mensheviks"]
    services.sanction_faction(
        scenario.uow,
        faction_id=mensheviks.id,
        council_id=p.executive.id,
        kind=SanctionKind.BAN,
        effects=["Its delegates may not table motions"],
        actor=ACTOR,
        at=day("1917-10-26"),
    )
    page.goto(scenario.url(f"/factions/{mensheviks.id}?at=1917-10-25"))
    expect(page.locator("#summary strong.state")).to_have_text("active")
    page.goto(scenario.url(f"/factions/{mensheviks.id}?at=1917-10-26"))
    expect(page.locator("#summary strong.state")).to_have_text("banned")
    expect(page.locator("#summary .effects")).to_contain_text("may not table motions")
    view = services.faction_view(scenario.uow, mensheviks.id, parse_moment("1917-10-26"))
    held = page.locator("table.faction-seats tbody tr").evaluate_all(
        "rows => rows.map(r => [+r.dataset.council, +r.querySelector('.held').textContent])"
    )
    assert held == [[s.council.id, s.held] for s in view.seats]
