"""The member's pages: "My membership" (constituencies, delegates and how they voted in
roll-calls, petitions against them, the ballots one may vote in), a ballot (vote, the
confirmation, the result), and the administrator's pages to open and close ballots.

Every page here is for a signed-in account of the ballot's organization. A choice is sent
only in the body of a POST, never in an address (see docs/ballots.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smolny.api.deps import UowDep
from smolny.domain.accounts import Account
from smolny.domain.ballots import (
    BALLOT_METHODS,
    BallotKind,
    BallotStatus,
    Marks,
    MemberBallot,
    RecallChoice,
    closing_refusal,
    ranking_from_positions,
)
from smolny.domain.elections import ElectionMethod
from smolny.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from smolny.domain.federation import Constituency, Council, Organization
from smolny.domain.text import say
from smolny.services import ballots, petitions
from smolny.store.uow import UnitOfWork
from smolny.web.auth import RequireAccountDep
from smolny.web.i18n import N_, gettext, ngettext, translate
from smolny.web.journeys import actor_of
from smolny.web.pages import templates

router = APIRouter(include_in_schema=False)

REFUSED = {"forbidden": 403, "not_found": 404, "conflict": 409}
# How long a ballot stays open, as the administrator's form offers it.
PERIODS = {
    "15m": (timedelta(minutes=15), N_("15 minutes")),
    "1h": (timedelta(hours=1), N_("an hour")),
    "1d": (timedelta(days=1), N_("a day")),
    "3d": (timedelta(days=3), N_("three days")),
    "7d": (timedelta(days=7), N_("a week")),
    "14d": (timedelta(days=14), N_("two weeks")),
}
NOTICES = {
    "petition-opened": N_("Your petition is open, and you have signed it."),
    "signed": N_("You have signed the petition."),
}
# The pages' words for the values of ballots, roll-calls and seats (`ballot_word` filter).
WORDS = {
    "election": N_("election"),
    "by-election": N_("by-election"),
    "recall": N_("recall vote"),
    "open": N_("open"),
    "due": N_("waiting to be counted"),
    "closed": N_("closed"),
    "for": N_("for"),
    "against": N_("against"),
    "abstain": N_("abstained"),
    "carried": N_("carried"),
    "lost": N_("lost"),
    "tied": N_("tied"),
    "void": N_("void"),
    "term": N_("term ended"),
    "resignation": N_("resigned"),
    "unseated": N_("unseated"),
}


def ballot_word(value: object) -> str:
    """A ballot's, a roll-call's or a seat's value in the request's language."""
    text = str(getattr(value, "value", value))
    return gettext(WORDS[text]) if text in WORDS else text


templates.env.filters["ballot_word"] = ballot_word


def _page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _status(error: DomainError) -> int:
    return REFUSED.get(error.code, 422)


def _ballot(uow: UnitOfWork, me: Account, ballot_id: int) -> MemberBallot:
    """The ballot, if it is of the account's organization (else: as if there were none)."""
    with uow:
        ballot = uow.repo.get(MemberBallot, ballot_id)
    if ballot.organization_id != me.organization_id:
        raise NotFound(say("ballot %(id)s does not exist", id=str(ballot_id)))
    return ballot


# -- My membership ----------------------------------------------------------------------------


@router.get("/my/membership", response_class=HTMLResponse)
def membership_page(
    request: Request, uow: UowDep, me: RequireAccountDep, done: str = ""
) -> HTMLResponse:
    return _membership(request, uow, me, notice=NOTICES.get(done, ""))


