"""Orders to units, countersignature, dual power and faction sanctions: the use cases.

The rules are stated in `smolny.domain.orders`. Every change is one transaction; every
view reads the state as of a moment (default: now).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smolny.domain.errors import AlreadyExists, InvalidInput, NotFound, RuleViolation
from smolny.domain.events import PowersGranted
from smolny.domain.federation import Constituency, Council, Faction, Organization, Power
from smolny.domain.orders import (
    STATUS_TEXT,
    Addressee,
    AuthorityCreated,
    AuthorityKind,
    Conflict,
    ConflictKind,
    Countersignature,
    CountersignatureGranted,
    CountersignatureRevoked,
    CountersignPower,
    Decision,
    FactionSanction,
    FactionSanctioned,
    FactionSanctionLifted,
    FactionState,
    IssuerRef,
    Order,
    OrderAddressee,
    OrderCountersigned,
    OrderIssued,
    OrderRefused,
    OrderWithdrawn,
    OutsideAuthority,
    PowerHeld,
    SanctionKind,
    Status,
    Unit,
    UnitCreated,
    UnitGrant,
    UnitKind,
    UnitStatus,
    conflicts,
    countersigners_at,
    faction_state,
    powers_at,
    sanction_in_force,
    statuses,
)
from smolny.domain.rights import Action, Actor
from smolny.domain.text import Text, say
from smolny.ledger.chain import iso
from smolny.services import rights
from smolny.store import orders as store
from smolny.store.uow import UnitOfWork

# -- small helpers ---------------------------------------------------------------------------


def _text(value: str, what: Text, field: str, *, limit: int | None = 200) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidInput(say("%(what)s cannot be empty", what=what), field=field)
    if limit is not None and len(text) > limit:
        raise InvalidInput(
            say("%(what)s is longer than %(limit)s characters", what=what, limit=limit),
            field=field,
        )
    return text


def _names(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _names_said(items: Sequence[str]) -> str | Text:
    """Names in a sentence: "A, B and C" (the "and" in the page's language)."""
    if len(items) <= 1:
        return "".join(items)
    return say("%(names)s and %(last)s", names=", ".join(items[:-1]), last=items[-1])


def _organization_of_council(uow: UnitOfWork, council_id: int) -> tuple[Council, Organization]:
    council = uow.repo.get(Council, council_id)
    return council, uow.repo.get(Organization, council.organization_id)


def _units(uow: UnitOfWork, organization: Organization, unit_ids: Sequence[int]) -> list[Unit]:
    if not unit_ids:
        raise InvalidInput(say("name at least one unit"), field="unit_ids")
    if len(set(unit_ids)) != len(unit_ids):
        raise InvalidInput(say("a unit is named twice"), field="unit_ids")
    known = store.units_by_id(uow.repo, unit_ids)
    found = []
    for unit_id in unit_ids:
        unit = known.get(unit_id)
        if unit is None:
            raise NotFound(say("unit %(id)s does not exist", id=str(unit_id)), field="unit_ids")
        if unit.organization_id != organization.id:
            raise RuleViolation(
                say("%(unit)s is a unit of another organization", unit=unit.name),
                field="unit_ids",
            )
        found.append(unit)
    return found


# -- finding things by name (the CLI) --------------------------------------------------------


def _split(ref: str) -> tuple[str, str]:
    org_ref, _, name = ref.strip().rpartition("/")
    return org_ref, name


def _in_organization(uow: UnitOfWork, org_ref: str, organization_id: int) -> bool:
    if not org_ref:
        return True
    organization = uow.repo.get(Organization, organization_id)
    return org_ref in (organization.name, organization.slug, str(organization.id))


def find_issuer(uow: UnitOfWork, ref: str) -> IssuerRef:
    """A body of the federation (by id, name, slug) or an outside authority (by name), with
    `organization/` before the name when it recurs across organizations."""
    org_ref, name = _split(ref)
    with uow:
        if name.isdigit() and not org_ref:
            return IssuerRef(uow.repo.get(Council, int(name)).id, None)
        bodies = [
            c
            for c in uow.repo.councils_named(name)
            if _in_organization(uow, org_ref, c.organization_id)
        ]
        outside = [
            a
            for a in store.authorities_named(uow.repo, name)
            if _in_organization(uow, org_ref, a.organization_id)
        ]
        found = [IssuerRef(c.id, None) for c in bodies] + [IssuerRef(None, a.id) for a in outside]
        if not found:
            raise NotFound(
                say("no body or outside authority named %(ref)s", ref=repr(ref)), field="issuer"
            )
        if len(found) > 1:
            raise InvalidInput(
                say(
                    "%(ref)s names several bodies or authorities: put the organization first "
                    "(organization/name)",
                    ref=repr(ref),
                ),
                field="issuer",
            )
        return found[0]


def find_body(uow: UnitOfWork, ref: str) -> Council:
    """A body of the federation; an outside authority is refused, saying why."""
    issuer = find_issuer(uow, ref)
    with uow:
        if issuer.council_id is None:
            assert issuer.authority_id is not None
            authority = uow.repo.get(OutsideAuthority, issuer.authority_id)
            raise RuleViolation(
                say(
                    "%(authority)s is an outside authority, not a body of the federation: "
                    "only bodies of the federation hold countersignature and other powers",
                    authority=authority.name,
                ),
                field="council",
            )
        return uow.repo.get(Council, issuer.council_id)


def find_unit(uow: UnitOfWork, organization_id: int, ref: str) -> Unit:
    ref = ref.strip()
    with uow:
        if ref.isdigit():
            unit = uow.repo.get(Unit, int(ref))
        else:
            found = store.unit_named(uow.repo, organization_id, ref)
            if found is None:
                names = ", ".join(u.name for u in store.units_of(uow.repo, organization_id))
                raise NotFound(
                    say("no unit named %(ref)s (units: %(names)s)", ref=repr(ref), names=names)
                    if names
                    else say("no unit named %(ref)s (units: none yet)", ref=repr(ref))
                )
            unit = found
        if unit.organization_id != organization_id:
            raise RuleViolation(say("%(unit)s is a unit of another organization", unit=unit.name))
        return unit


# -- units and outside authorities -----------------------------------------------------------


def create_unit(
    uow: UnitOfWork,
    *,
    organization_id: int,
    name: str,
    kind: UnitKind = UnitKind.REGIMENT,
    constituency_id: int | None = None,
    actor: str,
    at: datetime | None = None,
) -> Unit:
    """A unit that receives orders, corresponding (if given) to one of the constituencies."""
    name = _text(name, say("a unit's name"), "name")
    kind = UnitKind(kind)
    with uow:
        uow.lock()
        organization = uow.repo.get(Organization, organization_id)
        if store.unit_named(uow.repo, organization_id, name):
            raise AlreadyExists(
                say(
                    "%(organization)s already has a unit %(name)s",
                    organization=organization.name,
                    name=repr(name),
                ),
                field="name",
            )
        if constituency_id is not None:
            constituency = uow.repo.get(Constituency, constituency_id)
            council = uow.repo.get(Council, constituency.council_id)
            if council.organization_id != organization_id:
                raise RuleViolation(
                    say(
                        "%(constituency)s is a constituency of another organization",
                        constituency=constituency.name,
                    ),
                    field="constituency_id",
                )
        unit_id = uow.repo.next_id(Unit)
        uow.record(
            UnitCreated(unit_id, organization_id, name, kind, constituency_id),
            at=uow.moment(at, organization_id),
            actor=actor,
            organization_id=organization_id,
        )
        unit = uow.repo.get(Unit, unit_id)
        uow.commit()
    return unit


def create_authority(
    uow: UnitOfWork,
    *,
    organization_id: int,
    name: str,
    kind: AuthorityKind = AuthorityKind.GOVERNMENT,
    actor: str,
    at: datetime | None = None,
) -> OutsideAuthority:
    """An authority outside the federation that gives orders to its units."""
    name = _text(name, say("an authority's name"), "name")
    kind = AuthorityKind(kind)
    with uow:
        uow.lock()
        organization = uow.repo.get(Organization, organization_id)
        if any(a.name == name for a in store.authorities_of(uow.repo, organization_id)):
            raise AlreadyExists(
                say(
                    "%(organization)s already records an authority %(name)s",
                    organization=organization.name,
                    name=repr(name),
                ),
                field="name",
            )
        if any(c.name == name for c in uow.repo.councils(organization_id)):
            raise AlreadyExists(
                say(
                    "%(name)s is a body of %(organization)s, not an outside authority",
                    name=repr(name),
                    organization=organization.name,
                ),
                field="name",
            )
        authority_id = uow.repo.next_id(OutsideAuthority)
        uow.record(
            AuthorityCreated(authority_id, organization_id, name, kind),
            at=uow.moment(at, organization_id),
            actor=actor,
            organization_id=organization_id,
        )
        authority = uow.repo.get(OutsideAuthority, authority_id)
        uow.commit()
    return authority


# -- countersignature power ------------------------------------------------------------------


def grant_countersignature(
    uow: UnitOfWork,
    *,
    council_id: int,
    unit_ids: Sequence[int],
    decision: str,
    actor: str,
    at: datetime | None = None,
) -> list[CountersignPower]:
    """Give a body countersignature power over units, from now (or `at`), by a decision
    recorded in words ("garrison conference, 18 October 1917"). A body without the power
    `countersign` is given it by the same decision."""
    decision = _text(decision, say("the decision"), "decision", limit=None)
    with uow:
        uow.lock()
        council, organization = _organization_of_council(uow, council_id)
        units = _units(uow, organization, unit_ids)
        held = {p.unit_id for p in store.open_powers_of(uow.repo, council_id)}
        already = [u.name for u in units if u.id in held]
        if already:
            raise AlreadyExists(
                say(
                    "%(council)s already holds countersignature power over %(units)s",
                    council=council.name,
                    units=_names_said(already),
                ),
                field="unit_ids",
            )
        moment = uow.moment(at, organization.id)
        if Power.COUNTERSIGN not in council.powers:
            uow.record(
                PowersGranted(council_id, (Power.COUNTERSIGN,), (), decision),
                at=moment,
                actor=actor,
                organization_id=organization.id,
            )
        grants = tuple(UnitGrant(uow.repo.next_id(CountersignPower), u.id) for u in units)
        uow.record(
            CountersignatureGranted(council_id, decision, grants),
            at=moment,
            actor=actor,
            organization_id=organization.id,
        )
        granted = store.powers_by_id(uow.repo, [g.power_id for g in grants])
        uow.commit()
    return granted


def revoke_countersignature(
    uow: UnitOfWork,
    *,
    council_id: int,
    unit_ids: Sequence[int] = (),
    decision: str,
    actor: str,
    at: datetime | None = None,
) -> list[CountersignPower]:
    """End a body's countersignature power over the units (all its units if none are
    named), by a decision recorded in words. Orders issued before keep their rule."""
    decision = _text(decision, say("the decision"), "decision", limit=None)
    with uow:
        uow.lock()
        council, organization = _organization_of_council(uow, council_id)
        open_powers = store.open_powers_of(uow.repo, council_id)
        if unit_ids:
            units = _units(uow, organization, unit_ids)
            by_unit = {p.unit_id: p for p in open_powers}
            missing = [u.name for u in units if u.id not in by_unit]
            if missing:
                raise RuleViolation(
                    say(
                        "%(council)s holds no countersignature power over %(units)s",
                        council=council.name,
                        units=_names_said(missing),
                    ),
                    field="unit_ids",
                )
            ending = [by_unit[u.id] for u in units]
        else:
            if not open_powers:
                raise RuleViolation(
                    say("%(council)s holds no countersignature power", council=council.name)
                )
            ending = open_powers
        uow.record(
            CountersignatureRevoked(council_id, decision, tuple(p.id for p in ending)),
            at=uow.moment(at, organization.id),
            actor=actor,
            organization_id=organization.id,
        )
        revoked = store.powers_by_id(uow.repo, [p.id for p in ending])
        uow.commit()
    return revoked


# -- orders ----------------------------------------------------------------------------------


def issue_order(
    uow: UnitOfWork,
    *,
    council_id: int | None = None,
    authority_id: int | None = None,
    unit_ids: Sequence[int],
    title: str,
    text: str = "",
    countermands_id: int | None = None,
    actor: str,
    at: datetime | None = None,
) -> Order:
    """An order from a body of the federation (`council_id`, holding the power
    `issue-orders`) or from an outside authority (`authority_id`) to units. The bodies that
    must countersign it, per unit, are those holding countersignature power over the unit
    now; they are recorded with the order."""
    title = _text(title, say("an order's title"), "title")
    body_text = text.strip()
    if (council_id is None) == (authority_id is None):
        raise InvalidInput(
            say("an order has one issuer: a body of the federation or an outside authority"),
            field="issuer",
        )
    issuer = IssuerRef(council_id, authority_id)
    with uow:
        uow.lock()
        if council_id is not None:
            council = uow.repo.get(Council, council_id)
            organization = uow.repo.get(Organization, council.organization_id)
            if Power.ISSUE_ORDERS not in council.powers:
                raise RuleViolation(
                    say(
                        "%(council)s does not hold the power issue-orders: a body issues orders "
                        "only when a recorded decision has given it that power",
                        council=council.name,
                    ),
                    field="council_id",
                )
            issuer_name = council.name
        else:
            assert authority_id is not None
            authority = uow.repo.get(OutsideAuthority, authority_id)
            organization = uow.repo.get(Organization, authority.organization_id)
            issuer_name = authority.name
        units = _units(uow, organization, unit_ids)
        if countermands_id is not None:
            _check_countermand(uow, countermands_id, organization, issuer, issuer_name, units)
        moment = uow.moment(at, organization.id)
        councils = {c.id: c for c in uow.repo.councils(organization.id)}
        powers = {
            cid: tuple(PowerHeld(p, moment, "") for p in c.powers) for cid, c in councils.items()
        }
        rule = countersigners_at(
            store.powers_over(uow.repo, [u.id for u in units]),
            [u.id for u in units],
            moment,
            powers,
        )
        addressees = tuple(
            Addressee(uow.repo.next_id(OrderAddressee), u.id, rule[u.id]) for u in units
        )
        order_id = uow.repo.next_id(Order)
        uow.record(
            OrderIssued(
                order_id,
                organization.id,
                council_id,
                authority_id,
                title,
                body_text,
                countermands_id,
                addressees,
            ),
            at=moment,
            actor=actor,
            organization_id=organization.id,
        )
        order = uow.repo.get(Order, order_id)
        uow.commit()
    return order


def _check_countermand(
    uow: UnitOfWork,
    countermands_id: int,
    organization: Organization,
    issuer: IssuerRef,
    issuer_name: str,
    units: Sequence[Unit],
) -> None:
    target = uow.repo.get(Order, countermands_id)
    if target.organization_id != organization.id:
        raise RuleViolation(
            say("order %(id)s was given in another organization", id=str(target.id)),
            field="countermands_id",
        )
    title = say("order %(id)s (%(title)s)", id=str(target.id), title=target.title)
    if target.issuer == issuer:
        raise RuleViolation(
            say(
                "%(order)s is %(issuer)s's own: an issuer takes back its own order by "
                "withdrawing it, not by countermanding it",
                order=title,
                issuer=issuer_name,
            ),
            field="countermands_id",
        )
    if target.withdrawn_at is not None:
        raise RuleViolation(
            say(
                "%(order)s was withdrawn on %(day)s: there is nothing to countermand",
                order=title,
                day=target.withdrawn_at,
            ),
            field="countermands_id",
        )
    addressed = {a.unit_id for a in store.addressees_of(uow.repo, [target.id])}
    if not addressed & {u.id for u in units}:
        raise RuleViolation(
            say(
                "%(order)s addresses none of these units: a countermand goes to at least one "
                "unit of the order it countermands",
                order=title,
            ),
            field="countermands_id",
        )


def countersign_order(
    uow: UnitOfWork,
    *,
    order_id: int,
    council_id: int,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Countersignature:
    """A body that must countersign the order countersigns it, for every unit where its
    countersignature is required."""
    return _decide(uow, order_id, council_id, Decision.COUNTERSIGNED, None, actor, at, acting)


def refuse_order(
    uow: UnitOfWork,
    *,
    order_id: int,
    council_id: int,
    reason: str,
    actor: str,
    at: datetime | None = None,
    acting: Actor | None = None,
) -> Countersignature:
    """A body that must countersign the order refuses it, with a reason, for every unit
    where its countersignature is required."""
    if not reason.strip():
        raise InvalidInput(say("the reason for refusing cannot be empty"), field="reason")
    reason = _text(reason, say("the reason for refusing"), "reason", limit=None)
    return _decide(uow, order_id, council_id, Decision.REFUSED, reason, actor, at, acting)


def _decide(
    uow: UnitOfWork,
    order_id: int,
    council_id: int,
    decision: Decision,
    reason: str | None,
    actor: str,
    at: datetime | None,
    acting: Actor | None,
) -> Countersignature:
    with uow:
        uow.lock()
        order = uow.repo.get(Order, order_id)
        council = uow.repo.get(Council, council_id)
        rights.guard(
            uow,
            acting,
            Action.COUNTERSIGN_ORDER if decision is Decision.COUNTERSIGNED else Action.REFUSE_ORDER,
            lambda: rights.order_target(uow, order, council_id),
            at,
        )
        covered = check_decision(uow, order, council)
        decision_id = uow.repo.next_id(Countersignature)
        event = (
            OrderCountersigned(decision_id, order.id, council.id, covered)
            if decision is Decision.COUNTERSIGNED
            else OrderRefused(decision_id, order.id, council.id, covered, reason or "")
        )
        uow.record(
            event,
            at=uow.moment(at, order.organization_id),
            actor=actor,
            organization_id=order.organization_id,
        )
        found = uow.repo.get(Countersignature, decision_id)
        uow.commit()
    return found


def check_decision(uow: UnitOfWork, order: Order, council: Council) -> tuple[int, ...]:
    """The units a body's decision on the order would cover; refused with the reason when
    the body may not decide on it."""
    title = say("order %(id)s (%(title)s)", id=str(order.id), title=order.title)
    if council.organization_id != order.organization_id:
        raise RuleViolation(
            say(
                "%(council)s is a body of another organization than %(order)s",
                council=council.name,
                order=title,
            )
        )
    if order.withdrawn_at is not None:
        raise RuleViolation(
            say(
                "%(order)s was withdrawn on %(day)s: there is nothing to decide",
                order=title,
                day=order.withdrawn_at,
            )
        )
    if order.issuer_council_id == council.id:
        raise RuleViolation(
            say(
                "%(order)s is %(council)s's own: it counts as countersigned by it",
                order=title,
                council=council.name,
            )
        )
    addressees = store.addressees_of(uow.repo, [order.id])
    covered = tuple(a.unit_id for a in addressees if council.id in a.countersigners)
    if not covered:
        required = sorted({c for a in addressees for c in a.countersigners})
        names = [uow.repo.get(Council, c).name for c in required]
        raise RuleViolation(
            say(
                "%(council)s held no countersignature power over the units of %(order)s when it "
                "was issued (%(day)s); only %(names)s must countersign it",
                council=council.name,
                order=title,
                day=order.issued_at,
                names=_names_said(names),
            )
            if names
            else say(
                "%(council)s held no countersignature power over the units of %(order)s when it "
                "was issued (%(day)s); no body must countersign it",
                council=council.name,
                order=title,
                day=order.issued_at,
            )
        )
    previous = store.decision_of(uow.repo, order.id, council.id)
    if previous is not None:
        raise AlreadyExists(
            say(
                "%(council)s already countersigned %(order)s on %(day)s: one decision per body "
                "per order",
                council=council.name,
                order=title,
                day=previous.decided_at,
            )
            if previous.decision is Decision.COUNTERSIGNED
            else say(
                "%(council)s already refused %(order)s on %(day)s: one decision per body per order",
                council=council.name,
                order=title,
                day=previous.decided_at,
            )
        )
    return covered


def withdraw_order(
    uow: UnitOfWork, *, order_id: int, reason: str = "", actor: str, at: datetime | None = None
) -> Order:
    """The issuer withdraws its order: from now it is withdrawn for every unit."""
    reason = " ".join(reason.split())
    with uow:
        uow.lock()
        order = uow.repo.get(Order, order_id)
        if order.withdrawn_at is not None:
            raise RuleViolation(
                say(
                    "%(order)s was already withdrawn on %(day)s",
                    order=say("order %(id)s (%(title)s)", id=str(order.id), title=order.title),
                    day=order.withdrawn_at,
                )
            )
        uow.record(
            OrderWithdrawn(order.id, reason),
            at=uow.moment(at, order.organization_id),
            actor=actor,
            organization_id=order.organization_id,
        )
        order = uow.repo.get(Order, order_id)
        uow.commit()
    return order


# -- faction sanctions -----------------------------------------------------------------------


def _sanctioning_body(uow: UnitOfWork, council_id: int, faction: Faction, verb: str) -> Council:
    council = uow.repo.get(Council, council_id)
    if council.organization_id != faction.organization_id:
        raise RuleViolation(
            say(
                "%(council)s is a body of another organization than %(faction)s",
                council=council.name,
                faction=faction.name,
            )
        )
    if Power.SANCTION_FACTIONS not in council.powers:
        raise RuleViolation(_cannot_sanction(council, verb, faction), field="council_id")
    return council


def _cannot_sanction(council: Council, verb: str, faction: Faction) -> Text:
    """A sentence per verb, each object in the case its language's verb wants."""
    if verb == "suspend":
        return say(
            "%(council)s does not hold the power sanction-factions: it cannot suspend %(faction)s",
            council=council.name,
            faction=faction.name,
        )
    if verb == "ban":
        return say(
            "%(council)s does not hold the power sanction-factions: it cannot ban %(faction)s",
            council=council.name,
            faction=faction.name,
        )
    return say(
        "%(council)s does not hold the power sanction-factions: it cannot lift a sanction on "
        "%(faction)s",
        council=council.name,
        faction=faction.name,
    )


def sanction_faction(
    uow: UnitOfWork,
    *,
    faction_id: int,
    council_id: int,
    kind: SanctionKind,
    effects: Sequence[str],
    decision: str = "",
    actor: str,
    at: datetime | None = None,
) -> FactionSanction:
    """A body holding the power `sanction-factions` suspends or bans a faction from now (or
    `at`), with the effects it decides. A sanction of the other kind in force is replaced."""
    kind = SanctionKind(kind)
    cleaned = tuple(" ".join(e.split()) for e in effects)
    if not cleaned or not all(cleaned):
        raise InvalidInput(
            say("state the effects the body decided, each in words"), field="effects"
        )
    decision = " ".join(decision.split())
    verb = "suspend" if kind is SanctionKind.SUSPENSION else "ban"
    with uow:
        uow.lock()
        faction = uow.repo.get(Faction, faction_id)
        council = _sanctioning_body(uow, council_id, faction, verb)
        current = store.open_sanction(uow.repo, faction_id)
        if current is not None and current.kind is kind:
            raise AlreadyExists(
                say(
                    "%(faction)s is already under a suspension since %(day)s",
                    faction=faction.name,
                    day=current.valid_from,
                )
                if kind is SanctionKind.SUSPENSION
                else say(
                    "%(faction)s is already under a ban since %(day)s",
                    faction=faction.name,
                    day=current.valid_from,
                )
            )
        sanction_id = uow.repo.next_id(FactionSanction)
        uow.record(
            FactionSanctioned(
                sanction_id,
                faction.id,
                council.id,
                kind,
                cleaned,
                decision,
                current.id if current else None,
            ),
            at=uow.moment(at, faction.organization_id),
            actor=actor,
            organization_id=faction.organization_id,
        )
        sanction = uow.repo.get(FactionSanction, sanction_id)
        uow.commit()
    return sanction


def lift_sanction(
    uow: UnitOfWork,
    *,
    faction_id: int,
    council_id: int,
    decision: str = "",
    actor: str,
    at: datetime | None = None,
) -> FactionSanction:
    """A body holding the power `sanction-factions` lifts the sanction in force."""
    decision = " ".join(decision.split())
    with uow:
        uow.lock()
        faction = uow.repo.get(Faction, faction_id)
        council = _sanctioning_body(uow, council_id, faction, "lift a sanction on")
        current = store.open_sanction(uow.repo, faction_id)
        if current is None:
            raise RuleViolation(
                say("%(faction)s is under no suspension or ban to lift", faction=faction.name)
            )
        uow.record(
            FactionSanctionLifted(current.id, council.id, decision or "lifted"),
            at=uow.moment(at, faction.organization_id),
            actor=actor,
            organization_id=faction.organization_id,
        )
        lifted = uow.repo.get(FactionSanction, current.id)
        uow.commit()
    return lifted


@dataclass(frozen=True)
class FactionStatus:
    faction: Faction
    at: datetime
    state: FactionState
    sanction: FactionSanction | None  # the sanction in force, if any

    @property
    def banned(self) -> bool:
        return self.state is FactionState.BANNED

    @property
    def suspended(self) -> bool:
        return self.state is FactionState.SUSPENDED


def faction_status(uow: UnitOfWork, faction_id: int, at: datetime | None = None) -> FactionStatus:
    """Whether a faction is active, suspended or banned at `at` (default now), with the
    sanction in force. Works inside a unit of work the caller has open (another area's
    service checking a motion) or opens its own."""
    with uow:
        faction = uow.repo.get(Faction, faction_id)
        moment = uow.now() if at is None else at
        sanction = sanction_in_force(store.sanctions_of(uow.repo, faction_id), moment)
        return FactionStatus(faction, moment, faction_state(sanction), sanction)


# -- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    ref: IssuerRef
    name: str
    kind: str  # a council kind (council, committee, office, congress) or an authority kind
    outside: bool  # an outside authority, not a body of the federation

    @property
    def key(self) -> str:
        return self.ref.key

    @property
    def href(self) -> str | None:
        return f"/councils/{self.ref.council_id}" if self.ref.council_id else None


@dataclass(frozen=True)
class OrderLine:
    order: Order
    issuer: Issuer


@dataclass(frozen=True)
class Body:
    """A body of the federation and the powers it holds as of a moment."""

    council: Council
    powers: tuple[PowerHeld, ...]


@dataclass(frozen=True)
class Cell:
    order_id: int
    unit_id: int
    status: Status
    detail: UnitStatus | None  # None when the order does not address the unit
    conflict: ConflictKind | None  # the strongest conflict of this order at this unit

    @property
    def text(self) -> str:
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    countersigners: tuple[Council, ...]  # the rule in force at the moment
    cells: tuple[Cell, ...]  # one per order, in the order of the columns


@dataclass(frozen=True)
class ConflictLine:
    conflict: Conflict
    unit: Unit
    earlier: OrderLine
    later: OrderLine


@dataclass(frozen=True)
class Context:
    """What every view of an organization's orders needs, read once."""

    organization: Organization
    at: datetime
    councils: dict[int, Council]
    authorities: dict[int, OutsideAuthority]
    units: dict[int, Unit]
    orders: dict[int, Order]  # every order, issued by `at` or not
    addressees: list[OrderAddressee]
    decisions: list[Countersignature]
    grants: list[CountersignPower]
    powers: dict[int, tuple[PowerHeld, ...]]  # each body's powers as of `at`
    found: dict[tuple[int, int], UnitStatus]  # (order, unit) -> status as of `at`
    conflicts: list[Conflict]

    def issuer(self, order: Order) -> Issuer:
        if order.issuer_council_id is not None:
            council = self.councils[order.issuer_council_id]
            return Issuer(order.issuer, council.name, council.kind.value, False)
        assert order.issuer_authority_id is not None
        authority = self.authorities[order.issuer_authority_id]
        return Issuer(order.issuer, authority.name, authority.kind.value, True)

    def line(self, order_id: int) -> OrderLine:
        order = self.orders[order_id]
        return OrderLine(order, self.issuer(order))

    def issued(self) -> list[Order]:
        return sorted(
            (o for o in self.orders.values() if o.issued_at <= self.at),
            key=lambda o: (o.issued_at, o.id),
        )

    def rule(self, unit_ids: Sequence[int]) -> dict[int, tuple[Council, ...]]:
        """Per unit, the bodies holding countersignature power over it at `at`."""
        held = countersigners_at(self.grants, unit_ids, self.at, self.powers)
        return {uid: tuple(self.councils[c] for c in cids) for uid, cids in held.items()}

    def conflict_line(self, conflict: Conflict) -> ConflictLine:
        return ConflictLine(
            conflict,
            self.units[conflict.unit_id],
            self.line(conflict.earlier_id),
            self.line(conflict.later_id),
        )

    def bodies(self) -> list[Body]:
        return [Body(c, self.powers.get(c.id, ())) for c in self.councils.values()]


def _context(uow: UnitOfWork, organization_id: int, at: datetime | None) -> Context:
    """Read an organization's orders and everything they refer to (the unit of work open)."""
    repo = uow.repo
    organization = repo.get(Organization, organization_id)
    moment = uow.now() if at is None else at
    orders = {o.id: o for o in store.orders_of(repo, organization_id)}
    addressees = store.addressees_of(repo, list(orders))
    decisions = store.decisions_on(repo, list(orders))
    found = statuses(orders.values(), addressees, decisions, moment)
    return Context(
        organization=organization,
        at=moment,
        councils={c.id: c for c in repo.councils(organization_id)},
        authorities={a.id: a for a in store.authorities_of(repo, organization_id)},
        units={u.id: u for u in store.units_of(repo, organization_id)},
        orders=orders,
        addressees=addressees,
        decisions=decisions,
        grants=store.powers_of_organization(repo, organization_id),
        powers=powers_at(store.power_changes(repo, organization_id), moment),
        found=found,
        conflicts=conflicts(orders.values(), found),
    )


def _strongest(found: Sequence[Conflict]) -> dict[tuple[int, int], ConflictKind]:
    """(order, unit) -> DIRECT if any direct conflict involves it there, else CONCURRENT."""
    marks: dict[tuple[int, int], ConflictKind] = {}
    for c in found:
        for order_id in (c.earlier_id, c.later_id):
            key = (order_id, c.unit_id)
            if marks.get(key) is not ConflictKind.DIRECT:
                marks[key] = c.kind
    return marks


@dataclass(frozen=True)
class FactionLine:
    faction: Faction
    status: FactionStatus


@dataclass(frozen=True)
class OrdersMatrix:
    """An organization's orders as of a moment: units × orders, each cell a status."""

    organization: Organization
    at: datetime
    orders: tuple[OrderLine, ...]  # issued by `at`, in the order of issue
    rows: tuple[UnitRow, ...]
    conflicts: tuple[ConflictLine, ...]
    bodies: tuple[Body, ...]
    authorities: tuple[OutsideAuthority, ...]
    factions: tuple[FactionLine, ...]

    def status(self, order_id: int, unit_id: int) -> Status:
        for row in self.rows:
            if row.unit.id == unit_id:
                for cell in row.cells:
                    if cell.order_id == order_id:
                        return cell.status
        raise NotFound(f"no cell for order {order_id} and unit {unit_id}")


def orders_matrix(
    uow: UnitOfWork, organization_id: int, at: datetime | None = None
) -> OrdersMatrix:
    """Every unit × every order issued by `at`: the status of each order for each unit, the
    countersignature rule in force per unit, the conflicts, the bodies' powers."""
    with uow:
        ctx = _context(uow, organization_id, at)
        issued = ctx.issued()
        marks = _strongest(ctx.conflicts)
        units = [u for u in ctx.units.values() if u.created_at <= ctx.at]
        rule = ctx.rule([u.id for u in units])
        rows = []
        for unit in units:
            cells = []
            for order in issued:
                detail = ctx.found.get((order.id, unit.id))
                status = detail.status if detail else Status.NOT_ADDRESSED
                cells.append(
                    Cell(order.id, unit.id, status, detail, marks.get((order.id, unit.id)))
                )
            rows.append(UnitRow(unit, rule[unit.id], tuple(cells)))
        sanctions: dict[int, list[FactionSanction]] = {}
        for s in store.sanctions_of_organization(uow.repo, organization_id):
            sanctions.setdefault(s.faction_id, []).append(s)
        factions = []
        for faction in uow.repo.factions(organization_id):
            current = sanction_in_force(sanctions.get(faction.id, ()), ctx.at)
            factions.append(
                FactionLine(
                    faction, FactionStatus(faction, ctx.at, faction_state(current), current)
                )
            )
        return OrdersMatrix(
            organization=ctx.organization,
            at=ctx.at,
            orders=tuple(OrderLine(o, ctx.issuer(o)) for o in issued),
            rows=tuple(rows),
            conflicts=tuple(ctx.conflict_line(c) for c in ctx.conflicts),
            bodies=tuple(b for b in ctx.bodies() if b.council.created_at <= ctx.at),
            authorities=tuple(a for a in ctx.authorities.values() if a.created_at <= ctx.at),
            factions=tuple(factions),
        )


@dataclass(frozen=True)
class TrailEntry:
    at: datetime
    text: str
    later: bool  # after the moment shown


def order_statuses(
    uow: UnitOfWork, order_id: int, at: datetime | None = None
) -> dict[int, UnitStatus]:
    """The order's status for each unit it addresses (unit id -> status) as of `at`
    (default now); empty if it was not issued by then."""
    with uow:
        order = uow.repo.get(Order, order_id)
        moment = uow.now() if at is None else at
        found = statuses(
            [order],
            store.addressees_of(uow.repo, [order.id]),
            store.decisions_on(uow.repo, [order.id]),
            moment,
        )
        return {unit_id: status for (_, unit_id), status in found.items()}


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    status: UnitStatus


@dataclass(frozen=True)
class OrderView:
    order: Order
    organization: Organization
    issuer: Issuer
    at: datetime
    issued: bool  # issued by `at`
    countermands: OrderLine | None
    countermanded_by: tuple[OrderLine, ...]
    units: tuple[UnitLine, ...]  # the addressed units, with the status as of `at`
    trail: tuple[TrailEntry, ...]
    conflicts: tuple[ConflictLine, ...]  # involving this order, as of `at`
    councils: dict[int, Council]

    def names(self, council_ids: Sequence[int]) -> str:
        return _names([self.councils[c].name for c in council_ids])


def order_view(uow: UnitOfWork, order_id: int, at: datetime | None = None) -> OrderView:
    """An order as of `at`: its status for each unit it addresses, the countersignature
    trail, and the orders it conflicts with."""
    with uow:
        order = uow.repo.get(Order, order_id)
        ctx = _context(uow, order.organization_id, at)
        mine = [a for a in ctx.addressees if a.order_id == order.id]
        issued = order.issued_at <= ctx.at
        units = (
            tuple(UnitLine(ctx.units[a.unit_id], ctx.found[(order.id, a.unit_id)]) for a in mine)
            if issued
            else ()
        )
        names = {c.id: c.name for c in ctx.councils.values()}
        return OrderView(
            order=order,
            organization=ctx.organization,
            issuer=ctx.issuer(order),
            at=ctx.at,
            issued=issued,
            countermands=ctx.line(order.countermands_id) if order.countermands_id else None,
            countermanded_by=tuple(
                ctx.line(o.id) for o in ctx.issued() if o.countermands_id == order.id
            ),
            units=units,
            trail=tuple(_trail(ctx, order, mine, names)),
            conflicts=tuple(
                ctx.conflict_line(c)
                for c in ctx.conflicts
                if order.id in (c.earlier_id, c.later_id)
            ),
            councils=ctx.councils,
        )


def _trail(
    ctx: Context, order: Order, mine: Sequence[OrderAddressee], names: dict[int, str]
) -> list[TrailEntry]:
    issuer = ctx.issuer(order)
    unit_names = [ctx.units[a.unit_id].name for a in mine]
    entries = [(order.issued_at, 0, f"Issued by {issuer.name} to {_names(unit_names)}")]
    required: dict[int, list[str]] = {}
    for a in mine:
        for body in a.countersigners:
            required.setdefault(body, []).append(ctx.units[a.unit_id].name)
    for body, places in required.items():
        own = " (the issuer: counts as countersigned)" if body == order.issuer_council_id else ""
        entries.append(
            (
                order.issued_at,
                1,
                f"Countersignature required from {names[body]} for {_names(places)}{own}",
            )
        )
    if not required:
        entries.append((order.issued_at, 1, "No countersignature required for any unit"))
    for d in sorted(
        (d for d in ctx.decisions if d.order_id == order.id), key=lambda d: (d.decided_at, d.id)
    ):
        where = _names([ctx.units[u].name for u in d.unit_ids])
        if d.decision is Decision.COUNTERSIGNED:
            entries.append((d.decided_at, 2, f"{names[d.council_id]} countersigned for {where}"))
        else:
            entries.append(
                (d.decided_at, 2, f"{names[d.council_id]} refused for {where}: {d.reason}")
            )
    for other in ctx.orders.values():
        if other.countermands_id == order.id:
            by = ctx.issuer(other).name
            entries.append(
                (other.issued_at, 3, f"Countermanded by {by}: order {other.id} ({other.title})")
            )
    if order.withdrawn_at is not None:
        reason = f": {order.withdrawal}" if order.withdrawal else ""
        entries.append((order.withdrawn_at, 4, f"Withdrawn by {issuer.name}{reason}"))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [TrailEntry(when, text, when > ctx.at) for when, _, text in entries]


@dataclass(frozen=True)
class GrantLine:
    grant: CountersignPower
    council: Council


@dataclass(frozen=True)
class UnitView:
    unit: Unit
    organization: Organization
    constituency: Constituency | None
    at: datetime
    countersigners: tuple[Council, ...]  # the rule in force at `at`
    grants: tuple[GrantLine, ...]  # every grant over the unit, past and present
    orders: tuple[tuple[OrderLine, UnitStatus], ...]  # issued by `at`, to this unit
    conflicts: tuple[ConflictLine, ...]  # at this unit, as of `at`


def unit_view(uow: UnitOfWork, unit_id: int, at: datetime | None = None) -> UnitView:
    """A unit as of `at`: the orders addressed to it with their status, the bodies holding
    countersignature power over it then, and every grant over it through time."""
    with uow:
        unit = uow.repo.get(Unit, unit_id)
        ctx = _context(uow, unit.organization_id, at)
        lines = [
            (ctx.line(order.id), ctx.found[(order.id, unit.id)])
            for order in ctx.issued()
            if (order.id, unit.id) in ctx.found
        ]
        return UnitView(
            unit=unit,
            organization=ctx.organization,
            constituency=(
                uow.repo.get(Constituency, unit.constituency_id) if unit.constituency_id else None
            ),
            at=ctx.at,
            countersigners=ctx.rule([unit.id])[unit.id],
            grants=tuple(
                GrantLine(g, ctx.councils[g.council_id])
                for g in sorted(ctx.grants, key=lambda g: (g.valid_from, g.id))
                if g.unit_id == unit.id
            ),
            orders=tuple(lines),
            conflicts=tuple(ctx.conflict_line(c) for c in ctx.conflicts if c.unit_id == unit.id),
        )


@dataclass(frozen=True)
class CouncilSeats:
    council: Council
    seats: int  # the council's seats
    filled: int
    held: int  # seats the faction holds


@dataclass(frozen=True)
class FactionView:
    faction: Faction
    organization: Organization
    at: datetime
    status: FactionStatus
    sanctions: tuple[FactionSanction, ...]  # every sanction, past and present
    seats: tuple[CouncilSeats, ...]  # in every council of the organization, as of `at`
    sanctioning: tuple[Council, ...]  # bodies holding sanction-factions as of `at`
    councils: dict[int, Council]


def faction_view(uow: UnitOfWork, faction_id: int, at: datetime | None = None) -> FactionView:
    """A faction as of `at`: suspended, banned or active; every sanction; its seats in every
    council of its organization at that moment."""
    with uow:
        repo = uow.repo
        faction = repo.get(Faction, faction_id)
        moment = uow.now() if at is None else at
        sanctions = store.sanctions_of(repo, faction_id)
        current = sanction_in_force(sanctions, moment)
        every = repo.councils(faction.organization_id)
        councils = [c for c in every if c.created_at <= moment]
        ids = [c.id for c in councils]
        seats = repo.seats_at(ids, moment)
        filled = repo.filled_at(ids, moment)
        by_faction = repo.faction_seats_at(ids, moment)
        powers = powers_at(store.power_changes(repo, faction.organization_id), moment)
        return FactionView(
            faction=faction,
            organization=repo.get(Organization, faction.organization_id),
            at=moment,
            status=FactionStatus(faction, moment, faction_state(current), current),
            sanctions=tuple(sanctions),
            seats=tuple(
                CouncilSeats(c, seats[c.id], filled[c.id], by_faction[c.id].get(faction.id, 0))
                for c in councils
            ),
            sanctioning=tuple(
                c
                for c in councils
                if any(p.power is Power.SANCTION_FACTIONS for p in powers.get(c.id, ()))
            ),
            councils={c.id: c for c in every},
        )


@dataclass(frozen=True)
class PowersView:
    council: Council
    at: datetime
    powers: tuple[PowerHeld, ...]  # held as of `at`
    countersigns_over: tuple[Unit, ...]  # units it holds countersignature power over then


def powers_view(uow: UnitOfWork, council_id: int, at: datetime | None = None) -> PowersView:
    """A body's powers as of `at`, with the decisions that granted them, and the units it
    holds countersignature power over then."""
    with uow:
        council = uow.repo.get(Council, council_id)
        ctx = _context(uow, council.organization_id, at)
        rule = countersigners_at(ctx.grants, list(ctx.units), ctx.at, ctx.powers)
        return PowersView(
            council,
            ctx.at,
            ctx.powers.get(council.id, ()),
            tuple(ctx.units[u] for u, cids in rule.items() if council.id in cids),
        )


# -- documents (the JSON of the API and of `--format json`) ---------------------------------


def _iso(moment: datetime | None) -> str | None:
    return iso(moment) if moment else None


def issuer_document(issuer: Issuer) -> dict[str, Any]:
    return {
        "name": issuer.name,
        "kind": issuer.kind,
        "outside": issuer.outside,
        "council_id": issuer.ref.council_id,
        "authority_id": issuer.ref.authority_id,
    }


def _order_line(line: OrderLine) -> dict[str, Any]:
    order = line.order
    return {
        "id": order.id,
        "title": order.title,
        "issuer": issuer_document(line.issuer),
        "issued_at": iso(order.issued_at),
        "countermands": order.countermands_id,
        "withdrawn_at": _iso(order.withdrawn_at),
    }


def _conflict(line: ConflictLine) -> dict[str, Any]:
    return {
        "unit": line.unit.name,
        "unit_id": line.unit.id,
        "kind": line.conflict.kind.value,
        "orders": [line.earlier.order.id, line.later.order.id],
        "issuers": [line.earlier.issuer.name, line.later.issuer.name],
    }


def _powers(powers: Sequence[PowerHeld]) -> list[dict[str, Any]]:
    return [{"power": p.power.value, "since": iso(p.since), "decision": p.decision} for p in powers]


def sanction_document(s: FactionSanction, councils: dict[int, Council]) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind.value,
        "by": councils[s.council_id].name,
        "effects": list(s.effects),
        "decision": s.decision,
        "from": iso(s.valid_from),
        "to": _iso(s.valid_to),
        "ended_by": councils[s.ended_by_council_id].name if s.ended_by_council_id else None,
        "ending": s.ending,
    }


def status_document(status: FactionStatus) -> dict[str, Any]:
    sanction = status.sanction
    return {
        "faction": status.faction.name,
        "faction_id": status.faction.id,
        "at": iso(status.at),
        "state": status.state.value,
        "sanction": None
        if sanction is None
        else {
            "id": sanction.id,
            "kind": sanction.kind.value,
            "council_id": sanction.council_id,
            "effects": list(sanction.effects),
            "since": iso(sanction.valid_from),
        },
    }


def matrix_document(matrix: OrdersMatrix) -> dict[str, Any]:
    return {
        "organization": matrix.organization.name,
        "at": iso(matrix.at),
        "orders": [_order_line(line) for line in matrix.orders],
        "units": [
            {
                "id": row.unit.id,
                "name": row.unit.name,
                "kind": row.unit.kind.value,
                "countersigners": [c.name for c in row.countersigners],
                "statuses": {str(cell.order_id): cell.status.value for cell in row.cells},
            }
            for row in matrix.rows
        ],
        "conflicts": [_conflict(c) for c in matrix.conflicts],
        "bodies": [
            {"id": b.council.id, "name": b.council.name, "powers": _powers(b.powers)}
            for b in matrix.bodies
        ],
        "authorities": [
            {"id": a.id, "name": a.name, "kind": a.kind.value} for a in matrix.authorities
        ],
        "factions": [status_document(f.status) for f in matrix.factions],
    }


def order_document(view: OrderView) -> dict[str, Any]:
    return {
        **_order_line(OrderLine(view.order, view.issuer)),
        "text": view.order.text,
        "withdrawal": view.order.withdrawal,
        "organization": view.organization.name,
        "at": iso(view.at),
        "issued": view.issued,
        "countermanded_by": [line.order.id for line in view.countermanded_by],
        "units": [
            {
                "unit": line.unit.name,
                "unit_id": line.unit.id,
                "status": line.status.status.value,
                "countersigners": [view.councils[c].name for c in line.status.countersigners],
                "countersigned": [view.councils[c].name for c in line.status.countersigned],
                "refused": [view.councils[c].name for c in line.status.refused],
                "awaiting": [view.councils[c].name for c in line.status.awaiting],
            }
            for line in view.units
        ],
        "trail": [{"at": iso(e.at), "text": e.text, "later": e.later} for e in view.trail],
        "conflicts": [_conflict(c) for c in view.conflicts],
    }


def unit_document(view: UnitView) -> dict[str, Any]:
    return {
        "id": view.unit.id,
        "name": view.unit.name,
        "kind": view.unit.kind.value,
        "organization": view.organization.name,
        "constituency": view.constituency.name if view.constituency else None,
        "at": iso(view.at),
        "countersigners": [c.name for c in view.countersigners],
        "grants": [
            {
                "body": g.council.name,
                "decision": g.grant.decision,
                "from": iso(g.grant.valid_from),
                "to": _iso(g.grant.valid_to),
                "revocation": g.grant.revocation,
            }
            for g in view.grants
        ],
        "orders": [
            {**_order_line(line), "status": status.status.value} for line, status in view.orders
        ],
        "conflicts": [_conflict(c) for c in view.conflicts],
    }


def faction_document(view: FactionView) -> dict[str, Any]:
    return {
        **status_document(view.status),
        "organization": view.organization.name,
        "sanctions": [sanction_document(s, view.councils) for s in view.sanctions],
        "seats": [
            {
                "council": s.council.name,
                "council_id": s.council.id,
                "seats": s.seats,
                "filled": s.filled,
                "held": s.held,
            }
            for s in view.seats
        ],
        "sanctioning_bodies": [c.name for c in view.sanctioning],
    }


def powers_document(view: PowersView) -> dict[str, Any]:
    return {
        "council": view.council.name,
        "council_id": view.council.id,
        "at": iso(view.at),
        "powers": _powers(view.powers),
        "countersigns_over": [u.name for u in view.countersigns_over],
    }
