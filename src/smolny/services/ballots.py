"""Member ballots: the administrator opens an election, by-election or recall vote in a
constituency for a period; its electors vote online, once each, in secret; closing it
counts the box and records the result through the election and recall services.

The rules are `smolny.domain.ballots` (who opens and closes, what a slip may hold, when a
ballot closes) and `smolny.domain.rights` (who votes). docs/ballots.md tells the whole.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from smolny.domain.apportionment import TieRule
from smolny.domain.ballots import (
    KIND_SAID,
    BallotClosed,
    BallotKind,
    BallotOpened,
    BallotStatus,
    BallotVoter,
    Count,
    Marks,
    MemberBallot,
    MemberVoted,
    RecallChoice,
    check_opening,
    closing_refusal,
    count_slips,
    read_slip,
    runner_refusal,
    slip_text,
)
from smolny.domain.congress import Petition, Signature
from smolny.domain.elections import (
    METHOD_NAMES,
    CandidateTally,
    Election,
    ElectionMethod,
    RankedBallot,
    RecallVote,
)
from smolny.domain.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
)
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    Faction,
    Member,
    Organization,
)
from smolny.domain.mandates import Mandate
from smolny.domain.rights import VERBS, Action, Actor, Decision, Facts, Target, decide
from smolny.domain.seat_rules import TieBreak
from smolny.domain.text import Moment, Text, say
from smolny.services import elections, petitions, rights
from smolny.store import ballots as store
from smolny.store.ballots import RollCallRecord
from smolny.store.congress import (
    member_ids_under,
    open_petition_against,
    petitions_in,
    recall_petition_signatures,
)
from smolny.store.congress import recall_petitions as petitions_table
from smolny.store.tables import mandates as mandates_table
from smolny.store.uow import UnitOfWork

# -- opening ----------------------------------------------------------------------------------


def open_ballot(
    uow: UnitOfWork,
    *,
    kind: BallotKind,
    closes_at: datetime,
    constituency_id: int | None = None,
    method: ElectionMethod | None = None,
    candidate_ids: Sequence[int] = (),
    mandate_id: int | None = None,
    title: str = "",
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> MemberBallot:
    """Open a ballot in a constituency until `closes_at`: an election of its delegates or a
    by-election (the candidates standing, and the method: plurality or a ranked method), or
    a recall vote on one of its delegates (`mandate_id`; a petition against that seat that
    has reached its threshold is the one the vote answers). One ballot at a time per
    constituency. The administrator (or the operator) opens it."""
    kind = BallotKind(kind)
    title = " ".join(title.split())
    with uow:
        uow.lock()
        mandate: Mandate | None = None
        if kind is BallotKind.RECALL:
            if mandate_id is None:
                raise NotFound(
                    say("name the delegate's seat the recall vote is about"), field="mandate"
                )
            mandate = uow.repo.get(Mandate, mandate_id)
            if mandate.constituency_id is None:
                holder = uow.repo.get(Member, mandate.member_id)
                raise RuleViolation(
                    say(
                        "%(name)s sits by election of a council, not of a constituency: members "
                        "recall only the delegates of their constituency",
                        name=holder.name,
                    )
                )
            if constituency_id not in (None, mandate.constituency_id):
                raise RuleViolation(
                    say("mandate %(id)s is a seat of another constituency", id=str(mandate.id)),
                    field="mandate",
                )
            constituency_id = mandate.constituency_id
        elif mandate_id is not None:
            raise RuleViolation(
                say("an %(kind)s is about no one seat: name no mandate", kind=KIND_SAID[kind]),
                field="mandate",
            )
        if constituency_id is None:
            raise NotFound(say("name the constituency"), field="constituency")
        constituency = uow.repo.get(Constituency, constituency_id)
        council = uow.repo.get(Council, constituency.council_id)
        organization = uow.repo.get(Organization, council.organization_id)
        check_runner(uow, acting, organization)
        moment = uow.moment(at, organization.id)
        pending = store.unclosed_in(uow.repo, constituency.id)
        if pending is not None:
            raise AlreadyExists(
                say(
                    "ballot %(id)s (%(title)s) of %(constituency)s is not closed yet: one ballot "
                    "at a time in a constituency",
                    id=str(pending.id),
                    title=pending.title,
                    constituency=constituency.name,
                )
            )
        seats, petition_id = 0, None
        candidates = tuple(candidate_ids)
        if mandate is not None:
            holder = uow.repo.get(Member, mandate.member_id)
            elections.check_seat_held(mandate, holder, council, moment)
            petition = open_petition_against(uow.repo, mandate.id)
            if petition is not None and petition.reached_at is not None:
                petition_id = petition.id
            title = title or f"Recall of {holder.name} ({constituency.name})"
        else:
            seats = _seats_to_fill(uow, kind, constituency, council, moment)
            _check_candidates(uow, constituency, organization, candidates)
            words = "Election" if kind is BallotKind.ELECTION else "By-election"
            title = title or (
                f"{words} of {seats} delegate{'s' if seats != 1 else ''} of "
                f"{constituency.name} to {council.name}"
            )
        check_opening(kind, method, seats, candidates, moment, closes_at)
        ballot_id = uow.repo.next_id(MemberBallot)
        uow.record(
            BallotOpened(
                ballot_id=ballot_id,
                organization_id=organization.id,
                council_id=council.id,
                constituency_id=constituency.id,
                ballot_kind=kind,
                title=title[:200],
                method=method if kind is not BallotKind.RECALL else None,
                seats=seats,
                candidate_ids=candidates,
                mandate_id=mandate.id if mandate else None,
                petition_id=petition_id,
                closes_at=closes_at,
            ),
            at=moment,
            actor=actor,
            organization_id=organization.id,
        )
        ballot = uow.repo.get(MemberBallot, ballot_id)
        uow.commit()
    return ballot


def check_runner(uow: UnitOfWork, acting: Actor | None, organization: Organization) -> None:
    """Forbidden unless the operator (`acting` None) or an administrator of the
    organization opens or closes the ballot."""
    if acting is None:
        return
    who: str | Text = (
        uow.repo.get(Member, acting.member_id).name
        if acting.member_id is not None
        else say("this account")
    )
    refusal = runner_refusal(
        who, acting.administrator, acting.organization_id == organization.id, organization.name
    )
    if refusal is not None:
        raise Forbidden(refusal)


def _seats_to_fill(
    uow: UnitOfWork, kind: BallotKind, constituency: Constituency, council: Council, at: datetime
) -> int:
    seats = sum(
        a.seats
        for a in uow.repo.allocations_at(council.id, at)
        if a.constituency_id == constituency.id
    )
    if seats == 0:
        raise RuleViolation(
            say(
                "%(constituency)s has no seats in %(council)s: apportion its seats first",
                constituency=constituency.name,
                council=council.name,
            )
        )
    if kind is BallotKind.BY_ELECTION:
        seats -= len(uow.repo.mandates_at(at, constituency_id=constituency.id))
        if seats <= 0:
            raise RuleViolation(
                say("%(constituency)s has no vacant seat to fill", constituency=constituency.name)
            )
    return seats


def standing_base(uow: UnitOfWork, constituency: Constituency) -> set[int]:
    """Who may stand: the constituency's members (a lower council's: its base's members)."""
    if constituency.kind is ConstituencyKind.COUNCIL and constituency.lower_council_id:
        return member_ids_under(uow.repo, constituency.lower_council_id)
    return uow.repo.member_ids_in([constituency.id])


