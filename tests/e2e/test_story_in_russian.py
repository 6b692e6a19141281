"""The whole story, as a new organization lives it, in Russian, in headless Chromium against
`smolny serve` on SQLite and PostgreSQL.

The operator creates the administrator of a tramworkers' union with the CLI; the
administrator sets a password by the printed link and imports fifty members from a CSV
file; the five members of the first depot take their invitations, log in on their phones
and elect its three delegates online; the chair, elected by the council, runs a sitting from
a phone with a roll-call vote and a secret vote while the other delegates follow the results
live on theirs; a member petitions to recall a delegate, the members carry the recall, and
the recalled delegate can no longer check in; the minutes download as PDF. Every browser
asks for Russian (Accept-Language: ru), and no page shown says anything in English.

What the administrator cannot yet do in the browser (make the council's structure and share
its seats: the API and the CLI do) is done here through the services, as a script would.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine

from smolny.domain.elections import ListTally
from smolny.domain.federation import Council, CouncilKind, Member, Power
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.seat_rules import FixedRule
from smolny.services import elections, federation, sittings
from smolny.services.composition import council_composition
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import Server, assert_accessible, serving, smolny_env

pytestmark = pytest.mark.browser

UNION = "Союз трамвайщиков"
COUNCIL = "Совет парков"
FIRST, SECOND = "Первый парк", "Второй парк"
DEPOT = [  # the first depot: five members, three seats
    "Анна Смирнова",
    "Борис Иванов",
    "Вера Кузнецова",
    "Григорий Попов",
    "Дарья Соколова",
]
FIRST_NAMES = ["Евгений", "Жанна", "Зиновий", "Ирина", "Кирилл", "Лидия", "Михаил", "Нина", "Олег"]
SURNAMES = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко"]
PASSWORD = "вся власть советам 1917"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ACTOR = "operator-script"
SHOTS = os.environ.get("SMOLNY_SCREENSHOTS", "")
# What may stay Latin on a Russian page: the names of formats and of the time zone, a
# membership number's prefix, and the logins (chosen by people, not translated).
LATIN_ALLOWED = {
    "API",
    "Smolny",
    "PDF",
    "Markdown",
    "CSV",
    "JSON",
    "UTC",
    "UTF",
    "N",
    "secretary",
    "member",
}


def roll() -> bytes:
    """Fifty members: the first depot's five, then forty-five of the second."""
    people = [(name, FIRST) for name in DEPOT]
    people += [(f"{f} {s}", SECOND) for s in SURNAMES for f in FIRST_NAMES]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "number", "faction", "constituency"])
    for i, (name, place) in enumerate(people, start=1):
        writer.writerow([name, f"N-{i:03d}", "Левые" if i % 3 else "Правые", place])
    return out.getvalue().encode()


@dataclass
class Union:
    server: Server
    engine: Engine
    organization_id: int
    council: Council

    @property
    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def url(self, path: str) -> str:
        return self.server.url + path


@pytest.fixture(scope="module")
def union(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Union]:
    """The structure an administrator's script sets up: the union, its factions, the
    council and the two depots it is elected from."""
    engine = connect(module_database_url)
    uow = UnitOfWork(engine)
    start = datetime.now(UTC) - timedelta(days=2)
    org = federation.create_organization(uow, name=UNION, actor=ACTOR, at=start)
    for name, color in (("Левые", "#b22222"), ("Правые", "#1f4e9c")):
        federation.create_faction(
            uow, organization_id=org.id, name=name, color=color, actor=ACTOR, at=start
        )
    council = federation.create_council(
        uow, organization_id=org.id, name=COUNCIL, actor=ACTOR, at=start
    )
    for place in (FIRST, SECOND):
        federation.create_constituency(
            uow, council_id=council.id, name=place, actor=ACTOR, at=start
        )
    with serving(module_database_url, None, tmp_path_factory.mktemp("story")) as server:
        yield Union(server, engine, org.id, council)
    engine.dispose()


def in_russian(browser: Browser, viewport: dict[str, int]) -> tuple[BrowserContext, Page]:
    """A browser that prefers Russian, as a person in Petrograd's would."""
    context = browser.new_context(viewport=viewport, locale="ru-RU", has_touch=viewport is PHONE)
    context.set_default_timeout(15_000)
    return context, context.new_page()


ENGLISH: list[str] = []  # what the story found in English, told all at once at its end


