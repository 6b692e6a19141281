"""Signing in on the pages: the session cookie, CSRF protection of every form, the login,
invitation, reset and account pages, and the administrator's import of members.

Every unsafe request to a page (POST, PUT, PATCH, DELETE) must carry the CSRF token: the
session's secret when signed in, else the value of the `smolny_csrf` cookie (a login form
is protected too), as the form field `csrf_token` or the header `X-CSRF-Token` (htmx sends
it, see base.html). Requests that carry an `Authorization` header are not checked: no
browser adds one to a request another site makes, and such requests do not act by cookie.
The JSON API (/api) never reads cookies.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hmac
import io
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, FastAPI, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from smolny.api.deps import SettingsDep, UowDep
from smolny.domain.accounts import (
    SESSION_LIFETIME,
    Account,
    AccountDisabled,
    TokenKind,
    TooManyAttempts,
    new_token,
)
from smolny.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from smolny.domain.federation import Member, Organization
from smolny.domain.text import say
from smolny.services import accounts, imports
from smolny.services.accounts import link_path
from smolny.store.uow import UnitOfWork
from smolny.web.i18n import COOKIE as LANGUAGE_COOKIE
from smolny.web.i18n import COOKIE_AGE, LANGUAGES, _, request_language, speaking, translate
from smolny.web.pages import render_error, templates

SESSION_COOKIE = "smolny_session"
CSRF_COOKIE = "smolny_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_BODY = 10_000_000
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

router = APIRouter(include_in_schema=False)


# -- the middleware: who is signed in, and the CSRF check -----------------------------------


class SessionMiddleware:
    """Resolves the session cookie to an account (request.state.account) and refuses an
    unsafe request to a page that does not carry the CSRF token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(("/static/", "/api/")) or path == "/api":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie = request.cookies.get(SESSION_COOKIE, "")
        seen = None
        if cookie:
            uow = UnitOfWork(scope["app"].state.engine)
            seen = await run_in_threadpool(accounts.resolve_session, uow, cookie)
        anonymous = request.cookies.get(CSRF_COOKIE, "")
        fresh = None
        if seen is None and not _TOKEN.match(anonymous):
            fresh = anonymous = new_token()
        expected = seen.csrf_secret if seen else anonymous
        state = scope.setdefault("state", {})
        state.update(
            account=seen.account if seen else None,
            session_token=cookie if seen else None,
            csrf_token=expected,
        )
        if scope["method"] in UNSAFE and "authorization" not in request.headers:
            body = await _body(receive)
            if body is None:
                with speaking(request_language(request)):  # set further in, not yet here
                    too_large = render_error(request, 413, _("the request is too large"))
                await too_large(scope, receive, send)
                return
            if not await _carries(scope, body, expected):
                with speaking(request_language(request)):
                    refusal = render_error(
                        request,
                        403,
                        _(
                            "this form came without its security token (CSRF) or with another "
                            "session's: reload the page and send it again"
                        ),
                    )
                await refusal(scope, receive, send)
                return
            receive = _replay(body)
        stale = bool(cookie) and seen is None
        settings = scope["app"].state.settings

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if fresh:
                    headers.append(_cookie_header(CSRF_COOKIE, fresh, settings.secure_cookies))
                if stale:
                    headers.append(_cookie_header(SESSION_COOKIE, "", settings.secure_cookies, 0))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookies)


def _cookie_header(
    name: str, value: str, secure: bool, max_age: int | None = None
) -> tuple[bytes, bytes]:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return b"set-cookie", "; ".join(parts).encode()


async def _body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _carries(scope: Scope, body: bytes, expected: str) -> bool:
    """Whether the request carries the expected token in its header or its form."""
    request = Request(scope, _replay(body))
    offered = [request.headers.get(CSRF_HEADER, "")]
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        offered += parse_qs(body.decode("latin-1")).get(CSRF_FIELD, [])
    elif kind.startswith("multipart/form-data"):
        try:
            async with request.form() as form:
                value = form.get(CSRF_FIELD)
                offered.append(value if isinstance(value, str) else "")
        except Exception:  # a malformed upload carries no token
            return False
    return any(o and hmac.compare_digest(o.encode(), expected.encode()) for o in offered)


# -- dependencies ---------------------------------------------------------------------------


class LoginRequired(Exception):
    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def current_account(request: Request) -> Account | None:
    account: Account | None = getattr(request.state, "account", None)
    return account


def require_account(request: Request) -> Account:
    account = current_account(request)
    if account is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(back)
    return account


CurrentAccountDep = Annotated[Account | None, Depends(current_account)]
RequireAccountDep = Annotated[Account, Depends(require_account)]


