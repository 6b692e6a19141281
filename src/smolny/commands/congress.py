"""`smolny congress`: congresses of lower councils (apportionment, convocations,
credentials) and recall petitions."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from smolny.commands.common import (
    ACTOR,
    AtOption,
    Format,
    FormatOption,
    moment,
    out,
    unit_of_work,
)
from smolny.domain.congress import Credential, Petition
from smolny.domain.errors import InvalidInput, NotFound
from smolny.domain.federation import Council, Member
from smolny.domain.mandates import Mandate
from smolny.domain.seat_rules import parse_seat_rule
from smolny.ledger.chain import iso
from smolny.services import congress, petitions
from smolny.services.congress import ApportionmentView, CredentialsReport
from smolny.services.lookup import find_council, find_member
from smolny.services.petitions import PetitionView
from smolny.store.uow import UnitOfWork

app = typer.Typer(
    help="Congresses of lower councils: seats, credentials; recall petitions.",
    no_args_is_help=True,
)
credentials_app = typer.Typer(
    help="Credentials of the delegates presenting themselves at a congress.",
    no_args_is_help=True,
)
app.add_typer(credentials_app, name="credentials")

CongressArg = Annotated[str, typer.Argument(help="The congress: name, slug or id.")]
MemberHelp = "A member: membership number or name."


def _print(document: Any) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _member(uow: UnitOfWork, council: Council, ref: str) -> Member:
    return find_member(uow, council.organization_id, ref)


def _council_in(uow: UnitOfWork, organization_id: int, ref: str) -> Council:
    found = find_council(uow, ref)
    if found.organization_id != organization_id:
        raise InvalidInput(f"{found.name} belongs to another organization")
    return found


# -- apportionment and the congress --------------------------------------------------------------


@app.command("show")
def show(
    congress_ref: CongressArg, at: AtOption = None, format: FormatOption = Format.TABLE
) -> None:
    """The congress: seats by lower council, session, credentials, committees."""
    uow = unit_of_work()
    council = find_council(uow, congress_ref)
    view = congress.congress_view(uow, council.id, moment(at))
    if format is Format.JSON:
        _print(congress.congress_document(view))
        return
    state = (
        f"in session ({view.convocation.name})"
        if view.in_session and view.convocation
        else "not in session"
    )
    out.print(f"[bold]{view.congress.name}[/bold] as of {view.at:%Y-%m-%d %H:%M} UTC: {state}")
    _apportionment_table(view.apportionment)
    if view.report is not None:
        _report_summary(view.report)
    if view.acting:
        out.print("Acts for the congress: " + ", ".join(c.name for c in view.acting))
    for c in view.committees:
        factions = ", ".join(f"{name} {n}" for name, n, _ in c.factions) or "no members"
        out.print(f"Committee {c.council.name}: {c.filled}/{c.seats} seats ({factions})")


@app.command("apportion")
def apportion(
    congress_ref: CongressArg,
    rule: Annotated[
        str, typer.Argument(help="The rule, e.g. step:25000:2:25000:8 (the 1917 rule).")
    ],
    reported: Annotated[
        list[str] | None,
        typer.Option(
            "--reported",
            help="Electors a lower council reported, as NAME=N (repeatable); the others are "
            "counted from the members enrolled under them.",
        ),
    ] = None,
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """Share the congress's seats over the electors of its lower councils by a rule."""
    parsed = parse_seat_rule(rule)
    uow = unit_of_work()
    council = find_council(uow, congress_ref)
    with uow:
        constituencies = uow.repo.constituencies(council.id)
    electors: dict[int, int] = {}
    for item in reported or []:
        name, sep, number = item.rpartition("=")
        found = next((c for c in constituencies if c.name == name.strip()), None)
        if not sep or found is None or not number.strip().isdigit():
            names = ", ".join(c.name for c in constituencies)
            raise InvalidInput(
                f"--reported {item!r}: expected NAME=N, NAME one of {council.name}'s "
                f"constituencies ({names})",
                field="reported",
            )
        electors[found.id] = int(number)
    record = congress.apportion_congress(
        uow,
        congress_id=council.id,
        rule=parsed,
        reported=electors,
        actor=ACTOR,
        at=moment(at),
    )
    view = congress.apportionment_view(uow, council.id, record.held_at)
    if format is Format.JSON:
        _print(congress.apportionment_document(view))
        return
    _apportionment_table(view)


