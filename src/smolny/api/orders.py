"""The JSON API of orders: units, outside authorities, countersignature power, orders and
their countersignature, conflicts, powers of bodies, and faction sanctions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from smolny.api.deps import AdminDep, AtDep, UowDep
from smolny.api.schemas import Body
from smolny.domain.federation import Council, Organization, Power
from smolny.domain.orders import (
    AuthorityKind,
    Countersignature,
    CountersignPower,
    FactionSanction,
    Order,
    OutsideAuthority,
    SanctionKind,
    Unit,
    UnitKind,
)
from smolny.services import federation
from smolny.services import orders as services
from smolny.store import orders as store

router = APIRouter(prefix="/api")

ORDERS = "orders"
SANCTIONS = "faction sanctions"
POWERS = "powers"


class UnitIn(Body):
    name: str
    kind: UnitKind = UnitKind.REGIMENT
    constituency_id: int | None = Field(
        default=None, description="The constituency the unit corresponds to, if any."
    )


class AuthorityIn(Body):
    name: str
    kind: AuthorityKind = AuthorityKind.GOVERNMENT


class CountersignatureIn(Body):
    unit_ids: list[int]
    decision: str = Field(
        description="Who decided and how, in words.",
        examples=["garrison conference, 18 October 1917"],
    )


class RevocationIn(Body):
    unit_ids: list[int] = Field(default=[], description="The units (default: all of them).")
    decision: str


class OrderIn(Body):
    council_id: int | None = Field(default=None, description="The issuing body, or ...")
    authority_id: int | None = Field(default=None, description="... the outside authority.")
    unit_ids: list[int]
    title: str
    text: str = ""
    countermands_id: int | None = Field(
        default=None, description="The order of another issuer that this order countermands."
    )


class DecisionIn(Body):
    council_id: int


class RefusalIn(Body):
    council_id: int
    reason: str


class WithdrawalIn(Body):
    reason: str = ""


class SanctionIn(Body):
    council_id: int
    kind: SanctionKind
    effects: list[str] = Field(description="What the sanction does, each in words.")
    decision: str = ""


class LiftingIn(Body):
    council_id: int
    decision: str = ""


class PowersIn(Body):
    granted: list[Power] = Field(default_factory=list)
    revoked: list[Power] = Field(default_factory=list)
    decision: str


# -- reading ---------------------------------------------------------------------------------


@router.get("/organizations/{organization_id}/units", tags=[ORDERS])
def units(organization_id: int, uow: UowDep) -> list[Unit]:
    with uow:
        uow.repo.get(Organization, organization_id)
        return store.units_of(uow.repo, organization_id)


@router.get("/units/{unit_id}", tags=[ORDERS])
def unit(unit_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """A unit as of `at`: its orders with their status, who holds countersignature power
    over it, and every grant over it through time."""
    return services.unit_document(services.unit_view(uow, unit_id, at))


@router.get("/organizations/{organization_id}/authorities", tags=[ORDERS])
def authorities(organization_id: int, uow: UowDep) -> list[OutsideAuthority]:
    with uow:
        uow.repo.get(Organization, organization_id)
        return store.authorities_of(uow.repo, organization_id)


@router.get("/organizations/{organization_id}/orders", tags=[ORDERS])
def orders_matrix(organization_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """Units × orders issued by `at`: each order's status per unit, the countersignature
    rule per unit, the conflicts between authorities, the bodies' powers."""
    return services.matrix_document(services.orders_matrix(uow, organization_id, at))


