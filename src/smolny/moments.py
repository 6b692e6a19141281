"""Reading a moment typed by a person: a date (the end of that day) or a date and time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

EXPECTED = "a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])"


def parse_moment(text: str) -> datetime:
    """'2026-03-01' means the end of that day, after everything that happened on it;
    a time without a zone is UTC. Raises ValueError saying what was expected."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not {EXPECTED}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
