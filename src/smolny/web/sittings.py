"""The pages of sittings: a council's sittings, the sitting (live: attendance, quorum, the
speakers' list and vote progress follow without reload), a motion with its votes and
results, and the minutes (printable, and as a Markdown download)."""

from __future__ import annotations

import hashlib
import hmac
import html
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from smolny.api.deps import AtDep, SettingsDep, UowDep
from smolny.domain.errors import DomainError, InvalidInput
from smolny.domain.federation import Council, Organization, slugify
from smolny.domain.sittings import Choice, Outcome, Presence, Vote
from smolny.services import sittings
from smolny.services.lookup import find_member
from smolny.services.sittings import SittingView, VoteState
from smolny.voting.majority import Majority as CountingMajority
from smolny.web.hemicycle import SeatGroup, hemicycle_svg
from smolny.web.i18n import _, format_moment, ngettext, translate
from smolny.web.pages import NON_PARTY_COLOR, templates
from smolny.web.words import word

router = APIRouter(include_in_schema=False)


def _at_param(moment: datetime) -> str:
    """A moment for a URL's ?at= (UTC, 'Z': a '+' would read as a space)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _hm(moment: datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


class _Words(Mapping[Any, str]):
    """The services' words for choices and modes, in the request's language when read."""

    def __init__(self, english: Mapping[Any, str]) -> None:
        self.english = english

    def __getitem__(self, key: Any) -> str:
        return word(self.english[key])

    def __iter__(self) -> Iterator[Any]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)


templates.env.filters["at_param"] = _at_param
templates.env.filters["hm"] = _hm
templates.env.globals["CHOICE_WORDS"] = _Words(sittings.CHOICE_WORDS)
templates.env.globals["MODE_WORDS"] = _Words(sittings.MODE_WORDS)


def _rule_text(value: str) -> str:
    return word(CountingMajority(value).text)


def result_words(vote: Vote) -> str:
    """A closed vote's result in words (services.sittings.result_words), in the request's
    language; a void vote's reason stays as the services say it."""
    counts = _("%(yes)s for, %(no)s against, %(abstain)s abstaining") % {
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
    }
    match vote.outcome:
        case Outcome.VOID:
            return vote.reason
        case Outcome.TIED:
            return _("lost on a tie, %(counts)s") % {"counts": counts}
        case None:
            return word("open")
        case outcome:
            return _("%(outcome)s, %(counts)s (needed %(required)s for)") % {
                "outcome": word(outcome.value),
                "counts": counts,
                "required": vote.required,
            }


def needed_words(vote: Vote) -> str:
    """What a closed vote needed to carry, in the request's language, from the vote's own
    counts (the reason the services recorded is English); a void vote's reason as said."""
    if vote.outcome is Outcome.VOID:
        return vote.reason
    if vote.present < vote.quorum_needed:
        return _("No quorum: %(present)s present, %(needed)s needed.") % {
            "present": vote.present,
            "needed": vote.quorum_needed,
        }
    rule = CountingMajority(vote.majority.value)
    if rule.of_seats:
        base = ngettext("%(num)s seat", "%(num)s seats", vote.seats) % {"num": vote.seats}
    elif rule in (CountingMajority.SIMPLE, CountingMajority.TWO_THIRDS):
        n = vote.yes + vote.no
        base = ngettext("%(num)s vote for and against", "%(num)s votes for and against", n) % {
            "num": n
        }
    else:
        n = vote.yes + vote.no + vote.abstain
        base = ngettext("%(num)s vote cast", "%(num)s votes cast", n) % {"num": n}
    if rule.two_thirds:
        return _("It needed at least %(required)s for, of %(base)s.") % {
            "required": vote.required,
            "base": base,
        }
    return _("It needed more than %(half)s for, of %(base)s.") % {
        "half": vote.required - 1,
        "base": base,
    }


templates.env.filters["rule_text"] = _rule_text
templates.env.filters["result_words"] = result_words
templates.env.filters["needed_words"] = needed_words


# -- drawings ----------------------------------------------------------------------------------


