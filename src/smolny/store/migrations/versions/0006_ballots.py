"""Secret votes: a ballot box in place of running totals.

The running totals of secret votes (`sitting_secret_tallies`, one row per vote updated at
each ballot) give way to a ballot box (`sitting_ballots`): one row per ballot, with a
random key and a choice, no voter, no time, no rowid. Each vote's totals become as many
ballots (written together, in the order of their random keys), so that `smolny verify`
can count every secret vote again, open or closed; nothing more is learnt from them than
from the totals they replace.

Revision ID: 0006_ballots
Revises: 0005
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006_ballots"
down_revision = "0005"
branch_labels = None
depends_on = None

CHOICES = (("yes", "for"), ("no", "against"), ("abstain", "abstain"))

tallies = sa.table(
    "sitting_secret_tallies",
    sa.column("vote_id", sa.Integer()),
    sa.column("yes", sa.Integer()),
    sa.column("no", sa.Integer()),
    sa.column("abstain", sa.Integer()),
)
ballots = sa.table(
    "sitting_ballots",
    sa.column("vote_id", sa.Integer()),
    sa.column("key", sa.String(32)),
    sa.column("choice", sa.String(32)),
)


def upgrade() -> None:
    op.create_table(
        "sitting_ballots",
        sa.Column("vote_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("choice", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["sitting_votes.id"],
            name=op.f("fk_sitting_ballots_vote_id_sitting_votes"),
        ),
        sa.PrimaryKeyConstraint("vote_id", "key", name=op.f("pk_sitting_ballots")),
        sqlite_with_rowid=False,
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(tallies)).mappings().all():
        rows = sorted(
            (
                {"vote_id": row["vote_id"], "key": secrets.token_hex(16), "choice": choice}
                for column, choice in CHOICES
                for _ in range(int(row[column]))
            ),
            key=lambda r: r["key"],
        )
        if rows:
            connection.execute(ballots.insert(), rows)
    op.drop_table("sitting_secret_tallies")


def downgrade() -> None:
    op.create_table(
        "sitting_secret_tallies",
        sa.Column("vote_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("abstain", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["sitting_votes.id"],
            name=op.f("fk_sitting_secret_tallies_vote_id_sitting_votes"),
        ),
        sa.PrimaryKeyConstraint("vote_id", name=op.f("pk_sitting_secret_tallies")),
    )
    connection = op.get_bind()
    votes = sa.table("sitting_votes", sa.column("id", sa.Integer()), sa.column("mode", sa.String()))
    counts: dict[int, dict[str, int]] = {}
    for (vote_id,) in connection.execute(sa.select(votes.c.id).where(votes.c.mode == "secret")):
        counts[int(vote_id)] = {"yes": 0, "no": 0, "abstain": 0}
    column = {choice: name for name, choice in CHOICES}
    query = sa.select(ballots.c.vote_id, ballots.c.choice, sa.func.count()).group_by(
        ballots.c.vote_id, ballots.c.choice
    )
    for vote_id, choice, n in connection.execute(query):
        counts.setdefault(int(vote_id), {"yes": 0, "no": 0, "abstain": 0})[column[choice]] = n
    if counts:
        connection.execute(
            tallies.insert(), [{"vote_id": vid, **totals} for vid, totals in counts.items()]
        )
    op.drop_table("sitting_ballots")
