"""What the delegate's and the chair's pages share: the signed-in person as an Actor, their
sittings ("My sittings"), the live parts of a page (re-fetched when the sitting changes,
unchanged ones answer 204), the answer to an action (a notice, or the page without
JavaScript), and the sitting's server-sent events.

Live: one task per server polls the ledger's head (one row) every half second while any
page listens, and wakes the listeners of an organization when an event of that
organization is recorded (a recall elsewhere in it can end a presence here). Each page
then re-fetches its parts. A stream ends after STREAM_SECONDS (the browser reconnects at
once and says where it was, so nothing is missed) so that a server can stop without
waiting for open pages, and at once when the client goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from markupsafe import Markup
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from smolny.api.deps import UowDep
from smolny.domain.accounts import Account
from smolny.domain.errors import DomainError, Forbidden, InvalidInput
from smolny.domain.rights import Actor
from smolny.services import journeys, sittings
from smolny.store.uow import UnitOfWork
from smolny.web.auth import RequireAccountDep
from smolny.web.i18n import _, format_day, translate
from smolny.web.pages import templates

router = APIRouter(include_in_schema=False)

POLL_SECONDS = 0.5
STREAM_SECONDS = 25.0
HEARTBEAT_SECONDS = 10.0
RETRY_MILLISECONDS = 500
LIVE_TRIGGER = "sitting-changed"  # the event the parts listen for (static/live.js fires it)
REFUSED = {
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "rule_violation": 422,
    "invalid_input": 422,
}


def actor_of(account: Account) -> Actor:
    """The signed-in person, as the rights and the services know them."""
    return Actor(
        organization_id=account.organization_id,
        member_id=account.member_id,
        administrator=account.administrator,
        account_id=account.id,
    )


def same_organization(uow: UnitOfWork, account: Account, sitting_id: int) -> None:
    sitting = sittings.get_sitting(uow, sitting_id)
    if sitting.organization_id != account.organization_id:
        raise Forbidden(
            _("the sitting “%(title)s” belongs to another organization than your account")
            % {"title": sitting.title}
        )


# -- My sittings -------------------------------------------------------------------------------


def _my_parts() -> Parts:
    # The list is re-read when a sitting is convened from the page (the answer's trigger).
    return Parts("delegate_sittings_parts.html", "/my/sittings/parts", ("list",))


def _my_sittings(
    request: Request, uow: UnitOfWork, me: Account, notice: Markup | None = None
) -> HTMLResponse:
    actor = actor_of(me)
    context: dict[str, Any] = {
        "mine": journeys.my_sittings(uow, actor),
        "me": me,
        "no_member": actor.member_id is None,
        "convenings": journeys.convenings(uow, actor),
        "today": uow.now().date(),
        "notice": notice,
    }
    context["parts"] = _my_parts().render_all(request, context)
    return templates.TemplateResponse(request, "delegate_sittings.html", context)


@router.get("/my/sittings", response_class=HTMLResponse)
def my_sittings_page(request: Request, uow: UowDep, me: RequireAccountDep) -> HTMLResponse:
    return _my_sittings(request, uow, me)


@router.get("/my/sittings/parts/{name}")
def my_sittings_part(
    name: str, request: Request, uow: UowDep, me: RequireAccountDep, v: str = ""
) -> Response:
    mine = journeys.my_sittings(uow, actor_of(me))
    return _my_parts().answer(request, name, v, {"mine": mine, "me": me})


@router.post("/my/sittings")
def convene_sitting(
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    council_id: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    section_ids: Annotated[list[str] | None, Form()] = None,
    chair_member_id: Annotated[str, Form()] = "",
) -> Response:
    """Convene a sitting in the person's name: the service decides whether they may (an
    office of the council with the power `convene`), and says why not."""
    actor = actor_of(me)

    def do() -> str:
        sitting = sittings.convene_sitting(
            uow,
            council_id=_id(council_id, "council_id"),
            title=title,
            day=_day(day),
            section_ids=[_id(s, "section_ids") for s in section_ids or []],
            chair_member_id=_id(chair_member_id, "chair_member_id") if chair_member_id else None,
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("“%(title)s” is convened for %(day)s. Open it from the chair's console.") % {
            "title": sitting.title,
            "day": format_day(sitting.day),
        }

    return act(request, do, lambda notice: _my_sittings(request, uow, me, notice))


def _id(value: str, field: str) -> int:
    """An id chosen in the form (a council, a section, a member)."""
    value = value.strip()
    if not value.isdigit():
        raise InvalidInput(
            _("the form does not name a %(field)s (“%(value)s”)")
            % {"field": field, "value": value},
            field=field,
        )
    return int(value)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            _("“%(value)s” is not a day: write it as YYYY-MM-DD") % {"value": value.strip()},
            field="day",
        ) from None


# -- live parts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parts:
    """The live parts of a page: each is rendered by the template `template` with `part` set
    to its name, and wrapped in an element that re-fetches it from `url/<name>` (with the
    digest of what it shows, so that an unchanged part answers 204)."""

    template: str
    url: str  # "/sittings/3/delegate/parts"
    names: tuple[str, ...]

    def inner(self, request: Request, name: str, context: dict[str, Any]) -> str:
        page = templates.get_template(self.template)
        return page.render({**context, "request": request, "part": name})

    def wrapped(self, name: str, inner: str) -> Markup:
        version = _digest(inner)
        return (
            Markup(
                '<div id="part-{name}" class="part part-{name}" data-version="{version}" '
                'hx-get="{url}/{name}?v={version}" hx-trigger="{trigger} from:body, every 30s" '
                'hx-swap="outerHTML">'
            ).format(name=name, version=version, url=self.url, trigger=LIVE_TRIGGER)
            + Markup(inner)
            + Markup("</div>")
        )

    def render_all(self, request: Request, context: dict[str, Any]) -> dict[str, Markup]:
        return {n: self.wrapped(n, self.inner(request, n, context)) for n in self.names}

    def answer(self, request: Request, name: str, v: str, context: dict[str, Any]) -> Response:
        if name not in self.names:
            return Response(status_code=404)
        inner = self.inner(request, name, context)
        if v and hmac.compare_digest(v, _digest(inner)):
            return Response(status_code=204)
        return HTMLResponse(self.wrapped(name, inner))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# -- answering an action -----------------------------------------------------------------------


def notice_html(message: str, *, refused: bool) -> Markup:
    role = "alert" if refused else "status"
    kind = "refused" if refused else "done"
    return Markup(
        '<div id="notice" class="notice notice-{kind}" role="{role}" data-testid="notice">'
        "{message}</div>"
    ).format(kind=kind, role=role, message=message)


def act(
    request: Request,
    do: Callable[[], str],
    page: Callable[[Markup], Response],
) -> Response:
    """Do an action and answer with what happened: for htmx, the notice (the parts follow
    the `sitting-changed` trigger); without JavaScript, the whole page with the notice.
    A refusal is the service's reason, with the status of the error (403, 409, 422)."""
    status = 200
    try:
        message, refused = do(), False
    except DomainError as error:
        message, refused = translate(error.text), True
        status = REFUSED.get(error.code, 400)
    notice = notice_html(message, refused=refused)
    if request.headers.get("hx-request"):
        return HTMLResponse(notice, status_code=status, headers={"HX-Trigger": LIVE_TRIGGER})
    answer = page(notice)
    answer.status_code = status
    return answer


