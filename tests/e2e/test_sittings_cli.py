"""`smolny sitting ...` as a subprocess, on a copy of the demo federation: a sitting of the
Riverside City Council's Operations section, run from the command line, and checked
against the database read on our own connection."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.sittings import Choice, Motion, Sitting, Vote
from smolny.moments import parse_moment
from smolny.services import sittings
from smolny.services.composition import council_composition
from smolny.services.lookup import find_council
from smolny.services.verify import verify_ledger
from smolny.store.database import connect
from smolny.store.tables import mandates
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import DemoDatabase, run_smolny, said

RIVERSIDE = "Riverside City Council"


@pytest.fixture(scope="module")
def demo_url(demo_database: DemoDatabase) -> str:
    return demo_database.copy()


@pytest.fixture(scope="module")
def uow(demo_url: str) -> Iterator[UnitOfWork]:
    engine = connect(demo_url)
    yield UnitOfWork(engine)
    engine.dispose()


def smolny(url: str, *args: str) -> str:
    result = run_smolny(url, *args)
    assert result.returncode == 0, said(result)
    return said(result)


def test_a_sitting_of_one_section_run_from_the_command_line(
    demo_url: str, uow: UnitOfWork, tmp_path: Path
) -> None:
    riverside = find_council(uow, RIVERSIDE)
    composition = council_composition(uow, riverside.id)
    operations = [d for d in composition.delegates if d.section and d.section.name == "Operations"]
    maintenance = next(
        d for d in composition.delegates if d.section and d.section.name == "Maintenance"
    )
    with uow:
        recalled = uow.repo.first(
            Mandate,
            mandates.c.council_id == riverside.id,
            mandates.c.end_reason == MandateEnd.RECALL,
        )
    assert recalled is not None
    with uow:
        recalled_name = uow.repo.members_by_id([recalled.member_id])[recalled.member_id].name

    # The demo holds other sittings (Petrograd 1917): this one's ids come next.
    with uow:
        sitting = uow.repo.peek_id(Sitting)
        motion = uow.repo.peek_id(Motion)
        vote = uow.repo.peek_id(Vote)

    assert f"Sitting {sitting} convened" in smolny(
        demo_url,
        "sitting",
        "convene",
        RIVERSIDE,
        "Operations section",
        "--date",
        "2026-05-12",
        "--section",
        "Operations",
        "--at",
        "2026-05-12T17:00",
    )
    smolny(
        demo_url,
        "sitting",
        "open",
        str(sitting),
        "--chair",
        operations[0].member.number,
        "--at",
        "2026-05-12T18:00",
    )
    # The recalled delegate is refused at the door, with the date and the reason.
    refused = run_smolny(
        demo_url, "sitting", "check-in", str(sitting), recalled_name, "--at", "2026-05-12T18:01"
    )
    assert refused.returncode == 1
    assert f"error: {recalled_name} holds no seat in {RIVERSIDE} since 2026-04-14 (recall)" in said(
        refused
    )
    # So is a delegate of the other section.
    other = run_smolny(
        demo_url,
        "sitting",
        "check-in",
        str(sitting),
        maintenance.member.number,
        "--at",
        "2026-05-12T18:01",
    )
    assert other.returncode == 1
    assert "sits in the Maintenance section" in said(other)

    text = smolny(
        demo_url, "sitting", "check-in", str(sitting), "--all", "--at", "2026-05-12T18:02"
    )
    seated = len(operations)
    assert f"{seated} checked in. {seated} present of {seated} seated" in text
    smolny(
        demo_url,
        "sitting",
        "agenda-add",
        str(sitting),
        "Fares",
        "--kind",
        "motion",
        "--at",
        "2026-05-12T18:03",
    )
    assert "item 1, Fares" in smolny(
        demo_url, "sitting", "agenda-next", str(sitting), "--at", "2026-05-12T18:04"
    )
    speaker = operations[1].member
    assert "number 1 on the speakers' list" in smolny(
        demo_url, "sitting", "ask", str(sitting), speaker.number, "--at", "2026-05-12T18:05"
    )
    assert f"{speaker.name} has the floor" in smolny(
        demo_url, "sitting", "floor", str(sitting), "--at", "2026-05-12T18:06"
    )
    smolny(
        demo_url,
        "sitting",
        "table",
        str(sitting),
        "Free fares",
        "--text",
        "Fares are abolished.",
        "--faction",
        "Rank and File",
        "--at",
        "2026-05-12T18:10",
    )
    smolny(
        demo_url,
        "sitting",
        "amend",
        str(motion),
        "--text",
        "Fares are halved.",
        "--member",
        speaker.number,
        "--at",
        "2026-05-12T18:11",
    )
    smolny(
        demo_url,
        "sitting",
        "line",
        str(motion + 1),
        "Rank and File",
        "against",
        "--at",
        "2026-05-12T18:12",
    )
    smolny(
        demo_url,
        "sitting",
        "vote-open",
        str(motion + 1),
        "--mode",
        "roll-call",
        "--at",
        "2026-05-12T18:13",
    )
    # Three ballots from the command line (one of them a Rank and File delegate's, against
    # the faction's line); the others through the services on our own connection.
    rank_and_file = [d for d in operations if d.faction_name == "Rank and File"]
    by_cli = [rank_and_file[0], *[d for d in operations if d not in rank_and_file][:2]]
    for delegate in by_cli:
        answer = smolny(
            demo_url,
            "sitting",
            "vote-cast",
            str(vote),
            delegate.member.number,
            "for",
            "--at",
            "2026-05-12T18:14",
        )
        assert f"{delegate.member.name} voted for" in answer
    for delegate in operations:
        if delegate not in by_cli:
            sittings.cast_vote(
                uow,
                vote_id=vote,
                member_id=delegate.member.id,
                choice=Choice.FOR,
                actor="test",
                at=parse_moment("2026-05-12T18:14"),
            )
    closed = smolny(demo_url, "sitting", "vote-close", str(vote), "--at", "2026-05-12T18:15")
    assert f"carried, {seated} for, 0 against, 0 abstaining" in closed
    assert "Rank and File line against: broken by" in closed
    recorded = smolny(
        demo_url,
        "sitting",
        "vote-record",
        str(motion),
        "--for",
        "2",
        "--against",
        str(seated - 2),
        "--at",
        "2026-05-12T18:20",
    )
    assert f"lost, 2 for, {seated - 2} against, 0 abstaining" in recorded

    shown = json.loads(
        run_smolny(
            demo_url,
            "sitting",
            "show",
            str(sitting),
            "--format",
            "json",
            "--at",
            "2026-05-12T18:16",
        ).stdout
    )
    assert shown["sections"] == ["Operations"]
    assert shown["presence"]["present"] == seated
    assert shown["motions"][0]["text"] == "Fares are halved."
    assert shown["motions"][0]["status"] == "pending"
    names = shown["motions"][1]["votes"][0]["names"]["for"]
    assert len(names) == seated
    table = smolny(demo_url, "sitting", "show", str(sitting), "--at", "2026-05-12T18:16")
    assert "Operations section" in table
    assert "Free fares" in table

    smolny(demo_url, "sitting", "close", str(sitting), "--at", "2026-05-12T19:00")
    minutes = run_smolny(demo_url, "sitting", "minutes", str(sitting))
    assert minutes.returncode == 0
    assert "# Minutes: Operations section" in minutes.stdout
    assert f"**lost, 2 for, {seated - 2} against, 0 abstaining" in minutes.stdout
    assert "Rank and File line “against”: broken by" in minutes.stdout
    document = json.loads(
        run_smolny(demo_url, "sitting", "minutes", str(sitting), "--format", "json").stdout
    )
    assert document["closed_at"] == "2026-05-12T19:00:00+00:00"
    listing = json.loads(
        run_smolny(demo_url, "sitting", "list", RIVERSIDE, "--format", "json").stdout
    )
    assert [(x["id"], x["status"], x["votes"]) for x in listing] == [(sitting, "closed", 2)]
    with uow:
        assert uow.repo.peek_id(Vote) == vote + 2
    assert verify_ledger(uow).ok


def test_an_election_in_a_sitting_from_lists_and_from_a_ballot_file(
    demo_url: str, uow: UnitOfWork, tmp_path: Path
) -> None:
    harbor = find_council(uow, "Harbor City Council")
    delegates = council_composition(uow, harbor.id).delegates
    smolny(
        demo_url,
        "sitting",
        "convene",
        "Harbor City Council",
        "Plenary",
        "--date",
        "2026-06-02",
        "--at",
        "2026-06-02T17:00",
    )
    listing = json.loads(
        run_smolny(demo_url, "sitting", "list", "Harbor City Council", "--format", "json").stdout
    )
    sid = str(listing[0]["id"])
    smolny(demo_url, "sitting", "open", sid, "--at", "2026-06-02T18:00")
    smolny(demo_url, "sitting", "check-in", sid, "--all", "--at", "2026-06-02T18:01")
    elected = smolny(
        demo_url,
        "sitting",
        "elect",
        sid,
        "Harbor Executive Committee",
        "--seats",
        "3",
        "--list",
        "Rank and File",
        "--list",
        "Members First",
        "--list",
        "Solidarity",
        "--at",
        "2026-06-02T18:10",
    )
    assert "Harbor Executive Committee elected" in elected
    # A ranked ballot file over three delegates, by membership number.
    three = delegates[:3]
    ballots = tmp_path / "chair.csv"
    ballots.write_text(
        "ballot,rank1,rank2,rank3\n"
        + "".join(
            f"{i},{a},{b},{c}\n"
            for i, (a, b, c) in enumerate(
                [(three[0].member.number, three[1].member.number, three[2].member.number)] * 5
                + [(three[1].member.number, three[0].member.number, three[2].member.number)] * 3,
                start=1,
            )
        )
    )
    result = run_smolny(
        demo_url,
        "sitting",
        "elect",
        sid,
        "Harbor Executive Committee",
        "--seats",
        "1",
        "--ballots",
        str(ballots),
        "--at",
        "2026-06-02T18:20",
    )
    assert result.returncode == 0, said(result)
    assert "elected (election" in said(result)
    assert three[0].member.name in said(result)
    shown = json.loads(run_smolny(demo_url, "sitting", "show", sid, "--format", "json").stdout)
    assert [e["method"] for e in shown["elections"]] == ["D'Hondt", "instant runoff"]
    assert shown["elections"][1]["elected"] == [three[0].member.name]
