"""Accounts: administrators and invited members, passwords, sessions, one-time links, API
tokens, and the limit on login attempts.

None of this goes into the ledger (see smolny.store.accounts). Every token leaves here
once, in the return value, and is stored only as its SHA-256.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from smolny.domain.accounts import (
    ATTEMPT_WINDOW,
    FAILURES_PER_ADDRESS,
    FAILURES_PER_LOGIN,
    INVITATION_LIFETIME,
    RESET_LIFETIME,
    SESSION_LIFETIME,
    Account,
    AccountDisabled,
    ApiToken,
    TokenKind,
    TooManyAttempts,
    Unauthorized,
    check_disable_reason,
    check_login,
    check_may_disable,
    check_may_enable,
    check_password,
    new_token,
    normalize_login,
    token_hash,
    wait_after_failures,
    wait_said,
)
from smolny.domain.errors import AlreadyExists, Forbidden, InvalidInput, NotFound, RuleViolation
from smolny.domain.federation import Constituency, Council, Faction, Member, Organization
from smolny.domain.mandates import Mandate
from smolny.domain.sittings import Motion, Sitting, Vote
from smolny.domain.text import Text, say
from smolny.store.accounts import AccountStore, OneTimeToken
from smolny.store.tables import members as member_table
from smolny.store.uow import UnitOfWork

# Who disabled an account from the command line: the operator, as the ledger names them.
OPERATOR = "cli"
# A session's "last seen" is written at most this often, not on every page.
SEEN_EVERY = timedelta(minutes=5)
LINK_PATHS = {TokenKind.INVITATION: "/invite/", TokenKind.RESET: "/reset/"}


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's recommended costs


@cache
def _decoy_hash() -> str:
    """A hash to verify against when the login name is unknown, so that the answer takes
    as long as for a known one."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher().verify(stored or _decoy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _store(uow: UnitOfWork) -> AccountStore:
    return AccountStore(uow.connection)


def link_path(kind: TokenKind, token: str) -> str:
    """Where a one-time link leads, under the site's address."""
    return LINK_PATHS[kind] + token


# -- administrators and invitations ---------------------------------------------------------


def create_administrator(
    uow: UnitOfWork, *, organization_id: int, login: str, member_id: int | None = None
) -> tuple[Account, str]:
    """An administrator account of the organization, without a password yet: the token
    returned opens the link where they set one."""
    name = check_login(login)
    with uow:
        organization = uow.repo.get(Organization, organization_id)
        store = _store(uow)
        check_free_login(store, name)
        if member_id is not None:
            check_member_without_account(uow, store, organization.id, member_id)
        now = uow.now()
        account = store.add_account(
            organization_id=organization.id,
            login=name,
            member_id=member_id,
            administrator=True,
            password_hash=None,
            at=now,
        )
        token = _issue(store, TokenKind.INVITATION, organization.id, now, account_id=account.id)
        uow.commit()
    return account, token


def check_free_login(store: AccountStore, login: str) -> None:
    if store.account_by_login(login) is not None:
        raise AlreadyExists(
            say("the login name %(login)s is taken", login=repr(login)), field="login"
        )


def check_member_without_account(
    uow: UnitOfWork, store: AccountStore, organization_id: int, member_id: int
) -> Member:
    member = uow.repo.get(Member, member_id)
    if member.organization_id != organization_id:
        raise RuleViolation(say("%(name)s is a member of another organization", name=member.name))
    found = store.account_of_member(member_id)
    if found is not None:
        raise AlreadyExists(
            say(
                "%(name)s already has the account %(login)s: issue a password reset instead",
                name=member.name,
                login=repr(found.login),
            ),
            field="member",
        )
    return member


def issue_invitation(uow: UnitOfWork, *, member_id: int) -> str:
    """A one-time link for a member without an account to choose a login name and a
    password; earlier links for them stop working."""
    with uow:
        member = uow.repo.get(Member, member_id)
        store = _store(uow)
        check_member_without_account(uow, store, member.organization_id, member_id)
        token = do_invite(uow, member.organization_id, [member_id])[member_id]
        uow.commit()
    return token


