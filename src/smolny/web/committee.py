"""The committee member's page: "Orders to review".

`GET /committee/orders` lists, for each committee the signed-in member sits on, the orders
awaiting its countersignature for the units it holds the power over (with the order's
text, its issuer and its status per unit), and the orders it has decided. Each awaiting
order has two forms: countersign, and refuse (with a reason, required). They post to
`/committee/orders/{order_id}/countersign` and `/refuse` with the body's id; the service
checks the person's right (`acting`) and records the decision in their name
(`account:<id>`). Success redirects back to the list with a notice; a refusal of the
rules comes back on the same page, saying why, next to the order.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from smolny.api.deps import UowDep
from smolny.domain.accounts import Account
from smolny.domain.errors import DomainError
from smolny.domain.orders import STATUS_TEXT, Decision, Status
from smolny.domain.rights import Actor
from smolny.services import committee, orders
from smolny.store.uow import UnitOfWork
from smolny.web.auth import RequireAccountDep, current_account
from smolny.web.i18n import N_, _, format_day, translate
from smolny.web.pages import templates

router = APIRouter(include_in_schema=False)

PAGE = "/committee/orders"
SYMBOL = {
    Status.VALID: "✓",
    Status.AWAITING: "…",
    Status.REFUSED: "✗",
    Status.WITHDRAWN: "⊘",
    Status.NOT_ADDRESSED: "",
}
OUTCOME_WORDS = {  # the badge of a decided order (translated in the template)
    "countersigned": N_("countersigned"),
    "refused": N_("refused"),
    "withdrawn": N_("withdrawn"),
    "own": N_("its own order"),
}
REFUSED = {"forbidden": 403, "not_found": 404, "conflict": 409}


def actor_of(account: Account) -> Actor:
    """The signed-in person, as the rights and the services know them."""
    return Actor(
        organization_id=account.organization_id,
        member_id=account.member_id,
        administrator=account.administrator,
        account_id=account.id,
    )


def _page(
    request: Request,
    uow: UnitOfWork,
    me: Account,
    *,
    error: tuple[int, int, str] | None = None,  # (order, body, message)
    reason: str = "",
    status_code: int = 200,
    done: tuple[int, int] | None = None,  # (order, body) just decided
) -> HTMLResponse:
    view = committee.review(uow, actor_of(me))
    notice = ""
    if done is not None:
        for body in view.bodies:
            for item in body.decided:
                if (item.order.id, item.body.id) == done and item.decision is not None:
                    notice = _("Order %(id)s (%(title)s): %(outcome)s.") % {
                        "id": item.order.id,
                        "title": item.order.title,
                        "outcome": outcome(item),
                    }
    # A refusal is shown next to its order when the order is on the page, else at the top.
    inline = error is not None and any(
        (i.order.id, i.body.id) == error[:2] and i.may for b in view.bodies for i in b.awaiting
    )
    context: dict[str, Any] = {
        "inline": inline,
        "view": view,
        "me": me,
        "error": error,
        "reason": reason,
        "notice": notice,
        "symbol": SYMBOL,
        "status_text": STATUS_TEXT,
        "outcome_words": OUTCOME_WORDS,
        "outcome": outcome,
        "note": note(view, me),
    }
    return templates.TemplateResponse(
        request, "committee_orders.html", context, status_code=status_code
    )


def outcome(item: committee.Item) -> str:
    """What became of the order for the body, in the page's language."""
    d, body = item.decision, item.body.name
    if d is not None:
        values = {"body": body, "day": format_day(d.decided_at), "reason": d.reason or ""}
        if d.decision is Decision.COUNTERSIGNED:
            return _("%(body)s countersigned it on %(day)s") % values
        return _("%(body)s refused it on %(day)s: %(reason)s") % values
    if item.own:
        return _("issued by %(body)s itself: counts as countersigned by it") % {"body": body}
    day = format_day(item.order.withdrawn_at)
    return _("withdrawn by %(issuer)s on %(day)s, before %(body)s decided") % {
        "issuer": item.issuer.name,
        "day": day,
        "body": body,
    }


def note(view: committee.Review, me: Account) -> str:
    """Why there is nothing to review, in the page's language."""
    if view.member is None and me.administrator:
        return _(
            "The administrator acts for no member: only the members of a committee with "
            "countersignature power review its orders"
        )
    if view.member is None:
        return _(
            "This account acts for no member: only the members of a committee with "
            "countersignature power review its orders"
        )
    if not view.bodies:
        return _(
            "%(name)s sits on no committee now: only the members of a committee with "
            "countersignature power review orders"
        ) % {"name": view.member.name}
    return ""


@router.get(PAGE, response_class=HTMLResponse)
def review_page(
    request: Request, uow: UowDep, me: RequireAccountDep, order: int = 0, body: int = 0
) -> HTMLResponse:
    return _page(request, uow, me, done=(order, body) if order and body else None)


def _decided(order_id: int, council_id: int) -> RedirectResponse:
    return RedirectResponse(f"{PAGE}?order={order_id}&body={council_id}#notice", status_code=303)


@router.post(PAGE + "/{order_id}/countersign", response_model=None)
def countersign(
    order_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    council_id: Annotated[int, Form()],
) -> Response:
    actor = actor_of(me)
    try:
        orders.countersign_order(
            uow, order_id=order_id, council_id=council_id, actor=actor.ledger_name, acting=actor
        )
    except DomainError as refused:
        code = REFUSED.get(refused.code, 422)
        return _page(
            request,
            uow,
            me,
            error=(order_id, council_id, translate(refused.text)),
            status_code=code,
        )
    return _decided(order_id, council_id)


@router.post(PAGE + "/{order_id}/refuse", response_model=None)
def refuse(
    order_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    council_id: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    actor = actor_of(me)
    try:
        orders.refuse_order(
            uow,
            order_id=order_id,
            council_id=council_id,
            reason=reason,
            actor=actor.ledger_name,
            acting=actor,
        )
    except DomainError as refused:
        code = REFUSED.get(refused.code, 422)
        return _page(
            request,
            uow,
            me,
            error=(order_id, council_id, translate(refused.text)),
            reason=reason,
            status_code=code,
        )
    return _decided(order_id, council_id)


# -- the navigation ----------------------------------------------------------------------------


def reviews_orders(request: Request) -> bool:
    """Whether the signed-in person sits on a committee (or a body with countersignature
    power) now: the navigation then shows "Orders to review"."""
    known: bool | None = getattr(request.state, "reviews_orders", None)
    if known is not None:
        return known
    account = current_account(request)
    engine = getattr(request.app.state, "engine", None)
    found = False
    if account is not None and account.member_id is not None and engine is not None:
        try:
            found = bool(committee.reviewing_bodies(UnitOfWork(engine), account.member_id))
        except (SQLAlchemyError, DomainError):  # an error page's navigation must not fail
            found = False
    request.state.reviews_orders = found
    return found


templates.env.globals["reviews_orders"] = reviews_orders
