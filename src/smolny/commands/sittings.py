"""`smolny sitting ...`: convene and run a council's sittings from the command line.

Councils are named as in `smolny council show`; sittings, motions and votes by their
numbers; delegates by membership number or exact name; factions by name.
"""

from __future__ import annotations

import json
import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
from smolny.domain.elections import LIST_METHODS, ElectionMethod, ListTally, RankedBallot
from smolny.domain.errors import DomainError, InvalidInput
from smolny.domain.federation import Majority
from smolny.domain.seat_rules import TieBreak
from smolny.domain.sittings import Choice, ItemKind, VoteMode
from smolny.ledger.chain import iso
from smolny.services import sittings
from smolny.services.lookup import find_council, find_faction, find_member, find_section
from smolny.store.uow import UnitOfWork

app = typer.Typer(
    help="Sittings of councils: attendance, quorum, walkouts, agenda, motions, votes, minutes.",
    no_args_is_help=True,
)

WhenOption = Annotated[
    str | None,
    typer.Option("--at", help="When it takes effect: a date (end of day) or a time; default now."),
]
SittingArg = Annotated[int, typer.Argument(help="The sitting's number.")]
MotionArg = Annotated[int, typer.Argument(help="The motion's number.")]
VoteArg = Annotated[int, typer.Argument(help="The vote's number.")]
MemberOpt = Annotated[
    str | None, typer.Option("--member", help="A delegate: membership number or exact name.")
]
FactionOpt = Annotated[str | None, typer.Option("--faction", help="A faction, by name.")]
CommitteeOpt = Annotated[
    str | None, typer.Option("--committee", help="A committee of the council, by name.")
]


class MinutesFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
    PDF = "pdf"


def _say(text: str) -> None:
    out.print(text, highlight=False, soft_wrap=True)


def _members(uow: UnitOfWork, sitting_id: int, refs: list[str]) -> list[int]:
    sitting = sittings.get_sitting(uow, sitting_id)
    return [find_member(uow, sitting.organization_id, r).id for r in refs]


def _factions(uow: UnitOfWork, organization_id: int, refs: list[str]) -> list[int]:
    return [find_faction(uow, r, organization_id).id for r in refs]


def _tabler(
    uow: UnitOfWork,
    organization_id: int,
    member: str | None,
    faction: str | None,
    committee: str | None,
) -> dict[str, int | None]:
    given = [x for x in (member, faction, committee) if x]
    if len(given) != 1:
        raise InvalidInput("say who tables it: one of --member, --faction or --committee")
    by: dict[str, int | None] = {
        "by_member_id": None,
        "by_faction_id": None,
        "by_committee_id": None,
    }
    if member:
        by["by_member_id"] = find_member(uow, organization_id, member).id
    if faction:
        by["by_faction_id"] = find_faction(uow, faction, organization_id).id
    if committee:
        by["by_committee_id"] = find_council(uow, committee).id
    return by


# -- convening and running ---------------------------------------------------------------------


@app.command("convene")
def convene(
    council: Annotated[str, typer.Argument(help="The council: name, slug or id.")],
    title: Annotated[str, typer.Argument(help="The sitting's title.")],
    day: Annotated[str, typer.Option("--date", help="The day of the sitting (YYYY-MM-DD).")],
    section: Annotated[
        list[str] | None,
        typer.Option("--section", help="A section that sits (repeat for a joint sitting)."),
    ] = None,
    chair: Annotated[str | None, typer.Option("--chair", help="The chair: a member.")] = None,
    at: WhenOption = None,
) -> None:
    """Convene a sitting of a council, of one of its sections, or of several jointly."""
    uow = unit_of_work()
    try:
        when_day = date.fromisoformat(day)
    except ValueError:
        raise typer.BadParameter(
            f"{day!r} is not a date (YYYY-MM-DD)", param_hint="--date"
        ) from None
    found = find_council(uow, council)
    section_ids = [find_section(uow, found.id, s).id for s in section or []]
    chair_id = find_member(uow, found.organization_id, chair).id if chair else None
    sitting = sittings.convene_sitting(
        uow,
        council_id=found.id,
        title=title,
        day=when_day,
        section_ids=section_ids,
        chair_member_id=chair_id,
        actor=ACTOR,
        at=moment(at),
    )
    _say(f"Sitting {sitting.id} convened: {sitting.title} ({found.name}, {sitting.day}).")


