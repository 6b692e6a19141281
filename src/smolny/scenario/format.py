"""The scenario file format, version 1 (docs/scenarios.md), as Pydantic models.

A scenario names its sources and lists dated events; each event is told in words (title,
text, the sources it follows, the assumptions it makes) and carries the actions that
happened, each the input of one service call. The models check the shape only; the rules
are the services' to check when the actions are replayed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORMAT = 1

Name = Annotated[str, Field(min_length=1, max_length=200)]
Count = Annotated[int, Field(ge=0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    label: Name
    url: str = ""


# -- setting up -------------------------------------------------------------------------------


class OrganizationAction(Strict):
    name: Name


class FactionAction(Strict):
    organization: Name
    name: Name
    short: str | None = None
    color: str | None = None


class CouncilAction(Strict):
    organization: Name
    name: Name
    kind: Literal["council", "congress", "committee", "office"] = "council"
    parent: Name | None = None  # the council that elects a committee or office
    powers: list[str] = []


class SectionAction(Strict):
    council: Name
    name: Name


class StandingRulesAction(Strict):
    council: Name
    quorum: str | None = None  # "1/10"
    majority: str | None = None


class PowersAction(Strict):
    council: Name
    grant: list[str] = []
    revoke: list[str] = []
    decision: Name


class ConstituencyAction(Strict):
    council: Name
    name: Name
    kind: Literal["workplace", "unit", "branch", "locality", "council"] = "workplace"
    section: Name | None = None
    lower_council: Name | None = None  # for kind council: the lower council it is
    electors: Count | None = None  # electors its body reported
    recall_basis: Literal["members", "votes_cast"] | None = None  # default: members
    recall_share: str | None = None  # "1/2" (the default): a recall needs more than this


class ElectorsAction(Strict):
    constituency: Name  # "Council/Constituency"
    electors: Count


class EnrollAction(Strict):
    """Members by name, or numbered members per faction (`{faction: count}`), named from
    `pattern` ("{constituency} deputy {n}"), enrolled in a constituency or none."""

    organization: Name
    constituency: Name | None = None
    members: list[MemberRow] = []
    factions: dict[str, Count] = {}
    pattern: str = "{constituency} {faction} {n}"

    @model_validator(mode="after")
    def _someone(self) -> EnrollAction:
        if not self.members and not any(self.factions.values()):
            raise ValueError("name the members, or give a count per faction")
        return self


class MemberRow(Strict):
    name: Name
    faction: Name | None = None
    number: Name | None = None  # the membership number; default: the member's id


# -- elections --------------------------------------------------------------------------------


class ListEntry(Strict):
    votes: Count | None = None
    candidates: list[Name] = []  # named first; the faction's other eligible members follow


ListsSpec = dict[str, Count | ListEntry]


class TiesSpec(Strict):
    """How a tie is decided, stated in advance: `largest` (the larger vote), then `lot`
    drawn from `seed` (a ranked count uses the seed only). Without it a tie stops the count."""

    rules: list[Literal["largest", "lot"]] = []
    seed: int | None = None


class BallotRow(Strict):
    """A ranked ballot: candidates by name, most preferred first, and how many cast it."""

    ranking: list[Name]
    count: Annotated[int, Field(ge=1)] = 1


class ApportionAction(Strict):
    council: Name
    rule: Name
    reported: dict[str, Count] = {}  # for a congress: electors reported by lower councils
    ties: TiesSpec | None = None


class ElectAction(Strict):
    constituency: Name  # "Council/Constituency"
    method: str = "dhondt"
    lists: ListsSpec = {}
    candidates: dict[str, Count] = {}  # plurality: votes per candidate
    by_election: bool = False
    standing: list[Name] = []  # ranked methods (irv, scottish-stv, ...): the candidates
    ballots: list[BallotRow] = []  # ... and the ballots ranking them
    ties: TiesSpec | None = None


class CommitteeAction(Strict):
    committee: Name
    seats: Annotated[int, Field(ge=1)]
    method: str = "dhondt"
    lists: ListsSpec = {}
    standing: list[Name] = []  # ranked methods: the delegates standing ...
    ballots: list[BallotRow] = []  # ... and the ballots ranking them
    ties: TiesSpec | None = None


class RecallAction(Strict):
    council: Name
    member: Name
    votes_for: Count
    votes_against: Count
    abstentions: Count = 0


class ResignAction(Strict):
    council: Name
    member: Name


# -- congresses -------------------------------------------------------------------------------


class ConveneAction(Strict):
    congress: Name
    name: Name


class PresentRow(Strict):
    member: Name
    council: Name  # the lower council the delegate says sends them


class CredentialsAction(Strict):
    """Every delegate holding a mandate in the congress presents their credentials (or the
    delegates named, each with the council that sends them)."""

    congress: Name
    delegates: list[PresentRow] = []


class RefuseCredentialsAction(Strict):
    """A body holding the check-credentials power refuses a delegate's credentials."""

    congress: Name
    member: Name
    council: Name  # the lower council the delegate says sends them
    reason: Name
    by: Name  # the body that refuses (a credentials commission)