def do_invite(uow: UnitOfWork, organization_id: int, member_ids: Sequence[int]) -> dict[int, str]:
    """Links for members of the organization who have no account (the others are left
    out), inside the caller's transaction."""
    store = _store(uow)
    now = uow.now()
    have = store.member_ids_with_accounts(member_ids)
    wanted = [m for m in dict.fromkeys(member_ids) if m not in have]
    store.expire_links(kind=TokenKind.INVITATION, at=now, member_ids=wanted)
    return {
        m: _issue(store, TokenKind.INVITATION, organization_id, now, member_id=m) for m in wanted
    }


def _issue(
    store: AccountStore,
    kind: TokenKind,
    organization_id: int,
    now: datetime,
    *,
    account_id: int | None = None,
    member_id: int | None = None,
) -> str:
    token = new_token()
    lifetime = INVITATION_LIFETIME if kind is TokenKind.INVITATION else RESET_LIFETIME
    store.add_one_time_token(
        token_hash=token_hash(token),
        kind=kind,
        organization_id=organization_id,
        account_id=account_id,
        member_id=member_id,
        at=now,
        expires=now + lifetime,
    )
    return token


@dataclass(frozen=True)
class LinkView:
    """What a one-time link is for, to show on its page."""

    kind: TokenKind
    organization: Organization
    account: Account | None
    member: Member | None
    expires_at: datetime
    suggested_login: str

    @property
    def needs_login(self) -> bool:
        """An invited member without an account yet chooses their login name."""
        return self.account is None


def link_view(uow: UnitOfWork, token: str, kind: TokenKind) -> LinkView:
    with uow:
        found = check_link(uow, token, kind)
        return _view(uow, found)


def check_link(uow: UnitOfWork, token: str, kind: TokenKind) -> OneTimeToken:
    """The link's record, if it is of this kind, unused and not expired; else refused with
    what to do."""
    found = _store(uow).one_time_token(token_hash(token))
    invitation = kind is TokenKind.INVITATION
    if found is None or found.kind is not kind:
        raise NotFound(
            say("this invitation does not exist: check that the whole link was copied")
            if invitation
            else say(
                "this password reset link does not exist: check that the whole link was copied"
            )
        )
    if found.used_at is not None:
        raise RuleViolation(
            say("this invitation was already used: ask your administrator for a new one")
            if invitation
            else say(
                "this password reset link was already used: ask your administrator for a new one"
            )
        )
    if found.expires_at <= uow.now():
        raise RuleViolation(
            say("this invitation has expired: ask your administrator for a new one")
            if invitation
            else say("this password reset link has expired: ask your administrator for a new one")
        )
    return found


def _view(uow: UnitOfWork, found: OneTimeToken) -> LinkView:
    store = _store(uow)
    account = None if found.account_id is None else store.account(found.account_id)
    member_id = account.member_id if account else found.member_id
    member = None if member_id is None else uow.repo.get(Member, member_id)
    return LinkView(
        kind=found.kind,
        organization=uow.repo.get(Organization, found.organization_id),
        account=account,
        member=member,
        expires_at=found.expires_at,
        suggested_login=account.login if account else suggest_login(member),
    )


