"""Chronicle entries; electors reported by a constituency's body.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("constituencies") as batch:
        batch.add_column(sa.Column("reported_electors", sa.Integer(), nullable=True))
    op.create_table(
        "chronicle_entries",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_labels", sa.JSON(), nullable=False),
        sa.Column("source_urls", sa.JSON(), nullable=False),
        sa.Column("assumptions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_chronicle_entries_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chronicle_entries")),
    )
    with op.batch_alter_table("chronicle_entries") as batch:
        batch.create_index(
            batch.f("ix_chronicle_entries_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("chronicle_entries")
    with op.batch_alter_table("constituencies") as batch:
        batch.drop_column("reported_electors")
