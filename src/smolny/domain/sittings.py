"""The council at work: sittings, attendance and quorum, walkouts, the agenda and its
speakers, motions and amendments, votes, faction lines, and elections held in a sitting.

Everything here is dated, so that a sitting can be shown as of any moment: who was
present (checked in, not gone, and holding an active mandate), whether the sitting was
quorate, which item was before it, who had the floor, how far a vote had got.

Secret votes keep who voted apart from what was voted: a `Voter` row says that a delegate
voted and has no choice in it; the choices exist only as anonymous ballots in the vote's
ballot box, outside the ledger (see smolny.store.sittings), with nothing that links a
ballot to its voter. Nothing counts them while the vote is open; at the close the ballots
are counted and the totals (and nothing per ballot) enter the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from typing import ClassVar

from smolny.domain.events import Event, Recorded
from smolny.domain.federation import Majority
from smolny.domain.mandates import Mandate
from smolny.domain.records import Record, Records

# -- what a sitting is made of -----------------------------------------------------------------


class SittingStatus(StrEnum):
    CONVENED = "convened"  # called, not yet opened: delegates may arrive
    OPEN = "open"
    CLOSED = "closed"


class ItemKind(StrEnum):
    MOTION = "motion"
    ELECTION = "election"
    REPORT = "report"
    OTHER = "other"


class MotionStatus(StrEnum):
    PENDING = "pending"  # tabled, not decided (a void vote leaves it pending)
    CARRIED = "carried"
    LOST = "lost"


class VoteMode(StrEnum):
    ROLL_CALL = "roll-call"  # each delegate's choice is recorded with their name
    SECRET = "secret"  # who voted is recorded; the choices only as anonymous ballots
    SHOW_OF_HANDS = "show-of-hands"  # the chair enters the totals


class Choice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Outcome(StrEnum):
    CARRIED = "carried"
    LOST = "lost"
    TIED = "tied"  # as many for as against: a tie does not carry
    VOID = "void"  # the quorum was lost during the vote, or the sitting closed first


@dataclass(frozen=True)
class Sitting:
    id: int
    council_id: int
    organization_id: int
    title: str
    day: date
    section_ids: tuple[int, ...]  # empty: the whole council sits
    chair_member_id: int | None
    convened_at: datetime
    status: SittingStatus = SittingStatus.CONVENED
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    current_item_id: int | None = None

    def status_at(self, moment: datetime) -> SittingStatus:
        if self.closed_at is not None and self.closed_at <= moment:
            return SittingStatus.CLOSED
        if self.opened_at is not None and self.opened_at <= moment:
            return SittingStatus.OPEN
        return SittingStatus.CONVENED


@dataclass(frozen=True)
class Attendance:
    """A delegate's stay in a sitting: from checking in until leaving (or walking out)."""

    id: int
    sitting_id: int
    member_id: int
    mandate_id: int  # the seat they sat by when they checked in
    arrived_at: datetime
    left_at: datetime | None = None
    walkout_id: int | None = None

    def here_at(self, moment: datetime) -> bool:
        return self.arrived_at <= moment and (self.left_at is None or moment < self.left_at)


@dataclass(frozen=True)
class Walkout:
    id: int
    sitting_id: int
    at: datetime
    statement: str
    faction_ids: tuple[int, ...]  # the factions that walked out, if it was a faction's walkout
    member_ids: tuple[int, ...]  # the delegates who left


@dataclass(frozen=True)
class AgendaItem:
    id: int
    sitting_id: int
    position: int  # 1, 2, 3 ... in the order of the agenda
    kind: ItemKind
    title: str
    added_at: datetime
    taken_up_at: datetime | None = None
    election_id: int | None = None  # an election item: the election held under it
    committee_id: int | None = None  # ... and the body it elected


