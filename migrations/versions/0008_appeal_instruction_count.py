"""The number of leaders' instructions on each appeal, kept on the appeal row.

An appeal's view shows its instructions, and most appeals have none, yet every view read the
instruction table to find that out: 8 statements of every closed-loop appeal. With the count on
the row (which the view has read already), the instructions are read only for appeals that have some.
Existing appeals get their count from the instruction table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appeal") as appeal:
        appeal.add_column(sa.Column("instruction_count", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE appeal SET instruction_count = "
        "(SELECT count(*) FROM instruction WHERE instruction.appeal_id = appeal.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("appeal") as appeal:
        appeal.drop_column("instruction_count")