def _check_candidates(
    uow: UnitOfWork,
    constituency: Constituency,
    organization: Organization,
    candidates: Sequence[int],
) -> None:
    base = standing_base(uow, constituency)
    for member_id in candidates:
        member = uow.repo.get(Member, member_id)
        if member.organization_id != organization.id:
            raise RuleViolation(say("%(name)s belongs to another organization", name=member.name))
        if member_id not in base:
            raise RuleViolation(
                say(
                    "%(name)s is not a member of %(constituency)s: only its members stand",
                    name=member.name,
                    constituency=constituency.name,
                )
            )


# -- voting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What voting answers: that the member voted, and how far the ballot has got. Never
    what they chose."""

    ballot_id: int
    member_id: int
    voted: int
    electors: int


def voting_action(ballot: MemberBallot) -> Action:
    return Action.VOTE_IN_RECALL if ballot.kind is BallotKind.RECALL else Action.VOTE_IN_ELECTION


def cast_ballot(
    uow: UnitOfWork,
    *,
    ballot_id: int,
    member_id: int,
    marks: Marks,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Receipt:
    """An elector votes, once, while the ballot is open. The ledger and
    `member_ballot_voters` record that they voted; the slip goes into the ballot's box,
    apart, in the same transaction: both, or neither.

    Once: the database holds one voter row per ballot and member (a unique constraint), so
    of two votes sent at once by the same member one is refused, whatever the timing."""
    with uow:
        uow.lock()
        ballot = uow.repo.get(MemberBallot, ballot_id)
        member = uow.repo.get(Member, member_id)
        action = voting_action(ballot)
        if acting is not None:
            rights.require_self(uow, acting, VERBS[action], [member_id])
        moment = uow.moment(at, ballot.organization_id)
        status = ballot.status_at(moment)
        if moment < ballot.opened_at or status is not BallotStatus.OPEN:
            raise RuleViolation(_not_open(ballot, moment))
        target = rights.constituency_target(uow, ballot.constituency_id)
        rights.check(
            uow, Actor(ballot.organization_id, member_id=member.id), action, target, moment
        )
        earlier = store.voted(uow.repo, ballot.id, member.id)
        if earlier is not None:
            raise AlreadyExists(
                say(
                    "%(name)s has already voted in ballot %(id)s (at %(moment)s UTC): one vote "
                    "each",
                    name=member.name,
                    id=str(ballot.id),
                    moment=Moment(earlier.voted_at),
                )
            )
        slip = slip_text(ballot, marks)
        try:
            uow.record(
                MemberVoted(uow.repo.next_id(BallotVoter), ballot.id, member.id),
                at=moment,
                actor=actor,
                organization_id=ballot.organization_id,
            )
        except IntegrityError:
            raise AlreadyExists(
                say(
                    "%(name)s has already voted in ballot %(id)s: one vote each",
                    name=member.name,
                    id=str(ballot.id),
                )
            ) from None
        store.put_slip(uow.connection, ballot.id, slip)
        constituency = uow.repo.get(Constituency, ballot.constituency_id)
        receipt = Receipt(
            ballot.id,
            member.id,
            store.voter_counts(uow.repo, [ballot.id])[ballot.id],
            elections.voters(uow, constituency, moment),
        )
        uow.commit()
    return receipt


def _not_open(ballot: MemberBallot, at: datetime) -> Text:
    if at < ballot.opened_at:
        return say(
            "ballot %(id)s opens only on %(moment)s UTC",
            id=str(ballot.id),
            moment=Moment(ballot.opened_at),
        )
    if ballot.closed_at is not None:
        return say(
            "ballot %(id)s was closed on %(moment)s UTC",
            id=str(ballot.id),
            moment=Moment(ballot.closed_at),
        )
    return say(
        "the period of ballot %(id)s ended on %(moment)s UTC: it takes no more votes",
        id=str(ballot.id),
        moment=Moment(ballot.closes_at),
    )


# -- closing ----------------------------------------------------------------------------------


def close_ballot(
    uow: UnitOfWork,
    *,
    ballot_id: int,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
    seed: int | None = None,
) -> MemberBallot:
    """Count the box and record the result through the existing services: the election
    (`elect_delegates`, `hold_by_election`) or the recall (`hold_recall_vote` when a
    petition called for it, else `recall_delegate`). A ballot closes when its period is
    over, or earlier once every elector has voted. A tie between candidates goes to lot,
    with a seed drawn now (or `seed`) and recorded with the result."""
    with uow:
        uow.lock()
        ballot = uow.repo.get(MemberBallot, ballot_id)
        organization = uow.repo.get(Organization, ballot.organization_id)
        check_runner(uow, acting, organization)
        moment = uow.moment(at, organization.id)
        constituency = uow.repo.get(Constituency, ballot.constituency_id)
        voted = store.voter_counts(uow.repo, [ballot.id])[ballot.id]
        electors = elections.voters(uow, constituency, moment)
        refusal = closing_refusal(ballot, moment, voted, electors)
        if refusal is not None:
            raise RuleViolation(refusal)
        texts = store.slips(uow.connection, ballot.id)
        if len(texts) != voted:
            raise RuleViolation(
                say(
                    "the box of ballot %(id)s holds %(slips)s slips but %(voted)s members voted: "
                    "it has been changed outside Smolny, and it cannot be counted",
                    id=str(ballot.id),
                    slips=len(texts),
                    voted=voted,
                )
            )
        count = count_slips(ballot, texts)
        ties = TieBreak(
            rules=(TieRule.LOT,), seed=secrets.randbelow(2**31) if seed is None else seed
        )
        election_id = recall_id = None
        note = ""
        if ballot.kind is BallotKind.RECALL:
            recall_id, note = _record_recall(uow, ballot, count, moment, actor)
        else:
            election_id, note = _record_election(uow, ballot, count, ties, moment, actor)
        uow.record(
            BallotClosed(ballot.id, count.slips, count.blank, election_id, recall_id, note),
            at=moment,
            actor=actor,
            organization_id=organization.id,
        )
        closed = uow.repo.get(MemberBallot, ballot.id)
        uow.commit()
    return closed


def _record_election(
    uow: UnitOfWork,
    ballot: MemberBallot,
    count: Count,
    ties: TieBreak,
    moment: datetime,
    actor: str,
) -> tuple[int | None, str]:
    assert ballot.method is not None
    common: dict[str, Any] = {
        "constituency_id": ballot.constituency_id,
        "ties": ties,
        "actor": actor,
        "at": moment,
    }
    if ballot.ranked:
        if not count.rankings:
            return None, "no slip ranked a candidate: no one was elected"
        common.update(
            standing=ballot.candidate_ids,
            ballots=[RankedBallot(ranking, n) for ranking, n in count.rankings],
        )
    else:
        # A candidate no one marked is not elected, not even by lot: a seat left over stays
        # vacant for a by-election.
        marked = [CandidateTally(c, n) for c, n in count.tallies if n > 0]
        if not marked:
            return None, "no slip marked a candidate: no one was elected"
        common.update(candidates=marked)
    if ballot.kind is BallotKind.ELECTION:
        election = elections.elect_delegates(uow, method=ballot.method, **common)
    else:
        election = elections.hold_by_election(uow, method=ballot.method, **common)
    return election.id, ""


def _record_recall(
    uow: UnitOfWork, ballot: MemberBallot, count: Count, moment: datetime, actor: str
) -> tuple[int | None, str]:
    assert ballot.mandate_id is not None
    mandate = uow.repo.get(Mandate, ballot.mandate_id)
    if not mandate.active_at(moment):
        holder = uow.repo.get(Member, mandate.member_id)
        how = mandate.end_reason.value if mandate.end_reason else "ended"
        ended = f"{mandate.valid_to:%Y-%m-%d}" if mandate.valid_to else "before the close"
        return None, (
            f"{holder.name}'s mandate ended on {ended} ({how}) before the close: the recall "
            "vote lapsed"
        )
    votes_for, votes_against, abstentions = count.recall
    petition = (
        uow.repo.get(Petition, ballot.petition_id) if ballot.petition_id is not None else None
    )
    if petition is not None and petition.voted_at is None:
        vote = petitions.hold_recall_vote(
            uow,
            petition_id=petition.id,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            actor=actor,
            at=moment,
        )
    else:
        vote = elections.recall_delegate(
            uow,
            mandate_id=mandate.id,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            actor=actor,
            at=moment,
        )
    return vote.id, ""


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotView:
    """A ballot as a page shows it: while open, how many of the electors have voted and
    never a count; once closed, the result recorded."""

    ballot: MemberBallot
    at: datetime
    status: BallotStatus
    organization: Organization
    council: Council
    constituency: Constituency
    candidates: list[Member]  # in the ballot paper's order
    factions: dict[int, Faction]
    delegate: Member | None  # a recall: the delegate it is about
    mandate: Mandate | None
    petition: Petition | None
    voted: int
    electors: int
    election: Election | None
    recall: RecallVote | None
    tallies: list[tuple[Member, int]]  # a closed plurality election: every candidate's votes
    elected: list[Member]
    mine: BallotVoter | None = None  # the viewer's vote (that they voted: never what)
    decision: Decision | None = None  # whether the viewer may vote in it, and why

    @property
    def method_name(self) -> str:
        return METHOD_NAMES[self.ballot.method] if self.ballot.method else ""

    @property
    def may_vote(self) -> bool:
        return (
            self.status is BallotStatus.OPEN
            and self.mine is None
            and self.decision is not None
            and self.decision.allowed
        )


def ballot_view(
    uow: UnitOfWork, ballot_id: int, *, viewer: Actor | None = None, at: datetime | None = None
) -> BallotView:
    with uow:
        repo = uow.repo
        ballot = repo.get(MemberBallot, ballot_id)
        moment = at or uow.now()
        if moment < ballot.opened_at:
            raise NotFound(
                say(
                    "ballot %(id)s was opened only on %(day)s",
                    id=str(ballot.id),
                    day=ballot.opened_at,
                )
            )
        constituency = repo.get(Constituency, ballot.constituency_id)
        council = repo.get(Council, ballot.council_id)
        status = ballot.status_at(moment)
        members = repo.members_by_id(ballot.candidate_ids)
        mandate = repo.get(Mandate, ballot.mandate_id) if ballot.mandate_id else None
        delegate = repo.get(Member, mandate.member_id) if mandate else None
        closed = status is BallotStatus.CLOSED
        election = repo.get(Election, ballot.election_id) if closed and ballot.election_id else None
        recall = (
            repo.get(RecallVote, ballot.recall_vote_id)
            if closed and ballot.recall_vote_id
            else None
        )
        tallies, elected = _outcome(ballot, election, members)
        mine = decision = None
        if viewer is not None and viewer.organization_id == ballot.organization_id:
            if viewer.member_id is not None:
                mine = store.voted(repo, ballot.id, viewer.member_id)
            facts = rights.load_facts(uow, viewer, moment)
            target = Target(ballot.organization_id, constituency.name, constituency=constituency)
            decision = decide(facts, voting_action(ballot), target, moment)
        return BallotView(
            ballot=ballot,
            at=moment,
            status=status,
            organization=repo.get(Organization, ballot.organization_id),
            council=council,
            constituency=constituency,
            candidates=[members[c] for c in ballot.candidate_ids],
            factions={f.id: f for f in repo.factions(ballot.organization_id)},
            delegate=delegate,
            mandate=mandate,
            petition=repo.get(Petition, ballot.petition_id) if ballot.petition_id else None,
            voted=_voted_by(uow, ballot, moment),
            electors=elections.voters(uow, constituency, min(moment, ballot.closed_at or moment)),
            election=election,
            recall=recall,
            tallies=tallies,
            elected=elected,
            mine=mine,
            decision=decision,
        )


def _voted_by(uow: UnitOfWork, ballot: MemberBallot, at: datetime) -> int:
    return sum(1 for v in store.voters_of(uow.repo, [ballot.id]) if v.voted_at <= at)


def _outcome(
    ballot: MemberBallot, election: Election | None, members: dict[int, Member]
) -> tuple[list[tuple[Member, int]], list[Member]]:
    """A closed election's votes per candidate (plurality: from the count recorded, the
    unmarked at 0) and who was elected."""
    if election is None:
        return [], []
    result = election.result
    ids: dict[str, int] = {str(k): int(v) for k, v in result.get("candidate_ids", {}).items()}
    elected = [members[ids[name]] for name in result.get("elected", []) if ids.get(name) in members]
    if ballot.ranked:
        return [], elected
    rounds = result.get("rounds") or [{}]
    votes = {ids[name]: int(n) for name, n in rounds[0].get("tallies", {}).items() if name in ids}
    tallies = [(members[c], votes.get(c, 0)) for c in ballot.candidate_ids]
    tallies.sort(key=lambda pair: -pair[1])
    return tallies, elected


# -- a member's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A constituency the member votes in, and the council it sends delegates to."""

    constituency: Constituency
    council: Council
    since: datetime | None  # None: as a delegate of a lower council