def _apportionment_table(view: ApportionmentView) -> None:
    if not view.rows:
        out.print("No lower council sends delegates to this congress.")
        return
    title = f"Seats by lower council: {view.rule or 'apportioned without a congress record'}"
    table = Table(title=title)
    table.add_column("Constituency")
    table.add_column("Electors", justify="right")
    table.add_column("Seats", justify="right")
    table.add_column("")
    top = max(r.electors for r in view.rows) or 1
    for r in view.rows:
        if r.through is not None:
            note = f"counted in {r.through.name}"
        elif r.must_combine:
            note = "[yellow]must combine[/]"
        else:
            note = "█" * max(round(24 * r.electors / top), 1 if r.electors else 0)
        if r.combines:
            note += " gathers " + ", ".join(c.name for c in r.combines)
        table.add_row(r.constituency.name, f"{r.electors:,}", str(r.seats), note)
    out.print(table)
    out.print(f"{view.seats} seats for {view.electors:,} electors.", highlight=False)
    if view.must_combine:
        out.print(
            "Must combine: " + ", ".join(r.constituency.name for r in view.must_combine),
            highlight=False,
        )


@app.command("convene")
def convene(
    congress_ref: CongressArg,
    name: Annotated[str, typer.Argument(help="The convocation, e.g. 'Second Congress'.")],
    at: AtOption = None,
) -> None:
    """Open a convocation of the congress: credentials are checked from now."""
    uow = unit_of_work()
    council = find_council(uow, congress_ref)
    convocation = congress.convene_congress(
        uow, congress_id=council.id, name=name, actor=ACTOR, at=moment(at)
    )
    out.print(
        f"{council.name}: {convocation.name} opened {iso(convocation.opened_at)} "
        f"(convocation {convocation.id}).",
        highlight=False,
    )


@app.command("close")
def close(congress_ref: CongressArg, at: AtOption = None) -> None:
    """Close the convocation in session."""
    uow = unit_of_work()
    council = find_council(uow, congress_ref)
    convocation = congress.close_congress(uow, congress_id=council.id, actor=ACTOR, at=moment(at))
    assert convocation.closed_at is not None
    out.print(
        f"{council.name}: {convocation.name} closed {iso(convocation.closed_at)}.",
        highlight=False,
    )


# -- credentials -------------------------------------------------------------------------------


def _credential_document(uow: UnitOfWork, credential: Credential) -> dict[str, Any]:
    with uow:
        member = uow.repo.get(Member, credential.member_id)
        council = uow.repo.get(Council, credential.council_id)
    return {
        "credential": credential.id,
        "member": member.name,
        "number": member.number,
        "from": council.name,
        "seated": credential.seated,
        "reason": credential.reason.value if credential.reason else None,
        "detail": credential.detail,
        "mandate": credential.mandate_id,
        "checked_at": iso(credential.checked_at),
    }


def _say(document: dict[str, Any]) -> None:
    if document["seated"]:
        out.print(f"Seated: {document['member']} (from {document['from']}).", highlight=False)
    else:
        out.print(
            f"Refused: {document['member']} (from {document['from']}): {document['detail']}.",
            highlight=False,
        )


@credentials_app.command("check")
def credentials_check(
    congress_ref: CongressArg,
    member: Annotated[str, typer.Argument(help=MemberHelp)],
    sent_by: Annotated[
        str, typer.Option("--from", help="The lower council the delegate says sends them.")
    ],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """Check a delegate presenting themselves: seated, or refused with the reason."""
    uow = unit_of_work()
    council = find_council(uow, congress_ref)
    when = moment(at)
    convocation = congress.convocation_in_session(uow, council.id, when)
    delegate = _member(uow, council, member)
    sender = _council_in(uow, council.organization_id, sent_by)
    credential = congress.present_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=delegate.id,
        council_id=sender.id,
        actor=ACTOR,
        at=when,
    )
    document = _credential_document(uow, credential)
    if format is Format.JSON:
        _print(document)
        return
    _say(document)


