"""`smolny election`: a constituency elects its delegates or holds a by-election, and any
election is shown round by round."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer

from smolny.commands.common import (
    ACTOR,
    TabularFormat,
    TabularFormatOption,
    moment,
    out,
    unit_of_work,
)
from smolny.commands.counts import print_count
from smolny.domain.elections import (
    LIST_METHODS,
    METHOD_NAMES,
    RANKED_METHODS,
    CandidateTally,
    Election,
    ElectionMethod,
    ListTally,
    RankedBallot,
)
from smolny.domain.errors import DomainError, InvalidInput
from smolny.domain.federation import Constituency, Council
from smolny.domain.seat_rules import TieBreak
from smolny.services import elections
from smolny.services.composition import election_view
from smolny.services.downloads import election_csv, election_document
from smolny.services.lookup import find_constituency, find_faction, find_member
from smolny.store.uow import UnitOfWork

app = typer.Typer(
    help="Elections: a constituency elects its delegates, by-elections, results.",
    no_args_is_help=True,
)

ConstituencyArg = Annotated[
    str, typer.Argument(help="The constituency: COUNCIL/NAME, a name no other has, or an id.")
]
CandidatesOption = Annotated[
    list[str] | None, typer.Option("--candidate", help="Plurality: NAME=VOTES (repeat).")
]
ListsOption = Annotated[
    list[str] | None,
    typer.Option("--list", help="Party lists: FACTION=VOTES:CANDIDATE,CANDIDATE,... (repeat)."),
]
BallotsOption = Annotated[
    Path | None,
    typer.Option("--ballots", help="Ranked methods: a BLT, PrefLib or CSV file of ballots."),
]
MethodOption = Annotated[
    ElectionMethod | None,
    typer.Option("--method", help="Default: plurality, dhondt for lists, STV for ballots."),
]
SeedOption = Annotated[
    int | None, typer.Option("--seed", help="Seed for a lot, should the method need one.")
]
WhenOption = Annotated[str | None, typer.Option("--at", help="When it takes effect (default now).")]

_CANDIDATE = re.compile(r"^(?P<member>.+?)=(?P<votes>\d+)$")
_LIST = re.compile(r"^(?P<faction>[^=:]+)=(?P<votes>\d+):(?P<candidates>.+)$")


def _organization(uow: UnitOfWork, constituency: Constituency) -> int:
    with uow:
        return uow.repo.get(Council, constituency.council_id).organization_id


def _cast(
    uow: UnitOfWork,
    organization_id: int,
    candidates: list[str],
    lists: list[str],
    ballots: Path | None,
) -> dict[str, object]:
    tallies = []
    for spec in candidates:
        found = _CANDIDATE.match(spec.strip())
        if found is None:
            raise InvalidInput(f"{spec!r}: expected NAME=VOTES", field="candidate")
        member = find_member(uow, organization_id, found["member"])
        tallies.append(CandidateTally(member.id, int(found["votes"])))
    party_lists = []
    for spec in lists:
        found = _LIST.match(spec.strip())
        if found is None:
            raise InvalidInput(f"{spec!r}: expected FACTION=VOTES:CANDIDATE,...", field="list")
        faction = find_faction(uow, found["faction"].strip(), organization_id)
        names = [n.strip() for n in found["candidates"].split(",") if n.strip()]
        members = tuple(find_member(uow, organization_id, n).id for n in names)
        party_lists.append(ListTally(faction.id, members, int(found["votes"])))
    standing: list[int] = []
    ranked: list[RankedBallot] = []
    if ballots is not None:
        standing, ranked = _ballots(uow, organization_id, ballots)
    return {"candidates": tallies, "lists": party_lists, "standing": standing, "ballots": ranked}


def _ballots(
    uow: UnitOfWork, organization_id: int, path: Path
) -> tuple[list[int], list[RankedBallot]]:
    """Ranked ballots from a file whose candidates are members (number or exact name)."""
    from smolny.voting.formats import BallotFileError, read_profile

    try:
        profile = read_profile(path)
    except (BallotFileError, OSError) as error:
        raise DomainError(str(error)) from error
    standing = [find_member(uow, organization_id, name).id for name in profile.candidates]
    ranked = []
    for number, (count, ranks) in enumerate(profile.rankings(), start=1):
        if any(len(rank) > 1 for rank in ranks):
            raise InvalidInput(f"{path.name}: ballot {number} ranks candidates equal")
        ranked.append(RankedBallot(tuple(standing[rank[0]] for rank in ranks), count))
    return standing, ranked


def _method(
    method: ElectionMethod | None, cast: dict[str, object], seats_one: bool
) -> ElectionMethod:
    if method is not None:
        return method
    if cast["lists"]:
        return ElectionMethod.DHONDT
    if cast["ballots"]:
        return ElectionMethod.IRV if seats_one else ElectionMethod.SCOTTISH_STV
    return ElectionMethod.PLURALITY


def _report(election: Election) -> None:
    elected = ", ".join(str(n) for n in election.result.get("elected", [])) or "no one"
    out.print(
        f"Election {election.id} ({METHOD_NAMES[election.method]}, {election.seats} seat"
        f"{'s' if election.seats != 1 else ''}): elected {elected}.",
        highlight=False,
    )


@app.command("delegates")
def delegates(
    constituency: ConstituencyArg,
    candidate: CandidatesOption = None,
    lists: ListsOption = None,
    ballots: BallotsOption = None,
    method: MethodOption = None,
    seed: SeedOption = None,
    at: WhenOption = None,
) -> None:
    """The constituency elects its delegates (all its seats), replacing those it had."""
    uow = unit_of_work()
    found = find_constituency(uow, constituency)
    cast = _cast(uow, _organization(uow, found), candidate or [], lists or [], ballots)
    chosen = _method(method, cast, seats_one=False)
    if chosen in LIST_METHODS and not cast["lists"]:
        raise InvalidInput(f"{METHOD_NAMES[chosen]} counts lists: give --list", field="list")
    if chosen in RANKED_METHODS and not cast["ballots"]:
        raise InvalidInput(f"{METHOD_NAMES[chosen]} counts ballots: give --ballots")
    election = elections.elect_delegates(
        uow,
        constituency_id=found.id,
        method=chosen,
        ties=TieBreak(seed=seed),
        actor=ACTOR,
        at=moment(at),
        **cast,  # type: ignore[arg-type]
    )
    _report(election)


@app.command("by-election")
def by_election(
    constituency: ConstituencyArg,
    candidate: CandidatesOption = None,
    ballots: BallotsOption = None,
    method: MethodOption = None,
    seed: SeedOption = None,
    at: WhenOption = None,
) -> None:
    """Fill the constituency's vacant seats: by plurality, or from ranked ballots."""
    uow = unit_of_work()
    found = find_constituency(uow, constituency)
    cast = _cast(uow, _organization(uow, found), candidate or [], [], ballots)
    cast.pop("lists")
    election = elections.hold_by_election(
        uow,
        constituency_id=found.id,
        method=_method(method, {**cast, "lists": []}, seats_one=True),
        ties=TieBreak(seed=seed),
        actor=ACTOR,
        at=moment(at),
        **cast,  # type: ignore[arg-type]
    )
    _report(election)


@app.command("show")
def show(
    election_id: Annotated[int, typer.Argument(help="The election's number.")],
    format: TabularFormatOption = TabularFormat.TABLE,
) -> None:
    """An election's result, round by round, as recorded (and recounted by verify)."""
    view = election_view(unit_of_work(), election_id)
    election, council = view.election, view.council
    where = view.constituency.name if view.constituency else council.name
    if format is TabularFormat.JSON:
        print(json.dumps(election_document(view), ensure_ascii=False, indent=2))
        return
    if format is TabularFormat.CSV:
        print(election_csv(view, bom=False), end="")
        return
    print_count(
        election.result,
        f"[bold]{where}[/bold] ({council.name}): {election.kind.value}, "
        f"{METHOD_NAMES[election.method]}, {election.seats} seat"
        f"{'s' if election.seats != 1 else ''}, {election.held_at:%Y-%m-%d}",
    )
