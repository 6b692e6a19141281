"""The timeline page: an organization on any day of its chronicle, chosen with a slider.

`GET /organizations/{id}/timeline?at=YYYY-MM-DD` is the whole page. The slider asks for
the same address with `?day=N` (N the day's proleptic ordinal, so the server needs no
state to read it): with htmx the answer is the fragment under the slider, with an
`HX-Push-Url` header that keeps the date in the address; without JavaScript it is a
redirect to `?at=YYYY-MM-DD`.

The charts are SVG drawn here: each body's seats by faction over the chronicle as
stacked shares (the shares hold between changes), with the chosen day marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Annotated, Any

from babel.dates import format_date
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from smolny.api.deps import AtDep, UowDep
from smolny.domain.analytics import Group
from smolny.domain.composition import NON_PARTY
from smolny.domain.errors import InvalidInput
from smolny.domain.federation import CouncilKind, Faction, Organization, slugify
from smolny.domain.timeline import SeatSeries, Step
from smolny.ledger.chain import iso
from smolny.services.timeline import (
    Body,
    BodySeries,
    SeatGroup,
    TimelineView,
    chronicled_organizations,
    end_of_day,
    timeline,
)
from smolny.store.uow import UnitOfWork
from smolny.web import i18n
from smolny.web.analytics import lag_chart_svg
from smolny.web.hemicycle import SeatGroup as DrawnGroup
from smolny.web.hemicycle import hemicycle_svg
from smolny.web.i18n import _, ngettext
from smolny.web.pages import NON_PARTY_COLOR, templates
from smolny.web.viewer import hidden_organizations
from smolny.web.words import word

router = APIRouter(include_in_schema=False)

FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
COMPACT_FROM = 120  # seats: larger bodies are drawn as compact hemicycles
SHOWN_EARLIER = 3  # earlier chronicle entries shown unfolded
MAX_DOTS = 80  # a lag chart with more changes is drawn without a dot at each


# -- the page -------------------------------------------------------------------------------


@router.get("/organizations/{organization_id}/timeline", response_class=HTMLResponse)
def timeline_page(
    organization_id: int,
    request: Request,
    uow: UowDep,
    at: AtDep,
    day: Annotated[int | None, Query(description="The day, as a proleptic ordinal.")] = None,
) -> Response:
    fragment = request.headers.get("HX-Request") == "true" and (
        request.headers.get("HX-Target") == "moment"
    )
    if day is not None:
        try:
            chosen = date.fromordinal(day)
        except (ValueError, OverflowError):
            raise InvalidInput(f"day {day} is not a day", field="day") from None
        at = end_of_day(chosen)
        if not fragment:  # the slider's form without JavaScript: keep the date in the address
            return RedirectResponse(_address(organization_id, chosen), status_code=303)
    view = timeline(uow, organization_id, at)
    context = _context(view, at is not None)
    if fragment:
        response = templates.TemplateResponse(request, "timeline_moment.html", context)
        response.headers["HX-Push-Url"] = _address(organization_id, view.at.date())
        return response
    return templates.TemplateResponse(request, "timeline.html", context)


def _address(organization_id: int, day: date) -> str:
    return f"/organizations/{organization_id}/timeline?at={day.isoformat()}"


def chronicled(request: Request) -> list[Organization]:
    """The organizations with a timeline, for the navigation (none if the database cannot
    be read: the page being drawn may be the error that says so)."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return []
    try:
        hidden = hidden_organizations(request)
        return [o for o in chronicled_organizations(UnitOfWork(engine)) if o.id not in hidden]
    except SQLAlchemyError:
        return []


templates.env.globals["chronicled_organizations"] = chronicled


# -- what the templates show ----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    color: str
    seats: int
    share: str  # of the filled seats, "31.0%"
    short: str = ""  # the faction's short name, where it differs, for narrow tables


@dataclass(frozen=True)
class Drawing:
    """One hemicycle of a body: the whole body, or one of its sections."""

    label: str  # "" for the whole body
    seats: SeatGroup
    svg: str
    rows: list[Row]


@dataclass(frozen=True)
class Card:
    body: Body
    above: str  # "elected by the Congress", "sends delegates to the Congress", ""
    drawings: list[Drawing]
    rows: list[Row]  # the whole body's seats by faction
    columns: list[tuple[str, dict[str, int]]]  # by section: (section, seats by faction label)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    council_id: int
    svg: str
    main: bool