def suggest_login(member: Member | None) -> str:
    """A login name from a member's name (Latin letters only), else from their number."""
    if member is None:
        return ""
    ascii_name = unicodedata.normalize("NFKD", member.name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    if words and len(".".join(words)) >= 3:
        return ".".join(words)[:63]
    number = re.sub(r"[^a-z0-9]+", "-", member.number.lower()).strip("-")
    return f"member-{number}"[:63]


def accept_invitation(
    uow: UnitOfWork, *, token: str, password: str, login: str | None = None
) -> Account:
    """Set the password of an invited account; an invited member without an account gets
    one, with the login name they chose."""
    with uow:
        found = check_link(uow, token, TokenKind.INVITATION)
        store = _store(uow)
        view = _view(uow, found)
        if view.account is not None:
            account = view.account
            check_not_disabled(account, say("cannot be opened by an invitation"))
            if account.has_password:
                raise RuleViolation(
                    say(
                        "the account %(login)s already has a password: log in, or ask for a "
                        "password reset",
                        login=repr(account.login),
                    )
                )
            check_password(password, login=account.login, name=_name(view.member))
            store.set_password_hash(account.id, hash_password(password))
        else:
            assert view.member is not None
            name = check_login(login or "")
            check_free_login(store, name)
            check_member_without_account(uow, store, view.organization.id, view.member.id)
            check_password(password, login=name, name=view.member.name)
            account = store.add_account(
                organization_id=view.organization.id,
                login=name,
                member_id=view.member.id,
                administrator=False,
                password_hash=hash_password(password),
                at=uow.now(),
            )
        if not store.use_one_time_token(found.id, uow.now()):
            raise RuleViolation(say("this invitation was just used: log in, or ask for a new one"))
        account = store.account(account.id) or account
        uow.commit()
    return account


def _name(member: Member | None) -> str:
    return member.name if member else ""


# -- password resets ------------------------------------------------------------------------


def issue_reset(uow: UnitOfWork, *, login: str) -> tuple[Account, str]:
    """A one-time link to set a new password (the administrator hands it over: no mail
    server is assumed); earlier reset links of the account stop working."""
    with uow:
        store = _store(uow)
        account = _account_by_login(store, login)
        check_not_disabled(account, say("gets no password reset link"))
        now = uow.now()
        store.expire_links(kind=TokenKind.RESET, at=now, account_id=account.id)
        token = _issue(store, TokenKind.RESET, account.organization_id, now, account_id=account.id)
        uow.commit()
    return account, token


def _account_by_login(store: AccountStore, login: str) -> Account:
    account = store.account_by_login(normalize_login(login))
    if account is None:
        raise NotFound(
            say("no account with the login name %(login)s", login=repr(login.strip())),
            field="login",
        )
    return account


def reset_password(uow: UnitOfWork, *, token: str, password: str) -> Account:
    """Set a new password by a reset link; every session of the account ends."""
    with uow:
        found = check_link(uow, token, TokenKind.RESET)
        store = _store(uow)
        view = _view(uow, found)
        assert view.account is not None
        check_not_disabled(view.account, say("gets no new password"))
        check_password(password, login=view.account.login, name=_name(view.member))
        store.set_password_hash(view.account.id, hash_password(password))
        store.end_sessions_of(view.account.id)
        if not store.use_one_time_token(found.id, uow.now()):
            raise RuleViolation(say("this reset link was just used: ask for a new one"))
        uow.commit()
    return view.account


def change_password(
    uow: UnitOfWork, *, account_id: int, current: str, new: str, session_token: str | None = None
) -> None:
    """Change one's own password, knowing the current one; other sessions end."""
    with uow:
        store = _store(uow)
        account = store.account(account_id)
        if account is None:
            raise NotFound(say("account %(id)s does not exist", id=str(account_id)))
        if not _verify(store.password_hash(account_id), current):
            raise InvalidInput(say("the current password is wrong"), field="current")
        member = None if account.member_id is None else uow.repo.get(Member, account.member_id)
        check_password(new, login=account.login, name=_name(member))
        store.set_password_hash(account_id, hash_password(new))
        keep = None if session_token is None else token_hash(session_token)
        store.end_sessions_of(account_id, keep=keep)
        uow.commit()


# -- logging in and out ---------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    """A session: the account, the token for the cookie, and the secret forms carry."""

    account: Account
    token: str
    csrf_secret: str


def log_in(uow: UnitOfWork, *, login: str, password: str, address: str) -> SignedIn:
    """Open a session, if the password is right and not too many tries failed lately (5
    for a login name or 20 from one address in 15 minutes: then say how long to wait)."""
    name = normalize_login(login)[:64]
    if not name or not password:
        raise InvalidInput(say("give your login name and your password"), field="login")
    with uow:
        store = _store(uow)
        now = uow.now()
        check_attempts(store, name, address, now)
        account = store.account_by_login(name)
        stored = store.password_hash(account.id) if account else None
        # Verified even for a disabled account, so that the answer takes as long.
        ok = _verify(stored, password) and account is not None
        disabled = account is not None and account.disabled
        ok = ok and not disabled
        store.add_attempt(login=name, address=address, at=now, succeeded=ok)
        signed_in = None
        if ok:
            assert account is not None
            signed_in = SignedIn(account, new_token(), secrets.token_hex(32))
            store.end_expired_sessions(now)
            store.add_session(
                token_hash=token_hash(signed_in.token),
                account_id=account.id,
                csrf_secret=signed_in.csrf_secret,
                at=now,
                expires=now + SESSION_LIFETIME,
            )
        store.forget_attempts_before(now - 4 * ATTEMPT_WINDOW)
        uow.commit()
    if disabled:
        # Whatever the password: the answer tells nothing about it.
        raise AccountDisabled(
            say(
                "the account %(login)s is disabled: ask an administrator of your organization",
                login=repr(name),
            ),
            field="login",
        )
    if signed_in is None:
        raise Unauthorized(say("the login name or the password is wrong"), field="password")
    return signed_in


def check_attempts(store: AccountStore, login: str, address: str, now: datetime) -> None:
    since = now - ATTEMPT_WINDOW
    wait = max(
        wait_after_failures(
            store.failures_for_login(login, since), limit=FAILURES_PER_LOGIN, now=now
        ),
        wait_after_failures(
            store.failures_from_address(address, since), limit=FAILURES_PER_ADDRESS, now=now
        ),
    )
    if wait:
        raise TooManyAttempts(
            say("too many failed logins: try again in %(wait)s", wait=wait_said(wait)),
            retry_after=wait,
        )


def log_out(uow: UnitOfWork, *, session_token: str) -> None:
    with uow:
        _store(uow).end_session(token_hash(session_token))
        uow.commit()


@dataclass(frozen=True)
class SessionView:
    account: Account
    csrf_secret: str


def resolve_session(uow: UnitOfWork, session_token: str) -> SessionView | None:
    """The account a session cookie belongs to, or None if it is unknown, expired or the
    account is disabled."""
    if not session_token:
        return None
    with uow:
        store = _store(uow)
        found = store.session(token_hash(session_token))
        now = uow.now()
        if found is None or found.expires_at <= now:
            return None
        account = store.account(found.account_id)
        if account is None or account.disabled_at is not None:
            return None
        if now - found.last_seen_at >= SEEN_EVERY:
            store.touch_session(found.id, now)
            uow.commit()
        return SessionView(account, found.csrf_secret)


# -- API tokens -----------------------------------------------------------------------------


def create_api_token(uow: UnitOfWork, *, account_id: int, name: str) -> tuple[ApiToken, str]:
    """A token for scripts (Authorization: Bearer TOKEN), shown once."""
    label = " ".join(name.split())
    if not label:
        raise InvalidInput(say("name the token (what script uses it)"), field="name")
    if len(label) > 100:
        raise InvalidInput(say("a token's name is longer than 100 characters"), field="name")
    with uow:
        store = _store(uow)
        if store.account(account_id) is None:
            raise NotFound(say("account %(id)s does not exist", id=str(account_id)))
        token = new_token()
        token_id = store.add_api_token(
            token_hash=token_hash(token), account_id=account_id, name=label, at=uow.now()
        )
        created = next(t for t in store.api_tokens_of(account_id) if t.id == token_id)
        uow.commit()
    return created, token


def api_tokens(uow: UnitOfWork, account_id: int) -> list[ApiToken]:
    with uow:
        return _store(uow).api_tokens_of(account_id)


def revoke_api_token(uow: UnitOfWork, *, account_id: int, token_id: int) -> None:
    with uow:
        store = _store(uow)
        if not any(t.id == token_id for t in store.api_tokens_of(account_id)):
            raise NotFound(say("this account has no API token %(id)s", id=str(token_id)))
        store.revoke_api_token(token_id, uow.now())
        uow.commit()


def set_language(uow: UnitOfWork, *, account_id: int, language: str | None) -> Account:
    """The account's language for the pages (a code such as "ru"), or None for the
    browser's choice. Which languages exist is the pages' business; a code is two to
    eight letters."""
    if language is not None and not re.fullmatch(r"[a-z]{2,8}", language):
        raise InvalidInput(f"{language!r} is not a language code", field="language")
    with uow:
        store = _store(uow)
        if store.account(account_id) is None:
            raise NotFound(say("there is no account %(id)s", id=str(account_id)))
        store.set_language(account_id, language)
        account = store.account(account_id)
        uow.commit()
    assert account is not None
    return account


def resolve_api_token(uow: UnitOfWork, token: str) -> Account | None:
    """The account an API token acts for; None if unknown or revoked."""
    if not token:
        return None
    with uow:
        store = _store(uow)
        found = store.api_token(token_hash(token))
        if found is None or found.revoked_at is not None:
            return None
        account = store.account(found.account_id)
        if account is None or account.disabled_at is not None:
            return None
        store.touch_api_token(found.id, uow.now())
        uow.commit()
    return account


def accounts_of(uow: UnitOfWork, organization_id: int) -> list[Account]:
    with uow:
        uow.repo.get(Organization, organization_id)
        return _store(uow).accounts_of(organization_id)


@dataclass(frozen=True)
class RollEntry:
    member: Member
    account: Account | None


def roll(
    uow: UnitOfWork, organization_id: int, *, search: str = "", limit: int = 200
) -> tuple[list[RollEntry], int]:
    """The organization's members with their accounts, by number (those whose name or
    number contains `search`), at most `limit` of them; and how many match."""
    wanted = search.strip().casefold()
    with uow:
        uow.repo.get(Organization, organization_id)
        everyone = uow.repo.where(Member, member_table.c.organization_id == organization_id)
        found = [
            m
            for m in everyone
            if not wanted or wanted in m.name.casefold() or wanted in m.number.casefold()
        ]
        by_member = {
            a.member_id: a for a in _store(uow).accounts_of(organization_id) if a.member_id
        }
    found.sort(key=lambda m: (len(m.number), m.number))
    return [RollEntry(m, by_member.get(m.id)) for m in found[:limit]], len(found)


def issue_reset_for_member(uow: UnitOfWork, *, member_id: int) -> tuple[Account, str]:
    """A reset link for a member's account (the administrator hands it over)."""
    with uow:
        member = uow.repo.get(Member, member_id)
        account = _store(uow).account_of_member(member_id)
        if account is None:
            raise NotFound(
                say("%(name)s has no account yet: give them an invitation", name=member.name)
            )
        issued = issue_reset(uow, login=account.login)  # joins this transaction
        uow.commit()
    return issued


def check_not_disabled(account: Account, refused: Text) -> None:
    if account.disabled:
        raise RuleViolation(
            say(
                "the account %(login)s is disabled and %(refused)s: an administrator of the "
                "organization enables it first",
                login=repr(account.login),
                refused=refused,
            )
        )


# -- disabling and enabling accounts ---------------------------------------------------------


def disable_account(
    uow: UnitOfWork, *, account_id: int, by: int | None, reason: str | None = None
) -> Account:
    """Disable an account at once: every session of it ends, its API tokens are revoked
    and its unused invitation and reset links stop working; logging in is refused until it
    is enabled again. `by` is the administrator's account (None: the operator, from the
    command line); when, by whom and why are kept with the account, not in the ledger."""
    stated = check_disable_reason(reason)
    with uow:
        uow.lock()  # one writer at a time: the last-administrator check holds until commit
        store = _store(uow)
        target = _account(store, account_id)
        actor = None if by is None else _account(store, by)
        administrators = [
            a for a in store.accounts_of(target.organization_id) if a.active_administrator
        ]
        check_may_disable(actor, target, administrators)
        now = uow.now()
        store.set_disabled(target.id, at=now, by=actor.actor if actor else OPERATOR, reason=stated)
        store.end_sessions_of(target.id)
        store.revoke_api_tokens_of(target.id, now)
        members = [target.member_id] if target.member_id is not None else []
        for kind in TokenKind:
            store.expire_links(kind=kind, at=now, account_id=target.id, member_ids=members)
        disabled = _account(store, target.id)
        uow.commit()
    return disabled


def enable_account(uow: UnitOfWork, *, account_id: int, by: int | None) -> Account:
    """Let a disabled account log in again (its API tokens stay revoked: it makes new
    ones). The failed logins tried while it was disabled are forgotten, so that its owner
    is not kept waiting by them."""
    with uow:
        uow.lock()
        store = _store(uow)
        target = _account(store, account_id)
        check_may_enable(None if by is None else _account(store, by), target)
        store.set_disabled(target.id, at=None, by=None, reason=None)
        store.forget_failures_for_login(target.login)
        enabled = _account(store, target.id)
        uow.commit()
    return enabled


def _account(store: AccountStore, account_id: int) -> Account:
    found = store.account(account_id)
    if found is None:
        raise NotFound(say("there is no account %(id)s", id=str(account_id)))
    return found


def account_by_login(uow: UnitOfWork, login: str) -> Account:
    with uow:
        return _account_by_login(_store(uow), login)


# -- what an account may change through the JSON API ---------------------------------------


def api_actor(uow: UnitOfWork, token: str, path_params: Mapping[str, str]) -> str | None:
    """The actor of a changing API request made with an account's token: an administrator
    of the organization the request's path names. None if no account has the token;
    refused with the reason if it may not make the request."""
    account = resolve_api_token(uow, token)
    if account is None:
        return None
    if not account.administrator:
        raise Forbidden(
            f"the account {account.login!r} is not an administrator: its token cannot change "
            "the organization through the API"
        )
    organization_id = organization_of(uow, path_params)
    if organization_id is None:
        raise Forbidden(
            "this request names no organization in its path: only the operator's token "
            "(SMOLNY_ADMIN_TOKEN) may make it"
        )
    if organization_id != account.organization_id:
        raise Forbidden(f"the account {account.login!r} administers another organization")
    return account.actor


def organization_of(uow: UnitOfWork, path_params: Mapping[str, str]) -> int | None:
    """The organization a request's path is about, from the first id it names."""

    def council(cid: int) -> int:
        return uow.repo.get(Council, cid).organization_id

    def sitting(sid: int) -> int:
        return uow.repo.get(Sitting, sid).organization_id

    resolvers: dict[str, Callable[[int], int]] = {
        "organization_id": lambda i: uow.repo.get(Organization, i).id,
        "council_id": council,
        "committee_id": council,
        "congress_id": council,
        "constituency_id": lambda i: council(uow.repo.get(Constituency, i).council_id),
        "faction_id": lambda i: uow.repo.get(Faction, i).organization_id,
        "member_id": lambda i: uow.repo.get(Member, i).organization_id,
        "mandate_id": lambda i: council(uow.repo.get(Mandate, i).council_id),
        "sitting_id": sitting,
        "motion_id": lambda i: council(uow.repo.get(Motion, i).council_id),
        "vote_id": lambda i: sitting(uow.repo.get(Vote, i).sitting_id),
    }
    with uow:
        for name, value in path_params.items():
            if name in resolvers and str(value).isdigit():
                return int(resolvers[name](int(value)))
    return None