@credentials_app.command("refuse")
def credentials_refuse(
    congress_ref: CongressArg,
    member: Annotated[str, typer.Argument(help=MemberHelp)],
    by: Annotated[str, typer.Option("--by", help="The body holding the check-credentials power.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the credentials are refused.")],
    sent_by: Annotated[
        str | None,
        typer.Option("--from", help="The council that sends them (default: as presented)."),
    ] = None,
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """A body holding the check-credentials power refuses a delegate, stating why."""
    uow = unit_of_work()
    council = find_council(uow, congress_ref)
    when = moment(at)
    convocation = congress.convocation_in_session(uow, council.id, when)
    delegate = _member(uow, council, member)
    body = _council_in(uow, council.organization_id, by)
    sender = _council_in(uow, council.organization_id, sent_by) if sent_by else None
    credential = congress.refuse_credentials(
        uow,
        convocation_id=convocation.id,
        member_id=delegate.id,
        reason=reason,
        by_council_id=body.id,
        council_id=sender.id if sender else None,
        actor=ACTOR,
        at=when,
    )
    document = _credential_document(uow, credential)
    if format is Format.JSON:
        _print(document)
        return
    _say(document)


@credentials_app.command("report")
def credentials_report(
    congress_ref: CongressArg, at: AtOption = None, format: FormatOption = Format.TABLE
) -> None:
    """The credentials report of the last convocation: seated, refused and why."""
    uow = unit_of_work()
    council = find_council(uow, congress_ref)
    view = congress.congress_view(uow, council.id, moment(at))
    if view.report is None:
        raise NotFound(f"{council.name} had not been convened by then")
    if format is Format.JSON:
        _print(congress.report_document(view.report))
        return
    _report_summary(view.report)
    refused = Table(title="Refused")
    for column in ("Delegate", "Says sent by", "Why", "On"):
        refused.add_column(column)
    for row in view.report.refused:
        refused.add_row(
            row.member.name, row.council, row.detail, row.credential.checked_at.date().isoformat()
        )
    if view.report.refused:
        out.print(refused)
    seated = Table(title="Seated")
    for column in ("Delegate", "Faction", "Sent by", "Seated"):
        seated.add_column(column)
    for row in view.report.seated:
        seated.add_row(
            row.member.name, row.faction, row.council, row.credential.checked_at.date().isoformat()
        )
    if view.report.seated:
        out.print(seated)
    for row in view.report.left:
        out.print(f"Left since: {row.member.name} ({row.council}): {row.detail}", highlight=False)


def _report_summary(report: CredentialsReport) -> None:
    reasons = ", ".join(f"{k} {v}" for k, v in report.by_reason().items())
    out.print(
        f"Credentials, {report.convocation.name} (as of {report.at:%Y-%m-%d %H:%M} UTC): "
        f"{len(report.seated)} seated, {len(report.refused)} refused"
        + (f" ({reasons})" if reasons else "")
        + (f", {len(report.left)} left since" if report.left else "")
        + (f", {len(report.absent)} not presented" if report.absent else "")
        + f"; {report.seats} seats.",
        highlight=False,
    )


# -- recall petitions --------------------------------------------------------------------------


@app.command("petition-open")
def petition_open(
    council_ref: Annotated[str, typer.Argument(help="The council the delegate sits on.")],
    delegate: Annotated[str, typer.Argument(help="The delegate: membership number or name.")],
    by: Annotated[str, typer.Option("--by", help="Who opens (and first signs) the petition.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, in words.")] = "",
    at: AtOption = None,
) -> None:
    """Open a recall petition against a delegate; the opener signs first."""
    uow = unit_of_work()
    council = find_council(uow, council_ref)
    when = moment(at)
    holder = _member(uow, council, delegate)
    opener = _member(uow, council, by)
    with uow:
        seat = _seat(uow, council, holder, when)
    petition = petitions.open_petition(
        uow, mandate_id=seat.id, opened_by=opener.id, reason=reason, actor=ACTOR, at=when
    )
    _petition_said(petition, holder)


def _seat(uow: UnitOfWork, council: Council, holder: Member, when: Any) -> Mandate:
    for mandate in uow.repo.mandates_at(when or uow.now(), council_id=council.id):
        if mandate.member_id == holder.id:
            return mandate
    raise NotFound(f"{holder.name} holds no seat in {council.name}", field="delegate")


def _petition_said(petition: Petition, holder: Member) -> None:
    reached = " — threshold reached: it goes to a recall vote" if petition.reached_at else ""
    out.print(
        f"Petition {petition.id} to recall {holder.name}: {petition.signatures} of "
        f"{petition.threshold} signatures{reached}.",
        highlight=False,
    )


@app.command("petition-sign")
def petition_sign(
    petition_id: Annotated[int, typer.Argument(help="The petition's number.")],
    member: Annotated[str, typer.Argument(help=MemberHelp)],
    at: AtOption = None,
) -> None:
    """Sign a recall petition (once; only those who elected the delegate)."""
    uow = unit_of_work()
    view = petitions.petition_view(uow, petition_id)
    signer = _member(uow, view.council, member)
    petition = petitions.sign_petition(
        uow, petition_id=petition_id, member_id=signer.id, actor=ACTOR, at=moment(at)
    )
    _petition_said(petition, view.delegate)


@app.command("petition-status")
def petition_status(
    petition_id: Annotated[int, typer.Argument(help="The petition's number.")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """Where a recall petition stands: signatures against the threshold, the vote."""
    view = petitions.petition_view(unit_of_work(), petition_id, moment(at))
    if format is Format.JSON:
        _print(petitions.petition_document(view))
        return
    _petition_status(view)


def _petition_status(view: PetitionView) -> None:
    p = view.petition
    out.print(
        f"[bold]Petition {p.id}[/bold] to recall {view.delegate.name} ({view.constituency.name}, "
        f"{view.council.name}), as of {view.at:%Y-%m-%d %H:%M} UTC: {view.status_text}",
        highlight=False,
    )
    share = view.share
    filled = round(30 * min(view.signatures / max(p.threshold, 1), 1))
    out.print(
        f"Signatures: {view.signatures} of {p.threshold} needed ({share.numerator}/"
        f"{share.denominator} of {p.electorate}) [{'█' * filled}{'·' * (30 - filled)}]",
        highlight=False,
    )
    out.print(f"Who signs: {view.who_signs}, once each.", highlight=False)
    if view.vote is not None:
        v = view.vote
        out.print(
            f"Recall vote {v.held_at.date().isoformat()}: {'carried' if v.carried else 'lost'}, "
            f"{v.votes_for} for, {v.votes_against} against, {v.abstentions} abstaining, of "
            f"{v.electorate} electors ({v.rule}).",
            highlight=False,
        )
    if view.by_election is not None:
        out.print(
            f"By-election {view.by_election.held_at.date().isoformat()} "
            f"(election {view.by_election.id}).",
            highlight=False,
        )


@app.command("petitions")
def petition_list(
    council_ref: Annotated[str, typer.Argument(help="The council whose delegates they recall.")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """The recall petitions against a council's delegates."""
    uow = unit_of_work()
    council = find_council(uow, council_ref)
    listing = petitions.council_petitions(uow, council.id, moment(at))
    if format is Format.JSON:
        _print(petitions.petition_list_document(listing))
        return
    table = Table(title=f"Recall petitions: delegates to {council.name}")
    for column in ("Petition", "Delegate", "Constituency", "Opened", "Signatures", "Status"):
        table.add_column(column)
    for r in listing.petitions:
        table.add_row(
            str(r.petition.id),
            r.delegate.name,
            r.constituency.name,
            r.petition.opened_at.date().isoformat(),
            f"{r.signatures} / {r.petition.threshold}",
            r.status_text,
        )
    out.print(table)


@app.command("recall-vote")
def recall_vote(
    petition_id: Annotated[int, typer.Argument(help="The petition that reached its threshold.")],
    votes_for: Annotated[int, typer.Option("--for", min=0, help="Votes for the recall.")],
    votes_against: Annotated[int, typer.Option("--against", min=0, help="Votes against.")],
    abstentions: Annotated[int, typer.Option("--abstentions", min=0, help="Abstentions.")] = 0,
    at: AtOption = None,
) -> None:
    """Record the recall vote a petition led to; if it carries, the mandate ends at once."""
    uow = unit_of_work()
    vote = petitions.hold_recall_vote(
        uow,
        petition_id=petition_id,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        actor=ACTOR,
        at=moment(at),
    )
    view = petitions.petition_view(uow, petition_id, vote.held_at)
    outcome = "carried: the mandate ended" if vote.carried else "lost: the delegate stays"
    out.print(
        f"Recall of {view.delegate.name} {outcome} ({vote.votes_for} for, "
        f"{vote.votes_against} against, {vote.abstentions} abstaining, of {vote.electorate} "
        f"electors; {vote.rule}).",
        highlight=False,
    )
