"""A page reached by a link inside the site (htmx swaps only the body) gets the
stylesheets its own head names, as when it is opened directly."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.conftest import Server, run_smolny, said

SMALL = Path(__file__).parents[1] / "data" / "scenario_small.yaml"


def test_a_boosted_link_brings_the_new_pages_stylesheets(
    server: Server, database_url: str, page: Page
) -> None:
    replayed = run_smolny(database_url, "replay", str(SMALL), "--quiet")
    assert replayed.returncode == 0, said(replayed)
    page.goto(f"{server.url}/organizations/1/timeline")
    before = page.eval_on_selector_all(
        'head link[rel="stylesheet"]', "els => els.map(e => e.getAttribute('href'))"
    )
    assert not any(href.endswith("/orders.css") for href in before)
    page.click("text=Orders and countersignature on this day")
    page.wait_for_url("**/organizations/1/orders**")
    page.wait_for_function(
        "() => [...document.querySelectorAll('head link[rel=stylesheet]')]"
        ".some(l => l.href.endsWith('/orders.css'))"
    )