@dataclass(frozen=True)
class Speaker:
    id: int
    sitting_id: int
    item_id: int
    member_id: int
    asked_at: datetime
    floor_at: datetime | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class Motion:
    id: int
    sitting_id: int
    council_id: int
    item_id: int | None
    parent_id: int | None  # an amendment: the motion whose text it would replace
    title: str
    text: str  # the text now (an amendment that carried has replaced it)
    original_text: str  # the text as tabled
    majority: Majority | None  # stated with the motion; else the council's standing rule
    tabled_by_member_id: int | None
    tabled_by_faction_id: int | None
    tabled_by_committee_id: int | None
    tabled_at: datetime
    status: MotionStatus = MotionStatus.PENDING
    decided_at: datetime | None = None


@dataclass(frozen=True)
class Vote:
    """A vote on a motion: its mode and rule, and, once closed, its counts and result."""

    id: int
    motion_id: int
    sitting_id: int
    mode: VoteMode
    majority: Majority
    opened_at: datetime
    closed_at: datetime | None = None
    yes: int = 0
    no: int = 0
    abstain: int = 0
    present: int = 0  # delegates present at the close, or who voted and left before it
    seated: int = 0  # delegates holding seats in the sitting's sections at the close
    seats: int = 0  # the seats of the body (for a majority of seats)
    quorum_needed: int = 0
    required: int = 0  # the fewest votes for that would have carried on the same base
    outcome: Outcome | None = None
    reason: str = ""
    adopted_text: str | None = None  # a carried amendment: the text it put in its motion


@dataclass(frozen=True)
class Voter:
    """A delegate who voted. `choice` is the roll-call choice; None in a secret vote, whose
    choices are ballots in a box apart, never stored beside a name."""

    id: int
    vote_id: int
    member_id: int
    mandate_id: int
    cast_at: datetime
    choice: Choice | None = None


@dataclass(frozen=True)
class FactionLine:
    """A faction's binding line on a motion; a later line of the same faction replaces it."""

    id: int
    motion_id: int
    faction_id: int
    line: Choice
    adopted_at: datetime


# -- events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SittingConvened(Event):
    kind: ClassVar[str] = "sitting-convened"
    sitting_id: int
    council_id: int
    organization_id: int
    title: str
    day: date
    section_ids: tuple[int, ...]
    chair_member_id: int | None


@dataclass(frozen=True)
class SittingOpened(Event):
    kind: ClassVar[str] = "sitting-opened"
    sitting_id: int
    chair_member_id: int | None  # the chair, if named (or changed) at the opening


@dataclass(frozen=True)
class SittingClosed(Event):
    kind: ClassVar[str] = "sitting-closed"
    sitting_id: int
    ended_attendance_ids: tuple[int, ...]  # everyone still present leaves at the close
    ended_speaker_ids: tuple[int, ...]


@dataclass(frozen=True)
class Arrival:
    attendance_id: int
    member_id: int
    mandate_id: int


@dataclass(frozen=True)
class DelegatesCheckedIn(Event):
    kind: ClassVar[str] = "sitting-checked-in"
    sitting_id: int
    arrivals: tuple[Arrival, ...]
    # Stays left open by a seat that has since ended (a recall, then a by-election):
    stale_attendance_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class DelegatesLeft(Event):
    kind: ClassVar[str] = "sitting-left"
    sitting_id: int
    attendance_ids: tuple[int, ...]


@dataclass(frozen=True)
class WalkedOut(Event):
    kind: ClassVar[str] = "sitting-walked-out"
    sitting_id: int
    walkout_id: int
    statement: str
    faction_ids: tuple[int, ...]
    member_ids: tuple[int, ...]
    attendance_ids: tuple[int, ...]


@dataclass(frozen=True)
class AgendaItemAdded(Event):
    kind: ClassVar[str] = "sitting-item-added"
    sitting_id: int
    item_id: int
    position: int
    item_kind: ItemKind
    title: str


@dataclass(frozen=True)
class AgendaItemTakenUp(Event):
    kind: ClassVar[str] = "sitting-item-taken-up"
    sitting_id: int
    item_id: int
    ended_speaker_ids: tuple[int, ...]  # whoever had the floor under the previous item


