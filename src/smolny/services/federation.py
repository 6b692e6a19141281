"""Setting up the federation: organizations, councils, sections, factions, constituencies,
members."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from smolny.domain.composition import NON_PARTY
from smolny.domain.errors import AlreadyExists, InvalidInput, RuleViolation
from smolny.domain.events import (
    ConstituencyCreated,
    CouncilCreated,
    ElectorsReported,
    EnrolledMember,
    FactionCreated,
    MemberEnrolled,
    MembersEnrolled,
    MembershipStarted,
    OrganizationCreated,
    PowersGranted,
    SectionCreated,
    StandingRulesSet,
)
from smolny.domain.federation import (
    ELECTED_BODIES,
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Faction,
    Majority,
    Member,
    Membership,
    Organization,
    Power,
    RecallBasis,
    Section,
    slugify,
)
from smolny.domain.rights import Action, Actor
from smolny.services import rights
from smolny.store.uow import UnitOfWork

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Distinct colours for factions created without one, in order.
_PALETTE = ("#c0392b", "#2e86c1", "#d68910", "#239b56", "#7d3c98", "#5d6d7e", "#ca6f1e", "#17a589")


def _name(value: str, what: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput(f"{what} needs a name", field="name")
    if len(name) > 200:
        raise InvalidInput(f"{what} name is longer than 200 characters", field="name")
    return name


def create_organization(
    uow: UnitOfWork, *, name: str, actor: str, at: datetime | None = None
) -> Organization:
    name = _name(name, "an organization")
    with uow:
        uow.lock()
        slug = slugify(name)
        if uow.repo.organization_by_name(name) or uow.repo.organization_by_slug(slug):
            raise AlreadyExists(f"an organization named {name!r} already exists", field="name")
        oid = uow.repo.next_id(Organization)
        moment = uow.moment(at, oid)
        uow.record(
            OrganizationCreated(oid, name, slug), at=moment, actor=actor, organization_id=oid
        )
        organization = uow.repo.get(Organization, oid)
        uow.commit()
    return organization


def create_council(
    uow: UnitOfWork,
    *,
    organization_id: int,
    name: str,
    kind: CouncilKind = CouncilKind.COUNCIL,
    parent_id: int | None = None,
    powers: Sequence[Power] = (),
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Council:
    """A council, a congress, or a committee or office elected by its parent council."""
    name = _name(name, "a council")
    kind = CouncilKind(kind)
    powers = tuple(dict.fromkeys(Power(p) for p in powers))
    with uow:
        uow.lock()
        uow.repo.get(Organization, organization_id)
        rights.guard(
            uow,
            acting,
            Action.CREATE_COUNCIL,
            lambda: rights.organization_target(uow, organization_id),
            at,
        )
        slug = slugify(name)
        if uow.repo.council_by_slug(organization_id, slug):
            raise AlreadyExists(f"a council named {name!r} already exists here", field="name")
        if kind in ELECTED_BODIES and parent_id is None:
            raise InvalidInput(
                f"a {kind.value} needs the council that elects it", field="parent_id"
            )
        if parent_id is not None:
            parent = uow.repo.get(Council, parent_id)
            if parent.organization_id != organization_id:
                raise RuleViolation(f"{parent.name} belongs to another organization")
            if kind not in ELECTED_BODIES:
                raise InvalidInput(
                    "only a committee or an office has a parent council", field="parent_id"
                )
        cid = uow.repo.next_id(Council)
        uow.record(
            CouncilCreated(cid, organization_id, name, slug, kind, parent_id, powers),
            at=uow.moment(at, organization_id),
            actor=actor,
            organization_id=organization_id,
        )
        council = uow.repo.get(Council, cid)
        uow.commit()
    return council


def create_section(
    uow: UnitOfWork, *, council_id: int, name: str, actor: str, at: datetime | None = None
) -> Section:
    name = _name(name, "a section")
    with uow:
        uow.lock()
        council = uow.repo.get(Council, council_id)
        if council.kind in ELECTED_BODIES:
            raise RuleViolation(f"{council.name} is a {council.kind.value}: it has no sections")
        if any(s.name == name for s in uow.repo.sections(council_id)):
            raise AlreadyExists(f"{council.name} already has a section {name!r}", field="name")
        sid = uow.repo.next_id(Section)
        uow.record(
            SectionCreated(sid, council_id, name),
            at=uow.moment(at, council.organization_id),
            actor=actor,
            organization_id=council.organization_id,
        )
        section = uow.repo.get(Section, sid)
        uow.commit()
    return section


def create_faction(
    uow: UnitOfWork,
    *,
    organization_id: int,
    name: str,
    short_name: str | None = None,
    color: str | None = None,
    actor: str,
    at: datetime | None = None,
) -> Faction:
    name = _name(name, "a faction")
    short = " ".join((short_name or name).split())[:40]
    with uow:
        uow.lock()
        uow.repo.get(Organization, organization_id)
        existing = uow.repo.factions(organization_id)
        check_faction_name(name, existing)
        if color is None:
            color = _PALETTE[len(existing) % len(_PALETTE)]
        if not _COLOR.match(color):
            raise InvalidInput(f"colour {color!r}: expected #rrggbb", field="color")
        fid = uow.repo.next_id(Faction)
        uow.record(
            FactionCreated(fid, organization_id, name, short, color.lower()),
            at=uow.moment(at, organization_id),
            actor=actor,
            organization_id=organization_id,
        )
        faction = uow.repo.get(Faction, fid)
        uow.commit()
    return faction


# Names the composition gives to seats that no faction holds.
RESERVED_FACTION_NAMES = (NON_PARTY, "Vacant")


def check_faction_name(name: str, existing: Sequence[Faction]) -> None:
    """A faction's name must not be confused with another's, or with a reserved name."""
    slug = slugify(name)
    for reserved in RESERVED_FACTION_NAMES:
        if slug == slugify(reserved):
            raise InvalidInput(
                f"{name!r} is reserved: it names the seats no faction holds", field="name"
            )
    for faction in existing:
        if faction.name == name:
            raise AlreadyExists(f"a faction named {name!r} already exists", field="name")
        if slugify(faction.name) == slug:
            raise AlreadyExists(
                f"{name!r} is too like the existing faction {faction.name!r}", field="name"
            )


def create_constituency(
    uow: UnitOfWork,
    *,
    council_id: int,
    name: str,
    kind: ConstituencyKind = ConstituencyKind.WORKPLACE,
    section_id: int | None = None,
    lower_council_id: int | None = None,
    recall_basis: RecallBasis = RecallBasis.MEMBERS,
    recall_share: Fraction = Fraction(1, 2),
    actor: str,
    at: datetime | None = None,
) -> Constituency:
    """A base that sends delegates to `council_id`: a workplace, a unit, or a lower council."""
    name = _name(name, "a constituency")
    kind, recall_basis = ConstituencyKind(kind), RecallBasis(recall_basis)
    with uow:
        uow.lock()
        council = uow.repo.get(Council, council_id)
        if council.kind in ELECTED_BODIES:
            raise RuleViolation(
                f"{council.name} is a {council.kind.value}: its council elects it, "
                "not constituencies"
            )
        if uow.repo.constituency_named(council_id, name):
            raise AlreadyExists(f"{council.name} already has a constituency {name!r}", field="name")
        if section_id is not None and uow.repo.get(Section, section_id).council_id != council_id:
            raise RuleViolation(f"section {section_id} is not a section of {council.name}")
        if (kind is ConstituencyKind.COUNCIL) != (lower_council_id is not None):
            raise InvalidInput(
                "a constituency of kind 'council' names the lower council that sends delegates, "
                "and only such a constituency does",
                field="lower_council_id",
            )
        if lower_council_id is not None:
            lower = uow.repo.get(Council, lower_council_id)
            if lower.id == council_id or lower.organization_id != council.organization_id:
                raise RuleViolation(f"{lower.name} cannot send delegates to {council.name}")
        if not 0 < recall_share < 1:
            raise InvalidInput("the recall share must lie between 0 and 1", field="recall_share")
        cid = uow.repo.next_id(Constituency)
        uow.record(
            ConstituencyCreated(
                cid,
                council_id,
                name,
                kind,
                section_id,
                lower_council_id,
                recall_basis,
                recall_share.numerator,
                recall_share.denominator,
            ),
            at=uow.moment(at, council.organization_id),
            actor=actor,
            organization_id=council.organization_id,
        )
        constituency = uow.repo.get(Constituency, cid)
        uow.commit()
    return constituency


def enroll_member(
    uow: UnitOfWork,
    *,
    organization_id: int,
    name: str,
    number: str | None = None,
    faction_id: int | None = None,
    constituency_ids: Sequence[int] = (),
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Member:
    """Enroll a member (with their faction, if any) in one or more constituencies."""
    name = _name(name, "a member")
    with uow:
        uow.lock()
        rights.guard(
            uow,
            acting,
            Action.IMPORT_MEMBERS,
            lambda: rights.organization_target(uow, organization_id),
            at,
        )
        check_enrollment(uow, organization_id, number, faction_id, constituency_ids)
        member = do_enroll(
            uow,
            organization_id=organization_id,
            name=name,
            number=number,
            faction_id=faction_id,
            constituency_ids=constituency_ids,
            at=uow.moment(at, organization_id),
            actor=actor,
        )
        uow.commit()
    return member


def check_enrollment(
    uow: UnitOfWork,
    organization_id: int,
    number: str | None,
    faction_id: int | None,
    constituency_ids: Sequence[int],
) -> None:
    uow.repo.get(Organization, organization_id)
    if number is not None:
        if not number.strip():
            raise InvalidInput("a membership number cannot be blank", field="number")
        found = uow.repo.member_by_number(organization_id, number.strip())
        if found:
            raise AlreadyExists(
                f"membership number {number!r} is already {found.name}'s", field="number"
            )
    if faction_id is not None and uow.repo.get(Faction, faction_id).organization_id != (
        organization_id
    ):
        raise RuleViolation(f"faction {faction_id} belongs to another organization")
    if len(set(constituency_ids)) != len(constituency_ids):
        raise InvalidInput("a constituency is named twice", field="constituency_ids")
    for cid in constituency_ids:
        constituency = uow.repo.get(Constituency, cid)
        council = uow.repo.get(Council, constituency.council_id)
        if council.organization_id != organization_id:
            raise RuleViolation(f"{constituency.name} belongs to another organization")
        if constituency.kind is ConstituencyKind.COUNCIL:
            raise RuleViolation(
                f"{constituency.name} is a lower council: its electors are that council's "
                "delegates, not enrolled members"
            )


def do_enroll(
    uow: UnitOfWork,
    *,
    organization_id: int,
    name: str,
    number: str | None,
    faction_id: int | None,
    constituency_ids: Sequence[int],
    at: datetime,
    actor: str,
) -> Member:
    mid = uow.repo.next_id(Member)
    number = number.strip() if number else _free_number(uow, organization_id, mid)
    uow.record(
        MemberEnrolled(mid, organization_id, number, name, faction_id),
        at=at,
        actor=actor,
        organization_id=organization_id,
    )
    for cid in constituency_ids:
        uow.record(
            MembershipStarted(uow.repo.next_id(Membership), mid, cid),
            at=at,
            actor=actor,
            organization_id=organization_id,
        )
    return uow.repo.get(Member, mid)


@dataclass(frozen=True)
class NewMember:
    """One of many members enrolled at once."""

    name: str
    faction_id: int | None = None
    number: str | None = None


def enroll_members(
    uow: UnitOfWork,
    *,
    organization_id: int,
    members: Sequence[NewMember],
    constituency_id: int | None = None,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> list[Member]:
    """Enroll many members at once, in one constituency or none, as one event: all or none
    of them (a bad row names its place in the list and changes nothing)."""
    if not members:
        raise InvalidInput("name at least one member to enroll", field="members")
    with uow:
        uow.lock()
        rights.guard(
            uow,
            acting,
            Action.IMPORT_MEMBERS,
            lambda: rights.organization_target(uow, organization_id),
            at,
        )
        where = () if constituency_id is None else (constituency_id,)
        check_enrollment(uow, organization_id, None, None, where)
        first = uow.repo.peek_id(Member)  # the new members' ids, taken in order below
        explicit = [m.number.strip() for m in members if m.number and m.number.strip()]
        own = [str(first + n) for n in range(len(members))]
        taken = uow.repo.numbers_taken(organization_id, explicit + own)
        checked_factions: set[int] = set()
        numbers: dict[str, int] = {}
        for row, new in enumerate(members, start=1):
            try:
                _name(new.name, "a member")
                if new.faction_id is not None and new.faction_id not in checked_factions:
                    check_enrollment(uow, organization_id, None, new.faction_id, ())
                    checked_factions.add(new.faction_id)
                if new.number is not None and not new.number.strip():
                    raise InvalidInput("a membership number cannot be blank", field="number")
            except (InvalidInput, RuleViolation, AlreadyExists) as error:
                raise type(error)(
                    f"member {row} ({new.name!r}): {error.message}", field="members"
                ) from error
            if new.number is not None:
                key = new.number.strip()
                if key in taken:
                    raise AlreadyExists(
                        f"member {row} ({new.name!r}): membership number {key!r} is taken",
                        field="members",
                    )
                if key in numbers:
                    raise AlreadyExists(
                        f"member {row}: membership number {key!r} is also member {numbers[key]}'s",
                        field="members",
                    )
                numbers[key] = row
        taken |= set(numbers)
        moment = uow.moment(at, organization_id)
        enrolled = []
        for new in members:
            mid = uow.repo.next_id(Member)
            if new.number is not None:
                number = new.number.strip()
            else:
                # The id, unless taken (the same rule as one member enrolled alone).
                number, n = str(mid), 0
                while number in taken or (n and uow.repo.member_by_number(organization_id, number)):
                    n += 1
                    number = f"{mid}-{n}"
                taken.add(number)
            enrolled.append(
                EnrolledMember(
                    mid,
                    number,
                    new.name.strip(),
                    new.faction_id,
                    None if constituency_id is None else uow.repo.next_id(Membership),
                )
            )
        uow.record(
            MembersEnrolled(organization_id, constituency_id, tuple(enrolled)),
            at=moment,
            actor=actor,
            organization_id=organization_id,
        )
        found = uow.repo.members_by_id(m.member_id for m in enrolled)
        uow.commit()
    return [found[m.member_id] for m in enrolled]


def report_electors(
    uow: UnitOfWork,
    *,
    constituency_id: int,
    electors: int | None,
    actor: str,
    at: datetime | None = None,
) -> Constituency:
    """Record the electors a constituency's body reported (a regiment, a district of
    factories that does not enrol each elector); they count instead of its members. None
    returns to counting the members enrolled."""
    if electors is not None and (isinstance(electors, bool) or electors < 0):
        raise InvalidInput("electors must be a whole number of at least 0", field="electors")
    with uow:
        uow.lock()
        constituency = uow.repo.get(Constituency, constituency_id)
        if constituency.kind is ConstituencyKind.COUNCIL:
            raise RuleViolation(
                f"{constituency.name} is a lower council: its electors are that council's "
                "delegates (a congress takes reported electors when it apportions)"
            )
        council = uow.repo.get(Council, constituency.council_id)
        uow.record(
            ElectorsReported(constituency_id, electors),
            at=uow.moment(at, council.organization_id),
            actor=actor,
            organization_id=council.organization_id,
        )
        constituency = uow.repo.get(Constituency, constituency_id)
        uow.commit()
    return constituency


def _free_number(uow: UnitOfWork, organization_id: int, member_id: int) -> str:
    """A membership number for a member enrolled without one: the id, unless taken."""
    candidate, n = str(member_id), 0
    while uow.repo.member_by_number(organization_id, candidate):
        n += 1
        candidate = f"{member_id}-{n}"
    return candidate


def grant_powers(
    uow: UnitOfWork,
    *,
    council_id: int,
    granted: Sequence[Power] = (),
    revoked: Sequence[Power] = (),
    decision: str,
    actor: str,
    at: datetime | None = None,
) -> Council:
    """Give a body powers, or take them away, by a decision recorded in words."""
    decision = " ".join(decision.split())
    if not decision:
        raise InvalidInput("say which decision grants or revokes the powers", field="decision")
    granted = tuple(dict.fromkeys(Power(p) for p in granted))
    revoked = tuple(dict.fromkeys(Power(p) for p in revoked))
    if not granted and not revoked:
        raise InvalidInput("name a power to grant or to revoke", field="granted")
    if set(granted) & set(revoked):
        raise InvalidInput("a power cannot be granted and revoked at once", field="granted")
    with uow:
        uow.lock()
        council = uow.repo.get(Council, council_id)
        uow.record(
            PowersGranted(council_id, granted, revoked, decision),
            at=uow.moment(at, council.organization_id),
            actor=actor,
            organization_id=council.organization_id,
        )
        council = uow.repo.get(Council, council_id)
        uow.commit()
    return council


def set_standing_rules(
    uow: UnitOfWork,
    *,
    council_id: int,
    quorum: Fraction = Fraction(1, 2),
    majority: Majority = Majority.SIMPLE,
    actor: str,
    at: datetime | None = None,
) -> Council:
    """A council's quorum (more than this share of its seated delegates present) and the
    majority its motions need unless a motion states another."""
    if not 0 <= quorum < 1:
        raise InvalidInput("the quorum is a share of the seated delegates below 1", field="quorum")
    with uow:
        uow.lock()
        council = uow.repo.get(Council, council_id)
        uow.record(
            StandingRulesSet(council_id, quorum.numerator, quorum.denominator, Majority(majority)),
            at=uow.moment(at, council.organization_id),
            actor=actor,
            organization_id=council.organization_id,
        )
        council = uow.repo.get(Council, council_id)
        uow.commit()
    return council
