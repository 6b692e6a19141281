"""Congresses of lower councils, and recall petitions.

A congress is a council whose constituencies are lower councils. Its seats are shared over
the electors of each lower council by a stated rule (for 1917, `StepRule`): a lower council
under the rule's threshold gets no seat and must combine with others, through an
intermediate council of them (a district congress) that is itself a constituency of the
congress.

A congress meets in **convocations** (the First All-Russian Congress in June 1917, the
Second in October). At the opening of each, every delegate presenting themselves is
checked against the council that sends them: **seated** if they hold an active mandate in
the congress from that council's constituency, **refused** otherwise, with the reason. A
body holding the `check-credentials` power may refuse a delegate, stating why. The
credentials, checked or refused, are events; the report is read from them.

A **recall petition** is opened against a delegate by those who elected them: the members
of a workplace or unit, or, for a delegate a lower council sends to a congress, that
council's sitting delegates. Each of them may sign once; when the signatures reach the
constituency's petition share of its electors (at least ceil(share x electors), counted
when the petition opens), the petition goes to a recall vote under the constituency's
recall rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import ClassVar

from smolny.domain.events import Event, Recorded
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.records import Record, Records

# -- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CongressApportionment:
    """How a congress's seats were shared over its lower councils: the rule (as written and
    in words), each constituency's electors and seats, and who must combine."""

    id: int
    council_id: int
    held_at: datetime
    rule_text: str  # as `parse_seat_rule` reads it: step:25000:2:25000:8
    rule: str  # in words, with the tie rule
    constituency_ids: tuple[int, ...]
    electors: tuple[int, ...]  # in the order of constituency_ids
    seats: tuple[int, ...]  # in the order of constituency_ids
    combine: tuple[int, ...]  # under the threshold: no seat, they must combine
    # Lower councils also counted under another constituency of the congress (a district
    # congress of small soviets): no seats of their own; `combined_through` is, in the same
    # order, the constituency their electors are counted in.
    combined: tuple[int, ...] = ()
    combined_through: tuple[int, ...] = ()
    reported: tuple[int, ...] = ()  # constituencies whose electors were reported, not counted

    def rows(self) -> list[tuple[int, int, int]]:
        """(constituency id, electors, seats), in the recorded order."""
        return list(zip(self.constituency_ids, self.electors, self.seats, strict=True))

    def through(self) -> dict[int, int]:
        """Constituency -> the constituency its electors are counted in, for the combined."""
        return dict(zip(self.combined, self.combined_through, strict=True))


@dataclass(frozen=True)
class Convocation:
    """One meeting of a congress, from its opening to its close (the Second Congress)."""

    id: int
    council_id: int
    name: str
    opened_at: datetime
    closed_at: datetime | None = None

    def in_session(self, at: datetime) -> bool:
        return self.opened_at <= at and (self.closed_at is None or at < self.closed_at)


class CredentialReason(StrEnum):
    """Why a delegate presenting themselves was refused."""

    NOT_REPRESENTED = "not-represented"  # the council sends no delegates to the congress
    NO_SEATS = "no-seats"  # the council has no seats (under the threshold, it must combine)
    NO_MANDATE = "no-mandate"  # no mandate in the congress from that council
    MANDATE_ENDED = "mandate-ended"  # had one: recalled, resigned, replaced
    REFUSED = "refused"  # refused, with a stated reason, by a body that checks credentials


REASON_NAMES = {
    CredentialReason.NOT_REPRESENTED: "council not represented",
    CredentialReason.NO_SEATS: "council has no seats",
    CredentialReason.NO_MANDATE: "no mandate from that council",
    CredentialReason.MANDATE_ENDED: "mandate ended",
    CredentialReason.REFUSED: "refused by the credentials body",
}


@dataclass(frozen=True)
class Credential:
    """A delegate's credentials at a convocation, as checked: in force from `checked_at`
    until a later check or refusal supersedes them."""

    id: int
    convocation_id: int
    member_id: int
    council_id: int  # the lower council the delegate says sends them
    constituency_id: int | None  # the congress constituency of that council, if any
    mandate_id: int | None  # the mandate checked (seated), or the one found ended
    seated: bool
    reason: CredentialReason | None  # None when seated
    detail: str  # the decision in words
    checked_by_id: int | None  # the body that refused (a manual refusal)
    checked_at: datetime
    superseded_at: datetime | None = None

    def in_force(self, at: datetime) -> bool:
        return self.checked_at <= at and (self.superseded_at is None or at < self.superseded_at)


@dataclass(frozen=True)
class Petition:
    """A recall petition against a delegate's mandate, with its running count."""

    id: int
    mandate_id: int
    constituency_id: int
    opened_by_id: int  # the member (or lower council delegate) who opened it and signed first
    reason: str
    opened_at: datetime
    electorate: int  # who could sign when it opened
    threshold: int  # signatures needed: ceil(petition share x electorate)
    signatures: int = 0
    reached_at: datetime | None = None  # when the signatures reached the threshold
    recall_vote_id: int | None = None
    voted_at: datetime | None = None


