"""Orders to units, countersignature, dual power, and faction sanctions.

In October 1917 the soldiers' section of the Petrograd Soviet, and the garrison conference
of 18 October, voted that "no orders were to be obeyed that were not countersigned by" the
Military Revolutionary Committee, while the Provisional Government and the Soviet both gave
orders to the same garrison. On 13 July 1917 the Executive Committee banned the Bolshevik
party. This module is that machinery, in general form.

**Units** (a regiment, a depot, a workplace) belong to an organization and may correspond
to one of its constituencies. **Authorities** issue orders to units: any body of the
federation (a `Council`: a council, committee or office) or an **outside authority** (a
government, a military command, an employer), recorded by the organization that faces it.

The rules, where the record or the task left them open:

* **Countersignature power** is held by a body of the federation over a unit, from the
  moment of a recorded decision (who decided and how, in words) until it is revoked by
  another. Outside authorities never hold it. Countersignature also needs the body to hold
  the power `countersign`; the decision that first grants a body countersignature power
  over units gives it that power too (recorded as a powers-granted event with the same
  decision). A body holds countersignature power over a unit at a moment when a grant over
  that unit is in force then (granted at or before it, not yet revoked) and the body holds
  the power `countersign` then.
* **Who must countersign** an order is fixed when it is issued, per unit: the bodies that
  hold countersignature power over that unit at the moment of issue. The event that issues
  the order records them. A power granted after an order was issued does not reach back to
  it; a power revoked after it was issued does not release it.
* **One decision per body per order**: a body that must countersign the order for some of
  its units countersigns it or refuses it (with a reason) once; the decision covers every
  unit of the order for which that body must countersign. No other body may decide on it.
  A body cannot decide on an order once it is withdrawn.
* **An order issued by a body counts as countersigned by that body** (a body does not
  countersign itself).
* **Validity per unit**, as of a moment: *withdrawn* if the issuer withdrew it by then;
  else *refused* if any body that must countersign it for that unit had refused by then;
  else *valid* if every such body had countersigned by then (or none must); else *awaiting
  countersignature*. A unit the order does not address is *not addressed*.
* A body issues orders only if it holds the power `issue-orders` when it issues them.
  Outside authorities issue orders without asking: their orders are facts to be recorded,
  and whether they are valid is the countersignature's business.
* **In force**: an order is in force for a unit at a moment when it has been issued, it is
  addressed to that unit, and it is valid or awaiting countersignature there (not refused
  there, not withdrawn).
* **Conflicts** (dual power): two orders from different issuers in force for the same unit
  at the same moment are in conflict. When one names the other as the order it
  countermands, the conflict is *direct*; otherwise the two are *concurrent* (Smolny does
  not read the orders' texts; it shows every overlap and lets people judge). An order may
  countermand only an order of another issuer, not withdrawn, sharing at least one unit
  with it; an issuer takes back its own order by withdrawing it.
* **Faction sanctions**: a body holding the power `sanction-factions` suspends or bans a
  faction of its organization from a moment, with the effects it decides (a list, in
  words); a body without the power is refused. A faction is under at most one sanction at a
  time: a new sanction of another kind replaces the one in force (a suspension becomes a
  ban), the same kind again is refused. Any body holding the power may lift the sanction in
  force, from a moment. A faction is *active*, *suspended* or *banned* as of a moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from smolny.domain.events import Event, Recorded
from smolny.domain.federation import Power
from smolny.domain.records import Record, Records

# -- kinds ----------------------------------------------------------------------------------


class UnitKind(StrEnum):
    REGIMENT = "regiment"
    COMPANY = "company"
    SHIP = "ship"
    DEPOT = "depot"
    WORKPLACE = "workplace"
    OFFICE = "office"
    OTHER = "other"


class AuthorityKind(StrEnum):
    """What an outside authority is."""

    GOVERNMENT = "government"  # a government or a ministry
    MILITARY_COMMAND = "military-command"  # a general staff, a district command
    EMPLOYER = "employer"  # a management, an owner
    OTHER = "other"


class Decision(StrEnum):
    COUNTERSIGNED = "countersigned"
    REFUSED = "refused"


class Status(StrEnum):
    """An order's status for one unit, as of a moment."""

    VALID = "valid"
    AWAITING = "awaiting"  # awaiting countersignature
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NOT_ADDRESSED = "not-addressed"


