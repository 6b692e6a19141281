"""How each event changes the state: one projector, used by the store and by `verify`.

The store applies it to the tables as events are appended; `verify` applies it to an
in-memory `MemoryRecords` to rebuild the state from the ledger alone and compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from smolny.domain.catalog import PROJECTORS, RECORD_TYPES
from smolny.domain.events import Recorded
from smolny.domain.records import R, Record, Records

__all__ = ["RECORD_TYPES", "MemoryRecords", "Record", "Records", "apply"]


def apply(recorded: Recorded, records: Records) -> None:
    """Change the state as `recorded.event` says."""
    for project in PROJECTORS:
        if project(recorded, records):
            return
    raise TypeError(f"no projection for event {type(recorded.event).__name__}")


class MemoryRecords:
    """State held in dictionaries: what the ledger alone says the tables should contain."""

    def __init__(self) -> None:
        self.tables: dict[type[Any], dict[int, Record]] = {kind: {} for kind in RECORD_TYPES}
        self.written_by: dict[tuple[type[Any], int], int] = {}
        self.current_seq = 0

    def get(self, kind: type[R], id: int) -> R:
        record = self.tables[kind].get(id)
        if not isinstance(record, kind):
            raise KeyError(f"{kind.__name__} {id} does not exist")
        return record

    def put(self, record: Record) -> None:
        self.tables[type(record)][record.id] = record
        self.written_by[(type(record), record.id)] = self.current_seq

    def add_all(self, records: Sequence[Record]) -> None:
        for record in records:
            self.put(record)

    def change_all(self, kind: type[Record], ids: Sequence[int], **changes: Any) -> None:
        for id in ids:
            self.put(replace(self.get(kind, id), **changes))

    def apply(self, recorded: Recorded) -> None:
        self.current_seq = recorded.seq
        apply(recorded, self)
