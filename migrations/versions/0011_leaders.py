"""Leaders (seed 004): claims with a completion limit and a reminder, notifications for one user,
and who read which notification.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appeal_id", sa.Integer(), sa.ForeignKey("appeal.id"), nullable=False),
        sa.Column("leader", sa.String(length=120), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim") as claim:
        claim.create_index("ix_claim_appeal_id", ["appeal_id"])
        claim.create_index("ix_claim_leader", ["leader", "released_at"])
        claim.create_index("ix_claim_remind", ["remind_at"])
    # Claims made before claims had limits: due when they were made and counted as reminded (the sweep
    # has nothing to remind of), so that "my claims" lists them as they stand.
    op.execute(
        "INSERT INTO claim (appeal_id, leader, claimed_at, due_at, remind_at, reminded_at) "
        "SELECT id, claimed_by, claimed_at, claimed_at, claimed_at, claimed_at FROM appeal "
        "WHERE claimed_by IS NOT NULL AND claimed_at IS NOT NULL"
    )

    op.create_table(
        "notification_read",
        sa.Column("notification_id", sa.Integer(), sa.ForeignKey("notification.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("notification_id", "user_id"),
    )
    with op.batch_alter_table("notification") as notification:
        notification.alter_column("task_id", existing_type=sa.String(length=36), nullable=True)
        notification.add_column(sa.Column("recipient", sa.String(length=120), nullable=True))
        notification.create_index("ix_notification_recipient", ["recipient"])


def downgrade() -> None:
    with op.batch_alter_table("notification") as notification:
        notification.drop_index("ix_notification_recipient")
        notification.drop_column("recipient")
    op.execute("DELETE FROM notification WHERE task_id IS NULL")
    with op.batch_alter_table("notification") as notification:
        notification.alter_column("task_id", existing_type=sa.String(length=36), nullable=False)
    op.drop_table("notification_read")
    with op.batch_alter_table("claim") as claim:
        claim.drop_index("ix_claim_remind")
        claim.drop_index("ix_claim_leader")
        claim.drop_index("ix_claim_appeal_id")
    op.drop_table("claim")
