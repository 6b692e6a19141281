"""Seats and who fills them: apportionment, delegate and committee elections, recall."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smolny.domain.apportionment import Apportionment
from smolny.domain.elections import (
    LIST_METHODS,
    METHOD_NAMES,
    RANKED_METHODS,
    CandidateTally,
    Election,
    ElectionKind,
    ElectionMethod,
    ListTally,
    RankedBallot,
    RecallVote,
    list_rule,
    plurality,
)
from smolny.domain.errors import InvalidInput, NotFound, RuleViolation, Unresolved
from smolny.domain.events import (
    CommitteeElected,
    DelegatesElected,
    MandateResigned,
    NewMandate,
    RecallVoted,
    SeatGrant,
    SeatsApportioned,
)
from smolny.domain.federation import (
    ELECTED_BODIES,
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Faction,
    Member,
)
from smolny.domain.mandates import Mandate, SeatAllocation
from smolny.domain.rights import Action, Actor
from smolny.domain.seat_rules import SeatRule, TieBreak, apportion, tie_record
from smolny.domain.text import Moment, Text, say
from smolny.services import rights
from smolny.store.congress import electors_under, member_ids_under
from smolny.store.uow import UnitOfWork
from smolny.voting.methods import count_profile
from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError

# -- apportionment ---------------------------------------------------------------------------


def apportion_seats(
    uow: UnitOfWork,
    *,
    council_id: int,
    rule: SeatRule,
    ties: TieBreak = TieBreak(),
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> list[SeatAllocation]:
    """Share the council's seats among its constituencies by `rule`, over their electorates."""
    with uow:
        uow.lock()
        council = uow.repo.get(Council, council_id)
        rights.guard(
            uow,
            acting,
            Action.APPORTION_SEATS,
            lambda: rights.organization_target(uow, council.organization_id),
            at,
        )
        constituencies = check_apportionment(uow, council)
        moment = uow.moment(at, council.organization_id)
        weights = electorates(uow, constituencies, moment)
        do_apportion(uow, council, constituencies, rule, ties, weights, moment=moment, actor=actor)
        allocations = uow.repo.open_allocations(council_id)
        uow.commit()
    return allocations


def check_apportionment(uow: UnitOfWork, council: Council) -> list[Constituency]:
    """The constituencies to share the council's seats among (refused for a committee)."""
    if council.kind in ELECTED_BODIES:
        raise RuleViolation(
            f"{council.name} is a {council.kind.value}: its seats are set by its election"
        )
    constituencies = uow.repo.constituencies(council.id)
    if not constituencies:
        raise RuleViolation(f"{council.name} has no constituencies to share seats among")
    return constituencies


def do_apportion(
    uow: UnitOfWork,
    council: Council,
    constituencies: Sequence[Constituency],
    rule: SeatRule,
    ties: TieBreak,
    weights: dict[int, int],
    *,
    moment: datetime,
    actor: str,
) -> Apportionment[int]:
    """Apply the rule to the weights and record the seats (closing the previous ones)."""
    names = {c.id: c.name for c in constituencies}
    result = apportion(rule, weights, ties, names)
    grants = tuple(
        SeatGrant(uow.repo.next_id(SeatAllocation), cid, seats)
        for cid, seats in result.seats.items()
    )
    uow.record(
        SeatsApportioned(
            council_id=council.id,
            rule=f"{rule.describe()}; {ties.describe()}",
            weights=tuple(weights.items()),
            grants=grants,
            closed_allocation_ids=tuple(a.id for a in uow.repo.open_allocations(council.id)),
            ties=tuple(tie_record(t, names) for t in result.ties),
        ),
        at=moment,
        actor=actor,
        organization_id=council.organization_id,
    )
    return result


def electorates(
    uow: UnitOfWork, constituencies: Sequence[Constituency], at: datetime
) -> dict[int, int]:
    """Electors per constituency: its members, or for a lower council the members of the
    constituencies under it (through any council in between, such as a district congress
    of small soviets)."""
    direct = uow.repo.electorates([c.id for c in constituencies])
    lower = {c.id: c.lower_council_id for c in constituencies if c.lower_council_id is not None}
    if lower:
        direct.update(electors_under(uow.repo, lower))
    return direct


