"""The pages: the federation as a tree, and each council with its hemicycle."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from smolny.api.deps import AtDep, UowDep
from smolny.domain.composition import Composition
from smolny.domain.elections import METHOD_NAMES, ElectionKind
from smolny.domain.federation import Faction, slugify
from smolny.services.composition import CouncilNode, council_view, election_view, federation
from smolny.web import i18n
from smolny.web.flow import flow_svg
from smolny.web.hemicycle import SeatGroup, hemicycle_svg
from smolny.web.i18n import _
from smolny.web.viewer import HiddenDep
from smolny.web.words import word

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
i18n.setup(templates.env)  # gettext, and dates and numbers in the request's language
NON_PARTY_COLOR = "#7f8c8d"


def _date(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


templates.env.filters["day"] = _date


@router.get("/", response_class=HTMLResponse)
def federation_page(request: Request, uow: UowDep, at: AtDep, hidden: HiddenDep) -> HTMLResponse:
    trees = [t for t in federation(uow, at) if t.organization.id not in hidden]
    with uow:
        factions = uow.repo.all_factions()
        seats = {n.council.id: n.seats for tree in trees for n in _walk(tree.roots)}
        by_faction = uow.repo.faction_seats_at(list(seats), at or uow.now())
    bars = {cid: _bar(by_faction[cid], factions, seats[cid]) for cid in seats}
    return templates.TemplateResponse(
        request, "federation.html", {"federations": trees, "bars": bars, "at": at}
    )


@dataclass(frozen=True)
class Segment:
    label: str
    seats: int
    color: str
    x: float
    width: float


def _bar(counts: dict[int | None, int], factions: list[Faction], seats: int) -> list[Segment]:
    """A stacked bar of filled seats by faction (creation order, non-party last), in
    percent of the council's seats (or of its delegates, if more)."""
    total = max(seats, sum(counts.values()))
    ordered = [(f.name, counts[f.id], f.color) for f in factions if counts.get(f.id)]
    if counts.get(None):
        ordered.append(("Non-party", counts[None], NON_PARTY_COLOR))
    segments, x = [], 0.0
    for label, n, color in ordered:
        width = 100 * n / total
        segments.append(Segment(label, n, color, round(x, 3), round(width, 3)))
        x += width
    return segments


def _walk(nodes: list[CouncilNode]) -> Iterator[CouncilNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


@router.get("/councils/{council_id}", response_class=HTMLResponse)
def council_page(council_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = council_view(uow, council_id, at)
    composition = view.composition
    return templates.TemplateResponse(
        request,
        "council.html",
        {
            "view": view,
            "c": composition,
            "at": at,
            "hemicycle": hemicycle_svg(
                seat_groups(composition),
                composition.seats,
                title=f"{composition.council.name}, {i18n.format_day(composition.at)}",
            ),
            "legend": seat_groups(composition),
        },
    )


@router.get("/elections/{election_id}", response_class=HTMLResponse)
def election_page(election_id: int, request: Request, uow: UowDep) -> HTMLResponse:
    view = election_view(uow, election_id)
    election, result = view.election, view.election.result
    rounds = result.get("rounds", [])
    where = view.constituency.name if view.constituency else view.council.name
    heading = (
        _("%(council)s elected") % {"council": view.council.name}
        if election.kind is ElectionKind.COMMITTEE
        else f"{where}: {word(election.kind.value)}"
    )
    first = rounds[0]["tallies"] if rounds else {}
    return templates.TemplateResponse(
        request,
        "election.html",
        {
            "e": election,
            "r": result,
            "council": view.council,
            "organization": view.organization,
            "heading": heading,
            "method_name": METHOD_NAMES.get(election.method, election.method.value),
            "rounds": rounds,
            "candidates": result.get("candidates", []),
            "elected": result.get("elected", []),
            "total": sum(first.values()) if first else None,
            "has_exhausted": any(r.get("exhausted") for r in rounds),
            "has_quota": any(r.get("quota") is not None for r in rounds),
            "ties": [{"text": tie_text(t)} for t in result.get("ties", [])],
            "flow": flow_svg(result, title=heading) if len(rounds) > 1 else "",
        },
    )


def tie_text(tie: dict[str, Any]) -> str:
    """A tie record (from a count or an apportionment) in words."""
    tied = tie.get("between") or tie.get("tied") or []
    chosen = tie.get("chosen") or tie.get("winners") or []
    where = (
        _("round %(round)s") % {"round": tie["round"]}
        if "round" in tie
        else _("seat %(seat)s") % {"seat": tie.get("seat")}
    )
    decides = word(tie["decides"]) if "decides" in tie else _("the seat")
    return _("%(where)s: %(tied)s tied for %(decides)s; decided by %(how)s for %(chosen)s") % {
        "where": where,
        "tied": ", ".join(tied),
        "decides": decides,
        "how": word(tie.get("resolved_by")),
        "chosen": ", ".join(chosen),
    }


def _votes(value: float | int) -> str:
    """A tally: whole, or to five places at most (Meek's transfers are fractions)."""
    if isinstance(value, int) or float(value).is_integer():
        return i18n.format_number(int(value))
    return format_decimal(round(value, 5), format="#,##0.#####", locale=i18n.current())


templates.env.filters["votes"] = _votes


def seat_groups(composition: Composition) -> list[SeatGroup]:
    """Hemicycle groups, left to right in faction order; `key` is the faction's slug."""
    colors = {f.name: f.color for f in composition.factions}
    return [
        SeatGroup(
            key=slugify(name),
            label=word(name),  # "Non-party" in the request's language
            seats=seats,
            color=colors.get(name, NON_PARTY_COLOR),
        )
        for name, seats in composition.seats_by_faction().items()
    ]


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    context: dict[str, Any] = {"status": status, "message": message}
    # The session middleware refuses some requests before the language is set: set it here.
    with i18n.speaking(i18n.request_language(request)):
        return templates.TemplateResponse(request, "error.html", context, status_code=status)
