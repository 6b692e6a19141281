"""Downloads from `smolny serve` on a copy of the demo, as a user takes them: each file
read back counts what its page shows, the JSON files hold what the API serves, the
minutes print on A4 and come as a real PDF (its text read back with pypdf), and without
Chromium the PDF answers 503 saying how to install it. The same files from the command
line.

The demo's figures: the Riverside City Council on 20 April 2026 (a seat vacant after a
recall), the Container Terminal's STV count, and the Petrograd Soviet's sitting of 31
August 1917 ("carried, 279 for, 115 against, 51 abstaining").
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from smolny.domain.elections import Election
from smolny.domain.federation import Council, slugify
from smolny.domain.sittings import Sitting
from smolny.services import sittings
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.conftest import missing
from tests.e2e.conftest import (
    CHROMIUM,
    DemoDatabase,
    Server,
    assert_accessible,
    free_port,
    run_smolny,
    said,
    smolny_env,
)

RIVERSIDE = "Riverside City Council"
BETWEEN = "2026-04-20"  # after the recall at the North Bus Depot, before the by-election
AUGUST = "Sitting of 31 August – 1 September"
AUGUST_RESULT = "carried, 279 for, 115 against, 51 abstaining (needed 198 for)"


@pytest.fixture(scope="module")
def uow(demo_server: Server) -> Iterator[UnitOfWork]:
    """Our own connection to the served database."""
    engine = connect(demo_server.database_url)
    yield UnitOfWork(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def riverside(uow: UnitOfWork) -> Council:
    with uow:
        return next(c for c in uow.repo.councils() if c.name == RIVERSIDE)


@pytest.fixture(scope="module")
def stv(uow: UnitOfWork) -> Election:
    """The demo's first count with transfers (Scottish STV at the Container Terminal)."""
    with uow:
        found = [
            e
            for council in uow.repo.councils()
            for e in uow.repo.elections_of(council.id)
            if e.method.value == "scottish-stv"
        ]
    return found[0]


@pytest.fixture(scope="module")
def demo_sittings(uow: UnitOfWork) -> list[Sitting]:
    with uow:
        councils = [c.id for c in uow.repo.councils()]
    return [s.sitting for c in councils for s in sittings.sittings_of_council(uow, c)]


@pytest.fixture(scope="module")
def august(demo_sittings: list[Sitting]) -> Sitting:
    return next(s for s in demo_sittings if s.title == AUGUST)


def read_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return read_csv_text(response.content.decode("utf-8"))


def read_csv_text(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "a download starts with a BOM for spreadsheet programs"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def file_name(response: httpx.Response) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    return disposition.split('filename="')[1].split('"')[0]


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed (lines wrap where the layout says)."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def needs_chromium() -> None:
    if not CHROMIUM.exists():
        missing(f"Chromium is not installed at {CHROMIUM}")


# -- compositions ------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_council_page_downloads_its_composition_and_it_counts_what_the_page_shows(
    demo_server: Server, riverside: Council, page: Page
) -> None:
    page.goto(f"{demo_server.url}/councils/{riverside.id}?at={BETWEEN}")
    legend = dict(
        page.locator("table.legend tbody tr").evaluate_all(
            "rows => rows.map(r => [r.dataset.faction, +r.querySelector('td.num').textContent])"
        )
    )
    names = page.locator("table.delegates tbody tr td:first-child").all_text_contents()
    links = page.locator("p.downloads")
    expect(links).to_contain_text("Download the composition as of 2026-04-20: CSV · JSON")
    with page.expect_download() as caught:
        links.get_by_role("link", name="CSV").click()
    download = caught.value
    assert download.suggested_filename == "composition-riverside-city-council-2026-04-20.csv"
    rows = read_csv_text(Path(download.path()).read_text(encoding="utf-8"))
    assert list(rows[0]) == ["name", "number", "faction", "section", "constituency", "since"]
    # The same delegates, in the same order, and the same seats by faction as the legend.
    assert [r["name"] for r in rows] == names
    assert dict(Counter(slugify(r["faction"]) for r in rows)) == {
        k: v for k, v in legend.items() if k != "vacant"
    }
    assert legend["vacant"] == 1
    summary = page.locator("#summary").text_content() or ""
    assert f"{len(rows)} of {len(rows) + 1} seats filled, 1 vacant" in " ".join(summary.split())