def install(app: FastAPI) -> None:
    """The pages' sign-in on the app: the middleware, the routes, the login redirect."""
    app.add_middleware(SessionMiddleware)
    app.include_router(router)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, error: LoginRequired) -> Response:
        target = f"/login?next={quote(error.back_to, safe='/')}"
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)


# -- template helpers -----------------------------------------------------------------------


@pass_context
def csrf_token(context: Context) -> str:
    request = context.get("request")
    return str(getattr(request.state, "csrf_token", "")) if request is not None else ""


@pass_context
def csrf_field(context: Context) -> Markup:
    value = csrf_token(context)
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(value)


templates.env.globals["csrf_token"] = csrf_token
templates.env.globals["csrf_field"] = csrf_field
templates.env.globals["signed_in"] = current_account


def _page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another site's address."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/account"


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _site(request: Request, settings: Any) -> str:
    return str(settings.base_url or str(request.base_url)).rstrip("/")


# -- logging in and out ---------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, account: CurrentAccountDep, next: str = "", login: str = "", done: str = ""
) -> HTMLResponse:
    return _page(
        request,
        "auth_login.html",
        {"next": _safe_next(next) if next else "", "login": login, "done": done, "me": account},
    )


@router.post("/login", response_model=None)
def log_in(
    request: Request,
    uow: UowDep,
    settings: SettingsDep,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        signed = accounts.log_in(uow, login=login, password=password, address=_address(request))
    except TooManyAttempts as error:
        context = {"next": next, "login": login, "error": translate(error.text)}
        refused = _page(request, "auth_login.html", context, status_code=429)
        refused.headers["Retry-After"] = str(error.retry_after)
        return refused
    except AccountDisabled:
        message = _(
            "This account is disabled. Ask an administrator of your organization to enable it."
        )
        context = {"next": next, "login": login, "error": message}
        return _page(request, "auth_login.html", context, status_code=403)
    except DomainError as error:
        context = {"next": next, "login": login, "error": translate(error.text)}
        return _page(request, "auth_login.html", context, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.post("/logout")
def log_out(request: Request, uow: UowDep, settings: SettingsDep) -> RedirectResponse:
    token = getattr(request.state, "session_token", None)
    if token:
        accounts.log_out(uow, session_token=token)
    response = RedirectResponse("/login?done=out", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


# -- one-time links -------------------------------------------------------------------------


def _link_page(
    request: Request,
    uow: UnitOfWork,
    token: str,
    kind: TokenKind,
    *,
    error: str = "",
    login: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    try:
        view = accounts.link_view(uow, token, kind)
    except DomainError as refused:
        return render_error(
            request, 404 if refused.code == "not_found" else 410, translate(refused.text)
        )
    return _page(
        request,
        "auth_link.html",
        {"view": view, "error": error, "login": login or view.suggested_login, "kind": kind},
        status_code=status_code,
    )


@router.get("/invite/{token}", response_class=HTMLResponse)
def invitation_page(token: str, request: Request, uow: UowDep) -> HTMLResponse:
    return _link_page(request, uow, token, TokenKind.INVITATION)


@router.post("/invite/{token}", response_model=None)
def accept_invitation(
    token: str,
    request: Request,
    uow: UowDep,
    password: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "",
    login: Annotated[str, Form()] = "",
) -> Response:
    kind = TokenKind.INVITATION
    if password != repeat:
        return _link_page(
            request,
            uow,
            token,
            kind,
            error=_("the two passwords differ"),
            login=login,
            status_code=422,
        )
    try:
        account = accounts.accept_invitation(uow, token=token, password=password, login=login)
    except DomainError as error:
        return _link_page(
            request, uow, token, kind, error=translate(error.text), login=login, status_code=422
        )
    return RedirectResponse(f"/login?login={quote(account.login)}&done=set", status_code=303)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(token: str, request: Request, uow: UowDep) -> HTMLResponse:
    return _link_page(request, uow, token, TokenKind.RESET)


@router.post("/reset/{token}", response_model=None)
def reset_password(
    token: str,
    request: Request,
    uow: UowDep,
    password: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "",
) -> Response:
    kind = TokenKind.RESET
    if password != repeat:
        return _link_page(
            request, uow, token, kind, error=_("the two passwords differ"), status_code=422
        )
    try:
        account = accounts.reset_password(uow, token=token, password=password)
    except DomainError as error:
        return _link_page(request, uow, token, kind, error=translate(error.text), status_code=422)
    return RedirectResponse(f"/login?login={quote(account.login)}&done=set", status_code=303)


# -- one's account --------------------------------------------------------------------------


def _account_page(
    request: Request,
    uow: UnitOfWork,
    account: Account,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    with uow:
        organization = uow.repo.get(Organization, account.organization_id)
        member = None if account.member_id is None else uow.repo.get(Member, account.member_id)
    context = {
        "me": account,
        "organization": organization,
        "member": member,
        "tokens": accounts.api_tokens(uow, account.id),
        "message": "",
        "error": "",
        "token_error": "",
        "new_token": None,
        **extra,
    }
    return _page(request, "auth_account.html", context, status_code=status_code)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, uow: UowDep, me: RequireAccountDep) -> HTMLResponse:
    return _account_page(request, uow, me)


@router.get("/account/password")
@router.get("/account/tokens")
@router.get("/account/language")
def back_to_account() -> RedirectResponse:
    """A reload after a form was sent (htmx puts the form's address in the history)."""
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    current: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "",
) -> HTMLResponse:
    if password != repeat:
        return _account_page(
            request, uow, me, error=_("the two new passwords differ"), status_code=422
        )
    try:
        accounts.change_password(
            uow,
            account_id=me.id,
            current=current,
            new=password,
            session_token=getattr(request.state, "session_token", None),
        )
    except DomainError as error:
        return _account_page(request, uow, me, error=translate(error.text), status_code=422)
    return _account_page(
        request, uow, me, message=_("Your password is changed; your other sessions have ended.")
    )


@router.post("/account/language")
def choose_language(
    uow: UowDep,
    settings: SettingsDep,
    me: RequireAccountDep,
    language: Annotated[str, Form()] = "",
) -> Response:
    """The account's language, wherever it logs in; this browser's cookie follows it (an
    empty choice leaves the language to the browser's preference)."""
    chosen = language if language in LANGUAGES else None
    if language and chosen is None:
        raise InvalidInput(f"no such language: {language}", field="language")
    accounts.set_language(uow, account_id=me.id, language=chosen)
    done = RedirectResponse("/account#language", status_code=303)
    secure = settings.secure_cookies
    if chosen:
        done.set_cookie(LANGUAGE_COOKIE, chosen, max_age=COOKIE_AGE, samesite="lax", secure=secure)
    else:
        done.delete_cookie(LANGUAGE_COOKIE, samesite="lax", secure=secure)
    return done


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, uow: UowDep, me: RequireAccountDep, name: Annotated[str, Form()] = ""
) -> HTMLResponse:
    try:
        created, token = accounts.create_api_token(uow, account_id=me.id, name=name)
    except DomainError as error:
        return _account_page(request, uow, me, token_error=translate(error.text), status_code=422)
    return _account_page(request, uow, me, new_token=(created, token))


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, uow: UowDep, me: RequireAccountDep) -> RedirectResponse:
    accounts.revoke_api_token(uow, account_id=me.id, token_id=token_id)
    return RedirectResponse("/account#tokens", status_code=303)


# -- the administrator's import of members --------------------------------------------------


def _administrator(uow: UnitOfWork, me: Account, organization_id: int) -> Organization:
    with uow:
        organization = uow.repo.get(Organization, organization_id)
    if not me.administrator or me.organization_id != organization_id:
        raise Forbidden(
            say(
                "only an administrator of %(organization)s can import its members",
                organization=organization.name,
            )
        )
    return organization


IMPORT = "/organizations/{organization_id}/admin/members/import"


@router.get(IMPORT, response_class=HTMLResponse)
def import_page(
    organization_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> HTMLResponse:
    organization = _administrator(uow, me, organization_id)
    return _page(request, "admin_import.html", {"organization": organization, "error": ""})


@router.post(IMPORT, response_class=HTMLResponse)
async def preview_page(
    organization_id: int, request: Request, uow: UowDep, me: RequireAccountDep, file: UploadFile
) -> HTMLResponse:
    organization = await run_in_threadpool(_administrator, uow, me, organization_id)
    content = await file.read()
    return await run_in_threadpool(_preview_page, request, uow, organization, content, "")


def _preview_page(
    request: Request, uow: UnitOfWork, organization: Organization, content: bytes, notice: str
) -> HTMLResponse:
    try:
        preview = imports.preview_import(uow, organization_id=organization.id, content=content)
    except DomainError as error:
        context = {"organization": organization, "error": translate(error.text)}
        return _page(request, "admin_import.html", context, status_code=422)
    context = {
        "organization": organization,
        "preview": preview,
        "RowStatus": imports.RowStatus,
        "content": base64.b64encode(content).decode(),
        "notice": notice,
        "uninvited": imports.members_without_accounts(uow, preview.rows)
        + preview.count(imports.RowStatus.NEW),
    }
    return _page(
        request, "admin_import_preview.html", context, status_code=200 if not notice else 409
    )


@router.post(IMPORT + "/confirm", response_class=HTMLResponse)
def confirm_import(
    organization_id: int,
    request: Request,
    uow: UowDep,
    settings: SettingsDep,
    me: RequireAccountDep,
    content: Annotated[str, Form()] = "",
    digest: Annotated[str, Form()] = "",
) -> HTMLResponse:
    organization = _administrator(uow, me, organization_id)
    try:
        data = base64.b64decode(content.encode(), validate=True)
    except (binascii.Error, ValueError):
        return _page(
            request,
            "admin_import.html",
            {
                "organization": organization,
                "error": _("the preview's copy of the file is damaged: upload it again"),
            },
            status_code=422,
        )
    try:
        result = imports.apply_import(
            uow, organization_id=organization_id, content=data, digest=digest, actor=me.actor
        )
    except DomainError as error:
        return _preview_page(request, uow, organization, data, translate(error.text))
    site = _site(request, settings)
    links = [
        (i.member, f"{site}{link_path(TokenKind.INVITATION, i.token)}") for i in result.invitations
    ]
    return _page(
        request,
        "admin_import_done.html",
        {
            "organization": organization,
            "result": result,
            "links": links,
            "download": invitations_csv(links),
        },
    )


def invitations_csv(links: list[tuple[Member, str]]) -> str:
    """The invitation links as a CSV file in a data: address (the links exist only now:
    the store keeps their hashes)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "name", "link"])
    for member, link in links:
        writer.writerow([member.number, member.name, link])
    return "data:text/csv;charset=utf-8," + quote("\ufeff" + out.getvalue())


# -- the administrator's roll: accounts and links, member by member -------------------------

MEMBERS = "/organizations/{organization_id}/admin/members"


def _members_page(
    request: Request,
    uow: UnitOfWork,
    organization: Organization,
    *,
    search: str = "",
    issued: tuple[Member, str, str] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    entries, matching = accounts.roll(uow, organization.id, search=search)
    with uow:
        factions = {f.id: f.name for f in uow.repo.factions(organization.id)}
    everyone = accounts.accounts_of(uow, organization.id)
    context = {
        "organization": organization,
        "entries": entries,
        "matching": matching,
        "search": search,
        "factions": factions,
        "issued": issued,
        "error": error,
        "notice": notice,
        "me": current_account(request),
        # Accounts of no member (administrators made by the command) are not in the roll.
        "unlinked": [a for a in everyone if a.member_id is None],
        "logins": {a.actor: a.login for a in everyone},
    }
    return _page(request, "admin_members.html", context, status_code=status_code)


@router.get(MEMBERS, response_class=HTMLResponse)
def members_page(
    organization_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    q: str = "",
    done: str = "",
    account: int = 0,
) -> HTMLResponse:
    organization = _administrator(uow, me, organization_id)
    notice = ""
    listed = accounts.accounts_of(uow, organization_id)
    changed = next((a for a in listed if a.id == account), None)
    if changed is not None and done == "disabled" and changed.disabled:
        notice = _(
            "The account %(login)s is disabled: its sessions have ended, its API tokens are "
            "revoked and its links no longer work."
        ) % {"login": changed.login}
    elif changed is not None and done == "enabled" and not changed.disabled:
        notice = _("The account %(login)s is enabled: its owner can log in again.") % {
            "login": changed.login
        }
    return _members_page(request, uow, organization, search=q, notice=notice)


@router.get(MEMBERS + "/{member_id}/invitation")
@router.get(MEMBERS + "/{member_id}/reset")
def back_to_members(organization_id: int) -> RedirectResponse:
    """A reload after a link was given: the roll again (the link is not shown twice)."""
    return RedirectResponse(MEMBERS.format(organization_id=organization_id), status_code=303)


@router.post(MEMBERS + "/{member_id}/invitation", response_class=HTMLResponse)
def invite_member(
    organization_id: int,
    member_id: int,
    request: Request,
    uow: UowDep,
    settings: SettingsDep,
    me: RequireAccountDep,
    q: Annotated[str, Form()] = "",
) -> HTMLResponse:
    organization = _administrator(uow, me, organization_id)
    with uow:
        member = uow.repo.get(Member, member_id)
    if member.organization_id != organization_id:
        raise Forbidden(say("%(name)s is a member of another organization", name=member.name))
    try:
        token = accounts.issue_invitation(uow, member_id=member_id)
    except DomainError as error:
        return _members_page(
            request, uow, organization, search=q, error=translate(error.text), status_code=409
        )
    link = _site(request, settings) + link_path(TokenKind.INVITATION, token)
    return _members_page(request, uow, organization, search=q, issued=(member, "invitation", link))


@router.post(MEMBERS + "/{member_id}/reset", response_class=HTMLResponse)
def reset_member(
    organization_id: int,
    member_id: int,
    request: Request,
    uow: UowDep,
    settings: SettingsDep,
    me: RequireAccountDep,
    q: Annotated[str, Form()] = "",
) -> HTMLResponse:
    organization = _administrator(uow, me, organization_id)
    with uow:
        member = uow.repo.get(Member, member_id)
    if member.organization_id != organization_id:
        raise Forbidden(say("%(name)s is a member of another organization", name=member.name))
    try:
        _, token = accounts.issue_reset_for_member(uow, member_id=member_id)
    except DomainError as error:
        return _members_page(
            request, uow, organization, search=q, error=translate(error.text), status_code=409
        )
    link = _site(request, settings) + link_path(TokenKind.RESET, token)
    return _members_page(request, uow, organization, search=q, issued=(member, "reset", link))


# -- the administrator disables and enables accounts ----------------------------------------

ACCOUNT_STATUS = MEMBERS + "/accounts/{account_id}"


def _account_of(uow: UnitOfWork, organization_id: int, account_id: int) -> Account:
    """The account, if it is of the organization (else: as if there were none)."""
    listed = accounts.accounts_of(uow, organization_id)
    found = next((a for a in listed if a.id == account_id), None)
    if found is None:
        raise NotFound(say("the organization has no account %(id)s", id=str(account_id)))
    return found


def _back_to_members(organization_id: int, search: str, done: str, account: Account) -> str:
    query = f"?q={quote(search)}&done={done}&account={account.id}"
    anchor = f"#member-{account.member_id}" if account.member_id else f"#account-{account.id}"
    return MEMBERS.format(organization_id=organization_id) + query + anchor


def _disable_page(
    request: Request,
    organization: Organization,
    account: Account,
    *,
    search: str = "",
    reason: str = "",
    error: str = "",
    status_code: int = 200,
    uow: UnitOfWork,
) -> HTMLResponse:
    with uow:
        member = None if account.member_id is None else uow.repo.get(Member, account.member_id)
    context = {
        "organization": organization,
        "target": account,  # not "account": base.html names the signed-in one so
        "member": member,
        "search": search,
        "reason": reason,
        "error": error,
    }
    return _page(request, "admin_account_disable.html", context, status_code=status_code)


@router.get(ACCOUNT_STATUS + "/disable", response_class=HTMLResponse)
def disable_page(
    organization_id: int,
    account_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    q: str = "",
) -> HTMLResponse:
    """The confirmation step: what disabling does, and the reason to state."""
    organization = _administrator(uow, me, organization_id)
    account = _account_of(uow, organization_id, account_id)
    return _disable_page(request, organization, account, search=q, uow=uow)


@router.post(ACCOUNT_STATUS + "/disable", response_model=None)
def disable_account(
    organization_id: int,
    account_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    reason: Annotated[str, Form()] = "",
    q: Annotated[str, Form()] = "",
) -> Response:
    organization = _administrator(uow, me, organization_id)
    account = _account_of(uow, organization_id, account_id)
    try:
        accounts.disable_account(uow, account_id=account.id, by=me.id, reason=reason)
    except DomainError as refused:
        return _disable_page(
            request,
            organization,
            account,
            search=q,
            reason=reason,
            error=translate(refused.text),
            status_code=422 if isinstance(refused, InvalidInput) else 409,
            uow=uow,
        )
    return RedirectResponse(_back_to_members(organization_id, q, "disabled", account), 303)


@router.get(ACCOUNT_STATUS + "/enable")
def back_to_members_after_enabling(organization_id: int) -> RedirectResponse:
    """A reload after the form was sent: the roll again."""
    return RedirectResponse(MEMBERS.format(organization_id=organization_id), status_code=303)


@router.post(ACCOUNT_STATUS + "/enable", response_model=None)
def enable_account(
    organization_id: int,
    account_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    q: Annotated[str, Form()] = "",
) -> Response:
    organization = _administrator(uow, me, organization_id)
    account = _account_of(uow, organization_id, account_id)
    try:
        accounts.enable_account(uow, account_id=account.id, by=me.id)
    except DomainError as refused:
        return _members_page(
            request, uow, organization, search=q, error=translate(refused.text), status_code=409
        )
    return RedirectResponse(_back_to_members(organization_id, q, "enabled", account), 303)
