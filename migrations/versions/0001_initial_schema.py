"""Initial schema: the engine's tables (packages, versions, instances, work items, due timers,
history) and the domain's (units, users, appeals).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_table(
        "package_file",
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["package.id"],
        ),
        sa.PrimaryKeyConstraint("package_id", "name"),
    )
    op.create_table(
        "process_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["package.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("process_id", "version"),
    )
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_process_version_package_id"), ["package_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_process_version_process_id"), ["process_id"], unique=False)

    op.create_table(
        "instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_version_id"],
            ["process_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instance_process_version_id"), ["process_version_id"], unique=False)

    op.create_table(
        "due_timer",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["instance.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("due_timer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_due_timer_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_due_timer_instance_id"), ["instance_id"], unique=False)

    op.create_table(
        "history_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=True),
        sa.Column("step", sa.String(length=255), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["instance.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instance_id", "seq"),
    )
    op.create_table(
        "work_item",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("lane", sa.String(length=64), nullable=True),
        sa.Column("candidate_group", sa.String(length=255), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=120), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["instance.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_item_instance_id"), ["instance_id"], unique=False)
        batch_op.create_index("ix_work_item_open", ["closed_at", "lane", "candidate_group"], unique=False)

    op.create_table(
        "unit",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["unit.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_path"), ["path"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"],
            ["unit.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("reporter_name", sa.String(length=100), nullable=True),
        sa.Column("reporter_phone", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=400), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("intake_unit", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disposition", sa.String(length=32), nullable=True),
        sa.Column("satisfaction", sa.String(length=32), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["appeal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["instance.id"],
        ),
        sa.ForeignKeyConstraint(
            ["intake_unit"],
            ["unit.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instance_id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.create_index("ix_appeal_intake_unit", ["intake_unit"], unique=False)
        batch_op.create_index("ix_appeal_status_created", ["status", "created_at"], unique=False)
        batch_op.create_index("ix_appeal_unit", ["unit"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index("ix_appeal_unit")
        batch_op.drop_index("ix_appeal_status_created")
        batch_op.drop_index("ix_appeal_intake_unit")

    op.drop_table("appeal")
    op.drop_table("app_user")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_path"))

    op.drop_table("unit")
    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.drop_index("ix_work_item_open")
        batch_op.drop_index(batch_op.f("ix_work_item_instance_id"))

    op.drop_table("work_item")
    op.drop_table("history_event")
    with op.batch_alter_table("due_timer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_due_timer_instance_id"))
        batch_op.drop_index(batch_op.f("ix_due_timer_due_at"))

    op.drop_table("due_timer")
    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instance_process_version_id"))

    op.drop_table("instance")
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_process_version_process_id"))
        batch_op.drop_index(batch_op.f("ix_process_version_package_id"))

    op.drop_table("process_version")
    op.drop_table("package_file")
    op.drop_table("package")
