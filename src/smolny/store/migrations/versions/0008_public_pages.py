"""Organization settings beside the ledger: whether an organization's pages are public.

Revision ID: 0008_public_pages
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_public_pages"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No rows: every organization that exists now stays public (see docs/public.md).
    op.create_table(
        "organization_settings",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_settings_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_organization_settings")),
    )


def downgrade() -> None:
    op.drop_table("organization_settings")
