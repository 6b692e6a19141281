"""Recall petitions: those who elected a delegate open a petition, sign it once each, and
when the signatures reach the constituency's threshold it goes to a recall vote; a carried
recall ends the mandate at once, and a by-election fills the seat.

Who may sign (and open) a petition: for a workplace, unit, branch or locality, its members
(enrolled at the moment they sign); for a delegate a lower council sends to a congress, that
council's sitting delegates. The opener signs first. The threshold is fixed when the
petition opens: at least ceil(petition share x those who may sign then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from smolny.domain.congress import (
    STATUS_NAMES,
    Petition,
    PetitionOpened,
    PetitionSigned,
    PetitionStatus,
    PetitionVoted,
    Signature,
    petition_status,
    petition_threshold,
)
from smolny.domain.elections import Election, ElectionKind, RecallVote
from smolny.domain.errors import AlreadyExists, NotFound, RuleViolation
from smolny.domain.federation import (
    Constituency,
    Council,
    Faction,
    Member,
    Membership,
    Organization,
)
from smolny.domain.mandates import Mandate
from smolny.domain.rights import Action, Actor
from smolny.domain.text import say
from smolny.ledger.chain import iso
from smolny.services import rights
from smolny.services.elections import check_seat_held, do_recall, voters
from smolny.store.congress import (
    has_signed,
    open_petition_against,
    petitions_in,
    signature_counts,
    signatures_of,
)
from smolny.store.tables import elections as elections_table
from smolny.store.tables import mandates as mandates_table
from smolny.store.tables import memberships as memberships_table
from smolny.store.tables import recall_votes as recall_votes_table
from smolny.store.uow import UnitOfWork


def open_petition(
    uow: UnitOfWork,
    *,
    mandate_id: int,
    opened_by: int,
    reason: str = "",
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Petition:
    """A member of the delegate's constituency (or, for a congress delegate, a sitting
    delegate of the lower council) opens a recall petition, and signs it."""
    reason = " ".join(reason.split())
    with uow:
        uow.lock()
        mandate = uow.repo.get(Mandate, mandate_id)
        council = uow.repo.get(Council, mandate.council_id)
        moment = uow.moment(at, council.organization_id)
        holder = uow.repo.get(Member, mandate.member_id)
        check_seat_held(mandate, holder, council, moment)
        if mandate.constituency_id is None:
            raise RuleViolation(
                say(
                    "%(name)s sits on %(council)s by election of its council: a recall petition "
                    "is for a delegate of a constituency",
                    name=holder.name,
                    council=council.name,
                )
            )
        constituency = uow.repo.get(Constituency, mandate.constituency_id)
        rights.guard(
            uow,
            acting,
            Action.SIGN_RECALL_PETITION,
            lambda: rights.constituency_target(uow, constituency.id),
            at,
            [opened_by],
        )
        existing = open_petition_against(uow.repo, mandate.id)
        if existing is not None:
            raise AlreadyExists(
                say(
                    "a petition to recall %(name)s is already open (petition %(id)s, opened "
                    "%(day)s)",
                    name=holder.name,
                    id=str(existing.id),
                    day=existing.opened_at,
                )
            )
        opener = uow.repo.get(Member, opened_by)
        check_signer(uow, constituency, opener, moment)
        electorate = voters(uow, constituency, moment)
        threshold = petition_threshold(constituency.petition_share, electorate)
        petition_id = uow.repo.next_id(Petition)
        uow.record(
            PetitionOpened(
                petition_id=petition_id,
                signature_id=uow.repo.next_id(Signature),
                mandate_id=mandate.id,
                constituency_id=constituency.id,
                opened_by_id=opener.id,
                reason=reason,
                electorate=electorate,
                threshold=threshold,
                reached=threshold <= 1,
            ),
            at=moment,
            actor=actor,
            organization_id=council.organization_id,
        )
        petition = uow.repo.get(Petition, petition_id)
        uow.commit()
    return petition


def sign_petition(
    uow: UnitOfWork,
    *,
    petition_id: int,
    member_id: int,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Petition:
    """One signature per member who may sign; the one that reaches the threshold sends the
    petition to a recall vote."""
    with uow:
        uow.lock()
        petition = uow.repo.get(Petition, petition_id)
        rights.guard(
            uow,
            acting,
            Action.SIGN_RECALL_PETITION,
            lambda: rights.constituency_target(uow, petition.constituency_id),
            at,
            [member_id],
        )
        mandate = uow.repo.get(Mandate, petition.mandate_id)
        council = uow.repo.get(Council, mandate.council_id)
        moment = uow.moment(at, council.organization_id)
        holder = uow.repo.get(Member, mandate.member_id)
        if petition.voted_at is not None:
            raise RuleViolation(
                say(
                    "the petition to recall %(name)s went to a vote on %(day)s: it takes no more "
                    "signatures",
                    name=holder.name,
                    day=petition.voted_at,
                )
            )
        if not mandate.active_at(moment):
            raise RuleViolation(
                say(
                    "%(name)s no longer holds the seat the petition is against: it lapsed",
                    name=holder.name,
                )
            )
        constituency = uow.repo.get(Constituency, petition.constituency_id)
        member = uow.repo.get(Member, member_id)
        check_signer(uow, constituency, member, moment)
        signed = has_signed(uow.repo, petition.id, member.id)
        if signed is not None:
            raise AlreadyExists(
                say(
                    "%(name)s already signed the petition to recall %(delegate)s (on %(day)s): "
                    "one signature each",
                    name=member.name,
                    delegate=holder.name,
                    day=signed.signed_at,
                )
            )
        reached = petition.reached_at is None and petition.signatures + 1 >= petition.threshold
        uow.record(
            PetitionSigned(uow.repo.next_id(Signature), petition.id, member.id, reached),
            at=moment,
            actor=actor,
            organization_id=council.organization_id,
        )
        petition = uow.repo.get(Petition, petition_id)
        uow.commit()
    return petition


def hold_recall_vote(
    uow: UnitOfWork,
    *,
    petition_id: int,
    votes_for: int,
    votes_against: int,
    abstentions: int = 0,
    actor: str,
    at: datetime | None = None,
) -> RecallVote:
    """The recall vote a petition led to, once its signatures reached the threshold:
    counted under the constituency's recall rule (`services.elections.recall_delegate`'s
    rule); if it carries, the mandate ends at once and a by-election fills the seat."""
    with uow:
        uow.lock()
        petition = uow.repo.get(Petition, petition_id)
        mandate = uow.repo.get(Mandate, petition.mandate_id)
        council = uow.repo.get(Council, mandate.council_id)
        moment = uow.moment(at, council.organization_id)
        holder = uow.repo.get(Member, mandate.member_id)
        if petition.voted_at is not None:
            raise AlreadyExists(
                say(
                    "the petition to recall %(name)s went to a vote on %(day)s",
                    name=holder.name,
                    day=petition.voted_at,
                )
            )
        if petition.reached_at is None or petition.reached_at > moment:
            constituency = uow.repo.get(Constituency, petition.constituency_id)
            share = constituency.petition_share
            fraction = f"{share.numerator}/{share.denominator}"
            raise RuleViolation(
                say(
                    "the petition to recall %(name)s has %(signatures)s of the %(threshold)s "
                    "signatures it needs (%(share)s of %(electorate)s): it cannot go to a vote",
                    name=holder.name,
                    signatures=petition.signatures,
                    threshold=petition.threshold,
                    share=fraction,
                    electorate=petition.electorate,
                )
            )
        vote = do_recall(
            uow,
            mandate,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            moment=moment,
            actor=actor,
        )
        uow.record(
            PetitionVoted(petition.id, vote.id),
            at=moment,
            actor=actor,
            organization_id=council.organization_id,
        )
        uow.commit()
    return vote


def check_signer(uow: UnitOfWork, constituency: Constituency, member: Member, at: datetime) -> None:
    """Refused unless the member may sign a petition against the constituency's delegate."""
    council = uow.repo.get(Council, constituency.council_id)
    if member.organization_id != council.organization_id:
        raise RuleViolation(say("%(name)s belongs to another organization", name=member.name))
    if constituency.lower_council_id is not None:
        lower = uow.repo.get(Council, constituency.lower_council_id)
        seated = uow.repo.mandates_at(at, council_id=lower.id)
        if not any(m.member_id == member.id for m in seated):
            raise RuleViolation(
                say(
                    "%(name)s holds no seat in %(lower)s: only its sitting delegates sign a "
                    "petition to recall its delegates to %(council)s",
                    name=member.name,
                    lower=lower.name,
                    council=council.name,
                )
            )
        return
    membership = uow.repo.first(
        Membership,
        memberships_table.c.member_id == member.id,
        memberships_table.c.constituency_id == constituency.id,
        memberships_table.c.since <= at,
    )
    if membership is None:
        raise RuleViolation(
            say(
                "%(name)s is not a member of %(constituency)s: only its members sign a petition "
                "to recall its delegates",
                name=member.name,
                constituency=constituency.name,
            )
        )


