"""Public pages on SQLite and PostgreSQL: the setting beside the ledger, who may change it,
organizations that existed before it, and how a path is traced to its organization."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from smolny.domain.errors import Forbidden, NotFound
from smolny.services import accounts, federation, sittings, visibility
from smolny.services.composition import council_composition
from smolny.store.database import connect
from smolny.store.migrate import upgrade
from smolny.store.tables import events
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR
from tests.builders_committee_journey import Committees, build_committees
from tests.conftest import at


@pytest.fixture
def world(uow: UnitOfWork) -> Committees:
    return build_committees(uow)


def test_an_organization_is_public_until_its_administrator_chooses_otherwise(
    uow: UnitOfWork, engine: Engine, world: Committees
) -> None:
    oid = world.organization.id
    setting = visibility.setting_of(uow, oid)
    assert setting.public
    assert setting.changed_at is None
    assert visibility.private_organizations(uow) == frozenset()
    with engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(events)).scalar_one()
    admin = accounts.account_by_login(uow, "admin")
    chosen = visibility.set_public(
        uow, organization_id=oid, public=False, account=admin, actor=admin.actor
    )
    assert not chosen.public
    assert chosen.changed_at == at("2026-06-01")
    assert chosen.changed_by == admin.actor
    assert not visibility.is_public(uow, oid)
    assert visibility.is_public(uow, world.other.id)
    assert visibility.private_organizations(uow) == frozenset({oid})
    visibility.set_public(uow, organization_id=oid, public=True, account=admin, actor="x")
    assert visibility.is_public(uow, oid)
    with engine.connect() as connection:  # beside the ledger: no event
        after = connection.execute(select(func.count()).select_from(events)).scalar_one()
    assert after == before


@pytest.mark.parametrize("login", ["signer", "plain", "outsider"])
def test_only_an_administrator_of_the_organization_chooses(
    uow: UnitOfWork, world: Committees, login: str
) -> None:
    account = accounts.account_by_login(uow, login)
    with pytest.raises(
        Forbidden, match="only an administrator of Test Union can choose whether its pages"
    ):
        visibility.set_public(
            uow,
            organization_id=world.organization.id,
            public=False,
            account=account,
            actor=account.actor,
        )
    assert visibility.is_public(uow, world.organization.id)


def test_an_administrator_of_another_organization_cannot_choose(
    uow: UnitOfWork, world: Committees
) -> None:
    _, token = accounts.create_administrator(uow, organization_id=world.other.id, login="boss")
    boss = accounts.accept_invitation(uow, token=token, password="a long enough passphrase")
    with pytest.raises(Forbidden, match="only an administrator of Test Union"):
        visibility.set_public(
            uow, organization_id=world.organization.id, public=False, account=boss, actor="x"
        )
    visibility.set_public(
        uow, organization_id=world.other.id, public=False, account=boss, actor="x"
    )
    assert not visibility.is_public(uow, world.other.id)


def test_organizations_made_before_the_setting_stay_public(empty_database_url: str) -> None:
    engine = connect(empty_database_url)
    try:
        upgrade(engine, "0007")  # the schema before the setting
        made = federation.create_organization(
            UnitOfWork(engine), name="Before", actor=ACTOR, at=at("2026-01-01")
        )
        upgrade(engine)
        assert visibility.is_public(UnitOfWork(engine), made.id)
        assert visibility.private_organizations(UnitOfWork(engine)) == frozenset()
    finally:
        engine.dispose()


def test_every_kind_of_id_in_a_path_leads_to_its_organization(
    uow: UnitOfWork, world: Committees
) -> None:
    oid, city = world.organization.id, world.city
    sitting = sittings.convene_sitting(
        uow,
        council_id=city.council.id,
        title="Ordinary sitting",
        day=date(2026, 3, 20),
        actor=ACTOR,
        at=at("2026-03-15"),
    )
    seat = council_composition(uow, city.council.id, at("2026-03-01")).delegates[0].mandate
    with uow:
        election = uow.repo.elections_of(city.council.id)[0]
    found = {
        "organization_id": oid,
        "council_id": city.council.id,
        "committee_id": world.military.id,
        "constituency_id": city.factory.id,
        "faction_id": city.factions["Left"].id,
        "member_id": world.members["plain"].id,
        "mandate_id": seat.id,
        "election_id": election.id,
        "sitting_id": sitting.id,
        "unit_id": world.first.id,
        "order_id": world.orders["front"].id,
    }
    for name, value in found.items():
        assert visibility.organization_of(uow, {name: str(value)}) == oid, name
    other_member = accounts.account_by_login(uow, "outsider").member_id
    assert visibility.organization_of(uow, {"member_id": str(other_member)}) == world.other.id
    assert visibility.organization_of(uow, {"token": "abc", "name": "x"}) is None
    with pytest.raises(NotFound):
        visibility.organization_of(uow, {"council_id": "999"})
