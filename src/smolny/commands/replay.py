"""`smolny replay`: load a scenario through the services, with a progress bar, and print
its timeline."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from smolny.commands.common import engine, out
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