@dataclass(frozen=True)
class Signature:
    id: int
    petition_id: int
    member_id: int
    signed_at: datetime


class PetitionStatus(StrEnum):
    OPEN = "open"  # collecting signatures
    REACHED = "reached"  # enough signatures: it goes to a recall vote
    RECALLED = "recalled"  # the recall vote carried: the mandate ended
    KEPT = "kept"  # the recall vote did not carry
    LAPSED = "lapsed"  # the mandate ended otherwise before a vote


STATUS_NAMES = {
    PetitionStatus.OPEN: "collecting signatures",
    PetitionStatus.REACHED: "threshold reached: goes to a recall vote",
    PetitionStatus.RECALLED: "recall carried",
    PetitionStatus.KEPT: "recall lost: the delegate stays",
    PetitionStatus.LAPSED: "lapsed: the mandate ended otherwise",
}


def petition_threshold(share: Fraction, electorate: int) -> int:
    """Signatures a petition needs: at least `share` of the electorate, rounded up."""
    if electorate < 0 or not 0 < share <= 1:
        raise ValueError("the electorate is a count, the share a fraction in (0, 1]")
    return -(-share.numerator * electorate // share.denominator)


def petition_status(
    petition: Petition, mandate: Mandate, at: datetime, carried: bool | None
) -> PetitionStatus:
    """Where the petition stands at `at`; `carried` is its recall vote's outcome, if held."""
    if petition.voted_at is not None and petition.voted_at <= at:
        return PetitionStatus.RECALLED if carried else PetitionStatus.KEPT
    if mandate.valid_to is not None and mandate.valid_to <= at:
        return PetitionStatus.LAPSED
    if petition.reached_at is not None and petition.reached_at <= at:
        return PetitionStatus.REACHED
    return PetitionStatus.OPEN


# -- checking credentials, pure --------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The outcome of checking one delegate's credentials."""

    seated: bool
    reason: CredentialReason | None
    detail: str
    constituency_id: int | None
    mandate_id: int | None


END_WORDS = {
    MandateEnd.RECALL: "recalled",
    MandateEnd.RESIGNATION: "resigned",
    MandateEnd.TERM: "replaced at an election",
    MandateEnd.UNSEATED: "unseated",
}


def decide_credentials(
    *,
    member: str,
    council: str,
    congress: str,
    constituency_ids: Sequence[int],
    seats: int,
    mandates: Iterable[Mandate],
    at: datetime,
    elsewhere: dict[int, str],
    through: str | None = None,
) -> Decision:
    """Check a delegate presenting themselves at `at` as sent by `council`.

    `constituency_ids`: the congress constituencies of that council; `seats`: the seats they
    have at `at`; `mandates`: the member's mandates in the congress (any period);
    `elsewhere`: names of the other congress constituencies, by id; `through`: the council
    under which this council's electors are counted (a district congress), if any.
    """
    held = [m for m in mandates if m.valid_from <= at]
    if not constituency_ids:
        via = f": it sends its delegates through {through}" if through else ""
        return Decision(
            False,
            CredentialReason.NOT_REPRESENTED,
            f"{council} sends no delegates to {congress}{via}",
            None,
            None,
        )
    first = constituency_ids[0]
    if seats == 0:
        why = (
            f"its electors are counted in {through}, which sends the delegates"
            if through
            else "it must combine with other councils to send delegates"
        )
        return Decision(
            False,
            CredentialReason.NO_SEATS,
            f"{council} has no seats in {congress}: {why}",
            first,
            None,
        )
    own = [m for m in held if m.constituency_id in constituency_ids]
    active = [m for m in own if m.active_at(at)]
    if active:
        return Decision(
            True, None, f"holds a mandate from {council}", active[0].constituency_id, active[0].id
        )
    if own:
        last = max(own, key=lambda m: (m.valid_from, m.id))
        assert last.valid_to is not None
        how = END_WORDS.get(last.end_reason, "ended") if last.end_reason else "ended"
        return Decision(
            False,
            CredentialReason.MANDATE_ENDED,
            f"{member}'s mandate from {council} ended: {how} on {last.valid_to.date().isoformat()}",
            last.constituency_id,
            last.id,
        )
    other = [m for m in held if m.active_at(at) and m.constituency_id in elsewhere]
    instead = (
        f" (holds one from {elsewhere[other[0].constituency_id]} instead)"
        if other and other[0].constituency_id is not None
        else ""
    )
    return Decision(
        False,
        CredentialReason.NO_MANDATE,
        f"{member} holds no mandate in {congress} from {council}{instead}",
        first,
        None,
    )


# -- events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CongressApportioned(Event):
    """Recorded with the spine's `seats-apportioned` (which creates the seat allocations):
    the electors counted or reported, and who must combine."""

    kind: ClassVar[str] = "congress-apportioned"
    apportionment_id: int
    council_id: int
    rule_text: str
    rule: str
    constituency_ids: tuple[int, ...]
    electors: tuple[int, ...]
    seats: tuple[int, ...]
    combine: tuple[int, ...]
    combined: tuple[int, ...] = ()
    combined_through: tuple[int, ...] = ()
    reported: tuple[int, ...] = ()


@dataclass(frozen=True)
class CongressConvened(Event):
    kind: ClassVar[str] = "congress-convened"
    convocation_id: int
    council_id: int
    name: str


@dataclass(frozen=True)
class CongressClosed(Event):
    kind: ClassVar[str] = "congress-closed"
    convocation_id: int


@dataclass(frozen=True)
class CredentialsChecked(Event):
    kind: ClassVar[str] = "congress-credentials-checked"
    credential_id: int
    convocation_id: int
    member_id: int
    council_id: int
    constituency_id: int | None
    mandate_id: int | None
    seated: bool
    reason: CredentialReason | None
    detail: str
    checked_by_id: int | None = None
    superseded_id: int | None = None  # the credentials this check replaces


@dataclass(frozen=True)
class PetitionOpened(Event):
    kind: ClassVar[str] = "recall-petition-opened"
    petition_id: int
    signature_id: int  # the opener's own signature
    mandate_id: int
    constituency_id: int
    opened_by_id: int
    reason: str
    electorate: int
    threshold: int
    reached: bool  # a threshold of one is reached by the opener's signature


@dataclass(frozen=True)
class PetitionSigned(Event):
    kind: ClassVar[str] = "recall-petition-signed"
    signature_id: int
    petition_id: int
    member_id: int
    reached: bool  # this signature brings the petition to its threshold


@dataclass(frozen=True)
class PetitionVoted(Event):
    """Recorded with the spine's `recall-voted`: the vote the petition led to."""

    kind: ClassVar[str] = "recall-petition-voted"
    petition_id: int
    recall_id: int


EVENTS: tuple[type[Event], ...] = (
    CongressApportioned,
    CongressConvened,
    CongressClosed,
    CredentialsChecked,
    PetitionOpened,
    PetitionSigned,
    PetitionVoted,
)
RECORDS: tuple[type[Record], ...] = (
    CongressApportionment,
    Convocation,
    Credential,
    Petition,
    Signature,
)


def project(recorded: Recorded, records: Records) -> bool:
    """Change the state as a congress or petition event says; False if it is not one."""
    at = recorded.at
    match recorded.event:
        case CongressApportioned() as e:
            records.put(
                CongressApportionment(
                    e.apportionment_id,
                    e.council_id,
                    at,
                    e.rule_text,
                    e.rule,
                    tuple(e.constituency_ids),
                    tuple(e.electors),
                    tuple(e.seats),
                    tuple(e.combine),
                    tuple(e.combined),
                    tuple(e.combined_through),
                    tuple(e.reported),
                )
            )
        case CongressConvened(convocation_id=cid, council_id=council_id, name=name):
            records.put(Convocation(cid, council_id, name, at))
        case CongressClosed(convocation_id=cid):
            records.put(replace(records.get(Convocation, cid), closed_at=at))
        case CredentialsChecked() as e:
            if e.superseded_id is not None:
                old = records.get(Credential, e.superseded_id)
                records.put(replace(old, superseded_at=at))
            records.put(
                Credential(
                    e.credential_id,
                    e.convocation_id,
                    e.member_id,
                    e.council_id,
                    e.constituency_id,
                    e.mandate_id,
                    e.seated,
                    e.reason,
                    e.detail,
                    e.checked_by_id,
                    at,
                )
            )
        case PetitionOpened() as e:
            records.put(
                Petition(
                    e.petition_id,
                    e.mandate_id,
                    e.constituency_id,
                    e.opened_by_id,
                    e.reason,
                    at,
                    e.electorate,
                    e.threshold,
                    signatures=1,
                    reached_at=at if e.reached else None,
                )
            )
            records.put(Signature(e.signature_id, e.petition_id, e.opened_by_id, at))
        case PetitionSigned() as e:
            petition = records.get(Petition, e.petition_id)
            records.put(
                replace(
                    petition,
                    signatures=petition.signatures + 1,
                    reached_at=at if e.reached else petition.reached_at,
                )
            )
            records.put(Signature(e.signature_id, e.petition_id, e.member_id, at))
        case PetitionVoted(petition_id=pid, recall_id=rid):
            records.put(replace(records.get(Petition, pid), recall_vote_id=rid, voted_at=at))
        case _:
            return False
    return True
