"""The council at work: convening and running sittings, attendance and quorum, walkouts,
the agenda and its speakers, motions, amendments and votes, faction lines, elections held
in a sitting; and what a sitting looked like at any moment, down to its minutes.

Rules chosen here (the brief was silent on them):

* Delegates may check in once a sitting is convened; the business of the sitting (the
  agenda's items, the floor, motions, votes, walkouts, elections) needs it open.
* A delegate counts as present while checked in and holding the mandate they checked in by:
  a recall ends their presence at once.
* Opening a vote, casting a ballot, counting a vote (closing it, or entering its totals) and
  holding an election need a quorum. A vote whose quorum was lost at any moment while it was
  open is void when it is closed (with the quorum back); a vote still open when the sitting
  closes is void.
* One vote at a time in a sitting; a faction adopts its line before the vote opens.
* The majority of seats counts the seats of the sitting's sections (or council) at the close.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import cached_property
from typing import Any

from sqlalchemy.exc import IntegrityError

from smolny.domain.composition import NON_PARTY
from smolny.domain.elections import METHOD_NAMES, Election, ElectionMethod, ListTally, RankedBallot
from smolny.domain.errors import AlreadyExists, InvalidInput, NotFound, RuleViolation
from smolny.domain.federation import (
    ELECTED_BODIES,
    Council,
    CouncilKind,
    Faction,
    Majority,
    Member,
    Organization,
    Section,
)
from smolny.domain.mandates import Mandate
from smolny.domain.rights import Action, Actor
from smolny.domain.seat_rules import TieBreak
from smolny.domain.sittings import (
    AgendaItem,
    AgendaItemAdded,
    AgendaItemTakenUp,
    Arrival,
    Attendance,
    Choice,
    DelegatesCheckedIn,
    DelegatesLeft,
    FactionLine,
    FactionLineAdopted,
    FloorGiven,
    ItemKind,
    LineReport,
    Motion,
    MotionStatus,
    MotionTabled,
    Outcome,
    Presence,
    RollCallVoteCast,
    SecretBallotCast,
    Sitting,
    SittingClosed,
    SittingConvened,
    SittingElectionHeld,
    SittingOpened,
    SittingStatus,
    Speaker,
    SpeakerListed,
    Vote,
    VoteClosed,
    VoteMode,
    VoteOpened,
    Voter,
    WalkedOut,
    Walkout,
    first_loss,
    line_report,
    lines_in_force,
    presence_timeline,
    present_stays,
    quorum_needed,
    split_choices,
    text_at,
    totals,
)
from smolny.domain.text import Text, say
from smolny.ledger.chain import iso
from smolny.services import rights
from smolny.services.elections import elect_committee
from smolny.store import sittings as store
from smolny.store.uow import UnitOfWork
from smolny.voting.majority import Majority as CountingMajority
from smolny.voting.majority import decide
from smolny.voting.result import CountError

CHOICE_WORDS = {Choice.FOR: "for", Choice.AGAINST: "against", Choice.ABSTAIN: "abstaining"}
MODE_WORDS = {
    VoteMode.ROLL_CALL: "roll-call vote",
    VoteMode.SECRET: "secret vote",
    VoteMode.SHOW_OF_HANDS: "vote by show of hands",
}


def clock(moment: datetime) -> str:
    """A moment as a person reads it in a sitting: 2026-05-12 18:05 UTC."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _hm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def when(moment: datetime, day: date) -> str:
    """The time of a moment of a sitting: 18:05 on the sitting's day, else with the date."""
    return _hm(moment) if moment.date() == day else moment.strftime("%Y-%m-%d %H:%M")


def _text(value: str, what: str, limit: int | None = None) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"{what} cannot be empty", field=what.split()[-1])
    if limit is not None:
        text = " ".join(text.split())
        if len(text) > limit:
            raise InvalidInput(f"{what} is longer than {limit} characters", field=what.split()[-1])
    return text


# -- finding things by the names people use ----------------------------------------------------


def get_sitting(uow: UnitOfWork, sitting_id: int) -> Sitting:
    with uow:
        return _sitting(uow, sitting_id)


def get_motion(uow: UnitOfWork, motion_id: int) -> Motion:
    with uow:
        return _motion(uow, motion_id)


def get_vote(uow: UnitOfWork, vote_id: int) -> Vote:
    with uow:
        return _vote(uow, vote_id)


def _sitting(uow: UnitOfWork, sitting_id: int) -> Sitting:
    found = uow.repo.first(Sitting, store.sittings.c.id == sitting_id)
    if found is None:
        raise NotFound(say("there is no sitting %(id)s", id=str(sitting_id)), field="sitting")
    return found


def _motion(uow: UnitOfWork, motion_id: int) -> Motion:
    found = uow.repo.first(Motion, store.sitting_motions.c.id == motion_id)
    if found is None:
        raise NotFound(say("there is no motion %(id)s", id=str(motion_id)), field="motion")
    return found


def _vote(uow: UnitOfWork, vote_id: int) -> Vote:
    found = uow.repo.first(Vote, store.sitting_votes.c.id == vote_id)
    if found is None:
        raise NotFound(say("there is no vote %(id)s", id=str(vote_id)), field="vote")
    return found


def _member(uow: UnitOfWork, sitting: Sitting, member_id: int) -> Member:
    member = uow.repo.get(Member, member_id)
    if member.organization_id != sitting.organization_id:
        raise RuleViolation(say("%(name)s is not a member of this organization", name=member.name))
    return member


def _faction(uow: UnitOfWork, sitting: Sitting, faction_id: int) -> Faction:
    faction = uow.repo.get(Faction, faction_id)
    if faction.organization_id != sitting.organization_id:
        raise RuleViolation(say("%(name)s is a faction of another organization", name=faction.name))
    return faction


# -- the sitting's place: its scope, its presence, its quorum ----------------------------------


@dataclass(frozen=True)
class Floor:
    """What the rules need to know about a sitting at a moment."""

    sitting: Sitting
    council: Council
    scope: dict[int, Mandate]  # the mandates held in the sitting's sections, by id
    here: list[Attendance]  # the stays of the delegates present

    @cached_property
    def seat_by_member(self) -> dict[int, Mandate]:
        return {m.member_id: m for m in self.scope.values()}

    @property
    def present_ids(self) -> set[int]:
        return {a.member_id for a in self.here}

    @property
    def seated(self) -> int:
        return len(self.scope)

    @property
    def needed(self) -> int:
        return quorum_needed(self.council.quorum, self.seated)

    @property
    def quorate(self) -> bool:
        return len(self.here) >= self.needed

    def quorum_text(self) -> str:
        return str(self.quorum_said())

    def quorum_said(self) -> Text:
        return say(
            "%(present)s present of %(seated)s seated; the quorum is %(needed)s "
            "(more than %(share)s of the seated)",
            present=len(self.here),
            seated=self.seated,
            needed=self.needed,
            share=_share(self.council),
        )


def _share(council: Council) -> str | Text:
    quorum = council.quorum
    names = {
        Fraction(1, 2): say("half"),
        Fraction(1, 3): say("a third"),
        Fraction(2, 3): say("two thirds"),
    }
    return names.get(quorum, f"{quorum.numerator}/{quorum.denominator}")


def _floor(uow: UnitOfWork, sitting: Sitting, moment: datetime) -> Floor:
    council = uow.repo.get(Council, sitting.council_id)
    scope = {m.id: m for m in store.scope_mandates_at(uow.repo, sitting, moment)}
    here = present_stays(store.open_stays(uow.repo, sitting.id), scope, moment)
    return Floor(sitting, council, scope, here)


def _where(uow: UnitOfWork, sitting: Sitting) -> str:
    council = uow.repo.get(Council, sitting.council_id)
    if not sitting.section_ids:
        return council.name
    names = [uow.repo.get(Section, sid).name for sid in sitting.section_ids]
    return f"{council.name} ({', '.join(names)})"


def no_seat_reason(
    uow: UnitOfWork, sitting: Sitting, member: Member, moment: datetime, doing: Text
) -> Text:
    """Why `member` cannot `doing` in the sitting: the seat they lack, and since when."""
    council = uow.repo.get(Council, sitting.council_id)
    held = store.member_mandates(uow.repo, council.id, [member.id])[member.id]
    active = [m for m in held if m.active_at(moment)]
    if active:
        sections = {uow.repo.get(Section, m.section_id).name for m in active if m.section_id}
        wanted = [uow.repo.get(Section, sid).name for sid in sitting.section_ids]
        return say(
            "%(name)s sits in the %(held)s section of %(council)s, not in this sitting's "
            "(%(wanted)s): %(name)s cannot %(doing)s",
            name=member.name,
            held=", ".join(sorted(sections)) or "no",
            council=council.name,
            wanted=", ".join(wanted),
            doing=doing,
        )
    ended = [m for m in held if m.valid_to is not None and m.valid_to <= moment]
    if ended:
        last = max(ended, key=lambda m: m.valid_to or m.valid_from)
        assert last.valid_to is not None
        # How it ended, in the word the pages use for MandateEnd (words.py).
        how = Text(last.end_reason.value if last.end_reason else "ended")
        return say(
            "%(name)s holds no seat in %(council)s since %(day)s (%(how)s): %(name)s cannot "
            "%(doing)s",
            name=member.name,
            council=council.name,
            day=last.valid_to,
            how=how,
            doing=doing,
        )
    future = [m for m in held if m.valid_from > moment]
    if future:
        start = min(m.valid_from for m in future)
        return say(
            "%(name)s's seat in %(council)s starts only on %(moment)s",
            name=member.name,
            council=council.name,
            moment=clock(start),
        )
    return say(
        "%(name)s is not a delegate of %(council)s: %(name)s cannot %(doing)s",
        name=member.name,
        council=council.name,
        doing=doing,
    )


def _seat(uow: UnitOfWork, floor: Floor, member: Member, moment: datetime, doing: Text) -> Mandate:
    seat = floor.seat_by_member.get(member.id)
    if seat is None:
        raise RuleViolation(no_seat_reason(uow, floor.sitting, member, moment, doing))
    return seat


def _present(
    uow: UnitOfWork, floor: Floor, member: Member, moment: datetime, doing: Text
) -> Mandate:
    seat = _seat(uow, floor, member, moment, doing)
    if member.id not in floor.present_ids:
        raise RuleViolation(
            say(
                "%(name)s is not present in the sitting: check in first to %(doing)s",
                name=member.name,
                doing=doing,
            )
        )
    return seat