def who_signs(constituency: Constituency, lower: Council | None) -> str:
    if lower is not None:
        return f"the sitting delegates of {lower.name}"
    return f"the members of {constituency.name}"


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionView:
    petition: Petition
    at: datetime
    organization: Organization
    council: Council  # where the delegate sits
    constituency: Constituency
    lower: Council | None  # for a congress delegate: the council whose delegates sign
    mandate: Mandate
    delegate: Member
    faction: Faction | None
    opened_by: Member
    signatures: int  # at `at`
    signers: list[tuple[Member, datetime]]
    status: PetitionStatus
    vote: RecallVote | None  # held at or before `at`
    by_election: Election | None  # the by-election after a carried recall, at or before `at`
    share: Fraction
    who_signs: str

    @property
    def status_text(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def missing(self) -> int:
        return max(self.petition.threshold - self.signatures, 0)


def petition_view(uow: UnitOfWork, petition_id: int, at: datetime | None = None) -> PetitionView:
    """A petition as it stood at `at` (default now): signatures, status, vote, by-election."""
    with uow:
        repo = uow.repo
        petition = repo.get(Petition, petition_id)
        moment = at or uow.now()
        if moment < petition.opened_at:
            raise NotFound(
                say(
                    "petition %(id)s was opened only on %(day)s",
                    id=str(petition.id),
                    day=petition.opened_at,
                ),
                field="at",
            )
        mandate = repo.get(Mandate, petition.mandate_id)
        council = repo.get(Council, mandate.council_id)
        constituency = repo.get(Constituency, petition.constituency_id)
        signed = signatures_of(repo, petition.id, moment)
        members = repo.members_by_id(
            [s.member_id for s in signed] + [mandate.member_id, petition.opened_by_id]
        )
        vote = (
            repo.get(RecallVote, petition.recall_vote_id)
            if petition.recall_vote_id is not None
            and petition.voted_at is not None
            and petition.voted_at <= moment
            else None
        )
        by_election = None
        if vote is not None and vote.carried:
            by_election = repo.first(
                Election,
                elections_table.c.constituency_id == constituency.id,
                elections_table.c.kind == ElectionKind.BY_ELECTION,
                elections_table.c.held_at >= vote.held_at,
                elections_table.c.held_at <= moment,
            )
        lower = (
            repo.get(Council, constituency.lower_council_id)
            if constituency.lower_council_id is not None
            else None
        )
        return PetitionView(
            petition=petition,
            at=moment,
            organization=repo.get(Organization, council.organization_id),
            council=council,
            constituency=constituency,
            lower=lower,
            mandate=mandate,
            delegate=members[mandate.member_id],
            faction=repo.get(Faction, mandate.faction_id) if mandate.faction_id else None,
            opened_by=members[petition.opened_by_id],
            signatures=len(signed),
            signers=[(members[s.member_id], s.signed_at) for s in signed],
            status=petition_status(petition, mandate, moment, vote.carried if vote else None),
            vote=vote,
            by_election=by_election,
            share=constituency.petition_share,
            who_signs=who_signs(constituency, lower),
        )


def petition_document(view: PetitionView) -> dict[str, Any]:
    p = view.petition
    return {
        "petition": p.id,
        "at": iso(view.at),
        "delegate": view.delegate.name,
        "mandate": view.mandate.id,
        "council": view.council.name,
        "constituency": view.constituency.name,
        "who_signs": view.who_signs,
        "opened_by": view.opened_by.name,
        "opened_at": iso(p.opened_at),
        "reason": p.reason,
        "electorate": p.electorate,
        "share": f"{view.share.numerator}/{view.share.denominator}",
        "threshold": p.threshold,
        "signatures": view.signatures,
        "status": view.status.value,
        "status_text": view.status_text,
        "reached_at": iso(p.reached_at) if p.reached_at and p.reached_at <= view.at else None,
        "signers": [{"name": m.name, "signed_at": iso(t)} for m, t in view.signers],
        "vote": {
            "recall_id": view.vote.id,
            "held_at": iso(view.vote.held_at),
            "for": view.vote.votes_for,
            "against": view.vote.votes_against,
            "abstentions": view.vote.abstentions,
            "electorate": view.vote.electorate,
            "rule": view.vote.rule,
            "carried": view.vote.carried,
        }
        if view.vote
        else None,
        "by_election": view.by_election.id if view.by_election else None,
    }


@dataclass(frozen=True)
class PetitionSummary:
    petition: Petition
    delegate: Member
    constituency: Constituency
    signatures: int
    status: PetitionStatus

    @property
    def status_text(self) -> str:
        return STATUS_NAMES[self.status]


@dataclass(frozen=True)
class PetitionList:
    """The petitions against the delegates of some constituencies, as of a moment."""

    organization: Organization
    council: Council
    constituencies: list[Constituency]
    at: datetime
    petitions: list[PetitionSummary]  # newest first
    who_signs: dict[int, str]  # constituency -> who signs there


def constituency_petitions(
    uow: UnitOfWork, constituency_id: int, at: datetime | None = None
) -> PetitionList:
    """The petitions against a constituency's delegates opened by `at` (default now)."""
    with uow:
        constituency = uow.repo.get(Constituency, constituency_id)
        council = uow.repo.get(Council, constituency.council_id)
        return _petition_list(uow, council, [constituency], at or uow.now())


def council_petitions(uow: UnitOfWork, council_id: int, at: datetime | None = None) -> PetitionList:
    """The petitions against any of a council's delegates opened by `at` (default now)."""
    with uow:
        council = uow.repo.get(Council, council_id)
        return _petition_list(uow, council, uow.repo.constituencies(council.id), at or uow.now())


def _petition_list(
    uow: UnitOfWork, council: Council, constituencies: list[Constituency], at: datetime
) -> PetitionList:
    repo = uow.repo
    by_id = {c.id: c for c in constituencies}
    petitions = [p for p in petitions_in(repo, by_id) if p.opened_at <= at]
    counts = signature_counts(repo, [p.id for p in petitions], at)
    mandate_ids = sorted({p.mandate_id for p in petitions})
    mandates = (
        {m.id: m for m in repo.where(Mandate, mandates_table.c.id.in_(mandate_ids))}
        if mandate_ids
        else {}
    )
    vote_ids = sorted({p.recall_vote_id for p in petitions if p.recall_vote_id is not None})
    carried = (
        {v.id: v.carried for v in repo.where(RecallVote, recall_votes_table.c.id.in_(vote_ids))}
        if vote_ids
        else {}
    )
    members = repo.members_by_id(m.member_id for m in mandates.values())
    lowers = {
        c.id: repo.get(Council, c.lower_council_id)
        for c in constituencies
        if c.lower_council_id is not None
    }
    rows = [
        PetitionSummary(
            p,
            members[mandates[p.mandate_id].member_id],
            by_id[p.constituency_id],
            counts.get(p.id, 0),
            petition_status(
                p,
                mandates[p.mandate_id],
                at,
                carried.get(p.recall_vote_id) if p.recall_vote_id is not None else None,
            ),
        )
        for p in petitions
    ]
    rows.sort(key=lambda r: (r.petition.opened_at, r.petition.id), reverse=True)
    return PetitionList(
        organization=repo.get(Organization, council.organization_id),
        council=council,
        constituencies=constituencies,
        at=at,
        petitions=rows,
        who_signs={c.id: who_signs(c, lowers.get(c.id)) for c in constituencies},
    )


def petition_list_document(listing: PetitionList) -> dict[str, Any]:
    return {
        "council": listing.council.name,
        "at": iso(listing.at),
        "petitions": [
            {
                "petition": r.petition.id,
                "delegate": r.delegate.name,
                "constituency": r.constituency.name,
                "opened_at": iso(r.petition.opened_at),
                "signatures": r.signatures,
                "threshold": r.petition.threshold,
                "status": r.status.value,
            }
            for r in listing.petitions
        ],
    }
