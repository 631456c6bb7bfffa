"""Duplicates linked both ways, and the reply that reaches a duplicate's reporter.

An appeal shows the duplicates that repeat it: the count on its row lets a view look them up only when
there are some (as `instruction_count` does for instructions), and an index finds them. A duplicate
keeps the latest reply given on the appeal it repeats, which its reporter is told too.
Existing appeals get their count from the links already made.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appeal") as appeal:
        appeal.add_column(sa.Column("duplicate_count", sa.Integer(), server_default="0", nullable=False))
        appeal.add_column(sa.Column("original_reply", sa.Text(), nullable=True))
        appeal.add_column(sa.Column("original_replied_at", sa.DateTime(timezone=True), nullable=True))
        appeal.create_index("ix_appeal_duplicate_of", ["duplicate_of_id"])
    op.execute(
        "UPDATE appeal SET duplicate_count = "
        "(SELECT count(*) FROM appeal AS duplicate WHERE duplicate.duplicate_of_id = appeal.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("appeal") as appeal:
        appeal.drop_index("ix_appeal_duplicate_of")
        appeal.drop_column("original_replied_at")
        appeal.drop_column("original_reply")
        appeal.drop_column("duplicate_count")
