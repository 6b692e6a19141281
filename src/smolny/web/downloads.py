"""Downloads: compositions and results as CSV and JSON, the minutes as JSON, as a
printable page and as PDF. Each file is named for what it holds and answers ?at= like its
page."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from smolny.api.deps import AtDep, SettingsDep, UowDep
from smolny.services import downloads, sittings
from smolny.services.composition import council_composition, election_view
from smolny.web.printing import (
    PdfUnavailable,
    html_to_pdf,
    minutes_print_html,
    printable_hint,
)

router = APIRouter(include_in_schema=False)


def attachment(name: str) -> dict[str, str]:
    """Content-Disposition for a download: the name in ASCII, and exactly in UTF-8."""
    plain = name.encode("ascii", "replace").decode().replace("?", "_")
    return {
        "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    }


def csv_file(text: str, name: str) -> Response:
    return Response(
        text.encode("utf-8"), media_type=downloads.CSV_MEDIA_TYPE, headers=attachment(name)
    )


def json_file(document: Any, name: str) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return Response(
        body.encode("utf-8"), media_type=downloads.JSON_MEDIA_TYPE, headers=attachment(name)
    )


# -- compositions ------------------------------------------------------------------------------


@router.get("/councils/{council_id}/composition.csv")
def composition_csv(council_id: int, uow: UowDep, at: AtDep) -> Response:
    composition = council_composition(uow, council_id, at)
    return csv_file(
        downloads.composition_csv(composition),
        downloads.composition_file_name(composition, "csv"),
    )


@router.get("/councils/{council_id}/composition.json")
def composition_json(council_id: int, uow: UowDep, at: AtDep) -> Response:
    composition = council_composition(uow, council_id, at)
    return json_file(
        downloads.composition_json(composition),
        downloads.composition_file_name(composition, "json"),
    )


# -- elections ---------------------------------------------------------------------------------


@router.get("/elections/{election_id}.csv")
def election_csv(election_id: int, uow: UowDep) -> Response:
    view = election_view(uow, election_id)
    return csv_file(downloads.election_csv(view), downloads.election_file_name(view, "csv"))


@router.get("/elections/{election_id}.json")
def election_json(election_id: int, uow: UowDep) -> Response:
    view = election_view(uow, election_id)
    return json_file(downloads.election_document(view), downloads.election_file_name(view, "json"))


# -- sittings: votes and minutes ---------------------------------------------------------------


@router.get("/sittings/{sitting_id}/votes.csv")
def sitting_votes_csv(sitting_id: int, uow: UowDep, at: AtDep) -> Response:
    view = sittings.minutes(uow, sitting_id, at)
    return csv_file(downloads.votes_csv(view), downloads.votes_file_name(view, "csv"))


def _vote_view(uow: UowDep, vote_id: int, at: AtDep) -> sittings.SittingView:
    vote = sittings.get_vote(uow, vote_id)
    return sittings.motion_view(uow, vote.motion_id, at)


@router.get("/votes/{vote_id}.csv")
def vote_csv(vote_id: int, uow: UowDep, at: AtDep) -> Response:
    view = _vote_view(uow, vote_id, at)
    return csv_file(
        downloads.vote_csv(view, vote_id), downloads.vote_file_name(view, vote_id, "csv")
    )


@router.get("/votes/{vote_id}.json")
def vote_json(vote_id: int, uow: UowDep, at: AtDep) -> Response:
    view = _vote_view(uow, vote_id, at)
    return json_file(
        downloads.vote_json(view, vote_id), downloads.vote_file_name(view, vote_id, "json")
    )


@router.get("/votes/{vote_id}/roll-call.csv")
def roll_call_csv(vote_id: int, uow: UowDep, at: AtDep) -> Response:
    view = _vote_view(uow, vote_id, at)
    return csv_file(
        downloads.roll_call_csv(view, vote_id),
        downloads.vote_file_name(view, vote_id, "csv", what="roll-call"),
    )


@router.get("/sittings/{sitting_id}/minutes.json")
def minutes_json(sitting_id: int, uow: UowDep, at: AtDep) -> Response:
    view = sittings.minutes(uow, sitting_id, at)
    return json_file(downloads.minutes_json(view), downloads.minutes_file_name(view, "json"))


@router.get("/sittings/{sitting_id}/minutes/print", response_class=HTMLResponse)
def minutes_print(sitting_id: int, uow: UowDep, at: AtDep) -> HTMLResponse:
    """The minutes as a page to print: A4, no navigation, nothing to load."""
    return HTMLResponse(minutes_print_html(sittings.minutes(uow, sitting_id, at)))


@router.get("/sittings/{sitting_id}/minutes.pdf")
def minutes_pdf(sitting_id: int, uow: UowDep, at: AtDep, settings: SettingsDep) -> Response:
    """The printable page printed to PDF by headless Chromium (SMOLNY_CHROMIUM); without
    Chromium, 503 and how to install it."""
    view = sittings.minutes(uow, sitting_id, at)
    try:
        pdf = html_to_pdf(minutes_print_html(view), chromium=settings.chromium)
    except PdfUnavailable as error:
        raise HTTPException(503, f"{error.message}; {printable_hint(sitting_id)}.") from None
    return Response(
        pdf,
        media_type="application/pdf",
        headers=attachment(downloads.minutes_file_name(view, "pdf")),
    )
