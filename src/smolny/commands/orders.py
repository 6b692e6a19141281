"""`smolny order ...`: units, outside authorities, countersignature power, orders, their
countersignature and conflicts, powers of bodies, and faction sanctions."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from smolny.commands.common import (
    ACTOR,
    AtOption,
    Format,
    FormatOption,
    moment,
    out,
    unit_of_work,
)
from smolny.domain.errors import InvalidInput, NotFound
from smolny.domain.federation import Constituency, Council, Power
from smolny.domain.orders import (
    STATUS_TEXT,
    AuthorityKind,
    OutsideAuthority,
    SanctionKind,
    Status,
    UnitKind,
)
from smolny.services import federation
from smolny.services import orders as services
from smolny.services.lookup import find_faction, find_organization
from smolny.store.uow import UnitOfWork

app = typer.Typer(
    help="Orders to units, countersignature, dual power, powers of bodies, faction sanctions.",
    no_args_is_help=True,
)

WhenOption = Annotated[
    str | None,
    typer.Option(
        "--at", help="When it takes effect (default now): a date (end of day) or a date and time."
    ),
]
DecisionOption = Annotated[
    str, typer.Option("--decision", help="The decision, in words: who decided, and how.")
]
BodyOption = Annotated[str, typer.Option("--by", help="The body of the federation deciding.")]
OrderArgument = Annotated[int, typer.Argument(help="The order's number.")]

STYLE = {
    Status.VALID: "green",
    Status.AWAITING: "yellow",
    Status.REFUSED: "red",
    Status.WITHDRAWN: "dim",
    Status.NOT_ADDRESSED: "dim",
}
SHORT = {
    Status.VALID: "valid",
    Status.AWAITING: "awaiting",
    Status.REFUSED: "refused",
    Status.WITHDRAWN: "withdrawn",
    Status.NOT_ADDRESSED: "·",
}


class SanctionVerb(StrEnum):
    SUSPEND = "suspend"
    BAN = "ban"


def _say(text: str) -> None:
    out.print(text, highlight=False)


def _json(document: Any) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _status(status: Status) -> str:
    return f"[{STYLE[status]}]{STATUS_TEXT[status]}[/]"


def _constituency(uow: UnitOfWork, organization_id: int, ref: str) -> int:
    with uow:
        if ref.isdigit():
            return uow.repo.get(Constituency, int(ref)).id
        found = [
            c
            for council in uow.repo.councils(organization_id)
            for c in uow.repo.constituencies(council.id)
            if c.name == ref
        ]
        if not found:
            raise NotFound(f"no constituency named {ref!r}", field="constituency")
        if len(found) > 1:
            ids = ", ".join(str(c.id) for c in found)
            raise InvalidInput(f"{ref!r} names several constituencies: give the id ({ids})")
        return found[0].id


# -- units and outside authorities -----------------------------------------------------------


@app.command("unit-add")
def unit_add(
    organization: Annotated[str, typer.Argument(help="Organization name, slug or id.")],
    name: Annotated[str, typer.Argument(help="The unit's name.")],
    kind: Annotated[UnitKind, typer.Option("--kind", help="What the unit is.")] = UnitKind.REGIMENT,
    constituency: Annotated[
        str | None,
        typer.Option("--constituency", help="The constituency it corresponds to (name or id)."),
    ] = None,
    at: WhenOption = None,
) -> None:
    """Add a unit that receives orders: a regiment, a ship, a depot, a workplace."""
    uow = unit_of_work()
    org = find_organization(uow, organization)
    constituency_id = _constituency(uow, org.id, constituency) if constituency else None
    unit = services.create_unit(
        uow,
        organization_id=org.id,
        name=name,
        kind=kind,
        constituency_id=constituency_id,
        actor=ACTOR,
        at=moment(at),
    )
    _say(f"Unit {unit.id}: {escape(unit.name)} ({unit.kind.value}) of {escape(org.name)}.")


@app.command("authority-add")
def authority_add(
    organization: Annotated[str, typer.Argument(help="Organization name, slug or id.")],
    name: Annotated[str, typer.Argument(help="The authority's name.")],
    kind: Annotated[
        AuthorityKind, typer.Option("--kind", help="What the authority is.")
    ] = AuthorityKind.GOVERNMENT,
    at: WhenOption = None,
) -> None:
    """Record an authority outside the federation that gives orders to its units."""
    uow = unit_of_work()
    org = find_organization(uow, organization)
    authority = services.create_authority(
        uow, organization_id=org.id, name=name, kind=kind, actor=ACTOR, at=moment(at)
    )
    _say(
        f"Outside authority {authority.id}: {escape(authority.name)} ({authority.kind.value}), "
        f"recorded by {escape(org.name)}."
    )


# -- countersignature power ------------------------------------------------------------------


@app.command("grant")
def grant(
    body: Annotated[str, typer.Argument(help="The body of the federation (name, slug or id).")],
    units: Annotated[list[str], typer.Argument(help="The units (names or ids).")],
    decision: DecisionOption,
    at: WhenOption = None,
) -> None:
    """Give a body countersignature power over units, by a recorded decision."""
    uow = unit_of_work()
    council = services.find_body(uow, body)
    unit_ids = [services.find_unit(uow, council.organization_id, u).id for u in units]
    granted = services.grant_countersignature(
        uow, council_id=council.id, unit_ids=unit_ids, decision=decision, actor=ACTOR, at=moment(at)
    )
    names = ", ".join(escape(u) for u in units)
    _say(
        f"{escape(council.name)} holds countersignature power over {names} from "
        f"{granted[0].valid_from:%Y-%m-%d %H:%M} UTC ({escape(decision)})."
    )


@app.command("revoke")
def revoke(
    body: Annotated[str, typer.Argument(help="The body of the federation (name, slug or id).")],
    decision: DecisionOption,
    units: Annotated[
        list[str] | None, typer.Argument(help="The units (default: all the body's units).")
    ] = None,
    at: WhenOption = None,
) -> None:
    """End a body's countersignature power over units, by a recorded decision."""
    uow = unit_of_work()
    council = services.find_body(uow, body)
    unit_ids = [services.find_unit(uow, council.organization_id, u).id for u in units or []]
    revoked = services.revoke_countersignature(
        uow, council_id=council.id, unit_ids=unit_ids, decision=decision, actor=ACTOR, at=moment(at)
    )
    _say(
        f"{escape(council.name)} no longer holds countersignature power over "
        f"{len(revoked)} unit{'s' if len(revoked) != 1 else ''} ({escape(decision)})."
    )


