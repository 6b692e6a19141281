"""Sittings: attendance, walkouts, the agenda and its speakers, motions, votes and who
voted, faction lines, and the running totals of open secret votes.

Revision ID: 0003_sittings
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_sittings"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sittings',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('section_ids', sa.JSON(), nullable=False),
    sa.Column('chair_member_id', sa.Integer(), nullable=True),
    sa.Column('convened_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('current_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chair_member_id'], ['members.id'], name=op.f('fk_sittings_chair_member_id_members')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_sittings_council_id_councils')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_sittings_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sittings'))
    )
    op.create_index(op.f('ix_sittings_council_id'), 'sittings', ['council_id'], unique=False)
    op.create_table('sitting_walkouts',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('faction_ids', sa.JSON(), nullable=False),
    sa.Column('member_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.id'], name=op.f('fk_sitting_walkouts_sitting_id_sittings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_walkouts'))
    )
    op.create_index(op.f('ix_sitting_walkouts_sitting_id'), 'sitting_walkouts', ['sitting_id'], unique=False)
    op.create_table('sitting_attendance',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('arrived_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('walkout_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandates.id'], name=op.f('fk_sitting_attendance_mandate_id_mandates')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_sitting_attendance_member_id_members')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.id'], name=op.f('fk_sitting_attendance_sitting_id_sittings')),
    sa.ForeignKeyConstraint(['walkout_id'], ['sitting_walkouts.id'], name=op.f('fk_sitting_attendance_walkout_id_sitting_walkouts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_attendance'))
    )
    op.create_index(op.f('ix_sitting_attendance_sitting_id'), 'sitting_attendance', ['sitting_id'], unique=False)
    op.create_table('sitting_items',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('taken_up_at', sa.DateTime(), nullable=True),
    sa.Column('election_id', sa.Integer(), nullable=True),
    sa.Column('committee_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['committee_id'], ['councils.id'], name=op.f('fk_sitting_items_committee_id_councils')),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_sitting_items_election_id_elections')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.id'], name=op.f('fk_sitting_items_sitting_id_sittings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_items')),
    sa.UniqueConstraint('sitting_id', 'position', name=op.f('uq_sitting_items_sitting_id_position'))
    )
    op.create_index(op.f('ix_sitting_items_sitting_id'), 'sitting_items', ['sitting_id'], unique=False)
    op.create_table('sitting_speakers',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('floor_at', sa.DateTime(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['sitting_items.id'], name=op.f('fk_sitting_speakers_item_id_sitting_items')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_sitting_speakers_member_id_members')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.id'], name=op.f('fk_sitting_speakers_sitting_id_sittings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_speakers'))
    )
    op.create_index(op.f('ix_sitting_speakers_sitting_id'), 'sitting_speakers', ['sitting_id'], unique=False)
    op.create_table('sitting_motions',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('original_text', sa.Text(), nullable=False),
    sa.Column('majority', sa.String(length=32), nullable=True),
    sa.Column('tabled_by_member_id', sa.Integer(), nullable=True),
    sa.Column('tabled_by_faction_id', sa.Integer(), nullable=True),
    sa.Column('tabled_by_committee_id', sa.Integer(), nullable=True),
    sa.Column('tabled_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_sitting_motions_council_id_councils')),
    sa.ForeignKeyConstraint(['item_id'], ['sitting_items.id'], name=op.f('fk_sitting_motions_item_id_sitting_items')),
    sa.ForeignKeyConstraint(['parent_id'], ['sitting_motions.id'], name=op.f('fk_sitting_motions_parent_id_sitting_motions')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.id'], name=op.f('fk_sitting_motions_sitting_id_sittings')),
    sa.ForeignKeyConstraint(['tabled_by_committee_id'], ['councils.id'], name=op.f('fk_sitting_motions_tabled_by_committee_id_councils')),
    sa.ForeignKeyConstraint(['tabled_by_faction_id'], ['factions.id'], name=op.f('fk_sitting_motions_tabled_by_faction_id_factions')),
    sa.ForeignKeyConstraint(['tabled_by_member_id'], ['members.id'], name=op.f('fk_sitting_motions_tabled_by_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_motions'))
    )
    op.create_index(op.f('ix_sitting_motions_sitting_id'), 'sitting_motions', ['sitting_id'], unique=False)
    op.create_table('sitting_lines',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('faction_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=32), nullable=False),
    sa.Column('adopted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['faction_id'], ['factions.id'], name=op.f('fk_sitting_lines_faction_id_factions')),
    sa.ForeignKeyConstraint(['motion_id'], ['sitting_motions.id'], name=op.f('fk_sitting_lines_motion_id_sitting_motions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_lines'))
    )
    op.create_index(op.f('ix_sitting_lines_motion_id'), 'sitting_lines', ['motion_id'], unique=False)
    op.create_table('sitting_votes',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=32), nullable=False),
    sa.Column('majority', sa.String(length=32), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('yes', sa.Integer(), nullable=False),
    sa.Column('no', sa.Integer(), nullable=False),
    sa.Column('abstain', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('seated', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('quorum_needed', sa.Integer(), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('adopted_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['motion_id'], ['sitting_motions.id'], name=op.f('fk_sitting_votes_motion_id_sitting_motions')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.id'], name=op.f('fk_sitting_votes_sitting_id_sittings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_votes'))
    )
    op.create_index(op.f('ix_sitting_votes_motion_id'), 'sitting_votes', ['motion_id'], unique=False)
    op.create_index(op.f('ix_sitting_votes_sitting_id'), 'sitting_votes', ['sitting_id'], unique=False)
    op.create_table('sitting_voters',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('cast_at', sa.DateTime(), nullable=False),
    sa.Column('choice', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandates.id'], name=op.f('fk_sitting_voters_mandate_id_mandates')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_sitting_voters_member_id_members')),
    sa.ForeignKeyConstraint(['vote_id'], ['sitting_votes.id'], name=op.f('fk_sitting_voters_vote_id_sitting_votes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting_voters')),
    sa.UniqueConstraint('vote_id', 'member_id', name=op.f('uq_sitting_voters_vote_id_member_id'))
    )
    op.create_table('sitting_secret_tallies',
    sa.Column('vote_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('yes', sa.Integer(), nullable=False),
    sa.Column('no', sa.Integer(), nullable=False),
    sa.Column('abstain', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['sitting_votes.id'], name=op.f('fk_sitting_secret_tallies_vote_id_sitting_votes')),
    sa.PrimaryKeyConstraint('vote_id', name=op.f('pk_sitting_secret_tallies'))
    )


def downgrade() -> None:
    op.drop_table("sitting_secret_tallies")
    op.drop_table("sitting_voters")
    op.drop_index(op.f("ix_sitting_votes_motion_id"), table_name="sitting_votes")
    op.drop_index(op.f("ix_sitting_votes_sitting_id"), table_name="sitting_votes")
    op.drop_table("sitting_votes")
    op.drop_index(op.f("ix_sitting_lines_motion_id"), table_name="sitting_lines")
    op.drop_table("sitting_lines")
    op.drop_index(op.f("ix_sitting_motions_sitting_id"), table_name="sitting_motions")
    op.drop_table("sitting_motions")
    op.drop_index(op.f("ix_sitting_speakers_sitting_id"), table_name="sitting_speakers")
    op.drop_table("sitting_speakers")
    op.drop_index(op.f("ix_sitting_items_sitting_id"), table_name="sitting_items")
    op.drop_table("sitting_items")
    op.drop_index(op.f("ix_sitting_attendance_sitting_id"), table_name="sitting_attendance")
    op.drop_table("sitting_attendance")
    op.drop_index(op.f("ix_sitting_walkouts_sitting_id"), table_name="sitting_walkouts")
    op.drop_table("sitting_walkouts")
    op.drop_index(op.f("ix_sittings_council_id"), table_name="sittings")
    op.drop_table("sittings")
