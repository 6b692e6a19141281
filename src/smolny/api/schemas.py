"""Request bodies of the JSON API."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from smolny.domain.apportionment import TieRule
from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally, RankedBallot
from smolny.domain.federation import ConstituencyKind, CouncilKind, RecallBasis
from smolny.domain.seat_rules import TieBreak


def _share(text: str) -> str:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValueError("expected a fraction such as 1/2 or 2/3") from None
    if not 0 < value < 1:
        raise ValueError("expected a share between 0 and 1, such as 1/2")
    return text


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: AwareDatetime | None = Field(
        default=None, description="When the change takes effect (default: now)."
    )


class OrganizationIn(Body):
    name: str


class CouncilIn(Body):
    name: str
    kind: CouncilKind = CouncilKind.COUNCIL
    parent_id: int | None = None


class SectionIn(Body):
    name: str


class FactionIn(Body):
    name: str
    short_name: str | None = None
    color: str | None = Field(default=None, examples=["#c0392b"])


class ConstituencyIn(Body):
    name: str
    kind: ConstituencyKind = ConstituencyKind.WORKPLACE
    section_id: int | None = None
    lower_council_id: int | None = None
    recall_basis: RecallBasis = RecallBasis.MEMBERS
    recall_share: Annotated[str, AfterValidator(_share)] = "1/2"


class MemberIn(Body):
    name: str
    number: str | None = None
    faction_id: int | None = None
    constituency_ids: list[int] = []


class BulkMember(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    number: str | None = None
    faction_id: int | None = None


class MembersIn(Body):
    """Many members enrolled at once, in one constituency or none (all or none of them)."""

    members: list[BulkMember]
    constituency_id: int | None = None


class ElectorsIn(Body):
    electors: int | None = Field(
        description="The electors the constituency's body reported; null counts members again."
    )


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    url: str = ""


class ChronicleEntryIn(Body):
    title: str
    text: str = ""
    sources: list[SourceIn] = []
    assumptions: list[str] = []


class Ties(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[TieRule] = []
    order: list[int] = []
    seed: int | None = None

    def tie_break(self) -> TieBreak:
        return TieBreak(tuple(self.rules), tuple(self.order), self.seed)


class ApportionmentIn(Body):
    rule: str = Field(
        description="ratio:PER[:MIN[:MAX]], fixed:N, dhondt:SEATS, sainte-lague:SEATS, "
        "modified-sainte-lague:SEATS, huntington-hill:SEATS, adams:SEATS, hare:SEATS, droop:SEATS",
        examples=["ratio:500", "huntington-hill:20"],
    )
    ties: Ties = Ties()


class CandidateIn(BaseModel):
    member_id: int
    votes: int = Field(ge=0)

    def tally(self) -> CandidateTally:
        return CandidateTally(self.member_id, self.votes)


class ListIn(BaseModel):
    faction_id: int
    candidates: list[int]
    votes: int | None = Field(default=None, ge=0)

    def tally(self) -> ListTally:
        return ListTally(self.faction_id, tuple(self.candidates), self.votes)


class BallotIn(BaseModel):
    ranking: list[int] = Field(description="Member ids, most preferred first.")
    count: int = Field(default=1, ge=1, description="How many electors cast this ballot.")

    def ballot(self) -> RankedBallot:
        return RankedBallot(tuple(self.ranking), self.count)


class ElectionIn(Body):
    method: ElectionMethod
    candidates: list[CandidateIn] = Field(default=[], description="Plurality: votes per candidate.")
    lists: list[ListIn] = Field(default=[], description="Party lists: votes per list.")
    standing: list[int] = Field(default=[], description="Ranked methods: the candidates.")
    ballots: list[BallotIn] = Field(default=[], description="Ranked methods: the ballots.")
    ties: Ties = Ties()


class ByElectionIn(Body):
    method: ElectionMethod = ElectionMethod.PLURALITY
    candidates: list[CandidateIn] = []
    standing: list[int] = []
    ballots: list[BallotIn] = []
    ties: Ties = Ties()


class CommitteeElectionIn(Body):
    seats: int = Field(ge=1)
    method: ElectionMethod = ElectionMethod.DHONDT
    lists: list[ListIn] = []
    standing: list[int] = []
    ballots: list[BallotIn] = []
    ties: Ties = Ties()


class RecallIn(Body):
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    abstentions: int = Field(default=0, ge=0)


class ResignationIn(Body):
    pass