# -- orders ----------------------------------------------------------------------------------


@app.command("issue")
def issue(
    issuer: Annotated[str, typer.Argument(help="A body of the federation or outside authority.")],
    title: Annotated[str, typer.Argument(help="The order's title.")],
    to: Annotated[list[str], typer.Option("--to", help="A unit it goes to (repeat for more).")],
    text: Annotated[str, typer.Option("--text", help="The order's text.")] = "",
    countermands: Annotated[
        int | None,
        typer.Option("--countermands", help="The order of another issuer it countermands."),
    ] = None,
    at: WhenOption = None,
) -> None:
    """Issue an order to units, from a body of the federation or an outside authority."""
    uow = unit_of_work()
    ref = services.find_issuer(uow, issuer)
    organization_id = _issuer_organization(uow, ref.council_id, ref.authority_id)
    unit_ids = [services.find_unit(uow, organization_id, u).id for u in to]
    order = services.issue_order(
        uow,
        council_id=ref.council_id,
        authority_id=ref.authority_id,
        unit_ids=unit_ids,
        title=title,
        text=text,
        countermands_id=countermands,
        actor=ACTOR,
        at=moment(at),
    )
    view = services.order_view(uow, order.id, order.issued_at)
    _say(f"Order {order.id} ({escape(order.title)}) issued by {escape(view.issuer.name)}:")
    _print_units(view)


def _issuer_organization(uow: UnitOfWork, council_id: int | None, authority_id: int | None) -> int:
    with uow:
        if council_id is not None:
            return uow.repo.get(Council, council_id).organization_id
        assert authority_id is not None
        return uow.repo.get(OutsideAuthority, authority_id).organization_id


def _print_units(view: services.OrderView) -> None:
    for line in view.units:
        s = line.status
        why = ""
        if s.awaiting:
            why = f" (awaiting {escape(view.names(s.awaiting))})"
        elif s.refused:
            why = f" (refused by {escape(view.names(s.refused))})"
        elif s.status is Status.VALID and s.countersigners:
            why = f" (countersigned by {escape(view.names(s.countersigned))})"
        _say(f"  {escape(line.unit.name)}: {_status(s.status)}{why}")


