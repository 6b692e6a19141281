"""The pages of orders: an organization's units × orders matrix, an order with its
countersignature trail, a unit with the authorities over it through time, and a faction
with its sanctions and seats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from smolny.api.deps import AtDep, UowDep
from smolny.domain.orders import STATUS_TEXT, SanctionKind, Status
from smolny.services import orders as services
from smolny.web.i18n import N_, _, format_day
from smolny.web.pages import templates
from smolny.web.words import word

router = APIRouter(include_in_schema=False)

SYMBOL = {
    Status.VALID: "✓",
    Status.AWAITING: "…",
    Status.REFUSED: "✗",
    Status.WITHDRAWN: "⊘",
    Status.NOT_ADDRESSED: "",
}
SHORT = {
    Status.VALID: N_("valid"),
    Status.AWAITING: N_("awaiting"),
    Status.REFUSED: N_("refused"),
    Status.WITHDRAWN: N_("withdrawn"),
    Status.NOT_ADDRESSED: "",
}
UNTIL = N_("%(body)s: countersignature power from %(start)s until %(end)s (%(decision)s)")
SINCE = N_("%(body)s: countersignature power from %(start)s (%(decision)s)")
SHOWN = (Status.VALID, Status.AWAITING, Status.REFUSED, Status.WITHDRAWN, Status.NOT_ADDRESSED)


def _context(request: Request, at: datetime | None, **values: object) -> dict[str, object]:
    status_text = {s: word(text) for s, text in STATUS_TEXT.items()}
    return {
        "at": at,
        "q": _query(at),  # keeps the moment shown in every link
        "statuses": Status,
        "symbol": SYMBOL,
        "short": {s: _(text) if text else "" for s, text in SHORT.items()},
        "status_text": status_text,
        "legend": [(s, SYMBOL[s], status_text[s]) for s in SHOWN],
        **values,
    }


@router.get("/organizations/{organization_id}/orders", response_class=HTMLResponse)
def orders_page(organization_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    matrix = services.orders_matrix(uow, organization_id, at)
    counts = Counter(cell.status for row in matrix.rows for cell in row.cells)
    return templates.TemplateResponse(
        request,
        "orders_matrix.html",
        _context(request, at, m=matrix, counts=counts),
    )


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = services.order_view(uow, order_id, at)
    counts = Counter(line.status.status for line in view.units)
    return templates.TemplateResponse(
        request, "orders_order.html", _context(request, at, v=view, counts=counts)
    )


@router.get("/units/{unit_id}", response_class=HTMLResponse)
def unit_page(unit_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = services.unit_view(uow, unit_id, at)
    return templates.TemplateResponse(
        request,
        "orders_unit.html",
        _context(request, at, v=view, timeline=unit_timeline(view)),
    )


@router.get("/factions/{faction_id}", response_class=HTMLResponse)
def faction_page(faction_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = services.faction_view(uow, faction_id, at)
    return templates.TemplateResponse(
        request,
        "orders_faction.html",
        _context(request, at, v=view, timeline=sanction_timeline(view)),
    )


# -- timelines (SVG) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime
    css: str
    title: str


@dataclass(frozen=True)
class Mark:
    at: datetime
    css: str
    title: str


@dataclass
class Row:
    label: str
    note: str = ""
    spans: list[Span] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


WIDTH, LEFT, RIGHT, ROW, TOP = 640.0, 8.0, 16.0, 44.0, 26.0


def timeline_svg(
    rows: Sequence[Row], start: datetime, end: datetime, *, title: str, css: str
) -> str:
    """Rows of spans (periods) and marks (moments) over [start, end], each row's label above
    its track; a tick at each end and a dashed line at `end` (the moment shown). Every piece
    of user data is escaped."""
    if not rows:
        return ""
    if end <= start:
        end = start + timedelta(days=1)
    track = WIDTH - LEFT - RIGHT
    span = (end - start).total_seconds()

    def x(moment: datetime) -> float:
        clipped = min(max(moment, start), end)
        return LEFT + track * (clipped - start).total_seconds() / span

    height = TOP + ROW * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline {css}" '
        f'viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text class="tick" x="{LEFT:.1f}" y="14">{format_day(start)}</text>',
        f'<text class="tick" x="{WIDTH - RIGHT:.1f}" y="14" text-anchor="end">'
        f"{format_day(end)}</text>",
    ]
    for i, row in enumerate(rows):
        top = TOP + i * ROW
        label = escape(row.label) + (
            f' <tspan class="note">{escape(row.note)}</tspan>' if row.note else ""
        )
        parts.append(f'<text class="label" x="{LEFT:.1f}" y="{top + 12:.1f}">{label}</text>')
        base = top + 24
        parts.append(
            f'<line class="track" x1="{LEFT:.1f}" x2="{WIDTH - RIGHT:.1f}" '
            f'y1="{base:.1f}" y2="{base:.1f}"/>'
        )
        for s in row.spans:
            x1, x2 = x(s.start), x(s.end)
            parts.append(
                f'<rect class="span {s.css}" x="{x1:.1f}" y="{base - 6:.1f}" '
                f'width="{max(x2 - x1, 3):.1f}" height="12" rx="3">'
                f"<title>{escape(s.title)}</title></rect>"
            )
        for mark in row.marks:
            parts.append(
                f'<circle class="mark {mark.css}" cx="{x(mark.at):.1f}" cy="{base:.1f}" r="7">'
                f"<title>{escape(mark.title)}</title></circle>"
            )
    now = x(end)
    parts.append(f'<line class="now" x1="{now:.1f}" x2="{now:.1f}" y1="18" y2="{height - 4:.1f}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _padded(first: datetime, end: datetime) -> datetime:
    """Where a timeline ending at `end` starts: a little before its first moment."""
    return first - max((end - first) / 12, timedelta(days=1))


def _query(at: datetime | None) -> str:
    return f"?at={at.date().isoformat()}" if at else ""


def unit_timeline(view: services.UnitView) -> str:
    """The authorities over a unit through time: a row per body that held countersignature
    power over it (its periods), a row per issuer of orders to it (its orders, coloured by
    their status for the unit as of the moment shown)."""
    rows: dict[str, Row] = {}
    for g in view.grants:
        if g.grant.valid_from > view.at:
            continue
        row = rows.setdefault(
            f"council:{g.council.id}", Row(g.council.name, _("countersignature power"))
        )
        end = g.grant.valid_to if g.grant.valid_to and g.grant.valid_to <= view.at else view.at
        ended = g.grant.valid_to and g.grant.valid_to <= view.at
        said = {
            "body": g.council.name,
            "start": format_day(g.grant.valid_from),
            "end": format_day(end),
            "decision": g.grant.decision,
        }
        row.spans.append(
            Span(
                g.grant.valid_from,
                end,
                "grant",
                (_(UNTIL) if ended else _(SINCE)) % said,
            )
        )
    issues = _("issues orders")
    for line, status in view.orders:
        issuer = line.issuer
        key = issuer.key
        if key not in rows:
            rows[key] = Row(issuer.name, _("outside authority") if issuer.outside else issues)
        elif not rows[key].note.endswith(issues):
            rows[key].note += ", " + issues
        marked = {
            "id": line.order.id,
            "day": format_day(line.order.issued_at),
            "title": line.order.title,
            "status": word(STATUS_TEXT[status.status]),
        }
        rows[key].marks.append(
            Mark(
                line.order.issued_at,
                f"s-{status.status.value}",
                _("Order %(id)s (%(day)s): %(title)s — %(status)s") % marked,
            )
        )
    moments = [s.start for r in rows.values() for s in r.spans]
    moments += [m.at for r in rows.values() for m in r.marks]
    if not moments:
        return ""
    return timeline_svg(
        list(rows.values()),
        _padded(min(moments), view.at),
        view.at,
        title=_("Authorities over %(unit)s until %(day)s")
        % {"unit": view.unit.name, "day": format_day(view.at)},
        css="authorities",
    )


def sanction_timeline(view: services.FactionView) -> str:
    """A faction's suspensions and bans through time, up to the moment shown."""
    shown = [s for s in view.sanctions if s.valid_from <= view.at]
    if not shown:
        return ""
    row = Row(view.faction.name, _("sanctions"))
    for s in shown:
        end = s.valid_to if s.valid_to and s.valid_to <= view.at else view.at
        what = (
            _("banned by %(body)s from %(day)s")
            if s.kind is SanctionKind.BAN
            else _("suspended by %(body)s from %(day)s")
        ) % {"body": view.councils[s.council_id].name, "day": format_day(s.valid_from)}
        row.spans.append(Span(s.valid_from, end, s.kind.value, f"{what}: " + "; ".join(s.effects)))
    return timeline_svg(
        [row],
        _padded(min(s.valid_from for s in shown), view.at),
        view.at,
        title=_("Sanctions on %(faction)s until %(day)s")
        % {"faction": view.faction.name, "day": format_day(view.at)},
        css="sanctions",
    )
