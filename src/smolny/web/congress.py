"""The pages of congresses (apportionment by lower council, credentials, the seated
delegates, the central executive committee) and of recall petitions."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from smolny.api.deps import AtDep, UowDep
from smolny.domain.federation import RecallBasis
from smolny.services import congress, petitions
from smolny.services.congress import ApportionmentView, CredentialsReport
from smolny.services.petitions import PetitionView
from smolny.web.hemicycle import hemicycle_svg
from smolny.web.i18n import _, format_day, format_number, ngettext
from smolny.web.pages import seat_groups, templates

router = APIRouter(include_in_schema=False)

SEATED, REFUSED, LEFT, ABSENT = "#239b56", "#c0392b", "#d68910", "#bdc3c7"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


# -- drawings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One row of the apportionment chart: the lower council's electors as a bar (with the
    rule's threshold marked), its seats as dots."""

    name: str
    href: str | None
    electors: int
    seats: int
    note: str  # "must combine", "counted in X", "reported", ...
    kind: str  # "seats", "combine", "combined", "none"
    bar: str  # SVG
    dots: str  # SVG


def apportionment_bars(view: ApportionmentView, at: str) -> list[Bar]:
    top = max([r.electors for r in view.rows] + [view.threshold or 0, 1])
    bars = []
    for row in view.rows:
        if row.through is not None:
            kind, note = "combined", _("counted in %(name)s") % {"name": row.through.name}
        elif row.must_combine:
            kind, note = "combine", _("must combine")
        elif row.seats:
            kind, note = "seats", ""
        else:
            kind, note = "none", _("no seats")
        if row.combines:
            gathers = _("gathers %(names)s") % {"names": ", ".join(c.name for c in row.combines)}
            note = f"{note}; {gathers}" if note else gathers
        if row.reported:
            reported = _("electors as reported")
            note = f"{note}; {reported}" if note else reported
        width = 100 * row.electors / top
        marker = ""
        if view.threshold:
            x = _num(100 * view.threshold / top)
            threshold = _("threshold: %(electors)s electors") % {
                "electors": format_number(view.threshold)
            }
            marker = (
                f'<line class="threshold" x1="{x}" x2="{x}" y1="0" y2="10">'
                f"<title>{_esc(threshold)}</title></line>"
            )
        label = ngettext(
            "%(name)s: %(electors)s elector", "%(name)s: %(electors)s electors", row.electors
        ) % {"name": row.constituency.name, "electors": format_number(row.electors)}
        bar = (
            f'<svg class="electors {kind}" viewBox="0 0 100 10" preserveAspectRatio="none" '
            f'role="img" aria-label="{_esc(label)}">'
            f'<rect class="track" x="0" y="1" width="100" height="8"></rect>'
            f'<rect class="fill" x="0" y="1" width="{_num(width)}" height="8"></rect>'
            f"{marker}</svg>"
        )
        shown = min(row.seats, 12)
        circles = "".join(
            f'<circle cx="{6 + 12 * i}" cy="6" r="4.5"></circle>' for i in range(shown)
        )
        more = (
            f'<text x="{6 + 12 * shown}" y="10" font-size="10">+{row.seats - shown}</text>'
            if row.seats > shown
            else ""
        )
        seats = ngettext("%(num)d seat", "%(num)d seats", row.seats) % {"num": row.seats}
        dots = (
            f'<svg class="dots" viewBox="0 0 {12 * max(shown, 1) + (30 if more else 0)} 12" '
            f'role="img" aria-label="{_esc(seats)}">'
            f"{circles}{more}</svg>"
        )
        href = f"/councils/{row.council.id}{at}" if row.council else None
        bars.append(
            Bar(row.constituency.name, href, row.electors, row.seats, note, kind, bar, dots)
        )
    return bars


@dataclass(frozen=True)
class Part:
    label: str
    count: int
    color: str
    x: float
    width: float


def stacked(parts: list[tuple[str, int, str]], total: int) -> list[Part]:
    """Parts of a whole as segments of a 100-wide bar (the whole: `total`, or their sum)."""
    whole = max(total, sum(n for _, n, _ in parts), 1)
    out, x = [], 0.0
    for label, n, color in parts:
        if n:
            width = 100 * n / whole
            out.append(Part(label, n, color, round(x, 3), round(width, 3)))
            x += width
    return out


def report_parts(report: CredentialsReport) -> list[Part]:
    return stacked(
        [
            ("Seated", len(report.seated), SEATED),
            ("Refused", len(report.refused), REFUSED),
            ("Left since", len(report.left), LEFT),
            ("Not presented", len(report.absent), ABSENT),
        ],
        0,
    )


