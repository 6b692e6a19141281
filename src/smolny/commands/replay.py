"""`smolny replay`: load a scenario through the services, with a progress bar, and print
its timeline; `smolny export`: write an organization's history as a scenario."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from smolny.commands.common import engine, out
from smolny.scenario.export import export_scenario, scenario_yaml
from smolny.scenario.files import built_in, find_scenario, load_scenario
from smolny.scenario.replay import replay
from smolny.store.uow import UnitOfWork


def replay_command(
    scenario: Annotated[
        str,
        typer.Argument(
            help="A scenario's name (built in: "
            + (", ".join(built_in()) or "none")
            + ") or the path of a scenario file (docs/scenarios.md)."
        ),
    ],
    quiet: Annotated[bool, typer.Option("--quiet", help="Do not print the timeline.")] = False,
) -> None:
    """Replay a scenario: every event becomes the service call a live organization would
    make, in one transaction (a refused event changes nothing); then print its timeline."""
    path = find_scenario(scenario)
    loaded = load_scenario(path)
    uow = UnitOfWork(engine())
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=out,
        transient=True,
    ) as bar:
        task = bar.add_task(f"Replaying {loaded.name}", total=len(loaded.events), current="")
        result = replay(
            uow,
            loaded,
            progress=lambda n, event: bar.update(
                task, completed=n, current=f"{event.at} {event.title[:50]}"
            ),
        )
    if not quiet:
        table = Table(title=loaded.title, caption=loaded.calendar or None)
        table.add_column("Date")
        table.add_column("Event")
        table.add_column("Changes", justify="right")
        for moment, title, changes in result.entries:
            table.add_row(moment.strftime("%Y-%m-%d %H:%M"), title, str(changes))
        out.print(table)
    out.print(
        f"Replayed {loaded.name}: {len(loaded.events)} events of the scenario, "
        f"{result.events} events in the ledger."
    )


def export_command(
    organization: Annotated[str, typer.Argument(help="The organization: its name, slug or id.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the scenario to this file (default: print it)."),
    ] = None,
    utc_offset: Annotated[
        str,
        typer.Option("--utc-offset", help="Write dates and times in this local time (+03:00)."),
    ] = "+00:00",
) -> None:
    """Export an organization's history from the ledger as a scenario file (format 1), which
    replayed into a fresh database gives the same state; refused, naming the ledger event,
    where the format cannot express what the ledger holds."""
    document = export_scenario(UnitOfWork(engine()), organization, utc_offset=utc_offset)
    text = scenario_yaml(document)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    out.print(
        f"Exported {document['title']}: {len(document['events'])} events to {output}",
        highlight=False,
    )