@app.command("open")
def open_(
    sitting: SittingArg,
    chair: Annotated[str | None, typer.Option("--chair", help="The chair: a member.")] = None,
    at: WhenOption = None,
) -> None:
    """Open the sitting (with its chair, if named)."""
    uow = unit_of_work()
    chair_id = _members(uow, sitting, [chair])[0] if chair else None
    opened = sittings.open_sitting(
        uow, sitting_id=sitting, chair_member_id=chair_id, actor=ACTOR, at=moment(at)
    )
    when = sittings.clock(opened.opened_at) if opened.opened_at else "once convened"
    _say(f"Sitting {opened.id} opened at {when}.")


@app.command("close")
def close(sitting: SittingArg, at: WhenOption = None) -> None:
    """Close the sitting: everyone present leaves; a vote still open is void."""
    uow = unit_of_work()
    closed = sittings.close_sitting(uow, sitting_id=sitting, actor=ACTOR, at=moment(at))
    when = sittings.clock(closed.closed_at) if closed.closed_at else ""
    _say(f"Sitting {closed.id} closed at {when}.")


def _presence_line(uow: UnitOfWork, sitting_id: int) -> str:
    view = sittings.sitting_view(uow, sitting_id)
    p = view.presence
    state = "quorate" if p.quorate else "no quorum"
    return f"{p.present} present of {p.seated} seated, quorum {p.needed}: {state}."


@app.command("check-in")
def check_in(
    sitting: SittingArg,
    members: Annotated[
        list[str] | None, typer.Argument(help="Delegates: membership numbers or exact names.")
    ] = None,
    faction: Annotated[
        list[str] | None, typer.Option("--faction", help="Every absent delegate of a faction.")
    ] = None,
    everyone: Annotated[bool, typer.Option("--all", help="Every absent delegate.")] = False,
    at: WhenOption = None,
) -> None:
    """Delegates check in (each must hold a seat in the sitting's sections)."""
    uow = unit_of_work()
    found = sittings.get_sitting(uow, sitting)
    stays = sittings.check_in(
        uow,
        sitting_id=sitting,
        member_ids=_members(uow, sitting, members or []),
        faction_ids=_factions(uow, found.organization_id, faction or []),
        everyone=everyone,
        actor=ACTOR,
        at=moment(at),
    )
    _say(f"{len(stays)} checked in. {_presence_line(uow, sitting)}")


@app.command("leave")
def leave(
    sitting: SittingArg,
    members: Annotated[list[str], typer.Argument(help="Delegates who leave.")],
    at: WhenOption = None,
) -> None:
    """Delegates leave the sitting (they may check in again)."""
    uow = unit_of_work()
    left = sittings.leave(
        uow,
        sitting_id=sitting,
        member_ids=_members(uow, sitting, members),
        actor=ACTOR,
        at=moment(at),
    )
    _say(f"{len(left)} left. {_presence_line(uow, sitting)}")