def test_the_composition_json_is_what_the_api_serves(
    demo_server: Server, riverside: Council
) -> None:
    with demo_server.client() as web:
        download = web.get(f"/councils/{riverside.id}/composition.json?at={BETWEEN}")
        api = web.get(f"/api/councils/{riverside.id}/composition?at={BETWEEN}").json()
        rows = read_csv(web.get(f"/councils/{riverside.id}/composition.csv?at={BETWEEN}"))
    assert download.headers["content-type"] == "application/json"
    assert file_name(download) == "composition-riverside-city-council-2026-04-20.json"
    document = download.json()
    assert document == {"council_id": riverside.id, **api}
    assert [(d["name"], d["number"], d["faction"], d["from"]) for d in document["delegates"]] == [
        (r["name"], r["number"], r["faction"], r["constituency"]) for r in rows
    ]
    assert document["filled"] == len(rows) == sum(document["factions"].values())


# -- elections ---------------------------------------------------------------------------------


def _page_number(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    return None if text in {"", "–"} else Decimal(text)


@pytest.mark.browser
def test_the_election_csv_has_every_number_of_the_round_by_round_table(
    demo_server: Server, stv: Election, page: Page
) -> None:
    page.goto(f"{demo_server.url}/elections/{stv.id}")
    shown = page.locator("table.rounds tbody tr").evaluate_all(
        """rows => rows.map(r => [
            r.querySelector('th').textContent.trim(),
            ...Array.from(r.querySelectorAll('td'), td => td.firstChild?.textContent ?? ''),
        ])"""
    )
    elected = page.locator("ol.elected li").all_text_contents()
    with page.expect_download() as caught:
        page.locator("p.downloads").get_by_role("link", name="CSV").click()
    assert caught.value.suggested_filename.startswith(f"election-{stv.id}-")
    rows = read_csv_text(Path(caught.value.path()).read_text(encoding="utf-8"))
    rounds = [k for k in rows[0] if k.startswith("round ")]
    assert len(rounds) > 1
    label = {"Non-transferable": "(non-transferable)", "Quota": "(quota)"}
    assert [label.get(r[0], r[0]) for r in shown] == [r["candidate"] for r in rows]
    for on_page, row in zip(shown, rows, strict=True):
        numbers = [_page_number(cell) for cell in on_page[1:]]
        in_file = [Decimal(row[k]) if row[k] else None for k in rounds]
        assert numbers == in_file, row["candidate"]
    order = sorted((r for r in rows if r["elected"]), key=lambda r: int(r["elected"]))
    assert [r["candidate"] for r in order] == elected
    assert len(elected) == stv.seats


def test_the_election_json_is_the_recorded_result(demo_server: Server, stv: Election) -> None:
    with demo_server.client() as web:
        download = web.get(f"/elections/{stv.id}.json")
        api = web.get(f"/api/elections/{stv.id}").json()
        page = web.get(f"/elections/{stv.id}")
    document = download.json()
    assert document["result"] == api["result"]
    assert (document["election"], document["seats"], document["method"]) == (
        stv.id,
        stv.seats,
        "scottish-stv",
    )
    assert f'href="/elections/{stv.id}.json"' in page.text


# -- sittings: votes, minutes, the printable page and the PDF ---------------------------------


def test_every_vote_in_the_demo_downloads_with_the_counts_its_minutes_show(
    demo_server: Server, demo_sittings: list[Sitting]
) -> None:
    checked = 0
    with demo_server.client() as web:
        for sitting in demo_sittings:
            rows = read_csv(web.get(f"/sittings/{sitting.id}/votes.csv"))
            minutes = " ".join(web.get(f"/sittings/{sitting.id}/minutes").text.split())
            for row in rows:
                assert row["sitting"] == str(sitting.id)
                words = f"{row['for']} for, {row['against']} against, {row['abstain']} abstaining"
                assert words in minutes, (sitting.title, row["motion_title"])
                one = read_csv(web.get(f"/votes/{row['vote']}.csv"))
                assert one == [row]
                motion_page = web.get(f"/motions/{row['motion']}").text
                assert f'href="/votes/{row["vote"]}.csv"' in motion_page
                assert f'href="/votes/{row["vote"]}.json"' in motion_page
                document = web.get(f"/votes/{row['vote']}.json").json()
                api = web.get(f"/api/votes/{row['vote']}").json()
                assert {k: document[k] for k in api} == api
                assert (document["for"], document["against"], document["abstain"]) == (
                    int(row["for"]),
                    int(row["against"]),
                    int(row["abstain"]),
                )
                checked += 1
    assert checked >= 5


def test_the_august_sitting_downloads_its_vote_and_minutes_under_their_names(
    demo_server: Server, august: Sitting
) -> None:
    with demo_server.client() as web:
        votes = web.get(f"/sittings/{august.id}/votes.csv")
        minutes = web.get(f"/sittings/{august.id}/minutes.json")
        api = web.get(f"/api/sittings/{august.id}/minutes").json()
        sitting_page = web.get(f"/sittings/{august.id}").text
        minutes_page = web.get(f"/sittings/{august.id}/minutes").text
    (row,) = read_csv(votes)
    assert file_name(votes) == "votes-petrograd-soviet-1917-08-31.csv"
    assert (row["for"], row["against"], row["abstain"], row["required"]) == (
        "279",
        "115",
        "51",
        "198",
    )
    assert (row["outcome"], row["mode"], row["present"], row["seated"]) == (
        "carried",
        "show-of-hands",
        "445",
        "3000",
    )
    assert file_name(minutes) == "minutes-petrograd-soviet-1917-08-31.json"
    assert minutes.json() == api
    for path in ("minutes.pdf", "minutes/print", "minutes.json", "votes.csv"):
        assert f'href="/sittings/{august.id}/{path}"' in sitting_page
        assert f'href="/sittings/{august.id}/{path}"' in minutes_page


@pytest.mark.browser
def test_the_minutes_pdf_is_a_real_pdf_with_the_sitting_and_its_result(
    demo_server: Server, august: Sitting
) -> None:
    needs_chromium()
    with demo_server.client() as web:
        response = web.get(f"/sittings/{august.id}/minutes.pdf", timeout=90)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert file_name(response) == "minutes-petrograd-soviet-1917-08-31.pdf"
    text = pdf_text(response.content)
    assert f"Minutes: {AUGUST}" in text
    assert AUGUST_RESULT in text
    assert "Most present: 445 of 3000 seated at 17:00" in text
    assert "Page 1 of" in text
    assert "Drawn up by Smolny from the ledger" in text


@pytest.mark.browser
def test_the_printable_minutes_are_clean_on_a4_in_chromium(
    demo_server: Server, august: Sitting, page: Page
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(f"{demo_server.url}/sittings/{august.id}/minutes/print")
    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(f"Minutes: {AUGUST}")
    expect(page.locator(".vote .result")).to_have_text(AUGUST_RESULT)
    # No navigation, no form, nothing but the minutes.
    assert page.locator("header.top, nav, form, .datecontrol, button, script").count() == 0
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).boxShadow") == "none"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(x) for x in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert problems == []


@pytest.mark.browser
def test_the_printable_minutes_pass_the_accessibility_check(
    demo_server: Server, august: Sitting, browser: Browser
) -> None:
    # The page's policy lets no script run, axe-core's included: this context sets it aside.
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{demo_server.url}/sittings/{august.id}/minutes/print")
        assert_accessible(page)
        page.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(page)
    finally:
        context.close()


@pytest.mark.browser
def test_the_minutes_page_links_download_the_pdf(
    demo_server: Server, august: Sitting, page: Page
) -> None:
    needs_chromium()
    page.goto(f"{demo_server.url}/sittings/{august.id}/minutes")
    with page.expect_download(timeout=90_000) as caught:
        page.locator("p.actions").get_by_role("link", name="PDF").click()
    assert caught.value.suggested_filename == "minutes-petrograd-soviet-1917-08-31.pdf"
    assert AUGUST_RESULT in pdf_text(Path(caught.value.path()).read_bytes())


def _answering(process: subprocess.Popen[bytes], url: str, stderr: Path) -> None:
    """Wait until the server answers (a minute at most: a busy machine starts it slowly)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the server exited with status {process.returncode}:\n{stderr.read_text()}"
            )
        try:
            if httpx.get(f"{url}/static/print.css", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server at {url} did not answer within 60 s:\n{stderr.read_text()}")


@contextmanager
def serving_with(database_url: str, logs: Path, **settings: str) -> Iterator[str]:
    """`smolny serve` on the database with extra SMOLNY_* settings; yields its address."""
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = smolny_env(database_url, SMOLNY_PORT=str(port), **settings)
    stderr = logs / "server.err"
    url = f"http://127.0.0.1:{port}"
    with stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "smolny", "serve", "--port", str(port)],
            env=env,
            cwd=logs,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            _answering(process, url, stderr)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_without_chromium_the_pdf_answers_503_saying_how_to_install_it(
    demo_database: DemoDatabase, august: Sitting, tmp_path: Path
) -> None:
    url = demo_database.copy()
    with serving_with(url, tmp_path, SMOLNY_CHROMIUM=str(tmp_path / "no-chromium")) as server:
        pdf = httpx.get(f"{server}/sittings/{august.id}/minutes.pdf", timeout=30)
        printable = httpx.get(f"{server}/sittings/{august.id}/minutes/print", timeout=30)
    assert pdf.status_code == 503
    message = " ".join(pdf.text.split())
    assert f"there is none at {tmp_path / 'no-chromium'}" in message
    assert "apt-get install chromium" in message
    assert "SMOLNY_CHROMIUM" in message
    assert f"/sittings/{august.id}/minutes/print" in message
    assert printable.status_code == 200
    assert AUGUST_RESULT in printable.text


# -- the command line --------------------------------------------------------------------------


def test_the_command_line_prints_the_same_csv_without_the_bom(
    demo_server: Server, riverside: Council, stv: Election
) -> None:
    with demo_server.client() as web:
        composition = web.get(f"/councils/{riverside.id}/composition.csv?at={BETWEEN}").text
        election = web.get(f"/elections/{stv.id}.csv").text
    shown = run_smolny(
        demo_server.database_url, "council", "show", RIVERSIDE, "--at", BETWEEN, "--format", "csv"
    )
    assert shown.returncode == 0, said(shown)
    assert shown.stdout == composition.removeprefix("\ufeff").replace("\r\n", "\n")
    counted = run_smolny(
        demo_server.database_url, "election", "show", str(stv.id), "--format", "csv"
    )
    assert counted.returncode == 0, said(counted)
    assert counted.stdout == election.removeprefix("\ufeff").replace("\r\n", "\n")
    document = run_smolny(
        demo_server.database_url, "election", "show", str(stv.id), "--format", "json"
    )
    assert json.loads(document.stdout)["result"]["elected"] == [
        r["candidate"]
        for r in sorted(
            (r for r in read_csv_text(election) if r["elected"]), key=lambda r: int(r["elected"])
        )
    ]


@pytest.mark.browser
def test_the_command_line_writes_the_minutes_as_pdf(
    demo_server: Server, august: Sitting, tmp_path: Path
) -> None:
    needs_chromium()
    target = tmp_path / "minutes.pdf"
    result = run_smolny(
        demo_server.database_url,
        "sitting",
        "minutes",
        str(august.id),
        "--format",
        "pdf",
        "--output",
        str(target),
    )
    assert result.returncode == 0, said(result)
    assert f"to {target}" in said(result)
    text = pdf_text(target.read_bytes())
    assert f"Minutes: {AUGUST}" in text
    assert AUGUST_RESULT in text
    refused = run_smolny(
        demo_server.database_url, "sitting", "minutes", str(august.id), "--format", "pdf"
    )
    assert refused.returncode == 2
    assert "add --output FILE" in said(refused)
