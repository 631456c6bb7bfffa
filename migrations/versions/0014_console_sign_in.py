"""Sign-in for people: a password (argon2) on a user, and the browser sessions it opens.

Bearer tokens stay as they are, for machines and Open311. A session is a random cookie value, kept only
as its SHA-256 hash (like a token), with the CSRF token every cookie-authenticated write must echo.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as user:
        user.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("user_session")
    with op.batch_alter_table("app_user") as user:
        user.drop_column("password_hash")
