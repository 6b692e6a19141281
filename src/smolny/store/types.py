"""Column types that give back exactly what the domain put in, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC on every backend."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware times only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite computed expressions (max, min) come back as text
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class EnumText(TypeDecorator[StrEnum]):
    """A StrEnum stored as its value (plain text, no database enum type to migrate)."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: StrEnum | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


class JsonTuple(TypeDecorator[tuple[Any, ...]]):
    """A tuple stored as a JSON list, given back as a tuple (of `enum` members if given)."""

    impl = JSON
    cache_ok = True

    def __init__(self, enum: type[StrEnum] | None = None) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> list[Any] | None:
        return None if value is None else [str(v) if self.enum else v for v in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[Any, ...] | None:
        if value is None:
            return None
        return tuple(self.enum(v) for v in value) if self.enum else tuple(value)