@dataclass(frozen=True)
class DelegateLine:
    """One of the member's delegates: the seat, how they voted in roll-calls lately, and the
    petition and recall vote against them, if any."""

    mandate: Mandate
    delegate: Member
    council: Council
    constituency: Constituency
    faction: Faction | None
    roll_calls: list[RollCallRecord]
    petition: Petition | None  # the petition against the seat not yet voted on
    signed: bool  # the member has signed it
    recall: MemberBallot | None  # the recall ballot about the seat, not closed
    may_sign: Decision


@dataclass(frozen=True)
class BallotLine:
    ballot: MemberBallot
    constituency: Constituency
    status: BallotStatus
    voted: int
    electors: int
    mine: bool  # the member has voted in it
    decision: Decision | None


@dataclass(frozen=True)
class MembershipView:
    at: datetime
    organization: Organization
    member: Member | None
    faction: Faction | None
    places: list[Place]
    delegates: list[DelegateLine]
    open_ballots: list[BallotLine]
    past_ballots: list[BallotLine]  # closed or waiting to be counted, newest first


def membership_view(uow: UnitOfWork, actor: Actor, at: datetime | None = None) -> MembershipView:
    """What a signed-in member's page shows: their constituencies, their delegates (with
    their latest roll-calls and any petition against them), the ballots they may vote in."""
    with uow:
        repo = uow.repo
        moment = at or uow.now()
        organization = repo.get(Organization, actor.organization_id)
        facts = rights.load_facts(uow, actor, moment)
        member = facts.member
        if member is None:
            return MembershipView(moment, organization, None, None, [], [], [], [])
        councils = facts.councils
        since = {m.constituency_id: m.since for m in facts.memberships}
        places = [
            Place(c, councils[c.council_id], since.get(c.id))
            for c in sorted(facts.constituencies.values(), key=lambda c: (c.name, c.id))
            if c.council_id in councils
        ]
        place_ids = [p.constituency.id for p in places]
        delegates = _delegates(uow, facts, places, moment)
        found = [b for b in store.ballots_in(repo, place_ids) if b.opened_at <= moment]
        counts = store.voter_counts(repo, [b.id for b in found])
        mine = store.voted_in(repo, member.id, [b.id for b in found])
        electors = repo.electorates(place_ids)
        lines = []
        for b in sorted(found, key=lambda b: (b.opened_at, b.id), reverse=True):
            constituency = facts.constituencies[b.constituency_id]
            target = Target(organization.id, constituency.name, constituency=constituency)
            status = b.status_at(moment)
            lines.append(
                BallotLine(
                    ballot=b,
                    constituency=constituency,
                    status=status,
                    voted=counts[b.id],
                    electors=_electors(uow, constituency, electors, moment),
                    mine=b.id in mine,
                    decision=decide(facts, voting_action(b), target, moment)
                    if status is BallotStatus.OPEN
                    else None,
                )
            )
        return MembershipView(
            at=moment,
            organization=organization,
            member=member,
            faction=repo.get(Faction, member.faction_id) if member.faction_id else None,
            places=places,
            delegates=delegates,
            open_ballots=[x for x in lines if x.status is BallotStatus.OPEN],
            past_ballots=[x for x in lines if x.status is not BallotStatus.OPEN][:10],
        )


