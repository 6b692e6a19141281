"""The spine: organizations, councils, constituencies, members, mandates, elections, ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 07:45:27.611807
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_events_hash")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_organization_at", ["organization_id", "at"], unique=False)

    op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_head")),
    )
    # The empty ledger: no event yet, chained to the genesis hash.
    op.execute("INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '" + "0" * 64 + "')")
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("name", name=op.f("uq_organizations_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_organizations_slug")),
    )
    op.create_table(
        "councils",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_councils_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["councils.id"], name=op.f("fk_councils_parent_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councils")),
        sa.UniqueConstraint(
            "organization_id", "slug", name=op.f("uq_councils_organization_id_slug")
        ),
    )
    op.create_table(
        "factions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_factions_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factions")),
        sa.UniqueConstraint(
            "organization_id", "name", name=op.f("uq_factions_organization_id_name")
        ),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("faction_id", sa.Integer(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["faction_id"], ["factions.id"], name=op.f("fk_members_faction_id_factions")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_members_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint(
            "organization_id", "number", name=op.f("uq_members_organization_id_number")
        ),
    )
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_sections_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_sections_council_id_name")),
    )
    op.create_table(
        "constituencies",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("lower_council_id", sa.Integer(), nullable=True),
        sa.Column("recall_basis", sa.String(length=32), nullable=False),
        sa.Column("recall_share_numerator", sa.Integer(), nullable=False),
        sa.Column("recall_share_denominator", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_constituencies_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["lower_council_id"],
            ["councils.id"],
            name=op.f("fk_constituencies_lower_council_id_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"], ["sections.id"], name=op.f("fk_constituencies_section_id_sections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_constituencies")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_constituencies_council_id_name")),
    )
    op.create_table(
        "elections",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_elections_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_elections_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elections")),
    )
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_elections_constituency_id"), ["constituency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_elections_council_id"), ["council_id"], unique=False)

    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_memberships_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_memberships_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint(
            "member_id", "constituency_id", name=op.f("uq_memberships_member_id_constituency_id")
        ),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_memberships_constituency_id"), ["constituency_id"], unique=False
        )

    op.create_table(
        "seat_allocations",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_to", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_seat_allocations_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_seat_allocations_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_allocations")),
    )
    with op.batch_alter_table("seat_allocations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_seat_allocations_council_period", ["council_id", "valid_from"], unique=False
        )

    op.create_table(
        "mandates",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("faction_id", sa.Integer(), nullable=True),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("constituency_id", sa.Integer(), nullable=True),
        sa.Column("origin_council_id", sa.Integer(), nullable=True),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_to", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_mandates_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_mandates_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.id"], name=op.f("fk_mandates_election_id_elections")
        ),
        sa.ForeignKeyConstraint(
            ["faction_id"], ["factions.id"], name=op.f("fk_mandates_faction_id_factions")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_mandates_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["origin_council_id"],
            ["councils.id"],
            name=op.f("fk_mandates_origin_council_id_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"], ["sections.id"], name=op.f("fk_mandates_section_id_sections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandates")),
    )
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mandates_constituency_id"), ["constituency_id"], unique=False
        )
        batch_op.create_index(
            "ix_mandates_council_period", ["council_id", "valid_from"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mandates_member_id"), ["member_id"], unique=False)

    op.create_table(
        "recall_votes",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=False),
        sa.Column("constituency_id", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstentions", sa.Integer(), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("carried", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_recall_votes_constituency_id_constituencies"),
        ),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandates.id"], name=op.f("fk_recall_votes_mandate_id_mandates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_votes")),
    )
    with op.batch_alter_table("recall_votes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recall_votes_mandate_id"), ["mandate_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("recall_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recall_votes_mandate_id"))

    op.drop_table("recall_votes")
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mandates_member_id"))
        batch_op.drop_index("ix_mandates_council_period")
        batch_op.drop_index(batch_op.f("ix_mandates_constituency_id"))

    op.drop_table("mandates")
    with op.batch_alter_table("seat_allocations", schema=None) as batch_op:
        batch_op.drop_index("ix_seat_allocations_council_period")

    op.drop_table("seat_allocations")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_constituency_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_elections_council_id"))
        batch_op.drop_index(batch_op.f("ix_elections_constituency_id"))

    op.drop_table("elections")
    op.drop_table("constituencies")
    op.drop_table("sections")
    op.drop_table("members")
    op.drop_table("factions")
    op.drop_table("councils")
    op.drop_table("organizations")
    op.drop_table("ledger_head")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_organization_at")

    op.drop_table("events")