# -- delegates ------------------------------------------------------------------------------


def elect_delegates(
    uow: UnitOfWork,
    *,
    constituency_id: int,
    method: ElectionMethod,
    candidates: Sequence[CandidateTally] = (),
    lists: Sequence[ListTally] = (),
    standing: Sequence[int] = (),
    ballots: Sequence[RankedBallot] = (),
    ties: TieBreak = TieBreak(),
    actor: str,
    at: datetime | None = None,
) -> Election:
    """A constituency elects its delegates, replacing those it had: by plurality among
    candidates (their tallies), by party lists with a divisor or quota method (the lists'
    votes), or from ranked ballots over the `standing` candidates (instant runoff, STV,
    Schulze, ranked pairs)."""
    return _elect(
        uow,
        constituency_id=constituency_id,
        method=method,
        cast=Cast(tuple(candidates), tuple(lists), tuple(standing), tuple(ballots)),
        ties=ties,
        actor=actor,
        at=at,
        by_election=False,
    )


def hold_by_election(
    uow: UnitOfWork,
    *,
    constituency_id: int,
    candidates: Sequence[CandidateTally] = (),
    method: ElectionMethod = ElectionMethod.PLURALITY,
    standing: Sequence[int] = (),
    ballots: Sequence[RankedBallot] = (),
    ties: TieBreak = TieBreak(),
    actor: str,
    at: datetime | None = None,
) -> Election:
    """Fill the constituency's vacant seats (after a recall or resignation): by plurality,
    or from ranked ballots (instant runoff for one seat, STV for several)."""
    if method in LIST_METHODS:
        raise InvalidInput("a by-election elects candidates, not lists", field="method")
    return _elect(
        uow,
        constituency_id=constituency_id,
        method=method,
        cast=Cast(tuple(candidates), (), tuple(standing), tuple(ballots)),
        ties=ties,
        actor=actor,
        at=at,
        by_election=True,
    )


def _elect(
    uow: UnitOfWork,
    *,
    constituency_id: int,
    method: ElectionMethod,
    cast: Cast,
    ties: TieBreak,
    actor: str,
    at: datetime | None,
    by_election: bool,
) -> Election:
    with uow:
        uow.lock()
        constituency = uow.repo.get(Constituency, constituency_id)
        council = uow.repo.get(Council, constituency.council_id)
        moment = uow.moment(at, council.organization_id)
        seats = sum(
            a.seats
            for a in uow.repo.allocations_at(council.id, moment)
            if a.constituency_id == constituency_id
        )
        if seats == 0:
            raise RuleViolation(
                f"{constituency.name} has no seats in {council.name}: apportion its seats first"
            )
        sitting = uow.repo.mandates_at(moment, constituency_id=constituency_id)
        if by_election:
            seats -= len(sitting)
            if seats <= 0:
                raise RuleViolation(f"{constituency.name} has no vacant seat to fill")
        electorate = voters(uow, constituency, moment)
        base = _base(uow, constituency)
        new, result = count_cast(
            uow,
            method,
            cast,
            seats=seats,
            base=base,
            electorate=electorate,
            where=constituency.name,
            organization_id=council.organization_id,
            ties=ties,
        )
        others = {
            m.member_id
            for m in uow.repo.seats_held_at(moment, council.id, (m.member_id for m in new))
            if m.constituency_id != constituency_id
        }
        for mandate in new:
            if mandate.member_id in others:
                name = uow.repo.get(Member, mandate.member_id).name
                raise RuleViolation(f"{name} already holds a seat in {council.name}")
        ended = () if by_election else tuple(sitting)
        returning = {m.member_id for m in new}
        # A congress's committees serve until the congress elects them anew: a new
        # delegation (the next convocation's) leaves them in office. Elsewhere a delegate
        # not re-elected loses the committee seats the council gave them.
        unseated = (
            ()
            if council.kind is CouncilKind.CONGRESS
            else committee_seats(uow, council.id, {m.member_id for m in ended} - returning, moment)
        )
        election_id = uow.repo.next_id(Election)
        uow.record(
            DelegatesElected(
                election_id=election_id,
                council_id=council.id,
                constituency_id=constituency_id,
                election_kind=ElectionKind.BY_ELECTION if by_election else ElectionKind.DELEGATES,
                method=method,
                seats=seats,
                result={"electorate": electorate, **result},
                mandates=tuple(new),
                ended_mandate_ids=tuple(m.id for m in ended),
                unseated_mandate_ids=unseated,
            ),
            at=moment,
            actor=actor,
            organization_id=council.organization_id,
        )
        election = uow.repo.get(Election, election_id)
        uow.commit()
    return election