def assert_russian(page: Page) -> None:
    """The page says it is Russian, and its main part has no English word in it (the
    words found are kept, and the story fails at its end naming every page)."""
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    if SHOTS:  # SMOLNY_SCREENSHOTS=DIR keeps a picture of every page the story checks
        width = page.viewport_size["width"] if page.viewport_size else 0
        name = re.sub(r"[^a-z0-9]+", "-", page.url.split("//", 1)[1].split("/", 1)[1].lower())
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=f"{SHOTS}/{len(list(Path(SHOTS).iterdir())):02d}-{name}-{width}.png",
            full_page=True,
        )
    # Code to type (`Authorization: Bearer`), a text marked as another language (the
    # language switch's "English") and addresses are not prose to translate.
    text = page.evaluate(
        """() => {
            const main = document.querySelector("main").cloneNode(true);
            main.querySelectorAll("code, kbd, [lang]:not([lang=ru])").forEach((e) => e.remove());
            return main.innerText.replace(/https?:\\/\\/\\S+/g, "");
        }"""
    )
    english = sorted(set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_ALLOWED)
    if english:
        lines = [line.strip() for line in text.splitlines() if re.search(r"[A-Za-z]{2,}", line)]
        ENGLISH.append(f"{page.url}: {english}\n    " + "\n    ".join(lines))


def log_in(page: Page, union: Union, login: str, then: str) -> None:
    page.goto(union.url(f"/login?next={then}"))
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(union.url(then))


