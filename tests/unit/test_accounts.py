"""The rules of accounts, pure: passwords, login names, tokens and their hashes, and how
long a login waits after failures."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from smolny.domain.accounts import (
    ATTEMPT_WINDOW,
    check_login,
    check_password,
    new_token,
    token_hash,
    wait_after_failures,
    wait_words,
)
from smolny.domain.errors import InvalidInput

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "Всё в руках Советов!", "x7#kQ!p2mZ", "0" * 9 + "1a2b"],
)
def test_good_passwords_pass(password: str) -> None:
    check_password(password, login="secretary", name="Anna Petrova")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "has 5 characters: use at least 10"),
        ("123456789", "has 9 characters"),
        ("Password123", "most common"),
        ("QWERTYUIOP", "most common"),
        ("aaaaaaaaaaaa", "repeats too few characters"),
        ("abababababab", "repeats too few characters"),
        ("abcdefghijklm", "simple sequence"),
        ("9876543210", "simple sequence"),
        ("secretary12", "too close to your login name"),
        ("Anna-Petrova!", "too close to your login name or name"),
        ("x" * 1025, "longer than 1024"),
    ],
)
def test_weak_passwords_are_refused_saying_why(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as refused:
        check_password(password, login="secretary", name="Anna Petrova")
    assert refused.value.field == "password"


def test_login_names_are_folded_to_lower_case_and_checked() -> None:
    assert check_login("  Anna.Petrova@Union ") == "anna.petrova@union"
    for bad in ("a", "-anna", "anna petrova", "анна", "x" * 64):
        with pytest.raises(InvalidInput, match="login name"):
            check_login(bad)


def test_tokens_are_random_url_safe_and_stored_as_their_sha256() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert len(token) == 43  # 32 random bytes, base64 without padding
        assert token.replace("-", "").replace("_", "").isalnum()
    token = "abc"
    assert token_hash(token) == hashlib.sha256(b"abc").hexdigest()
    assert token_hash(token) != token_hash("abd")
    assert len(token_hash(new_token())) == 64


def test_the_wait_after_failures_ends_when_enough_leave_the_window() -> None:
    minutes = [NOW - timedelta(minutes=m) for m in (14, 10, 6, 3, 1)]
    assert wait_after_failures(minutes[1:], limit=5, now=NOW) == 0
    # Five failures: the oldest (14 minutes ago) leaves the window in a minute.
    assert wait_after_failures(minutes, limit=5, now=NOW) == 60
    # Six: two must leave; the second oldest (12 minutes ago) in 3 minutes.
    six = [NOW - timedelta(minutes=m) for m in (13, 12, 10, 6, 3, 1)]
    assert wait_after_failures(six, limit=5, now=NOW) == 3 * 60
    # Failures older than the window do not count.
    old = [NOW - ATTEMPT_WINDOW - timedelta(seconds=1)] * 10
    assert wait_after_failures(old, limit=5, now=NOW) == 0
    assert wait_after_failures([NOW] * 20, limit=20, now=NOW) == 15 * 60


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (61, "2 minutes"), (900, "15 minutes")],
)
def test_waits_in_words(seconds: int, words: str) -> None:
    assert wait_words(seconds) == words