def presence_hemicycle(view: SittingView) -> str:
    """The seats of the sitting's sections: the present in their faction's colour, the
    absent hollow."""
    groups = [
        SeatGroup(
            key=slugify(f.name),
            label=_("%(faction)s present") % {"faction": word(f.name)},
            seats=f.present,
            color=f.faction.color if f.faction else NON_PARTY_COLOR,
        )
        for f in view.factions
    ]
    return hemicycle_svg(
        groups,
        view.presence.seated,
        title=(
            _("Present in %(where)s") % {"where": view.where}
            if view.live
            else _("Present in %(where)s at %(moment)s UTC")
            % {"where": view.where, "moment": format_moment(view.presence.at)}
        ),
        vacant_label=_("Absent"),
    )


def presence_chart(timeline: Sequence[Presence], *, title: str) -> str:
    """Present delegates against the quorum over the sitting, as a step chart in SVG: the
    present as a filled step line, the quorum dashed, the times without quorum shaded."""
    width, height = 480.0, 190.0
    left, right, top, bottom = 34.0, 8.0, 16.0, 30.0
    esc = html.escape
    if len(timeline) < 2:
        nothing = _("no attendance recorded yet")
        nothing_yet = _("No attendance recorded yet")
        return (
            f'<svg class="presence-chart" viewBox="0 0 {width:g} 60" role="img" '
            f'aria-label="{esc(title)}: {esc(nothing)}">'
            f'<text x="{width / 2:g}" y="34" text-anchor="middle" fill="currentColor">'
            f"{esc(nothing_yet)}</text></svg>"
        )
    start, end = timeline[0].at, timeline[-1].at
    span = max((end - start).total_seconds(), 1.0)
    top_value = max(max(p.seated for p in timeline), max(p.present for p in timeline), 1)

    def x(moment: datetime) -> float:
        return left + (width - left - right) * (moment - start).total_seconds() / span

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / top_value)

    def steps(values: list[tuple[datetime, float]]) -> str:
        path = f"M{x(values[0][0]):.1f},{y(values[0][1]):.1f}"
        for (_at, before), (moment, value) in pairwise(values):
            path += f" H{x(moment):.1f} V{y(value):.1f}" if value != before else ""
        return path + f" H{x(end):.1f}"

    present = steps([(p.at, p.present) for p in timeline])
    quorum = steps([(p.at, p.needed) for p in timeline])
    area = present + f" V{y(0):.1f} H{x(start):.1f} Z"
    bands = []
    no_quorum = _("No quorum from %(time)s: %(present)s present, %(needed)s needed")
    for point, following in pairwise(timeline):
        if not point.quorate and following.at > point.at:
            said = {"time": _hm(point.at), "present": point.present, "needed": point.needed}
            bands.append(
                f'<rect class="no-quorum" x="{x(point.at):.1f}" y="{top:g}" '
                f'width="{x(following.at) - x(point.at):.1f}" height="{height - top - bottom:g}">'
                f"<title>{esc(no_quorum % said)}</title></rect>"
            )
    lost = sum(1 for a, b in pairwise(timeline) if a.quorate and not b.quorate)
    most = max(timeline, key=lambda p: p.present)
    desc = _(
        "From %(start)s to %(end)s: at most %(most)s present (at %(most_at)s), %(last)s at the "
        "end; the quorum was %(needed)s of %(seated)s seated"
    ) % {
        "start": _hm(start),
        "end": _hm(end),
        "most": most.present,
        "most_at": _hm(most.at),
        "last": timeline[-1].present,
        "needed": timeline[-1].needed,
        "seated": timeline[-1].seated,
    }
    if lost:
        desc += "; " + ngettext(
            "the quorum was lost %(num)d time", "the quorum was lost %(num)d times", lost
        ) % {"num": lost}
    desc += "."
    needed = timeline[-1].needed
    quorum_label = _("quorum %(num)s") % {"num": needed}
    ticks = [
        f'<text class="tick" x="{left - 4:g}" y="{y(value) + 4:.1f}" text-anchor="end">'
        f"{value}</text>"
        for value in sorted({0, top_value})
    ]
    ticks.append(
        f'<text class="tick quorum-label" x="{width - right:g}" y="{y(needed) - 4:.1f}" '
        f'text-anchor="end">{esc(quorum_label)}</text>'
        f'<text class="tick" x="{left:g}" y="{height - 10:g}">{_hm(start)}</text>'
        f'<text class="tick" x="{width - right:g}" y="{height - 10:g}" '
        f'text-anchor="end">{_hm(end)}</text>'
    )
    return (
        f'<svg class="presence-chart" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="presence-title presence-desc">'
        f'<title id="presence-title">{esc(title)}</title>'
        f'<desc id="presence-desc">{esc(desc)}</desc>'
        + "".join(bands)
        + f'<line class="axis" x1="{left:g}" y1="{y(0):.1f}" x2="{width - right:g}" '
        f'y2="{y(0):.1f}"/>'
        f'<path class="present-area" d="{area}"/>'
        f'<path class="present-line" d="{present}"/>'
        f'<path class="quorum-line" d="{quorum}"/>' + "".join(ticks) + "</svg>"
    )