STATUS_TEXT = {
    Status.VALID: "valid",
    Status.AWAITING: "awaiting countersignature",
    Status.REFUSED: "refused",
    Status.WITHDRAWN: "withdrawn",
    Status.NOT_ADDRESSED: "not addressed",
}
IN_FORCE = frozenset({Status.VALID, Status.AWAITING})


class ConflictKind(StrEnum):
    DIRECT = "direct"  # one order countermands the other
    CONCURRENT = "concurrent"  # both in force for the unit, from different issuers


class SanctionKind(StrEnum):
    SUSPENSION = "suspension"
    BAN = "ban"


class FactionState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    BANNED = "banned"


STATE_OF = {SanctionKind.SUSPENSION: FactionState.SUSPENDED, SanctionKind.BAN: FactionState.BANNED}


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """Who receives orders: a regiment, a ship, a depot, a workplace."""

    id: int
    organization_id: int
    name: str
    kind: UnitKind
    constituency_id: int | None  # the constituency the unit corresponds to, if any
    created_at: datetime


@dataclass(frozen=True)
class OutsideAuthority:
    """An authority outside the federation that gives orders to its units."""

    id: int
    organization_id: int  # the organization that records it
    name: str
    kind: AuthorityKind
    created_at: datetime


@dataclass(frozen=True)
class CountersignPower:
    """A body's countersignature power over one unit, from a decision until revoked."""

    id: int
    council_id: int
    unit_id: int
    decision: str  # who decided and how, in words
    valid_from: datetime
    valid_to: datetime | None = None
    revocation: str | None = None  # the decision that revoked it

    def active_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)


@dataclass(frozen=True)
class Order:
    id: int
    organization_id: int
    issuer_council_id: int | None  # a body of the federation ...
    issuer_authority_id: int | None  # ... or an outside authority
    title: str
    text: str
    issued_at: datetime
    countermands_id: int | None = None  # the order of another issuer it countermands
    withdrawn_at: datetime | None = None
    withdrawal: str | None = None  # the reason the issuer gave, if any

    @property
    def issuer(self) -> IssuerRef:
        return IssuerRef(self.issuer_council_id, self.issuer_authority_id)

    def withdrawn_by(self, moment: datetime) -> bool:
        return self.withdrawn_at is not None and self.withdrawn_at <= moment


@dataclass(frozen=True)
class OrderAddressee:
    """A unit an order is addressed to, with the bodies that must countersign it there."""

    id: int
    order_id: int
    unit_id: int
    countersigners: tuple[int, ...]  # council ids holding the power when it was issued


@dataclass(frozen=True)
class Countersignature:
    """A body's one decision on an order: countersigned or refused, for the units it covers."""

    id: int
    order_id: int
    council_id: int
    decision: Decision
    unit_ids: tuple[int, ...]
    reason: str | None
    decided_at: datetime


@dataclass(frozen=True)
class FactionSanction:
    id: int
    faction_id: int
    council_id: int  # the body that decided it
    kind: SanctionKind
    effects: tuple[str, ...]  # what the sanction does, in words, as decided
    decision: str  # the decision, in words (may be empty)
    valid_from: datetime
    valid_to: datetime | None = None
    ended_by_council_id: int | None = None  # who lifted it (or replaced it)
    ending: str | None = None  # the decision that lifted or replaced it

    def active_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)


@dataclass(frozen=True)
class IssuerRef:
    """Who issued an order: exactly one of a body of the federation or an outside authority."""

    council_id: int | None
    authority_id: int | None

    @property
    def key(self) -> str:
        return f"council:{self.council_id}" if self.council_id else f"authority:{self.authority_id}"