@dataclass(frozen=True)
class Cast:
    """What the electors cast: tallies per candidate (plurality), votes per list (party
    lists), or ranked ballots over the standing candidates (ranked methods)."""

    candidates: tuple[CandidateTally, ...] = ()
    lists: tuple[ListTally, ...] = ()
    standing: tuple[int, ...] = ()
    ballots: tuple[RankedBallot, ...] = ()


def count_cast(
    uow: UnitOfWork,
    method: ElectionMethod,
    cast: Cast,
    *,
    seats: int,
    base: set[int],
    electorate: int,
    where: str,
    organization_id: int,
    ties: TieBreak,
) -> tuple[list[NewMandate], dict[str, Any]]:
    """Check what was cast against the method and the electorate, and count it."""
    given = {
        "candidates": bool(cast.candidates),
        "lists": bool(cast.lists),
        "ballots": bool(cast.ballots or cast.standing),
    }
    wanted = (
        "lists"
        if method in LIST_METHODS
        else "ballots"
        if method in RANKED_METHODS
        else "candidates"
    )
    for kind, present in given.items():
        if present and kind != wanted:
            raise InvalidInput(f"{METHOD_NAMES[method]} counts {wanted}, not {kind}", field=kind)
    if wanted == "candidates":
        check_candidates(uow, cast.candidates, base, electorate, where)
        return _count_plurality(uow, cast.candidates, seats, ties)
    if wanted == "lists":
        check_lists(uow, cast.lists, base, organization_id, where)
        if any(t.votes is None for t in cast.lists):
            raise InvalidInput("every list needs its votes", field="lists")
        total = sum(t.votes or 0 for t in cast.lists)
        if total > electorate:
            raise RuleViolation(f"{total} votes cast in {where}, which has {electorate} electors")
        return _count_lists(uow, cast.lists, seats, method, ties)
    return _count_ranked(uow, method, cast, seats, base, electorate, where, ties)


def voters(uow: UnitOfWork, constituency: Constituency, at: datetime) -> int:
    """Who votes in the constituency: its members, or a lower council's sitting delegates."""
    if constituency.lower_council_id is not None:
        return len(uow.repo.mandates_at(at, council_id=constituency.lower_council_id))
    return uow.repo.electorates([constituency.id])[constituency.id]


def _base(uow: UnitOfWork, constituency: Constituency) -> set[int]:
    """Who may stand: the constituency's members (a lower council's: its base's members,
    through any council in between)."""
    if constituency.kind is ConstituencyKind.COUNCIL and constituency.lower_council_id:
        return member_ids_under(uow.repo, constituency.lower_council_id)
    return uow.repo.member_ids_in([constituency.id])


def check_candidates(
    uow: UnitOfWork,
    candidates: Sequence[CandidateTally],
    base: set[int],
    electorate: int,
    where: str,
) -> None:
    if not candidates:
        raise InvalidInput("name at least one candidate", field="candidates")
    seen: set[int] = set()
    for tally in candidates:
        if tally.member_id in seen:
            raise InvalidInput(f"member {tally.member_id} is named twice", field="candidates")
        seen.add(tally.member_id)
        member = uow.repo.get(Member, tally.member_id)
        if tally.member_id not in base:
            raise RuleViolation(f"{member.name} is not a member of {where}")
        if not 0 <= tally.votes <= electorate:
            raise RuleViolation(
                f"{member.name} cannot have {tally.votes} votes in {where}, "
                f"which has {electorate} electors"
            )


