"""The spine's records and how its events change them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from smolny.domain.elections import Election, ElectionKind, RecallVote
from smolny.domain.events import (
    SPINE_EVENTS,
    CommitteeElected,
    ConstituencyCreated,
    CouncilCreated,
    DelegatesElected,
    ElectorsReported,
    FactionCreated,
    MandateResigned,
    MemberChanged,
    MemberEnrolled,
    MembersEnrolled,
    MembershipStarted,
    NewMandate,
    OrganizationCreated,
    PowersGranted,
    RecallVoted,
    Recorded,
    SeatsApportioned,
    SectionCreated,
    StandingRulesSet,
)
from smolny.domain.federation import (
    Constituency,
    Council,
    Faction,
    Member,
    Membership,
    Organization,
    Section,
)
from smolny.domain.mandates import Mandate, MandateEnd, SeatAllocation
from smolny.domain.records import Record, Records

EVENTS = SPINE_EVENTS
RECORDS: tuple[type[Record], ...] = (
    Organization,
    Council,
    Section,
    Faction,
    Constituency,
    Member,
    Membership,
    SeatAllocation,
    Mandate,
    Election,
    RecallVote,
)


def project(recorded: Recorded, records: Records) -> bool:
    """Change the state as a spine event says; False if the event is not the spine's."""
    at = recorded.at
    match recorded.event:
        case OrganizationCreated(organization_id=oid, name=name, slug=slug):
            records.put(Organization(oid, name, slug, at))
        case CouncilCreated() as e:
            records.put(
                Council(
                    e.council_id,
                    e.organization_id,
                    e.name,
                    e.slug,
                    e.council_kind,
                    e.parent_id,
                    at,
                    tuple(e.powers),
                )
            )
        case PowersGranted(council_id=cid, granted=granted, revoked=revoked):
            council = records.get(Council, cid)
            kept = [p for p in council.powers if p not in revoked]
            records.put(
                replace(council, powers=tuple(kept + [p for p in granted if p not in kept]))
            )
        case StandingRulesSet() as e:
            records.put(
                replace(
                    records.get(Council, e.council_id),
                    quorum_numerator=e.quorum_numerator,
                    quorum_denominator=e.quorum_denominator,
                    majority=e.majority,
                )
            )
        case SectionCreated(section_id=sid, council_id=cid, name=name):
            records.put(Section(sid, cid, name))
        case FactionCreated() as e:
            records.put(Faction(e.faction_id, e.organization_id, e.name, e.short_name, e.color))
        case ConstituencyCreated() as e:
            records.put(
                Constituency(
                    e.constituency_id,
                    e.council_id,
                    e.name,
                    e.constituency_kind,
                    e.section_id,
                    e.lower_council_id,
                    e.recall_basis,
                    e.recall_share_numerator,
                    e.recall_share_denominator,
                    at,
                    e.petition_share_numerator,
                    e.petition_share_denominator,
                )
            )
        case MemberEnrolled() as e:
            records.put(Member(e.member_id, e.organization_id, e.number, e.name, e.faction_id, at))
        case MembersEnrolled() as e:
            records.add_all(
                [
                    Member(m.member_id, e.organization_id, m.number, m.name, m.faction_id, at)
                    for m in e.members
                ]
            )
            if e.constituency_id is not None:
                records.add_all(
                    [
                        Membership(m.membership_id, m.member_id, e.constituency_id, at)
                        for m in e.members
                        if m.membership_id is not None
                    ]
                )
        case ElectorsReported(constituency_id=cid, electors=electors):
            records.put(replace(records.get(Constituency, cid), reported_electors=electors))
        case MembershipStarted(membership_id=mid, member_id=member, constituency_id=cid):
            records.put(Membership(mid, member, cid, at))
        case MemberChanged(member_id=mid, name=name, faction_id=fid):
            records.put(replace(records.get(Member, mid), name=name, faction_id=fid))
        case SeatsApportioned() as e:
            _close_allocations(records, e.closed_allocation_ids, at)
            for grant in e.grants:
                records.put(
                    SeatAllocation(
                        grant.allocation_id, e.council_id, grant.constituency_id, grant.seats, at
                    )
                )
        case DelegatesElected() as e:
            _end_mandates(records, e.ended_mandate_ids, at, MandateEnd.TERM)
            _end_mandates(records, e.unseated_mandate_ids, at, MandateEnd.UNSEATED)
            records.put(
                Election(
                    e.election_id,
                    e.council_id,
                    e.constituency_id,
                    e.election_kind,
                    e.method,
                    e.seats,
                    at,
                    e.result,
                )
            )
            section_id = records.get(Constituency, e.constituency_id).section_id
            records.add_all(
                [
                    _mandate(
                        new, e.council_id, section_id, e.constituency_id, None, e.election_id, at
                    )
                    for new in e.mandates
                ]
            )
        case CommitteeElected() as e:
            _end_mandates(records, e.ended_mandate_ids, at, MandateEnd.TERM)
            _close_allocations(records, e.closed_allocation_ids, at)
            records.put(
                SeatAllocation(e.grant.allocation_id, e.committee_id, None, e.grant.seats, at)
            )
            records.put(
                Election(
                    e.election_id,
                    e.committee_id,
                    None,
                    ElectionKind.COMMITTEE,
                    e.method,
                    e.seats,
                    at,
                    e.result,
                )
            )
            records.add_all(
                [
                    _mandate(new, e.committee_id, None, None, e.council_id, e.election_id, at)
                    for new in e.mandates
                ]
            )
        case RecallVoted() as e:
            records.put(
                RecallVote(
                    e.recall_id,
                    e.mandate_id,
                    e.constituency_id,
                    at,
                    e.votes_for,
                    e.votes_against,
                    e.abstentions,
                    e.electorate,
                    e.rule,
                    e.carried,
                )
            )
            if e.carried:
                _end_mandates(records, (e.mandate_id,), at, MandateEnd.RECALL)
                _end_mandates(records, e.unseated_mandate_ids, at, MandateEnd.UNSEATED)
        case MandateResigned(mandate_id=mid, unseated_mandate_ids=unseated):
            _end_mandates(records, (mid,), at, MandateEnd.RESIGNATION)
            _end_mandates(records, unseated, at, MandateEnd.UNSEATED)
        case _:
            return False
    return True


def _mandate(
    new: NewMandate,
    council_id: int,
    section_id: int | None,
    constituency_id: int | None,
    origin_council_id: int | None,
    election_id: int,
    at: datetime,
) -> Mandate:
    return Mandate(
        id=new.mandate_id,
        council_id=council_id,
        member_id=new.member_id,
        faction_id=new.faction_id,
        section_id=section_id,
        constituency_id=constituency_id,
        origin_council_id=origin_council_id,
        election_id=election_id,
        valid_from=at,
    )


def _end_mandates(
    records: Records, mandate_ids: tuple[int, ...], at: datetime, reason: MandateEnd
) -> None:
    if mandate_ids:
        records.change_all(Mandate, mandate_ids, valid_to=at, end_reason=reason)


def _close_allocations(records: Records, allocation_ids: tuple[int, ...], at: datetime) -> None:
    if allocation_ids:
        records.change_all(SeatAllocation, allocation_ids, valid_to=at)
