"""Merge the accounts and ballot-box branches into one history.

Revision ID: 0007
Revises: 0006_accounts, 0006_ballots
"""

revision = "0007"
down_revision = ("0006_accounts", "0006_ballots")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
