"""The federation: organizations, their councils and sections, factions, constituencies, members."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction


class CouncilKind(StrEnum):
    COUNCIL = "council"  # elected by constituencies of members
    CONGRESS = "congress"  # seats come from lower councils
    COMMITTEE = "committee"  # elected by its parent council (executive, presidium, commission)
    OFFICE = "office"  # one seat elected by its parent council: a chair, a secretary


ELECTED_BODIES = frozenset({CouncilKind.COMMITTEE, CouncilKind.OFFICE})  # elected by a council


class Power(StrEnum):
    """What a body may do, granted when it is created or by a recorded decision."""

    ACT_BETWEEN_SITTINGS = "act-between-sittings"  # decide for its council between sittings
    CONVENE = "convene"  # convene its council's sittings
    CHAIR = "chair"  # chair its council's sittings
    KEEP_MINUTES = "keep-minutes"  # keep and publish the minutes
    ISSUE_ORDERS = "issue-orders"  # issue orders to units
    COUNTERSIGN = "countersign"  # countersign orders to the units it holds the power over
    SANCTION_FACTIONS = "sanction-factions"  # suspend or ban a faction
    CHECK_CREDENTIALS = "check-credentials"  # seat or refuse delegates at a congress


class Majority(StrEnum):
    """The council's standing majority rule for its motions (the counting module decides)."""

    SIMPLE = "simple"  # more yes than no; abstentions do not count
    OF_VOTES_CAST = "of-votes-cast"  # yes more than half of yes + no + abstain
    OF_SEATS = "of-seats"  # yes more than half of the council's seats
    TWO_THIRDS = "two-thirds"  # yes at least two thirds of yes + no
    TWO_THIRDS_OF_VOTES_CAST = "two-thirds-of-votes-cast"
    TWO_THIRDS_OF_SEATS = "two-thirds-of-seats"


class ConstituencyKind(StrEnum):
    WORKPLACE = "workplace"  # a factory, depot, office
    UNIT = "unit"  # a regiment's company, a ship
    BRANCH = "branch"  # a local branch
    LOCALITY = "locality"  # a village, a district
    COUNCIL = "council"  # a lower council sending delegates to a congress


class RecallBasis(StrEnum):
    MEMBERS = "members"  # the share is of all members of the constituency
    VOTES_CAST = "votes_cast"  # the share is of the votes cast for and against


@dataclass(frozen=True)
class Organization:
    id: int
    name: str
    slug: str
    created_at: datetime


@dataclass(frozen=True)
class Council:
    id: int
    organization_id: int
    name: str
    slug: str
    kind: CouncilKind
    parent_id: int | None  # for a committee or an office: the council that elects it
    created_at: datetime
    powers: tuple[Power, ...] = ()
    # Standing rules: a sitting is quorate when more than this share of the seated
    # delegates are present; motions carry by this majority unless one is stated.
    quorum_numerator: int = 1
    quorum_denominator: int = 2
    majority: Majority = Majority.SIMPLE

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)


@dataclass(frozen=True)
class Section:
    id: int
    council_id: int
    name: str


@dataclass(frozen=True)
class Faction:
    id: int
    organization_id: int
    name: str
    short_name: str
    color: str


@dataclass(frozen=True)
class RecallRule:
    """A recall carries when the votes for it exceed `share` of the basis."""

    basis: RecallBasis = RecallBasis.MEMBERS
    share: Fraction = Fraction(1, 2)

    def carried(self, votes_for: int, votes_against: int, electorate: int) -> bool:
        base = electorate if self.basis is RecallBasis.MEMBERS else votes_for + votes_against
        return base > 0 and votes_for > self.share * base

    def describe(self) -> str:
        of = "its members" if self.basis is RecallBasis.MEMBERS else "the votes cast"
        if self.share == Fraction(1, 2):
            return f"a majority of {of}"
        return f"more than {self.share.numerator}/{self.share.denominator} of {of}"


@dataclass(frozen=True)
class Constituency:
    id: int
    council_id: int  # the council this constituency sends delegates to
    name: str
    kind: ConstituencyKind
    section_id: int | None
    lower_council_id: int | None  # when the constituency is a lower council (a congress seat)
    recall_basis: RecallBasis
    recall_share_numerator: int
    recall_share_denominator: int
    created_at: datetime
    # A recall vote follows when this share of the members have signed a petition.
    petition_share_numerator: int = 1
    petition_share_denominator: int = 5
    # The electors its body reported (a regiment, a district), counted instead of members.
    reported_electors: int | None = None

    @property
    def petition_share(self) -> Fraction:
        return Fraction(self.petition_share_numerator, self.petition_share_denominator)

    @property
    def recall_rule(self) -> RecallRule:
        return RecallRule(
            self.recall_basis,
            Fraction(self.recall_share_numerator, self.recall_share_denominator),
        )


@dataclass(frozen=True)
class Member:
    id: int
    organization_id: int
    number: str  # the membership card number, unique in the organization
    name: str
    faction_id: int | None
    enrolled_at: datetime


@dataclass(frozen=True)
class Membership:
    """A member's place in a constituency: where they vote, and whom they can recall."""

    id: int
    member_id: int
    constituency_id: int
    since: datetime


def slugify(name: str) -> str:
    """A URL-safe name: 'Petrograd Soviet' -> 'petrograd-soviet'. Cyrillic is kept."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[^\w]+", "-", text).strip("-_")
    return text or "x"