@app.command("walkout")
def walkout(
    sitting: SittingArg,
    statement: Annotated[str, typer.Option("--statement", help="Their statement.")],
    members: Annotated[list[str] | None, typer.Argument(help="Delegates who walk out.")] = None,
    faction: Annotated[
        list[str] | None,
        typer.Option("--faction", help="A faction whose delegates present walk out (repeat)."),
    ] = None,
    at: WhenOption = None,
) -> None:
    """Delegates, or whole factions, walk out with a statement."""
    uow = unit_of_work()
    found = sittings.get_sitting(uow, sitting)
    done = sittings.walk_out(
        uow,
        sitting_id=sitting,
        statement=statement,
        member_ids=_members(uow, sitting, members or []),
        faction_ids=_factions(uow, found.organization_id, faction or []),
        actor=ACTOR,
        at=moment(at),
    )
    _say(f"Walkout {done.id}: {len(done.member_ids)} left. {_presence_line(uow, sitting)}")


@app.command("agenda-add")
def agenda_add(
    sitting: SittingArg,
    title: Annotated[str, typer.Argument(help="The item's title.")],
    kind: Annotated[
        ItemKind, typer.Option("--kind", help="motion, election, report or other.")
    ] = ItemKind.OTHER,
    at: WhenOption = None,
) -> None:
    """Add an item to the sitting's agenda."""
    uow = unit_of_work()
    item = sittings.add_agenda_item(
        uow, sitting_id=sitting, title=title, kind=kind, actor=ACTOR, at=moment(at)
    )
    _say(f"Item {item.position}: {item.title} ({item.kind.value}).")


@app.command("agenda-next")
def agenda_next(
    sitting: SittingArg,
    item: Annotated[
        int | None, typer.Option("--item", help="The item's position (default: the next).")
    ] = None,
    at: WhenOption = None,
) -> None:
    """Take up the next item of the agenda (or the one given)."""
    uow = unit_of_work()
    taken = sittings.take_up_item(
        uow, sitting_id=sitting, position=item, actor=ACTOR, at=moment(at)
    )
    _say(f"Before the sitting: item {taken.position}, {taken.title}.")


@app.command("ask")
def ask(
    sitting: SittingArg,
    member: Annotated[str, typer.Argument(help="The delegate who asks to speak.")],
    at: WhenOption = None,
) -> None:
    """A delegate present asks to speak on the item before the sitting."""
    uow = unit_of_work()
    speaker = sittings.ask_to_speak(
        uow,
        sitting_id=sitting,
        member_id=_members(uow, sitting, [member])[0],
        actor=ACTOR,
        at=moment(at),
    )
    view = sittings.sitting_view(uow, sitting)
    waiting = [s for i in view.agenda if i.current for s in i.speakers if s.state == "waiting"]
    place = next(n for n, s in enumerate(waiting, 1) if s.speaker.id == speaker.id)
    _say(f"{member} is number {place} on the speakers' list.")


@app.command("floor")
def floor(sitting: SittingArg, at: WhenOption = None) -> None:
    """Give the floor to the next speaker on the list."""
    uow = unit_of_work()
    speaker = sittings.give_floor(uow, sitting_id=sitting, actor=ACTOR, at=moment(at))
    if speaker is None:
        _say("The floor is free: no one else asked to speak.")
        return
    view = sittings.sitting_view(uow, sitting)
    name = next(s.name for i in view.agenda for s in i.speakers if s.speaker.id == speaker.id)
    _say(f"{name} has the floor.")


# -- motions, lines, votes ---------------------------------------------------------------------


@app.command("table")
def table(
    sitting: SittingArg,
    title: Annotated[str, typer.Argument(help="The motion's title.")],
    text: Annotated[str, typer.Option("--text", help="The motion's text.")],
    member: MemberOpt = None,
    faction: FactionOpt = None,
    committee: CommitteeOpt = None,
    majority: Annotated[
        Majority | None,
        typer.Option("--majority", help="Its majority rule (default: the council's)."),
    ] = None,
    at: WhenOption = None,
) -> None:
    """Table a motion, by a delegate, a faction or a committee of the council."""
    uow = unit_of_work()
    found = sittings.get_sitting(uow, sitting)
    motion = sittings.table_motion(
        uow,
        sitting_id=sitting,
        title=title,
        text=text,
        majority=majority,
        **_tabler(uow, found.organization_id, member, faction, committee),
        actor=ACTOR,
        acting=None,  # the operator
        at=moment(at),
    )
    _say(f"Motion {motion.id} tabled: {motion.title}.")