def _electors(
    uow: UnitOfWork, constituency: Constituency, known: dict[int, int], at: datetime
) -> int:
    if constituency.lower_council_id is not None:
        return elections.voters(uow, constituency, at)
    return known.get(constituency.id, 0)


def _delegates(
    uow: UnitOfWork, facts: Facts, places: list[Place], at: datetime
) -> list[DelegateLine]:
    repo = uow.repo
    by_id = {p.constituency.id: p for p in places}
    if not by_id:
        return []
    seats = repo.where(
        Mandate,
        mandates_table.c.constituency_id.in_(sorted(by_id)),
        mandates_table.c.valid_from <= at,
        (mandates_table.c.valid_to.is_(None)) | (mandates_table.c.valid_to > at),
    )
    holders = repo.members_by_id(m.member_id for m in seats)
    factions = {f.id: f for f in repo.factions(facts.organization_id)}
    records = store.roll_calls_of(repo, holders, limit=5)
    open_petitions = {
        p.mandate_id: p
        for p in petitions_in(repo, by_id)
        if p.voted_at is None and p.opened_at <= at
    }
    signed = _signed(uow, facts, [p.id for p in open_petitions.values()])
    recalls = {
        b.mandate_id: b
        for b in store.ballots_in(repo, by_id)
        if b.kind is BallotKind.RECALL and b.closed_at is None
    }
    lines = []
    for mandate in sorted(seats, key=lambda m: (holders[m.member_id].name, m.id)):
        place = by_id[mandate.constituency_id or 0]
        target = Target(
            facts.organization_id, place.constituency.name, constituency=place.constituency
        )
        petition = open_petitions.get(mandate.id)
        lines.append(
            DelegateLine(
                mandate=mandate,
                delegate=holders[mandate.member_id],
                council=place.council,
                constituency=place.constituency,
                faction=factions.get(mandate.faction_id) if mandate.faction_id else None,
                roll_calls=[r for r in records if r.member_id == mandate.member_id],
                petition=petition,
                signed=petition is not None and petition.id in signed,
                recall=recalls.get(mandate.id),
                may_sign=decide(facts, Action.SIGN_RECALL_PETITION, target, at),
            )
        )
    return lines