def _membership(
    request: Request,
    uow: UnitOfWork,
    me: Account,
    *,
    notice: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    view = ballots.membership_view(uow, actor_of(me))
    return _page(
        request,
        "member_membership.html",
        {"v": view, "me": me, "notice": notice, "error": error, "Status": BallotStatus},
        status_code=status_code,
    )


@router.get("/my/delegates/{mandate_id}", response_class=HTMLResponse)
def delegate_page(
    mandate_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> HTMLResponse:
    record = ballots.delegate_record(uow, mandate_id)
    if record.council.organization_id != me.organization_id:
        raise NotFound(say("mandate %(id)s does not exist", id=str(mandate_id)))
    return _page(request, "member_delegate.html", {"r": record, "me": me})


@router.post("/my/petitions", response_model=None)
def open_petition(
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    mandate: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    actor = actor_of(me)
    if me.member_id is None:
        return _membership(
            request, uow, me, error=gettext("this account acts for no member"), status_code=403
        )
    try:
        petitions.open_petition(
            uow,
            mandate_id=mandate,
            opened_by=me.member_id,
            reason=reason,
            actor=me.actor,
            acting=actor,
        )
    except DomainError as refused:
        return _membership(
            request, uow, me, error=translate(refused.text), status_code=_status(refused)
        )
    return RedirectResponse(f"/my/membership?done=petition-opened#delegate-{mandate}", 303)


@router.post("/my/petitions/{petition_id}/signature", response_model=None)
def sign_petition(
    petition_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> Response:
    if me.member_id is None:
        return _membership(
            request, uow, me, error=gettext("this account acts for no member"), status_code=403
        )
    try:
        signed = petitions.sign_petition(
            uow,
            petition_id=petition_id,
            member_id=me.member_id,
            actor=me.actor,
            acting=actor_of(me),
        )
    except DomainError as refused:
        return _membership(
            request, uow, me, error=translate(refused.text), status_code=_status(refused)
        )
    return RedirectResponse(f"/my/membership?done=signed#delegate-{signed.mandate_id}", 303)


# -- a ballot ---------------------------------------------------------------------------------


@router.get("/ballots/{ballot_id}", response_class=HTMLResponse)
def ballot_page(
    ballot_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> HTMLResponse:
    return _ballot_page(request, uow, me, ballot_id)


def _ballot_page(
    request: Request,
    uow: UnitOfWork,
    me: Account,
    ballot_id: int,
    *,
    error: str = "",
    status_code: int = 200,
    marks: Marks | None = None,
) -> HTMLResponse:
    _ballot(uow, me, ballot_id)
    view = ballots.ballot_view(uow, ballot_id, viewer=actor_of(me))
    closing = None
    if me.administrator and view.status is not BallotStatus.CLOSED:
        closing = closing_refusal(view.ballot, view.at, view.voted, view.electors)
    return _page(
        request,
        "ballot_page.html",
        {
            "v": view,
            "me": me,
            "error": error,
            "Status": BallotStatus,
            "Kind": BallotKind,
            "RecallChoice": RecallChoice,
            "marks": marks or Marks(),
            "closing_refusal": closing,
        },
        status_code=status_code,
    )


@router.post("/ballots/{ballot_id}/vote", response_model=None)
def cast_vote(
    ballot_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    picks: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI reads the default)
    ranking: Annotated[list[str], Form()] = [],  # noqa: B006
    choice: Annotated[str, Form()] = "",
) -> Response:
    ballot = _ballot(uow, me, ballot_id)
    marks = Marks()
    try:
        marks = _marks(ballot, picks, ranking, choice)
        if me.member_id is None:
            raise Forbidden(
                say(
                    "this account acts for no member: an administrator opens and closes ballots "
                    "but votes for no one"
                )
            )
        ballots.cast_ballot(
            uow,
            ballot_id=ballot_id,
            member_id=me.member_id,
            marks=marks,
            actor=me.actor,
            acting=actor_of(me),
        )
    except DomainError as refused:
        return _ballot_page(
            request,
            uow,
            me,
            ballot_id,
            error=translate(refused.text),
            status_code=_status(refused),
            marks=marks,
        )
    return RedirectResponse(f"/ballots/{ballot_id}/recorded", status_code=303)


def _marks(ballot: MemberBallot, picks: list[str], ranking: list[str], choice: str) -> Marks:
    """What the form says, as marks (checked by the service against the ballot)."""
    if ballot.kind is BallotKind.RECALL:
        if choice not in {c.value for c in RecallChoice}:
            raise InvalidInput(
                say("choose for the recall, against it, or to abstain"), field="choice"
            )
        return Marks(recall=RecallChoice(choice))
    if ballot.ranked:
        positions = [_member_id(p, "ranking") if p else None for p in ranking]
        return Marks(ranking=ranking_from_positions(positions))
    return Marks(picks=tuple(_member_id(p, "picks") for p in picks))


def _member_id(value: str, field: str) -> int:
    if not value.isdigit():
        raise InvalidInput(say("%(value)s is not a candidate", value=repr(value)), field=field)
    return int(value)


@router.get("/ballots/{ballot_id}/recorded", response_class=HTMLResponse)
def recorded_page(ballot_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    _ballot(uow, me, ballot_id)
    view = ballots.ballot_view(uow, ballot_id, viewer=actor_of(me))
    if view.mine is None:
        return RedirectResponse(f"/ballots/{ballot_id}", status_code=303)
    return _page(request, "ballot_recorded.html", {"v": view, "me": me, "Status": BallotStatus})


@router.post("/ballots/{ballot_id}/closing", response_model=None)
def close_ballot(ballot_id: int, request: Request, uow: UowDep, me: RequireAccountDep) -> Response:
    _ballot(uow, me, ballot_id)
    try:
        ballots.close_ballot(uow, ballot_id=ballot_id, actor=me.actor, acting=actor_of(me))
    except DomainError as refused:
        return _ballot_page(
            request, uow, me, ballot_id, error=translate(refused.text), status_code=_status(refused)
        )
    return RedirectResponse(f"/ballots/{ballot_id}", status_code=303)


# -- the administrator's pages ----------------------------------------------------------------

ADMIN = "/organizations/{organization_id}/admin/ballots"


def _administrator(uow: UnitOfWork, me: Account, organization_id: int) -> Organization:
    with uow:
        organization = uow.repo.get(Organization, organization_id)
    if not me.administrator or me.organization_id != organization_id:
        raise Forbidden(
            say(
                "only an administrator of %(organization)s opens and closes its members' ballots",
                organization=organization.name,
            )
        )
    return organization


@router.get(ADMIN, response_class=HTMLResponse)
def admin_page(
    organization_id: int, request: Request, uow: UowDep, me: RequireAccountDep
) -> HTMLResponse:
    _administrator(uow, me, organization_id)
    return _admin_page(request, uow, organization_id)


def _admin_page(
    request: Request,
    uow: UnitOfWork,
    organization_id: int,
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    overview = ballots.ballots_overview(uow, organization_id)
    return _page(
        request,
        "ballot_admin.html",
        {"o": overview, "error": error, "Status": BallotStatus, "periods": PERIODS},
        status_code=status_code,
    )


@router.get(ADMIN + "/new", response_class=HTMLResponse)
def new_ballot_page(
    organization_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    constituency: int,
) -> HTMLResponse:
    _administrator(uow, me, organization_id)
    return _new_page(request, uow, organization_id, constituency)


def _new_page(
    request: Request,
    uow: UnitOfWork,
    organization_id: int,
    constituency_id: int,
    *,
    error: str = "",
    status_code: int = 200,
    form: dict[str, Any] | None = None,
) -> HTMLResponse:
    with uow:
        place = uow.repo.get(Constituency, constituency_id)
        council = uow.repo.get(Council, place.council_id)
    if council.organization_id != organization_id:
        raise NotFound(say("constituency %(id)s does not exist", id=str(constituency_id)))
    choices = ballots.opening_choices(uow, constituency_id)
    return _page(
        request,
        "ballot_admin_new.html",
        {
            "c": choices,
            "error": error,
            "periods": PERIODS,
            "methods": BALLOT_METHODS,
            "form": form or {},
        },
        status_code=status_code,
    )


def _untitled(uow: UnitOfWork, kind: BallotKind, constituency_id: int, mandate: int | None) -> str:
    """The title of a ballot the administrator left untitled, in the language of their page:
    a title is the organization's own text, kept as written (the service's own default, for
    the API and the CLI, is English)."""
    c = ballots.opening_choices(uow, constituency_id)
    place, council = c.constituency.name, c.council.name
    if kind is BallotKind.RECALL:
        holder = next((member for held, member, _ in c.delegates if held.id == mandate), None)
        # No such delegate: the service refuses the ballot, saying why.
        return (
            gettext("Recall of %(name)s (%(place)s)") % {"name": holder.name, "place": place}
            if holder
            else ""
        )
    if kind is BallotKind.ELECTION:
        words = ngettext(
            "Election of %(num)s delegate of %(place)s to %(council)s",
            "Election of %(num)s delegates of %(place)s to %(council)s",
            c.seats,
        )
        return words % {"num": c.seats, "place": place, "council": council}
    words = ngettext(
        "By-election of %(num)s delegate of %(place)s to %(council)s",
        "By-election of %(num)s delegates of %(place)s to %(council)s",
        c.vacant,
    )
    return words % {"num": c.vacant, "place": place, "council": council}


@router.post(ADMIN, response_model=None)
def open_ballot(
    organization_id: int,
    request: Request,
    uow: UowDep,
    me: RequireAccountDep,
    constituency: Annotated[int, Form()],
    kind: Annotated[str, Form()],
    period: Annotated[str, Form()] = "7d",
    method: Annotated[str, Form()] = "",
    candidates: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI reads the default)
    mandate: Annotated[int | None, Form()] = None,
    title: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    _administrator(uow, me, organization_id)
    form = {
        "kind": kind,
        "period": period,
        "method": method,
        "candidates": set(candidates),
        "mandate": mandate,
        "title": title,
    }
    try:
        if period not in PERIODS:
            raise InvalidInput(say("choose how long the ballot stays open"), field="period")
        if kind not in {k.value for k in BallotKind}:
            raise InvalidInput(
                say("choose an election, a by-election or a recall vote"), field="kind"
            )
        if kind != BallotKind.RECALL and method not in {m.value for m in BALLOT_METHODS}:
            raise InvalidInput(say("choose how the ballot is counted"), field="method")
        if not title.strip():
            title = _untitled(uow, BallotKind(kind), constituency, mandate)
        now: datetime = uow.now()
        ballot = ballots.open_ballot(
            uow,
            kind=BallotKind(kind),
            constituency_id=constituency,
            method=ElectionMethod(method) if kind != BallotKind.RECALL else None,
            candidate_ids=candidates,
            mandate_id=mandate if kind == BallotKind.RECALL else None,
            title=title,
            closes_at=now + PERIODS[period][0],
            actor=me.actor,
            at=now,
            acting=actor_of(me),
        )
    except DomainError as refused:
        if back == "overview":
            return _admin_page(
                request,
                uow,
                organization_id,
                error=translate(refused.text),
                status_code=_status(refused),
            )
        return _new_page(
            request,
            uow,
            organization_id,
            constituency,
            error=translate(refused.text),
            status_code=_status(refused),
            form=form,
        )
    return RedirectResponse(f"/ballots/{ballot.id}", status_code=303)
