"""The tables of orders, countersignature and faction sanctions, and their set-based reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.engine import Row

from smolny.domain.events import CouncilCreated, PowersGranted
from smolny.domain.orders import (
    AuthorityKind,
    Countersignature,
    CountersignPower,
    Decision,
    FactionSanction,
    Order,
    OrderAddressee,
    OutsideAuthority,
    PowerChange,
    SanctionKind,
    Unit,
    UnitKind,
)
from smolny.domain.records import R
from smolny.ledger.codec import decode
from smolny.store.tables import events, factions, metadata
from smolny.store.types import EnumText, JsonTuple, UtcDateTime

if TYPE_CHECKING:  # the repository imports the catalog, which imports this module
    from smolny.store.repository import Repository

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", EnumText(UnitKind), nullable=False),
    Column("constituency_id", ForeignKey("constituencies.id")),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("organization_id", "name"),
)

outside_authorities = Table(
    "outside_authorities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", EnumText(AuthorityKind), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("organization_id", "name"),
)

countersign_powers = Table(
    "countersign_powers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("unit_id", ForeignKey("units.id"), nullable=False, index=True),
    Column("decision", Text, nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_to", UtcDateTime),
    Column("revocation", Text),
    Index("ix_countersign_powers_council_period", "council_id", "valid_from"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("issuer_council_id", ForeignKey("councils.id")),
    Column("issuer_authority_id", ForeignKey("outside_authorities.id")),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("countermands_id", ForeignKey("orders.id")),
    Column("withdrawn_at", UtcDateTime),
    Column("withdrawal", Text),
    Index("ix_orders_organization_issued", "organization_id", "issued_at"),
)

order_addressees = Table(
    "order_addressees",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("order_id", ForeignKey("orders.id"), nullable=False),
    Column("unit_id", ForeignKey("units.id"), nullable=False, index=True),
    Column("countersigners", JsonTuple(), nullable=False),
    UniqueConstraint("order_id", "unit_id"),
)

countersignatures = Table(
    "countersignatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("order_id", ForeignKey("orders.id"), nullable=False),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("decision", EnumText(Decision), nullable=False),
    Column("unit_ids", JsonTuple(), nullable=False),
    Column("reason", Text),
    Column("decided_at", UtcDateTime, nullable=False),
    UniqueConstraint("order_id", "council_id"),
)

faction_sanctions = Table(
    "faction_sanctions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("faction_id", ForeignKey("factions.id"), nullable=False, index=True),
    Column("council_id", ForeignKey("councils.id"), nullable=False),
    Column("kind", EnumText(SanctionKind), nullable=False),
    Column("effects", JsonTuple(), nullable=False),
    Column("decision", Text, nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_to", UtcDateTime),
    Column("ended_by_council_id", ForeignKey("councils.id")),
    Column("ending", Text),
)

RECORD_TABLES: dict[type[Any], Table] = {
    Unit: units,
    OutsideAuthority: outside_authorities,
    CountersignPower: countersign_powers,
    Order: orders,
    OrderAddressee: order_addressees,
    Countersignature: countersignatures,
    FactionSanction: faction_sanctions,
}


# -- reads ----------------------------------------------------------------------------------


def _record(kind: type[R], row: Row[Any]) -> R:
    mapping = row._mapping
    return kind(**{f.name: mapping[f.name] for f in fields(kind)})


def units_of(repo: Repository, organization_id: int) -> list[Unit]:
    return repo.where(Unit, units.c.organization_id == organization_id)


def units_by_id(repo: Repository, unit_ids: Sequence[int]) -> dict[int, Unit]:
    if not unit_ids:
        return {}
    return {u.id: u for u in repo.where(Unit, units.c.id.in_(sorted(set(unit_ids))))}


def powers_by_id(repo: Repository, power_ids: Sequence[int]) -> list[CountersignPower]:
    if not power_ids:
        return []
    return repo.where(CountersignPower, countersign_powers.c.id.in_(sorted(set(power_ids))))


def unit_named(repo: Repository, organization_id: int, name: str) -> Unit | None:
    return repo.first(Unit, units.c.organization_id == organization_id, units.c.name == name)


def authorities_of(repo: Repository, organization_id: int) -> list[OutsideAuthority]:
    return repo.where(OutsideAuthority, outside_authorities.c.organization_id == organization_id)


def authorities_named(repo: Repository, name: str) -> list[OutsideAuthority]:
    return repo.where(OutsideAuthority, outside_authorities.c.name == name)


def powers_over(repo: Repository, unit_ids: Sequence[int]) -> list[CountersignPower]:
    """Every countersignature grant, past or present, over any of the units."""
    if not unit_ids:
        return []
    return repo.where(CountersignPower, countersign_powers.c.unit_id.in_(sorted(set(unit_ids))))


def powers_of_organization(repo: Repository, organization_id: int) -> list[CountersignPower]:
    rows = repo.connection.execute(
        select(countersign_powers)
        .join(units, units.c.id == countersign_powers.c.unit_id)
        .where(units.c.organization_id == organization_id)
        .order_by(countersign_powers.c.id)
    )
    return [_record(CountersignPower, row) for row in rows]


def open_powers_of(repo: Repository, council_id: int) -> list[CountersignPower]:
    return repo.where(
        CountersignPower,
        countersign_powers.c.council_id == council_id,
        countersign_powers.c.valid_to.is_(None),
    )


def orders_of(repo: Repository, organization_id: int) -> list[Order]:
    return repo.where(Order, orders.c.organization_id == organization_id)


def addressees_of(repo: Repository, order_ids: Sequence[int]) -> list[OrderAddressee]:
    if not order_ids:
        return []
    return repo.where(OrderAddressee, order_addressees.c.order_id.in_(sorted(set(order_ids))))


def addressees_of_unit(repo: Repository, unit_id: int) -> list[OrderAddressee]:
    return repo.where(OrderAddressee, order_addressees.c.unit_id == unit_id)


def decisions_on(repo: Repository, order_ids: Sequence[int]) -> list[Countersignature]:
    if not order_ids:
        return []
    return repo.where(Countersignature, countersignatures.c.order_id.in_(sorted(set(order_ids))))


def decision_of(repo: Repository, order_id: int, council_id: int) -> Countersignature | None:
    return repo.first(
        Countersignature,
        countersignatures.c.order_id == order_id,
        countersignatures.c.council_id == council_id,
    )


def sanctions_of(repo: Repository, faction_id: int) -> list[FactionSanction]:
    return repo.where(FactionSanction, faction_sanctions.c.faction_id == faction_id)


def sanctions_of_organization(repo: Repository, organization_id: int) -> list[FactionSanction]:
    rows = repo.connection.execute(
        select(faction_sanctions)
        .join(factions, factions.c.id == faction_sanctions.c.faction_id)
        .where(factions.c.organization_id == organization_id)
        .order_by(faction_sanctions.c.id)
    )
    return [_record(FactionSanction, row) for row in rows]


def open_sanction(repo: Repository, faction_id: int) -> FactionSanction | None:
    return repo.first(
        FactionSanction,
        faction_sanctions.c.faction_id == faction_id,
        faction_sanctions.c.valid_to.is_(None),
    )


def power_changes(repo: Repository, organization_id: int) -> list[PowerChange]:
    """Every change of the powers of the organization's bodies, in ledger order.

    The council table holds only the powers a body has now; their history is in the ledger
    (council-created and powers-granted events), read here in one query.
    """
    kinds = (CouncilCreated.kind, PowersGranted.kind)
    rows = repo.connection.execute(
        select(events.c.at, events.c.kind, events.c.body)
        .where(events.c.organization_id == organization_id, events.c.kind.in_(kinds))
        .order_by(events.c.seq)
    )
    changes = []
    for at, kind, body in rows:
        event = decode(kind, json.loads(body)["payload"])
        if isinstance(event, CouncilCreated):
            if event.powers:
                changes.append(
                    PowerChange(at, event.council_id, tuple(event.powers), (), "created with it")
                )
        elif isinstance(event, PowersGranted):
            changes.append(
                PowerChange(
                    at, event.council_id, tuple(event.granted), tuple(event.revoked), event.decision
                )
            )
    return changes
