"""Powers of bodies, standing rules of councils (quorum, majority), recall petition shares.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("councils") as batch:
        batch.add_column(sa.Column("powers", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("quorum_numerator", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("quorum_denominator", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(
            sa.Column("majority", sa.String(length=32), nullable=False, server_default="simple")
        )
    with op.batch_alter_table("constituencies") as batch:
        batch.add_column(
            sa.Column("petition_share_numerator", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(
            sa.Column("petition_share_denominator", sa.Integer(), nullable=False, server_default="5")
        )


def downgrade() -> None:
    with op.batch_alter_table("constituencies") as batch:
        batch.drop_column("petition_share_denominator")
        batch.drop_column("petition_share_numerator")
    with op.batch_alter_table("councils") as batch:
        batch.drop_column("majority")
        batch.drop_column("quorum_denominator")
        batch.drop_column("quorum_numerator")
        batch.drop_column("powers")
