"""A sentence the engine says, kept as its English template and its values, so that a page
can say it in its reader's language while the API, the CLI and the ledger keep English.

`str(text)` is the English: the template with the values put in (a day as its ISO date,
1917-10-25, as the engine has always written days). A page translates the template and
writes the values its own way (smolny.web.i18n.translate). The templates are extracted into
the catalogue like the pages' text (the keyword `text`), so a template is written where it
is built, as a literal: `say("%(who)s holds no mandate in %(body)s", who=..., body=...)`.

Values are names (str, put in as they are), counts (int), days (a date, or a datetime
said as its day), moments to the minute (`Moment`), or other texts. An id is a name, not
a count: pass it as a str, so that no page writes it "1,234".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeAlias

Value: TypeAlias = "str | int | date | datetime | LongDay | Moment | Text"


@dataclass(frozen=True)
class LongDay:
    """A day the English writes out ("20 April 2026") where ISO would not read as a name
    ("the City Council sitting of 20 April 2026"); a page writes it as any day."""

    day: date

    def __str__(self) -> str:
        return f"{self.day.day} {self.day:%B %Y}"


@dataclass(frozen=True)
class Moment:
    """A moment to the minute, where the sentence needs the time as well as the day
    ("open until 2026-12-04 15:10 UTC"): English writes it as recorded (ISO day, hours and
    minutes, no zone: the template says "UTC"), or with `iso` in full ISO 8601 in UTC
    (2026-04-14T09:30:00+00:00, as some messages always have); a page writes it to the
    minute as its language does."""

    at: datetime
    iso: bool = False

    def __str__(self) -> str:
        if self.iso:
            return self.at.astimezone(UTC).isoformat()
        return f"{self.at:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Text:
    """An English template with %(name)s placeholders, and its values."""

    template: str
    values: tuple[tuple[str, Value], ...] = ()

    def __str__(self) -> str:
        # Always formatted, as gettext's newstyle text is: "%%" is a percent sign.
        return self.template % {name: english(value) for name, value in self.values}


def say(template: str, /, **values: Value) -> Text:
    """A sentence to say: the English template, with its values by name."""
    return Text(template, tuple(values.items()))


def english(value: Value) -> str:
    """A value as the English sentence writes it: a day (or a moment's day) in ISO 8601."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
