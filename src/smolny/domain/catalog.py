"""Every event type, record type and projector of the domain, gathered in one place."""

from __future__ import annotations

from collections.abc import Callable

from smolny.domain import ballots, chronicle, congress, orders, sittings, spine
from smolny.domain.events import Event, Recorded
from smolny.domain.records import Record, Records

Projector = Callable[[Recorded, Records], bool]

_AREAS = (spine, sittings, orders, congress, chronicle, ballots)

EVENT_TYPES: dict[str, type[Event]] = {cls.kind: cls for area in _AREAS for cls in area.EVENTS}
RECORD_TYPES: tuple[type[Record], ...] = tuple(r for area in _AREAS for r in area.RECORDS)
PROJECTORS: tuple[Projector, ...] = tuple(area.project for area in _AREAS)
