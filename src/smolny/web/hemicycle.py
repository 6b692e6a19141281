"""A council's composition drawn as a parliament hemicycle, in SVG.

The layout is the classic one of Wikipedia's parliament diagrams: seats sit on concentric
semicircular rows, every row holding a number of seats proportional to its radius so that the
spacing stays even; all seat positions are then swept by angle from the left end, and the groups
take their seats in order along that sweep, so that each faction occupies a wedge.

Geometry, in "row units" before scaling: with ``n`` rows, row ``i`` (1 = innermost) has radius
``(3n + 4i - 2) / 4n``, rows are ``1/n`` apart, seats have radius ``0.4/n``, and no two seats of a
row are closer than ``1/n`` (chord between centres). Any two seats are therefore at least ``1/n``
apart, and circles of radius ``0.4/n`` never overlap.

The result is a string of SVG markup, meant to be inserted into a page as is (``|safe`` in
Jinja2): every piece of user data in it (titles, labels, keys, colours) is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from smolny.web.i18n import gettext, ngettext

__all__ = ["SeatGroup", "hemicycle_svg"]

_SVG_NS = "http://www.w3.org/2000/svg"
_SCALE = 100.0  # SVG user units per row unit
_SEAT_RATIO = 0.4  # seat radius / row spacing
_PAD = 4.0  # blank border around the drawing, in SVG user units
_VACANT_STROKE = "#9ca3af"
_COMPACT_VACANT = "#d5dbe1"
_FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"


@dataclass(frozen=True)
class SeatGroup:
    """One block of seats drawn in one colour: a faction, or the delegates without faction."""

    key: str  # stable identifier, e.g. the faction's slug; "" for delegates without faction
    label: str  # human name, e.g. "Bolsheviks"
    seats: int
    color: str  # CSS colour "#rrggbb"


@dataclass(frozen=True)
class _Seat:
    angle: float  # radians from the left end of the hemicycle (0) to the right end (pi)
    radius: float  # distance from the centre, in row units


def _num(value: float) -> str:
    """A coordinate rounded to 2 decimals, without useless zeros: 12.50 -> "12.5"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _seats_word(count: int) -> str:
    return ngettext("%(num)d seat", "%(num)d seats", count) % {"num": count}


def _row_radii(rows: int) -> list[float]:
    return [(3 * rows + 4 * i - 2) / (4 * rows) for i in range(1, rows + 1)]


def _row_capacity(radius: float, spacing: float) -> int:
    """How many seats fit on a half circle of ``radius``, centres at least ``spacing`` apart."""
    min_step = 2 * math.asin(spacing / (2 * radius))
    return math.floor(math.pi / min_step + 1e-9) + 1


def _capacities(rows: int) -> list[int]:
    return [_row_capacity(r, 1 / rows) for r in _row_radii(rows)]


def _rows_for(total: int) -> int:
    """The fewest rows that hold ``total`` seats: more seats, more rows."""
    rows = 1
    while sum(_capacities(rows)) < total:
        rows += 1
    return rows


def _seats_per_row(total: int, radii: Sequence[float], capacities: Sequence[int]) -> list[int]:
    """Share ``total`` seats among rows in proportion to their radius, exactly, within capacity.

    Largest remainder: every row first gets the floor of its share, then the seats left over go
    one by one to the rows furthest below their share (outer rows first on ties).
    """
    radius_sum = sum(radii)
    shares = [total * r / radius_sum for r in radii]
    counts = [min(math.floor(s), c) for s, c in zip(shares, capacities, strict=True)]
    left = total - sum(counts)
    while left > 0:
        candidates = [i for i in range(len(radii)) if counts[i] < capacities[i]]
        candidates.sort(key=lambda i: (shares[i] - counts[i], i), reverse=True)
        for i in candidates[:left]:
            counts[i] += 1
        left = total - sum(counts)
    return counts


def _layout(total: int) -> tuple[int, list[_Seat]]:
    """Number of rows and the ``total`` seat positions, in sweep order (left to right)."""
    rows = _rows_for(total)
    radii = _row_radii(rows)
    counts = _seats_per_row(total, radii, _capacities(rows))
    seats: list[_Seat] = []
    for radius, count in zip(radii, counts, strict=True):
        if count == 1:
            seats.append(_Seat(math.pi / 2, radius))
        elif count > 1:
            seats.extend(_Seat(math.pi * j / (count - 1), radius) for j in range(count))
    seats.sort(key=lambda s: (round(s.angle, 9), s.radius))
    return rows, seats


def _element_id(title: str, groups: Sequence[SeatGroup], total_seats: int) -> str:
    """A deterministic id prefix, distinct for distinct diagrams (FNV-1a over the input)."""
    text = repr((title, [(g.key, g.label, g.seats, g.color) for g in groups], total_seats))
    digest = 0x811C9DC5
    for byte in text.encode("utf-8"):
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"hemicycle-{digest:08x}"


def _description(groups: Sequence[SeatGroup], vacant: int, vacant_label: str, drawn: int) -> str:
    parts = [f"{g.label} {g.seats}" for g in groups if g.seats > 0]
    if vacant > 0:
        parts.append(f"{vacant_label} {vacant}")
    if not parts:
        return "No seats"
    return f"{', '.join(parts)} — {_seats_word(drawn)}"


def _empty_svg(element_id: str, title: str) -> str:
    return (
        f'<svg xmlns="{_SVG_NS}" class="hemicycle" viewBox="0 0 200 60" role="img" '
        f'aria-labelledby="{element_id}-title" aria-describedby="{element_id}-desc">'
        f'<title id="{element_id}-title">{_esc(title)}</title>'
        f'<desc id="{element_id}-desc">No seats</desc>'
        f'<text x="100" y="36" text-anchor="middle" font-family="{_FONT}" font-size="16" '
        f'fill="currentColor">No seats</text>'
        "</svg>"
    )