def check_lists(
    uow: UnitOfWork,
    lists: Sequence[ListTally],
    base: set[int] | None,
    organization_id: int,
    where: str,
) -> None:
    if not lists:
        raise InvalidInput("name at least one list", field="lists")
    factions: set[int] = set()
    standing: set[int] = set()
    members = uow.repo.members_by_id(mid for t in lists for mid in t.candidates)
    for tally in lists:
        faction = uow.repo.get(Faction, tally.faction_id)
        if faction.organization_id != organization_id:
            raise RuleViolation(f"{faction.name} belongs to another organization")
        if tally.faction_id in factions:
            raise InvalidInput(f"{faction.name} has two lists", field="lists")
        factions.add(tally.faction_id)
        if tally.votes is not None and tally.votes < 0:
            raise InvalidInput(f"{faction.name}: votes cannot be negative", field="lists")
        for member_id in tally.candidates:
            if member_id not in members:
                uow.repo.get(Member, member_id)  # not found: says which
            member = members[member_id]
            if member_id in standing:
                raise InvalidInput(f"{member.name} stands on two lists", field="lists")
            standing.add(member_id)
            if base is not None and member_id not in base:
                raise RuleViolation(f"{member.name} cannot stand in {where}")


def _count_plurality(
    uow: UnitOfWork, candidates: Sequence[CandidateTally], seats: int, ties: TieBreak
) -> tuple[list[NewMandate], dict[str, Any]]:
    tallies = {t.member_id: t.votes for t in candidates}
    members = uow.repo.members_by_id(tallies)
    names = candidate_labels(members.values())
    selection = plurality(tallies, seats, ties, names)
    new = [
        NewMandate(uow.repo.next_id(Mandate), mid, members[mid].faction_id)
        for mid in selection.elected
    ]
    rule = f"the {seats} candidate{'s' if seats != 1 else ''} with the most votes; "
    elected = [names[mid] for mid in selection.elected]
    result = {
        "rule": rule + ties.describe(),
        "candidates": [names[mid] for mid in tallies],
        "candidate_ids": {names[mid]: mid for mid in tallies},
        "elected": elected,
        "rounds": [
            _round("votes counted", {names[m]: v for m, v in tallies.items()}, elected, rule)
        ],
        "ties": [tie_record(t, names) for t in selection.ties],
    }
    return new, result


def _round(action: str, tallies: dict[str, int], elected: list[str], note: str) -> dict[str, Any]:
    """A one-round count in the shape of a CountResult's JSON round."""
    return {
        "round": 1,
        "action": action,
        "tallies": tallies,
        "transfers": {},
        "exhausted": 0,
        "lost": 0,
        "elected": elected,
        "excluded": [],
        "quota": None,
        "note": note,
    }


def candidate_labels(members: Iterable[Member]) -> dict[int, str]:
    """Names for a count, with the membership number added where two names are the same."""
    members = list(members)
    seen = Counter(m.name for m in members)
    return {m.id: m.name if seen[m.name] == 1 else f"{m.name} ({m.number})" for m in members}


def _count_lists(
    uow: UnitOfWork,
    lists: Sequence[ListTally],
    seats: int,
    method: ElectionMethod,
    ties: TieBreak,
) -> tuple[list[NewMandate], dict[str, Any]]:
    rule = list_rule(method, seats)
    strengths = {t.faction_id: t.votes or 0 for t in lists}
    factions = {t.faction_id: uow.repo.get(Faction, t.faction_id) for t in lists}
    shares = apportion(rule, strengths, ties, {f: x.name for f, x in factions.items()})
    members = uow.repo.members_by_id(mid for t in lists for mid in t.candidates)
    new: list[NewMandate] = []
    rows: list[dict[str, Any]] = []
    for tally in lists:
        won = shares.seats[tally.faction_id]
        name = factions[tally.faction_id].name
        if won > len(tally.candidates):
            raise RuleViolation(
                f"{name} won {won} seats but its list names {len(tally.candidates)} candidates"
            )
        elected = tally.candidates[:won]
        new.extend(NewMandate(uow.repo.next_id(Mandate), mid, tally.faction_id) for mid in elected)
        rows.append(
            {
                "faction_id": tally.faction_id,
                "name": name,
                "votes": strengths[tally.faction_id],
                "seats": won,
                "elected": [members[mid].name for mid in elected],
            }
        )
    names = candidate_labels(members.values())
    result = {
        "rule": f"{rule.describe()}; {ties.describe()}",
        "lists": rows,
        "candidates": [row["name"] for row in rows],
        "elected": [names[m.member_id] for m in new],
        "rounds": [
            _round(
                "list votes counted",
                {row["name"]: row["votes"] for row in rows},
                [],
                "seats: " + ", ".join(f"{r['name']} {r['seats']}" for r in rows),
            )
        ],
        "ties": [tie_record(t, {f: x.name for f, x in factions.items()}) for t in shares.ties],
    }
    return new, result


