"""The event table: append under the head lock, read back in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from smolny.domain.events import Event, Recorded
from smolny.ledger.chain import StoredEvent, seal
from smolny.store.tables import events, ledger_head


class SqlLedger:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def lock(self) -> None:
        """Take the writers' lock: a row lock on PostgreSQL, the write lock on SQLite."""
        self.connection.execute(
            update(ledger_head).where(ledger_head.c.id == 1).values(seq=ledger_head.c.seq)
        )

    def head(self) -> tuple[int, str]:
        row = self.connection.execute(select(ledger_head.c.seq, ledger_head.c.hash)).one()
        return int(row.seq), str(row.hash)

    def last_at(self, organization_id: int | None) -> datetime | None:
        query = select(func.max(events.c.at))
        if organization_id is not None:
            query = query.where(events.c.organization_id == organization_id)
        return self.connection.execute(query).scalar_one_or_none()

    def append(
        self, event: Event, *, at: datetime, actor: str, organization_id: int | None
    ) -> Recorded:
        seq, prev = self.head()
        stored = seal(
            seq=seq + 1, at=at, actor=actor, organization_id=organization_id, event=event, prev=prev
        )
        self.connection.execute(
            events.insert().values(
                seq=stored.seq,
                at=stored.at,
                organization_id=stored.organization_id,
                actor=stored.actor,
                kind=stored.kind,
                body=stored.body,
                hash=stored.hash,
            )
        )
        self.connection.execute(
            update(ledger_head)
            .where(ledger_head.c.id == 1)
            .values(seq=stored.seq, hash=stored.hash)
        )
        return Recorded(stored.seq, stored.at, actor, organization_id, event)

    def stored(self, *, after: int = 0, limit: int | None = None) -> Iterator[StoredEvent]:
        query = select(events).where(events.c.seq > after).order_by(events.c.seq)
        if limit is not None:
            query = query.limit(limit)
        for row in self.connection.execution_options(yield_per=1000).execute(query):
            yield StoredEvent(
                row.seq, row.at, row.organization_id, row.actor, row.kind, row.body, row.hash
            )
