"""Access: units reached by an id path, failures counted per subject, every auditor read in the access log.

- `unit.id` and `unit.id_path` ("/1/4/17/"): a unit's subtree is the units whose id path starts with its
  own, which no code can disturb (the codes' `path` let `V_1` reach `VX1`'s appeals through LIKE, and
  `A/B` those of `B` below `A`). Existing units get their ids district by district, from the top down.
  `path` stays filled for the previous release during a rolling restart; the next release drops it.
- `auth_failure.client` becomes `subject`: failures are counted against a secret's prefix, a user name at
  an address, or an address (appeals/services/auth_failures.py). The old counts, per address alone, are dropped.
- `access_log.appeal_id` may be empty and `detail` says what was asked: reads of many appeals at once
  (lists, statistics, reports) are accounted for too.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("id_path", sa.String(length=200), nullable=True))
    _number_units()
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.alter_column("id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("id_path", existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index("ix_unit_id", ["id"], unique=True)
        batch_op.create_index("ix_unit_id_path", ["id_path"], unique=False)
        batch_op.drop_index("ix_unit_path")

    op.execute("DELETE FROM auth_failure")
    with op.batch_alter_table("auth_failure", schema=None) as batch_op:
        batch_op.alter_column(
            "client", new_column_name="subject", existing_type=sa.String(length=64), type_=sa.String(length=255)
        )

    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.alter_column("appeal_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("detail", sa.String(length=400), nullable=True))


def _number_units() -> None:
    """Ids and id paths for the existing units: parents before children, siblings by code."""
    connection = op.get_bind()
    unit = sa.table("unit", sa.column("code"), sa.column("parent_code"), sa.column("id"), sa.column("id_path"))
    children: dict = {}
    for code, parent in connection.execute(sa.select(unit.c.code, unit.c.parent_code).order_by(unit.c.code)):
        children.setdefault(parent, []).append(code)
    waiting, next_id = [(code, "/") for code in children.get(None, [])], 1
    while waiting:
        code, parent_path = waiting.pop(0)
        id_path = f"{parent_path}{next_id}/"
        connection.execute(sa.update(unit).where(unit.c.code == code).values(id=next_id, id_path=id_path))
        waiting.extend((child, id_path) for child in children.get(code, []))
        next_id += 1


def downgrade() -> None:
    op.execute("DELETE FROM access_log WHERE appeal_id IS NULL")
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_column("detail")
        batch_op.alter_column("appeal_id", existing_type=sa.Integer(), nullable=False)

    op.execute("DELETE FROM auth_failure")
    with op.batch_alter_table("auth_failure", schema=None) as batch_op:
        batch_op.alter_column(
            "subject", new_column_name="client", existing_type=sa.String(length=255), type_=sa.String(length=64)
        )

    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index("ix_unit_path", ["path"], unique=False)
        batch_op.drop_index("ix_unit_id_path")
        batch_op.drop_index("ix_unit_id")
        batch_op.drop_column("id_path")
        batch_op.drop_column("id")
