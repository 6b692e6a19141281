"""Events to JSON and back, validated by their dataclass types."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from smolny.domain.catalog import EVENT_TYPES
from smolny.domain.events import Event


class UndecodableEvent(ValueError):
    pass


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(cls: type[Event]) -> TypeAdapter[Any]:
    if cls.kind not in _ADAPTERS:
        _ADAPTERS[cls.kind] = TypeAdapter(cls)
    return _ADAPTERS[cls.kind]


def encode(event: Event) -> dict[str, Any]:
    payload: dict[str, Any] = _adapter(type(event)).dump_python(event, mode="json")
    return payload


def decode(kind: str, payload: Any) -> Event:
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise UndecodableEvent(f"unknown event kind {kind!r}")
    try:
        event: Event = _adapter(cls).validate_python(payload)
    except ValidationError as error:
        raise UndecodableEvent(f"{kind} payload does not match its type: {error}") from error
    return event