def _signed(uow: UnitOfWork, facts: Facts, petition_ids: Sequence[int]) -> set[int]:
    if not petition_ids or facts.member is None:
        return set()
    return {
        s.petition_id
        for s in uow.repo.where(
            Signature,
            recall_petition_signatures.c.member_id == facts.member.id,
            recall_petition_signatures.c.petition_id.in_(sorted(petition_ids)),
        )
    }


@dataclass(frozen=True)
class DelegateRecord:
    """A delegate's seat and every roll-call they voted in, newest first."""

    mandate: Mandate
    delegate: Member
    council: Council
    constituency: Constituency | None
    faction: Faction | None
    roll_calls: list[RollCallRecord]


def delegate_record(uow: UnitOfWork, mandate_id: int) -> DelegateRecord:
    with uow:
        repo = uow.repo
        mandate = repo.get(Mandate, mandate_id)
        return DelegateRecord(
            mandate=mandate,
            delegate=repo.get(Member, mandate.member_id),
            council=repo.get(Council, mandate.council_id),
            constituency=repo.get(Constituency, mandate.constituency_id)
            if mandate.constituency_id
            else None,
            faction=repo.get(Faction, mandate.faction_id) if mandate.faction_id else None,
            roll_calls=[
                r
                for r in store.roll_calls_of(repo, [mandate.member_id])
                if r.cast_at >= mandate.valid_from
            ],
        )


