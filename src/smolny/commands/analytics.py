"""`smolny analytics`: representation lag, malapportionment and proportionality."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from smolny.commands.common import AtOption, Format, FormatOption, moment, out, unit_of_work
from smolny.domain.analytics import Target
from smolny.domain.errors import InvalidInput
from smolny.services.analytics import (
    council_malapportionment,
    election_proportionality,
    lag_document,
    lag_series,
    malapportionment_document,
    proportionality_document,
    representation_lag,
    series_document,
)
from smolny.services.lookup import find_council

app = typer.Typer(
    help="Analytics of the recorded state: representation lag, malapportionment, "
    "proportionality (percentage points).",
    no_args_is_help=True,
)

CouncilArgument = Annotated[
    str, typer.Argument(help="Council name, slug, id or organization/council.")
]


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _pp(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _day(value: str | None) -> str:
    return "—" if value is None else value[:10]


@app.command("lag")
def lag(
    council: CouncilArgument,
    at: AtOption = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="Show the series from this moment (default: the body's creation)."
        ),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Show the series up to this moment (default: now).")
    ] = None,
    target: Annotated[
        Target | None,
        typer.Option(
            "--target",
            help="council: a committee's electing council as it stands (a committee's default); "
            "base: what the base would give (the default otherwise).",
        ),
    ] = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """How far a body's composition is from what its base would give, with the dates
    compared; with --from or --to, at every change in the period."""
    when = moment(at)
    first = _option_moment(start, "--from")
    last = _option_moment(end, "--to")
    uow = unit_of_work()
    body = find_council(uow, council)
    if first is None and last is None:
        document = lag_document(representation_lag(uow, body.id, when, target))
        if format is Format.JSON:
            _print_json(document)
            return
        _print_lag(document)
        return
    if when is not None:
        raise InvalidInput("give --at for one moment, or --from/--to for a series, not both")
    series = series_document(lag_series(uow, body.id, first, last, target))
    if format is Format.JSON:
        _print_json(series)
        return
    out.print(
        f"[bold]{series['council']}[/bold] ({series['kind']}): representation lag from "
        f"{_day(series['from'])} to {_day(series['to'])}"
    )
    out.print(f"Target: {series['target_description']}.")
    elected = set(series["elections"])
    table = Table(title="Lag at every change (percentage points)")
    for column in ("At", "Loosemore–Hanby", "Gallagher", "Composed", "Base last voted", ""):
        table.add_column(
            column, justify="right" if column in ("Loosemore–Hanby", "Gallagher") else "left"
        )
    for point in series["points"]:
        table.add_row(
            point["at"][:16].replace("T", " "),
            _pp(point["loosemore_hanby"]),
            _pp(point["gallagher"]),
            _day(point["composed_at"]),
            _day(point["base_elected_at"]),
            "body elected" if point["at"] in elected else "",
        )
    out.print(table)


def _option_moment(value: str | None, name: str) -> datetime | None:
    try:
        return moment(value)
    except typer.BadParameter as error:
        raise typer.BadParameter(str(error.message), param_hint=name) from None


def _print_lag(document: dict[str, Any]) -> None:
    out.print(
        f"[bold]{document['council']}[/bold] ({document['kind']}) as of "
        f"{document['at'][:16].replace('T', ' ')} UTC"
    )
    out.print(f"Target: {document['target_description']}.")
    out.print(
        f"Loosemore–Hanby {_pp(document['loosemore_hanby'])} pp, "
        f"Gallagher {_pp(document['gallagher'])} pp; composed {_day(document['composed_at'])} "
        f"(its latest election), base last voted {_day(document['base_elected_at'])}."
    )
    table = Table(title="Shares by faction (%)")
    for column in ("Faction", "Seats", "Share", "Target", "Difference (pp)"):
        table.add_column(column, justify="left" if column == "Faction" else "right")
    for row in document["factions"]:
        table.add_row(
            row["faction"],
            str(row["seats"]),
            _pp(row["share"], 1),
            _pp(row["target_share"], 1),
            "—" if row["difference"] is None else f"{row['difference']:+.1f}",
        )
    out.print(table)


@app.command("proportionality")
def proportionality(
    election_id: Annotated[int, typer.Argument(help="The election's id.")],
    format: FormatOption = Format.TABLE,
) -> None:
    """An election's votes by faction against its seats by faction: Gallagher and
    Loosemore–Hanby."""
    document = proportionality_document(election_proportionality(unit_of_work(), election_id))
    if format is Format.JSON:
        _print_json(document)
        return
    where = document["constituency"] or document["council"]
    out.print(
        f"[bold]Election {document['election']}[/bold]: {where} ({document['kind']}, "
        f"{document['method']}, {document['seats']} seats), held {_day(document['held_at'])}"
    )
    if document["measure"] is None:
        out.print("The result records no votes: its proportionality cannot be measured.")
        return
    out.print(
        f"Gallagher {_pp(document['gallagher'])} pp, "
        f"Loosemore–Hanby {_pp(document['loosemore_hanby'])} pp ({document['measure']} "
        "against seats)."
    )
    table = Table(title="By faction")
    for column in (
        "Faction",
        document["measure"].capitalize(),
        "Share",
        "Seats",
        "Share ",
        "Difference (pp)",
    ):
        table.add_column(column, justify="left" if column == "Faction" else "right")
    for row in document["factions"]:
        table.add_row(
            row["faction"],
            str(row["votes"]),
            _pp(row["vote_share"], 1),
            str(row["seats"]),
            _pp(row["seat_share"], 1),
            "—" if row["difference"] is None else f"{row['difference']:+.1f}",
        )
    out.print(table)


@app.command("malapportionment")
def malapportionment(
    council: CouncilArgument, at: AtOption = None, format: FormatOption = Format.TABLE
) -> None:
    """Electors per seat by constituency, the largest-to-smallest ratio and the
    Samuels–Snyder index of a council's seats."""
    when = moment(at)
    uow = unit_of_work()
    body = find_council(uow, council)
    document = malapportionment_document(council_malapportionment(uow, body.id, when))
    if format is Format.JSON:
        _print_json(document)
        return
    ratio = document["largest_to_smallest"]
    out.print(
        f"[bold]{document['council']}[/bold] as of {document['at'][:16].replace('T', ' ')} UTC: "
        f"{document['seats']} seats, {document['electors']} electors"
    )
    out.print(
        f"Samuels–Snyder {_pp(document['samuels_snyder'])} pp; largest to smallest electors per "
        "seat "
        + (
            (
                f"{ratio:.2f} ({document['most_electors_per_seat']} to "
                f"{document['fewest_electors_per_seat']})"
                if ratio > 1
                else f"{ratio:.2f} (equal)"
            )
            if ratio is not None
            else "— (fewer than two constituencies with a seat, or a seat without electors)"
        )
        + "."
    )
    table = Table(title="By constituency")
    for column in ("Constituency", "Electors", "Seats", "Electors per seat", "Elector %", "Seat %"):
        table.add_column(column, justify="left" if column == "Constituency" else "right")
    for row in document["constituencies"]:
        table.add_row(
            row["constituency"],
            str(row["electors"]),
            str(row["seats"]),
            "no seat" if row["electors_per_seat"] is None else f"{row['electors_per_seat']:.2f}",
            _pp(row["elector_share"], 1),
            _pp(row["seat_share"], 1),
        )
    out.print(table)