# -- the sitting's server-sent events ----------------------------------------------------------


class LedgerWatch:
    """One poller of the ledger's head for every live page of a server: while any page
    listens, it reads the head every POLL_SECONDS, and on a change the organizations of
    the new events (kept for a while, so that a listener that lagged still learns them)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.head: int | None = None
        self.history: deque[tuple[int, int, frozenset[int | None]]] = deque(maxlen=1000)
        self.listeners = 0
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def join(self) -> int:
        """Start listening: the head now."""
        self.listeners += 1
        if self._task is None or self._task.done():
            # Idle until now: what happened meanwhile is not in the history.
            self.history.clear()
            self.head = await run_in_threadpool(journeys.ledger_head, UnitOfWork(self.engine))
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._poll())
        assert self.head is not None
        return self.head

    def leave(self) -> None:
        self.listeners -= 1

    def changed_since(self, seen: int, organization_id: int) -> bool | None:
        """Whether an event of the organization was recorded after `seen` (None: not known,
        the history does not reach back that far)."""
        if self.head is None or self.head <= seen:
            return False
        if not self.history or self.history[0][0] > seen:
            return None
        return any(organization_id in orgs for before, after, orgs in self.history if after > seen)

    async def wait(self, timeout: float) -> None:
        """Until the head moves, or the timeout."""
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout)

    async def _poll(self) -> None:
        while self.listeners > 0:
            await asyncio.sleep(POLL_SECONDS)
            before = self.head if self.head is not None else 0
            try:
                head, orgs = await run_in_threadpool(
                    journeys.changed_organizations, UnitOfWork(self.engine), before
                )
            except Exception:  # a database hiccup: the next poll tries again
                continue
            if head != before:
                self.history.append((before, head, frozenset(orgs)))
                self.head = head
                woken, self._changed = self._changed, asyncio.Event()
                woken.set()


def watch_of(request: Request) -> LedgerWatch:
    state = request.app.state
    watch: LedgerWatch | None = getattr(state, "ledger_watch", None)
    if watch is None:
        watch = state.ledger_watch = LedgerWatch(state.engine)
    return watch


def _message(seq: int) -> str:
    return f"id: {seq}\nevent: change\ndata: {seq}\n\n"


@router.get("/sittings/{sitting_id}/events")
async def sitting_events(
    sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> StreamingResponse:
    """Server-sent events: `change` (with the ledger's number) each time an event of the
    sitting's organization is recorded. The page re-fetches its parts."""
    sitting = await run_in_threadpool(sittings.get_sitting, uow, sitting_id)
    if sitting.organization_id != me.organization_id:
        raise Forbidden(_("this sitting belongs to another organization than your account"))
    organization_id = sitting.organization_id
    watch = watch_of(request)
    last_id = request.headers.get("last-event-id", "")

    async def stream() -> AsyncIterator[str]:
        seen = await watch.join()
        try:
            # The id tells the browser where it is: it sends it back when it reconnects.
            yield f"retry: {RETRY_MILLISECONDS}\nid: {seen}\n\n"
            # Reconnected: say whether anything happened while the stream was down.
            missed = last_id.isdigit() and int(last_id) < seen
            if missed and watch.changed_since(int(last_id), organization_id) is not False:
                yield _message(seen)
            loop = asyncio.get_running_loop()
            ends = loop.time() + STREAM_SECONDS
            quiet_since = loop.time()
            while loop.time() < ends:
                await watch.wait(POLL_SECONDS)
                if await request.is_disconnected():
                    return
                head = watch.head if watch.head is not None else seen
                if head > seen:
                    if watch.changed_since(seen, organization_id) is not False:
                        yield _message(head)
                        quiet_since = loop.time()
                    seen = head
                elif loop.time() - quiet_since > HEARTBEAT_SECONDS:
                    yield f"id: {seen}\n\n"  # also keeps proxies from closing it
                    quiet_since = loop.time()
        finally:
            watch.leave()

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
