"""(being written)"""

from __future__ import annotations

from smolny.domain.events import Event, Recorded
from smolny.domain.records import Record, Records

EVENTS: tuple[type[Event], ...] = ()
RECORDS: tuple[type[Record], ...] = ()


def project(recorded: Recorded, records: Records) -> bool:
    return False
