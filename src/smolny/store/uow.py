"""The unit of work: one transaction per use case, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from smolny.domain.errors import RuleViolation
from smolny.domain.events import Event, Recorded
from smolny.domain.projection import apply
from smolny.ledger.chain import iso
from smolny.store.ledger import SqlLedger
from smolny.store.repository import Repository


def utc_now() -> datetime:
    return datetime.now(UTC)


class UnitOfWork:
    """`with uow:` opens a transaction; `commit()` keeps it; leaving without commit undoes it.

    A use case that changes anything calls `lock()` first: from then on it is the only
    writer, so what it checks stays true until it commits.

    Entered again while open (a use case run inside another), it joins the open
    transaction: the inner `with` neither opens nor closes anything and the inner
    `commit()` does nothing, so the outermost use case keeps both, or neither.
    """

    repo: Repository
    ledger: SqlLedger

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.clock = clock
        self._connection: Connection | None = None
        self._depth = 0

    def __enter__(self) -> Self:
        self._depth += 1
        if self._connection is not None:
            return self
        self._connection = self.engine.connect()
        self._connection.begin()
        self.repo = Repository(self._connection)
        self.ledger = SqlLedger(self._connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            connection.close()

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use `with uow:`")
        return self._connection

    def commit(self) -> None:
        if self._depth == 1:  # inside another use case, the outermost one commits
            self.connection.commit()

    def lock(self) -> None:
        self.ledger.lock()

    def now(self) -> datetime:
        return self.clock()

    def moment(self, at: datetime | None, organization_id: int | None) -> datetime:
        """When a change takes effect: `at` if given (a replay, a late record), else now.

        The ledger is chronological per organization: nothing may take effect before the
        organization's last recorded change.
        """
        moment = self.now() if at is None else at
        if moment.tzinfo is None:
            raise RuleViolation("a moment needs a time zone (for example 2026-05-01T12:00Z)")
        last = self.ledger.last_at(organization_id)
        if last is not None and moment < last:
            raise RuleViolation(
                f"{iso(moment)} is before this organization's last recorded change "
                f"({iso(last)}); the ledger records changes in the order they take effect",
                field="at",
            )
        return moment

    def record(
        self, event: Event, *, at: datetime, actor: str, organization_id: int | None
    ) -> Recorded:
        """Append the event to the ledger and apply it to the tables, in this transaction."""
        recorded = self.ledger.append(event, at=at, actor=actor, organization_id=organization_id)
        apply(recorded, self.repo)
        return recorded