# -- the administrator's pages ----------------------------------------------------------------


@dataclass(frozen=True)
class AdminLine:
    ballot: MemberBallot
    constituency: Constituency
    council: Council
    status: BallotStatus
    voted: int
    electors: int


@dataclass(frozen=True)
class AwaitingRecall:
    """A petition whose signatures reached the threshold, with no recall vote yet."""

    petition: Petition
    mandate: Mandate
    delegate: Member
    constituency: Constituency


@dataclass(frozen=True)
class BallotsOverview:
    organization: Organization
    at: datetime
    ballots: list[AdminLine]  # newest first
    places: list[tuple[Council, Constituency]]
    awaiting: list[AwaitingRecall]


def ballots_overview(
    uow: UnitOfWork, organization_id: int, at: datetime | None = None
) -> BallotsOverview:
    """The organization's member ballots, its constituencies (to open one in), and the
    petitions that reached their threshold and wait for a recall vote."""
    with uow:
        repo = uow.repo
        moment = at or uow.now()
        organization = repo.get(Organization, organization_id)
        councils = {c.id: c for c in repo.councils(organization_id)}
        places = [
            (councils[cid], c)
            for cid in sorted(councils, key=lambda i: councils[i].name)
            for c in sorted(repo.constituencies(cid), key=lambda c: c.name)
        ]
        constituencies = {c.id: c for _, c in places}
        found = sorted(
            store.ballots_of(repo, organization_id), key=lambda b: (b.opened_at, b.id), reverse=True
        )
        counts = store.voter_counts(repo, [b.id for b in found])
        electors = repo.electorates(sorted(constituencies))
        lines = [
            AdminLine(
                b,
                constituencies[b.constituency_id],
                councils[b.council_id],
                b.status_at(moment),
                counts[b.id],
                _electors(uow, constituencies[b.constituency_id], electors, moment),
            )
            for b in found
        ]
        recalling = {b.petition_id for b in found if b.petition_id is not None}
        reached = [
            p
            for p in repo.where(
                Petition,
                petitions_table.c.constituency_id.in_(sorted(constituencies) or [0]),
                petitions_table.c.voted_at.is_(None),
                petitions_table.c.reached_at.is_not(None),
            )
            if p.id not in recalling
        ]
        seats = {
            m.id: m
            for m in repo.where(
                Mandate, mandates_table.c.id.in_([p.mandate_id for p in reached] or [0])
            )
        }
        holders = repo.members_by_id(m.member_id for m in seats.values())
        awaiting = [
            AwaitingRecall(
                p,
                seats[p.mandate_id],
                holders[seats[p.mandate_id].member_id],
                constituencies[p.constituency_id],
            )
            for p in reached
            if seats[p.mandate_id].active_at(moment)
        ]
        return BallotsOverview(organization, moment, lines, places, awaiting)


