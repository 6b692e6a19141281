"""Every table, and the table of each record type, gathered in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from smolny.store import (
    accounts,
    ballots,
    chronicle,
    congress,
    orders,
    organization_settings,
    sittings,
    tables,
)
from smolny.store.tables import metadata

__all__ = ["RECORD_TABLES", "metadata"]

# Tables beside the ledger (credentials, settings: never projections of events), on
# `metadata` by import.
_BESIDE_THE_LEDGER = (accounts, organization_settings)

_AREAS = (tables, sittings, orders, congress, chronicle, ballots)

RECORD_TABLES: dict[type[Any], Table] = {
    kind: table for area in _AREAS for kind, table in area.RECORD_TABLES.items()
}
