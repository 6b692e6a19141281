"""The chronicle: dated entries in an organization's own words, each citing its sources.

An organization (or a replayed scenario) writes what happened and why it was recorded so:
the sources it follows and, where the record is silent, the assumptions it makes. The
changes an entry tells of are the ledger's events that follow it, up to the next entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from smolny.domain.events import Event, Recorded
from smolny.domain.records import Record, Records


@dataclass(frozen=True)
class Source:
    label: str  # "Trotsky, History of the Russian Revolution, ch. 1"
    url: str  # empty when the source is not online


@dataclass(frozen=True)
class ChronicleEntry:
    id: int
    organization_id: int
    at: datetime
    seq: int  # the ledger event that entered it; its changes follow
    title: str
    text: str
    source_labels: tuple[str, ...]
    source_urls: tuple[str, ...]
    assumptions: tuple[str, ...]

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(
            Source(label, url)
            for label, url in zip(self.source_labels, self.source_urls, strict=True)
        )


@dataclass(frozen=True)
class ChronicleEntered(Event):
    kind: ClassVar[str] = "chronicle-entered"
    entry_id: int
    organization_id: int
    title: str
    text: str
    source_labels: tuple[str, ...]
    source_urls: tuple[str, ...]
    assumptions: tuple[str, ...]


EVENTS: tuple[type[Event], ...] = (ChronicleEntered,)
RECORDS: tuple[type[Record], ...] = (ChronicleEntry,)


def project(recorded: Recorded, records: Records) -> bool:
    """Record a chronicle entry; False if the event is not the chronicle's."""
    match recorded.event:
        case ChronicleEntered() as e:
            records.put(
                ChronicleEntry(
                    e.entry_id,
                    e.organization_id,
                    recorded.at,
                    recorded.seq,
                    e.title,
                    e.text,
                    e.source_labels,
                    e.source_urls,
                    e.assumptions,
                )
            )
        case _:
            return False
    return True