@dataclass(frozen=True)
class OpeningChoices:
    """What the administrator chooses from to open a ballot in a constituency."""

    constituency: Constituency
    council: Council
    organization: Organization
    seats: int  # the constituency's seats now
    vacant: int
    members: list[Member]  # who may stand
    delegates: list[tuple[Mandate, Member, Petition | None]]  # seats now, and a petition
    pending: MemberBallot | None  # a ballot not closed yet (then no other opens)
    electors: int


def opening_choices(
    uow: UnitOfWork, constituency_id: int, at: datetime | None = None
) -> OpeningChoices:
    with uow:
        repo = uow.repo
        moment = at or uow.now()
        constituency = repo.get(Constituency, constituency_id)
        council = repo.get(Council, constituency.council_id)
        seats = sum(
            a.seats
            for a in repo.allocations_at(council.id, moment)
            if a.constituency_id == constituency.id
        )
        held = repo.mandates_at(moment, constituency_id=constituency.id)
        base = repo.members_by_id(standing_base(uow, constituency))
        holders = repo.members_by_id(m.member_id for m in held)
        return OpeningChoices(
            constituency=constituency,
            council=council,
            organization=repo.get(Organization, council.organization_id),
            seats=seats,
            vacant=max(seats - len(held), 0),
            members=sorted(base.values(), key=lambda m: (m.name, m.number)),
            delegates=[
                (m, holders[m.member_id], open_petition_against(repo, m.id))
                for m in sorted(held, key=lambda m: holders[m.member_id].name)
            ],
            pending=store.unclosed_in(repo, constituency.id),
            electors=elections.voters(uow, constituency, moment),
        )


# -- verify -----------------------------------------------------------------------------------


def ballot_box_problems(
    uow: UnitOfWork,
    ballots: Sequence[MemberBallot],
    voters: Sequence[BallotVoter],
    results: Mapping[int, Election],
    recalls: Mapping[int, RecallVote],
    constituencies: Mapping[int, Constituency],
) -> list[str]:
    """Recount the member ballots' boxes against the record (as the ledger has it): every
    box holds one slip per member on the ballot's roll of voters, each slip one that voting
    would have written; and a closed ballot's slips, counted again, give what its close
    recorded: the slips and blank ones, then the votes per candidate (plurality) or the
    ranked ballots (ranked methods) of the election it recorded, or the recall vote's
    totals. An open ballot's box is counted, never read. For `smolny verify`, which
    rebuilds the ballots, voters, elections, recall votes and constituencies from the
    ledger; `verify_boxes` passes the tables."""
    voted = Counter(v.ballot_id for v in voters)
    known = {b.id: b for b in ballots}
    found = store.boxes(uow.connection)
    problems = [
        f"member ballot {bid}'s box holds {_slips(found[bid])} but no such ballot was opened"
        for bid in sorted(found)
        if bid not in known
    ]
    texts = store.slips_of(
        uow.connection,
        [b.id for b in ballots if b.closed_at is not None and found.get(b.id, 0) == voted[b.id]],
    )
    for ballot in sorted(ballots, key=lambda b: b.id):
        constituency = constituencies.get(ballot.constituency_id)
        where = f"member ballot {ballot.id} in " + (
            constituency.name if constituency else f"constituency {ballot.constituency_id}"
        )
        if found.get(ballot.id, 0) != voted[ballot.id]:
            problems.append(
                f"{where}: its box holds {_slips(found.get(ballot.id, 0))} but "
                f"{_members(voted[ballot.id])} voted in it"
            )
        elif ballot.closed_at is not None:
            problem = _recount(uow, ballot, texts[ballot.id], results, recalls)
            if problem is not None:
                problems.append(f"{where}: {problem}")
    return problems


def _slips(n: int) -> str:
    return f"{n} slip" if n == 1 else f"{n} slips"


def _members(n: int) -> str:
    return f"{n} member" if n == 1 else f"{n} members"


def _recount(
    uow: UnitOfWork,
    ballot: MemberBallot,
    texts: Sequence[str],
    results: Mapping[int, Election],
    recalls: Mapping[int, RecallVote],
) -> str | None:
    """What differs between a closed ballot's box counted again and its record, if anything:
    the result it recorded first (the election's votes, the recall's totals: what a user
    reads), then the slips and blank ones its close recorded."""
    for text in texts:
        problem = _slip_problem(ballot, text)
        if problem is not None:
            return f"its box holds a slip {text!r} that voting would not have written ({problem})"
    count = count_slips(ballot, texts)
    problem = _result_differs(uow, ballot, count, results, recalls)
    if problem is None and (count.slips, count.blank) != (ballot.slips, ballot.blank):
        problem = (
            f"counting its box again gives {_slips(count.slips)} ({count.blank} blank), not "
            f"the recorded {ballot.slips} ({ballot.blank} blank)"
        )
    return problem