@router.get("/orders/{order_id}", tags=[ORDERS])
def order(order_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """An order as of `at`: its status per unit, its countersignature trail, its conflicts."""
    return services.order_document(services.order_view(uow, order_id, at))


@router.get("/councils/{council_id}/powers", tags=[POWERS])
def powers(council_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """A body's powers as of `at`, with the decisions that granted them."""
    return services.powers_document(services.powers_view(uow, council_id, at))


@router.get("/factions/{faction_id}", tags=[SANCTIONS])
def faction(faction_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """A faction as of `at`: its state, every sanction, its seats in every council."""
    return services.faction_document(services.faction_view(uow, faction_id, at))


@router.get("/factions/{faction_id}/status", tags=[SANCTIONS])
def faction_status(faction_id: int, uow: UowDep, at: AtDep) -> dict[str, Any]:
    """Active, suspended or banned, as of `at`."""
    return services.status_document(services.faction_status(uow, faction_id, at))


# -- changing --------------------------------------------------------------------------------


@router.post("/organizations/{organization_id}/units", tags=[ORDERS], status_code=201)
def create_unit(organization_id: int, body: UnitIn, uow: UowDep, actor: AdminDep) -> Unit:
    return services.create_unit(
        uow,
        organization_id=organization_id,
        name=body.name,
        kind=body.kind,
        constituency_id=body.constituency_id,
        actor=actor,
        at=body.at,
    )


@router.post("/organizations/{organization_id}/authorities", tags=[ORDERS], status_code=201)
def create_authority(
    organization_id: int, body: AuthorityIn, uow: UowDep, actor: AdminDep
) -> OutsideAuthority:
    return services.create_authority(
        uow,
        organization_id=organization_id,
        name=body.name,
        kind=body.kind,
        actor=actor,
        at=body.at,
    )


@router.post("/councils/{council_id}/countersignature", tags=[ORDERS], status_code=201)
def grant_countersignature(
    council_id: int, body: CountersignatureIn, uow: UowDep, actor: AdminDep
) -> list[CountersignPower]:
    """Give the body countersignature power over the units, by a decision in words."""
    return services.grant_countersignature(
        uow,
        council_id=council_id,
        unit_ids=body.unit_ids,
        decision=body.decision,
        actor=actor,
        at=body.at,
    )


@router.post("/councils/{council_id}/countersignature/revocation", tags=[ORDERS])
def revoke_countersignature(
    council_id: int, body: RevocationIn, uow: UowDep, actor: AdminDep
) -> list[CountersignPower]:
    return services.revoke_countersignature(
        uow,
        council_id=council_id,
        unit_ids=body.unit_ids,
        decision=body.decision,
        actor=actor,
        at=body.at,
    )


@router.post("/orders", tags=[ORDERS], status_code=201)
def issue_order(body: OrderIn, uow: UowDep, actor: AdminDep) -> Order:
    """Issue an order from a body (`council_id`) or an outside authority (`authority_id`)."""
    return services.issue_order(
        uow,
        council_id=body.council_id,
        authority_id=body.authority_id,
        unit_ids=body.unit_ids,
        title=body.title,
        text=body.text,
        countermands_id=body.countermands_id,
        actor=actor,
        at=body.at,
    )


@router.post("/orders/{order_id}/countersignatures", tags=[ORDERS], status_code=201)
def countersign(order_id: int, body: DecisionIn, uow: UowDep, actor: AdminDep) -> Countersignature:
    return services.countersign_order(
        uow, order_id=order_id, council_id=body.council_id, actor=actor, at=body.at
    )


@router.post("/orders/{order_id}/refusals", tags=[ORDERS], status_code=201)
def refuse(order_id: int, body: RefusalIn, uow: UowDep, actor: AdminDep) -> Countersignature:
    return services.refuse_order(
        uow,
        order_id=order_id,
        council_id=body.council_id,
        reason=body.reason,
        actor=actor,
        at=body.at,
    )


@router.post("/orders/{order_id}/withdrawal", tags=[ORDERS])
def withdraw(order_id: int, body: WithdrawalIn, uow: UowDep, actor: AdminDep) -> Order:
    return services.withdraw_order(
        uow, order_id=order_id, reason=body.reason, actor=actor, at=body.at
    )


@router.post("/factions/{faction_id}/sanctions", tags=[SANCTIONS], status_code=201)
def sanction(faction_id: int, body: SanctionIn, uow: UowDep, actor: AdminDep) -> FactionSanction:
    """Suspend or ban a faction, by a body holding the power sanction-factions."""
    return services.sanction_faction(
        uow,
        faction_id=faction_id,
        council_id=body.council_id,
        kind=body.kind,
        effects=body.effects,
        decision=body.decision,
        actor=actor,
        at=body.at,
    )


@router.post("/factions/{faction_id}/sanctions/lifting", tags=[SANCTIONS])
def lift(faction_id: int, body: LiftingIn, uow: UowDep, actor: AdminDep) -> FactionSanction:
    return services.lift_sanction(
        uow,
        faction_id=faction_id,
        council_id=body.council_id,
        decision=body.decision,
        actor=actor,
        at=body.at,
    )


@router.post("/councils/{council_id}/powers", tags=[POWERS])
def grant_powers(council_id: int, body: PowersIn, uow: UowDep, actor: AdminDep) -> Council:
    """Grant or revoke powers of a body, by a decision in words."""
    return federation.grant_powers(
        uow,
        council_id=council_id,
        granted=body.granted,
        revoked=body.revoked,
        decision=body.decision,
        actor=actor,
        at=body.at,
    )
