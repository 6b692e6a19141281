"""Accounts: who may sign in, and the rules for passwords, tokens and login attempts.

Credentials are not part of the federation's public record: accounts live beside the
ledger, never in it. What a person does once signed in goes through the ledger as before,
attributed to `account:<id>`.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from smolny.domain.errors import DomainError, Forbidden, InvalidInput, RuleViolation
from smolny.domain.text import Text, say

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 takes any length; a bound keeps hashing cheap to ask for
MAX_DISABLE_REASON = 500
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,62}$")

INVITATION_LIFETIME = timedelta(days=14)
RESET_LIFETIME = timedelta(hours=24)
SESSION_LIFETIME = timedelta(days=14)

# Login attempts: this many failures in the window refuse further tries for a while.
ATTEMPT_WINDOW = timedelta(minutes=15)
FAILURES_PER_LOGIN = 5
FAILURES_PER_ADDRESS = 20

# The passwords every guessing list starts with; refusing them costs nothing.
_COMMON = """
    1234567890 0123456789 12345678910 1234567890a 0987654321 1111111111 1234512345
    1q2w3e4r5t 1q2w3e4r5t6y qwertyuiop qwertyuiop1 asdfghjkl1 zxcvbnm123 1qaz2wsx3edc
    password12 password123 password1234 passw0rd12 p@ssw0rd12 p@ssword123 administrator
    iloveyou12 letmein123 welcome123 welcome1234 changeme12 trustno1234 sunshine12
    football12 baseball12 superman12 dragon1234 monkey1234 princess12 qwerty1234
    qwerty12345 abc1234567 abcdefghij abcd123456 aaaaaaaaaa smolny1917 solidarity
    solidarity1 comrade123 revolution workers123 password00 secret1234 mypassword