@app.command("amend")
def amend(
    motion: MotionArg,
    text: Annotated[str, typer.Option("--text", help="The text that would replace it.")],
    member: MemberOpt = None,
    faction: FactionOpt = None,
    committee: CommitteeOpt = None,
    title: Annotated[str | None, typer.Option("--title", help="The amendment's title.")] = None,
    at: WhenOption = None,
) -> None:
    """Table an amendment to a motion (voted before it; if carried, its text replaces the
    motion's)."""
    uow = unit_of_work()
    parent = sittings.get_motion(uow, motion)
    found = sittings.get_sitting(uow, parent.sitting_id)
    amendment = sittings.amend_motion(
        uow,
        motion_id=motion,
        text=text,
        title=title,
        **_tabler(uow, found.organization_id, member, faction, committee),
        actor=ACTOR,
        acting=None,  # the operator
        at=moment(at),
    )
    _say(f"Amendment {amendment.id} to motion {motion} tabled: {amendment.title}.")


@app.command("line")
def line(
    motion: MotionArg,
    faction: Annotated[str, typer.Argument(help="The faction.")],
    choice: Annotated[Choice, typer.Argument(help="for, against or abstain.")],
    at: WhenOption = None,
) -> None:
    """A faction binds its delegates to vote for, against, or to abstain on a motion."""
    uow = unit_of_work()
    found = sittings.get_motion(uow, motion)
    organization_id = sittings.get_sitting(uow, found.sitting_id).organization_id
    adopted = sittings.adopt_line(
        uow,
        motion_id=motion,
        faction_id=_factions(uow, organization_id, [faction])[0],
        line=choice,
        actor=ACTOR,
        at=moment(at),
    )
    _say(f"{faction} votes {adopted.line.value} on motion {motion}.")


@app.command("vote-open")
def vote_open(
    motion: MotionArg,
    mode: Annotated[
        VoteMode, typer.Option("--mode", help="roll-call or secret.")
    ] = VoteMode.ROLL_CALL,
    at: WhenOption = None,
) -> None:
    """Open a roll-call or secret vote on a motion (needs a quorum)."""
    uow = unit_of_work()
    vote = sittings.open_vote(uow, motion_id=motion, mode=mode, actor=ACTOR, at=moment(at))
    _say(f"Vote {vote.id} ({sittings.MODE_WORDS[vote.mode]}) on motion {motion} is open.")


@app.command("vote-cast")
def vote_cast(
    vote: VoteArg,
    member: Annotated[str, typer.Argument(help="The delegate who votes.")],
    choice: Annotated[Choice, typer.Argument(help="for, against or abstain.")],
    at: WhenOption = None,
) -> None:
    """A delegate present votes (once)."""
    uow = unit_of_work()
    found = sittings.get_vote(uow, vote)
    ballot = sittings.cast_vote(
        uow,
        vote_id=vote,
        member_id=_members(uow, found.sitting_id, [member])[0],
        choice=choice,
        actor=ACTOR,
        at=moment(at),
    )
    how = f" {ballot.choice.value}" if ballot.choice else " (secret)"
    _say(f"{ballot.name} voted{how}: {ballot.voted} of {ballot.present} present have voted.")


def _print_result(uow: UnitOfWork, vote_id: int) -> None:
    closed = sittings.get_vote(uow, vote_id)
    state = sittings.vote_state(uow, vote_id, closed.closed_at)
    _say(f"Vote {vote_id} on {state.motion_title}: {sittings.result_words(state.vote)}.")
    if state.names is not None:
        for choice, names in state.names.items():
            if names:
                _say(f"  {sittings.CHOICE_WORDS[choice]}: {', '.join(names)}")
    for kept in state.lines:
        broke = ", ".join(f"{n} ({sittings.CHOICE_WORDS[c]})" for n, c in kept.broke) or "no one"
        _say(f"  {kept.faction} line {kept.line.value}: broken by {broke}")


