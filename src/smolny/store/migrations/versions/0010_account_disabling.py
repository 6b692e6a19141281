"""Who disabled an account, and why (accounts.disabled_at existed already; beside the ledger).

Revision ID: 0010_account_disabling
Revises: 0009_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_account_disabling"
down_revision = "0009_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("disabled_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("disabled_reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("disabled_reason")
        batch.drop_column("disabled_by")
