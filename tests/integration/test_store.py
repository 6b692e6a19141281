"""The store: migrations from empty, the ledger's tamper evidence, one writer at a time."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text, update

from smolny.services import federation
from smolny.services.verify import verify_ledger
from smolny.store.catalog import metadata
from smolny.store.database import connect
from smolny.store.migrate import current_revision, downgrade, head_revision, upgrade
from smolny.store.tables import events, mandates
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR, build_city, elect_city
from tests.conftest import at


def test_migrations_build_the_schema_from_empty_and_match_the_tables(
    empty_database_url: str,
) -> None:
    engine = connect(empty_database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
            head = connection.execute(text("SELECT seq, hash FROM ledger_head")).one()
        assert differences == []
        assert tuple(head) == (0, "0" * 64)
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_one_changed_byte_of_a_stored_event_fails_verify_naming_it(
    uow: UnitOfWork, engine: Engine
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    assert verify_ledger(uow).ok
    with engine.begin() as connection:
        body = connection.execute(select(events.c.body).where(events.c.seq == 7)).scalar_one()
        position = body.index('"name":"') + len('"name":"')
        altered = body[:position] + chr(ord(body[position]) ^ 1) + body[position + 1 :]
        connection.execute(update(events).where(events.c.seq == 7).values(body=altered))
    result = verify_ledger(uow)
    assert not result.ok
    assert result.bad_event == 7
    assert "event #7" in (result.problem or "")


def test_a_changed_state_row_fails_verify_naming_the_event_that_wrote_it(
    uow: UnitOfWork, engine: Engine
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    with engine.begin() as connection:
        connection.execute(
            update(mandates).where(mandates.c.id == 2).values(faction_id=city.factions["Right"].id)
        )
    result = verify_ledger(uow)
    assert not result.ok
    assert "mandate 2 differs: faction_id" in (result.problem or "")
    with uow:
        written_by = [
            e.seq
            for e in uow.ledger.stored()
            if e.kind == "delegates-elected" and '"mandate_id":2,' in e.body
        ]
    assert result.bad_event == written_by[0]


def test_a_row_no_event_created_is_found(uow: UnitOfWork, engine: Engine) -> None:
    build_city(uow)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sections (id, council_id, name) VALUES (99, 1, 'Smuggled section')")
        )
    result = verify_ledger(uow)
    assert not result.ok
    assert result.problem == "the tables: section 99 is in the tables but no event created it"


def test_a_refused_change_leaves_no_trace(uow: UnitOfWork, engine: Engine) -> None:
    city = build_city(uow)
    with engine.connect() as connection:
        before = connection.execute(select(events.c.seq)).all()
    with pytest.raises(Exception, match="already exists"):
        federation.create_faction(
            uow, organization_id=city.organization.id, name="Left", actor=ACTOR
        )
    with engine.connect() as connection:
        assert connection.execute(select(events.c.seq)).all() == before


def test_concurrent_writers_are_serialized_and_the_chain_stays_whole(
    uow: UnitOfWork, engine: Engine
) -> None:
    city = build_city(uow)
    errors: list[BaseException] = []

    def enroll(n: int) -> None:
        try:
            for i in range(5):
                federation.enroll_member(
                    UnitOfWork(engine, clock=lambda: at("2026-06-01")),
                    organization_id=city.organization.id,
                    name=f"Thread {n} member {i}",
                    constituency_ids=[city.factory.id],
                    actor=ACTOR,
                )
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [threading.Thread(target=enroll, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with uow:
        assert len(uow.repo.members_of(city.factory.id)) == 10 + 20
    assert verify_ledger(uow).ok