def _count_ranked(
    uow: UnitOfWork,
    method: ElectionMethod,
    cast: Cast,
    seats: int,
    base: set[int],
    electorate: int,
    where: str,
    ties: TieBreak,
) -> tuple[list[NewMandate], dict[str, Any]]:
    """Count ranked ballots over the standing candidates with a method of smolny.voting."""
    check_ballots(uow, cast, base, electorate, where)
    members = uow.repo.members_by_id(cast.standing)
    names = candidate_labels(members.values())
    index = {mid: i for i, mid in enumerate(cast.standing)}
    profile = RankedProfile.from_rankings(
        [names[mid] for mid in cast.standing],
        [[index[mid] for mid in b.ranking] for b in cast.ballots],
        [b.count for b in cast.ballots],
    ).grouped()
    try:
        counted = count_profile(method.value, profile, seats, seed=ties.seed)
    except CountError as error:
        if "give a seed" in str(error):
            raise Unresolved(f"{error}: state a tie rule with a seed") from error
        raise RuleViolation(str(error)) from error
    ids = {names[mid]: mid for mid in cast.standing}
    new = [
        NewMandate(uow.repo.next_id(Mandate), ids[name], members[ids[name]].faction_id)
        for name in counted.elected
    ]
    result = counted.to_json()
    result["rule"] = f"{METHOD_NAMES[method]}, {seats} seat{'s' if seats != 1 else ''}"
    result["candidate_ids"] = ids
    result["seed"] = ties.seed
    # The ballots go into the ledger with the result, so anyone can count them again.
    result["ballots"] = [
        [int(n), [cast.standing[int(c)] for c in row if c >= 0]]
        for row, n in zip(profile.ballots, profile.counts, strict=True)
    ]
    return new, result


def check_ballots(uow: UnitOfWork, cast: Cast, base: set[int], electorate: int, where: str) -> None:
    if not cast.standing:
        raise InvalidInput("name the candidates standing", field="standing")
    if len(set(cast.standing)) != len(cast.standing):
        raise InvalidInput("a candidate is named twice", field="standing")
    for mid in cast.standing:
        member = uow.repo.get(Member, mid)
        if mid not in base:
            raise RuleViolation(f"{member.name} is not a member of {where}")
    standing = set(cast.standing)
    for number, ballot in enumerate(cast.ballots, start=1):
        if ballot.count < 1:
            raise InvalidInput(f"ballot {number} has a count below 1", field="ballots")
        if len(set(ballot.ranking)) != len(ballot.ranking):
            raise InvalidInput(f"ballot {number} ranks a candidate twice", field="ballots")
        strangers = [m for m in ballot.ranking if m not in standing]
        if strangers:
            raise InvalidInput(
                f"ballot {number} ranks member {strangers[0]}, who is not standing",
                field="ballots",
            )
    total = sum(b.count for b in cast.ballots)
    if total > electorate:
        raise RuleViolation(f"{total} ballots cast in {where}, which has {electorate} electors")


# -- committees -----------------------------------------------------------------------------


def elect_committee(
    uow: UnitOfWork,
    *,
    committee_id: int,
    seats: int,
    lists: Sequence[ListTally] = (),
    method: ElectionMethod = ElectionMethod.DHONDT,
    standing: Sequence[int] = (),
    ballots: Sequence[RankedBallot] = (),
    ties: TieBreak = TieBreak(),
    actor: str,
    at: datetime | None = None,
) -> Election:
    """The parent council elects the committee: proportionally by faction from lists, or
    by STV (or another ranked method) among standing delegates.

    A list without votes counts with its faction's seats in the council at that moment.
    The new members replace the committee's previous ones.
    """
    with uow:
        uow.lock()
        committee = uow.repo.get(Council, committee_id)
        council = check_committee(uow, committee, seats, method)
        moment = uow.moment(at, council.organization_id)
        election = do_elect_committee(
            uow,
            committee,
            council,
            uow.repo.mandates_at(moment, council_id=council.id),
            seats=seats,
            cast=Cast((), tuple(lists), tuple(standing), tuple(ballots)),
            method=method,
            ties=ties,
            moment=moment,
            actor=actor,
        )
        uow.commit()
    return election


