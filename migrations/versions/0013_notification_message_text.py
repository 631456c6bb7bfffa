"""Notifications keep their message as a key and parameters, so each reader gets it in their language.

`message` stays (worded in the default language when stored); rows stored before have no key and are
shown as they were.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification") as notification:
        notification.add_column(sa.Column("message_key", sa.String(64), nullable=True))
        notification.add_column(sa.Column("message_params", sa.JSON(), nullable=True))
        # worded from parameters that may themselves be long (a reminder's note: 1,000 characters)
        notification.alter_column("message", type_=sa.Text(), existing_type=sa.String(400))


def downgrade() -> None:
    with op.batch_alter_table("notification") as notification:
        notification.alter_column("message", type_=sa.String(400), existing_type=sa.Text())
        notification.drop_column("message_params")
        notification.drop_column("message_key")
