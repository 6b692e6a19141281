"""What every `smolny` command shares: the consoles, the database, --at and --format."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from smolny.domain.errors import DomainError
from smolny.moments import EXPECTED, parse_moment
from smolny.settings import Settings
from smolny.store.database import connect
from smolny.store.migrate import current_revision, head_revision, is_current
from smolny.store.uow import UnitOfWork

out = Console()
err = Console(stderr=True)
ACTOR = "cli"  # who the ledger says made a change from the command line


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


def moment(value: str | None) -> datetime | None:
    """The --at option's moment (None: now)."""
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not {EXPECTED}", param_hint="--at") from None


AtOption = Annotated[
    str | None,
    typer.Option("--at", help="Show the state as of this moment: a date (end of day) or time."),
]
FormatOption = Annotated[Format, typer.Option("--format", help="table or json.")]


class TabularFormat(StrEnum):
    """For what a spreadsheet can hold too: a composition, an election's rounds."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


TabularFormatOption = Annotated[
    TabularFormat, typer.Option("--format", help="table, json or csv (UTF-8, header row).")
]


def engine(*, migrated: bool = True) -> Engine:
    """The database of SMOLNY_DATABASE_URL; refused with the reason if not initialized."""
    settings = Settings.from_env()
    connected = connect(settings.database_url)
    if migrated and not is_current(connected):
        raise DomainError(
            f"the database {connected.url.render_as_string()} is not initialized "
            f"(schema {current_revision(connected) or 'none'}, expected {head_revision()}): "
            "run `smolny init`"
        )
    return connected


def unit_of_work() -> UnitOfWork:
    return UnitOfWork(engine())