def _context(view: TimelineView, dated: bool) -> dict[str, Any]:
    day = view.at.date()
    span = view.span
    legend = _legend(view.factions)
    colors = dict(legend)
    q = f"?at={day.isoformat()}"
    current = view.current
    earlier = view.earlier
    return {
        "v": view,
        "at": view.at if dated else None,
        "day": day,
        "q": q,
        "slider": {
            "min": span.first_day.toordinal(),
            "max": span.last_day.toordinal(),
            "value": min(
                max(day.toordinal(), span.first_day.toordinal()), span.last_day.toordinal()
            ),
        },
        "current": current,
        "shown_earlier": earlier[:SHOWN_EARLIER],
        "folded_earlier": earlier[SHOWN_EARLIER:],
        "ledger": {e.id: _ledger_link(view, e.seq) for e in view.entries},
        "cards": [_card(view, body, colors) for body in view.holding_seats()],
        "charts": _charts(view, colors),
        "lags": [
            (
                series,
                lag_chart_svg(
                    series,
                    title=_("%(body)s: representation lag %(against)s")
                    % {"body": series.subject.council.name, "against": series.subject.title},
                    marker=view.at,
                    max_dots=MAX_DOTS,
                ),
            )
            for series in view.lags
        ],
        "legend": legend,
        "long_day": long_day,
    }


def long_day(day: date) -> str:
    """'18 June 1917' ('18 июня 1917 г.': the language's long form)."""
    if i18n.current() == "en":
        return f"{day.day} {day:%B %Y}"
    return i18n.format_day(day)


def _legend(factions: Sequence[Faction]) -> list[tuple[str, str]]:
    return [(f.name, f.color) for f in factions] + [(NON_PARTY, NON_PARTY_COLOR)]  # |word


def _ledger_link(view: TimelineView, seq: int) -> str:
    first, count = view.changes_after(next(e for e in view.entries if e.seq == seq))
    if count:
        return f"/api/ledger?after={first - 1}&limit={min(count, 1000)}"
    return f"/api/ledger?after={first - 1}"


def _label(group: Group, factions: dict[int, Faction]) -> str:
    return factions[group].name if group is not None and group in factions else NON_PARTY


def _ordered(counts: dict[Group, int], view: TimelineView) -> list[tuple[str, int]]:
    """Seats by faction label, in the organization's faction order, non-party last."""
    by_id = {f.id: f for f in view.factions}
    found = [(f.name, counts[f.id]) for f in view.factions if counts.get(f.id)]
    found += [(_label(g, by_id), n) for g, n in counts.items() if g is not None and g not in by_id]
    if counts.get(None):
        found.append((NON_PARTY, counts[None]))
    return found


def _rows(seats: SeatGroup, view: TimelineView, colors: dict[str, str]) -> list[Row]:
    filled = seats.filled
    shorts = {f.name: f.short_name for f in view.factions if f.short_name != f.name}
    return [
        Row(
            label,
            colors.get(label, NON_PARTY_COLOR),
            n,
            i18n.format_share(n / filled, 1),
            shorts.get(label, ""),
        )
        for label, n in _ordered(seats.factions, view)
    ]


def _drawing(
    label: str, title: str, seats: SeatGroup, view: TimelineView, colors: dict[str, str]
) -> Drawing:
    rows = _rows(seats, view, colors)
    groups = [DrawnGroup(slugify(r.label), word(r.label), r.seats, r.color) for r in rows]
    total = max(seats.seats, seats.filled)
    svg = hemicycle_svg(groups, seats.seats, title=title, compact=total >= COMPACT_FROM)
    return Drawing(label, seats, svg, rows)


def _card(view: TimelineView, body: Body, colors: dict[str, str]) -> Card:
    council = body.council
    when = i18n.format_day(view.at)
    above = ""
    if body.above is not None:
        above = (
            _("elected by %(body)s")
            if council.kind in (CouncilKind.COMMITTEE, CouncilKind.OFFICE)
            else _("sends delegates to %(body)s")
        ) % {"body": body.above.name}
    if body.sections:
        no_section = _("no section")
        drawings = [
            _drawing(
                part.section.name if part.section else _("No section"),
                f"{council.name}, {part.section.name if part.section else no_section}, {when}",
                part.seats,
                view,
                colors,
            )
            for part in body.sections
        ]
    else:
        drawings = [_drawing("", f"{council.name}, {when}", body.seats, view, colors)]
    columns = [(d.label, dict(_ordered(d.seats.factions, view))) for d in drawings]
    return Card(body, above, drawings, _rows(body.seats, view, colors), columns)