@dataclass(frozen=True)
class SpeakerListed(Event):
    kind: ClassVar[str] = "sitting-speaker-listed"
    sitting_id: int
    speaker_id: int
    item_id: int
    member_id: int


@dataclass(frozen=True)
class FloorGiven(Event):
    kind: ClassVar[str] = "sitting-floor-given"
    sitting_id: int
    speaker_id: int | None  # None: the floor is free (no one waits)
    ended_speaker_ids: tuple[int, ...]


@dataclass(frozen=True)
class MotionTabled(Event):
    kind: ClassVar[str] = "sitting-motion-tabled"
    motion_id: int
    sitting_id: int
    council_id: int
    item_id: int | None
    parent_id: int | None
    title: str
    text: str
    majority: Majority | None
    tabled_by_member_id: int | None
    tabled_by_faction_id: int | None
    tabled_by_committee_id: int | None


@dataclass(frozen=True)
class FactionLineAdopted(Event):
    kind: ClassVar[str] = "sitting-line-adopted"
    line_id: int
    motion_id: int
    faction_id: int
    line: Choice


@dataclass(frozen=True)
class VoteOpened(Event):
    kind: ClassVar[str] = "sitting-vote-opened"
    vote_id: int
    motion_id: int
    sitting_id: int
    mode: VoteMode
    majority: Majority


@dataclass(frozen=True)
class RollCallVoteCast(Event):
    kind: ClassVar[str] = "sitting-vote-cast"
    voter_id: int
    vote_id: int
    member_id: int
    mandate_id: int
    choice: Choice


@dataclass(frozen=True)
class SecretBallotCast(Event):
    """A delegate voted in a secret vote. There is no choice here, by design."""

    kind: ClassVar[str] = "sitting-ballot-cast"
    voter_id: int
    vote_id: int
    member_id: int
    mandate_id: int


@dataclass(frozen=True)
class VoteClosed(Event):
    """A vote counted: in a secret vote, the totals of the ballots in its box."""

    kind: ClassVar[str] = "sitting-vote-closed"
    vote_id: int
    motion_id: int
    yes: int
    no: int
    abstain: int
    present: int
    seated: int
    seats: int
    quorum_needed: int
    required: int
    outcome: Outcome
    reason: str
    amended_motion_id: int | None  # a carried amendment: the motion whose text it replaces
    adopted_text: str | None


@dataclass(frozen=True)
class SittingElectionHeld(Event):
    """An election held as an item of the sitting (the election itself is the spine's
    `committee-elected` event, recorded just before this one)."""

    kind: ClassVar[str] = "sitting-election-held"
    sitting_id: int
    item_id: int
    election_id: int
    committee_id: int
    # When the election needed an item of its own: where it goes, and its title.
    new_item_position: int | None = None
    new_item_title: str | None = None
    ended_speaker_ids: tuple[int, ...] = ()  # who had the floor under the previous item


EVENTS: tuple[type[Event], ...] = (
    SittingConvened,
    SittingOpened,
    SittingClosed,
    DelegatesCheckedIn,
    DelegatesLeft,
    WalkedOut,
    AgendaItemAdded,
    AgendaItemTakenUp,
    SpeakerListed,
    FloorGiven,
    MotionTabled,
    FactionLineAdopted,
    VoteOpened,
    RollCallVoteCast,
    SecretBallotCast,
    VoteClosed,
    SittingElectionHeld,
)
RECORDS: tuple[type[Record], ...] = (
    Sitting,
    Walkout,
    Attendance,
    AgendaItem,
    Speaker,
    Motion,
    Vote,
    Voter,
    FactionLine,
)


