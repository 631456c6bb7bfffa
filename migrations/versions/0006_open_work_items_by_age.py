"""Open work items by age: a partial index that serves an inbox's ORDER BY created_at, id.

With 100,000 open tasks in one unit, the first page of its inbox took a sort of every open item
(316 ms in PostgreSQL); with this index it is read in order (7 ms for the query).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_work_item_open_by_age",
        "work_item",
        ["created_at", "id"],
        postgresql_where=sa.text("closed_at IS NULL"),
        sqlite_where=sa.text("closed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_work_item_open_by_age", table_name="work_item")