@app.command("countersign")
def countersign(order: OrderArgument, by: BodyOption, at: WhenOption = None) -> None:
    """Countersign an order, for the units over which the body holds countersignature power."""
    uow = unit_of_work()
    council = services.find_body(uow, by)
    decision = services.countersign_order(
        uow, order_id=order, council_id=council.id, actor=ACTOR, at=moment(at)
    )
    _decided(uow, decision.order_id, f"{council.name} countersigned order {order}")


@app.command("refuse")
def refuse(
    order: OrderArgument,
    by: BodyOption,
    reason: Annotated[str, typer.Option("--reason", help="Why the body refuses it.")],
    at: WhenOption = None,
) -> None:
    """Refuse to countersign an order, with a reason."""
    uow = unit_of_work()
    council = services.find_body(uow, by)
    decision = services.refuse_order(
        uow, order_id=order, council_id=council.id, reason=reason, actor=ACTOR, at=moment(at)
    )
    _decided(uow, decision.order_id, f"{council.name} refused order {order}")


def _decided(uow: UnitOfWork, order_id: int, what: str) -> None:
    view = services.order_view(uow, order_id)
    _say(f"{escape(what)}. Now:")
    _print_units(view)


@app.command("withdraw")
def withdraw(
    order: OrderArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the issuer withdraws it.")] = "",
    at: WhenOption = None,
) -> None:
    """The issuer withdraws its order, for every unit."""
    uow = unit_of_work()
    withdrawn = services.withdraw_order(
        uow, order_id=order, reason=reason, actor=ACTOR, at=moment(at)
    )
    assert withdrawn.withdrawn_at is not None
    _say(
        f"Order {withdrawn.id} ({escape(withdrawn.title)}) withdrawn on "
        f"{withdrawn.withdrawn_at:%Y-%m-%d %H:%M} UTC."
    )


@app.command("show")
def show(order: OrderArgument, at: AtOption = None, format: FormatOption = Format.TABLE) -> None:
    """An order: its status for each unit, its countersignature trail and its conflicts."""
    view = services.order_view(unit_of_work(), order, moment(at))
    if format is Format.JSON:
        _json(services.order_document(view))
        return
    o = view.order
    outside = " (outside authority)" if view.issuer.outside else ""
    _say(f"[bold]Order {o.id}: {escape(o.title)}[/bold]")
    _say(f"Issued by {escape(view.issuer.name)}{outside} on {o.issued_at:%Y-%m-%d %H:%M} UTC.")
    if o.text:
        _say(escape(o.text))
    if view.countermands:
        c, by = view.countermands.order, view.countermands.issuer.name
        _say(f"Countermands order {c.id} ({escape(c.title)}) of {escape(by)}.")
    if not view.issued:
        _say(f"As of {view.at:%Y-%m-%d %H:%M} UTC it was not issued yet.")
    else:
        table = Table(title=f"Status per unit as of {view.at:%Y-%m-%d %H:%M} UTC")
        for column in (
            "Unit",
            "Status",
            "Must countersign",
            "Countersigned",
            "Refused",
            "Awaiting",
        ):
            table.add_column(column)
        for line in view.units:
            s = line.status
            table.add_row(
                escape(line.unit.name),
                _status(s.status),
                escape(view.names(s.countersigners)) or "no one",
                escape(view.names(s.countersigned)),
                escape(view.names(s.refused)),
                escape(view.names(s.awaiting)),
            )
        out.print(table)
    _say("[bold]Trail[/bold]")
    for entry in view.trail:
        later = " [dim](later)[/]" if entry.later else ""
        _say(f"  {entry.at:%Y-%m-%d %H:%M}  {escape(entry.text)}{later}")
    for conflict in view.conflicts:
        _say(_conflict_text(conflict))


def _conflict_text(c: services.ConflictLine) -> str:
    return (
        f"[magenta]{c.conflict.kind.value} conflict[/] at {escape(c.unit.name)}: order "
        f"{c.earlier.order.id} ({escape(c.earlier.issuer.name)}) and order {c.later.order.id} "
        f"({escape(c.later.issuer.name)})"
    )


