"""`smolny verify` as a subprocess on member ballots: OK once members have voted and the
ballots closed; after a slip is changed behind Smolny's back, it fails and says which ballot,
which constituency, and what the box counted again gives against the result recorded."""

from __future__ import annotations

from sqlalchemy import text

from smolny.domain.ballots import MemberBallot
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import run_smolny, said
from tests.integration.test_member_ballots_verify import build_voted, change_slip


def test_verify_recounts_member_ballots_and_names_a_changed_slip(database_url: str) -> None:
    engine = connect(database_url)
    try:
        uow = UnitOfWork(engine)
        voted = build_voted(uow)
        with uow:
            recall_vote = uow.repo.get(MemberBallot, voted.recall).recall_vote_id
        with engine.connect() as connection:
            events = connection.execute(text("SELECT count(*) FROM events")).scalar_one()
    finally:
        engine.dispose()

    result = run_smolny(database_url, "verify")
    assert result.returncode == 0, said(result)
    assert said(result).startswith(
        f"OK: {events} events, chain intact, tables and ballot boxes match the ledger"
    )

    engine = connect(database_url)
    try:
        change_slip(engine, voted.recall, "for", "against")
    finally:
        engine.dispose()
    result = run_smolny(database_url, "verify")
    assert result.returncode == 1, said(result)
    assert said(result) == (
        f"FAILED: the tables: member ballot {voted.recall} in Works: counting its box again "
        "gives 13 for, 7 against, 2 abstaining, not the 14 for, 6 against, 2 abstaining of "
        f"recall vote {recall_vote}"
    )
