"""Changing an enrolled member: their name or faction, and the constituencies they join."""

from __future__ import annotations

from datetime import datetime

from smolny.domain.errors import InvalidInput, RuleViolation
from smolny.domain.events import MemberChanged, MembershipStarted
from smolny.domain.federation import Constituency, Council, Faction, Member, Membership
from smolny.services.federation import check_enrollment
from smolny.store.uow import UnitOfWork

_UNSET = object()


def change_member(
    uow: UnitOfWork,
    *,
    member_id: int,
    name: str | None = None,
    faction_id: int | object | None = _UNSET,
    actor: str,
    at: datetime | None = None,
) -> Member:
    """Record a member's new name or faction (None: no faction). Mandates already won keep
    the faction they were won under."""
    with uow:
        uow.lock()
        member = uow.repo.get(Member, member_id)
        new_name = member.name if name is None else " ".join(name.split())
        if not new_name:
            raise InvalidInput("a member needs a name", field="name")
        if len(new_name) > 200:
            raise InvalidInput("a member's name is longer than 200 characters", field="name")
        new_faction = member.faction_id if faction_id is _UNSET else faction_id
        assert new_faction is None or isinstance(new_faction, int)
        if new_faction is not None and (
            uow.repo.get(Faction, new_faction).organization_id != member.organization_id
        ):
            raise RuleViolation(f"faction {new_faction} belongs to another organization")
        if (new_name, new_faction) == (member.name, member.faction_id):
            raise InvalidInput(f"{member.name}: nothing to change", field="name")
        uow.record(
            MemberChanged(member_id, new_name, new_faction),
            at=uow.moment(at, member.organization_id),
            actor=actor,
            organization_id=member.organization_id,
        )
        member = uow.repo.get(Member, member_id)
        uow.commit()
    return member


def join_constituency(
    uow: UnitOfWork,
    *,
    member_id: int,
    constituency_id: int,
    actor: str,
    at: datetime | None = None,
) -> Membership:
    """A member joins one more constituency (they stay in the ones they are in)."""
    with uow:
        uow.lock()
        member = uow.repo.get(Member, member_id)
        check_enrollment(uow, member.organization_id, None, None, [constituency_id])
        if uow.repo.is_member_of(member_id, constituency_id):
            constituency = uow.repo.get(Constituency, constituency_id)
            council = uow.repo.get(Council, constituency.council_id)
            raise RuleViolation(
                f"{member.name} is already in {constituency.name} ({council.name})",
                field="constituency",
            )
        mid = uow.repo.next_id(Membership)
        uow.record(
            MembershipStarted(mid, member_id, constituency_id),
            at=uow.moment(at, member.organization_id),
            actor=actor,
            organization_id=member.organization_id,
        )
        membership = uow.repo.get(Membership, mid)
        uow.commit()
    return membership