@app.command("list")
def list_orders(
    organization: Annotated[str, typer.Argument(help="Organization name, slug or id.")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """The matrix of units × orders: each order's status for each unit, and the conflicts."""
    uow = unit_of_work()
    org = find_organization(uow, organization)
    matrix = services.orders_matrix(uow, org.id, moment(at))
    if format is Format.JSON:
        _json(services.matrix_document(matrix))
        return
    table = Table(title=f"Orders of {escape(org.name)} as of {matrix.at:%Y-%m-%d %H:%M} UTC")
    table.add_column("Unit")
    table.add_column("Countersigned by")
    for line in matrix.orders:
        table.add_column(f"#{line.order.id}", justify="center")
    for row in matrix.rows:
        cells = []
        for cell in row.cells:
            mark = "!" if cell.conflict else ""
            cells.append(f"[{STYLE[cell.status]}]{SHORT[cell.status]}{mark}[/]")
        rule = ", ".join(escape(c.name) for c in row.countersigners) or "—"
        table.add_row(escape(row.unit.name), rule, *cells)
    out.print(table)
    for line in matrix.orders:
        o = line.order
        _say(
            f"  #{o.id} {o.issued_at:%Y-%m-%d} {escape(line.issuer.name)}: {escape(o.title)}"
            + (f" (countermands #{o.countermands_id})" if o.countermands_id else "")
        )
    if matrix.conflicts:
        _say("[bold]Conflicts[/bold] (marked !):")
        for c in matrix.conflicts:
            _say("  " + _conflict_text(c))


@app.command("unit")
def unit_show(
    organization: Annotated[str, typer.Argument(help="Organization name, slug or id.")],
    unit: Annotated[str, typer.Argument(help="The unit (name or id).")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """A unit: its orders with their status, and the bodies holding power over it."""
    uow = unit_of_work()
    org = find_organization(uow, organization)
    found = services.find_unit(uow, org.id, unit)
    view = services.unit_view(uow, found.id, moment(at))
    if format is Format.JSON:
        _json(services.unit_document(view))
        return
    _say(f"[bold]{escape(view.unit.name)}[/bold] ({view.unit.kind.value}) of {escape(org.name)}")
    rule = ", ".join(escape(c.name) for c in view.countersigners) or "no body"
    _say(f"As of {view.at:%Y-%m-%d %H:%M} UTC, countersignature by: {rule}.")
    for g in view.grants:
        until = f" until {g.grant.valid_to:%Y-%m-%d}" if g.grant.valid_to else ""
        _say(
            f"  {escape(g.council.name)}: from {g.grant.valid_from:%Y-%m-%d}{until} "
            f"({escape(g.grant.decision)})"
        )
    table = Table(title="Orders")
    for column in ("#", "Issued", "Issuer", "Title", "Status"):
        table.add_column(column)
    for line, status in view.orders:
        table.add_row(
            str(line.order.id),
            f"{line.order.issued_at:%Y-%m-%d}",
            escape(line.issuer.name),
            escape(line.order.title),
            _status(status.status),
        )
    out.print(table)
    for c in view.conflicts:
        _say(_conflict_text(c))


# -- powers of bodies ------------------------------------------------------------------------


@app.command("grant-power")
def grant_power(
    body: Annotated[str, typer.Argument(help="The body of the federation (name, slug or id).")],
    powers: Annotated[list[Power], typer.Argument(help="The powers to grant.")],
    decision: DecisionOption,
    at: WhenOption = None,
) -> None:
    """Grant powers to a body, by a recorded decision."""
    uow = unit_of_work()
    council = services.find_body(uow, body)
    council = federation.grant_powers(
        uow, council_id=council.id, granted=powers, decision=decision, actor=ACTOR, at=moment(at)
    )
    _say(f"{escape(council.name)} now holds: {', '.join(p.value for p in council.powers)}.")


@app.command("revoke-power")
def revoke_power(
    body: Annotated[str, typer.Argument(help="The body of the federation (name, slug or id).")],
    powers: Annotated[list[Power], typer.Argument(help="The powers to revoke.")],
    decision: DecisionOption,
    at: WhenOption = None,
) -> None:
    """Revoke powers of a body, by a recorded decision."""
    uow = unit_of_work()
    council = services.find_body(uow, body)
    council = federation.grant_powers(
        uow, council_id=council.id, revoked=powers, decision=decision, actor=ACTOR, at=moment(at)
    )
    held = ", ".join(p.value for p in council.powers) or "no power"
    _say(f"{escape(council.name)} now holds: {held}.")


@app.command("powers")
def powers_show(
    body: Annotated[str, typer.Argument(help="The body of the federation (name, slug or id).")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """A body's powers, with the decisions that granted them, and the units it countersigns for."""
    uow = unit_of_work()
    council = services.find_body(uow, body)
    view = services.powers_view(uow, council.id, moment(at))
    if format is Format.JSON:
        _json(services.powers_document(view))
        return
    table = Table(title=f"Powers of {escape(council.name)} as of {view.at:%Y-%m-%d %H:%M} UTC")
    for column in ("Power", "Since", "Decision"):
        table.add_column(column)
    for held in view.powers:
        table.add_row(held.power.value, f"{held.since:%Y-%m-%d}", escape(held.decision))
    out.print(table)
    if view.countersigns_over:
        names = ", ".join(escape(u.name) for u in view.countersigns_over)
        _say(f"Countersignature power over: {names}.")


# -- faction sanctions -----------------------------------------------------------------------


@app.command("sanction")
def sanction(
    faction: Annotated[str, typer.Argument(help="The faction (name, short name or id).")],
    kind: Annotated[SanctionVerb, typer.Argument(help="suspend or ban.")],
    by: BodyOption,
    effect: Annotated[
        list[str], typer.Option("--effect", help="An effect the body decided (repeat for more).")
    ],
    decision: Annotated[str, typer.Option("--decision", help="The decision, in words.")] = "",
    at: WhenOption = None,
) -> None:
    """Suspend or ban a faction, by a body holding the power sanction-factions."""
    uow = unit_of_work()
    found = find_faction(uow, faction)
    council = services.find_body(uow, by)
    done = services.sanction_faction(
        uow,
        faction_id=found.id,
        council_id=council.id,
        kind=SanctionKind.BAN if kind is SanctionVerb.BAN else SanctionKind.SUSPENSION,
        effects=effect,
        decision=decision,
        actor=ACTOR,
        at=moment(at),
    )
    state = "banned" if done.kind is SanctionKind.BAN else "suspended"
    _say(
        f"{escape(found.name)} {state} by {escape(council.name)} from "
        f"{done.valid_from:%Y-%m-%d %H:%M} UTC: " + "; ".join(escape(e) for e in done.effects)
    )


@app.command("lift")
def lift(
    faction: Annotated[str, typer.Argument(help="The faction (name, short name or id).")],
    by: BodyOption,
    decision: Annotated[str, typer.Option("--decision", help="The decision, in words.")] = "",
    at: WhenOption = None,
) -> None:
    """Lift a faction's suspension or ban, by a body holding the power sanction-factions."""
    uow = unit_of_work()
    found = find_faction(uow, faction)
    council = services.find_body(uow, by)
    lifted = services.lift_sanction(
        uow,
        faction_id=found.id,
        council_id=council.id,
        decision=decision,
        actor=ACTOR,
        at=moment(at),
    )
    assert lifted.valid_to is not None
    _say(
        f"The {lifted.kind.value} of {escape(found.name)} is lifted from "
        f"{lifted.valid_to:%Y-%m-%d %H:%M} UTC."
    )


@app.command("faction")
def faction_show(
    faction: Annotated[str, typer.Argument(help="The faction (name, short name or id).")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """A faction: active, suspended or banned, its sanctions, and its seats in every council."""
    uow = unit_of_work()
    found = find_faction(uow, faction)
    view = services.faction_view(uow, found.id, moment(at))
    if format is Format.JSON:
        _json(services.faction_document(view))
        return
    _say(
        f"[bold]{escape(found.name)}[/bold] as of {view.at:%Y-%m-%d %H:%M} UTC: "
        f"{view.status.state.value}"
    )
    if view.status.sanction:
        _say("Effects: " + "; ".join(escape(e) for e in view.status.sanction.effects))
    sanctions = Table(title="Sanctions")
    for column in ("Kind", "By", "From", "To", "Effects", "Decision", "Ended by"):
        sanctions.add_column(column)
    for s in view.sanctions:
        sanctions.add_row(
            s.kind.value,
            escape(view.councils[s.council_id].name),
            f"{s.valid_from:%Y-%m-%d}",
            f"{s.valid_to:%Y-%m-%d}" if s.valid_to else "",
            escape("; ".join(s.effects)),
            escape(s.decision),
            escape(s.ending or ""),
        )
    out.print(sanctions)
    seats = Table(title="Seats")
    for column in ("Council", "Held", "Filled", "Seats"):
        seats.add_column(column, justify="left" if column == "Council" else "right")
    for line in view.seats:
        seats.add_row(escape(line.council.name), str(line.held), str(line.filled), str(line.seats))
    out.print(seats)