def project(recorded: Recorded, records: Records) -> bool:
    """Change the state as a sitting event says; False if the event is not a sitting's."""
    at = recorded.at
    match recorded.event:
        case SittingConvened() as e:
            records.put(
                Sitting(
                    e.sitting_id,
                    e.council_id,
                    e.organization_id,
                    e.title,
                    e.day,
                    tuple(e.section_ids),
                    e.chair_member_id,
                    at,
                )
            )
        case SittingOpened(sitting_id=sid, chair_member_id=chair):
            sitting = records.get(Sitting, sid)
            records.put(
                replace(
                    sitting,
                    status=SittingStatus.OPEN,
                    opened_at=at,
                    chair_member_id=chair if chair is not None else sitting.chair_member_id,
                )
            )
        case SittingClosed() as e:
            _leave(records, e.ended_attendance_ids, at)
            _end_speeches(records, e.ended_speaker_ids, at)
            sitting = records.get(Sitting, e.sitting_id)
            records.put(replace(sitting, status=SittingStatus.CLOSED, closed_at=at))
        case DelegatesCheckedIn() as e:
            _leave(records, e.stale_attendance_ids, at)
            for arrival in e.arrivals:
                records.put(
                    Attendance(
                        arrival.attendance_id,
                        e.sitting_id,
                        arrival.member_id,
                        arrival.mandate_id,
                        at,
                    )
                )
        case DelegatesLeft(attendance_ids=ids):
            _leave(records, ids, at)
        case WalkedOut() as e:
            records.put(
                Walkout(
                    e.walkout_id,
                    e.sitting_id,
                    at,
                    e.statement,
                    tuple(e.faction_ids),
                    tuple(e.member_ids),
                )
            )
            _leave(records, e.attendance_ids, at, walkout_id=e.walkout_id)
        case AgendaItemAdded() as e:
            records.put(AgendaItem(e.item_id, e.sitting_id, e.position, e.item_kind, e.title, at))
        case AgendaItemTakenUp(sitting_id=sid, item_id=iid, ended_speaker_ids=ended):
            _end_speeches(records, ended, at)
            records.put(replace(records.get(AgendaItem, iid), taken_up_at=at))
            records.put(replace(records.get(Sitting, sid), current_item_id=iid))
        case SpeakerListed() as e:
            records.put(Speaker(e.speaker_id, e.sitting_id, e.item_id, e.member_id, at))
        case FloorGiven(speaker_id=speaker_id, ended_speaker_ids=ended):
            _end_speeches(records, ended, at)
            if speaker_id is not None:
                records.put(replace(records.get(Speaker, speaker_id), floor_at=at))
        case MotionTabled() as e:
            records.put(
                Motion(
                    id=e.motion_id,
                    sitting_id=e.sitting_id,
                    council_id=e.council_id,
                    item_id=e.item_id,
                    parent_id=e.parent_id,
                    title=e.title,
                    text=e.text,
                    original_text=e.text,
                    majority=e.majority,
                    tabled_by_member_id=e.tabled_by_member_id,
                    tabled_by_faction_id=e.tabled_by_faction_id,
                    tabled_by_committee_id=e.tabled_by_committee_id,
                    tabled_at=at,
                )
            )
        case FactionLineAdopted() as e:
            records.put(FactionLine(e.line_id, e.motion_id, e.faction_id, e.line, at))
        case VoteOpened() as e:
            records.put(Vote(e.vote_id, e.motion_id, e.sitting_id, e.mode, e.majority, at))
        case RollCallVoteCast() as e:
            records.put(Voter(e.voter_id, e.vote_id, e.member_id, e.mandate_id, at, e.choice))
        case SecretBallotCast() as e:
            records.put(Voter(e.voter_id, e.vote_id, e.member_id, e.mandate_id, at))
        case VoteClosed() as e:
            _close_vote(records, e, at)
        case SittingElectionHeld() as e:
            _end_speeches(records, e.ended_speaker_ids, at)
            if e.new_item_position is not None:
                records.put(
                    AgendaItem(
                        e.item_id,
                        e.sitting_id,
                        e.new_item_position,
                        ItemKind.ELECTION,
                        e.new_item_title or "Election",
                        at,
                        taken_up_at=at,
                    )
                )
                records.put(replace(records.get(Sitting, e.sitting_id), current_item_id=e.item_id))
            item = records.get(AgendaItem, e.item_id)
            records.put(replace(item, election_id=e.election_id, committee_id=e.committee_id))
        case _:
            return False
    return True


