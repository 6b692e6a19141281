"""Downloads through the services, on SQLite and PostgreSQL: each CSV read back equals the
view its page shows, each JSON holds the documents the API serves, and the printable
minutes carry every result.

The chamber (tests/builders_sittings.py) is the test city's council, sitting on 12 May
2026: eight delegates present, a roll-call vote, a show of hands, a secret vote, and a
vote still open at 18:20.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from smolny.domain.elections import ElectionMethod, RankedBallot
from smolny.domain.errors import NotFound
from smolny.domain.sittings import Choice, VoteMode
from smolny.services import downloads, elections, sittings
from smolny.services.composition import (
    composition_document,
    council_composition,
    council_view,
    election_view,
)
from smolny.store.uow import UnitOfWork
from smolny.web.printing import PdfUnavailable, html_to_pdf, minutes_print_html
from tests.builders import ACTOR, build_city, elect_city
from tests.builders_sittings import EVERYONE, Chamber, build_chamber, t
from tests.conftest import at, missing

CHROMIUM = "/usr/bin/chromium"


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """A download read back as a spreadsheet would: the BOM, then a header row."""
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body)
    return header, [dict(zip(header, row, strict=True)) for row in body]


# -- compositions ------------------------------------------------------------------------------


def test_the_composition_csv_has_a_row_per_delegate_as_the_council_page(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    view = council_view(uow, city.council.id, at("2026-03-01"))
    composition = view.composition
    header, rows = read_csv(downloads.composition_csv(composition))
    assert header == ["name", "number", "faction", "section", "constituency", "since"]
    assert [
        (r["name"], r["number"], r["faction"], r["section"], r["constituency"], r["since"])
        for r in rows
    ] == [
        (
            d.member.name,
            d.member.number,
            d.faction_name,
            d.section.name if d.section else "",
            d.origin,
            d.mandate.valid_from.date().isoformat(),
        )
        for d in composition.delegates
    ]
    # The counts the page shows: filled seats, seats by faction and by section.
    assert len(rows) == composition.filled == 8
    assert Counter(r["faction"] for r in rows) == composition.seats_by_faction()
    assert Counter(r["section"] for r in rows) == {
        s.section.name: s.seats for s in view.composition.sections
    }
    assert downloads.composition_file_name(composition, "csv") == (
        "composition-city-council-2026-03-01.csv"
    )


def test_the_composition_json_is_the_composition_document_with_numbers(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    composition = council_composition(uow, city.council.id, at("2026-03-01"))
    document = downloads.composition_json(composition)
    assert document == {"council_id": city.council.id, **composition_document(composition)}
    assert json.loads(json.dumps(document)) == document
    numbers = {d.member.name: d.member.number for d in composition.delegates}
    assert {d["name"]: d["number"] for d in document["delegates"]} == numbers  # type: ignore[attr-defined]


# -- elections ---------------------------------------------------------------------------------


def elections_of(uow: UnitOfWork, council_id: int) -> list[int]:
    with uow:
        return [e.id for e in uow.repo.elections_of(council_id)]


def test_the_election_csv_has_the_tallies_of_every_round_and_who_was_elected(
    uow: UnitOfWork,
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    factory, regiment = elections_of(uow, city.council.id)

    plurality = election_view(uow, regiment)
    header, rows = read_csv(downloads.election_csv(plurality))
    result = plurality.election.result
    assert header == ["candidate", "round 1", "elected"]
    assert [r["candidate"] for r in rows] == result["candidates"]
    for row in rows:
        assert int(row["round 1"]) == result["rounds"][0]["tallies"][row["candidate"]]
    elected = {r["candidate"]: int(r["elected"]) for r in rows if r["elected"]}
    assert elected == {name: i for i, name in enumerate(result["elected"], start=1)}
    assert len(elected) == plurality.election.seats == 3

    lists = election_view(uow, factory)
    header, rows = read_csv(downloads.election_csv(lists))
    assert header == ["list", "round 1", "seats", "elected"]
    by_list = {row["name"]: row for row in lists.election.result["lists"]}
    assert {r["list"]: (int(r["round 1"]), int(r["seats"])) for r in rows} == {
        name: (row["votes"], row["seats"]) for name, row in by_list.items()
    }
    assert {r["list"]: r["elected"].split("; ") if r["elected"] else [] for r in rows} == {
        name: row["elected"] for name, row in by_list.items()
    }
    assert sum(int(r["seats"]) for r in rows) == 5


def test_an_stv_count_keeps_its_fractions_its_exhausted_votes_and_its_quota(
    uow: UnitOfWork,
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    # Ten electors, five seats, quota 2: A's surplus of 1 goes on at 1/3 of a vote per
    # ballot, two ballots to B and one exhausted.
    a, b, c, d, e, f = (m.id for m in city.members["Factory"][:6])
    ballots = [
        RankedBallot((a, b), 2),
        RankedBallot((a,), 1),
        RankedBallot((c,), 2),
        RankedBallot((d,), 2),
        RankedBallot((e, f), 1),
        RankedBallot((f,), 2),
    ]
    election = elections.elect_delegates(
        uow,
        constituency_id=city.factory.id,
        method=ElectionMethod.SCOTTISH_STV,
        standing=[a, b, c, d, e, f],
        ballots=ballots,
        actor=ACTOR,
        at=at("2026-05-01"),
    )
    view = election_view(uow, election.id)
    result = view.election.result
    header, rows = read_csv(downloads.election_csv(view))
    rounds = result["rounds"]
    assert header == ["candidate", *[f"round {r['round']}" for r in rounds], "elected"]
    by_name = {r["candidate"]: r for r in rows}
    for name in result["candidates"]:
        for rnd in rounds:
            cell, value = by_name[name][f"round {rnd['round']}"], rnd["tallies"].get(name)
            assert (cell == "") if value is None else float(cell) == pytest.approx(value, abs=5e-6)
    assert any("." in r[f"round {rnd['round']}"] for r in rows for rnd in rounds)  # a surplus
    exhausted = by_name["(non-transferable)"]
    assert [float(exhausted[f"round {r['round']}"]) for r in rounds] == pytest.approx(
        [r.get("exhausted") or 0 for r in rounds], abs=5e-6
    )
    assert {float(by_name["(quota)"][f"round {r['round']}"]) for r in rounds} == {
        r["quota"] for r in rounds
    }
    chosen = [n for n, r in by_name.items() if r["elected"]]
    assert sorted(chosen, key=lambda n: int(by_name[n]["elected"])) == result["elected"]
    assert len(chosen) == 5


def test_the_election_json_holds_the_recorded_result(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    view = election_view(uow, elections_of(uow, city.council.id)[1])
    document = downloads.election_document(view)
    assert document["result"] == view.election.result
    assert (document["where"], document["council"], document["method"]) == (
        "Regiment",
        "City Council",
        "plurality",
    )
    assert downloads.election_file_name(view, "json") == (
        f"election-{view.election.id}-regiment-2026-02-02.json"
    )


# -- a sitting's votes and minutes -------------------------------------------------------------


@dataclass
class Business:
    chamber: Chamber
    roll_call: int
    show_of_hands: int
    secret: int
    still_open: int


@pytest.fixture
def business(uow: UnitOfWork) -> Business:
    chamber = build_chamber(uow, title="Sitting on the «strike»")
    sid = chamber.sitting.id
    sittings.check_in(uow, sitting_id=sid, member_ids=chamber.ids(*EVERYONE), actor=ACTOR, at=t(18))

    def motion(title: str, minute: int) -> int:
        return sittings.table_motion(
            uow,
            sitting_id=sid,
            title=title,
            text=f"{title}: the council resolves so.",
            by_faction_id=chamber.faction("Left"),
            actor=ACTOR,
            at=t(18, minute),
        ).id

    def ballots(vote_id: int, choices: list[Choice], minute: int) -> None:
        for name, choice in zip(EVERYONE, choices, strict=False):
            sittings.cast_vote(
                uow,
                vote_id=vote_id,
                member_id=chamber.id(name),
                choice=choice,
                actor=ACTOR,
                at=t(18, minute),
            )

    first = motion("Strike fund", 1)
    roll = sittings.open_vote(
        uow, motion_id=first, mode=VoteMode.ROLL_CALL, actor=ACTOR, at=t(18, 2)
    ).id
    ballots(roll, [Choice.FOR] * 5 + [Choice.AGAINST, Choice.ABSTAIN], 3)
    sittings.close_vote(uow, vote_id=roll, actor=ACTOR, at=t(18, 4))
    second = motion("Delegates to the congress", 5)
    hands = sittings.record_totals(
        uow, motion_id=second, yes=2, no=5, abstain=1, actor=ACTOR, at=t(18, 6)
    ).id
    third = motion("A ballot on the chair", 7)
    secret = sittings.open_vote(
        uow, motion_id=third, mode=VoteMode.SECRET, actor=ACTOR, at=t(18, 8)
    ).id
    ballots(secret, [Choice.FOR] * 4 + [Choice.AGAINST] * 4, 9)
    sittings.close_vote(uow, vote_id=secret, actor=ACTOR, at=t(18, 10))
    fourth = motion("Next sitting", 11)
    still_open = sittings.open_vote(
        uow, motion_id=fourth, mode=VoteMode.ROLL_CALL, actor=ACTOR, at=t(18, 12)
    ).id
    ballots(still_open, [Choice.FOR] * 3, 13)
    return Business(chamber, roll, hands, secret, still_open)


def test_the_votes_csv_has_a_row_per_vote_with_the_counts_of_its_result(
    uow: UnitOfWork, business: Business
) -> None:
    view = sittings.minutes(uow, business.chamber.sitting.id, t(18, 20))
    header, rows = read_csv(downloads.votes_csv(view))
    assert header == list(downloads.VOTE_HEADER)
    states = [v for m in view.motions for v in m.votes]
    assert (
        [int(r["vote"]) for r in rows]
        == [s.vote.id for s in states]
        == [
            business.roll_call,
            business.show_of_hands,
            business.secret,
            business.still_open,
        ]
    )
    for row, state in zip(rows, states, strict=True):
        vote = state.vote
        assert (row["mode"], int(row["voted"])) == (vote.mode.value, state.voted)
        if not state.closed:
            assert row["outcome"] == "open"
            assert int(row["present"]) == state.present == 8
            assert row["for"] == row["against"] == row["abstain"] == row["required"] == ""
            continue
        counts = tuple(int(row[k]) for k in ("for", "against", "abstain", "required", "present"))
        assert counts == (vote.yes, vote.no, vote.abstain, vote.required, vote.present)
        assert row["outcome"] == vote.outcome.value  # type: ignore[union-attr]
        # What the page prints: "carried, 5 for, 1 against, 1 abstaining (needed 4 for)".
        words = sittings.result_words(vote)
        assert f"{row['for']} for, {row['against']} against, {row['abstain']} abstaining" in words
    assert [r["outcome"] for r in rows] == ["carried", "lost", "tied", "open"]
    assert downloads.votes_file_name(view, "csv") == "votes-city-council-2026-05-12.csv"


def test_a_vote_downloads_alone_in_the_same_columns_and_as_its_document(
    uow: UnitOfWork, business: Business
) -> None:
    view = sittings.vote_state(uow, business.roll_call)
    minutes = sittings.motion_view(uow, view.vote.motion_id)
    _, rows = read_csv(downloads.vote_csv(minutes, business.roll_call))
    _, every = read_csv(downloads.votes_csv(minutes))
    assert rows == [r for r in every if int(r["vote"]) == business.roll_call]
    document = downloads.vote_json(minutes, business.roll_call)
    assert document == {
        **sittings.vote_document(view),
        "motion_title": "Strike fund",
        "sitting": business.chamber.sitting.id,
        "sitting_title": "Sitting on the «strike»",
        "council": "City Council",
        "day": "2026-05-12",
    }
    assert (document["for"], document["against"], document["abstain"]) == (5, 1, 1)
    with pytest.raises(NotFound, match="vote 999 was not opened"):
        downloads.vote_csv(minutes, 999)


def test_a_roll_call_downloads_by_name_and_a_secret_vote_has_no_names(
    uow: UnitOfWork, business: Business
) -> None:
    view = sittings.motion_view(uow, sittings.get_vote(uow, business.roll_call).motion_id)
    header, rows = read_csv(downloads.roll_call_csv(view, business.roll_call))
    assert header == ["vote", "name", "choice"]
    state = sittings.vote_state(uow, business.roll_call)
    assert state.names is not None
    assert {(r["name"], r["choice"]) for r in rows} == {
        (name, choice.value) for choice, names in state.names.items() for name in names
    }
    assert Counter(r["choice"] for r in rows) == {"for": 5, "against": 1, "abstain": 1}
    for vote_id, mode in ((business.secret, "secret"), (business.show_of_hands, "show of hands")):
        view = sittings.motion_view(uow, sittings.get_vote(uow, vote_id).motion_id)
        with pytest.raises(NotFound, match=f"is by {mode}: no one's choice is recorded"):
            downloads.roll_call_csv(view, vote_id)


def test_the_minutes_json_is_the_minutes_document(uow: UnitOfWork, business: Business) -> None:
    view = sittings.minutes(uow, business.chamber.sitting.id, t(18, 20))
    document = downloads.minutes_json(view)
    assert document == sittings.minutes_document(view)
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document
    assert {"title", "day", "council", "presence", "motions", "timeline", "record"} <= set(document)
    assert downloads.minutes_file_name(view, "pdf") == "minutes-city-council-2026-05-12.pdf"


def test_the_printable_minutes_carry_every_result_and_nothing_to_load(
    uow: UnitOfWork, business: Business
) -> None:
    view = sittings.minutes(uow, business.chamber.sitting.id, t(18, 20))
    page = minutes_print_html(view)
    assert "<h1>Minutes: Sitting on the «strike»</h1>" in page
    for state in (v for m in view.motions for v in m.votes if v.closed):
        assert sittings.result_words(state.vote) in page
    assert "<strong>3</strong> of 8 present have voted" in page  # the vote still open
    assert "<script" not in page
    assert "<nav" not in page
    assert "default-src 'none'" in page
    assert 'href="/static' not in page  # the styles are inline
    assert "src=" not in page
    assert "size: A4" in page


# -- the PDF -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_pdf_prints_cyrillic_as_the_printable_page_shows_it(uow: UnitOfWork) -> None:
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is not installed at {CHROMIUM}")
    chamber = build_chamber(uow, title="Заседание Петроградского Совета")
    sittings.check_in(
        uow, sitting_id=chamber.sitting.id, member_ids=chamber.ids(*EVERYONE), actor=ACTOR, at=t(18)
    )
    motion = sittings.table_motion(
        uow,
        sitting_id=chamber.sitting.id,
        title="Вся власть Советам",
        text="Совет берёт власть.",
        by_faction_id=chamber.faction("Left"),
        actor=ACTOR,
        at=t(18, 1),
    )
    sittings.record_totals(
        uow, motion_id=motion.id, yes=6, no=1, abstain=1, actor=ACTOR, at=t(18, 2)
    )
    view = sittings.minutes(uow, chamber.sitting.id)
    pdf = html_to_pdf(minutes_print_html(view), chromium=CHROMIUM)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Minutes: Заседание Петроградского Совета" in text
    assert "Вся власть Советам" in text
    assert "Совет берёт власть." in text
    assert "carried, 6 for, 1 against, 1 abstaining" in text


def test_without_chromium_no_pdf_is_made_and_the_reason_says_how_to_install_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(PdfUnavailable, match="apt-get install chromium") as caught:
        html_to_pdf("<p>x</p>", chromium=str(tmp_path / "chromium"))
    assert f"there is none at {tmp_path / 'chromium'}" in caught.value.message
    assert caught.value.code == "unavailable"


def test_a_chromium_that_prints_nothing_or_hangs_is_refused_with_the_reason(
    tmp_path: Path,
) -> None:
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\necho 'no display' >&2\nexit 3\n")
    silent.chmod(0o755)
    with pytest.raises(PdfUnavailable, match=r"printed no PDF \(exit status 3\): no display"):
        html_to_pdf("<p>x</p>", chromium=str(silent))
    slow = tmp_path / "slow"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    with pytest.raises(PdfUnavailable, match="did not print the PDF within 1 s"):
        html_to_pdf("<p>x</p>", chromium=str(slow), timeout=1)
