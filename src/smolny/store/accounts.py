"""Accounts, sessions, one-time links, API tokens and login attempts.

These tables are not projections of the ledger and are never written to it: an
append-only public log must not hold credentials. Every token is kept as its SHA-256 only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    Row,
    String,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)

from smolny.domain.accounts import Account, ApiToken, TokenKind
from smolny.store.tables import metadata
from smolny.store.types import EnumText, UtcDateTime

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False, index=True),
    Column("member_id", ForeignKey("members.id"), unique=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("password_hash", String(200)),  # None until the invitation is accepted
    Column("administrator", Boolean, nullable=False),
    Column("language", String(16)),  # the account's choice of language, None: the browser's
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
    Column("disabled_by", String(64)),  # "account:<id>", or "cli" (the operator)
    Column("disabled_reason", String(500)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("account_id", ForeignKey("accounts.id"), nullable=False, index=True),
    Column("csrf_secret", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
)

one_time_tokens = Table(
    "one_time_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", EnumText(TokenKind), nullable=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("account_id", ForeignKey("accounts.id"), index=True),  # an account's own link
    Column("member_id", ForeignKey("members.id"), index=True),  # a member without an account
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("account_id", ForeignKey("accounts.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_login_at", "login", "at"),
    Index("ix_login_attempts_address_at", "address", "at"),
)


@dataclass(frozen=True)
class SessionRow:
    id: int
    account_id: int
    csrf_secret: str
    expires_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class OneTimeToken:
    id: int
    kind: TokenKind
    organization_id: int
    account_id: int | None
    member_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def _account(row: Row[Any]) -> Account:
    m = row._mapping
    return Account(
        id=m["id"],
        organization_id=m["organization_id"],
        member_id=m["member_id"],
        login=m["login"],
        administrator=bool(m["administrator"]),
        has_password=m["password_hash"] is not None,
        language=m["language"],
        created_at=m["created_at"],
        disabled_at=m["disabled_at"],
        disabled_by=m["disabled_by"],
        disabled_reason=m["disabled_reason"],
    )


class AccountStore:
    """Reads and writes of the account tables, on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # -- accounts -------------------------------------------------------------------------
    def add_account(
        self,
        *,
        organization_id: int,
        login: str,
        member_id: int | None,
        administrator: bool,
        password_hash: str | None,
        at: datetime,
    ) -> Account:
        new_id = self.connection.execute(
            accounts.insert().values(
                organization_id=organization_id,
                login=login,
                member_id=member_id,
                administrator=administrator,
                password_hash=password_hash,
                created_at=at,
            )
        ).inserted_primary_key
        assert new_id is not None
        found = self.account(int(new_id[0]))
        assert found is not None
        return found

    def account(self, account_id: int) -> Account | None:
        row = self.connection.execute(
            select(accounts).where(accounts.c.id == account_id)
        ).one_or_none()
        return None if row is None else _account(row)

    def account_by_login(self, login: str) -> Account | None:
        row = self.connection.execute(
            select(accounts).where(accounts.c.login == login)
        ).one_or_none()
        return None if row is None else _account(row)

    def account_of_member(self, member_id: int) -> Account | None:
        row = self.connection.execute(
            select(accounts).where(accounts.c.member_id == member_id)
        ).one_or_none()
        return None if row is None else _account(row)

    def accounts_of(self, organization_id: int) -> list[Account]:
        rows = self.connection.execute(
            select(accounts)
            .where(accounts.c.organization_id == organization_id)
            .order_by(accounts.c.login)
        )
        return [_account(r) for r in rows]

    def member_ids_with_accounts(self, member_ids: Sequence[int]) -> set[int]:
        found: set[int] = set()
        wanted = sorted(set(member_ids))
        for start in range(0, len(wanted), 500):
            rows = self.connection.execute(
                select(accounts.c.member_id).where(
                    accounts.c.member_id.in_(wanted[start : start + 500])
                )
            )
            found.update(int(m) for (m,) in rows)
        return found

    def password_hash(self, account_id: int) -> str | None:
        value = self.connection.execute(
            select(accounts.c.password_hash).where(accounts.c.id == account_id)
        ).scalar_one_or_none()
        return None if value is None else str(value)

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        self.connection.execute(
            update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash)
        )

    def set_language(self, account_id: int, language: str | None) -> None:
        self.connection.execute(
            update(accounts).where(accounts.c.id == account_id).values(language=language)
        )

    def set_disabled(
        self, account_id: int, *, at: datetime | None, by: str | None, reason: str | None
    ) -> None:
        """Disable the account (when, by whom, why), or enable it again (all None)."""
        self.connection.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(disabled_at=at, disabled_by=by, disabled_reason=reason)
        )

    # -- sessions -------------------------------------------------------------------------
    def add_session(
        self, *, token_hash: str, account_id: int, csrf_secret: str, at: datetime, expires: datetime
    ) -> None:
        self.connection.execute(
            sessions.insert().values(
                token_hash=token_hash,
                account_id=account_id,
                csrf_secret=csrf_secret,
                created_at=at,
                expires_at=expires,
                last_seen_at=at,
            )
        )

    def session(self, token_hash: str) -> SessionRow | None:
        row = self.connection.execute(
            select(
                sessions.c.id,
                sessions.c.account_id,
                sessions.c.csrf_secret,
                sessions.c.expires_at,
                sessions.c.last_seen_at,
            ).where(sessions.c.token_hash == token_hash)
        ).one_or_none()
        return None if row is None else SessionRow(*row)

    def touch_session(self, session_id: int, at: datetime) -> None:
        self.connection.execute(
            update(sessions).where(sessions.c.id == session_id).values(last_seen_at=at)
        )

    def end_session(self, token_hash: str) -> None:
        self.connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def end_sessions_of(self, account_id: int, *, keep: str | None = None) -> None:
        """End every session of the account (but the one whose token hash is `keep`)."""
        condition = sessions.c.account_id == account_id
        if keep is not None:
            condition = and_(condition, sessions.c.token_hash != keep)
        self.connection.execute(delete(sessions).where(condition))

    def end_expired_sessions(self, now: datetime) -> None:
        self.connection.execute(delete(sessions).where(sessions.c.expires_at <= now))

    # -- one-time links -------------------------------------------------------------------
    def add_one_time_token(
        self,
        *,
        token_hash: str,
        kind: TokenKind,
        organization_id: int,
        account_id: int | None,
        member_id: int | None,
        at: datetime,
        expires: datetime,
    ) -> None:
        self.connection.execute(
            one_time_tokens.insert().values(
                token_hash=token_hash,
                kind=kind,
                organization_id=organization_id,
                account_id=account_id,
                member_id=member_id,
                created_at=at,
                expires_at=expires,
            )
        )

    def one_time_token(self, token_hash: str) -> OneTimeToken | None:
        row = self.connection.execute(
            select(
                one_time_tokens.c.id,
                one_time_tokens.c.kind,
                one_time_tokens.c.organization_id,
                one_time_tokens.c.account_id,
                one_time_tokens.c.member_id,
                one_time_tokens.c.created_at,
                one_time_tokens.c.expires_at,
                one_time_tokens.c.used_at,
            ).where(one_time_tokens.c.token_hash == token_hash)
        ).one_or_none()
        return None if row is None else OneTimeToken(*row)

    def use_one_time_token(self, token_id: int, at: datetime) -> bool:
        """Mark the link used; False if it was used meanwhile (a second tab, a replay)."""
        changed = self.connection.execute(
            update(one_time_tokens)
            .where(one_time_tokens.c.id == token_id, one_time_tokens.c.used_at.is_(None))
            .values(used_at=at)
        )
        return bool(changed.rowcount)

    def expire_links(
        self,
        *,
        kind: TokenKind,
        at: datetime,
        account_id: int | None = None,
        member_ids: Sequence[int] = (),
    ) -> None:
        """Earlier unused links of this kind for the account or members stop working: only
        the newest one given out opens the door."""
        conditions = []
        if account_id is not None:
            conditions.append(one_time_tokens.c.account_id == account_id)
        if member_ids:
            conditions.append(one_time_tokens.c.member_id.in_(sorted(set(member_ids))))
        if not conditions:
            return
        self.connection.execute(
            update(one_time_tokens)
            .where(
                one_time_tokens.c.kind == kind,
                one_time_tokens.c.used_at.is_(None),
                one_time_tokens.c.expires_at > at,
                or_(*conditions),
            )
            .values(expires_at=at)
        )

    # -- API tokens -----------------------------------------------------------------------
    def add_api_token(self, *, token_hash: str, account_id: int, name: str, at: datetime) -> int:
        new_id = self.connection.execute(
            api_tokens.insert().values(
                token_hash=token_hash, account_id=account_id, name=name, created_at=at
            )
        ).inserted_primary_key
        assert new_id is not None
        return int(new_id[0])

    def api_tokens_of(self, account_id: int) -> list[ApiToken]:
        rows = self.connection.execute(
            select(
                api_tokens.c.id,
                api_tokens.c.account_id,
                api_tokens.c.name,
                api_tokens.c.created_at,
                api_tokens.c.last_used_at,
                api_tokens.c.revoked_at,
            )
            .where(api_tokens.c.account_id == account_id)
            .order_by(api_tokens.c.id)
        )
        return [ApiToken(*r) for r in rows]

    def api_token(self, token_hash: str) -> ApiToken | None:
        row = self.connection.execute(
            select(
                api_tokens.c.id,
                api_tokens.c.account_id,
                api_tokens.c.name,
                api_tokens.c.created_at,
                api_tokens.c.last_used_at,
                api_tokens.c.revoked_at,
            ).where(api_tokens.c.token_hash == token_hash)
        ).one_or_none()
        return None if row is None else ApiToken(*row)

    def revoke_api_token(self, token_id: int, at: datetime) -> None:
        self.connection.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def touch_api_token(self, token_id: int, at: datetime) -> None:
        self.connection.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=at)
        )

    def revoke_api_tokens_of(self, account_id: int, at: datetime) -> None:
        self.connection.execute(
            update(api_tokens)
            .where(api_tokens.c.account_id == account_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    # -- login attempts -------------------------------------------------------------------
    def add_attempt(self, *, login: str, address: str, at: datetime, succeeded: bool) -> None:
        self.connection.execute(
            login_attempts.insert().values(
                login=login[:64], address=address[:64], at=at, succeeded=succeeded
            )
        )

    def failures_for_login(self, login: str, since: datetime) -> list[datetime]:
        """Failed attempts for the login since `since` that no success has followed."""
        last_success = self.connection.execute(
            select(func.max(login_attempts.c.at)).where(
                login_attempts.c.login == login,
                login_attempts.c.succeeded.is_(True),
                login_attempts.c.at >= since,
            )
        ).scalar_one_or_none()
        start = max(since, last_success) if last_success is not None else since
        return self._failures(login_attempts.c.login == login, start, strictly=last_success)

    def failures_from_address(self, address: str, since: datetime) -> list[datetime]:
        return self._failures(login_attempts.c.address == address, since, strictly=None)

    def _failures(
        self, condition: Any, since: datetime, *, strictly: datetime | None
    ) -> list[datetime]:
        after = (
            login_attempts.c.at > since if strictly is not None else login_attempts.c.at >= since
        )
        rows = self.connection.execute(
            select(login_attempts.c.at).where(
                condition, login_attempts.c.succeeded.is_(False), after
            )
        )
        return [at for (at,) in rows]

    def forget_failures_for_login(self, login: str) -> None:
        self.connection.execute(
            delete(login_attempts).where(
                login_attempts.c.login == login, login_attempts.c.succeeded.is_(False)
            )
        )

    def forget_attempts_before(self, moment: datetime) -> None:
        self.connection.execute(delete(login_attempts).where(login_attempts.c.at < moment))