def _leave(
    records: Records, attendance_ids: Iterable[int], at: datetime, walkout_id: int | None = None
) -> None:
    ids = tuple(attendance_ids)
    if ids:
        records.change_all(Attendance, ids, left_at=at, walkout_id=walkout_id)


def _end_speeches(records: Records, speaker_ids: Iterable[int], at: datetime) -> None:
    for speaker_id in speaker_ids:
        records.put(replace(records.get(Speaker, speaker_id), done_at=at))


def _close_vote(records: Records, e: VoteClosed, at: datetime) -> None:
    vote = records.get(Vote, e.vote_id)
    records.put(
        replace(
            vote,
            closed_at=at,
            yes=e.yes,
            no=e.no,
            abstain=e.abstain,
            present=e.present,
            seated=e.seated,
            seats=e.seats,
            quorum_needed=e.quorum_needed,
            required=e.required,
            outcome=e.outcome,
            reason=e.reason,
            adopted_text=e.adopted_text,
        )
    )
    if e.outcome is not Outcome.VOID:
        motion = records.get(Motion, e.motion_id)
        status = MotionStatus.CARRIED if e.outcome is Outcome.CARRIED else MotionStatus.LOST
        records.put(replace(motion, status=status, decided_at=at))
    if e.amended_motion_id is not None and e.adopted_text is not None:
        amended = records.get(Motion, e.amended_motion_id)
        records.put(replace(amended, text=e.adopted_text))


# -- quorum over time --------------------------------------------------------------------------


def quorum_needed(share: Fraction, seated: int) -> int:
    """The fewest delegates present that make a quorum: more than `share` of the seated."""
    bound = share * seated
    return bound.numerator // bound.denominator + 1


@dataclass(frozen=True)
class Presence:
    """Attendance at a moment: present delegates against the quorum of the seated."""

    at: datetime
    present: int
    seated: int
    needed: int

    @property
    def quorate(self) -> bool:
        return self.present >= self.needed


def present_stays(
    attendance: Iterable[Attendance], scope: Mapping[int, Mandate], moment: datetime
) -> list[Attendance]:
    """The stays of delegates present at `moment`: checked in, not gone, and sitting by a
    mandate of the sitting's scope (`scope`, by mandate id) that is active then."""
    return [
        a
        for a in attendance
        if a.here_at(moment) and a.mandate_id in scope and scope[a.mandate_id].active_at(moment)
    ]


def presence_timeline(
    attendance: Iterable[Attendance],
    scope: Sequence[Mandate],
    share: Fraction,
    start: datetime,
    end: datetime,
) -> list[Presence]:
    """Presence at `start`, then after every change up to `end` (both included).

    `scope` holds the mandates of the sitting's sections (or council) that may be active at
    some point between `start` and `end`: they make the seated count, and a delegate counts
    as present only while checked in and holding the mandate they checked in by.
    """
    by_id = {m.id: m for m in scope}
    present_spans = []
    for stay in attendance:
        mandate = by_id.get(stay.mandate_id)
        if mandate is None:
            continue
        present_spans.append(
            (max(stay.arrived_at, mandate.valid_from), _earliest(stay.left_at, mandate.valid_to))
        )
    seated_spans = [(m.valid_from, m.valid_to) for m in scope]
    present_now, present_changes = _sweep(present_spans, start, end)
    seated_now, seated_changes = _sweep(seated_spans, start, end)
    points = [Presence(start, present_now, seated_now, quorum_needed(share, seated_now))]
    for moment in sorted(present_changes.keys() | seated_changes.keys()):
        present_now += present_changes.get(moment, 0)
        seated_now += seated_changes.get(moment, 0)
        points.append(Presence(moment, present_now, seated_now, quorum_needed(share, seated_now)))
    return points


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _sweep(
    spans: Iterable[tuple[datetime, datetime | None]], start: datetime, end: datetime
) -> tuple[int, dict[datetime, int]]:
    """How many half-open spans contain `start`, and the changes in (start, end]."""
    at_start = 0
    changes: dict[datetime, int] = defaultdict(int)
    for begin, finish in spans:
        if finish is not None and finish <= begin:
            continue
        if begin <= start and (finish is None or start < finish):
            at_start += 1
        elif start < begin <= end:
            changes[begin] += 1
        if finish is not None and start < finish <= end:
            changes[finish] -= 1
    return at_start, {t: n for t, n in changes.items() if n}