class CloseCongressAction(Strict):
    congress: Name


# -- sittings ---------------------------------------------------------------------------------


class MotionStep(Strict):
    title: Name
    text: str
    by: Name | None = None  # a faction, a committee or a member (in that order of lookup)
    majority: str | None = None
    amends: Name | None = None  # an amendment: the title of the motion whose text it replaces


class TotalsStep(Strict):
    votes_for: Count
    votes_against: Count
    abstentions: Count = 0
    motion: Name | None = None  # the motion voted on (its title); default: the last tabled


class RollCallStep(Strict):
    votes_for: list[Name] = []
    votes_against: list[Name] = []
    abstentions: list[Name] = []
    motion: Name | None = None  # the motion voted on (its title); default: the last tabled


class WalkOutStep(Strict):
    statement: str
    factions: list[Name] = []  # every delegate of theirs present
    delegates: dict[str, Count] = {}  # or so many of each faction's present delegates
    members: list[Name] = []  # or the delegates named


class ItemStep(Strict):
    title: Name
    kind: Literal["motion", "election", "report", "other"] = "other"
    take_up: bool = True  # taken up at once; false: added to the agenda for later


class LineStep(Strict):
    faction: Name
    line: Literal["for", "against", "abstain"]
    motion: Name | None = None  # its title; default: the last tabled


class Step(Strict):
    """One thing that happens in a sitting; exactly one field is set (besides `time`)."""

    time: str | None = None  # "18:30", local time of the scenario (or "2026-04-03T01:30")
    check_in: dict[str, Count] | Literal["all"] | None = None
    members_in: list[Name] | None = None
    open: bool | None = None
    item: Name | ItemStep | None = None
    motion: MotionStep | None = None
    vote: TotalsStep | None = None
    roll_call: RollCallStep | None = None
    walk_out: WalkOutStep | None = None
    elect: CommitteeAction | None = None
    close: bool | None = None
    members_out: list[Name] | None = None  # the delegates named leave
    take_up: Annotated[int, Field(ge=1)] | None = None  # the agenda's item at this position
    speaker: Name | None = None  # a delegate asks to speak on the item
    floor: bool | None = None  # the chair gives the floor to the next speaker
    line: LineStep | None = None  # a faction's line on a motion

    @model_validator(mode="after")
    def _one(self) -> Step:
        set_ = [k for k in type(self).model_fields if k != "time" and getattr(self, k) is not None]
        if len(set_) != 1:
            raise ValueError(
                f"a step does one thing (check_in, members_in, open, item, motion, vote, "
                f"roll_call, walk_out, elect, close, members_out, take_up, speaker, floor, "
                f"line); this one has {set_ or 'none'}"
            )
        return self

    @property
    def action(self) -> str:
        return next(
            k for k in type(self).model_fields if k != "time" and getattr(self, k) is not None
        )


class SittingAction(Strict):
    council: Name
    title: Name
    sections: list[Name] = []
    chair: Name | None = None
    day: dt.date | None = None  # the day it sits, if not the day it is convened
    steps: list[Step]


