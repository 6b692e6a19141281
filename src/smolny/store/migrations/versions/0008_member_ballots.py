"""Member ballots: elections, by-elections and recall votes cast online by a constituency's
members, who voted (`member_ballot_voters`, one row per ballot and member) apart from what
was voted (`member_ballot_box`: random keys, no voter, no time, no rowid).

Revision ID: 0008_member_ballots
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_member_ballots"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_ballots",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("candidate_ids", sa.JSON(), nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=True),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("slips", sa.Integer(), nullable=False),
        sa.Column("blank", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("recall_vote_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_member_ballots_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_member_ballots_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_member_ballots_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandates.id"], name=op.f("fk_member_ballots_mandate_id_mandates")
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["recall_petitions.id"],
            name=op.f("fk_member_ballots_petition_id_recall_petitions"),
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_member_ballots_election_id_elections"),
        ),
        sa.ForeignKeyConstraint(
            ["recall_vote_id"],
            ["recall_votes.id"],
            name=op.f("fk_member_ballots_recall_vote_id_recall_votes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_ballots")),
    )
    op.create_index(
        op.f("ix_member_ballots_constituency_id"),
        "member_ballots",
        ["constituency_id"],
        unique=False,
    )
    op.create_table(
        "member_ballot_voters",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("voted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["member_ballots.id"],
            name=op.f("fk_member_ballot_voters_ballot_id_member_ballots"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_ballot_voters_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_ballot_voters")),
        sa.UniqueConstraint(
            "ballot_id", "member_id", name=op.f("uq_member_ballot_voters_ballot_id_member_id")
        ),
    )
    op.create_index(
        op.f("ix_member_ballot_voters_member_id"),
        "member_ballot_voters",
        ["member_id"],
        unique=False,
    )
    op.create_table(
        "member_ballot_box",
        sa.Column("ballot_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("slip", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["member_ballots.id"],
            name=op.f("fk_member_ballot_box_ballot_id_member_ballots"),
        ),
        sa.PrimaryKeyConstraint("ballot_id", "key", name=op.f("pk_member_ballot_box")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("member_ballot_box")
    op.drop_index(op.f("ix_member_ballot_voters_member_id"), table_name="member_ballot_voters")
    op.drop_table("member_ballot_voters")
    op.drop_index(op.f("ix_member_ballots_constituency_id"), table_name="member_ballots")
    op.drop_table("member_ballots")
