"""The analytics API: representation lag, malapportionment and proportionality, computed
from the recorded state now, at a moment, or over a period."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from smolny.api.deps import AtDep, UowDep
from smolny.domain.analytics import Target
from smolny.domain.errors import InvalidInput
from smolny.moments import EXPECTED, parse_moment
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

router = APIRouter(prefix="/api")


def _moment(value: str | None, name: str) -> datetime | None:
    if value is None or not value.strip():
        return None
    try:
        return parse_moment(value)
    except ValueError as error:
        raise InvalidInput(str(error), field=name) from None


@router.get("/councils/{council_id}/lag", tags=["analytics"])
def lag(
    council_id: int,
    uow: UowDep,
    at: AtDep,
    start: Annotated[
        str | None,
        Query(
            alias="from",
            description=f"Start of a series (default: the body's creation): {EXPECTED}.",
        ),
    ] = None,
    end: Annotated[
        str | None,
        Query(alias="to", description=f"End of a series (default: now): {EXPECTED}."),
    ] = None,
    target: Annotated[
        Target | None,
        Query(
            description="council: a committee's electing council as it stands (a committee's "
            "default); base: what the base would give (the default otherwise)."
        ),
    ] = None,
) -> dict[str, Any]:
    """How far the body's composition is from its target, in percentage points
    (Loosemore–Hanby and Gallagher), with the dates compared: at `at` (default now), or,
    given `from` or `to`, at the start and at every change in that period."""
    first, last = _moment(start, "from"), _moment(end, "to")
    if first is None and last is None:
        return lag_document(representation_lag(uow, council_id, at, target))
    if at is not None:
        raise InvalidInput(
            "give `at` for the lag at one moment, or `from`/`to` for a series, not both",
            field="at",
        )
    return series_document(lag_series(uow, council_id, first, last, target))


@router.get("/councils/{council_id}/malapportionment", tags=["analytics"])
def malapportionment(council_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """Electors per seat by constituency, the largest-to-smallest ratio and the
    Samuels–Snyder index (percentage points) of the council's seats at `at` (default now)."""
    return malapportionment_document(council_malapportionment(uow, council_id, at))


@router.get("/elections/{election_id}/proportionality", tags=["analytics"])
def proportionality(election_id: int, uow: UowDep) -> dict[str, Any]:
    """The election's votes by faction (list votes, votes, or first preferences) against
    the seats it gave by faction: Gallagher and Loosemore–Hanby, in percentage points."""
    return proportionality_document(election_proportionality(uow, election_id))