@app.command("vote-close")
def vote_close(vote: VoteArg, at: WhenOption = None) -> None:
    """Count the vote (needs a quorum; void if the quorum was lost while it was open)."""
    uow = unit_of_work()
    sittings.close_vote(uow, vote_id=vote, actor=ACTOR, at=moment(at))
    _print_result(uow, vote)


@app.command("vote-record")
def vote_record(
    motion: MotionArg,
    yes: Annotated[int, typer.Option("--for", min=0, help="Votes for.")],
    no: Annotated[int, typer.Option("--against", min=0, help="Votes against.")],
    abstain: Annotated[int, typer.Option("--abstain", min=0, help="Abstentions.")] = 0,
    at: WhenOption = None,
) -> None:
    """Enter the totals of a vote taken by show of hands; it is counted at once."""
    uow = unit_of_work()
    vote = sittings.record_totals(
        uow,
        motion_id=motion,
        yes=yes,
        no=no,
        abstain=abstain,
        actor=ACTOR,
        at=moment(at),
    )
    _print_result(uow, vote.id)


# -- elections ---------------------------------------------------------------------------------

_LIST = re.compile(r"^(?P<faction>[^=:]+?)\s*(?:=\s*(?P<votes>\d+))?\s*(?::(?P<candidates>.*))?$")


def _lists(uow: UnitOfWork, sitting_id: int, specs: list[str]) -> list[ListTally]:
    """Lists from `FACTION[=VOTES][:CANDIDATE,CANDIDATE,...]`; without candidates, the
    faction's delegates present in the sitting, by name."""
    found = sittings.get_sitting(uow, sitting_id)
    view = sittings.sitting_view(uow, sitting_id)
    tallies = []
    for spec in specs:
        match = _LIST.match(spec.strip())
        if match is None:
            raise InvalidInput(f"{spec!r}: expected FACTION[=VOTES][:CANDIDATE,...]", field="list")
        faction = find_faction(uow, match["faction"], found.organization_id)
        if match["candidates"]:
            refs = [r.strip() for r in match["candidates"].split(",") if r.strip()]
            candidates = _members(uow, sitting_id, refs)
        else:
            candidates = [
                h.member.id
                for h in sorted(view.here, key=lambda h: h.member.name)
                if h.faction is not None and h.faction.id == faction.id
            ]
        votes = int(match["votes"]) if match["votes"] is not None else None
        tallies.append(ListTally(faction.id, tuple(candidates), votes))
    return tallies


def _ballots(uow: UnitOfWork, sitting_id: int, path: Path) -> tuple[list[int], list[RankedBallot]]:
    """Ranked ballots from a ballot file (BLT, PrefLib or CSV) whose candidates are
    members, by membership number or exact name."""
    from smolny.voting.formats import BallotFileError, read_profile

    try:
        profile = read_profile(path)
    except (BallotFileError, OSError) as error:
        raise DomainError(str(error)) from error
    standing = _members(uow, sitting_id, list(profile.candidates))
    ballots = []
    for number, (count, ranks) in enumerate(profile.rankings(), start=1):
        if any(len(rank) > 1 for rank in ranks):
            raise InvalidInput(f"{path.name}: ballot {number} ranks candidates equal")
        ballots.append(RankedBallot(tuple(standing[rank[0]] for rank in ranks), count))
    return standing, ballots