def _seats_path(
    seats: Sequence[_Seat], cx: float, cy: float, r: float, key: str, label: str, color: str
) -> str:
    """Seats as the round caps of zero-length strokes, all in one path: a dozen characters
    a seat."""
    dots = "".join(
        f"M{_num1(cx - s.radius * _SCALE * math.cos(s.angle))} "
        f"{_num1(cy - s.radius * _SCALE * math.sin(s.angle))}h0"
        for s in seats
    )
    return (
        f'<path class="seats" data-faction="{_esc(key)}" data-seats="{len(seats)}" d="{dots}" '
        f'fill="none" stroke="{_esc(color)}" stroke-width="{_num(2 * r)}" '
        f'stroke-linecap="round"><title>{_esc(label)}: {_seats_word(len(seats))}</title></path>'
    )


def _num1(value: float) -> str:
    """A coordinate rounded to 1 decimal: enough for seats of a compact hemicycle."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def hemicycle_svg(
    groups: Sequence[SeatGroup],
    total_seats: int,
    *,
    title: str,
    vacant_label: str | None = None,  # "Vacant", in the request's language
    compact: bool = False,
) -> str:
    """The council's composition as a hemicycle: an ``<svg>`` element, as a string.

    ``groups`` are drawn left to right in the order given. Seats beyond ``sum(g.seats)`` up to
    ``total_seats`` are drawn as hollow "vacant" circles at the right end; if the groups hold
    more than ``total_seats``, all their seats are drawn anyway. Every seat is one
    ``<circle class="seat" data-faction="{key}">`` (``"vacant"`` for vacant seats) with a
    ``<title>`` naming its group. Raises ``ValueError`` on a negative number of seats.

    ``compact`` draws each group's seats as one ``<path class="seats" data-faction="{key}">``
    titled with the group and its seats (vacant seats as light grey dots), coordinates to one
    decimal: a tenth of the markup, for large councils (thousands of seats) and for pages
    that show many hemicycles at once.
    """
    if total_seats < 0:
        raise ValueError(f"total_seats must not be negative, got {total_seats}")
    for group in groups:
        if group.seats < 0:
            raise ValueError(f"group {group.key!r} has a negative number of seats: {group.seats}")
    vacant_label = vacant_label if vacant_label is not None else gettext("Vacant")

    filled = sum(g.seats for g in groups)
    drawn = max(filled, total_seats)
    vacant = drawn - filled
    element_id = _element_id(title, groups, total_seats)
    if drawn == 0:
        return _empty_svg(element_id, title)

    rows, seats = _layout(drawn)
    radii = _row_radii(rows)
    seat_r = _SEAT_RATIO / rows * _SCALE
    outer = radii[-1] * _SCALE
    inner = radii[0] * _SCALE
    cx = _PAD + outer + seat_r
    cy = _PAD + outer + seat_r
    width = 2 * cx
    height = cy + seat_r + _PAD

    out: list[str] = [
        f'<svg xmlns="{_SVG_NS}" class="hemicycle" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'role="img" aria-labelledby="{element_id}-title" aria-describedby="{element_id}-desc">',
        f'<title id="{element_id}-title">{_esc(title)}</title>',
        f'<desc id="{element_id}-desc">{_esc(_description(groups, vacant, vacant_label, drawn))}'
        "</desc>",
    ]

    def circles(start: int, count: int, key: str, label: str, r: float, color: str) -> None:
        if compact:
            out.append(_seats_path(seats[start : start + count], cx, cy, r, key, label, color))
            return
        attrs = f'class="seat" data-faction="{_esc(key)}"'
        tooltip = f"<title>{_esc(label)}</title>"
        for seat in seats[start : start + count]:
            x = cx - seat.radius * _SCALE * math.cos(seat.angle)
            y = cy - seat.radius * _SCALE * math.sin(seat.angle)
            out.append(
                f'<circle {attrs} cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}">{tooltip}</circle>'
            )

    position = 0
    for group in groups:
        if group.seats == 0:
            continue
        out.append(f'<g fill="{_esc(group.color)}">')
        circles(position, group.seats, group.key, group.label, seat_r, group.color)
        out.append("</g>")
        position += group.seats
    if vacant > 0:
        stroke = max(seat_r * 0.25, 0.3)
        out.append(f'<g fill="none" stroke="{_VACANT_STROKE}" stroke-width="{_num(stroke)}">')
        if compact:
            circles(position, vacant, "vacant", vacant_label, seat_r, _COMPACT_VACANT)
        else:
            circles(position, vacant, "vacant", vacant_label, seat_r - stroke / 2, "")
        out.append("</g>")

    # The count of filled seats, in the free space inside the innermost row.
    free = inner - seat_r
    big = free * 0.5
    small = big * 0.36
    text = f'text-anchor="middle" font-family="{_FONT}" fill="currentColor"'
    baseline = cy - free * 0.05
    if vacant > 0:
        out.append(
            f'<text class="hemicycle-of" x="{_num(cx)}" y="{_num(baseline)}" {text} '
            f'font-size="{_num(small)}">of {_seats_word(drawn)}</text>'
        )
        baseline -= small * 1.3
    out.append(
        f'<text class="hemicycle-total" x="{_num(cx)}" y="{_num(baseline)}" {text} '
        f'font-size="{_num(big)}" font-weight="700">{filled}</text>'
    )
    out.append("</svg>")
    return "".join(out)
