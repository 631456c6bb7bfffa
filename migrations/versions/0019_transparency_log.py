"""The transparency log, and a history the database itself keeps append-only.

- `transparency_leaf` / `transparency_node` / `transparency_tree`: every history event as a leaf of one
  append-only Merkle tree (engine/transparency_log.py); `transparency_pending`, filled by a trigger on
  every insert into `history_event`, queues the events still to be sealed (the existing ones included).
- On PostgreSQL, triggers refuse UPDATE, DELETE and TRUNCATE (a statement-level trigger: TRUNCATE fires no
  row trigger) on `history_event` and on the log's leaves and nodes. A role that owns these tables may
  still disable the triggers: the application runs as one that owns nothing (docs/deployment.md).

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None

POSTGRESQL_UP = """
CREATE FUNCTION refuse_rewrite() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_event_no_truncate BEFORE TRUNCATE ON history_event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER transparency_leaf_append_only BEFORE UPDATE OR DELETE ON transparency_leaf
    FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER transparency_leaf_no_truncate BEFORE TRUNCATE ON transparency_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER transparency_node_append_only BEFORE UPDATE OR DELETE ON transparency_node
    FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER transparency_node_no_truncate BEFORE TRUNCATE ON transparency_node
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
CREATE FUNCTION history_event_to_seal() RETURNS trigger AS $$
BEGIN
    INSERT INTO transparency_pending (event_id) SELECT id FROM added;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_event_to_seal AFTER INSERT ON history_event
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION history_event_to_seal();
"""

POSTGRESQL_DOWN = """
DROP TRIGGER history_event_to_seal ON history_event;
DROP FUNCTION history_event_to_seal();
DROP TRIGGER history_event_no_truncate ON history_event;
DROP FUNCTION refuse_rewrite() CASCADE;
"""

SQLITE_UP = """
CREATE TRIGGER history_event_to_seal AFTER INSERT ON history_event
BEGIN
    INSERT INTO transparency_pending (event_id) VALUES (NEW.id);
END
"""


def upgrade() -> None:
    op.create_table(
        "transparency_leaf",
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["history_event.id"]),
        sa.PrimaryKeyConstraint("position"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_table(
        "transparency_node",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("level", "position"),
    )
    op.create_table(
        "transparency_pending",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "transparency_tree",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO transparency_pending (event_id) SELECT id FROM history_event")
    op.execute(POSTGRESQL_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_DOWN)
    else:
        op.execute("DROP TRIGGER history_event_to_seal")
    for table in ("transparency_tree", "transparency_pending", "transparency_node", "transparency_leaf"):
        op.drop_table(table)
