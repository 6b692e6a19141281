"""The `smolny` command."""

from __future__ import annotations

import hashlib
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from smolny.commands import accounts, analytics, congress, elections, orders, replay, sittings
from smolny.commands.common import (
    AtOption,
    Format,
    FormatOption,
    TabularFormat,
    TabularFormatOption,
    engine,
    err,
    moment,
    out,
)
from smolny.commands.counts import print_count
from smolny.domain.errors import DomainError
from smolny.ledger.chain import iso
from smolny.services.composition import (
    composition_document,
    council_composition,
    list_councils,
)
from smolny.services.downloads import composition_csv
from smolny.services.lookup import find_council
from smolny.services.verify import verify_ledger
from smolny.settings import Settings
from smolny.store.migrate import current_revision, upgrade
from smolny.store.uow import UnitOfWork

app = typer.Typer(
    help="Smolny: councils of elected, recallable delegates, with a tamper-evident ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
council_app = typer.Typer(help="Councils, congresses and committees.", no_args_is_help=True)
app.add_typer(council_app, name="council")
app.add_typer(elections.app, name="election")
app.add_typer(sittings.app, name="sitting")
app.add_typer(orders.app, name="order")
app.add_typer(congress.app, name="congress")
app.add_typer(analytics.app, name="analytics")
app.add_typer(accounts.app, name="account")
app.command("replay")(replay.replay_command)
app.command("export")(replay.export_command)


@app.command()
def init() -> None:
    """Create or upgrade the database schema (SMOLNY_DATABASE_URL)."""
    database = engine(migrated=False)
    before = current_revision(database)
    upgrade(database)
    after = current_revision(database)
    where = database.url.render_as_string()
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
    engine()  # refuse early, with the reason, if the database is not ready
    _serve(host, port)


def _serve(host: str | None, port: int | None, open_at: str | None = None) -> None:
    import uvicorn

    from smolny.app import create_app

    settings = Settings.from_env()
    host = host or settings.host
    port = port or settings.port
    out.print(f"Smolny is serving http://{host}:{port}/  (API docs at /docs; Ctrl-C stops)")
    if open_at:
        out.print(f"Start here: http://{host}:{port}{open_at}")
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
    from smolny.demo import load_demo, load_scenarios

    database = engine(migrated=False)
    upgrade(database)
    uow = UnitOfWork(database)
    loaded = load_demo(uow, progress=out)
    if loaded:
        out.print(f"Loaded the demo: {loaded}.")
    else:
        out.print("The demo is already loaded.")
    replayed = load_scenarios(uow, progress=out)
    for title, _ in replayed:
        out.print(f"Replayed the scenario {title}.")
    first = _first_chronicle(uow)
    timeline = None if first is None else f"/organizations/{first}/timeline"
    if serve_after:
        _serve(host, port, open_at=timeline)
    elif timeline:
        out.print(f"Once served (`smolny serve`), start at {timeline}")


def _first_chronicle(uow: UnitOfWork) -> int | None:
    """The organization whose timeline the demo opens on: the first with a chronicle."""
    from smolny.services.chronicle import organizations_with_chronicle

    found = organizations_with_chronicle(uow)
    return found[0] if found else None


@app.command()
def verify() -> None:
    """Check the ledger's hash chain, rebuild every table from it and recount the ballot
    boxes; name the first bad event or box."""
    result = verify_ledger(UnitOfWork(engine()))
    if result.ok:
        out.print(
            f"[green]OK[/green]: {result.events} events, chain intact, "
            f"tables and ballot boxes match the ledger (head {result.head[:16]}…)."
        )
        return
    err.print(f"[red]FAILED[/red]: {result.problem}")
    raise typer.Exit(1)


@council_app.command("list")
def council_list(at: AtOption = None, format: FormatOption = Format.TABLE) -> None:
    """Every council with its seats."""
    when = moment(at)
    nodes = list_councils(UnitOfWork(engine()), when)
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
    table = Table(title="Councils" + (f" as of {iso(when)}" if when else ""))
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
    format: TabularFormatOption = TabularFormat.TABLE,
) -> None:
    """A council's composition by faction and section, and its delegates."""
    when = moment(at)
    uow = UnitOfWork(engine())
    council = find_council(uow, name)
    composition = council_composition(uow, council.id, when)
    document = composition_document(composition)
    if format is TabularFormat.JSON:
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if format is TabularFormat.CSV:
        print(composition_csv(composition, bom=False), end="")
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


@app.command()
def count(
    file: Annotated[Path, typer.Argument(help="A ballot file: BLT, PrefLib or CSV.")],
    method: Annotated[str, typer.Option("--method", "-m", help="The counting method.")],
    seats: Annotated[
        int | None, typer.Option(help="Seats to fill (default: the file's, else 1).")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(help="Seed for lots (default: from the file's SHA-256, so recounts agree)."),
    ] = None,
    threshold: Annotated[
        str | None, typer.Option(help="Party lists: legal threshold, e.g. 5% or 1/20.")
    ] = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """Count a ballot file by a method and show every round."""
    from smolny.voting.formats import BallotFileError, read_profile
    from smolny.voting.methods import METHODS, count_profile
    from smolny.voting.result import CountError

    if method not in METHODS:
        raise typer.BadParameter(
            f"{method!r} is not one of: {', '.join(METHODS)}", param_hint="--method"
        )
    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="FILE")
    limit = _threshold(threshold)
    try:
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"Reading {file.name}", total=file.stat().st_size)
            profile = read_profile(
                file, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
    except BallotFileError as error:
        raise DomainError(str(error)) from error
    if seed is None:
        seed = int.from_bytes(hashlib.sha256(file.read_bytes()).digest()[:4], "big")
    try:
        result = count_profile(
            method, profile, seats or profile.seats or 1, seed=seed, threshold=limit
        )
    except CountError as error:
        raise DomainError(f"{file.name}: {error}") from error
    if format is Format.JSON:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    print_count(
        result.to_json(),
        f"[bold]{profile.title or file.name}[/bold]: {profile.total:,} ballots, "
        f"{len(result.candidates)} candidates, {result.seats} seat"
        f"{'s' if result.seats != 1 else ''}, method {result.method}",
    )


def _threshold(text: str | None) -> Fraction | None:
    if text is None:
        return None
    try:
        value = Fraction(text.rstrip("%")) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise typer.BadParameter(
            f"{text!r}: expected a share such as 5%, 0.05 or 1/20", param_hint="--threshold"
        ) from None
    if not 0 <= value < 1:
        raise typer.BadParameter(f"{text!r} is not a share below 100%", param_hint="--threshold")
    return value


def main() -> None:
    try:
        app()
    except DomainError as error:
        err.print(f"[red]error:[/red] {error.message}", highlight=False)
        sys.exit(1)