# -- orders -----------------------------------------------------------------------------------


class UnitAction(Strict):
    organization: Name
    name: Name
    kind: str = "regiment"
    constituency: Name | None = None


class AuthorityAction(Strict):
    organization: Name
    name: Name
    kind: str = "government"


class CountersignatureAction(Strict):
    council: Name
    units: list[Name]
    decision: str


class OrderAction(Strict):
    title: Name
    by: Name  # a body of the federation or an outside authority
    units: list[Name]
    text: str = ""
    countermands: Name | None = None  # the title of another issuer's order it countermands


class DecideOrderAction(Strict):
    order: Name  # its title
    council: Name
    reason: str = ""


class SanctionAction(Strict):
    faction: Name
    council: Name
    kind: Literal["suspension", "ban"]
    effects: list[str]
    decision: str = ""


class LiftAction(Strict):
    faction: Name
    council: Name
    decision: str = ""


ACTIONS: dict[str, type[Strict]] = {
    "organization": OrganizationAction,
    "faction": FactionAction,
    "council": CouncilAction,
    "section": SectionAction,
    "standing_rules": StandingRulesAction,
    "powers": PowersAction,
    "constituency": ConstituencyAction,
    "electors": ElectorsAction,
    "enroll": EnrollAction,
    "apportion": ApportionAction,
    "elect": ElectAction,
    "elect_committee": CommitteeAction,
    "recall": RecallAction,
    "resign": ResignAction,
    "convene": ConveneAction,
    "credentials": CredentialsAction,
    "refuse_credentials": RefuseCredentialsAction,
    "close_congress": CloseCongressAction,
    "sitting": SittingAction,
    "unit": UnitAction,
    "authority": AuthorityAction,
    "countersignature": CountersignatureAction,
    "order": OrderAction,
    "countersign": DecideOrderAction,
    "refuse": DecideOrderAction,
    "sanction": SanctionAction,
    "lift": LiftAction,
}


class Action(BaseModel):
    """`{name: arguments}`: one of ACTIONS."""

    model_config = ConfigDict(frozen=True)
    name: str
    arguments: Strict

    @model_validator(mode="before")
    @classmethod
    def _from_mapping(cls, value: Any) -> Any:
        if isinstance(value, dict) and set(value) != {"name", "arguments"}:
            if len(value) != 1:
                raise ValueError(
                    f"an action is one of {', '.join(ACTIONS)} with its arguments; "
                    f"got {', '.join(map(str, value)) or 'nothing'}"
                )
            ((name, arguments),) = value.items()
            if name not in ACTIONS:
                raise ValueError(f"unknown action {name!r} (actions: {', '.join(ACTIONS)})")
            return {"name": name, "arguments": ACTIONS[name].model_validate(arguments or {})}
        return value


class ScenarioEvent(Strict):
    at: dt.date | dt.datetime
    title: Annotated[str, Field(min_length=1, max_length=300)]
    text: str = ""
    sources: list[str] = []  # keys of the scenario's sources
    assumptions: list[str] = []
    do: list[Action] = []


class Scenario(Strict):
    format: Literal[1]
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Name
    summary: str = ""
    calendar: str = ""  # how dates are given (Old Style, say)
    utc_offset: str = "+00:00"  # local time of the events
    chronicle: Name  # the organization whose chronicle tells the events
    sources: dict[str, SourceRef] = {}
    events: list[ScenarioEvent]

    @field_validator("utc_offset")
    @classmethod
    def _offset(cls, value: str) -> str:
        try:
            dt.datetime.fromisoformat(f"2000-01-01T00:00{value}")
        except ValueError as error:
            raise ValueError(f"{value!r} is not a UTC offset like +03:00") from error
        return value

    @model_validator(mode="after")
    def _known_sources(self) -> Scenario:
        for number, event in enumerate(self.events, start=1):
            for key in event.sources:
                if key not in self.sources:
                    raise ValueError(
                        f"event {number} ({event.title}) cites {key!r}, which is not among "
                        f"the sources ({', '.join(self.sources) or 'none'})"
                    )
        return self


EnrollAction.model_rebuild()
