"""Finding things by the names people type: organizations, councils, members, factions,
sections, constituencies. A name that matches nothing is refused with the names that
exist; a name that matches several asks for the organization (`organization/name`) or a
number."""

from __future__ import annotations

from smolny.domain.errors import InvalidInput, NotFound
from smolny.domain.federation import (
    Constituency,
    Council,
    Faction,
    Member,
    Organization,
    Section,
)
from smolny.store.tables import constituencies, members
from smolny.store.uow import UnitOfWork


def find_organization(uow: UnitOfWork, ref: str) -> Organization:
    """An organization by id, name or slug."""
    ref = ref.strip()
    with uow:
        if ref.isdigit():
            return uow.repo.get(Organization, int(ref))
        found = uow.repo.organization_by_name(ref) or uow.repo.organization_by_slug(ref)
        if found is None:
            names = ", ".join(o.name for o in uow.repo.all(Organization)) or "none yet"
            raise NotFound(f"no organization named {ref!r} (organizations: {names})")
        return found


def _split(ref: str) -> tuple[str, str]:
    org_ref, _, name = ref.strip().rpartition("/")
    return org_ref, name


def _of(uow: UnitOfWork, org_ref: str, organization_id: int) -> bool:
    """Whether `org_ref` (empty: any) names the organization."""
    if not org_ref:
        return True
    organization = uow.repo.get(Organization, organization_id)
    return org_ref in (organization.name, organization.slug, str(organization.id))


def find_council(uow: UnitOfWork, ref: str) -> Council:
    """A council by id, name, slug, or `organization/council` when a name recurs."""
    org_ref, name = _split(ref)
    with uow:
        if name.isdigit() and not org_ref:
            return uow.repo.get(Council, int(name))
        found = [c for c in uow.repo.councils_named(name) if _of(uow, org_ref, c.organization_id)]
        if not found:
            names = ", ".join(sorted(c.name for c in uow.repo.councils())) or "none yet"
            raise NotFound(f"no council named {ref.strip()!r} (councils: {names})", field="council")
        if len(found) > 1:
            orgs = {o.id: o for o in uow.repo.all(Organization)}
            options = ", ".join(f"{orgs[c.organization_id].slug}/{c.slug}" for c in found)
            raise InvalidInput(f"{ref.strip()!r} names several councils: say which ({options})")
        return found[0]


def find_member(uow: UnitOfWork, organization_id: int, ref: str) -> Member:
    """A member by membership number, or by exact name when no number matches and only one
    member has it."""
    ref = " ".join(ref.split())
    with uow:
        found = uow.repo.member_by_number(organization_id, ref)
        if found is not None:
            return found
        named = uow.repo.where(
            Member, members.c.organization_id == organization_id, members.c.name == ref
        )
        if not named:
            raise NotFound(f"no member numbered or named {ref!r}", field="member")
        if len(named) > 1:
            numbers = ", ".join(m.number for m in named)
            raise InvalidInput(
                f"{len(named)} members are named {ref!r}: give a membership number ({numbers})",
                field="member",
            )
        return named[0]


def find_faction(uow: UnitOfWork, ref: str, organization_id: int | None = None) -> Faction:
    """A faction by id, name or short name, in the organization if given (else in any, with
    `organization/name` when the name recurs)."""
    org_ref, name = _split(ref)
    with uow:
        if name.isdigit() and not org_ref:
            return uow.repo.get(Faction, int(name))
        pool = (
            uow.repo.factions(organization_id)
            if organization_id is not None
            else uow.repo.all_factions()
        )
        found = [
            f
            for f in pool
            if name in (f.name, f.short_name) and _of(uow, org_ref, f.organization_id)
        ]
        if not found:
            names = ", ".join(f.name for f in pool) or "none"
            raise NotFound(f"no faction named {ref.strip()!r} (factions: {names})", field="faction")
        if len(found) > 1:
            raise InvalidInput(
                f"{ref.strip()!r} names several factions: put the organization first "
                "(organization/name)",
                field="faction",
            )
        return found[0]


def find_section(uow: UnitOfWork, council_id: int, ref: str) -> Section:
    with uow:
        council = uow.repo.get(Council, council_id)
        sections = uow.repo.sections(council_id)
        for section in sections:
            if ref.strip() in (section.name, str(section.id)):
                return section
        names = ", ".join(s.name for s in sections) or "none"
        raise NotFound(
            f"{council.name} has no section {ref!r} (sections: {names})", field="section"
        )


def find_constituency(uow: UnitOfWork, ref: str) -> Constituency:
    """A constituency by id, or `council/constituency`, or a name no other constituency
    has."""
    ref = ref.strip()
    with uow:
        if ref.isdigit():
            return uow.repo.get(Constituency, int(ref))
        council_ref, _, name = ref.rpartition("/")
        if council_ref:
            council = find_council(uow, council_ref)
            found = uow.repo.constituency_named(council.id, name)
            if found is None:
                names = ", ".join(c.name for c in uow.repo.constituencies(council.id)) or "none"
                raise NotFound(
                    f"{council.name} has no constituency {name!r} (constituencies: {names})",
                    field="constituency",
                )
            return found
        matches = uow.repo.where(Constituency, constituencies.c.name == name)
        if not matches:
            raise NotFound(f"no constituency named {name!r}", field="constituency")
        if len(matches) > 1:
            raise InvalidInput(
                f"{name!r} names constituencies of several councils: write COUNCIL/{name}",
                field="constituency",
            )
        return matches[0]
