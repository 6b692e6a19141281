"""Merge the sittings, orders and congress branches into one history.

Revision ID: 0004
Revises: 0003_sittings, 0003_orders, 0003_congress
"""

revision = "0004"
down_revision = ("0003_sittings", "0003_orders", "0003_congress")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