def _result_differs(
    uow: UnitOfWork,
    ballot: MemberBallot,
    count: Count,
    results: Mapping[int, Election],
    recalls: Mapping[int, RecallVote],
) -> str | None:
    if ballot.kind is BallotKind.RECALL:
        if ballot.recall_vote_id is None:
            return None  # the seat had ended before the close: no vote was recorded
        recall = recalls.get(ballot.recall_vote_id)
        if recall is None:
            return f"its close names recall vote {ballot.recall_vote_id}, which was not recorded"
        recorded = (recall.votes_for, recall.votes_against, recall.abstentions)
        if count.recall == recorded:
            return None
        totals = "{} for, {} against, {} abstaining"
        return (
            f"counting its box again gives {totals.format(*count.recall)}, not the "
            f"{totals.format(*recorded)} of recall vote {recall.id}"
        )
    if ballot.election_id is None:
        if count.rankings or any(n for _, n in count.tallies):
            return "counting its box again marks candidates, but its close elected no one"
        return None
    election = results.get(ballot.election_id)
    if election is None:
        return f"its close names election {ballot.election_id}, which was not recorded"
    return _election_differs(uow, ballot, count, election)


def _slip_problem(ballot: MemberBallot, text: str) -> str | None:
    """Why a slip as stored is not one `slip_text` writes for this ballot (read back and
    written again, it must be the same text), or None."""
    try:
        read = read_slip(ballot, text)
        marks = (
            Marks(recall=read)
            if isinstance(read, RecallChoice)
            else Marks(ranking=read)
            if ballot.ranked
            else Marks(picks=read)
        )
        again = slip_text(ballot, marks)
    except (InvalidInput, ValueError) as error:
        return str(error)
    return None if again == text else f"it would be {again!r}"


def _election_differs(
    uow: UnitOfWork, ballot: MemberBallot, count: Count, election: Election
) -> str | None:
    """The first candidate (plurality) or ranking (ranked) whose votes counted again are not
    the ones the election recorded."""
    result = election.result
    ids = {str(name): int(mid) for name, mid in result.get("candidate_ids", {}).items()}
    of_election = f"election {election.id}"
    if ballot.ranked:
        again = dict(count.rankings)
        recorded: dict[tuple[int, ...], int] = {}
        for n, ranking in result.get("ballots", []):
            key = tuple(int(m) for m in ranking)
            recorded[key] = recorded.get(key, 0) + int(n)
        differ = [r for r in again.keys() | recorded.keys() if again.get(r) != recorded.get(r)]
        if not differ:
            return None
        ranking = min(differ)
        names = _names(uow, ids, ranking)
        return (
            f"counting its box again gives {again.get(ranking, 0)} ballots ranking "
            + " > ".join(names[m] for m in ranking)
            + f", not the {recorded.get(ranking, 0)} recorded by {of_election}"
        )
    rounds = result.get("rounds") or [{}]
    tallies: dict[str, int] = rounds[0].get("tallies", {})
    unnamed = sorted(name for name in tallies if name not in ids)
    if unnamed:
        return f"{of_election} recorded votes for {unnamed[0]!r}, whom it names no member for"
    votes = {ids[name]: int(n) for name, n in tallies.items()}
    tallied = {c: n for c, n in count.tallies if n > 0}
    order = {c: i for i, c in enumerate(ballot.candidate_ids)}
    changed = sorted(
        (c for c in tallied.keys() | votes.keys() if tallied.get(c) != votes.get(c)),
        key=lambda c: (order.get(c, len(order)), c),
    )
    if not changed:
        return None
    candidate = changed[0]
    name = _names(uow, ids, (candidate,))[candidate]
    return (
        f"counting its box again gives {name} {tallied.get(candidate, 0)} votes, not the "
        f"{votes.get(candidate, 0)} recorded by {of_election}"
    )


def _names(uow: UnitOfWork, ids: Mapping[str, int], wanted: Sequence[int]) -> dict[int, str]:
    """Candidates' names as the count recorded them; the members table for a candidate it
    does not name (one the box gives votes the count did not)."""
    names = {mid: name for name, mid in ids.items()}
    missing = [m for m in wanted if m not in names]
    if missing:
        names.update({m.id: m.name for m in uow.repo.members_by_id(missing).values()})
    return {m: names.get(m, f"member {m}") for m in wanted}


def verify_boxes(uow: UnitOfWork) -> list[str]:
    """`ballot_box_problems` against the tables (the projections, as they stand)."""
    with uow:
        return ballot_box_problems(
            uow,
            uow.repo.all(MemberBallot),
            uow.repo.all(BallotVoter),
            {e.id: e for e in uow.repo.all(Election)},
            {r.id: r for r in uow.repo.all(RecallVote)},
            {c.id: c for c in uow.repo.all(Constituency)},
        )