def check_committee(
    uow: UnitOfWork, committee: Council, seats: int, method: ElectionMethod
) -> Council:
    """The council that elects the committee, if the election is well formed."""
    if committee.kind not in ELECTED_BODIES or committee.parent_id is None:
        raise RuleViolation(f"{committee.name} is not a committee or an office")
    if committee.kind is CouncilKind.OFFICE and seats != 1:
        raise InvalidInput(f"{committee.name} is an office: it has one seat", field="seats")
    if seats < 1:
        raise InvalidInput("a committee needs at least one seat", field="seats")
    if method is ElectionMethod.PLURALITY:
        raise InvalidInput(
            "a committee is elected by lists (dhondt, sainte-lague, hare) or by a ranked "
            "method (scottish-stv, meek-stv, ...)",
            field="method",
        )
    return uow.repo.get(Council, committee.parent_id)


def do_elect_committee(
    uow: UnitOfWork,
    committee: Council,
    council: Council,
    delegates: Sequence[Mandate],
    *,
    seats: int,
    cast: Cast,
    method: ElectionMethod,
    ties: TieBreak,
    moment: datetime,
    actor: str,
) -> Election:
    """Count the committee election among `delegates` (the council's seated delegates,
    who vote and may stand) and record it, replacing the committee's members."""
    strength = Counter(m.faction_id for m in delegates)
    counted = tuple(
        ListTally(t.faction_id, t.candidates, strength[t.faction_id]) if t.votes is None else t
        for t in cast.lists
    )
    new, result = count_cast(
        uow,
        method,
        Cast((), counted, cast.standing, cast.ballots),
        seats=seats,
        base={m.member_id for m in delegates},
        electorate=len(delegates),
        where=council.name,
        organization_id=council.organization_id,
        ties=ties,
    )
    election_id = uow.repo.next_id(Election)
    uow.record(
        CommitteeElected(
            election_id=election_id,
            committee_id=committee.id,
            council_id=council.id,
            method=method,
            seats=seats,
            result={"electorate": len(delegates), **result},
            mandates=tuple(new),
            ended_mandate_ids=tuple(
                m.id for m in uow.repo.mandates_at(moment, council_id=committee.id)
            ),
            grant=SeatGrant(uow.repo.next_id(SeatAllocation), None, seats),
            closed_allocation_ids=tuple(a.id for a in uow.repo.open_allocations(committee.id)),
        ),
        at=moment,
        actor=actor,
        organization_id=council.organization_id,
    )
    return uow.repo.get(Election, election_id)


# -- recall and resignation -----------------------------------------------------------------


def recall_delegate(
    uow: UnitOfWork,
    *,
    mandate_id: int,
    votes_for: int,
    votes_against: int,
    abstentions: int = 0,
    actor: str,
    at: datetime | None = None,
) -> RecallVote:
    """Those who elected the delegate vote on the recall; if it carries under their rule
    the mandate ends at once and the seat is vacant until a by-election."""
    with uow:
        uow.lock()
        mandate = uow.repo.get(Mandate, mandate_id)
        council = uow.repo.get(Council, mandate.council_id)
        moment = uow.moment(at, council.organization_id)
        vote = do_recall(
            uow,
            mandate,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            moment=moment,
            actor=actor,
        )
        uow.commit()
    return vote


