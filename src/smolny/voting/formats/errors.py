"""What goes wrong with ballot files: one exception for reading, one for writing."""

from __future__ import annotations

_SHOWN = 80  # characters of an offending line quoted in a message


class BallotFileError(ValueError):
    """A ballot file that cannot be read: where (`source`, `line`, 1-based or None when the
    problem is the whole file) and what was `expected` there, and what was `found`.

    str(error) reads like
    `ward1.blt, line 14: expected a ballot "weight c1 c2 ... 0", found "1 3 x 0"`.
    """

    def __init__(
        self, source: str, line: int | None, expected: str, found: str | None = None
    ) -> None:
        self.source = source
        self.line = line
        self.expected = expected
        self.found = found
        where = source if line is None else f"{source}, line {line}"
        message = f"{where}: expected {expected}"
        if found is not None:
            message += f", found {found}"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[BallotFileError], tuple[str, int | None, str, str | None]]:
        return (type(self), (self.source, self.line, self.expected, self.found))


class UnwritableProfileError(ValueError):
    """A profile the asked-for format cannot hold (ties in a strict format, a candidate name
    with a line break, ...): the message says what and why."""


def quoted(text: str) -> str:
    """`text` in double quotes for a message (in single quotes when it holds a double
    quote), cut short when long."""
    text = text.strip()
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 3] + "..."
    return f"'{text}'" if '"' in text else f'"{text}"'


def unquote(text: str) -> str | None:
    """A field in CSV-style double quotes (a quote inside written twice) without its quotes;
    None when `text` is not one well-formed quoted field."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    inner = text[1:-1]
    if inner.replace('""', "").count('"'):
        return None
    return inner.replace('""', '"')


def enquote(text: str) -> str:
    """`text` as one CSV-style quoted field."""
    return '"' + text.replace('"', '""') + '"'
