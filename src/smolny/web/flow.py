"""A count's transfers as a flow chart (SVG): one column of stacked bars per round, ribbons
carrying each round's transfers from the candidates who gave votes to those who got them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from hashlib import sha256
from html import escape
from typing import Any

from smolny.web.i18n import format_number, gettext, ngettext

PALETTE = (
    "#c0392b", "#2e86c1", "#d4ac0d", "#239b56", "#8e44ad", "#d35400",
    "#17a589", "#7f8c8d", "#a93226", "#1f618d", "#b7950b", "#1e8449",
)  # fmt: skip
EXHAUSTED = "non-transferable"
EXHAUSTED_COLOR = "#bdc3c7"
COLUMN, GAP, HEIGHT, TOP, LEFT, LABELS = 18.0, 70.0, 320.0, 28.0, 10.0, 180.0
SPACING = 3.0  # between stacked bars


@dataclass(frozen=True)
class _Bar:
    name: str
    y: float
    height: float
    value: float


def flow_svg(
    count: Mapping[str, Any], *, colors: Mapping[str, str] | None = None, title: str = ""
) -> str:
    """Draw a count (the JSON form of a CountResult). Candidates keep their place from
    round to round; elected candidates are marked; exhausted votes gather at the bottom."""
    rounds: Sequence[Mapping[str, Any]] = count.get("rounds", ())
    candidates: list[str] = list(count.get("candidates", ()))
    if not rounds or not candidates:
        return ""
    colors = {
        name: (colors or {}).get(name, PALETTE[i % len(PALETTE)])
        for i, name in enumerate(candidates)
    }
    colors[EXHAUSTED] = EXHAUSTED_COLOR
    order = [*candidates, EXHAUSTED]
    columns = [_column(r, order) for r in rounds]
    peak = max(sum(v for v in col.values()) for col in columns) or 1.0
    rows = len(order)
    scale = (HEIGHT - SPACING * rows) / peak
    bars = [_stack(col, order, scale) for col in columns]
    width = LEFT + len(rounds) * COLUMN + (len(rounds) - 1) * GAP + LABELS
    height = TOP + HEIGHT + 24
    key = sha256(repr((title, [dict(r.get("tallies", {})) for r in rounds])).encode()).hexdigest()
    transfers = gettext("Transfers between rounds")
    ids = f"flow-{key[:8]}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" role="img" aria-labelledby="{ids}-t {ids}-d">',
        f'<title id="{ids}-t">{escape(title or transfers)}</title>',
        f'<desc id="{ids}-d">{escape(_describe(rounds))}</desc>',
    ]
    for i in range(1, len(rounds)):
        parts.extend(_ribbons(rounds[i], bars[i - 1], bars[i], i, scale, colors))
    elected: set[str] = set()
    for i, (rnd, column) in enumerate(zip(rounds, bars, strict=True)):
        x = _x(i)
        parts.append(
            f'<text x="{x + COLUMN / 2:.1f}" y="{TOP - 10:.1f}" text-anchor="middle" '
            f'class="flow-round">{i + 1}</text>'
        )
        elected |= set(rnd.get("elected", ()))
        for bar in column.values():
            if bar.height <= 0:
                continue
            mark = ' stroke="#111" stroke-width="1.5"' if bar.name in elected else ""
            tip = gettext("%(name)s, round %(round)d: %(votes)s") % {
                "name": bar.name,
                "round": i + 1,
                "votes": _number(bar.value),
            }
            parts.append(
                f'<rect class="flow-bar" data-candidate="{escape(bar.name)}" data-round="{i + 1}" '
                f'x="{x:.1f}" y="{bar.y:.1f}" width="{COLUMN:.1f}" height="{bar.height:.1f}" '
                f'fill="{colors[bar.name]}"{mark}><title>{escape(tip)}</title></rect>'
            )
    last = bars[-1]
    final = set(count.get("elected", ()))
    for name in order:
        end = last.get(name)
        if end is None or end.height <= 0:
            continue
        label = f"{name} ✓" if name in final else name
        x, y = _x(len(rounds) - 1) + COLUMN + 6, end.y + end.height / 2 + 4
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" class="flow-label">'
            f"{escape(label)} {_number(end.value)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _column(rnd: Mapping[str, Any], order: list[str]) -> dict[str, float]:
    tallies = {k: float(v) for k, v in rnd.get("tallies", {}).items()}
    tallies[EXHAUSTED] = float(rnd.get("exhausted", 0)) + float(rnd.get("lost", 0))
    return {name: tallies.get(name, 0.0) for name in order}


def _stack(column: dict[str, float], order: list[str], scale: float) -> dict[str, _Bar]:
    y = TOP
    bars = {}
    for name in order:
        h = column[name] * scale
        bars[name] = _Bar(name, y, h, column[name])
        y += h + (SPACING if h > 0 else 0)
    return bars


def _x(i: int) -> float:
    return LEFT + i * (COLUMN + GAP)


def _ribbons(
    rnd: Mapping[str, Any],
    before: dict[str, _Bar],
    after: dict[str, _Bar],
    i: int,
    scale: float,
    colors: dict[str, str],
) -> list[str]:
    """Ribbons into round i+1: each candidate's kept votes go straight across; the votes
    given in this round leave the givers' bars and reach the receivers' bars."""
    transfers = {k: float(v) for k, v in rnd.get("transfers", {}).items() if float(v) > 0}
    received = {EXHAUSTED if k not in after else k: v for k, v in transfers.items()}
    givers = {
        name: bar.value - after[name].value
        for name, bar in before.items()
        if name != EXHAUSTED and bar.value - after[name].value > 1e-9
    }
    given_total = sum(givers.values()) or 1.0
    out: list[str] = []
    x0, x1 = _x(i - 1) + COLUMN, _x(i)
    for name, bar in before.items():  # votes kept
        kept = min(bar.value, after[name].value)
        if kept > 0:
            out.append(_band(x0, bar.y, x1, after[name].y, kept * scale, colors[name], 0.18))
    offsets = {
        name: bar.y + (bar.value - givers.get(name, 0)) * scale for name, bar in before.items()
    }
    arrivals = {
        name: after[name].y + (after[name].value - received.get(name, 0)) * scale for name in after
    }
    for giver, amount in givers.items():
        for name, got in received.items():
            share = got * amount / given_total * scale
            if share <= 0:
                continue
            label = f"{giver} → {name}: {_number(got * amount / given_total)}"
            y0, y1 = offsets[giver], arrivals[name]
            out.append(_band(x0, y0, x1, y1, share, colors[giver], 0.45, label))
            offsets[giver] += share
            arrivals[name] += share
    return out


def _band(
    x0: float, y0: float, x1: float, y1: float, h: float, color: str, opacity: float,
    label: str = "",
) -> str:  # fmt: skip
    mid = (x0 + x1) / 2
    path = (
        f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
        f"L{x1:.1f},{y1 + h:.1f} C{mid:.1f},{y1 + h:.1f} {mid:.1f},{y0 + h:.1f} "
        f"{x0:.1f},{y0 + h:.1f} Z"
    )
    title = f"<title>{escape(label)}</title>" if label else ""
    cls = "flow-transfer" if label else "flow-kept"
    return f'<path class="{cls}" d="{path}" fill="{color}" fill-opacity="{opacity}">{title}</path>'


def _number(value: float) -> str:
    return format_number(value, decimals=0 if float(value).is_integer() else 2)


def _describe(rounds: Sequence[Mapping[str, Any]]) -> str:
    steps = [str(r.get("action", "")) for r in rounds]
    said = ngettext("%(num)d round", "%(num)d rounds", len(rounds)) % {"num": len(rounds)}
    return f"{said}: " + "; ".join(s for s in steps if s)
