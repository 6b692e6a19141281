"""The delegate's page of a sitting: check in, follow the agenda and the speakers' list, ask
to speak, table a motion, vote on the motion under vote (roll-call or secret) and see the
results as soon as the chair closes the vote. Live (see web/journeys.py).

Everything goes through the sitting services in the person's own name (`acting`), so the
rules decide, and a refusal shows the service's reason."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from smolny.api.deps import UowDep
from smolny.domain.accounts import Account
from smolny.domain.errors import Forbidden, InvalidInput
from smolny.domain.rights import Actor
from smolny.domain.sittings import Choice, VoteMode
from smolny.services import journeys, sittings
from smolny.store.uow import UnitOfWork
from smolny.web.auth import RequireAccountDep
from smolny.web.i18n import N_, _
from smolny.web.journeys import Parts, act, actor_of, same_organization
from smolny.web.pages import templates

router = APIRouter(include_in_schema=False)

PARTS = ("presence", "vote", "floor", "results")
# Translated where shown (gettext at render time).
CHOICE_LABELS = {
    Choice.FOR: N_("FOR"),
    Choice.AGAINST: N_("AGAINST"),
    Choice.ABSTAIN: N_("ABSTAIN"),
}
CHOICE_HEADINGS = {
    Choice.FOR: N_("For"),
    Choice.AGAINST: N_("Against"),
    Choice.ABSTAIN: N_("Abstaining"),
}
templates.env.globals.update(CHOICE_LABELS=CHOICE_LABELS, CHOICE_HEADINGS=CHOICE_HEADINGS)


def parts_of(sitting_id: int) -> Parts:
    return Parts("delegate_parts.html", f"/sittings/{sitting_id}/delegate/parts", PARTS)


def _context(uow: UnitOfWork, me: Account, sitting_id: int) -> dict[str, Any]:
    same_organization(uow, me, sitting_id)
    place = journeys.place(uow, actor_of(me), sitting_id)
    return {"p": place, "v": place.view, "me": me, "choices": list(Choice)}


def _page(
    request: Request, uow: UnitOfWork, me: Account, sitting_id: int, notice: Markup | None = None
) -> HTMLResponse:
    context = _context(uow, me, sitting_id)
    context["parts"] = parts_of(sitting_id).render_all(request, context)
    context["notice"] = notice
    return templates.TemplateResponse(request, "delegate_sitting.html", context)


@router.get("/sittings/{sitting_id}/delegate", response_class=HTMLResponse)
def delegate_page(
    sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> HTMLResponse:
    return _page(request, uow, me, sitting_id)


@router.get("/sittings/{sitting_id}/delegate/parts/{name}")
def delegate_part(
    sitting_id: int, name: str, request: Request, uow: UowDep, me: RequireAccountDep, v: str = ""
) -> Response:
    return parts_of(sitting_id).answer(request, name, v, _context(uow, me, sitting_id))


# -- actions -----------------------------------------------------------------------------------


def _member_id(actor: Actor, doing: str) -> int:
    """The member the person is: an account that acts for no member does nothing here."""
    if actor.member_id is None:
        raise Forbidden(
            _(
                "the administrator acts for no member: an administrator sets up the "
                "organization's structure but cannot %(doing)s for anyone"
            )
            % {"doing": _(doing)}
        )
    return actor.member_id


def _answer(request: Request, uow: UnitOfWork, me: Account, sitting_id: int, do: Any) -> Response:
    same_organization(uow, me, sitting_id)
    return act(request, do, lambda notice: _page(request, uow, me, sitting_id, notice))


@router.post("/sittings/{sitting_id}/delegate/check-in")
def check_in(sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    actor = actor_of(me)

    def do() -> str:
        member_id = _member_id(actor, N_("check in"))
        (stay,) = sittings.check_in(
            uow,
            sitting_id=sitting_id,
            member_ids=[member_id],
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("You are checked in: present since %(time)s UTC.") % {
            "time": f"{stay.arrived_at:%H:%M}"
        }

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/delegate/leave")
def leave(sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    actor = actor_of(me)

    def do() -> str:
        member_id = _member_id(actor, N_("leave the sitting"))
        sittings.leave(
            uow,
            sitting_id=sitting_id,
            member_ids=[member_id],
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("You have left the sitting. You may check in again.")

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/delegate/speak")
def ask_to_speak(sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    actor = actor_of(me)

    def do() -> str:
        member_id = _member_id(actor, N_("ask to speak"))
        sittings.ask_to_speak(
            uow,
            sitting_id=sitting_id,
            member_id=member_id,
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("You are on the speakers' list. The chair gives the floor in the order asked.")

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/delegate/motions")
def table_motion(
    sitting_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    title: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    actor = actor_of(me)

    def do() -> str:
        member_id = _member_id(actor, N_("table motions"))
        motion = sittings.table_motion(
            uow,
            sitting_id=sitting_id,
            title=title,
            text=text,
            by_member_id=member_id,
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("Motion %(number)s (%(title)s) is tabled in your name.") % {
            "number": motion.id,
            "title": motion.title,
        }

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/delegate/vote")
def vote(
    sitting_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    vote_id: Annotated[int, Form()],
    choice: Annotated[str, Form()] = "",
) -> Response:
    """A ballot, in the body of the POST only (never in an address: docs/sittings.md)."""
    actor = actor_of(me)

    def do() -> str:
        member_id = _member_id(actor, N_("vote on motions"))
        if choice not in {c.value for c in Choice}:
            raise InvalidInput(_("choose FOR, AGAINST or ABSTAIN"), field="choice")
        state = sittings.get_vote(uow, vote_id)
        if state.sitting_id != sitting_id:
            raise InvalidInput(
                _("vote %(number)s is not a vote of this sitting") % {"number": vote_id},
                field="vote_id",
            )
        cast = sittings.cast_vote(
            uow,
            vote_id=vote_id,
            member_id=member_id,
            choice=Choice(choice),
            actor=actor.ledger_name,
            acting=actor,
        )
        said = {
            "choice": _(CHOICE_LABELS[Choice(choice)]),
            "voted": cast.voted,
            "present": cast.present,
        }
        if state.mode is VoteMode.SECRET:
            return (
                _(
                    "Your ballot is in the box: you voted %(choice)s. Smolny records that you "
                    "voted, not how: nothing links this ballot to your name, so your choice is "
                    "shown only now, to you. %(voted)s of %(present)s present have voted."
                )
                % said
            )
        return (
            _(
                "Your vote is recorded: %(choice)s, with your name (roll-call). %(voted)s of "
                "%(present)s present have voted."
            )
            % said
        )

    return _answer(request, uow, me, sitting_id, do)