@app.command("elect")
def elect(
    sitting: SittingArg,
    committee: Annotated[str, typer.Argument(help="The committee or office: name or id.")],
    seats: Annotated[int, typer.Option("--seats", min=1, help="Seats to fill.")],
    lists: Annotated[
        list[str] | None,
        typer.Option("--list", help="FACTION[=VOTES][:CANDIDATE,...] (repeat)."),
    ] = None,
    ballots: Annotated[
        Path | None, typer.Option("--ballots", help="Ranked ballots: a BLT, PrefLib or CSV file.")
    ] = None,
    method: Annotated[
        ElectionMethod | None,
        typer.Option(
            "--method",
            help="Default: dhondt for lists, scottish-stv (irv for one seat) for ballots.",
        ),
    ] = None,
    item: Annotated[
        int | None, typer.Option("--item", help="The agenda item (an election).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for a lot, if any.")] = None,
    at: WhenOption = None,
) -> None:
    """Elect a committee or an officer of the council as an item of the sitting."""
    uow = unit_of_work()
    if bool(lists) == bool(ballots):
        raise InvalidInput("give the lists (--list) or a ballot file (--ballots)")
    if method is None:
        method = (
            ElectionMethod.DHONDT
            if lists
            else ElectionMethod.IRV
            if seats == 1
            else ElectionMethod.SCOTTISH_STV
        )
    if lists and method not in LIST_METHODS:
        raise InvalidInput(f"{method.value} does not count lists", field="method")
    standing, ranked = _ballots(uow, sitting, ballots) if ballots else ([], [])
    body = find_council(uow, committee)
    election = sittings.hold_election(
        uow,
        sitting_id=sitting,
        committee_id=body.id,
        seats=seats,
        method=method,
        lists=_lists(uow, sitting, lists or []),
        standing=standing,
        ballots=ranked,
        ties=TieBreak(seed=seed),
        position=item,
        actor=ACTOR,
        at=moment(at),
    )
    elected = ", ".join(str(n) for n in election.result.get("elected", [])) or "no one"
    _say(f"{body.name} elected (election {election.id}): {elected}.")


# -- reading -----------------------------------------------------------------------------------


@app.command("show")
def show(sitting: SittingArg, at: AtOption = None, format: FormatOption = Format.TABLE) -> None:
    """The sitting as of a moment: presence and quorum, walkouts, agenda, motions, votes."""
    uow = unit_of_work()
    view = sittings.sitting_view(uow, sitting, moment(at))
    if format is Format.JSON:
        print(json.dumps(sittings.sitting_document(view), ensure_ascii=False, indent=2))
        return
    s = view.sitting
    chair = f"; chair {view.chair.name}" if view.chair else ""
    _say(f"[bold]{s.title}[/bold] (sitting {s.id}), {view.where}, {s.day}{chair}")
    p = view.presence
    _say(
        f"As of {sittings.clock(view.at)}: {view.status.value}; {p.present} present of "
        f"{p.seated} seated, quorum {p.needed}: {'quorate' if p.quorate else 'no quorum'}."
    )
    if view.factions:
        factions = Table(title="Present by faction")
        factions.add_column("Faction")
        factions.add_column("Present", justify="right")
        factions.add_column("Seated", justify="right")
        for f in view.factions:
            factions.add_row(f.name, str(f.present), str(f.seated))
        out.print(factions)
    for w in view.walkouts:
        who = ", ".join(w.factions) or "delegates"
        _say(
            f"Walkout {sittings.when(w.walkout.at, s.day)}: {who} ({len(w.names)}): "
            f"“{w.walkout.statement}”"
        )
    if view.agenda:
        agenda = Table(title="Agenda")
        for column in ("#", "Item", "Kind", "Speakers"):
            agenda.add_column(column)
        for i in view.agenda:
            speakers = ", ".join(
                f"{x.name}{'' if x.state == 'done' else f' ({x.state})'}" for x in i.speakers
            )
            mark = "▶ " if i.current else ""
            agenda.add_row(f"{mark}{i.item.position}", i.item.title, i.item.kind.value, speakers)
        out.print(agenda)
    if view.motions:
        motions = Table(title="Motions")
        for column in ("#", "Motion", "Tabled by", "Status", "Votes"):
            motions.add_column(column)
        for m in view.motions:
            votes = "; ".join(
                f"vote {v.vote.id}: {sittings.result_words(v.vote)}"
                if v.closed
                else f"vote {v.vote.id}: open, {v.voted} of {v.present} voted"
                for v in m.votes
            )
            title = m.motion.title + (
                f" (amends {m.motion.parent_id})" if m.motion.parent_id else ""
            )
            motions.add_row(str(m.motion.id), title, m.tabled_by, m.status.value, votes)
        out.print(motions)
    for e in view.elections:
        _say(
            f"Elected to {e.committee.name} ({e.method}): {', '.join(e.elected) or 'no one'}; "
            f"powers: {', '.join(e.powers) or 'none'}"
        )


