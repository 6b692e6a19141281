"""The analytics pages: a body's representation lag (now, at a moment and over time),
the malapportionment of its seats and the proportionality of its elections; and each
election's proportionality, as a page and as a fragment for other pages to include.

The charts are SVG drawn here: the lag over time as step lines (the lag holds between
changes), with the body's own elections as vertical lines; electors per seat as bars
against the council's average; shares as two stacked bars, the body's over its target's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from html import escape
from typing import Any

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from smolny.api.deps import AtDep, UowDep
from smolny.domain.analytics import Comparison, Group
from smolny.ledger.chain import iso
from smolny.services.analytics import (
    ElectionProportionality,
    Groups,
    LagPanel,
    LagSeries,
    MalapportionmentView,
    council_analytics,
    election_proportionality,
)
from smolny.web.i18n import _, format_day, format_number, format_share, full_stop, ngettext
from smolny.web.i18n import current as current_language
from smolny.web.pages import templates
from smolny.web.words import lag_target, word

router = APIRouter(include_in_schema=False)

FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
LH_COLOR = "#a61b1b"  # the accent: Loosemore–Hanby
G_COLOR = "#1f2933"  # the ink: Gallagher
ELECTION_COLOR = "#52606d"


# -- formatting -----------------------------------------------------------------------------


def pp(value: float | None, digits: int = 1) -> str:
    """Percentage points for reading: '12.5 pp' ('12,5 п. п.'), or '—' when undefined."""
    if value is None:
        return "—"
    return _("%(value)s pp") % {"value": format_number(value, decimals=digits)}


def percent(share: Fraction | None) -> str:
    return "—" if share is None else format_share(float(share), 1)


def number(value: Fraction | None) -> str:
    if value is None:
        return "—"
    if value.denominator == 1:
        return format_number(int(value))
    return format_number(float(value), decimals=2)


def signed(value: float | None) -> str:
    if value is None:
        return "—"
    return ("+" if value >= 0 else "-") + format_number(abs(value), decimals=1)


def day(moment: datetime | None) -> str:
    return format_day(moment)


HELPERS: dict[str, Any] = {
    "pp": pp,
    "percent": percent,
    "number": number,
    "signed": signed,
    "iso": iso,
}


# -- pages ----------------------------------------------------------------------------------


@router.get("/councils/{council_id}/analytics", response_class=HTMLResponse)
def council_analytics_page(
    council_id: int, request: Request, uow: UowDep, at: AtDep
) -> HTMLResponse:
    analytics = council_analytics(uow, council_id, at)
    council = analytics.council
    panels = [_panel(p, council.name) for p in analytics.lags]
    malapportionment = analytics.malapportionment
    return templates.TemplateResponse(
        request,
        "analytics_council.html",
        {
            "a": analytics,
            "at": at,
            "panels": panels,
            "m": malapportionment,
            "electors_chart": electors_chart_svg(malapportionment) if malapportionment else "",
            **HELPERS,
        },
    )


@router.get("/elections/{election_id}/proportionality", response_class=HTMLResponse)
def election_proportionality_page(election_id: int, request: Request, uow: UowDep) -> HTMLResponse:
    view = election_proportionality(uow, election_id)
    return templates.TemplateResponse(
        request, "analytics_election.html", {"p": view, "bars": _votes_bars(view), **HELPERS}
    )


@router.get("/elections/{election_id}/proportionality/fragment", response_class=HTMLResponse)
def election_proportionality_fragment(
    election_id: int, request: Request, uow: UowDep
) -> HTMLResponse:
    """The proportionality section alone, for another page to include (htmx)."""
    view = election_proportionality(uow, election_id)
    return templates.TemplateResponse(
        request,
        "analytics_proportionality_part.html",
        {"p": view, "bars": _votes_bars(view), **HELPERS},
    )


@dataclass(frozen=True)
class Panel:
    """One lag view on the page: a target, the lag at the moment, and its series."""

    key: str
    title: str
    description: str
    lag: Any
    rows: list[dict[str, Any]]
    bars: str
    chart: str
    series: LagSeries

    @property
    def drawn(self) -> bool:
        """Whether the series has a lag to draw at all."""
        return any(p.loosemore_hanby is not None for p in self.series.points)


def _panel(panel: LagPanel, body: str) -> Panel:
    view = panel.view
    subject = view.subject
    comparison = view.comparison()
    rows = [
        {
            "label": word(subject.groups.label(row.key)),
            "color": subject.groups.color(row.key),
            "seats": number(row.actual),
            "share": percent(row.actual_share),
            "target": percent(row.reference_share),
            "difference": signed(row.difference),
        }
        for row in comparison.rows
    ]
    bars = stacked_bars_svg(
        [
            (
                _("%(body)s: its seats") % {"body": body},
                _segments(comparison, subject.groups, actual=True),
            ),
            (_("Target"), _segments(comparison, subject.groups, actual=False)),
        ],
        title=_("%(body)s: seat shares by faction against the target, %(day)s")
        % {"body": body, "day": day(view.lag.at)},
    )
    return Panel(
        key=subject.target.value,
        title=lag_target(subject.title),
        description=subject.description,
        lag=view.lag,
        rows=rows,
        bars=bars,
        chart=lag_chart_svg(
            panel.series,
            title=_("%(body)s: representation lag %(against)s")
            % {"body": body, "against": lag_target(subject.title)},
        ),
        series=panel.series,
    )


def _segments(
    comparison: Comparison[Group], groups: Groups, *, actual: bool
) -> list[tuple[str, float, str]]:
    found = []
    for row in comparison.rows:
        share = row.actual_share if actual else row.reference_share
        if share:
            found.append((word(groups.label(row.key)), float(share), groups.color(row.key)))
    return found


def _votes_bars(view: ElectionProportionality) -> str:
    if view.measure is None:
        return ""
    comparison, groups = view.comparison, view.groups
    return stacked_bars_svg(
        [
            (word(view.measure).capitalize(), _segments(comparison, groups, actual=False)),
            (_("Seats"), _segments(comparison, groups, actual=True)),
        ],
        title=_("%(election)s: %(measure)s and seats by faction")
        % {"election": view.title, "measure": word(view.measure)},
    )


# -- charts ---------------------------------------------------------------------------------


def stacked_bars_svg(
    bars: Sequence[tuple[str, Sequence[tuple[str, float, str]]]], title: str
) -> str:
    """Horizontal 100% bars, one per row: (row label, [(segment label, share, colour)])."""
    width, bar, gap, label = 540.0, 22.0, 12.0, 18.0
    height = len(bars) * (label + bar + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="shares" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" role="img" aria-label="{escape(title)}" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
    ]
    y = 0.0
    for name, segments in bars:
        parts.append(f'<text x="0" y="{y + 13:.1f}" class="bar-label">{escape(name)}</text>')
        y += label
        parts.append(
            f'<rect x="0" y="{y:.1f}" width="{width:.0f}" height="{bar:.0f}" fill="#eef2f6"/>'
        )
        x = 0.0
        for segment, share, color in segments:
            w = share * width
            parts.append(
                f'<rect class="segment" data-faction="{escape(segment)}" data-share="'
                f'{100 * share:.4f}" x="{x:.2f}" y="{y:.1f}" width="{w:.2f}" height="{bar:.0f}" '
                f'fill="{escape(color)}"><title>{escape(segment)}: {format_share(share, 1)}</title>'
                "</rect>"
            )
            if w >= 64:
                parts.append(
                    f'<text x="{x + 5:.1f}" y="{y + 15.5:.1f}" class="segment-label">'
                    f"{escape(_short(segment, w))} {format_share(share)}</text>"
                )
            x += w
        y += bar + gap
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, room: float) -> str:
    keep = max(int(room / 8) - 4, 1)
    return text if len(text) <= keep else text[: max(keep - 1, 1)] + "…"


# The lag chart's frame, in SVG units.
CHART_W, CHART_H = 540.0, 270.0
LEFT, RIGHT, TOP, BOTTOM = 40.0, 14.0, 26.0, 36.0


def lag_chart_svg(
    series: LagSeries, *, title: str, marker: datetime | None = None, max_dots: int | None = None
) -> str:
    """Both indices over the period as step lines, a marker at every change, and the
    body's own elections as vertical lines; dates along the bottom; `marker` (a moment
    being shown elsewhere on the page), if within the period, as a solid vertical line.
    With more changes than `max_dots`, the step lines are drawn without their markers."""
    start, end = series.start, series.end
    if end <= start:
        end = start + timedelta(days=1)
    values = [v for p in series.points for v in (p.loosemore_hanby, p.gallagher) if v is not None]
    top = _nice_ceiling(max([5.0, *values]))
    plot_w, plot_h = CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM
    span = (end - start).total_seconds()

    def x(moment: datetime) -> float:
        return LEFT + plot_w * (moment - start).total_seconds() / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    pp_unit = _("pp")
    elected_on = _("%(body)s elected, %(day)s")
    body = series.subject.council.name
    defined = [p for p in series.points if p.loosemore_hanby is not None]
    moments = ngettext(
        "%(num)d moment with a lag from %(start)s to %(end)s",
        "%(num)d moments with a lag from %(start)s to %(end)s",
        len(defined),
    ) % {"num": len(defined), "start": day(series.start), "end": day(series.end)}
    at_end = (
        _("at the end Loosemore–Hanby %(lh)s, Gallagher %(g)s")
        % {"lh": pp(series.points[-1].loosemore_hanby), "g": pp(series.points[-1].gallagher)}
        if series.points
        else _("no moment")
    )
    elections = _("the body's own elections: %(days)s") % {
        "days": ", ".join(day(t) for t in series.elections) or _("none")
    }
    description = full_stop(f"{moments}; {at_end}; {elections}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lag-chart" viewBox="0 0 {CHART_W:.0f} '
        f'{CHART_H:.0f}" role="img" aria-label="{escape(title)}. {escape(description)}" '
        f'font-family="{FONT}" data-from="{iso(series.start)}" data-to="{iso(series.end)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    for tick in _value_ticks(top):
        parts.append(
            f'<line class="grid" x1="{LEFT:.1f}" x2="{CHART_W - RIGHT:.1f}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/>'
            f'<text class="tick" x="{LEFT - 6:.1f}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{tick:g}</text>"
        )
    parts.append(
        f'<text class="axis" x="{LEFT - 6:.1f}" y="{TOP - 10:.1f}" text-anchor="end">'
        f"{escape(pp_unit)}</text>"
    )
    for moment, text in _date_ticks(start, end):
        # A label at the right edge ends there rather than running off the chart.
        at_edge = x(moment) > CHART_W - RIGHT - 5 * len(text)
        label_x, anchor = (CHART_W - 1, "end") if at_edge else (x(moment), "middle")
        parts.append(
            f'<line class="tick-mark" x1="{x(moment):.1f}" x2="{x(moment):.1f}" '
            f'y1="{TOP + plot_h:.1f}" y2="{TOP + plot_h + 5:.1f}"/>'
            f'<text class="tick" x="{label_x:.1f}" y="{TOP + plot_h + 19:.1f}" '
            f'text-anchor="{anchor}">{escape(text)}</text>'
        )
    parts.append(
        f'<line class="baseline" x1="{LEFT:.1f}" x2="{CHART_W - RIGHT:.1f}" '
        f'y1="{TOP + plot_h:.1f}" y2="{TOP + plot_h:.1f}"/>'
    )
    for moment in series.elections:
        parts.append(
            f'<line class="election" data-at="{iso(moment)}" x1="{x(moment):.1f}" '
            f'x2="{x(moment):.1f}" y1="{TOP:.1f}" y2="{TOP + plot_h:.1f}">'
            f"<title>{escape(elected_on % {'body': body, 'day': day(moment)})}</title></line>"
        )
    if marker is not None and start <= marker and marker.date() <= end.date():
        at = min(marker, end)
        parts.append(
            f'<line class="marker" data-at="{iso(marker)}" x1="{x(at):.1f}" x2="{x(at):.1f}" '
            f'y1="{TOP - 6:.1f}" y2="{TOP + plot_h:.1f}" stroke="{G_COLOR}" stroke-width="2">'
            f"<title>{day(marker)}</title></line>"
        )
    for key, color, dash in (("lh", LH_COLOR, ""), ("g", G_COLOR, ' stroke-dasharray="5 3"')):
        path = _step_path(series, key, x, y, x(end))
        if path:
            parts.append(
                f'<path class="line line-{key}" d="{path}" fill="none" stroke="{color}" '
                f'stroke-width="2"{dash}/>'
            )
    dotted = max_dots is None or len(series.points) <= max_dots
    for point in series.points if dotted else ():
        for key, value, color, name in (
            ("lh", point.loosemore_hanby, LH_COLOR, "Loosemore–Hanby"),
            ("g", point.gallagher, G_COLOR, "Gallagher"),
        ):
            if value is None:
                continue
            parts.append(
                f'<circle class="point point-{key}" data-index="{key}" data-at="{iso(point.at)}" '
                f'data-value="{value:.4f}" cx="{x(point.at):.1f}" cy="{y(value):.1f}" r="3.5" '
                f'fill="{color}"><title>{day(point.at)}: {name} {pp(value, 2)}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _step_path(series: LagSeries, key: str, x: Any, y: Any, x_end: float) -> str:
    """The index as a step line: level from each change to the next, broken where the
    lag is undefined."""
    commands: list[str] = []
    previous: float | None = None
    for point in series.points:
        value = point.loosemore_hanby if key == "lh" else point.gallagher
        px = x(point.at)
        if value is None:
            if previous is not None:
                commands.append(f"H{px:.1f}")
            previous = None
            continue
        py = y(value)
        if previous is None:
            commands.append(f"M{px:.1f},{py:.1f}")
        else:
            commands.append(f"H{px:.1f}V{py:.1f}")
        previous = value
    if previous is not None:
        commands.append(f"H{x_end:.1f}")
    return "".join(commands)


def _nice_ceiling(value: float) -> float:
    """The smallest of 5, 10, 20, 25, 50, 100 (then 100) that is at least `value`."""
    for step in (5.0, 10.0, 20.0, 25.0, 50.0):
        if value <= step:
            return step
    return 100.0


def _value_ticks(top: float) -> list[float]:
    step = {5.0: 1.0, 10.0: 2.0, 20.0: 5.0, 25.0: 5.0, 50.0: 10.0}.get(top, 20.0)
    return [i * step for i in range(int(top / step) + 1)]


def _date_ticks(start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """About six dated ticks within the period: every few days, or months, or years."""
    days = (end - start).total_seconds() / 86400
    if days <= 45:
        step = max(1, math.ceil(days / 6))
        current = start.date() + timedelta(days=1)
        ticks = []
        while _midnight(current) <= end:
            ticks.append((_midnight(current), day(_midnight(current))))
            current += timedelta(days=step)
        return ticks
    wanted = days / 30.44 / 6
    months = next((n for n in (1, 2, 3, 6, 12, 24, 60, 120) if wanted <= n), 240)
    current = date(start.year, start.month, 1)
    ticks = []
    while _midnight(current) <= end:
        if _midnight(current) >= start and (current.year * 12 + current.month - 1) % months == 0:
            label = str(current.year) if months >= 12 else _month(current)
            ticks.append((_midnight(current), label))
        current = _next_month(current)
    return ticks


def _month(d: date) -> str:
    """'1917-06' in English (as before), the month and year in another language."""
    if current_language() == "en":
        return d.strftime("%Y-%m")
    return format_date(d, "LLL y", locale=current_language())


def electors_seats(d: Any) -> str:
    electors = ngettext("%(num)s elector", "%(num)s electors", d.electors) % {
        "num": format_number(d.electors)
    }
    seats = ngettext("%(num)d seat", "%(num)d seats", d.seats) % {"num": d.seats}
    return f"{electors}, {seats}"


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def electors_chart_svg(view: MalapportionmentView) -> str:
    """Electors per seat by constituency as bars, against the council's average."""
    result = view.result
    rows = result.districts
    if not rows:
        return ""
    width, row_h, label_h, bar_h, right = 540.0, 42.0, 16.0, 16.0, 80.0
    height = len(rows) * row_h + 26
    peak = max([float(d.electors_per_seat or 0) for d in rows] + [1.0])
    average = float(result.electors_per_seat) if result.electors_per_seat is not None else None
    scale = (width - right) / peak
    title = _("%(council)s: electors per seat by constituency, %(day)s") % {
        "council": view.council.name,
        "day": day(view.at),
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="electors-chart" viewBox="0 0 '
        f'{width:.0f} {height:.0f}" role="img" aria-label="{escape(title)}" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
    ]
    y = 0.0
    for d in rows:
        name = view.name(d.key)
        parts.append(f'<text x="0" y="{y + 12:.1f}" class="bar-label">{escape(name)}</text>')
        top = y + label_h + 2
        per_seat = d.electors_per_seat
        if per_seat is None:
            no_seat = ngettext(
                "no seat (%(electors)s elector)", "no seat (%(electors)s electors)", d.electors
            ) % {"electors": format_number(d.electors)}
            parts.append(
                f'<text x="0" y="{top + 12:.1f}" class="muted-text">{escape(no_seat)}</text>'
            )
        else:
            w = float(per_seat) * scale
            parts.append(
                f'<rect class="per-seat" data-constituency="{escape(name)}" data-value="'
                f'{float(per_seat):.4f}" x="0" y="{top:.1f}" width="{w:.2f}" height="{bar_h:.0f}" '
                f'fill="#2e86c1"><title>{escape(name)}: {escape(electors_seats(d))}</title></rect>'
                f'<text x="{w + 6:.1f}" y="{top + 12.5:.1f}" class="value">'
                f"{number(per_seat)}</text>"
            )
        y += row_h
    if average is not None:
        average_text = _("average %(num)s") % {"num": number(result.electors_per_seat)}
        ax = average * scale
        parts.append(
            f'<line class="average" x1="{ax:.1f}" x2="{ax:.1f}" y1="0" y2="{y:.1f}"/>'
            f'<text x="{ax:.1f}" y="{y + 16:.1f}" text-anchor="middle" class="value">'
            f"{escape(average_text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
