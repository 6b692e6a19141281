"""Merge the member ballots and public pages branches into one history.

Revision ID: 0009_merge
Revises: 0008_member_ballots, 0008_public_pages
"""

revision = "0009_merge"
down_revision = ("0008_member_ballots", "0008_public_pages")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