# -- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCreated(Event):
    kind: ClassVar[str] = "orders-unit-created"
    unit_id: int
    organization_id: int
    name: str
    unit_kind: UnitKind
    constituency_id: int | None


@dataclass(frozen=True)
class AuthorityCreated(Event):
    kind: ClassVar[str] = "orders-authority-created"
    authority_id: int
    organization_id: int
    name: str
    authority_kind: AuthorityKind


@dataclass(frozen=True)
class UnitGrant:
    power_id: int
    unit_id: int


@dataclass(frozen=True)
class CountersignatureGranted(Event):
    kind: ClassVar[str] = "orders-countersignature-granted"
    council_id: int
    decision: str
    grants: tuple[UnitGrant, ...]


@dataclass(frozen=True)
class CountersignatureRevoked(Event):
    kind: ClassVar[str] = "orders-countersignature-revoked"
    council_id: int
    decision: str
    power_ids: tuple[int, ...]


@dataclass(frozen=True)
class Addressee:
    addressee_id: int
    unit_id: int
    countersigners: tuple[int, ...]


@dataclass(frozen=True)
class OrderIssued(Event):
    kind: ClassVar[str] = "orders-order-issued"
    order_id: int
    organization_id: int
    issuer_council_id: int | None
    issuer_authority_id: int | None
    title: str
    text: str
    countermands_id: int | None
    addressees: tuple[Addressee, ...]


@dataclass(frozen=True)
class OrderCountersigned(Event):
    kind: ClassVar[str] = "orders-order-countersigned"
    countersignature_id: int
    order_id: int
    council_id: int
    unit_ids: tuple[int, ...]


@dataclass(frozen=True)
class OrderRefused(Event):
    kind: ClassVar[str] = "orders-order-refused"
    countersignature_id: int
    order_id: int
    council_id: int
    unit_ids: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class OrderWithdrawn(Event):
    kind: ClassVar[str] = "orders-order-withdrawn"
    order_id: int
    reason: str


@dataclass(frozen=True)
class FactionSanctioned(Event):
    kind: ClassVar[str] = "orders-faction-sanctioned"
    sanction_id: int
    faction_id: int
    council_id: int
    sanction_kind: SanctionKind
    effects: tuple[str, ...]
    decision: str
    replaced_sanction_id: int | None  # the sanction in force that this one replaces


@dataclass(frozen=True)
class FactionSanctionLifted(Event):
    kind: ClassVar[str] = "orders-faction-sanction-lifted"
    sanction_id: int
    council_id: int
    decision: str


EVENTS: tuple[type[Event], ...] = (
    UnitCreated,
    AuthorityCreated,
    CountersignatureGranted,
    CountersignatureRevoked,
    OrderIssued,
    OrderCountersigned,
    OrderRefused,
    OrderWithdrawn,
    FactionSanctioned,
    FactionSanctionLifted,
)
RECORDS: tuple[type[Record], ...] = (
    Unit,
    OutsideAuthority,
    CountersignPower,
    Order,
    OrderAddressee,
    Countersignature,
    FactionSanction,
)


