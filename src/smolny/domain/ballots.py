"""Member ballots: a constituency's election, by-election or recall vote, cast online by
its members in secret over a period, and counted when it closes.

Who may do what (docs/ballots.md):

* The organization's **administrator** opens a ballot for a constituency (naming the
  candidates, or the delegate a recall is about) and closes it; they cast no ballot for
  anyone. The operator (the CLI, the API's token) may do the same.
* The constituency's **electors** vote, once each, while the ballot is open: its members
  (`Action.VOTE_IN_ELECTION` / `Action.VOTE_IN_RECALL` of smolny.domain.rights), or for a
  lower council's seat at a congress its sitting delegates.

Who voted is recorded apart from what was voted. The ledger's `member-ballot-cast` and a
`BallotVoter` row say that a member voted, with no choice; what they chose is a slip in the
ballot's box (smolny.store.ballots), outside the ledger, with no voter, no time and no
order. Nothing counts the box while the ballot is open. Closing it counts the slips and
records the result through the existing services, so that the ledger holds the election
(`delegates-elected`) or the recall (`recall-voted`) exactly as an operator's would, and
`member-ballot-closed` links the ballot to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import ClassVar

from smolny.domain.elections import RANKED_METHODS, ElectionMethod
from smolny.domain.errors import InvalidInput, RuleViolation
from smolny.domain.events import Event, Recorded
from smolny.domain.records import Record, Records
from smolny.domain.text import Moment, Text, say

MAX_TITLE = 200


class BallotKind(StrEnum):
    ELECTION = "election"  # the constituency elects its delegates, replacing those it had
    BY_ELECTION = "by-election"  # the constituency fills its vacant seats
    RECALL = "recall"  # the constituency votes on recalling one of its delegates


class RecallChoice(StrEnum):
    FOR = "for"  # for the recall
    AGAINST = "against"
    ABSTAIN = "abstain"


class BallotStatus(StrEnum):
    OPEN = "open"  # members vote
    DUE = "due"  # its period is over: it waits to be closed and counted
    CLOSED = "closed"  # counted, its result recorded


# The methods a member ballot counts: candidates marked (plurality) or ranked. Party lists
# are elections between factions' lists, which the operator enters as totals.
BALLOT_METHODS = (ElectionMethod.PLURALITY, *sorted(RANKED_METHODS))
SINGLE_SEAT_METHODS = frozenset({ElectionMethod.IRV})

KIND_WORDS = {
    BallotKind.ELECTION: "election",
    BallotKind.BY_ELECTION: "by-election",
    BallotKind.RECALL: "recall vote",
}
# The same words, to say inside a sentence (translated where a page shows it).
KIND_SAID = {
    BallotKind.ELECTION: say("election"),
    BallotKind.BY_ELECTION: say("by-election"),
    BallotKind.RECALL: say("recall vote"),
}
RECALL_WORDS = {
    RecallChoice.FOR: "for the recall",
    RecallChoice.AGAINST: "against the recall",
    RecallChoice.ABSTAIN: "abstain",
}


@dataclass(frozen=True)
class MemberBallot:
    """A ballot opened in a constituency for a period, and, once closed, what it gave."""

    id: int
    organization_id: int
    council_id: int
    constituency_id: int
    kind: BallotKind
    title: str
    method: ElectionMethod | None  # None for a recall
    seats: int  # an election: the seats it fills (marks allowed in plurality); a recall: 0
    candidate_ids: tuple[int, ...]  # standing, in the ballot paper's order
    mandate_id: int | None  # a recall: the seat it is about
    petition_id: int | None  # a recall the petition's signatures called for
    opened_at: datetime
    closes_at: datetime  # the end of the period for voting
    closed_at: datetime | None = None
    slips: int = 0  # counted at the close: the slips in the box (blank ones included)
    blank: int = 0
    election_id: int | None = None
    recall_vote_id: int | None = None
    note: str = ""  # a close that recorded no result says why (the seat had ended)

    def status_at(self, at: datetime) -> BallotStatus:
        if self.closed_at is not None and self.closed_at <= at:
            return BallotStatus.CLOSED
        if at >= self.closes_at:
            return BallotStatus.DUE
        return BallotStatus.OPEN

    @property
    def ranked(self) -> bool:
        return self.method in RANKED_METHODS

    @property
    def marks_allowed(self) -> int:
        """How many candidates a slip may mark (plurality) or rank (ranked methods)."""
        if self.kind is BallotKind.RECALL:
            return 0
        return len(self.candidate_ids) if self.ranked else min(self.seats, len(self.candidate_ids))


@dataclass(frozen=True)
class BallotVoter:
    """A member who voted in a ballot: no choice, ever (the slip is in the box, apart)."""

    id: int
    ballot_id: int
    member_id: int
    voted_at: datetime


# -- what a member marks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Marks:
    """What a member puts on the slip: candidates picked (plurality), candidates in order of
    preference (ranked), or a recall choice. Empty for an election: a blank slip."""

    picks: tuple[int, ...] = ()
    ranking: tuple[int, ...] = ()
    recall: RecallChoice | None = None


def slip_text(ballot: MemberBallot, marks: Marks) -> str:
    """The slip for the box, checked against the ballot: a recall choice ("for"), or the
    candidates' ids, comma-separated (picks in ascending order, a ranking in its order).

    Picks are sorted so that a slip tells nothing of the order the member clicked in."""
    if ballot.kind is BallotKind.RECALL:
        if marks.picks or marks.ranking:
            raise InvalidInput(say("a recall vote names no candidates"), field="choice")
        if marks.recall is None:
            raise InvalidInput(
                say("choose for the recall, against it, or to abstain"), field="choice"
            )
        return RecallChoice(marks.recall).value
    if marks.recall is not None:
        raise InvalidInput(
            say("this is an %(kind)s, not a recall", kind=KIND_SAID[ballot.kind]), field="choice"
        )
    standing = set(ballot.candidate_ids)
    if ballot.ranked:
        if marks.picks:
            raise InvalidInput(say("rank the candidates in order of preference"), field="ranking")
        chosen = list(marks.ranking)
        field = "ranking"
    else:
        if marks.ranking:
            raise InvalidInput(
                say("mark the candidates you vote for; this ballot is not ranked"), field="picks"
            )
        chosen = sorted(marks.picks)
        field = "picks"
    if len(set(chosen)) != len(chosen):
        raise InvalidInput(say("a candidate is marked twice"), field=field)
    strangers = [c for c in chosen if c not in standing]
    if strangers:
        raise InvalidInput(
            say("member %(id)s is not standing in this ballot", id=str(strangers[0])), field=field
        )
    if len(chosen) > ballot.marks_allowed:
        allowed, marked = ballot.marks_allowed, len(chosen)
        raise InvalidInput(
            say(
                "mark at most %(num)s candidate (you marked %(marked)s)", num=allowed, marked=marked
            )
            if allowed == 1
            else say(
                "mark at most %(num)s candidates (you marked %(marked)s)",
                num=allowed,
                marked=marked,
            ),
            field=field,
        )
    return ",".join(str(c) for c in chosen)


def ranking_from_positions(positions: Sequence[int | None]) -> tuple[int, ...]:
    """A ranking from a form's numbered choices (the first choice, the second, ...; None
    where left empty): refused when a choice is skipped and a later one is filled."""
    filled = [p is not None for p in positions]
    if any(later and not earlier for earlier, later in pairwise(filled)):
        first_gap = filled.index(False) + 1
        raise InvalidInput(
            say(
                "choice %(position)s is empty but a later one is filled: fill the choices in order",
                position=first_gap,
            ),
            field="ranking",
        )
    return tuple(p for p in positions if p is not None)


def read_slip(ballot: MemberBallot, text: str) -> tuple[int, ...] | RecallChoice:
    """A slip as stored, read back: the recall choice, or the candidates it marks (in its
    order)."""
    if ballot.kind is BallotKind.RECALL:
        return RecallChoice(text)
    return tuple(int(part) for part in text.split(",") if part)


# -- counting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """The slips of a ballot counted: what goes to the election and recall services."""

    slips: int
    blank: int
    tallies: tuple[tuple[int, int], ...] = ()  # plurality: (candidate, votes), ballot order
    rankings: tuple[tuple[tuple[int, ...], int], ...] = ()  # ranked: (ranking, how many)
    recall: tuple[int, int, int] = (0, 0, 0)  # for, against, abstaining


def count_slips(ballot: MemberBallot, texts: Iterable[str]) -> Count:
    """Count the slips. Rankings are grouped and put in a fixed order (the most cast first,
    then by the ranking), so that what the ledger records follows no order of casting."""
    slips = [read_slip(ballot, t) for t in texts]
    if ballot.kind is BallotKind.RECALL:
        choices = Counter(s for s in slips if isinstance(s, RecallChoice))
        return Count(
            slips=len(slips),
            blank=choices[RecallChoice.ABSTAIN],
            recall=(
                choices[RecallChoice.FOR],
                choices[RecallChoice.AGAINST],
                choices[RecallChoice.ABSTAIN],
            ),
        )
    marked = [s for s in slips if isinstance(s, tuple)]
    blank = sum(1 for s in marked if not s)
    if ballot.ranked:
        grouped = Counter(s for s in marked if s)
        rankings = tuple(sorted(grouped.items(), key=lambda item: (-item[1], item[0])))
        return Count(slips=len(slips), blank=blank, rankings=rankings)
    votes = Counter(c for s in marked for c in s)
    return Count(
        slips=len(slips),
        blank=blank,
        tallies=tuple((c, votes[c]) for c in ballot.candidate_ids),
    )


# -- the rules of opening and closing -----------------------------------------------------------


def check_opening(
    kind: BallotKind,
    method: ElectionMethod | None,
    seats: int,
    candidate_ids: Sequence[int],
    opened_at: datetime,
    closes_at: datetime,
) -> None:
    """A ballot well formed: a period that ends after it opens; for an election, a method
    members can mark and at least as many candidates as seats; for a recall, no method."""
    if closes_at.tzinfo is None:
        raise InvalidInput(say("the end of the period needs a time zone"), field="closes_at")
    if closes_at <= opened_at:
        raise InvalidInput(say("the period must end after the ballot opens"), field="closes_at")
    if kind is BallotKind.RECALL:
        if method is not None or candidate_ids:
            raise InvalidInput(say("a recall vote has no method and no candidates"), field="method")
        return
    if method not in BALLOT_METHODS:
        names = ", ".join(m.value for m in BALLOT_METHODS)
        raise InvalidInput(
            say("members vote by one of: %(methods)s", methods=names), field="method"
        )
    if seats < 1:
        raise RuleViolation(say("there is no seat to fill"))
    if method in SINGLE_SEAT_METHODS and seats != 1:
        raise InvalidInput(
            say(
                "%(method)s fills one seat and this %(kind)s fills %(seats)s: use scottish-stv or "
                "meek-stv",
                method=method.value,
                kind=KIND_SAID[kind],
                seats=seats,
            ),
            field="method",
        )
    if len(set(candidate_ids)) != len(candidate_ids):
        raise InvalidInput(say("a candidate is named twice"), field="candidates")
    if len(candidate_ids) < seats:
        raise RuleViolation(_too_few(len(candidate_ids), seats))


def _too_few(candidates: int, seats: int) -> Text:
    if candidates == 1:
        return say(
            "%(candidates)s candidate for %(seats)s seats: name at least as many candidates as "
            "seats",
            candidates=candidates,
            seats=seats,
        )
    if seats == 1:
        return say(
            "%(candidates)s candidates for %(seats)s seat: name at least as many candidates as "
            "seats",
            candidates=candidates,
            seats=seats,
        )
    return say(
        "%(candidates)s candidates for %(seats)s seats: name at least as many candidates as seats",
        candidates=candidates,
        seats=seats,
    )


def closing_refusal(ballot: MemberBallot, at: datetime, voted: int, electors: int) -> Text | None:
    """Why the ballot cannot be closed at `at`, or None: a ballot closes when its period is
    over, or earlier once every elector has voted (no one is left to shut out)."""
    if ballot.closed_at is not None:
        return say(
            "ballot %(id)s was closed on %(moment)s UTC",
            id=str(ballot.id),
            moment=Moment(ballot.closed_at),
        )
    if at >= ballot.closes_at or voted >= electors > 0:
        return None
    return say(
        "ballot %(id)s is open until %(moment)s UTC and %(voted)s of %(electors)s electors have "
        "voted: it closes when its period ends, or once every elector has voted",
        id=str(ballot.id),
        moment=Moment(ballot.closes_at),
        voted=voted,
        electors=electors,
    )


def runner_refusal(
    who: str | Text, administrator: bool, same_organization: bool, org: str
) -> Text | None:
    """Why a person cannot open or close ballots of the organization, or None."""
    if administrator and same_organization:
        return None
    return say(
        "%(who)s is not an administrator of %(organization)s: only an administrator opens and "
        "closes its members' ballots (members vote in them)",
        who=who,
        organization=org,
    )


# -- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotOpened(Event):
    kind: ClassVar[str] = "member-ballot-opened"
    ballot_id: int
    organization_id: int
    council_id: int
    constituency_id: int
    ballot_kind: BallotKind
    title: str
    method: ElectionMethod | None
    seats: int
    candidate_ids: tuple[int, ...]
    mandate_id: int | None
    petition_id: int | None
    closes_at: datetime


@dataclass(frozen=True)
class MemberVoted(Event):
    """A member voted in a ballot. No choice: the slip went into the box, apart."""

    kind: ClassVar[str] = "member-ballot-cast"
    voter_id: int
    ballot_id: int
    member_id: int


@dataclass(frozen=True)
class BallotClosed(Event):
    """The box counted; the result is the election or recall event recorded just before."""

    kind: ClassVar[str] = "member-ballot-closed"
    ballot_id: int
    slips: int
    blank: int
    election_id: int | None
    recall_vote_id: int | None
    note: str = ""


EVENTS: tuple[type[Event], ...] = (BallotOpened, MemberVoted, BallotClosed)
RECORDS: tuple[type[Record], ...] = (MemberBallot, BallotVoter)


def project(recorded: Recorded, records: Records) -> bool:
    """Apply a member ballot's event; False if the event is not one."""
    match recorded.event:
        case BallotOpened() as e:
            records.put(
                MemberBallot(
                    id=e.ballot_id,
                    organization_id=e.organization_id,
                    council_id=e.council_id,
                    constituency_id=e.constituency_id,
                    kind=e.ballot_kind,
                    title=e.title,
                    method=e.method,
                    seats=e.seats,
                    candidate_ids=e.candidate_ids,
                    mandate_id=e.mandate_id,
                    petition_id=e.petition_id,
                    opened_at=recorded.at,
                    closes_at=e.closes_at,
                )
            )
        case MemberVoted() as e:
            records.put(BallotVoter(e.voter_id, e.ballot_id, e.member_id, recorded.at))
        case BallotClosed() as e:
            records.change_all(
                MemberBallot,
                [e.ballot_id],
                closed_at=recorded.at,
                slips=e.slips,
                blank=e.blank,
                election_id=e.election_id,
                recall_vote_id=e.recall_vote_id,
                note=e.note,
            )
        case _:
            return False
    return True