def _require_status(sitting: Sitting, *allowed: SittingStatus, doing: Text) -> None:
    if sitting.status in allowed:
        return
    state = {
        SittingStatus.CONVENED: say("is convened but not open yet"),
        SittingStatus.OPEN: say("is open"),
        SittingStatus.CLOSED: say("closed at %(moment)s", moment=clock(sitting.closed_at))
        if sitting.closed_at
        else "",
    }[sitting.status]
    raise RuleViolation(
        say(
            "the sitting %(title)s %(state)s: cannot %(doing)s",
            title=repr(sitting.title),
            state=state,
            doing=doing,
        )
    )


def _require_quorum(floor: Floor, doing: Text) -> None:
    if not floor.quorate:
        raise RuleViolation(
            say(
                "no quorum (%(quorum)s): cannot %(doing)s",
                quorum=floor.quorum_said(),
                doing=doing,
            )
        )


# -- convening, opening, closing ---------------------------------------------------------------


def convene_sitting(
    uow: UnitOfWork,
    *,
    council_id: int,
    title: str,
    day: date,
    section_ids: Sequence[int] = (),
    chair_member_id: int | None = None,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Sitting:
    """Convene a sitting of a council, of one of its sections, or of several jointly."""
    title = _text(title, "a sitting's title", 200)
    with uow:
        uow.lock()
        council = uow.repo.get(Council, council_id)
        rights.guard(
            uow, acting, Action.CONVENE_SITTING, lambda: rights.council_target(uow, council_id), at
        )
        if len(set(section_ids)) != len(section_ids):
            raise InvalidInput("a section is named twice", field="section_ids")
        for sid in section_ids:
            section = uow.repo.get(Section, sid)
            if section.council_id != council_id:
                raise RuleViolation(f"{section.name} is not a section of {council.name}")
        if chair_member_id is not None:
            chair = uow.repo.get(Member, chair_member_id)
            if chair.organization_id != council.organization_id:
                raise RuleViolation(f"{chair.name} is not a member of this organization")
        moment = uow.moment(at, council.organization_id)
        if acting is not None and day < moment.date():
            # A person convenes what is to come; the operator may record a past convocation.
            raise InvalidInput(
                say(
                    "%(day)s has passed: a sitting is convened for today (%(today)s) or a "
                    "later day",
                    day=day,
                    today=moment.date(),
                ),
                field="day",
            )
        sitting_id = uow.repo.next_id(Sitting)
        uow.record(
            SittingConvened(
                sitting_id,
                council_id,
                council.organization_id,
                title,
                day,
                tuple(sorted(section_ids)),
                chair_member_id,
            ),
            at=moment,
            actor=actor,
            organization_id=council.organization_id,
        )
        sitting = uow.repo.get(Sitting, sitting_id)
        uow.commit()
    return sitting


def open_sitting(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    chair_member_id: int | None = None,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Sitting:
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow, acting, Action.OPEN_SITTING, lambda: rights.sitting_target(uow, sitting), at
        )
        _require_status(sitting, SittingStatus.CONVENED, doing=say("open it"))
        if chair_member_id is not None:
            _member(uow, sitting, chair_member_id)
        uow.record(
            SittingOpened(sitting_id, chair_member_id),
            at=uow.moment(at, sitting.organization_id),
            actor=actor,
            organization_id=sitting.organization_id,
        )
        sitting = uow.repo.get(Sitting, sitting_id)
        uow.commit()
    return sitting


def close_sitting(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Sitting:
    """Close the sitting: everyone present leaves, the floor ends, and a vote still open is
    void (it was never counted)."""
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow, acting, Action.CLOSE_SITTING, lambda: rights.sitting_target(uow, sitting), at
        )
        _require_status(sitting, SittingStatus.OPEN, doing=say("close it"))
        moment = uow.moment(at, sitting.organization_id)
        floor = _floor(uow, sitting, moment)
        for vote in store.open_votes(uow.repo, sitting.id):
            _record_close(
                uow,
                floor,
                vote,
                moment,
                actor,
                void="void: the sitting closed before the vote was counted",
            )
        uow.record(
            SittingClosed(
                sitting_id,
                tuple(a.id for a in store.open_stays(uow.repo, sitting.id)),
                _speaking(uow, sitting.id),
            ),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        sitting = uow.repo.get(Sitting, sitting_id)
        uow.commit()
    return sitting


# -- attendance --------------------------------------------------------------------------------


def check_in(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    member_ids: Sequence[int] = (),
    faction_ids: Sequence[int] = (),
    everyone: bool = False,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> list[Attendance]:
    """Delegates arrive: those named (each must hold a seat in the sitting's sections and
    not be present already), and every absent delegate of the factions named, or of all.
    """
    if not member_ids and not faction_ids and not everyone:
        raise InvalidInput("name the delegates (or factions) who check in", field="member_ids")
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow,
            acting,
            Action.CHECK_IN,
            lambda: rights.sitting_target(uow, sitting),
            at,
            member_ids,
            for_others=say("check in whole factions or everyone")
            if faction_ids or everyone
            else None,
        )
        _require_status(sitting, SittingStatus.CONVENED, SittingStatus.OPEN, doing=say("check in"))
        moment = uow.moment(at, sitting.organization_id)
        floor = _floor(uow, sitting, moment)
        seats = floor.seat_by_member
        here = {a.member_id: a for a in floor.here}
        arriving: dict[int, Mandate] = {}
        for member_id in dict.fromkeys(member_ids):
            member = _member(uow, sitting, member_id)
            seat = _seat(uow, floor, member, moment, say("check in"))
            if member_id in here:
                since = _hm(here[member_id].arrived_at)
                raise AlreadyExists(
                    say(
                        "%(name)s is already present (since %(since)s)",
                        name=member.name,
                        since=since,
                    )
                )
            arriving[member_id] = seat
        factions = [_faction(uow, sitting, fid) for fid in dict.fromkeys(faction_ids)]
        for faction in factions:
            absent = [
                m for m in seats.values() if m.faction_id == faction.id and m.member_id not in here
            ]
            if not absent:
                raise RuleViolation(
                    say(
                        "no delegate of %(faction)s in %(where)s is absent",
                        faction=faction.name,
                        where=_where(uow, sitting),
                    )
                )
            arriving.update((m.member_id, m) for m in absent)
        if everyone:
            arriving.update((mid, m) for mid, m in seats.items() if mid not in here)
            if not arriving:
                raise RuleViolation(
                    say("every delegate of %(where)s is present", where=_where(uow, sitting))
                )
        stale = [a.id for a in store.open_stays(uow.repo, sitting.id) if a.member_id in arriving]
        arrivals = tuple(
            Arrival(uow.repo.next_id(Attendance), mid, seat.id)
            for mid, seat in sorted(arriving.items(), key=lambda pair: pair[1].id)
        )
        uow.record(
            DelegatesCheckedIn(sitting_id, arrivals, tuple(stale)),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        stays = [uow.repo.get(Attendance, a.attendance_id) for a in arrivals]
        uow.commit()
    return stays


def leave(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    member_ids: Sequence[int],
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> list[Attendance]:
    """Delegates leave the sitting (they may check in again)."""
    if not member_ids:
        raise InvalidInput("name the delegates who leave", field="member_ids")
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        if acting is not None:
            rights.require_self(uow, acting, say("leave the sitting"), member_ids)
        _require_status(sitting, SittingStatus.CONVENED, SittingStatus.OPEN, doing=say("leave it"))
        moment = uow.moment(at, sitting.organization_id)
        stays = {a.member_id: a for a in store.open_stays(uow.repo, sitting.id)}
        leaving = []
        for member_id in dict.fromkeys(member_ids):
            member = _member(uow, sitting, member_id)
            if member_id not in stays:
                raise RuleViolation(say("%(name)s is not present in the sitting", name=member.name))
            leaving.append(stays[member_id].id)
        uow.record(
            DelegatesLeft(sitting_id, tuple(leaving)),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        left = [uow.repo.get(Attendance, aid) for aid in leaving]
        uow.commit()
    return left


def walk_out(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    statement: str,
    member_ids: Sequence[int] = (),
    faction_ids: Sequence[int] = (),
    actor: str,
    at: datetime | None = None,
) -> Walkout:
    """Delegates, or whole factions (their delegates present), leave with a statement."""
    statement = _text(statement, "a walkout's statement")
    if not member_ids and not faction_ids:
        raise InvalidInput("name the delegates or factions who walk out", field="member_ids")
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        _require_status(sitting, SittingStatus.OPEN, doing=say("walk out of it"))
        moment = uow.moment(at, sitting.organization_id)
        floor = _floor(uow, sitting, moment)
        here = {a.member_id: a for a in floor.here}
        leaving: dict[int, Attendance] = {}
        for member_id in dict.fromkeys(member_ids):
            member = _member(uow, sitting, member_id)
            if member_id not in here:
                raise RuleViolation(say("%(name)s is not present in the sitting", name=member.name))
            leaving[member_id] = here[member_id]
        factions = [_faction(uow, sitting, fid) for fid in dict.fromkeys(faction_ids)]
        for faction in factions:
            theirs = [a for a in floor.here if floor.scope[a.mandate_id].faction_id == faction.id]
            if not theirs:
                raise RuleViolation(
                    say("no delegate of %(faction)s is present to walk out", faction=faction.name)
                )
            leaving.update((a.member_id, a) for a in theirs)
        walkout_id = uow.repo.next_id(Walkout)
        uow.record(
            WalkedOut(
                sitting_id,
                walkout_id,
                statement,
                tuple(f.id for f in factions),
                tuple(sorted(leaving)),
                tuple(a.id for a in sorted(leaving.values(), key=lambda a: a.id)),
            ),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        walkout = uow.repo.get(Walkout, walkout_id)
        uow.commit()
    return walkout


# -- the agenda and the floor ------------------------------------------------------------------


def add_agenda_item(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    title: str,
    kind: ItemKind = ItemKind.OTHER,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> AgendaItem:
    title = _text(title, "an item's title", 200)
    kind = ItemKind(kind)
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow, acting, Action.TAKE_UP_ITEM, lambda: rights.sitting_target(uow, sitting), at
        )
        _require_status(sitting, SittingStatus.CONVENED, SittingStatus.OPEN, doing=say("add items"))
        item_id = uow.repo.next_id(AgendaItem)
        position = len(store.items_of(uow.repo, sitting_id)) + 1
        uow.record(
            AgendaItemAdded(sitting_id, item_id, position, kind, title),
            at=uow.moment(at, sitting.organization_id),
            actor=actor,
            organization_id=sitting.organization_id,
        )
        item = uow.repo.get(AgendaItem, item_id)
        uow.commit()
    return item


def take_up_item(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    position: int | None = None,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> AgendaItem:
    """The sitting moves to an item of its agenda: the one at `position`, or the next one
    not yet taken up. Whoever had the floor stops speaking."""
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow, acting, Action.TAKE_UP_ITEM, lambda: rights.sitting_target(uow, sitting), at
        )
        _require_status(sitting, SittingStatus.OPEN, doing=say("take up an item"))
        items = store.items_of(uow.repo, sitting_id)
        if position is None:
            waiting = [i for i in items if i.taken_up_at is None]
            if not waiting:
                raise RuleViolation(
                    say("no item of the agenda of %(title)s is left", title=repr(sitting.title))
                )
            item = waiting[0]
        else:
            found = [i for i in items if i.position == position]
            if not found:
                raise NotFound(
                    say("the agenda has no item %(position)s", position=str(position)),
                    field="position",
                )
            item = found[0]
            if item.taken_up_at is not None:
                raise RuleViolation(
                    say(
                        "item %(position)s (%(title)s) was taken up at %(moment)s",
                        position=str(position),
                        title=item.title,
                        moment=clock(item.taken_up_at),
                    )
                )
        uow.record(
            AgendaItemTakenUp(sitting_id, item.id, _speaking(uow, sitting_id)),
            at=uow.moment(at, sitting.organization_id),
            actor=actor,
            organization_id=sitting.organization_id,
        )
        item = uow.repo.get(AgendaItem, item.id)
        uow.commit()
    return item


def _speaking(uow: UnitOfWork, sitting_id: int) -> tuple[int, ...]:
    return tuple(
        s.id
        for s in store.speakers_of(uow.repo, sitting_id)
        if s.floor_at is not None and s.done_at is None
    )


def _current_item(uow: UnitOfWork, sitting: Sitting, doing: Text) -> AgendaItem:
    if sitting.current_item_id is None:
        raise RuleViolation(
            say("no item of the agenda is before the sitting: cannot %(doing)s", doing=doing)
        )
    return uow.repo.get(AgendaItem, sitting.current_item_id)


def ask_to_speak(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    member_id: int,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Speaker:
    """A delegate present asks to speak on the item before the sitting."""
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow,
            acting,
            Action.ASK_TO_SPEAK,
            lambda: rights.sitting_target(uow, sitting),
            at,
            [member_id],
        )
        _require_status(sitting, SittingStatus.OPEN, doing=say("ask to speak"))
        moment = uow.moment(at, sitting.organization_id)
        item = _current_item(uow, sitting, say("ask to speak"))
        member = _member(uow, sitting, member_id)
        _present(uow, _floor(uow, sitting, moment), member, moment, say("ask to speak"))
        for speaker in store.speakers_of(uow.repo, sitting_id):
            if (
                speaker.item_id == item.id
                and speaker.member_id == member_id
                and speaker.done_at is None
            ):
                if speaker.floor_at:
                    raise AlreadyExists(
                        say(
                            "%(name)s already has the floor on %(title)s",
                            name=member.name,
                            title=repr(item.title),
                        )
                    )
                raise AlreadyExists(
                    say(
                        "%(name)s already is on the list on %(title)s",
                        name=member.name,
                        title=repr(item.title),
                    )
                )
        speaker_id = uow.repo.next_id(Speaker)
        uow.record(
            SpeakerListed(sitting_id, speaker_id, item.id, member_id),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        speaker = uow.repo.get(Speaker, speaker_id)
        uow.commit()
    return speaker


def give_floor(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Speaker | None:
    """The chair gives the floor to the next on the list (the speaker before is done);
    with no one waiting, the speaker is done and the floor is free (None)."""
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow, acting, Action.GIVE_FLOOR, lambda: rights.sitting_target(uow, sitting), at
        )
        _require_status(sitting, SittingStatus.OPEN, doing=say("give the floor"))
        item = _current_item(uow, sitting, say("give the floor"))
        speaking = _speaking(uow, sitting_id)
        waiting = sorted(
            (
                s
                for s in store.speakers_of(uow.repo, sitting_id)
                if s.item_id == item.id and s.floor_at is None
            ),
            key=lambda s: (s.asked_at, s.id),
        )
        if not waiting and not speaking:
            raise RuleViolation(
                say("no one has asked to speak on %(title)s", title=repr(item.title))
            )
        following = waiting[0].id if waiting else None
        uow.record(
            FloorGiven(sitting_id, following, speaking),
            at=uow.moment(at, sitting.organization_id),
            actor=actor,
            organization_id=sitting.organization_id,
        )
        speaker = uow.repo.get(Speaker, following) if following is not None else None
        uow.commit()
    return speaker


# -- motions and faction lines -----------------------------------------------------------------


def table_motion(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    title: str,
    text: str,
    majority: Majority | None = None,
    by_member_id: int | None = None,
    by_faction_id: int | None = None,
    by_committee_id: int | None = None,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Motion:
    """A delegate present, a faction, or a committee of the council tables a motion under
    the item before the sitting."""
    title = _text(title, "a motion's title", 200)
    text = _text(text, "a motion's text")
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        rights.guard(
            uow,
            acting,
            Action.TABLE_MOTION,
            lambda: rights.sitting_target(uow, sitting),
            at,
            [by_member_id],
            for_others=say("table a motion for a faction or a committee")
            if by_member_id is None
            else None,
        )
        motion = _table(
            uow,
            sitting,
            title=title,
            text=text,
            majority=majority,
            by=(by_member_id, by_faction_id, by_committee_id),
            parent=None,
            actor=actor,
            at=at,
        )
        uow.commit()
    return motion


def amend_motion(
    uow: UnitOfWork,
    *,
    motion_id: int,
    text: str,
    title: str | None = None,
    by_member_id: int | None = None,
    by_faction_id: int | None = None,
    by_committee_id: int | None = None,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Motion:
    """An amendment: a motion whose text, if it carries, replaces the text of its motion.
    It is voted before its motion."""
    text = _text(text, "an amendment's text")
    with uow:
        uow.lock()
        parent = _motion(uow, motion_id)
        sitting = _sitting(uow, parent.sitting_id)
        rights.guard(
            uow,
            acting,
            Action.TABLE_MOTION,
            lambda: rights.sitting_target(uow, sitting),
            at,
            [by_member_id],
            for_others=say("table an amendment for a faction or a committee")
            if by_member_id is None
            else None,
        )
        if parent.status is not MotionStatus.PENDING:
            raise RuleViolation(_was(parent))
        if any(v.closed_at is None for v in store.votes_of_motion(uow.repo, parent.id)):
            raise RuleViolation(
                say(
                    "motion %(id)s (%(title)s) is being voted on",
                    id=str(parent.id),
                    title=parent.title,
                )
            )
        motion = _table(
            uow,
            sitting,
            title=_text(title, "an amendment's title", 200)
            if title
            else f"Amendment to {parent.title}"[:200],
            text=text,
            majority=parent.majority,
            by=(by_member_id, by_faction_id, by_committee_id),
            parent=parent,
            actor=actor,
            at=at,
        )
        uow.commit()
    return motion


def _table(
    uow: UnitOfWork,
    sitting: Sitting,
    *,
    title: str,
    text: str,
    majority: Majority | None,
    by: tuple[int | None, int | None, int | None],
    parent: Motion | None,
    actor: str,
    at: datetime | None,
) -> Motion:
    _require_status(sitting, SittingStatus.OPEN, doing=say("table a motion"))
    moment = uow.moment(at, sitting.organization_id)
    by_member_id, by_faction_id, by_committee_id = by
    if sum(x is not None for x in by) != 1:
        raise InvalidInput(
            say("a motion is tabled by one delegate, one faction or one committee"),
            field="tabled_by",
        )
    if by_member_id is not None:
        member = _member(uow, sitting, by_member_id)
        _present(uow, _floor(uow, sitting, moment), member, moment, say("table a motion"))
    if by_faction_id is not None:
        _faction(uow, sitting, by_faction_id)
    if by_committee_id is not None:
        committee = uow.repo.get(Council, by_committee_id)
        if committee.kind is not CouncilKind.COMMITTEE or committee.parent_id != sitting.council_id:
            council = uow.repo.get(Council, sitting.council_id)
            raise RuleViolation(
                say(
                    "%(committee)s is not a committee of %(council)s",
                    committee=committee.name,
                    council=council.name,
                )
            )
    item_id = parent.item_id if parent is not None else sitting.current_item_id
    motion_id = uow.repo.next_id(Motion)
    uow.record(
        MotionTabled(
            motion_id=motion_id,
            sitting_id=sitting.id,
            council_id=sitting.council_id,
            item_id=item_id,
            parent_id=parent.id if parent is not None else None,
            title=title,
            text=text,
            majority=Majority(majority) if majority is not None else None,
            tabled_by_member_id=by_member_id,
            tabled_by_faction_id=by_faction_id,
            tabled_by_committee_id=by_committee_id,
        ),
        at=moment,
        actor=actor,
        organization_id=sitting.organization_id,
    )
    return uow.repo.get(Motion, motion_id)


def adopt_line(
    uow: UnitOfWork,
    *,
    motion_id: int,
    faction_id: int,
    line: Choice,
    actor: str,
    at: datetime | None = None,
) -> FactionLine:
    """A faction binds its delegates to vote for, against, or to abstain on a motion."""
    line = Choice(line)
    with uow:
        uow.lock()
        motion = _motion(uow, motion_id)
        sitting = _sitting(uow, motion.sitting_id)
        _require_status(
            sitting, SittingStatus.CONVENED, SittingStatus.OPEN, doing=say("adopt a line")
        )
        faction = _faction(uow, sitting, faction_id)
        if motion.status is not MotionStatus.PENDING:
            raise RuleViolation(_was(motion))
        if any(v.closed_at is None for v in store.votes_of_motion(uow.repo, motion.id)):
            raise RuleViolation(
                say(
                    "the vote on motion %(id)s is open: %(faction)s adopts its line before "
                    "the vote",
                    id=str(motion.id),
                    faction=faction.name,
                )
            )
        line_id = uow.repo.next_id(FactionLine)
        uow.record(
            FactionLineAdopted(line_id, motion_id, faction_id, line),
            at=uow.moment(at, sitting.organization_id),
            actor=actor,
            organization_id=sitting.organization_id,
        )
        adopted = uow.repo.get(FactionLine, line_id)
        uow.commit()
    return adopted


# -- votes -------------------------------------------------------------------------------------


def _was(motion: Motion, *, when: bool = False) -> Text:
    """A motion no longer pending: what became of it (and when)."""
    # The status is the word the pages use for it (words.py).
    status = Text(motion.status.value)
    if when and motion.decided_at:
        return say(
            "motion %(id)s (%(title)s) was %(status)s at %(moment)s",
            id=str(motion.id),
            title=motion.title,
            status=status,
            moment=clock(motion.decided_at),
        )
    return say(
        "motion %(id)s (%(title)s) was %(status)s",
        id=str(motion.id),
        title=motion.title,
        status=status,
    )


def _closed(vote: Vote) -> Text:
    assert vote.closed_at is not None
    return say("vote %(id)s closed at %(moment)s", id=str(vote.id), moment=clock(vote.closed_at))


def _check_votable(uow: UnitOfWork, motion: Motion, sitting: Sitting, floor: Floor) -> None:
    _require_status(sitting, SittingStatus.OPEN, doing=say("vote"))
    if motion.status is not MotionStatus.PENDING:
        raise RuleViolation(_was(motion, when=True))
    for vote in store.open_votes(uow.repo, sitting.id):
        other = uow.repo.get(Motion, vote.motion_id)
        raise RuleViolation(
            say(
                "the vote on motion %(id)s (%(title)s) is open: close it first",
                id=str(other.id),
                title=other.title,
            )
        )
    pending = [
        a for a in store.amendments_of(uow.repo, motion.id) if a.status is MotionStatus.PENDING
    ]
    if pending:
        names = ", ".join(f"{a.id} ({a.title})" for a in pending)
        raise RuleViolation(
            say(
                "motion %(id)s has amendments not yet voted on (%(names)s): they are voted "
                "before it",
                id=str(motion.id),
                names=names,
            )
        )
    _require_quorum(floor, say("open a vote"))


def open_vote(
    uow: UnitOfWork,
    *,
    motion_id: int,
    mode: VoteMode = VoteMode.ROLL_CALL,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Vote:
    """Open a roll-call or a secret vote on a motion (a show of hands is entered as totals,
    see `record_totals`)."""
    mode = VoteMode(mode)
    if mode is VoteMode.SHOW_OF_HANDS:
        raise InvalidInput(
            "a vote by show of hands is entered with its totals (vote-record)", field="mode"
        )
    with uow:
        uow.lock()
        motion = _motion(uow, motion_id)
        sitting = _sitting(uow, motion.sitting_id)
        rights.guard(uow, acting, Action.OPEN_VOTE, lambda: rights.sitting_target(uow, sitting), at)
        moment = uow.moment(at, sitting.organization_id)
        floor = _floor(uow, sitting, moment)
        _check_votable(uow, motion, sitting, floor)
        vote_id = uow.repo.next_id(Vote)
        uow.record(
            VoteOpened(
                vote_id, motion_id, sitting.id, mode, motion.majority or floor.council.majority
            ),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        vote = uow.repo.get(Vote, vote_id)
        uow.commit()
    return vote


@dataclass(frozen=True)
class Ballot:
    """What casting a vote answers: who voted, and how far the vote has got. A secret
    vote's answer does not say the choice."""

    vote_id: int
    member_id: int
    name: str
    choice: Choice | None  # None in a secret vote
    voted: int
    present: int


def cast_vote(
    uow: UnitOfWork,
    *,
    vote_id: int,
    member_id: int,
    choice: Choice,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Ballot:
    """A delegate present, holding their seat, votes once. In a roll-call vote the choice is
    recorded with their name; in a secret vote only that they voted (the ledger and
    `sitting_voters`), and the choice goes into the vote's ballot box as a ballot that
    nothing links to them, in the same transaction: both, or neither.

    Once: the database holds one voter row per vote and delegate (a unique constraint), so
    of two ballots cast at once by the same delegate one is refused, whatever the timing.
    """
    choice = Choice(choice)
    with uow:
        uow.lock()
        vote = _vote(uow, vote_id)
        sitting = _sitting(uow, vote.sitting_id)
        rights.guard(
            uow,
            acting,
            Action.VOTE_ON_MOTION,
            lambda: rights.sitting_target(uow, sitting),
            at,
            [member_id],
        )
        _require_status(sitting, SittingStatus.OPEN, doing=say("vote"))
        member = _member(uow, sitting, member_id)
        if vote.closed_at is not None:
            raise RuleViolation(_closed(vote))
        moment = uow.moment(at, sitting.organization_id)
        floor = _floor(uow, sitting, moment)
        seat = _present(uow, floor, member, moment, say("vote"))
        earlier = store.voted(uow.repo, vote.id, member_id)
        if earlier is not None:
            raise AlreadyExists(
                say(
                    "%(name)s has already voted in vote %(id)s (at %(time)s)",
                    name=member.name,
                    id=str(vote.id),
                    time=_hm(earlier.cast_at),
                )
            )
        _require_quorum(floor, say("vote"))
        voter_id = uow.repo.next_id(Voter)
        event: RollCallVoteCast | SecretBallotCast = (
            SecretBallotCast(voter_id, vote.id, member_id, seat.id)
            if vote.mode is VoteMode.SECRET
            else RollCallVoteCast(voter_id, vote.id, member_id, seat.id, choice)
        )
        try:
            uow.record(event, at=moment, actor=actor, organization_id=sitting.organization_id)
        except IntegrityError:
            raise AlreadyExists(
                say(
                    "%(name)s has already voted in vote %(id)s",
                    name=member.name,
                    id=str(vote.id),
                )
            ) from None
        if vote.mode is VoteMode.SECRET:
            store.put_ballot(uow.connection, vote.id, choice)
        ballot = Ballot(
            vote.id,
            member_id,
            member.name,
            None if vote.mode is VoteMode.SECRET else choice,
            store.voter_count(uow.repo, vote.id),
            len(floor.here),
        )
        uow.commit()
    return ballot


def close_vote(
    uow: UnitOfWork,
    *,
    vote_id: int,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Vote:
    """Count the vote, under its majority rule, against the delegates present and the seats.
    Refused without a quorum; void if the quorum was lost at any moment while it was open."""
    with uow:
        uow.lock()
        vote = _vote(uow, vote_id)
        sitting = _sitting(uow, vote.sitting_id)
        rights.guard(
            uow, acting, Action.CLOSE_VOTE, lambda: rights.sitting_target(uow, sitting), at
        )
        _require_status(sitting, SittingStatus.OPEN, doing=say("count a vote"))
        if vote.closed_at is not None:
            raise RuleViolation(_closed(vote))
        moment = uow.moment(at, sitting.organization_id)
        floor = _floor(uow, sitting, moment)
        if not floor.quorate:
            raise RuleViolation(
                say(
                    "no quorum (%(quorum)s): the vote cannot be counted now; closed once the "
                    "quorum is back it will be void",
                    quorum=floor.quorum_said(),
                )
            )
        timeline = presence_timeline(
            store.stays(uow.repo, sitting.id),
            store.scope_mandates_between(uow.repo, sitting, vote.opened_at, moment),
            floor.council.quorum,
            vote.opened_at,
            moment,
        )
        lost = first_loss(timeline)
        void = None
        if lost is not None:
            void = (
                f"void: quorum lost during the vote (at {_hm(lost.at)}: {lost.present} present, "
                f"{lost.needed} needed)"
            )
        _record_close(uow, floor, vote, moment, actor, void=void)
        vote = uow.repo.get(Vote, vote_id)
        uow.commit()
    return vote


def record_totals(
    uow: UnitOfWork,
    *,
    motion_id: int,
    yes: int,
    no: int,
    abstain: int = 0,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Vote:
    """The chair enters the totals of a vote taken by show of hands ("279 for, 115 against,
    51 abstaining"); it is counted at once against the delegates present and the seats."""
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        if value < 0:
            raise InvalidInput(f"{name} cannot be negative", field=name)
    if yes + no + abstain == 0:
        raise InvalidInput(say("no vote was entered: give the votes for, against and abstaining"))
    with uow:
        uow.lock()
        motion = _motion(uow, motion_id)
        sitting = _sitting(uow, motion.sitting_id)
        rights.guard(
            uow, acting, Action.CLOSE_VOTE, lambda: rights.sitting_target(uow, sitting), at
        )
        moment = uow.moment(at, sitting.organization_id)
        floor = _floor(uow, sitting, moment)
        _check_votable(uow, motion, sitting, floor)
        cast = yes + no + abstain
        if cast > len(floor.here):
            raise RuleViolation(
                say(
                    "%(cast)s votes entered (%(yes)s for, %(no)s against, %(abstain)s "
                    "abstaining) but only %(present)s delegates are present",
                    cast=cast,
                    yes=yes,
                    no=no,
                    abstain=abstain,
                    present=len(floor.here),
                )
            )
        vote_id = uow.repo.next_id(Vote)
        uow.record(
            VoteOpened(
                vote_id,
                motion_id,
                sitting.id,
                VoteMode.SHOW_OF_HANDS,
                motion.majority or floor.council.majority,
            ),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        vote = uow.repo.get(Vote, vote_id)
        _record_close(uow, floor, vote, moment, actor, counts=(yes, no, abstain))
        vote = uow.repo.get(Vote, vote_id)
        uow.commit()
    return vote


def _record_close(
    uow: UnitOfWork,
    floor: Floor,
    vote: Vote,
    moment: datetime,
    actor: str,
    *,
    void: str | None = None,
    counts: tuple[int, int, int] | None = None,
) -> None:
    """Count the vote and record its close (and, for a carried amendment, the new text of
    its motion)."""
    sitting = floor.sitting
    motion = uow.repo.get(Motion, vote.motion_id)
    voters = store.voters_of(uow.repo, [vote.id])
    if counts is not None:
        yes, no, abstain = counts
    elif vote.mode is VoteMode.SECRET:
        yes, no, abstain = _count_ballots(uow, vote, len(voters))
    else:
        by_choice = Counter(v.choice for v in voters)
        yes, no, abstain = (
            by_choice[Choice.FOR],
            by_choice[Choice.AGAINST],
            by_choice[Choice.ABSTAIN],
        )
    present = len(floor.present_ids | {v.member_id for v in voters})
    seats = max(store.scope_seats_at(uow.repo, sitting, moment), floor.seated, present, 1)
    try:
        decision = decide(
            yes,
            no,
            abstain,
            rule=CountingMajority(vote.majority.value),
            seats=seats,
            present=present,
        )
    except CountError as error:
        raise RuleViolation(str(error)) from error
    if void is not None:
        outcome, reason = Outcome.VOID, f"{void}; {yes} for, {no} against, {abstain} abstaining"
    elif yes == no == 0:
        outcome = Outcome.LOST
        reason = f"not carried: no vote for or against, {abstain} abstaining"
    else:
        outcome = (
            Outcome.TIED if decision.tied else Outcome.CARRIED if decision.carried else Outcome.LOST
        )
        reason = decision.reason
    adopted = motion.text if outcome is Outcome.CARRIED and motion.parent_id is not None else None
    uow.record(
        VoteClosed(
            vote_id=vote.id,
            motion_id=motion.id,
            yes=yes,
            no=no,
            abstain=abstain,
            present=present,
            seated=floor.seated,
            seats=seats,
            quorum_needed=floor.needed,
            required=decision.required,
            outcome=outcome,
            reason=reason,
            amended_motion_id=motion.parent_id if adopted is not None else None,
            adopted_text=adopted,
        ),
        at=moment,
        actor=actor,
        organization_id=sitting.organization_id,
    )


def _count_ballots(uow: UnitOfWork, vote: Vote, voted: int) -> tuple[int, int, int]:
    """Open a secret vote's ballot box and count it; refused if it does not hold one ballot
    per delegate who voted (then someone has changed it behind the services' back)."""
    counted = store.ballot_counts(uow.connection, [vote.id])[vote.id]
    found = sum(counted.values())
    if found != voted:
        raise RuleViolation(
            f"the ballot box of vote {vote.id} holds {found} ballots but {voted} delegates "
            "voted: it has been changed outside Smolny, and the vote cannot be counted"
        )
    return totals(counted)


def ballot_box_problems(
    uow: UnitOfWork, votes: Sequence[Vote], voters: Sequence[Voter]
) -> list[tuple[int, str]]:
    """Recount the ballot boxes against the votes (as the ledger has them): a closed secret
    vote's ballots must give its totals, an open one's must number its voters, and no
    other vote has ballots. (vote id, what differs), for `smolny verify`."""
    voted = Counter(v.vote_id for v in voters)
    secret = {v.id: v for v in votes if v.mode is VoteMode.SECRET}
    counts = store.ballot_counts(uow.connection, secret)
    problems = []
    for vote_id in store.boxes(uow.connection):
        if vote_id not in secret:
            problems.append((vote_id, f"vote {vote_id} is no secret vote but has ballots"))
    for vote_id, vote in sorted(secret.items()):
        counted = counts[vote_id]
        found = sum(counted.values())
        if found != voted[vote_id]:
            problems.append(
                (
                    vote_id,
                    f"the ballot box of vote {vote_id} holds {found} ballots but "
                    f"{voted[vote_id]} delegates voted",
                )
            )
        elif vote.closed_at is not None and totals(counted) != (vote.yes, vote.no, vote.abstain):
            again = "{} for, {} against, {} abstaining"
            problems.append(
                (
                    vote_id,
                    f"counting the ballots of vote {vote_id} again gives "
                    f"{again.format(*totals(counted))}, not the recorded "
                    f"{again.format(vote.yes, vote.no, vote.abstain)}",
                )
            )
    return problems


# -- elections held in a sitting ---------------------------------------------------------------


def hold_election(
    uow: UnitOfWork,
    *,
    sitting_id: int,
    committee_id: int,
    seats: int,
    method: ElectionMethod = ElectionMethod.DHONDT,
    lists: Sequence[ListTally] = (),
    standing: Sequence[int] = (),
    ballots: Sequence[RankedBallot] = (),
    ties: TieBreak = TieBreak(),
    position: int | None = None,
    actor: str,
    at: datetime | None = None,
) -> Election:
    """The council elects its executive, presidium or an officer as an item of the sitting,
    counted by `services.elections.elect_committee` (lists or ranked ballots); the item
    links the election. The item is the one at `position`, else the election item before
    the sitting, else a new item taken up at once."""
    with uow:
        uow.lock()
        sitting = _sitting(uow, sitting_id)
        _require_status(sitting, SittingStatus.OPEN, doing=say("hold an election"))
        council = uow.repo.get(Council, sitting.council_id)
        committee = uow.repo.get(Council, committee_id)
        if committee.kind not in ELECTED_BODIES or committee.parent_id != council.id:
            raise RuleViolation(
                say(
                    "%(committee)s is not a committee or an office elected by %(council)s",
                    committee=committee.name,
                    council=council.name,
                )
            )
        moment = uow.moment(at, sitting.organization_id)
        _require_quorum(_floor(uow, sitting, moment), say("hold an election"))
        items = store.items_of(uow.repo, sitting_id)
        item: AgendaItem | None = None
        if position is not None:
            found = [i for i in items if i.position == position]
            if not found:
                raise NotFound(
                    say("the agenda has no item %(position)s", position=str(position)),
                    field="position",
                )
            item = found[0]
        elif sitting.current_item_id is not None:
            current = uow.repo.get(AgendaItem, sitting.current_item_id)
            if current.kind is ItemKind.ELECTION and current.election_id is None:
                item = current
        if item is not None:
            if item.kind is not ItemKind.ELECTION:
                raise RuleViolation(
                    say(
                        "item %(position)s (%(title)s) is not an election",
                        position=str(item.position),
                        title=item.title,
                    )
                )
            if item.election_id is not None:
                raise RuleViolation(
                    say(
                        "item %(position)s (%(title)s) held its election",
                        position=str(item.position),
                        title=item.title,
                    )
                )
        election = elect_committee(
            uow,
            committee_id=committee_id,
            seats=seats,
            lists=lists,
            method=method,
            standing=standing,
            ballots=ballots,
            ties=ties,
            actor=actor,
            at=moment,
        )
        new = item is None
        item_id = uow.repo.next_id(AgendaItem) if item is None else item.id
        uow.record(
            SittingElectionHeld(
                sitting_id=sitting_id,
                item_id=item_id,
                election_id=election.id,
                committee_id=committee_id,
                new_item_position=len(items) + 1 if new else None,
                new_item_title=f"Election: {committee.name}"[:200] if new else None,
                ended_speaker_ids=_speaking(uow, sitting_id) if new else (),
            ),
            at=moment,
            actor=actor,
            organization_id=sitting.organization_id,
        )
        uow.commit()
    return election


# -- what a sitting looked like at a moment ----------------------------------------------------


@dataclass(frozen=True)
class Here:
    """A delegate present."""

    member: Member
    faction: Faction | None
    section: Section | None
    since: datetime

    @property
    def faction_name(self) -> str:
        return self.faction.name if self.faction else NON_PARTY


@dataclass(frozen=True)
class FactionPresence:
    faction: Faction | None
    present: int
    seated: int

    @property
    def name(self) -> str:
        return self.faction.name if self.faction else NON_PARTY


@dataclass(frozen=True)
class SpeakerLine:
    speaker: Speaker
    name: str
    state: str  # "waiting", "speaking" or "done"


@dataclass(frozen=True)
class ElectionHeld:
    item: AgendaItem
    election: Election
    committee: Council
    method: str
    elected: list[str]
    powers: list[str]


@dataclass(frozen=True)
class ItemState:
    item: AgendaItem
    current: bool
    taken_up: bool
    speakers: list[SpeakerLine]
    motion_ids: list[int]
    election: ElectionHeld | None


@dataclass(frozen=True)
class LineState:
    faction: str
    line: Choice
    report: LineReport | None  # for a closed roll-call vote
    followed: list[str] = field(default_factory=list)
    broke: list[tuple[str, Choice]] = field(default_factory=list)
    did_not_vote: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VoteState:
    """A vote as of a moment: open (how many of those present have voted) or closed (its
    counts and result); for a roll-call vote the names by choice, and who broke a line."""

    vote: Vote
    motion_title: str
    closed: bool
    voted: int
    present: int
    names: dict[Choice, list[str]] | None  # roll-call only
    lines: list[LineState]

    @property
    def outcome(self) -> Outcome | None:
        return self.vote.outcome if self.closed else None


@dataclass(frozen=True)
class MotionState:
    motion: Motion
    text: str  # as of the moment
    status: MotionStatus  # as of the moment
    tabled_by: str
    majority: Majority  # stated, or the council's standing rule
    amendment_ids: list[int]
    votes: list[VoteState]
    lines: list[tuple[str, Choice]]  # the lines in force: faction name, line
    amended_by: list[int]  # carried amendments, in order


@dataclass(frozen=True)
class WalkoutState:
    walkout: Walkout
    factions: list[str]
    names: list[str]
    returned: list[str]  # those who checked in again by the moment


@dataclass(frozen=True)
class LogEntry:
    """A line of a sitting's record: `text` says it in English; `kind` and `facts` let a
    page say it in another language."""

    at: datetime
    text: str
    kind: str = ""
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SittingView:
    sitting: Sitting
    council: Council
    organization: Organization
    sections: list[Section]  # the sitting's sections (none: the whole council sits)
    chair: Member | None
    at: datetime
    live: bool  # shown as of now (not a past moment)
    status: SittingStatus
    presence: Presence
    here: list[Here]
    factions: list[FactionPresence]
    timeline: list[Presence]
    walkouts: list[WalkoutState]
    agenda: list[ItemState]
    motions: list[MotionState]
    elections: list[ElectionHeld]
    log: list[LogEntry]

    @property
    def current(self) -> ItemState | None:
        return next((i for i in self.agenda if i.current), None)

    @property
    def open_votes(self) -> list[VoteState]:
        return [v for m in self.motions for v in m.votes if not v.closed]

    @property
    def where(self) -> str:
        if not self.sections:
            return self.council.name
        return f"{self.council.name} ({', '.join(s.name for s in self.sections)})"

    def motion(self, motion_id: int) -> MotionState:
        for state in self.motions:
            if state.motion.id == motion_id:
                return state
        raise NotFound(f"motion {motion_id} was not tabled by {clock(self.at)}", field="motion")


@dataclass(frozen=True)
class SittingSummary:
    sitting: Sitting
    status: SittingStatus
    where: str
    motions: int
    votes: int


def sittings_of_council(
    uow: UnitOfWork, council_id: int, at: datetime | None = None
) -> list[SittingSummary]:
    """The council's sittings convened by `at` (default now), newest first."""
    with uow:
        council = uow.repo.get(Council, council_id)
        moment = uow.now() if at is None else at
        sections = {s.id: s.name for s in uow.repo.sections(council_id)}
        convened = [s for s in store.sittings_of(uow.repo, council_id) if s.convened_at <= moment]
        counts = store.business_counts(uow.repo, [s.id for s in convened], moment)
        found = []
        for sitting in convened:
            where = council.name
            if sitting.section_ids:
                where += " (" + ", ".join(sections[s] for s in sitting.section_ids) + ")"
            motions, votes = counts[sitting.id]
            found.append(SittingSummary(sitting, sitting.status_at(moment), where, motions, votes))
        found.sort(key=lambda s: (s.sitting.day, s.sitting.convened_at, s.sitting.id), reverse=True)
        return found


def sitting_view(uow: UnitOfWork, sitting_id: int, at: datetime | None = None) -> SittingView:
    """The sitting as of `at` (default now): presence and quorum, walkouts, the agenda and
    its speakers, motions and votes (a vote still open shows only how many have voted)."""
    with uow:
        sitting = _sitting(uow, sitting_id)
        moment = uow.now() if at is None else at
        if moment < sitting.convened_at:
            raise NotFound(
                f"the sitting {sitting.title!r} was convened only at {clock(sitting.convened_at)}",
                field="at",
            )
        return _View(uow, sitting, moment, live=at is None).build()


def motion_view(uow: UnitOfWork, motion_id: int, at: datetime | None = None) -> SittingView:
    """The sitting of a motion, as of `at`: the motion is `view.motion(motion_id)`."""
    motion = get_motion(uow, motion_id)
    view = sitting_view(uow, motion.sitting_id, at)
    view.motion(motion_id)
    return view


def minutes(uow: UnitOfWork, sitting_id: int, at: datetime | None = None) -> SittingView:
    """The minutes: the sitting as it ended (or as of `at`, or now while it goes on)."""
    sitting = get_sitting(uow, sitting_id)
    if at is None and sitting.closed_at is not None:
        at = sitting.closed_at
    return sitting_view(uow, sitting_id, at)


def vote_state(uow: UnitOfWork, vote_id: int, at: datetime | None = None) -> VoteState:
    """A vote as of `at` (default now; a closed vote: as it closed)."""
    vote = get_vote(uow, vote_id)
    view = motion_view(uow, vote.motion_id, at)
    for state in view.motion(vote.motion_id).votes:
        if state.vote.id == vote_id:
            return state
    raise NotFound(f"vote {vote_id} opened only at {clock(vote.opened_at)}", field="at")


class _View:
    """Builds a SittingView from the sitting's records, read once, set-based."""

    def __init__(self, uow: UnitOfWork, sitting: Sitting, moment: datetime, live: bool) -> None:
        repo = uow.repo
        self.uow = uow
        self.sitting = sitting
        self.moment = moment
        self.live = live
        self.council = repo.get(Council, sitting.council_id)
        self.organization = repo.get(Organization, sitting.organization_id)
        self.all_sections = {s.id: s for s in repo.sections(sitting.council_id)}
        self.factions = repo.factions(sitting.organization_id)
        self.faction_by_id = {f.id: f for f in self.factions}
        self.stays = [a for a in store.stays(repo, sitting.id) if a.arrived_at <= moment]
        self.ended = min(moment, sitting.closed_at) if sitting.closed_at else moment
        self.scope = store.scope_mandates_between(repo, sitting, sitting.convened_at, self.ended)
        self.scope_by_id = {m.id: m for m in self.scope}
        self.walkouts = [w for w in store.walkouts_of(repo, sitting.id) if w.at <= moment]
        self.items = [i for i in store.items_of(repo, sitting.id) if i.added_at <= moment]
        self.speakers = [s for s in store.speakers_of(repo, sitting.id) if s.asked_at <= moment]
        self.motions = [m for m in store.motions_of(repo, sitting.id) if m.tabled_at <= moment]
        self.votes = [v for v in store.votes_of_sitting(repo, sitting.id) if v.opened_at <= moment]
        self.voters = [
            v for v in store.voters_of(repo, [v.id for v in self.votes]) if v.cast_at <= moment
        ]
        self.lines = [
            x for x in store.lines_of(repo, [m.id for m in self.motions]) if x.adopted_at <= moment
        ]
        voter_mandates = store.mandates_by_id(
            repo, [v.mandate_id for v in self.voters if v.mandate_id not in self.scope_by_id]
        )
        self.mandates = {**voter_mandates, **self.scope_by_id}
        member_ids = (
            {a.member_id for a in self.stays}
            | {m.member_id for m in self.scope}
            | {s.member_id for s in self.speakers}
            | {v.member_id for v in self.voters}
            | {m.tabled_by_member_id for m in self.motions if m.tabled_by_member_id}
            | ({sitting.chair_member_id} if sitting.chair_member_id else set())
        )
        self.members = repo.members_by_id(member_ids)
        self.committees = {
            c.id: c
            for c in repo.councils(sitting.organization_id)
            if c.parent_id == self.council.id
        }
        self.elections = {
            i.election_id: repo.get(Election, i.election_id)
            for i in self.items
            if i.election_id is not None
        }

    def name(self, member_id: int) -> str:
        return self.members[member_id].name

    def scope_at(self, moment: datetime) -> dict[int, Mandate]:
        return {m.id: m for m in self.scope if m.active_at(moment)}

    def presence(self, moment: datetime) -> tuple[Presence, list[Attendance]]:
        scope = self.scope_at(moment)
        here = present_stays(self.stays, scope, moment)
        seated = len(scope)
        return Presence(moment, len(here), seated, quorum_needed(self.council.quorum, seated)), here

    def build(self) -> SittingView:
        sitting, moment = self.sitting, self.moment
        status = sitting.status_at(moment)
        presence, here_stays = self.presence(self.ended)
        if status is SittingStatus.CLOSED:
            # After the close no one is present; the presence shown is the last before it.
            here_stays = []
            presence = Presence(self.ended, 0, presence.seated, presence.needed)
        here = sorted(
            (self._here(a) for a in here_stays),
            key=lambda h: (self._faction_order(h.faction), h.member.name),
        )
        agenda_items = self._agenda(status)
        motions = self._motions()
        elections = [i.election for i in agenda_items if i.election is not None]
        timeline = self._timeline()
        return SittingView(
            sitting=sitting,
            council=self.council,
            organization=self.organization,
            sections=[self.all_sections[s] for s in sitting.section_ids],
            chair=self.members.get(sitting.chair_member_id) if sitting.chair_member_id else None,
            at=moment,
            live=self.live,
            status=status,
            presence=presence,
            here=here,
            factions=self._factions(here_stays),
            timeline=timeline,
            walkouts=self._walkouts(),
            agenda=agenda_items,
            motions=motions,
            elections=elections,
            log=self._log(motions, timeline),
        )

    def _faction_order(self, faction: Faction | None) -> int:
        if faction is None:
            return len(self.factions)
        return next(i for i, f in enumerate(self.factions) if f.id == faction.id)

    def _here(self, stay: Attendance) -> Here:
        mandate = self.mandates[stay.mandate_id]
        return Here(
            self.members[stay.member_id],
            self.faction_by_id.get(mandate.faction_id) if mandate.faction_id else None,
            self.all_sections.get(mandate.section_id) if mandate.section_id else None,
            stay.arrived_at,
        )

    def _factions(self, here: list[Attendance]) -> list[FactionPresence]:
        seated = Counter(m.faction_id for m in self.scope_at(self.ended).values())
        present = Counter(self.mandates[a.mandate_id].faction_id for a in here)
        found = [
            FactionPresence(f, present[f.id], seated[f.id])
            for f in self.factions
            if seated[f.id] or present[f.id]
        ]
        if seated[None] or present[None]:
            found.append(FactionPresence(None, present[None], seated[None]))
        return found

    def _timeline(self) -> list[Presence]:
        sitting = self.sitting
        starts = [a.arrived_at for a in self.stays]
        if sitting.opened_at is not None and sitting.opened_at <= self.moment:
            starts.append(sitting.opened_at)
        start = min(starts) if starts else sitting.convened_at
        if start > self.ended:
            return []
        last = self._last_change(start)
        # Up to the last change, and a little after it (never past the moment shown).
        end = min(self.ended, last + max((last - start) / 10, timedelta(minutes=5)))
        points = presence_timeline(self.stays, self.scope, self.council.quorum, start, end)
        if points[-1].at < end:
            final = points[-1]
            points.append(Presence(end, final.present, final.seated, final.needed))
        return points

    def _last_change(self, start: datetime) -> datetime:
        """The last moment anything happened in the sitting by the moment shown (the
        presence over time is drawn up to it, not to a distant now)."""
        moments: list[datetime | None] = [start, self.sitting.opened_at, self.sitting.closed_at]
        moments += [t for a in self.stays for t in (a.arrived_at, a.left_at)]
        moments += [m.valid_from for m in self.scope] + [m.valid_to for m in self.scope]
        moments += [w.at for w in self.walkouts] + [i.taken_up_at for i in self.items]
        moments += [t for s in self.speakers for t in (s.asked_at, s.floor_at, s.done_at)]
        moments += [t for m in self.motions for t in (m.tabled_at, m.decided_at)]
        moments += [t for v in self.votes for t in (v.opened_at, v.closed_at)]
        moments += [v.cast_at for v in self.voters] + [x.adopted_at for x in self.lines]
        return max(t for t in moments if t is not None and start <= t <= self.ended)

    def _walkouts(self) -> list[WalkoutState]:
        found = []
        for walkout in sorted(self.walkouts, key=lambda w: (w.at, w.id)):
            back = sorted(
                {
                    self.name(a.member_id)
                    for a in self.stays
                    if a.member_id in walkout.member_ids and a.arrived_at > walkout.at
                }
            )
            found.append(
                WalkoutState(
                    walkout,
                    [self.faction_by_id[f].name for f in walkout.faction_ids],
                    sorted(self.name(m) for m in walkout.member_ids),
                    back,
                )
            )
        return found

    def _agenda(self, status: SittingStatus) -> list[ItemState]:
        taken = [
            i for i in self.items if i.taken_up_at is not None and i.taken_up_at <= self.moment
        ]
        current = max(taken, key=lambda i: (i.taken_up_at, i.id)) if taken else None
        states = []
        for item in self.items:
            speakers = []
            for s in sorted(
                (s for s in self.speakers if s.item_id == item.id),
                key=lambda s: (s.asked_at, s.id),
            ):
                if s.done_at is not None and s.done_at <= self.moment:
                    state = "done"
                elif s.floor_at is not None and s.floor_at <= self.moment:
                    state = "speaking"
                else:
                    state = "waiting"
                speakers.append(SpeakerLine(s, self.name(s.member_id), state))
            states.append(
                ItemState(
                    item,
                    current is not None
                    and item.id == current.id
                    and status is not SittingStatus.CLOSED,
                    item in taken,
                    speakers,
                    [m.id for m in self.motions if m.item_id == item.id],
                    self._election(item),
                )
            )
        return states

    def _election(self, item: AgendaItem) -> ElectionHeld | None:
        if item.election_id is None or item.committee_id is None:
            return None
        election = self.elections[item.election_id]
        if election.held_at > self.moment:
            return None
        committee = self.uow.repo.get(Council, item.committee_id)
        return ElectionHeld(
            item,
            election,
            committee,
            METHOD_NAMES.get(election.method, election.method.value),
            [str(name) for name in election.result.get("elected", [])],
            [p.value for p in committee.powers],
        )

    def _tabled_by(self, motion: Motion) -> str:
        if motion.tabled_by_member_id is not None:
            return self.name(motion.tabled_by_member_id)
        if motion.tabled_by_faction_id is not None:
            return f"the {self.faction_by_id[motion.tabled_by_faction_id].name} faction"
        if motion.tabled_by_committee_id is not None:
            committee = self.committees.get(motion.tabled_by_committee_id)
            if committee is None:
                committee = self.uow.repo.get(Council, motion.tabled_by_committee_id)
            return committee.name
        return ""

    def _motions(self) -> list[MotionState]:
        moment = self.moment
        closed = {v.id: v for v in self.votes if v.closed_at is not None and v.closed_at <= moment}
        states = []
        for motion in self.motions:
            amendments = [m for m in self.motions if m.parent_id == motion.id]
            carried = [
                (v.closed_at, v.adopted_text, v.motion_id)
                for v in closed.values()
                if v.outcome is Outcome.CARRIED
                and v.adopted_text is not None
                and v.closed_at is not None
                and any(a.id == v.motion_id for a in amendments)
            ]
            carried.sort(key=lambda c: c[0] or moment)
            text = text_at(
                motion,
                [(c[0], c[1]) for c in carried if c[0] is not None and c[1] is not None],
                moment,
            )
            status = (
                motion.status
                if motion.decided_at is not None and motion.decided_at <= moment
                else MotionStatus.PENDING
            )
            in_force = lines_in_force((x for x in self.lines if x.motion_id == motion.id), moment)
            states.append(
                MotionState(
                    motion=motion,
                    text=text,
                    status=status,
                    tabled_by=self._tabled_by(motion),
                    majority=motion.majority or self.council.majority,
                    amendment_ids=[a.id for a in amendments],
                    votes=[
                        self._vote(v, motion, closed, in_force)
                        for v in sorted(self.votes, key=lambda v: (v.opened_at, v.id))
                        if v.motion_id == motion.id
                    ],
                    lines=[
                        (self.faction_by_id[fid].name, line.line)
                        for fid, line in sorted(in_force.items())
                    ],
                    amended_by=[c[2] for c in carried],
                )
            )
        return states

    def _vote(
        self,
        vote: Vote,
        motion: Motion,
        closed: dict[int, Vote],
        in_force: dict[int, FactionLine],
    ) -> VoteState:
        is_closed = vote.id in closed
        voters = [v for v in self.voters if v.vote_id == vote.id]
        end = vote.closed_at if is_closed and vote.closed_at else self.ended
        _, here = self.presence(end)
        names = None
        lines: list[LineState] = []
        if vote.mode is VoteMode.ROLL_CALL:
            names = {c: [self.name(m) for m in ids] for c, ids in split_choices(voters).items()}
            if is_closed:
                lines = self._line_states(vote, voters, end, here, in_force)
        if is_closed:
            shown = vote
        else:
            # Not yet counted at this moment: no counts, no result.
            shown = Vote(
                vote.id, vote.motion_id, vote.sitting_id, vote.mode, vote.majority, vote.opened_at
            )
        # As at the count: those present, and those who voted and have left since.
        present = len({a.member_id for a in here} | {v.member_id for v in voters})
        return VoteState(
            shown,
            motion.title,
            is_closed,
            len(voters),
            vote.present if is_closed else present,
            names,
            lines,
        )

    def _line_states(
        self,
        vote: Vote,
        voters: list[Voter],
        end: datetime,
        here: list[Attendance],
        in_force: dict[int, FactionLine],
    ) -> list[LineState]:
        lines = (
            lines_in_force((x for x in self.lines if x.motion_id == vote.motion_id), end)
            or in_force
        )
        factions = {mid: m.faction_id for mid, m in self.mandates.items()}
        seated = list(self.scope_at(end).values())
        present = {a.member_id for a in here}
        states = []
        for faction_id, line in sorted(lines.items()):
            report = line_report(line, voters, factions, seated, present)
            states.append(
                LineState(
                    faction=self.faction_by_id[faction_id].name,
                    line=line.line,
                    report=report,
                    followed=[self.name(m) for m in report.followed],
                    broke=[(self.name(m), c) for m, c in report.broke],
                    did_not_vote=[self.name(m) for m in report.did_not_vote],
                    absent=[self.name(m) for m in report.absent],
                )
            )
        return states

    def _log(self, motions: list[MotionState], timeline: list[Presence]) -> list[LogEntry]:
        sitting, moment = self.sitting, self.moment
        log: list[tuple[datetime, int, str, str, dict[str, Any]]] = [
            (
                sitting.convened_at,
                0,
                f"Sitting convened: {sitting.title} ({sitting.day})",
                "convened",
                {"title": sitting.title, "day": sitting.day},
            )
        ]
        if sitting.opened_at and sitting.opened_at <= moment:
            chair = (
                f"; in the chair: {self.name(sitting.chair_member_id)}"
                if sitting.chair_member_id
                else ""
            )
            chair_name = self.name(sitting.chair_member_id) if sitting.chair_member_id else None
            log.append(
                (sitting.opened_at, 1, f"Sitting opened{chair}", "opened", {"chair": chair_name})
            )
        walked = {w.id for w in self.walkouts}
        arrivals: dict[datetime, list[str]] = {}
        departures: dict[datetime, list[str]] = {}
        for stay in self.stays:
            arrivals.setdefault(stay.arrived_at, []).append(self.name(stay.member_id))
            closing = sitting.closed_at is not None and stay.left_at == sitting.closed_at
            if (
                stay.left_at is not None
                and stay.left_at <= moment
                and stay.walkout_id not in walked
                and not closing
            ):
                departures.setdefault(stay.left_at, []).append(self.name(stay.member_id))
        for when, names in arrivals.items():
            text = f"{_count(len(names), 'delegate')} checked in{_names(names)}"
            log.append((when, 2, text, "checked-in", _people(names)))
        for when, names in departures.items():
            text = f"{_count(len(names), 'delegate')} left{_names(names)}"
            log.append((when, 2, text, "left", _people(names)))
        for w in self._walkouts():
            who = f"the {', '.join(w.factions)}" if w.factions else "delegates"
            log.append(
                (
                    w.walkout.at,
                    3,
                    f"Walkout of {who} ({_count(len(w.names), 'delegate')}): "
                    f"“{w.walkout.statement}”",
                    "walkout",
                    {
                        "factions": w.factions,
                        "count": len(w.names),
                        "statement": w.walkout.statement,
                    },
                )
            )
        previous, reached = None, False
        for point in timeline:
            if previous is not None and point.quorate != previous.quorate:
                counts = f"({point.present} present, {point.needed} needed)"
                if not point.quorate:
                    kind, text = "quorum-lost", f"Quorum lost {counts}"
                else:
                    change = "regained" if reached else "reached"
                    kind, text = f"quorum-{change}", f"Quorum {change} {counts}"
                facts: dict[str, Any] = {"present": point.present, "needed": point.needed}
                log.append((point.at, 4, text, kind, facts))
            reached = reached or point.quorate
            previous = point
        for item in self.items:
            if item.taken_up_at is not None and item.taken_up_at <= moment:
                text = f"Item {item.position}: {item.title}"
                facts = {"position": item.position, "title": item.title}
                log.append((item.taken_up_at, 5, text, "item", facts))
        for s in self.speakers:
            if s.floor_at is not None and s.floor_at <= moment:
                name = self.name(s.member_id)
                log.append((s.floor_at, 6, f"{name} has the floor", "floor", {"name": name}))
        for state in motions:
            m = state.motion
            what = f"Amendment {m.id} to motion {m.parent_id}" if m.parent_id else f"Motion {m.id}"
            facts = {"id": m.id, "parent": m.parent_id, "by": state.tabled_by, "title": m.title}
            text = f"{what} tabled by {state.tabled_by}: {m.title}"
            log.append((m.tabled_at, 7, text, "tabled", facts))
            for v in state.votes:
                text = f"{MODE_WORDS[v.vote.mode].capitalize()} on {m.title}"
                facts = {"mode": v.vote.mode, "title": m.title}
                log.append((v.vote.opened_at, 8, text, "vote-opened", facts))
                if v.closed and v.vote.closed_at is not None:
                    text = f"{m.title}: {result_words(v.vote)}"
                    facts = {"title": m.title, "vote": v.vote}
                    log.append((v.vote.closed_at, 9, text, "vote-closed", facts))
        for line in self.lines:
            motion = next(m for m in self.motions if m.id == line.motion_id)
            log.append(
                (
                    line.adopted_at,
                    7,
                    f"{self.faction_by_id[line.faction_id].name} binds its delegates to vote "
                    f"{line.line.value} on {motion.title}",
                    "line",
                    {
                        "faction": self.faction_by_id[line.faction_id].name,
                        "choice": line.line,
                        "title": motion.title,
                    },
                )
            )
        for item in self.items:
            held = self._election(item)
            if held is not None:
                log.append(
                    (
                        held.election.held_at,
                        9,
                        f"{held.committee.name} elected ({held.method}): "
                        + (", ".join(held.elected) or "no one"),
                        "elected",
                        {
                            "body": held.committee.name,
                            "method": held.method,
                            "names": list(held.elected),
                        },
                    )
                )
        if sitting.closed_at and sitting.closed_at <= moment:
            log.append((sitting.closed_at, 10, "Sitting closed", "closed", {}))
        log.sort(key=lambda entry: (entry[0], entry[1]))
        return [LogEntry(when, text, kind, facts) for when, _, text, kind, facts in log]


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _people(names: list[str], limit: int = 12) -> dict[str, Any]:
    """How many, and their names when few enough to list (as `_names`)."""
    return {"count": len(names), "names": sorted(names) if len(names) <= limit else []}


def _names(names: list[str], limit: int = 12) -> str:
    if len(names) > limit:
        return ""
    return ": " + ", ".join(sorted(names))


def result_words(vote: Vote) -> str:
    """A closed vote's result in words: "carried, 279 for, 115 against, 51 abstaining"."""
    counts = f"{vote.yes} for, {vote.no} against, {vote.abstain} abstaining"
    match vote.outcome:
        case Outcome.VOID:
            return vote.reason
        case Outcome.TIED:
            return f"lost on a tie, {counts}"
        case None:
            return "open"
        case outcome:
            return f"{outcome.value}, {counts} (needed {vote.required} for)"


# -- documents: JSON and Markdown --------------------------------------------------------------


def vote_document(state: VoteState) -> dict[str, Any]:
    vote = state.vote
    document: dict[str, Any] = {
        "id": vote.id,
        "motion": vote.motion_id,
        "mode": vote.mode.value,
        "majority": vote.majority.value,
        "opened_at": iso(vote.opened_at),
        "closed_at": iso(vote.closed_at) if state.closed and vote.closed_at else None,
        "voted": state.voted,
        "present": state.present,
    }
    if state.closed:
        document.update(
            {
                "for": vote.yes,
                "against": vote.no,
                "abstain": vote.abstain,
                "seated": vote.seated,
                "seats": vote.seats,
                "quorum": vote.quorum_needed,
                "required": vote.required,
                "outcome": vote.outcome.value if vote.outcome else None,
                "reason": vote.reason,
            }
        )
        if vote.adopted_text is not None:
            document["adopted_text"] = vote.adopted_text
    if state.names is not None and (state.closed or vote.mode is VoteMode.ROLL_CALL):
        document["names"] = {c.value: names for c, names in state.names.items()}
    if state.lines:
        document["lines"] = [
            {
                "faction": line.faction,
                "line": line.line.value,
                "followed": line.followed,
                "broke": [{"name": n, "voted": c.value} for n, c in line.broke],
                "did_not_vote": line.did_not_vote,
                "absent": line.absent,
            }
            for line in state.lines
        ]
    return document


def motion_document(state: MotionState) -> dict[str, Any]:
    m = state.motion
    return {
        "id": m.id,
        "title": m.title,
        "text": state.text,
        "original_text": m.original_text,
        "amends": m.parent_id,
        "amendments": state.amendment_ids,
        "amended_by": state.amended_by,
        "tabled_by": state.tabled_by,
        "tabled_at": iso(m.tabled_at),
        "majority": state.majority.value,
        "status": state.status.value,
        "lines": [{"faction": f, "line": c.value} for f, c in state.lines],
        "votes": [vote_document(v) for v in state.votes],
    }


def sitting_document(view: SittingView) -> dict[str, Any]:
    """The JSON form of a sitting as of a moment (the API, `smolny sitting show`)."""
    s = view.sitting
    return {
        "id": s.id,
        "title": s.title,
        "day": s.day.isoformat(),
        "council": view.council.name,
        "sections": [x.name for x in view.sections],
        "chair": view.chair.name if view.chair else None,
        "at": iso(view.at),
        "status": view.status.value,
        "presence": {
            "present": view.presence.present,
            "seated": view.presence.seated,
            "quorum": view.presence.needed,
            "quorate": view.presence.quorate,
        },
        "factions": [
            {"faction": f.name, "present": f.present, "seated": f.seated} for f in view.factions
        ],
        "present": [
            {
                "name": h.member.name,
                "number": h.member.number,
                "faction": h.faction_name,
                "since": iso(h.since),
            }
            for h in view.here
        ],
        "walkouts": [
            {
                "at": iso(w.walkout.at),
                "statement": w.walkout.statement,
                "factions": w.factions,
                "delegates": w.names,
                "returned": w.returned,
            }
            for w in view.walkouts
        ],
        "agenda": [
            {
                "position": i.item.position,
                "kind": i.item.kind.value,
                "title": i.item.title,
                "current": i.current,
                "taken_up_at": iso(i.item.taken_up_at)
                if i.taken_up and i.item.taken_up_at
                else None,
                "speakers": [{"name": x.name, "state": x.state} for x in i.speakers],
                "motions": i.motion_ids,
            }
            for i in view.agenda
        ],
        "motions": [motion_document(m) for m in view.motions],
        "elections": [
            {
                "item": e.item.position,
                "election": e.election.id,
                "committee": e.committee.name,
                "method": e.method,
                "seats": e.election.seats,
                "elected": e.elected,
                "powers": e.powers,
            }
            for e in view.elections
        ],
    }


def minutes_document(view: SittingView) -> dict[str, Any]:
    """The minutes as JSON: the sitting as it ended, its presence over time, its record."""
    document = sitting_document(view)
    document["opened_at"] = iso(view.sitting.opened_at) if view.sitting.opened_at else None
    document["closed_at"] = (
        iso(view.sitting.closed_at)
        if view.sitting.closed_at and view.sitting.closed_at <= view.at
        else None
    )
    document["timeline"] = [
        {
            "at": iso(p.at),
            "present": p.present,
            "seated": p.seated,
            "quorum": p.needed,
            "quorate": p.quorate,
        }
        for p in view.timeline
    ]
    document["record"] = [{"at": iso(e.at), "text": e.text} for e in view.log]
    return document


def _md(text: str) -> str:
    """Text for a Markdown line: characters that would start markup are escaped."""
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "|", "#"):
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def minutes_markdown(view: SittingView) -> str:
    """The minutes as a Markdown document."""
    s = view.sitting
    day = s.day
    out: list[str] = [f"# Minutes: {_md(s.title)}", ""]
    head = [f"{_md(view.where)}, sitting of {s.day.isoformat()}."]
    if view.chair:
        head.append(f"In the chair: {_md(view.chair.name)}.")
    if s.opened_at and s.opened_at <= view.at:
        head.append(f"Opened {clock(s.opened_at)}.")
    if s.closed_at and s.closed_at <= view.at:
        head.append(f"Closed {clock(s.closed_at)}.")
    else:
        head.append(f"Minutes as of {clock(view.at)}; the sitting was {view.status.value}.")
    out += [" ".join(head), ""]

    out += ["## Attendance", ""]
    if view.timeline:
        most = max(view.timeline, key=lambda p: p.present)
        out.append(
            f"Quorum: more than {_share(view.council)} of the delegates seated. "
            f"Most present: {most.present} of {most.seated} seated at {when(most.at, day)}."
        )
        out += [
            "",
            "| Time | Present | Seated | Quorum | Quorate |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for p in view.timeline:
            out.append(
                f"| {when(p.at, day)} | {p.present} | {p.seated} | {p.needed} | "
                f"{'yes' if p.quorate else 'no'} |"
            )
    else:
        out.append("No delegate checked in.")
    out.append("")
    if view.factions:
        out.append(
            "Present by faction"
            + (" at the close" if view.status is SittingStatus.CLOSED else "")
            + ": "
            + ", ".join(f"{_md(f.name)} {f.present} of {f.seated}" for f in view.factions)
            + "."
        )
        out.append("")

    if view.walkouts:
        out += ["## Walkouts", ""]
        for w in view.walkouts:
            who = f"the {', '.join(w.factions)}" if w.factions else "delegates"
            line = (
                f"- {when(w.walkout.at, day)}: walkout of {_md(who)} "
                f"({_count(len(w.names), 'delegate')}: {_md(', '.join(w.names))}), "
                f"stating: “{_md(w.walkout.statement)}”"
            )
            if w.returned:
                line += f" Came back: {_md(', '.join(w.returned))}."
            out.append(line)
        out.append("")

    out += ["## Agenda", ""]
    if not view.agenda:
        out.append("No item.")
    for item in view.agenda:
        taken = (
            f", taken up {when(item.item.taken_up_at, day)}"
            if item.taken_up and item.item.taken_up_at
            else ""
        )
        out.append(f"{item.item.position}. {_md(item.item.title)} ({item.item.kind.value}{taken})")
        heard = [x.name for x in item.speakers if x.state != "waiting"]
        waiting = [x.name for x in item.speakers if x.state == "waiting"]
        if heard:
            out.append(f"   - Speakers: {_md(', '.join(heard))}")
        if waiting:
            out.append(f"   - Still asking to speak: {_md(', '.join(waiting))}")
    out.append("")

    if view.motions:
        out += ["## Motions and votes", ""]
    for state in view.motions:
        m = state.motion
        kind = f"Amendment {m.id} to motion {m.parent_id}" if m.parent_id else f"Motion {m.id}"
        out += [f"### {kind}: {_md(m.title)} ({state.status.value})", ""]
        out.append(
            f"Tabled by {_md(state.tabled_by)} at {when(m.tabled_at, day)}; majority: "
            f"{CountingMajority(state.majority.value).text}."
        )
        out += [
            "",
            *[f"> {_md(line)}" if line.strip() else ">" for line in state.text.splitlines()],
            "",
        ]
        if state.amended_by:
            out.append(
                "Amended by "
                + ", ".join(f"amendment {a}" for a in state.amended_by)
                + "; the text as tabled:"
            )
            out += [
                "",
                *[f"> {_md(x)}" if x.strip() else ">" for x in m.original_text.splitlines()],
                "",
            ]
        if state.lines:
            out.append(
                "Faction lines: " + ", ".join(f"{_md(f)}: {c.value}" for f, c in state.lines) + "."
            )
            out.append("")
        for v in state.votes:
            vote = v.vote
            span = when(vote.opened_at, day) + (
                f"–{when(vote.closed_at, day)}" if v.closed and vote.closed_at else ""
            )
            if not v.closed:
                out.append(
                    f"- Vote {vote.id}, {MODE_WORDS[vote.mode]} ({span}): open, "
                    f"{v.voted} of {v.present} present have voted."
                )
                continue
            out.append(
                f"- Vote {vote.id}, {MODE_WORDS[vote.mode]} ({span}): "
                f"**{_md(result_words(vote))}**. {vote.present} present of {vote.seated} "
                f"seated (quorum {vote.quorum_needed})."
            )
            if v.names is not None:
                for choice, names in v.names.items():
                    if names:
                        out.append(
                            f"  - {CHOICE_WORDS[choice].capitalize()} ({len(names)}): "
                            f"{_md(', '.join(names))}"
                        )
            for kept in v.lines:
                text = f"  - {_md(kept.faction)} line “{kept.line.value}”: "
                if kept.broke:
                    text += "broken by " + _md(
                        ", ".join(f"{n} ({CHOICE_WORDS[c]})" for n, c in kept.broke)
                    )
                else:
                    text += "kept by all who voted"
                if kept.did_not_vote:
                    text += f"; present, did not vote: {_md(', '.join(kept.did_not_vote))}"
                if kept.absent:
                    text += f"; absent: {_md(', '.join(kept.absent))}"
                out.append(text)
        out.append("")

    if view.elections:
        out += ["## Elections", ""]
        for e in view.elections:
            out.append(
                f"- {_md(e.committee.name)} ({e.method}, {_count(e.election.seats, 'seat')}), "
                f"item {e.item.position}: elected {_md(', '.join(e.elected) or 'no one')}. "
                f"Powers: {_md(', '.join(e.powers) or 'none')}."
            )
        out.append("")

    out += ["## Record", ""]
    out += [f"- {when(e.at, day)} {_md(e.text)}" for e in view.log]
    out.append("")
    return "\n".join(out)
