"""Attachments: photos and files on an appeal's report or a task's completion (the proof of a fix).

The bytes live in a content-addressed file store on disk (appeals/adapters/filestore.py); the row says whose,
where in the appeal, and which bytes (their SHA-256, which the appeal's history records too).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("appeal_id", sa.Integer(), sa.ForeignKey("appeal.id"), nullable=False, index=True),
        sa.Column("task_id", sa.String(36), nullable=True),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("thumbnail_sha256", sa.String(64), nullable=True),
        sa.Column("uploaded_by", sa.String(120), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attachment")
