"""Schema changes, only through Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The schema's revision(s), comma-separated when branches are not merged yet."""
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def head_revision() -> str | None:
    return ",".join(sorted(ScriptDirectory(str(MIGRATIONS)).get_heads())) or None


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