"""
COMMON_PASSWORDS = frozenset(_COMMON.split())


class Unauthorized(DomainError):
    """Not signed in, or the credentials are wrong."""

    code = "unauthorized"


class TooManyAttempts(DomainError):
    """Too many failed logins: wait `retry_after` seconds."""

    code = "too_many_attempts"

    def __init__(self, message: str | Text, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AccountDisabled(Unauthorized):
    """The account is disabled: refused whatever the password, so the answer says nothing
    about it."""

    code = "account_disabled"


class TokenKind(StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


@dataclass(frozen=True)
class Account:
    id: int
    organization_id: int
    member_id: int | None
    login: str
    administrator: bool
    has_password: bool
    language: str | None
    created_at: datetime
    disabled_at: datetime | None
    disabled_by: str | None = None  # who disabled it: "account:<id>", or "cli" (the operator)
    disabled_reason: str | None = None

    @property
    def actor(self) -> str:
        """How the ledger names this account when it changes something."""
        return f"account:{self.id}"

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def active_administrator(self) -> bool:
        """An administrator who can log in: not disabled, and the password set."""
        return self.administrator and self.has_password and not self.disabled


@dataclass(frozen=True)
class ApiToken:
    id: int
    account_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def new_token() -> str:
    """A random secret for a link, a session or a script (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a token: its SHA-256, so that a copy of the database opens
    no session and no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_login(login: str) -> str:
    return login.strip().lower()


def check_login(login: str) -> str:
    """A login name: 2 to 63 of a-z, 0-9 and . _ @ -, starting with a letter or digit."""
    name = normalize_login(login)
    if not LOGIN_PATTERN.match(name):
        raise InvalidInput(
            say(
                "login name %(login)s: use 2 to 63 letters a-z, digits and . _ @ -, starting "
                "with a letter or a digit",
                login=repr(login.strip()),
            ),
            field="login",
        )
    return name


def check_password(password: str, *, login: str = "", name: str = "") -> None:
    """Refuse passwords that are short or among the first anyone would guess."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            say(
                "the password has %(num)s characters: use at least %(least)s",
                num=len(password),
                least=MIN_PASSWORD,
            ),
            field="password",
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(
            say("the password is longer than %(most)s characters", most=MAX_PASSWORD),
            field="password",
        )
    folded = password.lower()
    if folded in COMMON_PASSWORDS:
        raise InvalidInput(
            say("this password is among the most common ones: choose another"), field="password"
        )
    if len(set(folded)) < 4:
        raise InvalidInput(
            say("the password repeats too few characters: choose another"), field="password"
        )
    if _is_run(folded):
        raise InvalidInput(
            say("the password is a simple sequence: choose another"), field="password"
        )
    bare = re.sub(r"[\W_]+", "", folded)
    for own in (login, name):
        word = re.sub(r"[\W_]+", "", own.lower())
        if len(word) >= 4 and word in bare and len(bare) - len(word) < 4:
            raise InvalidInput(
                say("the password is too close to your login name or name: choose another"),
                field="password",
            )


def _is_run(text: str) -> bool:
    """A keyboard-free sequence: every character one step from the one before."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and abs(next(iter(steps))) <= 1


def wait_after_failures(
    failures: Sequence[datetime], *, limit: int, now: datetime, window: timedelta = ATTEMPT_WINDOW
) -> int:
    """Seconds to wait before another try, given the failures so far (0: go ahead).

    At most `limit - 1` failures may lie in any window ending now; the next try is allowed
    once enough of the recent ones have left the window.
    """
    recent = sorted(t for t in failures if now - t < window)
    if len(recent) < limit:
        return 0
    free_at = recent[len(recent) - limit] + window
    return max(1, math.ceil((free_at - now).total_seconds()))


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def wait_said(seconds: int) -> Text:
    """`wait_words` as a text a page says in its language."""
    if seconds < 60:
        if seconds == 1:
            return say("%(num)s second", num=seconds)
        return say("%(num)s seconds", num=seconds)
    minutes = math.ceil(seconds / 60)
    if minutes == 1:
        return say("%(num)s minute", num=minutes)
    return say("%(num)s minutes", num=minutes)


# -- disabling and enabling accounts --------------------------------------------------------


def check_disable_reason(reason: str | None) -> str | None:
    """The stated reason for disabling an account, on one line (None if none is given)."""
    text = " ".join((reason or "").split())
    if len(text) > MAX_DISABLE_REASON:
        raise InvalidInput(
            say(
                "the reason has %(num)s characters: keep it to %(most)s",
                num=len(text),
                most=MAX_DISABLE_REASON,
            ),
            field="reason",
        )
    return text or None


def check_may_change_status(by: Account | None, target: Account) -> None:
    """Only an administrator of the account's organization (or the operator, `by` None)
    disables and enables its accounts."""
    if by is None:
        return
    if not by.administrator or by.disabled:
        raise Forbidden(
            say(
                "the account %(login)s is not an administrator: only an administrator of the "
                "organization disables and enables its accounts",
                login=repr(by.login),
            )
        )
    if by.organization_id != target.organization_id:
        raise Forbidden(
            say(
                "the account %(login)s belongs to another organization: an administrator "
                "disables and enables the accounts of their own organization only",
                login=repr(target.login),
            )
        )


def check_may_disable(
    by: Account | None, target: Account, active_administrators: Sequence[Account]
) -> None:
    """Whether `by` (None: the operator) may disable `target`, given the organization's
    administrators who can log in now.

    Nobody disables their own account (it would end the session doing it, and a slip would
    leave no way back), and the organization's last active administrator stays: without
    one, nobody could manage its accounts from the pages.
    """
    check_may_change_status(by, target)
    if target.disabled:
        raise RuleViolation(
            say("the account %(login)s is already disabled", login=repr(target.login))
        )
    if by is not None and by.id == target.id:
        raise RuleViolation(
            say(
                "you cannot disable your own account: another administrator of the "
                "organization, or the operator (`smolny account disable`), can"
            )
        )
    others = [a for a in active_administrators if a.id != target.id]
    if target.active_administrator and not others:
        raise RuleViolation(
            say(
                "%(login)s is the last active administrator of the organization: without one "
                "nobody could manage its accounts. Make another administrator first (`smolny "
                "account create-admin`), then disable this account",
                login=repr(target.login),
            )
        )


def check_may_enable(by: Account | None, target: Account) -> None:
    check_may_change_status(by, target)
    if not target.disabled:
        raise RuleViolation(say("the account %(login)s is not disabled", login=repr(target.login)))
