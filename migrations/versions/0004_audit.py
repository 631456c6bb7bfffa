"""Audit: hash-chained history with replayable changes, work items by event, access log, and on
PostgreSQL a trigger that refuses UPDATE and DELETE on the history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


APPEND_ONLY = """
CREATE FUNCTION history_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history_event is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_event_append_only BEFORE UPDATE OR DELETE ON history_event
    FOR EACH ROW EXECUTE FUNCTION history_event_append_only();
"""


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appeal_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appeal_id"],
            ["appeal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_log_appeal_id"), ["appeal_id"], unique=False)

    with op.batch_alter_table("history_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("state_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_hash", sa.String(length=64), nullable=True))

    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_seq", sa.Integer(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER history_event_append_only ON history_event")
        op.execute("DROP FUNCTION history_event_append_only()")
    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.drop_column("closed_seq")
        batch_op.drop_column("opened_seq")

    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.drop_column("last_hash")

    with op.batch_alter_table("history_event", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("state_hash")
        batch_op.drop_column("change")

    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_log_appeal_id"))

    op.drop_table("access_log")
