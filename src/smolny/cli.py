"""The `smolny` command."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from smolny.domain.errors import DomainError
from smolny.ledger.chain import iso
from smolny.moments import EXPECTED, parse_moment
from smolny.services.composition import (
    composition_document,
    council_composition,
    find_council,
    list_councils,
)
from smolny.services.verify import verify_ledger
from smolny.settings import Settings
from smolny.store.database import connect
from smolny.store.migrate import current_revision, head_revision, is_current, upgrade
from smolny.store.uow import UnitOfWork

app = typer.Typer(
    help="Smolny: councils of elected, recallable delegates, with a tamper-evident ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
council_app = typer.Typer(help="Councils, congresses and committees.", no_args_is_help=True)
app.add_typer(council_app, name="council")

out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


def _moment(value: str | None) -> datetime | None:
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


def _engine(*, migrated: bool = True) -> Engine:
    settings = Settings.from_env()
    engine = connect(settings.database_url)
    if migrated and not is_current(engine):
        raise DomainError(
            f"the database {engine.url.render_as_string()} is not initialized "
            f"(schema {current_revision(engine) or 'none'}, expected {head_revision()}): "
            "run `smolny init`"
        )
    return engine


@app.command()
def init() -> None:
    """Create or upgrade the database schema (SMOLNY_DATABASE_URL)."""
    engine = _engine(migrated=False)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    where = engine.url.render_as_string()
    if before == after:
        out.print(f"Database {where} is up to date (schema {after}).")
    else:
        out.print(f"Database {where} migrated from {before or 'empty'} to schema {after}.")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the pages and the JSON API."""
    _engine()  # refuse early, with the reason, if the database is not ready
    _serve(host, port)


def _serve(host: str | None, port: int | None) -> None:
    import uvicorn

    from smolny.app import create_app

    settings = Settings.from_env()
    host = host or settings.host
    port = port or settings.port
    out.print(f"Smolny is serving http://{host}:{port}/  (API docs at /docs; Ctrl-C stops)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the demo once loaded.")
    ] = True,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Load the demo federation into the database (once), then serve it."""
    from smolny.demo import load_demo

    engine = _engine(migrated=False)
    upgrade(engine)
    loaded = load_demo(UnitOfWork(engine), progress=out)
    if loaded:
        out.print(f"Loaded the demo: {loaded}.")
    else:
        out.print("The demo is already loaded.")
    if serve_after:
        _serve(host, port)


@app.command()
def verify() -> None:
    """Check the ledger's hash chain and rebuild every table from it; name the first bad event."""
    result = verify_ledger(UnitOfWork(_engine()))
    if result.ok:
        out.print(
            f"[green]OK[/green]: {result.events} events, chain intact, "
            f"tables match the ledger (head {result.head[:16]}…)."
        )
        return
    err.print(f"[red]FAILED[/red]: {result.problem}")
    raise typer.Exit(1)


@council_app.command("list")
def council_list(at: AtOption = None, format: FormatOption = Format.TABLE) -> None:
    """Every council with its seats."""
    moment = _moment(at)
    nodes = list_councils(UnitOfWork(_engine()), moment)
    if format is Format.JSON:
        rows = [
            {
                "council": n.council.name,
                "organization": n.organization.name,
                "kind": n.council.kind.value,
                "seats": n.seats,
                "filled": n.filled,
            }
            for n in nodes
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="Councils" + (f" as of {iso(moment)}" if moment else ""))
    for column in ("Organization", "Council", "Kind", "Seats", "Filled"):
        table.add_column(column, justify="right" if column in ("Seats", "Filled") else "left")
    for n in nodes:
        table.add_row(
            n.organization.name, n.council.name, n.council.kind.value, str(n.seats), str(n.filled)
        )
    out.print(table)


@council_app.command("show")
def council_show(
    name: Annotated[str, typer.Argument(help="Council name, slug, id or organization/council.")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """A council's composition by faction and section, and its delegates."""
    moment = _moment(at)
    uow = UnitOfWork(_engine())
    council = find_council(uow, name)
    composition = council_composition(uow, council.id, moment)
    document = composition_document(composition)
    if format is Format.JSON:
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    out.print(
        f"[bold]{council.name}[/bold] ({council.kind.value}) as of "
        f"{composition.at:%Y-%m-%d %H:%M} UTC: "
        f"{composition.seats} seats, {composition.filled} filled, {composition.vacant} vacant"
    )
    colors = {f.name: f.color for f in composition.factions}
    factions = Table(title="By faction")
    factions.add_column("Faction")
    factions.add_column("Seats", justify="right")
    factions.add_column("Share", justify="right")
    factions.add_column("")
    for faction, seats in composition.seats_by_faction().items():
        share = seats / composition.filled if composition.filled else 0
        bar = "█" * round(share * 30)
        factions.add_row(
            faction, str(seats), f"{share:.1%}", f"[{colors.get(faction, 'white')}]{bar}[/]"
        )
    out.print(factions)
    if composition.sections:
        sections = Table(title="By section")
        sections.add_column("Section")
        sections.add_column("Seats", justify="right")
        sections.add_column("Factions")
        for s in composition.sections:
            text = ", ".join(f"{k} {v}" for k, v in s.factions.items())
            sections.add_row(s.section.name, str(s.seats), text)
        out.print(sections)
    delegates = Table(title="Delegates")
    for column in ("Name", "Faction", "Section", "From", "Since"):
        delegates.add_column(column)
    for d in composition.delegates:
        delegates.add_row(
            d.member.name,
            d.faction_name,
            d.section.name if d.section else "",
            d.origin,
            d.mandate.valid_from.date().isoformat(),
        )
    out.print(delegates)


def main() -> None:
    try:
        app()
    except DomainError as error:
        err.print(f"[red]error:[/red] {error.message}", highlight=False)
        sys.exit(1)