def _write_pdf(view: sittings.SittingView, output: Path) -> None:
    """The printable minutes printed to PDF by Chromium (SMOLNY_CHROMIUM)."""
    from smolny.settings import Settings
    from smolny.web.printing import PdfUnavailable, html_to_pdf, minutes_print_html, printable_hint

    try:
        pdf = html_to_pdf(minutes_print_html(view), chromium=Settings.from_env().chromium)
    except PdfUnavailable as error:
        hint = printable_hint(view.sitting.id)
        raise PdfUnavailable(f"{error.message}; {hint} (`smolny serve`)") from None
    output.write_bytes(pdf)
    _say(f"Wrote the minutes of sitting {view.sitting.id} to {output} ({len(pdf):,} bytes, PDF).")


@app.command("minutes")
def minutes_command(
    sitting: SittingArg,
    at: AtOption = None,
    format: Annotated[
        MinutesFormat, typer.Option("--format", help="markdown, json or pdf.")
    ] = MinutesFormat.MARKDOWN,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (a PDF needs one).", dir_okay=False
        ),
    ] = None,
) -> None:
    """The minutes of the sitting, from its record."""
    if format is MinutesFormat.PDF and output is None:
        raise typer.BadParameter(
            "a PDF is written to a file: add --output FILE", param_hint="--output"
        )
    uow = unit_of_work()
    view = sittings.minutes(uow, sitting, moment(at))
    if format is MinutesFormat.PDF and output is not None:
        _write_pdf(view, output)
        return
    if format is MinutesFormat.JSON:
        text = json.dumps(sittings.minutes_document(view), ensure_ascii=False, indent=2) + "\n"
    else:
        text = sittings.minutes_markdown(view)
    if output is None:
        print(text, end="")
        return
    output.write_text(text, encoding="utf-8")
    _say(f"Wrote the minutes of sitting {sitting} to {output}.")


@app.command("list")
def list_(
    council: Annotated[str, typer.Argument(help="The council: name, slug or id.")],
    at: AtOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """The council's sittings, newest first."""
    uow = unit_of_work()
    found = find_council(uow, council)
    when = moment(at)
    summaries = sittings.sittings_of_council(uow, found.id, when)
    if format is Format.JSON:
        rows = [
            {
                "id": x.sitting.id,
                "title": x.sitting.title,
                "day": x.sitting.day.isoformat(),
                "where": x.where,
                "status": x.status.value,
                "motions": x.motions,
                "votes": x.votes,
                "convened_at": iso(x.sitting.convened_at),
            }
            for x in summaries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Sittings of {found.name}" + (f" as of {iso(when)}" if when else ""))
    for column in ("#", "Day", "Title", "Who sits", "Status", "Motions", "Votes"):
        table.add_column(column, justify="right" if column in ("#", "Motions", "Votes") else "left")
    for x in summaries:
        table.add_row(
            str(x.sitting.id),
            x.sitting.day.isoformat(),
            x.sitting.title,
            x.where,
            x.status.value,
            str(x.motions),
            str(x.votes),
        )
    out.print(table)
