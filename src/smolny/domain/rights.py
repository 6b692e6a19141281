"""Who may do what, derived from the record at a moment: never granted by hand.

The rules (docs/rights.md has them as a table):

* A **member** acts in their own constituencies: votes in its elections and by-elections,
  signs and votes on petitions to recall its delegates, from the moment they joined it.
  Where the constituency is a lower council sending delegates to a congress, its sitting
  delegates (mandates in force in the lower council) are its electors.
* A **delegate** acts in the council where a mandate of theirs is in force: checks in to
  its sittings (the sittings of their own section, when a sitting is of some sections
  only), asks to speak, tables motions and amendments, votes on motions. The moment the
  mandate ends (recall, resignation, the next election), they cannot.
* A **chair** or **secretary** acts for the body that elected them: a mandate in force in
  an office (or committee) whose parent is the council, and which holds the power that the
  action needs (`chair` to run sittings and votes; `keep-minutes` or `chair` to publish
  results and produce the minutes; `convene` to convene sittings).
* A **committee with countersignature power** countersigns (or refuses) orders: a
  mandate in force in the committee, which holds the power `countersign` and held
  countersignature power over a unit of the order when the order was issued.
* The **administrator** sets the structure up (councils, members, apportionment) but
  acts for no one: the flag never grants a member's, delegate's or officer's action. An
  administrator who is also a member acts as that member.

Every refusal says why, naming the person, the body and the moment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from smolny.domain.errors import InvalidInput
from smolny.domain.federation import (
    ELECTED_BODIES,
    Constituency,
    Council,
    CouncilKind,
    Member,
    Membership,
    Power,
)
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.orders import CountersignPower
from smolny.domain.text import Text, say


class Action(StrEnum):
    """What a person does through the browser."""

    # a member, in their own constituencies (target: a constituency)
    VOTE_IN_ELECTION = "vote-in-election"  # an election or a by-election of its delegates
    SIGN_RECALL_PETITION = "sign-recall-petition"  # open or sign one
    VOTE_IN_RECALL = "vote-in-recall"
    # a delegate, in the council where their mandate is in force (target: a council/sitting)
    CHECK_IN = "check-in"
    ASK_TO_SPEAK = "ask-to-speak"
    TABLE_MOTION = "table-motion"  # a motion or an amendment
    VOTE_ON_MOTION = "vote-on-motion"  # roll-call or secret
    # the chair or secretary, for the body that elected them (target: a council/sitting)
    CONVENE_SITTING = "convene-sitting"
    OPEN_SITTING = "open-sitting"
    CLOSE_SITTING = "close-sitting"
    TAKE_UP_ITEM = "take-up-item"  # add items to the agenda and take them up
    GIVE_FLOOR = "give-floor"
    OPEN_VOTE = "open-vote"
    CLOSE_VOTE = "close-vote"  # count it, or enter the totals of a show of hands
    PUBLISH_RESULTS = "publish-results"
    PRODUCE_MINUTES = "produce-minutes"
    # a member of a committee with countersignature power (target: a body and units)
    COUNTERSIGN_ORDER = "countersign-order"
    REFUSE_ORDER = "refuse-order"
    # the administrator (target: the organization)
    CREATE_COUNCIL = "create-council"
    IMPORT_MEMBERS = "import-members"
    APPORTION_SEATS = "apportion-seats"


MEMBER_ACTIONS = frozenset(
    {Action.VOTE_IN_ELECTION, Action.SIGN_RECALL_PETITION, Action.VOTE_IN_RECALL}
)
DELEGATE_ACTIONS = frozenset(
    {Action.CHECK_IN, Action.ASK_TO_SPEAK, Action.TABLE_MOTION, Action.VOTE_ON_MOTION}
)
# The powers of a body (office or committee) that let its holders act for its parent council.
OFFICER_POWERS: Mapping[Action, frozenset[Power]] = {
    Action.CONVENE_SITTING: frozenset({Power.CONVENE}),
    Action.OPEN_SITTING: frozenset({Power.CHAIR}),
    Action.CLOSE_SITTING: frozenset({Power.CHAIR}),
    Action.TAKE_UP_ITEM: frozenset({Power.CHAIR}),
    Action.GIVE_FLOOR: frozenset({Power.CHAIR}),
    Action.OPEN_VOTE: frozenset({Power.CHAIR}),
    Action.CLOSE_VOTE: frozenset({Power.CHAIR}),
    Action.PUBLISH_RESULTS: frozenset({Power.CHAIR, Power.KEEP_MINUTES}),
    Action.PRODUCE_MINUTES: frozenset({Power.CHAIR, Power.KEEP_MINUTES}),
}
OFFICER_ACTIONS = frozenset(OFFICER_POWERS)
COUNTERSIGN_ACTIONS = frozenset({Action.COUNTERSIGN_ORDER, Action.REFUSE_ORDER})
ADMIN_ACTIONS = frozenset({Action.CREATE_COUNCIL, Action.IMPORT_MEMBERS, Action.APPORTION_SEATS})

# What the action is, in words that follow "cannot" / "can" (an infinitive, translated
# where it is put in a sentence).
VERBS: Mapping[Action, Text] = {
    Action.VOTE_IN_ELECTION: say("vote in elections"),
    Action.SIGN_RECALL_PETITION: say("sign recall petitions"),
    Action.VOTE_IN_RECALL: say("vote in recalls"),
    Action.CHECK_IN: say("check in"),
    Action.ASK_TO_SPEAK: say("ask to speak"),
    Action.TABLE_MOTION: say("table motions"),
    Action.VOTE_ON_MOTION: say("vote on motions"),
    Action.CONVENE_SITTING: say("convene sittings"),
    Action.OPEN_SITTING: say("open sittings"),
    Action.CLOSE_SITTING: say("close sittings"),
    Action.TAKE_UP_ITEM: say("run the agenda"),
    Action.GIVE_FLOOR: say("give the floor"),
    Action.OPEN_VOTE: say("open votes"),
    Action.CLOSE_VOTE: say("close votes"),
    Action.PUBLISH_RESULTS: say("publish results"),
    Action.PRODUCE_MINUTES: say("produce the minutes"),
    Action.COUNTERSIGN_ORDER: say("countersign orders"),
    Action.REFUSE_ORDER: say("refuse orders"),
    Action.CREATE_COUNCIL: say("create councils"),
    Action.IMPORT_MEMBERS: say("import members"),
    Action.APPORTION_SEATS: say("apportion seats"),
}


@dataclass(frozen=True)
class Actor:
    """Who acts: an account of an organization, linked to a member, or an administrator
    (or both). `account_id` names the account in the ledger (`actor="account:<id>"`)."""

    organization_id: int
    member_id: int | None = None
    administrator: bool = False
    account_id: int | None = None

    @property
    def ledger_name(self) -> str:
        """What the ledger records as the actor of the events this person causes."""
        if self.account_id is not None:
            return f"account:{self.account_id}"
        if self.member_id is not None:
            return f"member:{self.member_id}"
        return f"administrator:{self.organization_id}"


@dataclass(frozen=True)
class Target:
    """What an action is done to, with the names the reasons need.

    A constituency (member actions); a council, and for a sitting of some of its sections
    those sections (delegate and officer actions); a body and the units it is asked to
    countersign for, with the moment its power counts (the order's issue); or the
    organization itself (administration)."""

    organization_id: int
    name: str | Text  # in words: "Mill", "the City Council sitting of 20 April 2026"
    constituency: Constituency | None = None
    council: Council | None = None
    section_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    as_of: datetime | None = None  # countersignature: power held at this moment (the issue)


@dataclass(frozen=True)
class Facts:
    """What the record says about an actor, enough to decide any action at a moment.

    `mandates` are every mandate the member ever held (past, present, future), so that a
    refusal can say when and how a seat ended; `councils` are the organization's bodies;
    `constituencies` those the member belongs to and those that are lower councils they
    sat in; `countersign_powers` those of the bodies they sat on."""

    organization_id: int
    member: Member | None
    administrator: bool
    memberships: tuple[Membership, ...] = ()
    mandates: tuple[Mandate, ...] = ()
    councils: Mapping[int, Council] = field(default_factory=dict)
    constituencies: Mapping[int, Constituency] = field(default_factory=dict)
    section_names: Mapping[int, str] = field(default_factory=dict)
    countersign_powers: tuple[CountersignPower, ...] = ()
    unit_names: Mapping[int, str] = field(default_factory=dict)

    @property
    def who(self) -> str | Text:
        if self.member is not None:
            return self.member.name
        return say("the administrator") if self.administrator else say("no one")

    def mandates_at(self, at: datetime) -> list[Mandate]:
        """The mandates in force at `at`: the seats, offices and committees held."""
        return [m for m in self.mandates if m.active_at(at)]

    def offices_at(self, at: datetime) -> list[tuple[Council, Mandate]]:
        """The offices and committees (bodies a council elects) held at `at`, with the
        mandate: a chair, a secretary, a presidium, a committee."""
        found = []
        for mandate in self.mandates_at(at):
            body = self.councils.get(mandate.council_id)
            if body is not None and body.kind in ELECTED_BODIES:
                found.append((body, mandate))
        return found

    def countersigns_over(self, body_id: int, at: datetime) -> set[int]:
        """The units over which the body holds countersignature power at `at`."""
        return {
            p.unit_id
            for p in self.countersign_powers
            if p.council_id == body_id and p.active_at(at)
        }


@dataclass(frozen=True)
class Decision:
    """Allowed or refused, and why: `text` for a page to say in its language, `reason`
    in English (the API, the CLI, a refusal's message)."""

    action: Action
    allowed: bool
    text: Text

    @property
    def reason(self) -> str:
        return str(self.text)

    def __bool__(self) -> bool:
        return self.allowed


def decide(facts: Facts, action: Action, target: Target, at: datetime) -> Decision:
    """Whether the actor the facts describe may do `action` on `target` at `at`, and why."""
    action = Action(action)
    who, verb = facts.who, VERBS[action]
    if target.organization_id != facts.organization_id:
        return _refuse(
            action,
            say(
                "%(who)s belongs to another organization than %(target)s",
                who=who,
                target=target.name,
            ),
        )
    if action in ADMIN_ACTIONS:
        if facts.administrator:
            return _allow(action, say("%(who)s administers the organization", who=who))
        return _refuse(
            action,
            say(
                "%(who)s is not an administrator of the organization: only an administrator "
                "can %(verb)s",
                who=who,
                verb=verb,
            ),
        )
    if facts.member is None:
        # The flag never stands in for a member: the administrator sets the structure up.
        if not facts.administrator:
            return _refuse(
                action, say("this account acts for no member: it cannot %(verb)s", verb=verb)
            )
        return _refuse(
            action,
            say(
                "the administrator acts for no member: an administrator sets up the "
                "organization's structure but cannot %(doing)s for anyone",
                doing=verb,
            ),
        )
    if action in MEMBER_ACTIONS:
        return _as_elector(facts, action, _constituency(target, action), at)
    if action in DELEGATE_ACTIONS:
        return _as_delegate(facts, action, target, at)
    if action in OFFICER_ACTIONS:
        return _as_officer(facts, action, _council(target, action), at)
    return _as_countersigner(facts, action, target, at)


# -- members: their constituencies ------------------------------------------------------------


def _as_elector(facts: Facts, action: Action, constituency: Constituency, at: datetime) -> Decision:
    who, verb = facts.who, VERBS[action]
    if constituency.lower_council_id is not None:
        # A congress seat: the lower council's sitting delegates are its electors.
        lower = facts.councils.get(constituency.lower_council_id)
        lower_name = lower.name if lower else say("the lower council")
        seat = _seat_in(facts, constituency.lower_council_id, at)
        if seat.active is not None:
            return _allow(
                action,
                say(
                    "%(who)s is a delegate of %(lower)s, whose delegates elect its seats",
                    who=who,
                    lower=lower_name,
                ),
            )
        fact, modal = _no_seat(facts, lower_name, seat)
        return _refuse(
            action,
            say(
                "%(fact)s: %(who)s %(modal)s %(verb)s in %(constituency)s (its electors are "
                "the delegates of %(lower)s)",
                fact=fact,
                who=who,
                modal=modal,
                verb=verb,
                constituency=constituency.name,
                lower=lower_name,
            ),
        )
    joined = [m for m in facts.memberships if m.constituency_id == constituency.id]
    if any(m.since <= at for m in joined):
        return _allow(
            action,
            say("%(who)s is a member of %(constituency)s", who=who, constituency=constituency.name),
        )
    if joined:
        since = min(m.since for m in joined)
        return _refuse(
            action,
            say(
                "%(who)s joined %(constituency)s on %(since)s: on %(day)s %(who)s could not "
                "yet %(verb)s there",
                who=who,
                constituency=constituency.name,
                since=since,
                day=at,
                verb=verb,
            ),
        )
    return _refuse(
        action,
        say(
            "%(who)s is not a member of %(constituency)s: only its members %(verb)s there",
            who=who,
            constituency=constituency.name,
            verb=verb,
        ),
    )


# -- delegates: the council where their mandate is in force -----------------------------------


def _as_delegate(facts: Facts, action: Action, target: Target, at: datetime) -> Decision:
    council = _council(target, action)
    who, verb = facts.who, VERBS[action]
    seat = _seat_in(facts, council.id, at)
    if seat.active is None:
        fact, modal = _no_seat(facts, council.name, seat)
        return _refuse(
            action,
            say(
                "%(fact)s: %(who)s %(modal)s %(verb)s there",
                fact=fact,
                who=who,
                modal=modal,
                verb=verb,
            ),
        )
    if target.section_ids and seat.active.section_id not in target.section_ids:
        held = facts.section_names.get(seat.active.section_id or 0, "no")
        wanted = ", ".join(facts.section_names.get(s, str(s)) for s in target.section_ids)
        return _refuse(
            action,
            say(
                "%(who)s sits in the %(held)s section of %(council)s, not in the section of "
                "%(target)s (%(wanted)s): %(who)s cannot %(verb)s there",
                who=who,
                held=held,
                council=council.name,
                target=target.name,
                wanted=wanted,
                verb=verb,
            ),
        )
    return _allow(
        action, say("%(who)s holds a mandate in %(council)s", who=who, council=council.name)
    )


@dataclass(frozen=True)
class _Seat:
    active: Mandate | None
    ended: Mandate | None  # the last one ended by the moment, if none is in force
    coming: Mandate | None  # the first one to start after the moment


def _seat_in(facts: Facts, council_id: int, at: datetime) -> _Seat:
    held = [m for m in facts.mandates if m.council_id == council_id]
    active = next((m for m in held if m.active_at(at)), None)
    ended = [m for m in held if m.valid_to is not None and m.valid_to <= at]
    coming = [m for m in held if m.valid_from > at]
    return _Seat(
        active,
        max(ended, key=lambda m: (m.valid_to, m.id)) if ended else None,
        min(coming, key=lambda m: (m.valid_from, m.id)) if coming else None,
    )


# How a mandate ended, in a word (the same words the pages use for MandateEnd).
_ENDINGS: Mapping[MandateEnd | None, Text] = {
    None: say("ended"),
    MandateEnd.TERM: say("term"),
    MandateEnd.RECALL: say("recall"),
    MandateEnd.RESIGNATION: say("resignation"),
    MandateEnd.UNSEATED: say("unseated"),
}


def _no_seat(facts: Facts, body: str | Text, seat: _Seat) -> tuple[Text, Text]:
    """Why the member holds no seat in the body (ended: when and how; not yet; never), and
    the modal the consequence takes ("can no longer", "cannot yet", "cannot")."""
    who = facts.who
    if seat.ended is not None and seat.ended.valid_to is not None:
        return (
            say(
                "%(who)s's mandate in %(body)s ended on %(day)s (%(how)s)",
                who=who,
                body=body,
                day=seat.ended.valid_to,
                how=_ENDINGS[seat.ended.end_reason],
            ),
            say("can no longer"),
        )
    if seat.coming is not None:
        return (
            say(
                "%(who)s's mandate in %(body)s begins on %(day)s",
                who=who,
                body=body,
                day=seat.coming.valid_from,
            ),
            say("cannot yet"),
        )
    return say("%(who)s holds no mandate in %(body)s", who=who, body=body), say("cannot")


# -- officers: the chair and the secretary, for the body that elected them --------------------


def _as_officer(facts: Facts, action: Action, council: Council, at: datetime) -> Decision:
    who, verb = facts.who, VERBS[action]
    needed = OFFICER_POWERS[action]
    # A power's name is the word the pages already translate (words.py).
    powers = _joined([Text(p.value) for p in sorted(needed)], "or")
    held = [body for body, _ in facts.offices_at(at) if body.parent_id == council.id]
    for body in held:
        if needed & set(body.powers):
            return _allow(
                action,
                say(
                    "%(who)s %(holds)s, elected by %(council)s",
                    who=who,
                    holds=_holds(body),
                    council=council.name,
                ),
            )
    able = {
        b.id: b
        for b in facts.councils.values()
        if b.parent_id == council.id and needed & set(b.powers)
    }
    ended = [
        m
        for m in facts.mandates
        if m.council_id in able and m.valid_to is not None and m.valid_to <= at
    ]
    if ended:
        last = max(ended, key=lambda m: (m.valid_to, m.id))
        fact, modal = _no_seat(facts, able[last.council_id].name, _Seat(None, last, None))
        return _refuse(
            action,
            say(
                "%(fact)s: %(who)s %(modal)s %(verb)s for %(council)s",
                fact=fact,
                who=who,
                modal=modal,
                verb=verb,
                council=council.name,
            ),
        )
    if held:
        return _refuse(
            action,
            say(
                "%(who)s %(holds)s, without the power %(powers)s: %(who)s cannot %(verb)s "
                "for %(council)s",
                who=who,
                holds=_joined([_holds(body) for body in held], "and"),
                powers=powers,
                verb=verb,
                council=council.name,
            ),
        )
    if able:
        return _refuse(
            action,
            say(
                "%(who)s holds no office of %(council)s with the power %(powers)s: only "
                "%(names)s can %(verb)s for it",
                who=who,
                council=council.name,
                powers=powers,
                names=", ".join(b.name for b in able.values()),
                verb=verb,
            ),
        )
    return _refuse(
        action,
        say(
            "%(council)s has no office or committee with the power %(powers)s: no one can "
            "%(verb)s for it",
            council=council.name,
            powers=powers,
            verb=verb,
        ),
    )


def _holds(body: Council) -> Text:
    if body.kind is CouncilKind.OFFICE:
        return say("holds the office %(body)s", body=body.name)
    return say("sits on %(body)s", body=body.name)


def _joined(parts: Sequence[Text], word: str) -> Text:
    """ "a or b or c", "a and b": the texts joined by the word, as each language joins them."""
    whole = parts[0]
    for part in parts[1:]:
        if word == "or":
            whole = say("%(first)s or %(second)s", first=whole, second=part)
        else:
            whole = say("%(first)s and %(second)s", first=whole, second=part)
    return whole


# -- countersignature: the members of a body that holds the power over the units ---------------


def _as_countersigner(facts: Facts, action: Action, target: Target, at: datetime) -> Decision:
    body = _council(target, action)
    who, verb = facts.who, VERBS[action]
    seat = _seat_in(facts, body.id, at)
    if seat.active is None:
        fact, modal = _no_seat(facts, body.name, seat)
        return _refuse(
            action,
            say(
                "%(fact)s: %(who)s %(modal)s %(verb)s for it (only its members %(verb)s for it)",
                fact=fact,
                who=who,
                modal=modal,
                verb=verb,
            ),
        )
    if Power.COUNTERSIGN not in body.powers:
        return _refuse(
            action,
            say(
                "%(body)s does not hold the power countersign: %(who)s cannot %(verb)s for it",
                body=body.name,
                who=who,
                verb=verb,
            ),
        )
    when = target.as_of or at
    over = facts.countersigns_over(body.id, when) & set(target.unit_ids)
    if not over:
        units = ", ".join(facts.unit_names.get(u, f"unit {u}") for u in target.unit_ids)
        return _refuse(
            action,
            say(
                "%(body)s held no countersignature power over %(units)s on %(day)s: %(who)s "
                "cannot %(verb)s for it (%(target)s)",
                body=body.name,
                units=units or say("these units"),
                day=when,
                who=who,
                verb=verb,
                target=target.name,
            ),
        )
    names = ", ".join(sorted(facts.unit_names.get(u, f"unit {u}") for u in over))
    return _allow(
        action,
        say(
            "%(who)s sits on %(body)s, which holds countersignature power over %(names)s",
            who=who,
            body=body.name,
            names=names,
        ),
    )


# -- helpers -----------------------------------------------------------------------------------


def _constituency(target: Target, action: Action) -> Constituency:
    if target.constituency is None:
        raise InvalidInput(
            say("%(verb)s: the target is a constituency", verb=VERBS[action]), field="target"
        )
    return target.constituency


def _council(target: Target, action: Action) -> Council:
    if target.council is None:
        raise InvalidInput(
            say("%(verb)s: the target is a council or body", verb=VERBS[action]), field="target"
        )
    return target.council


def _allow(action: Action, reason: Text) -> Decision:
    return Decision(action, True, reason)


def _refuse(action: Action, reason: Text) -> Decision:
    return Decision(action, False, reason)


def decide_all(
    facts: Facts, pairs: Sequence[tuple[Action, Target]], at: datetime
) -> list[Decision]:
    """Several decisions on the same facts (a page listing what a person can do)."""
    return [decide(facts, action, target, at) for action, target in pairs]
