"""Domain events: every change to the federation is one of these, appended to the ledger.

The state tables are projections of the events (see `projection`). An event carries every
identifier it creates or ends, so that replaying it never has to search the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from smolny.domain.elections import ElectionKind, ElectionMethod
from smolny.domain.federation import ConstituencyKind, CouncilKind, Majority, Power, RecallBasis


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str]


@dataclass(frozen=True)
class Recorded:
    """An event as the ledger holds it: numbered, dated, attributed."""

    seq: int
    at: datetime
    actor: str
    organization_id: int | None
    event: Event


@dataclass(frozen=True)
class OrganizationCreated(Event):
    kind: ClassVar[str] = "organization-created"
    organization_id: int
    name: str
    slug: str


@dataclass(frozen=True)
class CouncilCreated(Event):
    kind: ClassVar[str] = "council-created"
    council_id: int
    organization_id: int
    name: str
    slug: str
    council_kind: CouncilKind
    parent_id: int | None
    powers: tuple[Power, ...] = ()


@dataclass(frozen=True)
class PowersGranted(Event):
    """A recorded decision gives a body powers (or takes them away)."""

    kind: ClassVar[str] = "powers-granted"
    council_id: int
    granted: tuple[Power, ...]
    revoked: tuple[Power, ...]
    decision: str  # the decision, in words: who decided, and how


@dataclass(frozen=True)
class StandingRulesSet(Event):
    kind: ClassVar[str] = "standing-rules-set"
    council_id: int
    quorum_numerator: int
    quorum_denominator: int
    majority: Majority


@dataclass(frozen=True)
class SectionCreated(Event):
    kind: ClassVar[str] = "section-created"
    section_id: int
    council_id: int
    name: str


@dataclass(frozen=True)
class FactionCreated(Event):
    kind: ClassVar[str] = "faction-created"
    faction_id: int
    organization_id: int
    name: str
    short_name: str
    color: str


@dataclass(frozen=True)
class ConstituencyCreated(Event):
    kind: ClassVar[str] = "constituency-created"
    constituency_id: int
    council_id: int
    name: str
    constituency_kind: ConstituencyKind
    section_id: int | None
    lower_council_id: int | None
    recall_basis: RecallBasis
    recall_share_numerator: int
    recall_share_denominator: int
    petition_share_numerator: int = 1
    petition_share_denominator: int = 5


@dataclass(frozen=True)
class MemberEnrolled(Event):
    kind: ClassVar[str] = "member-enrolled"
    member_id: int
    organization_id: int
    number: str
    name: str
    faction_id: int | None


@dataclass(frozen=True)
class EnrolledMember:
    member_id: int
    number: str
    name: str
    faction_id: int | None
    membership_id: int | None  # None: enrolled in no constituency


@dataclass(frozen=True)
class MembersEnrolled(Event):
    """Many members enrolled at once (an import, a scenario), in one constituency or none."""

    kind: ClassVar[str] = "members-enrolled"
    organization_id: int
    constituency_id: int | None
    members: tuple[EnrolledMember, ...]


@dataclass(frozen=True)
class ElectorsReported(Event):
    """A constituency's electors as its body reported them, for bodies that do not enrol
    each elector (a regiment, a district's factories); None returns to counting members."""

    kind: ClassVar[str] = "electors-reported"
    constituency_id: int
    electors: int | None


@dataclass(frozen=True)
class MembershipStarted(Event):
    kind: ClassVar[str] = "membership-started"
    membership_id: int
    member_id: int
    constituency_id: int


@dataclass(frozen=True)
class MemberChanged(Event):
    """A member's name or faction as the organization's roll now has it (an import of the
    roll, a change of faction); mandates keep the faction they were won under."""

    kind: ClassVar[str] = "member-changed"
    member_id: int
    name: str
    faction_id: int | None


@dataclass(frozen=True)
class SeatGrant:
    allocation_id: int
    constituency_id: int | None  # None: the council's own seats (a committee)
    seats: int


@dataclass(frozen=True)
class SeatsApportioned(Event):
    kind: ClassVar[str] = "seats-apportioned"
    council_id: int
    rule: str  # how the seats were computed, in words a person can check
    weights: tuple[tuple[int, int], ...]  # (constituency id, members counted)
    grants: tuple[SeatGrant, ...]
    closed_allocation_ids: tuple[int, ...]
    ties: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class NewMandate:
    mandate_id: int
    member_id: int
    faction_id: int | None


@dataclass(frozen=True)
class DelegatesElected(Event):
    kind: ClassVar[str] = "delegates-elected"
    election_id: int
    council_id: int
    constituency_id: int
    election_kind: ElectionKind
    method: ElectionMethod
    seats: int
    result: dict[str, Any]
    mandates: tuple[NewMandate, ...]
    ended_mandate_ids: tuple[int, ...]  # the delegates this election replaces
    unseated_mandate_ids: tuple[int, ...] = ()  # their committee seats, if not re-elected


@dataclass(frozen=True)
class CommitteeElected(Event):
    kind: ClassVar[str] = "committee-elected"
    election_id: int
    committee_id: int
    council_id: int  # the electing council
    method: ElectionMethod
    seats: int
    result: dict[str, Any]
    mandates: tuple[NewMandate, ...]
    ended_mandate_ids: tuple[int, ...]
    grant: SeatGrant
    closed_allocation_ids: tuple[int, ...]


@dataclass(frozen=True)
class RecallVoted(Event):
    kind: ClassVar[str] = "recall-voted"
    recall_id: int
    mandate_id: int
    constituency_id: int
    votes_for: int
    votes_against: int
    abstentions: int
    electorate: int
    rule: str
    carried: bool
    unseated_mandate_ids: tuple[int, ...] = ()  # the recalled delegate's committee seats


@dataclass(frozen=True)
class MandateResigned(Event):
    kind: ClassVar[str] = "mandate-resigned"
    mandate_id: int
    unseated_mandate_ids: tuple[int, ...] = ()  # the committee seats that came with it


SPINE_EVENTS: tuple[type[Event], ...] = (
    OrganizationCreated,
    CouncilCreated,
    SectionCreated,
    FactionCreated,
    ConstituencyCreated,
    MemberEnrolled,
    MembersEnrolled,
    ElectorsReported,
    MembershipStarted,
    MemberChanged,
    SeatsApportioned,
    DelegatesElected,
    CommitteeElected,
    RecallVoted,
    MandateResigned,
    PowersGranted,
    StandingRulesSet,
)
