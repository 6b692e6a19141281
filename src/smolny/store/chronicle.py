"""The table of chronicle entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from smolny.domain.chronicle import ChronicleEntry
from smolny.store.tables import metadata
from smolny.store.types import JsonTuple, UtcDateTime

chronicle_entries = Table(
    "chronicle_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    Column("text", Text, nullable=False),
    Column("source_labels", JsonTuple(), nullable=False),
    Column("source_urls", JsonTuple(), nullable=False),
    Column("assumptions", JsonTuple(), nullable=False),
)

RECORD_TABLES: dict[type[Any], Table] = {ChronicleEntry: chronicle_entries}