def _charts(view: TimelineView, colors: dict[str, str]) -> list[Chart]:
    charts = []
    for part in view.series:
        if not any(step.filled for step in part.series.steps):
            continue
        key = f"{part.council.id}" + (f"-{part.section.id}" if part.section else "")
        charts.append(
            Chart(
                key=key,
                title=part.title,
                council_id=part.council.id,
                svg=shares_chart_svg(
                    part, view.factions, colors, marker=view.at, until=view.span.drawn_until
                ),
                main=part.main,
            )
        )
    return charts


# -- the shares chart -----------------------------------------------------------------------

WIDTH, HEIGHT = 360.0, 132.0
LEFT, RIGHT, TOP, BOTTOM = 42.0, 8.0, 8.0, 24.0


def shares_chart_svg(
    part: BodySeries,
    factions: Sequence[Faction],
    colors: dict[str, str],
    *,
    marker: datetime | None = None,
    until: datetime | None = None,
) -> str:
    """The body's filled seats by faction as stacked shares over the series' period (or on
    to `until`, the last step holding), the first faction on top; blank where no seat is
    filled; a dashed line at half; the marker (the day shown) as a vertical line."""
    series = part.series
    start, end = series.start, max(series.end, until or series.end)
    if end <= start:
        end = start + timedelta(days=1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = (end - start).total_seconds()
    by_id = {f.id: f for f in factions}
    order: list[Group] = [f.id for f in factions]
    order += [g for g in series.groups() if g not in order]

    def x(moment: datetime) -> float:
        moment = min(max(moment, start), end)
        return LEFT + plot_w * (moment - start).total_seconds() / span

    def y(share: float) -> float:
        return TOP + plot_h * share

    title = _("%(body)s: seats by faction") % {"body": part.title}
    description = _describe(series, order, by_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="shares-chart" viewBox="0 0 '
        f'{WIDTH:.0f} {HEIGHT:.0f}" role="img" aria-label="{escape(title)}. '
        f'{escape(description)}" font-family="{FONT}" data-from="{iso(start)}" '
        f'data-to="{iso(end)}" data-steps="{len(series.steps)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
        f'<rect class="plot" x="{LEFT:.1f}" y="{TOP:.1f}" width="{plot_w:.1f}" '
        f'height="{plot_h:.1f}"/>',
    ]
    # Each faction's band is painted as the area from the top down to the bottom of its
    # band, the last faction first: one edge a band, in H and V commands.
    drawn = _drawn_steps(series, x)
    for k in reversed(range(len(order))):
        group = order[k]
        label = _label(group, by_id)
        if not any(step.seats.get(group) for _, _, step in drawn):
            continue
        d = []
        for run in _runs(drawn):
            path = f"M{run[0][0]:.1f},{y(0):.1f}"
            for _x0, x1, step in run:
                lower = sum(step.share(g) for g in order[: k + 1])
                path += f"V{y(lower):.1f}H{x1:.1f}"
            d.append(path + f"V{y(0):.1f}Z")
        color = colors.get(label, NON_PARTY_COLOR)
        parts.append(
            f'<path class="band" data-faction="{escape(slugify(label))}" d="{"".join(d)}" '
            f'fill="{escape(color)}"><title>{escape(word(label))}</title></path>'
        )
    parts.append(
        f'<line class="half" x1="{LEFT:.1f}" x2="{WIDTH - RIGHT:.1f}" y1="{y(0.5):.1f}" '
        f'y2="{y(0.5):.1f}"/>'
    )
    for share in (0.0, 0.5, 1.0):
        text = i18n.format_share(1 - share)
        parts.append(
            f'<text class="tick" x="{LEFT - 4:.1f}" y="{y(share) + 3.5:.1f}" '
            f'text-anchor="end">{text}</text>'
        )
    for moment, text in day_ticks(start, end):
        parts.append(
            f'<line class="tick-mark" x1="{x(moment):.1f}" x2="{x(moment):.1f}" '
            f'y1="{TOP + plot_h:.1f}" y2="{TOP + plot_h + 4:.1f}"/>'
            f'<text class="tick" x="{x(moment):.1f}" y="{TOP + plot_h + 16:.1f}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    if marker is not None and start <= marker and marker.date() <= end.date():
        parts.append(
            f'<line class="marker" data-at="{iso(marker)}" x1="{x(marker):.1f}" '
            f'x2="{x(marker):.1f}" y1="{TOP - 4:.1f}" y2="{TOP + plot_h:.1f}">'
            f"<title>{i18n.format_day(marker)}</title></line>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _drawn_steps(series: SeatSeries, x: Any) -> list[tuple[float, float, Step]]:
    """The steps as drawn, (x from, x to, step): a step narrower than a unit (about a
    pixel) gives way to the next, drawn from where it began; the last runs to the right
    edge. So a chart of thousands of changes stays a few kilobytes."""
    xs = [x(step.at) for step in series.steps]
    right = LEFT + (WIDTH - LEFT - RIGHT)
    drawn: list[tuple[float, float, Step]] = []
    for i, step in enumerate(series.steps):
        x1 = xs[i + 1] if i + 1 < len(xs) else right
        x0 = drawn.pop()[0] if drawn and drawn[-1][1] - drawn[-1][0] < 1.0 else xs[i]
        drawn.append((x0, x1, step))
    return drawn


def _runs(drawn: list[tuple[float, float, Step]]) -> list[list[tuple[float, float, Step]]]:
    """The drawn steps in runs of filled seats (nothing is drawn where none is filled)."""
    runs: list[list[tuple[float, float, Step]]] = []
    previous_filled = False
    for item in drawn:
        filled = item[2].filled > 0
        if filled:
            if previous_filled:
                runs[-1].append(item)
            else:
                runs.append([item])
        previous_filled = filled
    return runs


def _describe(series: SeatSeries, order: Sequence[Group], by_id: dict[int, Faction]) -> str:
    """The chart in words: the shares at the start and at each change (the last ones if
    there are many)."""

    def shares(step_index: int) -> str:
        step = series.steps[step_index]
        if not step.filled:
            return _("no seat filled")
        return ", ".join(
            f"{word(_label(g, by_id))} {step.seats[g]} ({i18n.format_share(step.share(g))})"
            for g in order
            if step.seats.get(g)
        )

    shown = list(range(len(series.steps)))
    skipped = 0
    if len(shown) > 24:
        skipped = len(shown) - 23
        shown = [0, *shown[-22:]]
    text = [f"{i18n.format_day(series.steps[i].at)}: {shares(i)}" for i in shown]
    if skipped:
        between = ngettext("%(num)d change between", "%(num)d changes between", skipped)
        text.insert(1, f"({between % {'num': skipped}})")
    return "; ".join(text)


def day_ticks(start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """At most six ticks, on the first of months ('Jun', the year at January and at the
    first tick) or, over a short period, on days ('18 Jun')."""
    days = (end - start).total_seconds() / 86400
    if days <= 62:
        step = max(1, -(-int(days) // 5))
        ticks = []
        current = start.date() + timedelta(days=1)
        while _midnight(current) <= end:
            ticks.append((_midnight(current), _short_day(current)))
            current += timedelta(days=step)
        return ticks
    months = next(n for n in (1, 2, 3, 6, 12, 24, 60, 120, 1200) if days / 30.44 / n <= 6)
    current = date(start.year, start.month, 1)
    ticks = []
    first = True
    while _midnight(current) <= end:
        if _midnight(current) >= start and (current.year * 12 + current.month - 1) % months == 0:
            if months >= 12:
                text = str(current.year)
            elif first or current.month == 1:
                text = _month(current, with_year=True)
            else:
                text = _month(current)
            ticks.append((_midnight(current), text))
            first = False
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return ticks


def _short_day(day: date) -> str:
    """'18 Jun' ('18 июн.')."""
    if i18n.current() == "en":
        return f"{day.day} {day:%b}"
    return format_date(day, "d MMM", locale=i18n.current())


def _month(day: date, *, with_year: bool = False) -> str:
    """'Jun', 'Jun 1917' ('июнь', 'июнь 1917')."""
    if i18n.current() == "en":
        return f"{day:%b %Y}" if with_year else f"{day:%b}"
    return format_date(day, "LLL y" if with_year else "LLL", locale=i18n.current())


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
