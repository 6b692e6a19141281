"""Refusals the rules give, with the reason; adapters map them to HTTP codes or CLI exits."""

from __future__ import annotations

from smolny.domain.text import Text


class DomainError(Exception):
    """A request the rules refuse. The message says why; `field` names the input at fault.

    The message is English (`str(error)`, `.message`: the API, the CLI). Given as a Text,
    it is kept as `.text` too, for a page to say it in its reader's language; a message
    given as a str is its own `.text`, said in English everywhere."""

    code = "refused"

    def __init__(self, message: str | Text, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.text: Text | str = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"


class AlreadyExists(DomainError):
    code = "conflict"


class RuleViolation(DomainError):
    """The request is well formed but breaks a rule of the organization."""

    code = "rule_violation"


class InvalidInput(DomainError):
    code = "invalid_input"


class Forbidden(DomainError):
    """The rules do not let this person do this (a member outside their constituency, a
    delegate whose mandate ended, an administrator acting for a member)."""

    code = "forbidden"


class Unresolved(DomainError):
    """A tie that the stated rules do not decide."""

    code = "tie"
