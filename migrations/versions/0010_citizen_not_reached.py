"""Whether the citizen could be reached for the evaluation, kept on the appeal row.

The callback operator may fail to reach the citizen; each failed attempt is counted, and after the
attempts the process allows the appeal closes as "could not reach the citizen". Statistics count that
apart from satisfaction, so the row carries it (`unreachable`) with the attempts that failed in the
current evaluation (`failed_callbacks`). Existing appeals reached their citizens or are still open.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appeal") as appeal:
        appeal.add_column(sa.Column("unreachable", sa.Boolean(), server_default=sa.false(), nullable=False))
        appeal.add_column(sa.Column("failed_callbacks", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("appeal") as appeal:
        appeal.drop_column("failed_callbacks")
        appeal.drop_column("unreachable")
