"""Accounts through the services, on SQLite and PostgreSQL: invitations, logins and their
limit, resets, sessions and API tokens; and that no credential reaches the ledger."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text

from smolny.domain.accounts import (
    AccountDisabled,
    TokenKind,
    TooManyAttempts,
    Unauthorized,
    token_hash,
)
from smolny.domain.errors import AlreadyExists, Forbidden, InvalidInput, NotFound, RuleViolation
from smolny.services import accounts
from smolny.services.verify import verify_ledger
from smolny.store.accounts import one_time_tokens
from smolny.store.uow import UnitOfWork
from tests.builders import City, build_city
from tests.conftest import at

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(at("2026-06-01"))


@pytest.fixture
def timed(engine: Engine, clock: Clock) -> UnitOfWork:
    return UnitOfWork(engine, clock=clock)


@pytest.fixture
def city(timed: UnitOfWork) -> City:
    return build_city(timed)


def admin(uow: UnitOfWork, city: City, login: str = "secretary") -> str:
    account, token = accounts.create_administrator(
        uow, organization_id=city.organization.id, login=login
    )
    accounts.accept_invitation(uow, token=token, password=PASSWORD)
    return account.login


def test_an_administrator_sets_a_password_by_the_link_once_and_logs_in(
    timed: UnitOfWork, city: City
) -> None:
    account, token = accounts.create_administrator(
        timed, organization_id=city.organization.id, login=" Secretary "
    )
    assert (account.login, account.administrator, account.has_password) == (
        "secretary",
        True,
        False,
    )
    view = accounts.link_view(timed, token, TokenKind.INVITATION)
    assert (view.account, view.needs_login) == (account, False)
    with pytest.raises(InvalidInput, match="at least 10"):
        accounts.accept_invitation(timed, token=token, password="short")
    with pytest.raises(InvalidInput, match="most common"):
        accounts.accept_invitation(timed, token=token, password="Password123")
    accounts.accept_invitation(timed, token=token, password=PASSWORD)
    with pytest.raises(RuleViolation, match="already used"):
        accounts.accept_invitation(timed, token=token, password=PASSWORD)
    with pytest.raises(AlreadyExists, match="taken"):
        accounts.create_administrator(
            timed, organization_id=city.organization.id, login="secretary"
        )
    signed = accounts.log_in(timed, login="SECRETARY", password=PASSWORD, address="10.0.0.1")
    assert signed.account.id == account.id
    seen = accounts.resolve_session(timed, signed.token)
    assert seen is not None
    assert (seen.account.login, seen.csrf_secret) == ("secretary", signed.csrf_secret)
    accounts.log_out(timed, session_token=signed.token)
    assert accounts.resolve_session(timed, signed.token) is None


def test_a_member_invited_chooses_a_login_and_a_second_invitation_replaces_the_first(
    timed: UnitOfWork, city: City
) -> None:
    member = city.members["Factory"][0]
    first = accounts.issue_invitation(timed, member_id=member.id)
    second = accounts.issue_invitation(timed, member_id=member.id)
    with pytest.raises(RuleViolation, match="expired"):
        accounts.link_view(timed, first, TokenKind.INVITATION)
    view = accounts.link_view(timed, second, TokenKind.INVITATION)
    assert (view.member, view.needs_login, view.suggested_login) == (
        member,
        True,
        "factory.member.1",
    )
    with pytest.raises(InvalidInput, match="login name"):
        accounts.accept_invitation(timed, token=second, password=PASSWORD, login="x")
    with pytest.raises(InvalidInput, match="too close"):
        accounts.accept_invitation(
            timed, token=second, password="Factory-Member-1!", login="factory0"
        )
    account = accounts.accept_invitation(timed, token=second, password=PASSWORD, login="anna")
    assert (account.member_id, account.administrator) == (member.id, False)
    with pytest.raises(AlreadyExists, match="already has the account 'anna'"):
        accounts.issue_invitation(timed, member_id=member.id)
    assert accounts.log_in(timed, login="anna", password=PASSWORD, address="a").account == account


def test_links_expire_and_a_wrong_link_is_not_found(
    timed: UnitOfWork, city: City, clock: Clock
) -> None:
    token = accounts.issue_invitation(timed, member_id=city.members["Regiment"][0].id)
    with pytest.raises(NotFound, match="does not exist"):
        accounts.link_view(timed, token + "x", TokenKind.INVITATION)
    with pytest.raises(NotFound):
        accounts.link_view(timed, token, TokenKind.RESET)
    clock.advance(days=15)
    with pytest.raises(RuleViolation, match="expired"):
        accounts.accept_invitation(timed, token=token, password=PASSWORD, login="ivan")


def test_five_failures_for_a_login_refuse_the_sixth_try_saying_how_long_to_wait(
    timed: UnitOfWork, city: City, clock: Clock
) -> None:
    login = admin(timed, city)
    for n in range(5):
        with pytest.raises(Unauthorized, match="wrong"):
            accounts.log_in(timed, login=login, password=f"wrong guess {n}", address=f"10.0.0.{n}")
        clock.advance(minutes=1)
    with pytest.raises(TooManyAttempts, match="try again in 10 minutes") as refused:
        accounts.log_in(timed, login=login, password=PASSWORD, address="10.0.0.9")
    assert refused.value.retry_after == 10 * 60
    clock.advance(minutes=10)  # the first failure leaves the window
    signed = accounts.log_in(timed, login=login, password=PASSWORD, address="10.0.0.9")
    assert signed.account.login == login
    # A success starts the count again for the login name.
    with pytest.raises(Unauthorized):
        accounts.log_in(timed, login=login, password="wrong again", address="10.0.0.9")
    assert accounts.log_in(timed, login=login, password=PASSWORD, address="10.0.0.8")


def test_twenty_failures_from_one_address_refuse_it_whatever_the_login(
    timed: UnitOfWork, city: City, clock: Clock
) -> None:
    login = admin(timed, city)
    for n in range(20):
        with pytest.raises(Unauthorized):
            accounts.log_in(timed, login=f"guess{n}", password="not the one", address="203.0.113.5")
        clock.advance(seconds=10)
    with pytest.raises(TooManyAttempts, match="try again in"):
        accounts.log_in(timed, login=login, password=PASSWORD, address="203.0.113.5")
    assert accounts.log_in(timed, login=login, password=PASSWORD, address="203.0.113.6")


def test_a_reset_link_sets_a_new_password_and_ends_every_session(
    timed: UnitOfWork, city: City
) -> None:
    login = admin(timed, city)
    signed = accounts.log_in(timed, login=login, password=PASSWORD, address="a")
    first = accounts.issue_reset(timed, login=login)[1]
    _account, token = accounts.issue_reset(timed, login=login)
    with pytest.raises(RuleViolation, match="expired"):
        accounts.reset_password(timed, token=first, password="another long phrase")
    with pytest.raises(NotFound, match="no account"):
        accounts.issue_reset(timed, login="nobody")
    accounts.reset_password(timed, token=token, password="another long phrase")
    assert accounts.resolve_session(timed, signed.token) is None
    with pytest.raises(Unauthorized):
        accounts.log_in(timed, login=login, password=PASSWORD, address="a")
    assert accounts.log_in(timed, login=login, password="another long phrase", address="a")
    with pytest.raises(RuleViolation, match="already used"):
        accounts.reset_password(timed, token=token, password="a third long phrase")


def test_changing_ones_password_needs_the_current_one_and_keeps_this_session_only(
    timed: UnitOfWork, city: City
) -> None:
    login = admin(timed, city)
    here = accounts.log_in(timed, login=login, password=PASSWORD, address="a")
    there = accounts.log_in(timed, login=login, password=PASSWORD, address="b")
    with pytest.raises(InvalidInput, match="current password is wrong"):
        accounts.change_password(
            timed, account_id=here.account.id, current="nope", new="a fresh passphrase"
        )
    accounts.change_password(
        timed,
        account_id=here.account.id,
        current=PASSWORD,
        new="a fresh passphrase",
        session_token=here.token,
    )
    assert accounts.resolve_session(timed, here.token) is not None
    assert accounts.resolve_session(timed, there.token) is None


def test_api_tokens_act_for_an_administrator_in_their_own_organization_until_revoked(
    timed: UnitOfWork, city: City
) -> None:
    login = admin(timed, city)
    account = accounts.account_by_login(timed, login)
    created, token = accounts.create_api_token(timed, account_id=account.id, name="roll sync")
    org = {"organization_id": str(city.organization.id)}
    assert accounts.api_actor(timed, token, org) == f"account:{account.id}"
    assert accounts.api_actor(timed, token, {"constituency_id": str(city.factory.id)})
    with pytest.raises(Forbidden, match="names no organization"):
        accounts.api_actor(timed, token, {})
    other = build_other(timed)
    with pytest.raises(Forbidden, match="another organization"):
        accounts.api_actor(timed, token, {"organization_id": str(other)})
    (listed,) = accounts.api_tokens(timed, account.id)
    assert listed.last_used_at is not None
    accounts.revoke_api_token(timed, account_id=account.id, token_id=created.id)
    assert accounts.api_actor(timed, token, org) is None
    assert accounts.resolve_api_token(timed, token) is None


def test_a_members_token_changes_nothing(timed: UnitOfWork, city: City) -> None:
    token = accounts.issue_invitation(timed, member_id=city.members["Factory"][1].id)
    account = accounts.accept_invitation(timed, token=token, password=PASSWORD, login="boris")
    _, api = accounts.create_api_token(timed, account_id=account.id, name="my script")
    with pytest.raises(Forbidden, match="not an administrator"):
        accounts.api_actor(timed, api, {"organization_id": str(city.organization.id)})


def build_other(uow: UnitOfWork) -> int:
    from smolny.services import federation

    return federation.create_organization(uow, name="Other Union", actor="test").id


def test_tokens_are_stored_as_hashes_and_no_credential_enters_the_ledger(
    timed: UnitOfWork, city: City, engine: Engine
) -> None:
    login = admin(timed, city)
    signed = accounts.log_in(timed, login=login, password=PASSWORD, address="a")
    invitation = accounts.issue_invitation(timed, member_id=city.members["Factory"][2].id)
    _, api = accounts.create_api_token(timed, account_id=signed.account.id, name="script")
    with engine.connect() as connection:
        dump = "\n".join(
            str(row)
            for table in ("accounts", "sessions", "one_time_tokens", "api_tokens", "events")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
        stored = connection.execute(
            select(one_time_tokens.c.token_hash).order_by(one_time_tokens.c.id.desc())
        ).scalar()
        ledger = "\n".join(r[0] for r in connection.execute(text("SELECT body FROM events")))
    for secret in (signed.token, invitation, api, PASSWORD):
        assert secret not in dump
    assert stored == token_hash(invitation)
    assert "argon2id" in dump
    assert login not in ledger
    assert "argon2" not in ledger
    assert verify_ledger(timed).ok


# -- disabling and enabling accounts ------------------------------------------------------------


def member_account(uow: UnitOfWork, city: City, login: str, n: int = 0) -> int:
    token = accounts.issue_invitation(uow, member_id=city.members["Factory"][n].id)
    return accounts.accept_invitation(uow, token=token, password=PASSWORD, login=login).id


def test_disabling_ends_sessions_revokes_tokens_and_links_and_refuses_the_login(
    timed: UnitOfWork, city: City, clock: Clock
) -> None:
    secretary = accounts.account_by_login(timed, admin(timed, city))
    anna = member_account(timed, city, "anna")
    here = accounts.log_in(timed, login="anna", password=PASSWORD, address="a")
    there = accounts.log_in(timed, login="anna", password=PASSWORD, address="b")
    _, api = accounts.create_api_token(timed, account_id=anna, name="my script")
    _, reset = accounts.issue_reset(timed, login="anna")
    mine = accounts.log_in(timed, login=secretary.login, password=PASSWORD, address="c")

    clock.advance(hours=1)
    disabled = accounts.disable_account(
        timed, account_id=anna, by=secretary.id, reason="  lost\n her   phone "
    )
    assert (disabled.disabled_at, disabled.disabled_by, disabled.disabled_reason) == (
        clock.now,
        secretary.actor,
        "lost her phone",
    )
    assert accounts.resolve_session(timed, here.token) is None
    assert accounts.resolve_session(timed, there.token) is None
    assert accounts.resolve_session(timed, mine.token) is not None  # only hers end
    assert accounts.resolve_api_token(timed, api) is None
    assert all(t.revoked_at == clock.now for t in accounts.api_tokens(timed, anna))
    with pytest.raises(RuleViolation, match="expired"):
        accounts.reset_password(timed, token=reset, password="another long phrase")
    with pytest.raises(RuleViolation, match="'anna' is disabled and gets no password reset"):
        accounts.issue_reset(timed, login="anna")
    # Refused whatever the password, with the same answer: it tells nothing about it.
    for password in (PASSWORD, "a wrong guess"):
        with pytest.raises(AccountDisabled, match="'anna' is disabled: ask an administrator"):
            accounts.log_in(timed, login="anna", password=password, address="d")

    # Enabled again: the password works at once (the refused tries are forgotten), the old
    # API token stays revoked, and the record of the disabling is cleared.
    for n in range(3):
        with pytest.raises(AccountDisabled):
            accounts.log_in(timed, login="anna", password=f"guess {n}", address="e")
    enabled = accounts.enable_account(timed, account_id=anna, by=secretary.id)
    assert (enabled.disabled_at, enabled.disabled_by, enabled.disabled_reason) == (None,) * 3
    for n in range(4):
        with pytest.raises(Unauthorized, match="wrong"):
            accounts.log_in(timed, login="anna", password=f"guess {n}", address="f")
    assert accounts.log_in(timed, login="anna", password=PASSWORD, address="f").account.id == anna
    assert accounts.resolve_api_token(timed, api) is None
    assert verify_ledger(timed).ok


def test_who_may_disable_whom(timed: UnitOfWork, city: City) -> None:
    secretary = accounts.account_by_login(timed, admin(timed, city))
    anna = member_account(timed, city, "anna")
    boris = member_account(timed, city, "boris", 1)
    with pytest.raises(RuleViolation, match="cannot disable your own account"):
        accounts.disable_account(timed, account_id=secretary.id, by=secretary.id)
    with pytest.raises(RuleViolation, match="'secretary' is the last active administrator"):
        accounts.disable_account(timed, account_id=secretary.id, by=None)
    with pytest.raises(Forbidden, match="'anna' is not an administrator"):
        accounts.disable_account(timed, account_id=boris, by=anna)
    other = build_other(timed)
    outsider, token = accounts.create_administrator(timed, organization_id=other, login="out")
    accounts.accept_invitation(timed, token=token, password=PASSWORD)
    with pytest.raises(Forbidden, match="another organization"):
        accounts.disable_account(timed, account_id=anna, by=outsider.id)
    with pytest.raises(InvalidInput, match="keep it to 500"):
        accounts.disable_account(timed, account_id=anna, by=secretary.id, reason="x" * 501)
    with pytest.raises(NotFound, match="no account 9999"):
        accounts.disable_account(timed, account_id=9999, by=secretary.id)
    with pytest.raises(RuleViolation, match="'anna' is not disabled"):
        accounts.enable_account(timed, account_id=anna, by=secretary.id)
    # None of the refusals changed anything.
    assert not any(a.disabled for a in accounts.accounts_of(timed, city.organization.id))

    # With a second administrator, the first may go, by the second's hand or the operator's.
    chair = accounts.account_by_login(timed, admin(timed, city, "chair"))
    accounts.disable_account(timed, account_id=secretary.id, by=chair.id)
    with pytest.raises(RuleViolation, match="already disabled"):
        accounts.disable_account(timed, account_id=secretary.id, by=None)
    # A disabled administrator changes nothing any more.
    with pytest.raises(Forbidden, match="not an administrator"):
        accounts.enable_account(timed, account_id=secretary.id, by=secretary.id)
    with pytest.raises(RuleViolation, match="'chair' is the last active administrator"):
        accounts.disable_account(timed, account_id=chair.id, by=None)
    by_operator = accounts.enable_account(timed, account_id=secretary.id, by=None)
    assert not by_operator.disabled
    assert accounts.disable_account(timed, account_id=chair.id, by=None).disabled_by == "cli"


def test_an_invitation_outstanding_for_a_disabled_account_stops_working(
    timed: UnitOfWork, city: City
) -> None:
    secretary = accounts.account_by_login(timed, admin(timed, city))
    pending, token = accounts.create_administrator(
        timed, organization_id=city.organization.id, login="pending"
    )
    accounts.disable_account(timed, account_id=pending.id, by=secretary.id)
    with pytest.raises(RuleViolation, match="expired"):
        accounts.accept_invitation(timed, token=token, password=PASSWORD)
    accounts.enable_account(timed, account_id=pending.id, by=secretary.id)
    # Enabling brings back no link: the operator gives a new one (a reset link works too).
    _, reset = accounts.issue_reset(timed, login="pending")
    accounts.reset_password(timed, token=reset, password="a pending passphrase")
    assert accounts.log_in(timed, login="pending", password="a pending passphrase", address="a")
