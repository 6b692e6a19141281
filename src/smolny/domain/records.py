"""What the projector reads and writes: records (frozen dataclasses with an id), by type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Protocol, TypeVar


class Record(Protocol):
    """A row of state: a frozen dataclass whose `id` is unique within its type."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Record)


class Records(Protocol):
    """Where the projector reads and writes state, by record type and id."""

    def get(self, kind: type[R], id: int) -> R: ...

    def put(self, record: Record) -> None: ...

    def change_all(self, kind: type[Record], ids: Sequence[int], **changes: Any) -> None:
        """Set the same fields of many records of a kind (the mandates an election ends)."""
        ...

    def add_all(self, records: Sequence[Record]) -> None:
        """Put records that are new to their tables (many at once: an enrolment, an
        election's mandates)."""
        ...
