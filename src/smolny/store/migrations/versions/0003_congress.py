"""Congresses (apportionments over lower councils, convocations, credentials) and recall
petitions with their signatures.

Revision ID: 0003_congress
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_congress"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "congress_apportionments",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("rule_text", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("constituency_ids", sa.JSON(), nullable=False),
        sa.Column("electors", sa.JSON(), nullable=False),
        sa.Column("seats", sa.JSON(), nullable=False),
        sa.Column("combine", sa.JSON(), nullable=False),
        sa.Column("combined", sa.JSON(), nullable=False),
        sa.Column("combined_through", sa.JSON(), nullable=False),
        sa.Column("reported", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_congress_apportionments_council_id_councils"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_congress_apportionments")),
    )
    with op.batch_alter_table("congress_apportionments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_congress_apportionments_council_id"), ["council_id"], unique=False
        )

    op.create_table(
        "congress_convocations",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_congress_convocations_council_id_councils"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_congress_convocations")),
        sa.UniqueConstraint(
            "council_id", "name", name=op.f("uq_congress_convocations_council_id_name")
        ),
    )
    with op.batch_alter_table("congress_convocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_congress_convocations_council_id"), ["council_id"], unique=False
        )

    op.create_table(
        "congress_credentials",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("convocation_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=True),
        sa.Column("mandate_id", sa.Integer(), nullable=True),
        sa.Column("seated", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checked_by_id"],
            ["councils.id"],
            name=op.f("fk_congress_credentials_checked_by_id_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_congress_credentials_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["convocation_id"],
            ["congress_convocations.id"],
            name=op.f("fk_congress_credentials_convocation_id_congress_convocations"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_congress_credentials_council_id_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["mandate_id"],
            ["mandates.id"],
            name=op.f("fk_congress_credentials_mandate_id_mandates"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_congress_credentials_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_congress_credentials")),
    )
    with op.batch_alter_table("congress_credentials", schema=None) as batch_op:
        batch_op.create_index(
            "ix_congress_credentials_convocation_member",
            ["convocation_id", "member_id"],
            unique=False,
        )

    op.create_table(
        "recall_petitions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("signatures", sa.Integer(), nullable=False),
        sa.Column("reached_at", sa.DateTime(), nullable=True),
        sa.Column("recall_vote_id", sa.Integer(), nullable=True),
        sa.Column("voted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_recall_petitions_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandates.id"], name=op.f("fk_recall_petitions_mandate_id_mandates")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["members.id"],
            name=op.f("fk_recall_petitions_opened_by_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["recall_vote_id"],
            ["recall_votes.id"],
            name=op.f("fk_recall_petitions_recall_vote_id_recall_votes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_petitions")),
    )
    with op.batch_alter_table("recall_petitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recall_petitions_constituency_id"), ["constituency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recall_petitions_mandate_id"), ["mandate_id"], unique=False
        )

    op.create_table(
        "recall_petition_signatures",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_recall_petition_signatures_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["recall_petitions.id"],
            name=op.f("fk_recall_petition_signatures_petition_id_recall_petitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_petition_signatures")),
        sa.UniqueConstraint(
            "petition_id",
            "member_id",
            name=op.f("uq_recall_petition_signatures_petition_id_member_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("recall_petition_signatures")
    with op.batch_alter_table("recall_petitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recall_petitions_mandate_id"))
        batch_op.drop_index(batch_op.f("ix_recall_petitions_constituency_id"))
    op.drop_table("recall_petitions")
    with op.batch_alter_table("congress_credentials", schema=None) as batch_op:
        batch_op.drop_index("ix_congress_credentials_convocation_member")
    op.drop_table("congress_credentials")
    with op.batch_alter_table("congress_convocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_congress_convocations_council_id"))
    op.drop_table("congress_convocations")
    with op.batch_alter_table("congress_apportionments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_congress_apportionments_council_id"))
    op.drop_table("congress_apportionments")