def vote_bar(state: VoteState) -> str:
    """A closed vote's counts as one bar: for, against, abstaining, and the votes needed."""
    vote = state.vote
    total = max(vote.yes + vote.no + vote.abstain, vote.required, 1)
    width = 100.0
    parts = []
    x = 0.0
    for key, value, said in (
        ("for", vote.yes, _("%(num)s for")),
        ("against", vote.no, _("%(num)s against")),
        ("abstain", vote.abstain, _("%(num)s abstaining")),
    ):
        w = width * value / total
        if value:
            parts.append(
                f'<rect class="bar-{key}" x="{x:.2f}" y="0" width="{w:.2f}" height="10">'
                f"<title>{html.escape(said % {'num': value})}</title></rect>"
            )
        x += w
    needed = width * vote.required / total
    label = _(
        "%(yes)s for, %(no)s against, %(abstain)s abstaining; %(required)s for were needed"
    ) % {
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "required": vote.required,
    }
    return (
        f'<svg class="vote-bar" viewBox="0 0 100 12" preserveAspectRatio="none" role="img" '
        f'aria-label="{html.escape(label)}">' + "".join(parts) + f'<line class="needed" '
        f'x1="{needed:.2f}" x2="{needed:.2f}" y1="0" y2="12"/></svg>'
    )


templates.env.globals["vote_bar"] = vote_bar


# -- pages -------------------------------------------------------------------------------------


def _council_context(uow: UowDep, council_id: int) -> tuple[Council, Organization]:
    with uow:
        council = uow.repo.get(Council, council_id)
        return council, uow.repo.get(Organization, council.organization_id)


@router.get("/councils/{council_id}/sittings", response_class=HTMLResponse)
def council_sittings_page(
    council_id: int, request: Request, uow: UowDep, at: AtDep
) -> HTMLResponse:
    council, organization = _council_context(uow, council_id)
    found = sittings.sittings_of_council(uow, council_id, at)
    return templates.TemplateResponse(
        request,
        "sittings_list.html",
        {"council": council, "organization": organization, "found": found, "at": at},
    )


def _sitting_context(view: SittingView) -> dict[str, Any]:
    return {
        "v": view,
        "at": None if view.live else view.at,
        "hemicycle": presence_hemicycle(view),
        "chart": presence_chart(
            view.timeline, title=_("Present and quorum, %(where)s") % {"where": view.where}
        ),
        "version": _version(view),
    }


