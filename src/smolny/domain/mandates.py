"""Mandates (a delegate's seat, from election to its end) and the seats a council has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MandateEnd(StrEnum):
    TERM = "term"  # superseded by the next regular election
    RECALL = "recall"  # recalled by those who elected the delegate
    RESIGNATION = "resignation"
    UNSEATED = "unseated"  # the holder left the council that elected them to a committee


@dataclass(frozen=True)
class Mandate:
    id: int
    council_id: int
    member_id: int
    faction_id: int | None  # the faction the delegate was elected for
    section_id: int | None
    constituency_id: int | None  # the base that elected the delegate ...
    origin_council_id: int | None  # ... or the council that elected them (committees)
    election_id: int | None
    valid_from: datetime
    valid_to: datetime | None = None
    end_reason: MandateEnd | None = None

    def active_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)


@dataclass(frozen=True)
class SeatAllocation:
    """Seats a council gives one constituency (or, for a committee, itself) over a period."""

    id: int
    council_id: int
    constituency_id: int | None
    seats: int
    valid_from: datetime
    valid_to: datetime | None = None

    def active_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)