def project(recorded: Recorded, records: Records) -> bool:
    """Change the state as an orders event says; False if the event is not one of ours."""
    at = recorded.at
    match recorded.event:
        case UnitCreated() as e:
            records.put(
                Unit(e.unit_id, e.organization_id, e.name, e.unit_kind, e.constituency_id, at)
            )
        case AuthorityCreated() as e:
            records.put(
                OutsideAuthority(e.authority_id, e.organization_id, e.name, e.authority_kind, at)
            )
        case CountersignatureGranted() as e:
            for grant in e.grants:
                records.put(
                    CountersignPower(grant.power_id, e.council_id, grant.unit_id, e.decision, at)
                )
        case CountersignatureRevoked() as e:
            for power_id in e.power_ids:
                power = records.get(CountersignPower, power_id)
                records.put(replace(power, valid_to=at, revocation=e.decision))
        case OrderIssued() as e:
            records.put(
                Order(
                    e.order_id,
                    e.organization_id,
                    e.issuer_council_id,
                    e.issuer_authority_id,
                    e.title,
                    e.text,
                    at,
                    e.countermands_id,
                )
            )
            for a in e.addressees:
                records.put(OrderAddressee(a.addressee_id, e.order_id, a.unit_id, a.countersigners))
        case OrderCountersigned() as e:
            records.put(
                Countersignature(
                    e.countersignature_id,
                    e.order_id,
                    e.council_id,
                    Decision.COUNTERSIGNED,
                    e.unit_ids,
                    None,
                    at,
                )
            )
        case OrderRefused() as e:
            records.put(
                Countersignature(
                    e.countersignature_id,
                    e.order_id,
                    e.council_id,
                    Decision.REFUSED,
                    e.unit_ids,
                    e.reason,
                    at,
                )
            )
        case OrderWithdrawn(order_id=oid, reason=reason):
            records.put(replace(records.get(Order, oid), withdrawn_at=at, withdrawal=reason))
        case FactionSanctioned() as e:
            if e.replaced_sanction_id is not None:
                _end_sanction(
                    records,
                    e.replaced_sanction_id,
                    at,
                    e.council_id,
                    f"replaced by a {e.sanction_kind.value}",
                )
            records.put(
                FactionSanction(
                    e.sanction_id,
                    e.faction_id,
                    e.council_id,
                    e.sanction_kind,
                    e.effects,
                    e.decision,
                    at,
                )
            )
        case FactionSanctionLifted() as e:
            _end_sanction(records, e.sanction_id, at, e.council_id, e.decision)
        case _:
            return False
    return True


def _end_sanction(
    records: Records, sanction_id: int, at: datetime, council_id: int, ending: str
) -> None:
    sanction = records.get(FactionSanction, sanction_id)
    records.put(replace(sanction, valid_to=at, ended_by_council_id=council_id, ending=ending))


# -- powers of bodies over time -------------------------------------------------------------


@dataclass(frozen=True)
class PowerChange:
    """A body gained or lost powers at a moment (its creation, or a recorded decision)."""

    at: datetime
    council_id: int
    granted: tuple[Power, ...]
    revoked: tuple[Power, ...]
    decision: str


@dataclass(frozen=True)
class PowerHeld:
    power: Power
    since: datetime
    decision: str  # the decision that granted it


def powers_at(changes: Iterable[PowerChange], at: datetime) -> dict[int, tuple[PowerHeld, ...]]:
    """Each body's powers as of `at`, from its changes in the order they were recorded."""
    held: dict[int, dict[Power, PowerHeld]] = {}
    for change in changes:
        if change.at > at:
            continue
        mine = held.setdefault(change.council_id, {})
        for power in change.revoked:
            mine.pop(power, None)
        for power in change.granted:
            if power not in mine:
                mine[power] = PowerHeld(power, change.at, change.decision)
    return {cid: tuple(mine.values()) for cid, mine in held.items()}


def holds(powers: Mapping[int, Sequence[PowerHeld]], council_id: int, power: Power) -> bool:
    return any(p.power is power for p in powers.get(council_id, ()))


def countersigners_at(
    grants: Iterable[CountersignPower],
    unit_ids: Iterable[int],
    at: datetime,
    powers: Mapping[int, Sequence[PowerHeld]],
) -> dict[int, tuple[int, ...]]:
    """For each unit, the bodies (council ids, ascending) holding countersignature power
    over it at `at`: a grant in force then, and the power `countersign` held then."""
    found: dict[int, set[int]] = {uid: set() for uid in unit_ids}
    for grant in grants:
        if (
            grant.unit_id in found
            and grant.active_at(at)
            and holds(powers, grant.council_id, Power.COUNTERSIGN)
        ):
            found[grant.unit_id].add(grant.council_id)
    return {uid: tuple(sorted(cids)) for uid, cids in found.items()}