def _version(view: SittingView) -> str:
    """A digest of what the live part of the page shows: unchanged, nothing is swapped."""
    parts = [
        view.status.value,
        repr((view.presence.present, view.presence.seated, view.presence.needed)),
        repr([(h.member.id, h.since) for h in view.here]),
        repr(
            [
                (i.item.id, i.current, [(s.speaker.id, s.state) for s in i.speakers])
                for i in view.agenda
            ]
        ),
        repr(
            [
                (m.motion.id, m.status, [(v.vote.id, v.closed, v.voted) for v in m.votes])
                for m in view.motions
            ]
        ),
        repr([w.walkout.id for w in view.walkouts]),
        repr([(p.at, p.present, p.needed) for p in view.timeline]),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@router.get("/sittings/{sitting_id}", response_class=HTMLResponse)
def sitting_page(sitting_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = sittings.sitting_view(uow, sitting_id, at)
    return templates.TemplateResponse(request, "sittings_sitting.html", _sitting_context(view))


@router.get("/sittings/{sitting_id}/live", response_class=HTMLResponse)
def sitting_live(sitting_id: int, request: Request, uow: UowDep, v: str = "") -> Response:
    """The live part of the sitting page (htmx polls it); 204 when nothing changed."""
    view = sittings.sitting_view(uow, sitting_id)
    context = _sitting_context(view)
    if v and hmac.compare_digest(v, context["version"]):
        return Response(status_code=204)
    return templates.TemplateResponse(request, "sittings_live.html", context)


def _motion_context(
    request: Request, uow: UowDep, motion_id: int, at: datetime | None
) -> dict[str, Any]:
    view = sittings.motion_view(uow, motion_id, at)
    state = view.motion(motion_id)
    parent = view.motion(state.motion.parent_id) if state.motion.parent_id else None
    return {
        "v": view,
        "m": state,
        "parent": parent,
        "amendments": [view.motion(a) for a in state.amendment_ids],
        "at": None if view.live else view.at,
        "open_vote": next((x for x in state.votes if not x.closed), None),
        "choices": list(Choice),
        "error": None,
        "form": {},
    }


@router.get("/motions/{motion_id}", response_class=HTMLResponse)
def motion_page(motion_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "sittings_motion.html", _motion_context(request, uow, motion_id, at)
    )


@router.post("/votes/{vote_id}/ballots", response_class=HTMLResponse)
async def cast_from_page(
    vote_id: int, request: Request, uow: UowDep, settings: SettingsDep
) -> Response:
    """The chair's desk: a ballot entered on the motion's page, with the administrator's
    token. Refused, the page says why and nothing changes."""
    form = {k: v[-1] for k, v in parse_qs((await request.body()).decode("utf-8")).items()}
    vote = await run_in_threadpool(sittings.get_vote, uow, vote_id)

    def cast() -> None:
        if not settings.admin_token:
            raise DomainError("this server is read-only: set SMOLNY_ADMIN_TOKEN to allow votes")
        token = form.get("token", "")
        if not hmac.compare_digest(token.encode(), settings.admin_token.encode()):
            raise DomainError("the administrator's token is wrong")
        choice = form.get("choice", "")
        if choice not in {c.value for c in Choice}:
            raise InvalidInput("choose for, against or abstain", field="choice")
        sitting = sittings.get_sitting(uow, vote.sitting_id)
        member = find_member(uow, sitting.organization_id, form.get("member", ""))
        sittings.cast_vote(
            uow, vote_id=vote_id, member_id=member.id, choice=Choice(choice), actor="web:admin"
        )

    try:
        await run_in_threadpool(cast)
    except DomainError as error:
        context = await run_in_threadpool(_motion_context, request, uow, vote.motion_id, None)
        context["error"] = translate(error.text)
        context["form"] = {k: v for k, v in form.items() if k != "token"}
        return templates.TemplateResponse(request, "sittings_motion.html", context, status_code=422)
    return RedirectResponse(f"/motions/{vote.motion_id}?cast=1#vote-{vote_id}", status_code=303)


@router.get("/sittings/{sitting_id}/minutes", response_class=HTMLResponse)
def minutes_page(sitting_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = sittings.minutes(uow, sitting_id, at)
    context = _sitting_context(view)
    context["at"] = at
    return templates.TemplateResponse(request, "sittings_minutes.html", context)


@router.get("/sittings/{sitting_id}/minutes.md")
def minutes_markdown(sitting_id: int, uow: UowDep, at: AtDep) -> Response:
    view = sittings.minutes(uow, sitting_id, at)
    name = f"minutes-{view.sitting.day.isoformat()}-{slugify(view.sitting.title)}.md"
    plain = name.encode("ascii", "replace").decode().replace("?", "_")
    return Response(
        sittings.minutes_markdown(view),
        media_type="text/markdown; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{plain}"; '
            f"filename*=UTF-8''{quote(name)}"
        },
    )