def create_admin_by_command(union: Union) -> str:
    """`smolny account create-admin`, as the operator runs it; the link it prints."""
    result = subprocess.run(
        [sys.executable, "-m", "smolny", "account", "create-admin", UNION, "secretary"],
        env=smolny_env(union.server.database_url, SMOLNY_BASE_URL=union.url("/")),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (link,) = re.findall(r"http://\S+/invite/\S+", result.stdout)
    return link


def accept(browser: Browser, union: Union, link: str, viewport: dict[str, int]) -> str:
    """A member opens their invitation on their phone and sets a password; their login."""
    context, page = in_russian(browser, viewport)
    page.goto(link)
    assert_russian(page)
    login = page.locator("#login").input_value()
    page.fill("#password", PASSWORD)
    page.fill("#repeat", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("[role=status]")).to_contain_text("Пароль задан")
    context.close()
    return login


def members_by_name(union: Union) -> dict[str, Member]:
    with union.uow as uow:
        return {
            m.name: m for m in uow.repo.all(Member) if m.organization_id == union.organization_id
        }


def test_an_organization_runs_in_russian_from_import_to_recall(
    browser: Browser, union: Union, tmp_path: Path
) -> None:
    oid = union.organization_id
    ENGLISH.clear()

    # 1. The operator's command prints the administrator's link; the administrator sets a
    #    password, logs in, and imports fifty members.
    link = create_admin_by_command(union)
    admin_context, admin = in_russian(browser, DESKTOP)
    admin.goto(link)
    assert_russian(admin)
    admin.fill("#password", PASSWORD)
    admin.fill("#repeat", PASSWORD)
    admin.click("main form button[type=submit]")
    log_in(admin, union, "secretary", "/account")
    assert_russian(admin)
    admin.goto(union.url(f"/organizations/{oid}/admin/members/import"))
    assert_russian(admin)
    admin.set_input_files(
        "#file", files=[{"name": "члены.csv", "mimeType": "text/csv", "buffer": roll()}]
    )
    admin.click("main form button[type=submit]")
    expect(admin.locator("table.preview tbody tr")).to_have_count(50)
    expect(admin.locator("#import-summary")).to_contain_text("50")
    assert_russian(admin)
    assert_accessible(admin)
    admin.click("main form button[type=submit]")
    expect(admin.locator("#import-done")).to_contain_text("50")
    assert_russian(admin)
    with admin.expect_download() as download:
        admin.click("#download")
    links = {
        row[1]: row[2]
        for row in csv.reader(
            io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))
        )
    }
    assert len(links) == 51  # the header and fifty links

    # The council shares its seats: three for each depot (a script, through the API's service).
    elections.apportion_seats(
        union.uow, council_id=union.council.id, rule=FixedRule(seats_each=3), actor=ACTOR
    )
    people = members_by_name(union)

    # 2. The administrator opens the first depot's election: three seats, four standing.
    admin.goto(union.url(f"/organizations/{oid}/admin/ballots"))
    assert_russian(admin)
    admin.get_by_role("link", name=FIRST).click()
    assert_russian(admin)
    admin.select_option("#method", "plurality")
    for name in DEPOT[:4]:
        admin.get_by_label(name).check()
    assert_accessible(admin)
    admin.click("#open-election")
    expect(admin.get_by_test_id("turnout")).to_contain_text("0")
    assert_russian(admin)
    ballot_url = admin.url

    # 3. The five members take their invitations and vote on their phones.
    logins = {name: accept(browser, union, links[name], PHONE) for name in DEPOT}
    marks = {
        "Анна Смирнова": ("Анна Смирнова", "Борис Иванов", "Вера Кузнецова"),
        "Борис Иванов": ("Анна Смирнова", "Борис Иванов", "Вера Кузнецова"),
        "Вера Кузнецова": ("Анна Смирнова", "Вера Кузнецова", "Григорий Попов"),
        "Григорий Попов": ("Борис Иванов", "Григорий Попов"),
        "Дарья Соколова": ("Анна Смирнова", "Борис Иванов", "Вера Кузнецова"),
    }
    for voter, chosen in marks.items():
        context, page = in_russian(browser, PHONE)
        log_in(page, union, logins[voter], "/my/membership")
        assert_russian(page)
        page.locator(".ballot-card").get_by_role("link").first.click()
        expect(page).to_have_url(ballot_url)
        assert_russian(page)
        for name in chosen:
            page.get_by_label(name).check()
        if voter == DEPOT[0]:
            assert_accessible(page)
        page.click("#cast")
        expect(page.get_by_test_id("recorded")).to_be_visible()
        assert_russian(page)
        context.close()

    admin.reload()
    expect(admin.get_by_test_id("turnout")).to_contain_text("5")
    admin.click("#close-ballot")
    expect(admin.get_by_test_id("elected")).to_contain_text("Анна Смирнова")
    expect(admin.get_by_test_id("elected")).to_contain_text("Вера Кузнецова")
    expect(admin.get_by_test_id("elected")).to_contain_text("Борис Иванов")
    assert_russian(admin)
    with union.uow as uow:
        seated = council_composition(uow, union.council.id, datetime.now(UTC)).delegates
    assert sorted(d.member.name for d in seated) == sorted(DEPOT[:3])

    # The council elects Anna Smirnova its chair (the powers to chair and to convene).
    chair_office = federation.create_council(
        union.uow,
        organization_id=oid,
        name="Председатель",
        kind=CouncilKind.OFFICE,
        parent_id=union.council.id,
        powers=[Power.CHAIR, Power.CONVENE],
        actor=ACTOR,
    )
    anna = people["Анна Смирнова"]
    elections.elect_committee(
        union.uow,
        committee_id=chair_office.id,
        seats=1,
        lists=[ListTally(anna.faction_id, (anna.id,), 3)],
        actor=ACTOR,
    )
    # 4. The chair and the two other delegates on their phones: a roll-call and a secret vote.
    phones: dict[str, Page] = {}
    contexts = []
    for name in DEPOT[:3]:
        context, page = in_russian(browser, PHONE)
        contexts.append(context)
        log_in(page, union, logins[name], "/my/sittings")
        assert_russian(page)
        phones[name] = page
    chair, boris, vera = (phones[n] for n in DEPOT[:3])
    # The chair convenes today's sitting from My sittings, and goes to her console.
    expect(chair.get_by_test_id(f"convene-{union.council.id}")).to_have_attribute("open", "")
    assert_accessible(chair)
    chair.fill(f"#convene-title-{union.council.id}", "Заседание совета")
    chair.click(f"#convene-sitting-{union.council.id}")
    card = chair.locator("[data-testid^=my-sitting-]", has_text="Заседание совета")
    expect(card).to_be_visible()
    assert_russian(chair)
    sid = int((card.get_attribute("data-testid") or "").rsplit("-", 1)[1])
    card.locator(f"a[href='/sittings/{sid}/chair']").click()
    expect(chair).to_have_url(union.url(f"/sittings/{sid}/chair"))
    assert_russian(chair)
    chair.click("#open-sitting")
    expect(chair.locator("#part-state")).to_contain_text("Анна Смирнова")
    chair.click("#chair-check-in")
    for page in (boris, vera):
        page.goto(union.url(f"/sittings/{sid}/delegate"))
        page.evaluate("window.notReloaded = true")
        page.click("#check-in")
        expect(page.get_by_test_id("my-presence")).to_contain_text("Вы присутствуете")
        expect(chair.get_by_test_id("present-list")).to_contain_text(
            "Борис Иванов" if page is boris else "Вера Кузнецова"
        )
        assert_russian(page)
    chair.evaluate("window.notReloaded = true")
    expect(chair.get_by_test_id("quorum")).to_contain_text("3")
    assert_russian(chair)
    assert_accessible(chair)

    vera.locator("details.table-motion summary").click()
    vera.fill("#motion-title", "Сорокачасовая неделя")
    vera.fill("#motion-text", "Парки работают сорок часов в неделю.")
    vera.click("#table-motion")
    expect(chair.locator("[id^=open-roll-call-]")).to_have_count(1)
    chair.locator("[id^=open-roll-call-]").click()
    # The chair votes too, from her place in a second tab.
    place = chair.context.new_page()
    place.goto(union.url(f"/sittings/{sid}/delegate"))
    assert_russian(place)
    for page in (boris, vera, place):
        page.click("#vote-for")
        expect(page.get_by_test_id("cast")).to_be_visible()
    expect(chair.get_by_test_id("vote-progress")).to_contain_text("3")
    assert_russian(chair)
    chair.click("#close-vote")
    for page in (boris, vera):
        card = page.locator("#part-results .result-card").first
        expect(card).to_contain_text("Сорокачасовая неделя")
        expect(card).to_contain_text("Вера Кузнецова")  # the roll call names the voters
        assert_russian(page)

    chair.locator("details.table-motion summary").click()
    chair.fill("#motion-title", "Сверхурочные")
    chair.fill("#motion-text", "Сверхурочные оплачиваются вдвойне.")
    chair.click("#table-motion")
    expect(chair.locator("[id^=open-secret-]")).to_have_count(1)
    chair.locator("[id^=open-secret-]").click()
    expect(boris.get_by_test_id("secret-note")).to_be_visible()
    assert_russian(boris)
    assert_accessible(boris)
    boris.click("#vote-for")
    vera.click("#vote-against")
    place.click("#vote-for")
    expect(chair.get_by_test_id("vote-progress")).to_contain_text("3")
    chair.click("#close-vote")
    for page in (boris, vera):
        card = page.locator("#part-results .result-card").first
        expect(card).to_contain_text("Сверхурочные")
        expect(card).not_to_contain_text("Вера Кузнецова")  # a secret vote names no one
        assert_russian(page)
        assert page.evaluate("window.notReloaded === true")  # the results came live
    assert_accessible(vera)

    chair.once("dialog", lambda dialog: dialog.accept())
    chair.click("#close-sitting")
    expect(chair.get_by_test_id("closed")).to_be_visible()
    assert_russian(chair)
    minutes = chair.request.get(union.url(f"/sittings/{sid}/minutes.pdf"))
    assert minutes.ok
    assert minutes.headers["content-type"] == "application/pdf"
    assert minutes.body().startswith(b"%PDF-")
    (tmp_path / "minutes.pdf").write_bytes(minutes.body())
    chair.goto(union.url(f"/sittings/{sid}/minutes"))
    assert_russian(chair)
    expect(chair.locator("main")).to_contain_text("Сверхурочные")
    for context in contexts:
        context.close()

    # 5. Darya Sokolova petitions to recall Boris Ivanov; the members carry the recall.
    with union.uow as uow:
        target = next(
            m
            for m in uow.repo.mandates_at(datetime.now(UTC), council_id=union.council.id)
            if m.member_id == people["Борис Иванов"].id
        )
    context, page = in_russian(browser, PHONE)
    log_in(page, union, logins["Дарья Соколова"], "/my/membership")
    card = page.get_by_test_id(f"delegate-{target.id}")
    card.locator("details summary").first.click()
    card.locator("textarea[name=reason]").fill("Голосовал против решения собрания")
    card.locator("button[type=submit]").first.click()
    expect(page.get_by_test_id("notice")).to_be_visible()
    assert_russian(page)
    assert_accessible(page)
    context.close()

    admin.goto(union.url(f"/organizations/{oid}/admin/ballots"))
    waiting = admin.locator("[data-testid^=awaiting-]")
    expect(waiting).to_contain_text("Борис Иванов")
    assert_russian(admin)
    waiting.locator("button").first.click()
    recall_url = admin.url
    assert_russian(admin)
    for voter in DEPOT:
        choice = 0 if voter != "Борис Иванов" else 1  # for the recall, or against
        context, page = in_russian(browser, PHONE)
        log_in(page, union, logins[voter], "/my/membership")
        page.goto(recall_url)
        page.locator("form.ballot input[type=radio]").nth(choice).check()
        page.click("#cast")
        expect(page.get_by_test_id("recorded")).to_be_visible()
        assert_russian(page)
        context.close()
    admin.reload()
    admin.click("#close-ballot")
    expect(admin.get_by_test_id("recall-outcome")).to_contain_text("Борис Иванов")
    assert_russian(admin)
    admin_context.close()
    with union.uow as uow:
        assert uow.repo.get(Mandate, target.id).end_reason is MandateEnd.RECALL

    # 6. The recalled delegate can no longer check in at the next sitting, and is told why.
    later = sittings.convene_sitting(
        union.uow,
        council_id=union.council.id,
        title="Следующее заседание",
        day=date.today(),
        actor=ACTOR,
    ).id
    context, page = in_russian(browser, PHONE)
    log_in(page, union, logins["Борис Иванов"], "/my/sittings")
    page.goto(union.url(f"/sittings/{later}/delegate"))
    expect(page.get_by_test_id("refusal-check-in")).to_contain_text("Борис Иванов")
    expect(page.locator("#check-in")).to_have_count(0)
    assert_russian(page)
    context.close()
    assert not ENGLISH, "English on Russian pages:\n" + "\n".join(ENGLISH)
