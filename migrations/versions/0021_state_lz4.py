"""An instance's state compressed with lz4 on PostgreSQL.

Every operation rewrites the instance's state, a JSON document of about 36 KB for an appeal near its end,
which PostgreSQL compresses out of line (TOAST). Its default, pglz, took 0.5-0.57 ms of the database's CPU
per write; lz4 0.24-0.25 ms, for the same stored size (8.5 KB), measured on PostgreSQL 15 with the appeal's
state. Rows keep the compression they were written with until they are written again. A server built
without lz4 (none of the supported packages) keeps pglz. SQLite stores the text as it is.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE instance ALTER COLUMN state SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE instance ALTER COLUMN state SET COMPRESSION pglz")


def _lz4_available() -> bool:
    """Whether this is PostgreSQL built with lz4 (it lists lz4 among the values of its TOAST setting)."""
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return False
    values = connection.exec_driver_sql(
        "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
    ).scalar()
    return values is not None and "lz4" in values
