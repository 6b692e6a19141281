"""Fixtures: a fresh migrated database per test, on SQLite and on PostgreSQL.

PostgreSQL tests run when SMOLNY_TEST_DATABASE_URL names a server database where the
tests may create databases; with CI=true a missing or unreachable server fails the run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from smolny.store.database import connect, normalize_url
from smolny.store.migrate import upgrade
from smolny.store.uow import UnitOfWork

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("SMOLNY_TEST_DATABASE_URL", "")


def _elections_dir() -> Path:
    """The public election data (read in place, never copied): SMOLNY_ELECTIONS_DIR, or
    ../shared/elections beside the project, or where this workplace keeps it."""
    named = os.environ.get("SMOLNY_ELECTIONS_DIR")
    candidates = [Path(named)] if named else []
    candidates += [Path(__file__).resolve().parents[2] / "shared" / "elections"]
    candidates += [Path("/work/shared/elections")]
    return next((p for p in candidates if p.is_dir()), candidates[0])


ELECTIONS = _elections_dir()


def at(day: str, hour: int = 12) -> datetime:
    """A moment in tests: at("2026-03-01") is noon UTC that day."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: PostgreSQL and browser tests must run)")
    pytest.skip(reason)


class PostgresServer:
    """Creates databases on the test server: one migrated template, copies per test."""

    def __init__(self, url: str) -> None:
        self.url = make_url(normalize_url(url))
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.template = f"smolny_template_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as connection:
            suffix = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        self.created.append(name)
        return self.url_for(name)

    def prepare_template(self) -> None:
        engine = connect(self.create(self.template))
        upgrade(engine)
        engine.dispose()

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if not PG_URL:
        missing("SMOLNY_TEST_DATABASE_URL is not set")
    server = PostgresServer(PG_URL)
    try:
        server.prepare_template()
    except Exception as error:  # an unreachable server is a skip, or a failure in CI
        server.admin.dispose()
        missing(f"PostgreSQL at {PG_URL} is not usable: {error}")
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "smolny.sqlite3"
    engine = connect(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, migrated database on the backend under test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "smolny.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create(f"smolny_test_{uuid.uuid4().hex[:10]}", template=server.template)


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database (no schema) on the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create(f"smolny_empty_{uuid.uuid4().hex[:10]}")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = connect(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine, clock=lambda: at("2026-06-01"))