def petition_bar(view: PetitionView) -> str:
    """Signatures against the threshold, on the scale of all who may sign."""
    p = view.petition
    whole = max(p.electorate, view.signatures, p.threshold, 1)
    filled = 100 * view.signatures / whole
    mark = _num(100 * p.threshold / whole)
    reached = view.signatures >= p.threshold
    threshold = _("threshold: %(num)s") % {"num": p.threshold}
    label = _(
        "%(signatures)s of %(threshold)s signatures needed, out of %(electorate)s who may sign"
    ) % {"signatures": view.signatures, "threshold": p.threshold, "electorate": p.electorate}
    return (
        f'<svg class="progress{" reached" if reached else ""}" viewBox="0 0 100 12" '
        f'preserveAspectRatio="none" role="img" aria-label="{_esc(label)}">'
        f'<rect class="track" x="0" y="2" width="100" height="8"></rect>'
        f'<rect class="fill" x="0" y="2" width="{_num(filled)}" height="8"></rect>'
        f'<line class="threshold" x1="{mark}" x2="{mark}" y1="0" y2="12">'
        f"<title>{_esc(threshold)}</title></line></svg>"
    )


def vote_parts(view: PetitionView) -> tuple[list[Part], float | None]:
    """The recall vote as a bar over the electorate, and where the rule's line falls."""
    vote = view.vote
    if vote is None:
        return [], None
    cast = vote.votes_for + vote.votes_against + vote.abstentions
    parts = stacked(
        [
            ("For", vote.votes_for, REFUSED),
            ("Against", vote.votes_against, "#2e86c1"),
            ("Abstained", vote.abstentions, "#95a5a6"),
            ("Did not vote", max(vote.electorate - cast, 0), "#ecf0f1"),
        ],
        vote.electorate,
    )
    rule = view.constituency.recall_rule
    base = (
        vote.electorate
        if rule.basis is RecallBasis.MEMBERS
        else vote.votes_for + vote.votes_against
    )
    whole = max(vote.electorate, cast, 1)
    line = round(100 * float(rule.share) * base / whole, 3) if base else None
    return parts, line


# -- pages -----------------------------------------------------------------------------------


def _at(at: datetime | None) -> str:
    return f"?at={at.date().isoformat()}" if at else ""


@router.get("/congresses/{congress_id}", response_class=HTMLResponse)
def congress_page(congress_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = congress.congress_view(uow, congress_id, at)
    hemicycle, legend = "", []
    if view.seated is not None and view.report is not None:
        legend = seat_groups(view.seated)
        hemicycle = hemicycle_svg(
            legend,
            view.report.seats,
            title=_("%(congress)s: seated delegates, %(day)s")
            % {"congress": view.congress.name, "day": format_day(view.report.at)},
            vacant_label=_("Not seated"),
        )
    return templates.TemplateResponse(
        request,
        "congress_page.html",
        {
            "v": view,
            "at": at,
            "q": _at(at),
            "bars": apportionment_bars(view.apportionment, _at(at)),
            "hemicycle": hemicycle,
            "legend": legend,
            "parts": report_parts(view.report) if view.report else [],
            "committee_parts": {
                c.council.id: stacked([(n, k, color) for n, k, color in c.factions], c.seats)
                for c in view.committees
            },
        },
    )


@router.get("/petitions/{petition_id}", response_class=HTMLResponse)
def petition_page(petition_id: int, request: Request, uow: UowDep, at: AtDep) -> HTMLResponse:
    view = petitions.petition_view(uow, petition_id, at)
    parts, line = vote_parts(view)
    return templates.TemplateResponse(
        request,
        "congress_petition.html",
        {
            "v": view,
            "at": at,
            "q": _at(at),
            "progress": petition_bar(view),
            "vote_parts": parts,
            "rule_line": line,
        },
    )


@router.get("/constituencies/{constituency_id}/petitions", response_class=HTMLResponse)
def constituency_petitions_page(
    constituency_id: int, request: Request, uow: UowDep, at: AtDep
) -> HTMLResponse:
    listing = petitions.constituency_petitions(uow, constituency_id, at)
    return templates.TemplateResponse(
        request,
        "congress_petitions.html",
        {
            "l": listing,
            "at": at,
            "q": _at(at),
            "heading": _("Recall petitions: %(name)s") % {"name": listing.constituencies[0].name},
            "single": True,
        },
    )


@router.get("/councils/{council_id}/petitions", response_class=HTMLResponse)
def council_petitions_page(
    council_id: int, request: Request, uow: UowDep, at: AtDep
) -> HTMLResponse:
    listing = petitions.council_petitions(uow, council_id, at)
    return templates.TemplateResponse(
        request,
        "congress_petitions.html",
        {
            "l": listing,
            "at": at,
            "q": _at(at),
            "heading": _("Recall petitions: delegates to %(name)s")
            % {"name": listing.council.name},
            "single": False,
        },
    )
