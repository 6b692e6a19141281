"""Orders: units, outside authorities, countersignature power, orders and their addressees,
countersignatures, faction sanctions.

Revision ID: 0003_orders
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_orders"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_units_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_units_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_units_organization_id_name")),
    )
    op.create_table(
        "outside_authorities",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_outside_authorities_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outside_authorities")),
        sa.UniqueConstraint(
            "organization_id", "name", name=op.f("uq_outside_authorities_organization_id_name")
        ),
    )
    op.create_table(
        "countersign_powers",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_to", sa.DateTime(), nullable=True),
        sa.Column("revocation", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_countersign_powers_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_countersign_powers_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_countersign_powers")),
    )
    with op.batch_alter_table("countersign_powers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_countersign_powers_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            "ix_countersign_powers_council_period", ["council_id", "valid_from"], unique=False
        )

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("issuer_council_id", sa.Integer(), nullable=True),
        sa.Column("issuer_authority_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("countermands_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawal", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["countermands_id"], ["orders.id"], name=op.f("fk_orders_countermands_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["issuer_authority_id"],
            ["outside_authorities.id"],
            name=op.f("fk_orders_issuer_authority_id_outside_authorities"),
        ),
        sa.ForeignKeyConstraint(
            ["issuer_council_id"], ["councils.id"], name=op.f("fk_orders_issuer_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_orders_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_orders_organization_issued", ["organization_id", "issued_at"], unique=False
        )

    op.create_table(
        "order_addressees",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("countersigners", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_addressees_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_order_addressees_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_addressees")),
        sa.UniqueConstraint(
            "order_id", "unit_id", name=op.f("uq_order_addressees_order_id_unit_id")
        ),
    )
    with op.batch_alter_table("order_addressees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_addressees_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "countersignatures",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("unit_ids", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_countersignatures_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_countersignatures_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_countersignatures")),
        sa.UniqueConstraint(
            "order_id", "council_id", name=op.f("uq_countersignatures_order_id_council_id")
        ),
    )
    op.create_table(
        "faction_sanctions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("faction_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("effects", sa.JSON(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_to", sa.DateTime(), nullable=True),
        sa.Column("ended_by_council_id", sa.Integer(), nullable=True),
        sa.Column("ending", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_faction_sanctions_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_council_id"],
            ["councils.id"],
            name=op.f("fk_faction_sanctions_ended_by_council_id_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["faction_id"], ["factions.id"], name=op.f("fk_faction_sanctions_faction_id_factions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faction_sanctions")),
    )
    with op.batch_alter_table("faction_sanctions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_faction_sanctions_faction_id"), ["faction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("faction_sanctions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faction_sanctions_faction_id"))
    op.drop_table("faction_sanctions")
    op.drop_table("countersignatures")
    with op.batch_alter_table("order_addressees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_addressees_unit_id"))
    op.drop_table("order_addressees")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_organization_issued")
    op.drop_table("orders")
    with op.batch_alter_table("countersign_powers", schema=None) as batch_op:
        batch_op.drop_index("ix_countersign_powers_council_period")
        batch_op.drop_index(batch_op.f("ix_countersign_powers_unit_id"))
    op.drop_table("countersign_powers")
    op.drop_table("outside_authorities")
    op.drop_table("units")