# -- validity per unit ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStatus:
    """An order's status for one unit as of a moment, and why."""

    order_id: int
    unit_id: int
    status: Status
    countersigners: tuple[int, ...]  # every body that must countersign here (the issuer too)
    countersigned: tuple[int, ...]  # of those, who has (the issuer counts as having)
    refused: tuple[int, ...]
    awaiting: tuple[int, ...]


def unit_status(
    order: Order,
    addressee: OrderAddressee,
    decisions: Iterable[Countersignature],
    at: datetime,
) -> UnitStatus:
    """The order's status for the addressed unit as of `at` (the order issued by then)."""
    by_body = {
        d.council_id: d.decision for d in decisions if d.order_id == order.id and d.decided_at <= at
    }
    countersigned, refused, awaiting = [], [], []
    for body in addressee.countersigners:
        if body == order.issuer_council_id or by_body.get(body) is Decision.COUNTERSIGNED:
            countersigned.append(body)
        elif by_body.get(body) is Decision.REFUSED:
            refused.append(body)
        else:
            awaiting.append(body)
    if order.withdrawn_by(at):
        status = Status.WITHDRAWN
    elif refused:
        status = Status.REFUSED
    elif awaiting:
        status = Status.AWAITING
    else:
        status = Status.VALID
    return UnitStatus(
        order.id,
        addressee.unit_id,
        status,
        addressee.countersigners,
        tuple(countersigned),
        tuple(refused),
        tuple(awaiting),
    )


def statuses(
    orders: Iterable[Order],
    addressees: Iterable[OrderAddressee],
    decisions: Iterable[Countersignature],
    at: datetime,
) -> dict[tuple[int, int], UnitStatus]:
    """(order id, unit id) -> status as of `at`, for every order issued by then."""
    issued = {o.id: o for o in orders if o.issued_at <= at}
    by_order: dict[int, list[Countersignature]] = {}
    for decision in decisions:
        by_order.setdefault(decision.order_id, []).append(decision)
    found = {}
    for addressee in addressees:
        order = issued.get(addressee.order_id)
        if order is not None:
            found[(order.id, addressee.unit_id)] = unit_status(
                order, addressee, by_order.get(order.id, ()), at
            )
    return found


# -- conflicts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    unit_id: int
    earlier_id: int  # the order issued first (lower id on a tie)
    later_id: int
    kind: ConflictKind


def conflicts(
    orders: Iterable[Order], found: Mapping[tuple[int, int], UnitStatus]
) -> list[Conflict]:
    """Every pair of orders from different issuers in force for the same unit (their
    statuses as of one moment, from `statuses`); direct when one countermands the other.
    Ordered by unit, then by the orders' issue."""
    by_id = {o.id: o for o in orders}
    in_force: dict[int, list[Order]] = {}
    for (order_id, unit_id), status in found.items():
        if status.status in IN_FORCE and order_id in by_id:
            in_force.setdefault(unit_id, []).append(by_id[order_id])
    result = []
    for unit_id in sorted(in_force):
        ranked = sorted(in_force[unit_id], key=lambda o: (o.issued_at, o.id))
        for i, first in enumerate(ranked):
            for second in ranked[i + 1 :]:
                if first.issuer == second.issuer:
                    continue
                direct = second.countermands_id == first.id or first.countermands_id == second.id
                kind = ConflictKind.DIRECT if direct else ConflictKind.CONCURRENT
                result.append(Conflict(unit_id, first.id, second.id, kind))
    return result


# -- factions -------------------------------------------------------------------------------


def sanction_in_force(sanctions: Iterable[FactionSanction], at: datetime) -> FactionSanction | None:
    """The faction's sanction in force at `at`, if any (the latest begun, if records overlap)."""
    active = [s for s in sanctions if s.active_at(at)]
    return max(active, key=lambda s: (s.valid_from, s.id)) if active else None


def faction_state(sanction: FactionSanction | None) -> FactionState:
    return FactionState.ACTIVE if sanction is None else STATE_OF[sanction.kind]
