"""The chair's console of a sitting: open it, add and take up items, give the floor from the
speakers' list, open votes (roll-call or secret) and close them (the result is published
as it is counted), see how many have voted and who of those present has not (never how
anyone voted in a secret vote), close the sitting and go to its minutes. Live (see
web/journeys.py).

Who may do what is decided by the rules from the record (an office of the council with
the power `chair`; docs/rights.md): the services refuse anyone else, with the reason."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from smolny.api.deps import UowDep
from smolny.domain.accounts import Account
from smolny.domain.errors import InvalidInput
from smolny.domain.sittings import ItemKind, VoteMode
from smolny.services import journeys, sittings
from smolny.store.uow import UnitOfWork
from smolny.web.auth import RequireAccountDep
from smolny.web.delegate import _member_id
from smolny.web.i18n import N_, _
from smolny.web.journeys import Parts, act, actor_of, same_organization
from smolny.web.pages import templates

router = APIRouter(include_in_schema=False)

PARTS = ("state", "attendance", "floor", "votes")
KINDS = [
    (ItemKind.MOTION, N_("motion")),
    (ItemKind.REPORT, N_("report")),
    (ItemKind.OTHER, N_("other")),
]


def parts_of(sitting_id: int) -> Parts:
    return Parts("chair_parts.html", f"/sittings/{sitting_id}/chair/parts", PARTS)


def _context(uow: UnitOfWork, me: Account, sitting_id: int) -> dict[str, Any]:
    same_organization(uow, me, sitting_id)
    place = journeys.place(uow, actor_of(me), sitting_id)
    return {"p": place, "v": place.view, "me": me, "kinds": KINDS}


def _page(
    request: Request, uow: UnitOfWork, me: Account, sitting_id: int, notice: Markup | None = None
) -> HTMLResponse:
    context = _context(uow, me, sitting_id)
    context["parts"] = parts_of(sitting_id).render_all(request, context)
    context["notice"] = notice
    return templates.TemplateResponse(request, "chair_console.html", context)


@router.get("/sittings/{sitting_id}/chair", response_class=HTMLResponse)
def chair_page(
    sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> HTMLResponse:
    return _page(request, uow, me, sitting_id)


@router.get("/sittings/{sitting_id}/chair/parts/{name}")
def chair_part(
    sitting_id: int, name: str, request: Request, uow: UowDep, me: RequireAccountDep, v: str = ""
) -> Response:
    return parts_of(sitting_id).answer(request, name, v, _context(uow, me, sitting_id))


# -- actions -----------------------------------------------------------------------------------


def _answer(request: Request, uow: UnitOfWork, me: Account, sitting_id: int, do: Any) -> Response:
    same_organization(uow, me, sitting_id)
    return act(request, do, lambda notice: _page(request, uow, me, sitting_id, notice))


@router.post("/sittings/{sitting_id}/chair/open")
def open_sitting(sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    actor = actor_of(me)

    def do() -> str:
        sittings.open_sitting(
            uow,
            sitting_id=sitting_id,
            chair_member_id=actor.member_id,
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("The sitting is open, with you in the chair.")

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/close")
def close_sitting(
    sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> Response:
    actor = actor_of(me)

    def do() -> str:
        sittings.close_sitting(uow, sitting_id=sitting_id, actor=actor.ledger_name, acting=actor)
        return _("The sitting is closed. Its minutes are ready below.")

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/check-in")
def check_in(sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    """The chair's own check-in, when the chair also holds a seat."""
    actor = actor_of(me)

    def do() -> str:
        sittings.check_in(
            uow,
            sitting_id=sitting_id,
            member_ids=[_member_id(actor, N_("check in"))],
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("You are checked in.")

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/agenda")
def add_item(
    sitting_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    title: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "motion",
) -> Response:
    actor = actor_of(me)

    def do() -> str:
        if kind not in {k.value for k in ItemKind}:
            raise InvalidInput(_("no kind of item %(kind)r") % {"kind": kind}, field="kind")
        item = sittings.add_agenda_item(
            uow,
            sitting_id=sitting_id,
            title=title,
            kind=ItemKind(kind),
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("Item %(position)s (%(title)s) is on the agenda.") % {
            "position": item.position,
            "title": item.title,
        }

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/agenda/take-up")
def take_up(
    sitting_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    position: Annotated[int | None, Form()] = None,
) -> Response:
    actor = actor_of(me)

    def do() -> str:
        item = sittings.take_up_item(
            uow,
            sitting_id=sitting_id,
            position=position,
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("Item %(position)s (%(title)s) is before the sitting.") % {
            "position": item.position,
            "title": item.title,
        }

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/floor")
def give_floor(sitting_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    actor = actor_of(me)

    def do() -> str:
        speaker = sittings.give_floor(
            uow, sitting_id=sitting_id, actor=actor.ledger_name, acting=actor
        )
        if speaker is None:
            return _("The speech has ended; the floor is free.")
        view = sittings.sitting_view(uow, sitting_id)
        who = next(
            (s.name for i in view.agenda for s in i.speakers if s.speaker.id == speaker.id),
            _("The next speaker"),
        )
        return _("%(name)s has the floor.") % {"name": who}

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/motions")
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
        motion = sittings.table_motion(
            uow,
            sitting_id=sitting_id,
            title=title,
            text=text,
            by_member_id=_member_id(actor, N_("table motions")),
            actor=actor.ledger_name,
            acting=actor,
        )
        return _("Motion %(number)s (%(title)s) is tabled in your name.") % {
            "number": motion.id,
            "title": motion.title,
        }

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/votes")
def open_vote(
    sitting_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    motion_id: Annotated[int, Form()],
    mode: Annotated[str, Form()] = "roll-call",
) -> Response:
    actor = actor_of(me)

    def do() -> str:
        if mode not in {VoteMode.ROLL_CALL.value, VoteMode.SECRET.value}:
            raise InvalidInput(_("open a roll-call or a secret vote"), field="mode")
        motion = sittings.get_motion(uow, motion_id)
        if motion.sitting_id != sitting_id:
            raise InvalidInput(
                _("motion %(number)s is not a motion of this sitting") % {"number": motion_id}
            )
        vote = sittings.open_vote(
            uow,
            motion_id=motion_id,
            mode=VoteMode(mode),
            actor=actor.ledger_name,
            acting=actor,
        )
        if vote.mode is VoteMode.SECRET:
            return _("The secret vote on “%(title)s” is open.") % {"title": motion.title}
        return _("The roll-call vote on “%(title)s” is open.") % {"title": motion.title}

    return _answer(request, uow, me, sitting_id, do)


@router.post("/sittings/{sitting_id}/chair/votes/close")
def close_vote(
    sitting_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    vote_id: Annotated[int, Form()],
) -> Response:
    actor = actor_of(me)

    def do() -> str:
        if sittings.get_vote(uow, vote_id).sitting_id != sitting_id:
            raise InvalidInput(
                _("vote %(number)s is not a vote of this sitting") % {"number": vote_id}
            )
        vote = sittings.close_vote(uow, vote_id=vote_id, actor=actor.ledger_name, acting=actor)
        return _("Vote %(number)s is closed and its result published: %(result)s.") % {
            "number": vote.id,
            "result": sittings.result_words(vote),
        }

    return _answer(request, uow, me, sitting_id, do)
