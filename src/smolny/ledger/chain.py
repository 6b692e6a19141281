"""The hash chain: each event's body names the hash of the one before it.

The body is canonical JSON (sorted keys, no spaces, UTF-8), hashed as stored: changing one
byte of a stored event changes its hash, and rehashing it breaks the link to the next.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from smolny.domain.events import Event, Recorded
from smolny.ledger.codec import UndecodableEvent, decode, encode

GENESIS = "0" * 64


@dataclass(frozen=True)
class StoredEvent:
    """A row of the event table."""

    seq: int
    at: datetime
    organization_id: int | None
    actor: str
    kind: str
    body: str
    hash: str


class BrokenChain(Exception):
    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"event #{seq}: {reason}")
        self.seq = seq
        self.reason = reason


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def seal(
    *, seq: int, at: datetime, actor: str, organization_id: int | None, event: Event, prev: str
) -> StoredEvent:
    """The stored form of a new event, chained to `prev`."""
    body = canonical(
        {
            "seq": seq,
            "at": iso(at),
            "actor": actor,
            "organization": organization_id,
            "kind": event.kind,
            "payload": encode(event),
            "prev": prev,
        }
    )
    return StoredEvent(
        seq, at.astimezone(UTC), organization_id, actor, event.kind, body, digest(body)
    )


def unseal(stored: StoredEvent) -> tuple[Recorded, str]:
    """The event a stored body holds, and the hash it was chained to."""
    try:
        data = json.loads(stored.body)
        recorded = Recorded(
            seq=int(data["seq"]),
            at=datetime.fromisoformat(data["at"]),
            actor=str(data["actor"]),
            organization_id=data["organization"],
            event=decode(data["kind"], data["payload"]),
        )
        prev = str(data["prev"])
    except (ValueError, KeyError, TypeError, UndecodableEvent) as error:
        raise BrokenChain(stored.seq, f"its body cannot be read ({error})") from error
    return recorded, prev


def walk(events: Iterable[StoredEvent], head: tuple[int, str]) -> Iterator[Recorded]:
    """Check the chain event by event, yielding each event once it is known good.

    Raises BrokenChain naming the first event that was altered, removed or misplaced.
    `head` is the (seq, hash) the ledger says it ends with.
    """
    prev_seq, prev_hash = 0, GENESIS
    for stored in events:
        if stored.seq != prev_seq + 1:
            raise BrokenChain(prev_seq + 1, f"is missing (the next stored event is #{stored.seq})")
        if digest(stored.body) != stored.hash:
            raise BrokenChain(stored.seq, "its content does not match its hash (altered)")
        recorded, chained_to = unseal(stored)
        if chained_to != prev_hash:
            # The body is self-consistent, so the previous event was altered and rehashed.
            altered = prev_seq if prev_seq else stored.seq
            raise BrokenChain(
                altered, f"was altered: event #{stored.seq} was chained to another hash"
            )
        columns = (stored.at, stored.organization_id, stored.actor, stored.kind)
        if recorded.seq != stored.seq or columns != (
            recorded.at,
            recorded.organization_id,
            recorded.actor,
            recorded.event.kind,
        ):
            raise BrokenChain(stored.seq, "its columns disagree with its hashed body (altered)")
        yield recorded
        prev_seq, prev_hash = stored.seq, stored.hash
    if (prev_seq, prev_hash) != head:
        if head[0] > prev_seq:
            raise BrokenChain(prev_seq + 1, f"is missing: the ledger head says #{head[0]}")
        raise BrokenChain(prev_seq, "was altered: the ledger head holds another hash")