def do_recall(
    uow: UnitOfWork,
    mandate: Mandate,
    *,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    moment: datetime,
    actor: str,
) -> RecallVote:
    """Check and record a recall vote on a held seat by those who elected its holder."""
    council = uow.repo.get(Council, mandate.council_id)
    holder = uow.repo.get(Member, mandate.member_id)
    check_seat_held(mandate, holder, council, moment)
    if mandate.constituency_id is None:
        raise RuleViolation(
            f"{holder.name} sits on {council.name} by election of its council, which "
            "replaces its members at its next election"
        )
    constituency = uow.repo.get(Constituency, mandate.constituency_id)
    electorate = voters(uow, constituency, moment)
    counts = {"for": votes_for, "against": votes_against, "abstentions": abstentions}
    for what, n in counts.items():
        if n < 0:
            raise InvalidInput(f"votes {what} cannot be negative", field=what)
    if sum(counts.values()) > electorate:
        raise RuleViolation(
            f"{sum(counts.values())} votes in {constituency.name}, which has {electorate} electors"
        )
    rule = constituency.recall_rule
    carried = rule.carried(votes_for, votes_against, electorate)
    recall_id = uow.repo.next_id(RecallVote)
    uow.record(
        RecallVoted(
            recall_id=recall_id,
            mandate_id=mandate.id,
            constituency_id=constituency.id,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            electorate=electorate,
            rule=rule.describe(),
            carried=carried,
            unseated_mandate_ids=committee_seats(uow, council.id, {mandate.member_id}, moment)
            if carried
            else (),
        ),
        at=moment,
        actor=actor,
        organization_id=council.organization_id,
    )
    return uow.repo.get(RecallVote, recall_id)


def resign_mandate(
    uow: UnitOfWork, *, mandate_id: int, actor: str, at: datetime | None = None
) -> Mandate:
    with uow:
        uow.lock()
        mandate = uow.repo.get(Mandate, mandate_id)
        council = uow.repo.get(Council, mandate.council_id)
        moment = uow.moment(at, council.organization_id)
        check_seat_held(mandate, uow.repo.get(Member, mandate.member_id), council, moment)
        uow.record(
            MandateResigned(
                mandate_id, committee_seats(uow, council.id, {mandate.member_id}, moment)
            ),
            at=moment,
            actor=actor,
            organization_id=council.organization_id,
        )
        ended = uow.repo.get(Mandate, mandate_id)
        uow.commit()
    return ended


def committee_seats(
    uow: UnitOfWork, council_id: int, member_ids: set[int], at: datetime
) -> tuple[int, ...]:
    """The committee seats (and their committees' seats, and so on) that these members
    hold by election of the council: they end when the council seat ends."""
    found: list[int] = []
    councils = {council_id}
    while councils and member_ids:
        committees = {c.id for c in uow.repo.councils() if c.parent_id in councils}
        held = [
            m
            for cid in sorted(committees)
            for m in uow.repo.mandates_at(at, council_id=cid)
            if m.member_id in member_ids
        ]
        found.extend(m.id for m in held)
        councils = {m.council_id for m in held}
    return tuple(found)


def check_seat_held(mandate: Mandate, holder: Member, council: Council, at: datetime) -> None:
    if mandate.valid_to is not None and mandate.valid_to <= at:
        # How it ended, in the word the pages use for MandateEnd (words.py).
        how = Text(mandate.end_reason.value if mandate.end_reason else "ended")
        raise RuleViolation(
            say(
                "%(name)s holds no seat in %(council)s: this mandate ended on %(day)s (%(how)s)",
                name=holder.name,
                council=council.name,
                day=Moment(mandate.valid_to, iso=True),
                how=how,
            )
        )
    if mandate.valid_from > at:
        raise RuleViolation(
            say(
                "%(name)s's mandate starts only on %(day)s",
                name=holder.name,
                day=Moment(mandate.valid_from, iso=True),
            )
        )


def find_mandate(uow: UnitOfWork, *, council_id: int, member_id: int, at: datetime) -> Mandate:
    """The seat a member holds in a council at a moment."""
    with uow:
        council = uow.repo.get(Council, council_id)
        member = uow.repo.get(Member, member_id)
        for mandate in uow.repo.mandates_at(at, council_id=council_id):
            if mandate.member_id == member_id:
                return mandate
        raise NotFound(f"{member.name} holds no seat in {council.name}")


def constituency_lists(
    lists: Mapping[int, Sequence[int]], votes: Mapping[int, int]
) -> list[ListTally]:
    """Lists from two mappings (faction -> candidates, faction -> votes)."""
    return [ListTally(fid, tuple(candidates), votes.get(fid)) for fid, candidates in lists.items()]
