"""The pages: the federation as a tree, and each council with its hemicycle."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from smolny.api.deps import AtDep, UowDep
from smolny.domain.composition import Composition
from smolny.domain.federation import slugify
from smolny.services.composition import council_view, federation
from smolny.web.hemicycle import SeatGroup, hemicycle_svg

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
NON_PARTY_COLOR = "#7f8c8d"


def _date(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


templates.env.filters["day"] = _date


@router.get("/", response_class=HTMLResponse)
def federation_page(request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    trees = federation(uow, at)
    with uow:
        factions = {f.id: f for f in uow.repo.all_factions()}
        ids = [c.id for c in uow.repo.councils()]
        by_faction = uow.repo.faction_seats_at(ids, at or uow.now())
    return templates.TemplateResponse(
        request,
        "federation.html",
        {
            "federations": trees,
            "factions": factions,
            "by_faction": by_faction,
            "at": at,
            "non_party_color": NON_PARTY_COLOR,
        },
    )


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
                title=f"{composition.council.name}, {_date(composition.at)}",
            ),
            "legend": seat_groups(composition),
        },
    )


def seat_groups(composition: Composition) -> list[SeatGroup]:
    """Hemicycle groups, left to right in faction order; `key` is the faction's slug."""
    colors = {f.name: f.color for f in composition.factions}
    return [
        SeatGroup(
            key=slugify(name),
            label=name,
            seats=seats,
            color=colors.get(name, NON_PARTY_COLOR),
        )
        for name, seats in composition.seats_by_faction().items()
    ]


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    context: dict[str, Any] = {"status": status, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)
