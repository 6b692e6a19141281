"""The rules of accounts, pure: passwords, login names, tokens and their hashes, and how
long a login waits after failures."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from smolny.domain.accounts import (
    ATTEMPT_WINDOW,
    Account,
    check_disable_reason,
    check_login,
    check_may_disable,
    check_may_enable,
    check_password,
    new_token,
    token_hash,
    wait_after_failures,
    wait_words,
)
from smolny.domain.errors import Forbidden, InvalidInput, RuleViolation

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


# -- disabling and enabling -------------------------------------------------------------------


def account(
    id: int,
    *,
    administrator: bool = False,
    organization_id: int = 1,
    has_password: bool = True,
    disabled: bool = False,
) -> Account:
    return Account(
        id=id,
        organization_id=organization_id,
        member_id=None,
        login=f"login{id}",
        administrator=administrator,
        has_password=has_password,
        language=None,
        created_at=NOW,
        disabled_at=NOW if disabled else None,
    )


SECRETARY = account(1, administrator=True)
CHAIR = account(2, administrator=True)
MEMBER = account(3)


def test_an_administrator_disables_a_member_and_the_operator_anyone_but_the_last() -> None:
    check_may_disable(SECRETARY, MEMBER, [SECRETARY])
    check_may_disable(None, MEMBER, [SECRETARY])
    check_may_disable(SECRETARY, CHAIR, [SECRETARY, CHAIR])
    check_may_disable(None, CHAIR, [SECRETARY, CHAIR])


def test_nobody_disables_their_own_account() -> None:
    with pytest.raises(RuleViolation, match="cannot disable your own account"):
        check_may_disable(SECRETARY, SECRETARY, [SECRETARY, CHAIR])


def test_the_last_active_administrator_stays() -> None:
    # The chair is disabled, and an invited administrator without a password cannot log in:
    # neither would keep the organization managed.
    chair = account(2, administrator=True, disabled=True)
    invited = account(4, administrator=True, has_password=False)
    assert not chair.active_administrator
    assert not invited.active_administrator
    with pytest.raises(RuleViolation, match=r"last active administrator.*create-admin"):
        check_may_disable(None, SECRETARY, [SECRETARY])
    # An administrator who cannot log in anyway is not the last one that matters.
    check_may_disable(SECRETARY, invited, [SECRETARY])
    check_may_disable(None, invited, [SECRETARY])


def test_only_an_administrator_of_the_same_organization_changes_an_account() -> None:
    with pytest.raises(Forbidden, match="not an administrator"):
        check_may_disable(MEMBER, account(5), [SECRETARY])
    with pytest.raises(Forbidden, match="another organization"):
        check_may_disable(account(6, administrator=True, organization_id=2), MEMBER, [SECRETARY])
    with pytest.raises(Forbidden, match="not an administrator"):
        check_may_enable(MEMBER, account(5, disabled=True))
    with pytest.raises(Forbidden, match="not an administrator"):
        check_may_disable(account(7, administrator=True, disabled=True), MEMBER, [SECRETARY])


def test_disabling_twice_or_enabling_an_active_account_is_refused() -> None:
    gone = account(8, disabled=True)
    with pytest.raises(RuleViolation, match="already disabled"):
        check_may_disable(SECRETARY, gone, [SECRETARY])
    check_may_enable(SECRETARY, gone)
    check_may_enable(None, gone)
    with pytest.raises(RuleViolation, match="is not disabled"):
        check_may_enable(SECRETARY, MEMBER)


def test_a_reason_is_one_line_of_at_most_500_characters() -> None:
    assert check_disable_reason(None) is None
    assert check_disable_reason("  \n ") is None
    assert check_disable_reason(" left\n the  union ") == "left the union"
    assert check_disable_reason("x" * 500) == "x" * 500
    with pytest.raises(InvalidInput, match="501 characters: keep it to 500"):
        check_disable_reason("x" * 501)
