"""The member's journey in a browser, against `smolny serve` on SQLite and PostgreSQL.

A textile union: the Mill (5 members, one seat) and the Depot (10 members, two seats, its
delegates elected earlier by the operator), each member with an account. The administrator
opens an election in the Mill in the browser; the five members log in, find it on "My
membership", vote, and are told their vote is recorded and cannot be linked to them; the
administrator closes it and the delegate is elected. In the Depot, a member opens a
petition against a delegate, another signs, it reaches its share, the administrator opens
the recall vote, the members carry it, and the delegate's mandate ends. Pages are checked
with axe-core, at desktop and phone width; SMOLNY_SCREENSHOTS=DIR keeps screenshots.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine

from smolny.domain.ballots import BallotKind, MemberBallot
from smolny.domain.elections import CandidateTally, ElectionMethod
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.seat_rules import RatioRule
from smolny.services import accounts, ballots, elections, federation
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import Server, assert_accessible, serving

PASSWORD = "a long enough passphrase"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("SMOLNY_SCREENSHOTS", "")


@dataclass
class Union:
    server: Server
    engine: Engine
    organization_id: int
    places: dict[str, int]  # constituency name -> id
    logins: dict[str, str]  # member name -> login
    ids: dict[str, int]  # member name -> id

    @property
    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    @property
    def mill(self) -> int:
        return self.places["Mill"]

    @property
    def depot(self) -> int:
        return self.places["Depot"]


def build_union(uow: UnitOfWork) -> tuple[int, dict[str, int], dict[str, str], dict[str, int]]:
    start = datetime.now(UTC) - timedelta(days=30)
    org = federation.create_organization(uow, name="Textile Union", actor="test", at=start)
    council = federation.create_council(
        uow, organization_id=org.id, name="City Council", actor="test", at=start
    )
    places = {
        name: federation.create_constituency(
            uow, council_id=council.id, name=name, actor="test", at=start
        )
        for name in ("Mill", "Depot", "Dye house")
    }
    people = [("Mill", f"Spinner {i}") for i in range(1, 6)]
    people += [("Depot", f"Carter {i}") for i in range(1, 11)]
    people += [("Dye house", f"Dyer {i}") for i in range(1, 4)]
    members = {
        name: federation.enroll_member(
            uow,
            organization_id=org.id,
            name=name,
            constituency_ids=[places[place].id],
            actor="test",
            at=start,
        )
        for place, name in people
    }
    elections.apportion_seats(
        uow, council_id=council.id, rule=RatioRule(per=5), actor="test", at=start
    )
    elections.elect_delegates(
        uow,
        constituency_id=places["Depot"].id,
        method=ElectionMethod.PLURALITY,
        candidates=[
            CandidateTally(members["Carter 1"].id, 6),
            CandidateTally(members["Carter 2"].id, 4),
        ],
        actor="test",
        at=start + timedelta(days=1),
    )
    logins = {}
    for name, member in members.items():
        login = name.lower().replace(" ", ".")
        token = accounts.issue_invitation(uow, member_id=member.id)
        accounts.accept_invitation(uow, token=token, password=PASSWORD, login=login)
        logins[name] = login
    _, token = accounts.create_administrator(uow, organization_id=org.id, login="secretary")
    accounts.accept_invitation(uow, token=token, password=PASSWORD)
    logins["administrator"] = "secretary"
    return (
        org.id,
        {name: c.id for name, c in places.items()},
        logins,
        {n: m.id for n, m in members.items()},
    )


@pytest.fixture(scope="module")
def union(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Union]:
    engine = connect(module_database_url)
    org, places, logins, ids = build_union(UnitOfWork(engine))
    with serving(module_database_url, None, tmp_path_factory.mktemp("members")) as server:
        yield Union(server, engine, org, places, logins, ids)
    engine.dispose()


@dataclass
class Person:
    context: BrowserContext
    page: Page
    name: str


def log_in(browser: Browser, union: Union, name: str, viewport: dict[str, int]) -> Person:
    context = browser.new_context(viewport=viewport, has_touch=viewport is PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{union.server.url}/login?next=/my/membership")
    page.fill("#login", union.logins[name])
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("h1")).to_have_text("My membership")
    return Person(context, page, name)


def shot(page: Page, name: str) -> None:
    """Keep a screenshot of the page as it is, when SMOLNY_SCREENSHOTS names a folder."""
    if SHOTS:
        width = page.viewport_size["width"] if page.viewport_size else 0
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def vote_for(
    browser: Browser, union: Union, name: str, viewport: dict[str, int], mark: str, title: str
) -> None:
    """A member logs in, finds the open ballot on My membership, marks it and casts."""
    person = log_in(browser, union, name, viewport)
    page = person.page
    try:
        card = page.locator(".ballot-card", has_text=title)
        expect(card).to_contain_text("electors have voted")
        card.get_by_role("link", name="Vote").click()
        expect(page.locator("h1")).to_have_text(title)
        expect(page.get_by_test_id("turnout")).to_contain_text("electors have voted")
        page.get_by_label(mark, exact=True).check()
        page.click("#cast")
        expect(page.get_by_test_id("recorded")).to_have_text(
            "✓ Your vote is recorded; it cannot be linked to you."
        )
        # Once: the ballot's page now says so, and offers no form.
        page.goto(f"{page.url.rsplit('/', 1)[0]}")
        expect(page.get_by_test_id("already-voted")).to_be_visible()
        expect(page.locator("form.ballot")).to_have_count(0)
    finally:
        person.context.close()


def test_members_elect_their_delegate_online(browser: Browser, union: Union) -> None:
    secretary = log_in_admin(browser, union, DESKTOP)
    page = secretary.page
    page.goto(f"{union.server.url}/organizations/{union.organization_id}/admin/ballots")
    assert_accessible(page)
    shot(page, "admin-ballots")
    page.get_by_role("link", name="Mill").click()
    expect(page.locator("h1")).to_have_text("Open a ballot in Mill")
    page.get_by_label("An election of all its seats (1)", exact=False).check()
    page.select_option("#method", "plurality")
    for name in ("Spinner 1", "Spinner 2", "Spinner 3"):
        page.get_by_label(name).check()
    page.select_option("#period", "7d")
    assert_accessible(page)
    shot(page, "admin-open")
    page.click("#open-election")
    title = "Election of 1 delegate of Mill to City Council"
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_test_id("turnout")).to_have_text("0 of 5 electors have voted")
    expect(page.get_by_test_id("closing-refusal")).to_contain_text("0 of 5 electors have voted")

    marks = {
        "Spinner 1": "Spinner 2",
        "Spinner 2": "Spinner 2",
        "Spinner 3": "Spinner 1",
        "Spinner 4": "Spinner 2",
        "Spinner 5": "Spinner 1",
    }
    for i, (voter, mark) in enumerate(marks.items()):
        viewport = PHONE if i % 2 == 0 else DESKTOP
        if i == 0:
            person = log_in(browser, union, voter, viewport)
            assert_accessible(person.page)
            shot(person.page, "membership-before")
            person.page.locator(".ballot-card").get_by_role("link", name="Vote").click()
            assert_accessible(person.page)
            shot(person.page, "ballot-plurality")
            person.context.close()
        vote_for(browser, union, voter, viewport, mark, title)

    page.reload()
    expect(page.get_by_test_id("turnout")).to_have_text("5 of 5 electors have voted")
    page.click("#close-ballot")
    expect(page.get_by_test_id("elected")).to_have_text("Elected: Spinner 2")
    expect(page.locator(".tallies")).to_contain_text("Spinner 2")
    assert_accessible(page)
    shot(page, "ballot-result")
    secretary.context.close()

    with union.uow as uow:
        ballot = next(b for b in uow.repo.all(MemberBallot) if b.constituency_id == union.mill)
        assert ballot.election_id is not None
        seats = uow.repo.mandates_at(datetime.now(UTC), constituency_id=union.mill)
    assert [m.member_id for m in seats] == [union.ids["Spinner 2"]]
    assert ballot.slips == 5

    # A member of the Mill sees their new delegate on My membership, and the result.
    person = log_in(browser, union, "Spinner 4", PHONE)
    card = person.page.get_by_test_id(f"delegate-{seats[0].id}")
    expect(card).to_contain_text("Spinner 2")
    expect(person.page.locator(".past")).to_contain_text(title)
    person.context.close()


def log_in_admin(browser: Browser, union: Union, viewport: dict[str, int]) -> Person:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{union.server.url}/login")
    page.fill("#login", union.logins["administrator"])
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("a[href='/account']")).to_have_text("secretary")
    return Person(context, page, "administrator")


def test_a_petition_leads_to_a_recall_vote_the_members_carry(
    browser: Browser, union: Union
) -> None:
    with union.uow as uow:
        seats = uow.repo.mandates_at(datetime.now(UTC), constituency_id=union.depot)
    target = next(m for m in seats if m.member_id == union.ids["Carter 1"])

    # Carter 3 opens the petition (a fifth of 10: two signatures are needed), Carter 4 signs.
    opener = log_in(browser, union, "Carter 3", PHONE)
    card = opener.page.get_by_test_id(f"delegate-{target.id}")
    card.get_by_text("Petition to recall Carter 1").click()
    card.get_by_label("Why (optional)").fill("Broke the strike vote")
    card.get_by_role("button", name="Open the petition").click()
    expect(opener.page.get_by_test_id("notice")).to_have_text(
        "Your petition is open, and you have signed it."
    )
    expect(opener.page.get_by_test_id(f"delegate-{target.id}")).to_contain_text("1 of 2 signatures")
    assert_accessible(opener.page)
    shot(opener.page, "membership-petition")
    opener.context.close()

    signer = log_in(browser, union, "Carter 4", DESKTOP)
    card = signer.page.get_by_test_id(f"delegate-{target.id}")
    card.get_by_role("button", name="Sign the petition to recall Carter 1").click()
    card = signer.page.get_by_test_id(f"delegate-{target.id}")
    expect(card).to_contain_text("2 of 2 signatures")
    expect(card).to_contain_text("threshold reached")
    signer.context.close()

    # The administrator opens the recall vote the petition called for.
    secretary = log_in_admin(browser, union, PHONE)
    page = secretary.page
    page.goto(f"{union.server.url}/organizations/{union.organization_id}/admin/ballots")
    waiting = page.locator("[data-testid^=awaiting-]")
    expect(waiting).to_contain_text("Recall of Carter 1 (Depot)")
    shot(page, "admin-awaiting")
    waiting.get_by_role("button", name="Open the recall vote").click()
    title = "Recall of Carter 1 (Depot)"
    expect(page.locator("h1")).to_have_text(title)

    # A member of the Mill may not vote in the Depot's recall, and is told why.
    outsider = log_in(browser, union, "Spinner 1", PHONE)
    outsider.page.goto(page.url)
    refusal = "Spinner 1 is not a member of Depot: only its members vote in recalls there"
    expect(outsider.page.get_by_test_id("may-not-vote")).to_have_text(refusal)
    # A vote sent all the same (a form made by hand) is refused with the same reason.
    token = outsider.page.locator("input[name=csrf_token]").first.get_attribute("value")
    sent = outsider.page.request.post(
        f"{page.url}/vote", form={"csrf_token": token or "", "choice": "for"}, max_redirects=0
    )
    assert sent.status == 403
    assert refusal in sent.text()
    outsider.context.close()

    choices = ["For the recall"] * 7 + ["Against the recall"] * 2 + ["Abstain"]
    for i, choice in enumerate(choices):
        voter = f"Carter {i + 1}"
        viewport = PHONE if i % 3 else DESKTOP
        if i == 2:
            person = log_in(browser, union, voter, PHONE)
            person.page.locator(".ballot-card").get_by_role("link", name="Vote").click()
            assert_accessible(person.page)
            shot(person.page, "ballot-recall")
            person.context.close()
        vote_for(browser, union, voter, viewport, choice, title)

    page.reload()
    expect(page.get_by_test_id("turnout")).to_have_text("10 of 10 electors have voted")
    page.click("#close-ballot")
    expect(page.get_by_test_id("recall-outcome")).to_have_text(
        "Carried: Carter 1 is recalled, and the mandate has ended."
    )
    assert_accessible(page)
    shot(page, "recall-result")
    secretary.context.close()

    with union.uow as uow:
        ended = uow.repo.get(Mandate, target.id)
    assert ended.end_reason is MandateEnd.RECALL

    # Carter 3's page: the delegate recalled is gone; the recall is among the past ballots.
    person = log_in(browser, union, "Carter 3", DESKTOP)
    # Reached from another page by the navigation (a boosted link: only the body is
    # swapped), the page keeps its styles.
    person.page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Federation"
    ).click()
    person.page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My membership"
    ).click()
    expect(person.page.locator("h1")).to_have_text("My membership")
    expect(person.page.locator(".card").first).to_have_css("border-radius", "8px")
    expect(person.page.get_by_test_id(f"delegate-{target.id}")).to_have_count(0)
    expect(person.page.locator(".past")).to_contain_text(title)
    assert_accessible(person.page)
    shot(person.page, "membership-after")
    person.context.close()


def test_a_ranked_ballot_is_filled_with_numbered_choices_from_the_keyboard(
    browser: Browser, union: Union
) -> None:
    dyers = [union.ids[f"Dyer {i}"] for i in (1, 2, 3)]
    ballot = ballots.open_ballot(
        union.uow,
        kind=BallotKind.ELECTION,
        constituency_id=union.places["Dye house"],
        method=ElectionMethod.IRV,
        candidate_ids=dyers,
        closes_at=datetime.now(UTC) + timedelta(days=1),
        actor="test",
    )
    title = ballot.title
    rankings = {
        "Dyer 1": ["Dyer 3", "Dyer 1"],
        "Dyer 2": ["Dyer 2", "Dyer 3"],
        "Dyer 3": ["Dyer 3"],
    }
    for voter, ranking in rankings.items():
        person = log_in(browser, union, voter, PHONE)
        page = person.page
        page.locator(".ballot-card", has_text=title).get_by_role("link", name="Vote").click()
        expect(page.get_by_label("Choice 1", exact=True)).to_be_visible()
        if voter == "Dyer 1":
            # From the keyboard alone: each numbered choice is a labelled select.
            assert_accessible(page)
            page.get_by_label("Choice 1", exact=True).focus()
            for choice in ranking:
                page.keyboard.type(choice)
                page.keyboard.press("Tab")
            expect(page.get_by_label("Choice 1", exact=True)).to_have_value(
                str(union.ids["Dyer 3"])
            )
            shot(page, "ballot-ranked")
            page.locator("#cast").focus()
            page.keyboard.press("Enter")
        else:
            for position, choice in enumerate(ranking, start=1):
                page.get_by_label(f"Choice {position}", exact=True).select_option(label=choice)
            page.click("#cast")
        expect(page.get_by_test_id("recorded")).to_be_visible()
        person.context.close()

    secretary = log_in_admin(browser, union, DESKTOP)
    page = secretary.page
    page.goto(f"{union.server.url}/ballots/{ballot.id}")
    expect(page.get_by_test_id("turnout")).to_have_text("3 of 3 electors have voted")
    page.click("#close-ballot")
    # Dyer 3 has two first choices of three: a majority at once.
    expect(page.get_by_test_id("elected")).to_have_text("Elected: Dyer 3")
    secretary.context.close()