def first_loss(timeline: Sequence[Presence]) -> Presence | None:
    """The first point at which the sitting was not quorate, if any."""
    return next((p for p in timeline if not p.quorate), None)


# -- motions over time -------------------------------------------------------------------------


def text_at(motion: Motion, adopted: Iterable[tuple[datetime, str]], moment: datetime) -> str:
    """The motion's text as of `moment`: as tabled, then as each carried amendment (its
    close and the text it adopted) replaced it."""
    text = motion.original_text
    for closed_at, new_text in sorted(adopted, key=lambda pair: pair[0]):
        if closed_at <= moment:
            text = new_text
    return text


def lines_in_force(lines: Iterable[FactionLine], moment: datetime) -> dict[int, FactionLine]:
    """Each faction's line on a motion as of `moment` (its latest), by faction id."""
    found: dict[int, FactionLine] = {}
    for line in sorted(lines, key=lambda x: (x.adopted_at, x.id)):
        if line.adopted_at <= moment:
            found[line.faction_id] = line
    return found


@dataclass(frozen=True)
class LineReport:
    """How a faction's delegates voted against its line, in a roll-call vote."""

    faction_id: int
    line: Choice
    followed: tuple[int, ...]  # member ids
    broke: tuple[tuple[int, Choice], ...]  # (member id, how they voted)
    did_not_vote: tuple[int, ...]  # present at the close, but did not vote
    absent: tuple[int, ...]  # not present at the close, and did not vote


def line_report(
    line: FactionLine,
    voters: Iterable[Voter],
    voter_factions: Mapping[int, int | None],
    seated: Iterable[Mandate],
    present_member_ids: Iterable[int],
) -> LineReport:
    """Who followed and who broke `line`: delegates elected for the faction (the faction of
    the mandate they voted by, or of their seat in the sitting's sections) by their vote.

    `voter_factions` maps a voter's mandate id to its faction; `seated` are the mandates of
    the sitting's scope at the close; the absent are listed apart, never as breakers.
    """
    voted: dict[int, Choice] = {}
    for voter in voters:
        if voter.choice is not None and voter_factions.get(voter.mandate_id) == line.faction_id:
            voted[voter.member_id] = voter.choice
    here = set(present_member_ids)
    voter_ids = {v.member_id for v in voters}
    members = {m.member_id for m in seated if m.faction_id == line.faction_id} - voter_ids
    return LineReport(
        faction_id=line.faction_id,
        line=line.line,
        followed=tuple(sorted(m for m, c in voted.items() if c is line.line)),
        broke=tuple(sorted((m, c) for m, c in voted.items() if c is not line.line)),
        did_not_vote=tuple(sorted(m for m in members if m in here)),
        absent=tuple(sorted(m for m in members if m not in here)),
    )


def totals(counted: Mapping[Choice, int]) -> tuple[int, int, int]:
    """(for, against, abstaining) from choices counted."""
    return (
        counted.get(Choice.FOR, 0),
        counted.get(Choice.AGAINST, 0),
        counted.get(Choice.ABSTAIN, 0),
    )


def split_choices(voters: Iterable[Voter]) -> dict[Choice, list[int]]:
    """Roll-call voters' member ids by choice (for, against, abstain), in voting order."""
    found: dict[Choice, list[int]] = {c: [] for c in Choice}
    for voter in sorted(voters, key=lambda v: (v.cast_at, v.id)):
        if voter.choice is not None:
            found[voter.choice].append(voter.member_id)
    return found
