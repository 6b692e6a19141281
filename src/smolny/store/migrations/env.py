"""Alembic environment: runs against the engine Smolny hands it (see smolny.store.migrate)."""

from alembic import context
from sqlalchemy import Engine

from smolny.store.catalog import metadata

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through `smolny init` (smolny.store.migrate)")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
