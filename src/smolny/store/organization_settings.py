"""Each organization's settings beside the ledger: whether its pages are public.

A setting is the organization's choice about who may read its record, not part of the
record: it is kept here, never in the ledger. An organization without a row is public
(those that existed before the setting, the demo and 1917, stay open as they were).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Column, Connection, ForeignKey, String, Table, select

from smolny.store.tables import metadata
from smolny.store.types import UtcDateTime

organization_settings = Table(
    "organization_settings",
    metadata,
    Column("organization_id", ForeignKey("organizations.id"), primary_key=True),
    Column("public", Boolean, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("changed_by", String(64), nullable=False),  # "account:<id>", "api:admin", "cli"
)

DEFAULT_PUBLIC = True


@dataclass(frozen=True)
class SettingRow:
    organization_id: int
    public: bool
    changed_at: datetime
    changed_by: str


def setting(connection: Connection, organization_id: int) -> SettingRow | None:
    row = connection.execute(
        select(organization_settings).where(
            organization_settings.c.organization_id == organization_id
        )
    ).one_or_none()
    if row is None:
        return None
    m = row._mapping
    return SettingRow(m["organization_id"], bool(m["public"]), m["changed_at"], m["changed_by"])


def is_public(connection: Connection, organization_id: int) -> bool:
    found = connection.execute(
        select(organization_settings.c.public).where(
            organization_settings.c.organization_id == organization_id
        )
    ).scalar_one_or_none()
    return DEFAULT_PUBLIC if found is None else bool(found)


def private_organizations(connection: Connection) -> set[int]:
    """The organizations whose pages are open to their own accounts only."""
    rows = connection.execute(
        select(organization_settings.c.organization_id).where(
            organization_settings.c.public.is_(False)
        )
    )
    return {int(r) for r in rows.scalars()}


def set_public(
    connection: Connection, organization_id: int, public: bool, *, at: datetime, by: str
) -> None:
    values = {"public": public, "changed_at": at, "changed_by": by}
    updated = connection.execute(
        organization_settings.update()
        .where(organization_settings.c.organization_id == organization_id)
        .values(**values)
    )
    if updated.rowcount == 0:
        connection.execute(
            organization_settings.insert().values(organization_id=organization_id, **values)
        )
