"""`smolny congress` as a subprocess, as a user runs it, on a database where the soviets
and their deputies were built through the services (tests/builders_congress.py). What the
commands print is checked against the services, read on our own connection."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from smolny.domain.elections import CandidateTally, ElectionMethod
from smolny.moments import parse_moment
from smolny.services import congress, elections, petitions
from smolny.services.verify import verify_ledger
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_congress import Soviets, build_soviets, credentials_commission, deputies
from tests.conftest import at
from tests.e2e.conftest import run_smolny, said

CONGRESS = "All-Russian Congress of Soviets"


@pytest.fixture
def soviets(database_url: str) -> Iterator[tuple[Soviets, UnitOfWork]]:
    engine = connect(database_url)
    uow = UnitOfWork(engine)
    yield build_soviets(uow), uow
    engine.dispose()


def smolny(database_url: str, *args: str) -> str:
    result = run_smolny(database_url, *args)
    assert result.returncode == 0, said(result)
    return said(result)


def test_the_congress_commands_apportion_convene_and_check_credentials(
    database_url: str, soviets: tuple[Soviets, UnitOfWork]
) -> None:
    built, uow = soviets
    told = smolny(
        database_url, "congress", "apportion", CONGRESS, "step:10:2:10:8", "--at", "1917-05-20"
    )
    assert "7 seats for 61 electors." in told
    assert "Must combine: Tver Soviet, Klin Soviet" in told
    as_json = json.loads(
        run_smolny(
            database_url,
            "congress",
            "apportion",
            CONGRESS,
            "step:25000:2:25000:8",
            "--reported",
            "Petrograd Soviet=400000",
            "--reported",
            "Moscow Soviet=50000",
            "--reported",
            "Tver Soviet=24999",
            "--reported",
            "Klin Soviet=25000",
            "--at",
            "1917-05-21",
            "--format",
            "json",
        ).stdout
    )
    assert {r["name"]: r["seats"] for r in as_json["constituencies"]} == {
        "Petrograd Soviet": 8,
        "Moscow Soviet": 3,
        "Tver Soviet": 0,
        "Klin Soviet": 2,
    }
    assert as_json == congress.apportionment_document(
        congress.apportionment_view(uow, built.congress.id, parse_moment("1917-05-21"))
    )
    bad = run_smolny(
        database_url, "congress", "apportion", CONGRESS, "step:10", "--at", "1917-05-22"
    )
    assert bad.returncode == 1
    assert "step:THRESHOLD:FIRST:PER[:MAX]" in said(bad)

    # Moscow's deputies elect three delegates, through the services.
    moscow = deputies(uow, built.soviets["Moscow Soviet"].id, at("1917-05-25"))
    elections.elect_delegates(
        uow,
        constituency_id=built.seats["Moscow Soviet"].id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(m.member_id, 9 - k) for k, m in enumerate(moscow[:3])],
        actor="test",
        at=at("1917-05-25"),
    )
    commission = credentials_commission(uow, built, at("1917-05-26"))
    with uow:
        members = uow.repo.members_by_id(m.member_id for m in moscow)
    first, second, third = (members[m.member_id] for m in moscow[:3])

    told = smolny(
        database_url, "congress", "convene", CONGRESS, "First Congress", "--at", "1917-06-03T10:00"
    )
    assert "First Congress opened 1917-06-03T10:00:00+00:00" in told
    told = smolny(
        database_url, "congress", "credentials", "check", CONGRESS, first.number,
        "--from", "Moscow Soviet", "--at", "1917-06-03T11:00",
    )  # fmt: skip
    assert told == f"Seated: {first.name} (from Moscow Soviet)."
    told = smolny(
        database_url, "congress", "credentials", "check", CONGRESS, second.name,
        "--from", "Petrograd Soviet", "--at", "1917-06-03T11:05", "--format", "json",
    )  # fmt: skip
    checked = json.loads(told)
    assert checked["seated"] is False
    assert checked["reason"] == "no-mandate"
    assert checked["detail"].endswith("(holds one from Moscow Soviet instead)")
    told = smolny(
        database_url, "congress", "credentials", "refuse", CONGRESS, third.number,
        "--by", commission.name, "--from", "Moscow Soviet",
        "--reason", "elected after the list closed", "--at", "1917-06-04",
    )  # fmt: skip
    assert told == (
        f"Refused: {third.name} (from Moscow Soviet): refused by Credentials Commission: "
        "elected after the list closed."
    )
    not_a_body = run_smolny(
        database_url, "congress", "credentials", "refuse", CONGRESS, first.number,
        "--by", "Moscow Soviet", "--reason", "x", "--at", "1917-06-05",
    )  # fmt: skip
    assert not_a_body.returncode == 1
    assert "error: Moscow Soviet does not hold the check-credentials power" in said(not_a_body)

    report = json.loads(
        smolny(
            database_url,
            "congress",
            "credentials",
            "report",
            CONGRESS,
            "--at",
            "1917-06-05",
            "--format",
            "json",
        )
    )
    assert report == congress.report_document(
        congress.credentials_report(uow, report["convocation_id"], parse_moment("1917-06-05"))
    )
    assert [r["name"] for r in report["seated"]] == [first.name]
    assert report["refused_count"] == 2
    table = smolny(
        database_url, "congress", "credentials", "report", CONGRESS, "--at", "1917-06-05"
    )
    assert "1 seated, 2 refused" in table
    assert "elected after the list closed" in table

    shown = json.loads(
        smolny(database_url, "congress", "show", CONGRESS, "--at", "1917-06-05", "--format", "json")
    )
    assert shown["in_session"] is True
    assert (
        shown["seated_by_faction"]
        == congress.congress_document(
            congress.congress_view(uow, built.congress.id, parse_moment("1917-06-05"))
        )["seated_by_faction"]
    )
    told = smolny(database_url, "congress", "close", CONGRESS, "--at", "1917-06-24")
    assert "First Congress closed 1917-06-24" in told
    closed = run_smolny(
        database_url, "congress", "credentials", "check", CONGRESS, second.number,
        "--from", "Moscow Soviet", "--at", "1917-06-25",
    )  # fmt: skip
    assert closed.returncode == 1
    assert "is not in session on 1917-06-25" in said(closed)
    assert verify_ledger(uow).ok


def test_the_petition_commands_gather_signatures_and_hold_the_recall_vote(
    database_url: str, soviets: tuple[Soviets, UnitOfWork]
) -> None:
    built, uow = soviets
    workers = built.members["Tver Soviet"]
    delegate = workers[0]  # the Tver Soviet's first deputy
    told = smolny(
        database_url, "congress", "petition-open", "Tver Soviet", delegate.number,
        "--by", workers[5].number, "--reason", "never reports back", "--at", "1917-06-01",
    )  # fmt: skip
    assert told == f"Petition 1 to recall {delegate.name}: 1 of 2 signatures."
    short = run_smolny(database_url, "congress", "recall-vote", "1", "--for", "5", "--against", "0")
    assert short.returncode == 1
    assert "has 1 of the 2 signatures it needs" in said(short)
    stranger = run_smolny(
        database_url, "congress", "petition-sign", "1", built.members["Klin Soviet"][0].number
    )
    assert stranger.returncode == 1
    assert "is not a member of Tver factories" in said(stranger)
    told = smolny(
        database_url, "congress", "petition-sign", "1", workers[4].name, "--at", "1917-06-02"
    )
    assert told.endswith("2 of 2 signatures — threshold reached: it goes to a recall vote.")
    again = run_smolny(database_url, "congress", "petition-sign", "1", workers[4].number)
    assert again.returncode == 1
    assert "already signed" in said(again)
    told = smolny(
        database_url, "congress", "recall-vote", "1", "--for", "4", "--against", "2",
        "--at", "1917-06-03",
    )  # fmt: skip
    assert told.startswith(
        f"Recall of {delegate.name} carried: the mandate ended (4 for, 2 against"
    )
    status = json.loads(
        smolny(
            database_url,
            "congress",
            "petition-status",
            "1",
            "--at",
            "1917-06-04",
            "--format",
            "json",
        )
    )
    assert status == petitions.petition_document(
        petitions.petition_view(uow, 1, parse_moment("1917-06-04"))
    )
    assert status["status"] == "recalled"
    before = smolny(database_url, "congress", "petition-status", "1", "--at", "1917-06-01")
    assert "Signatures: 1 of 2 needed (1/5 of 6)" in before
    assert "collecting signatures" in before
    listed = json.loads(
        smolny(database_url, "congress", "petitions", "Tver Soviet", "--format", "json")
    )
    assert [(p["delegate"], p["status"]) for p in listed["petitions"]] == [
        (delegate.name, "recalled")
    ]
    assert verify_ledger(uow).ok
