"""Provisional calendar years: calendar loads kept as revisions, and times marked provisional.

A year without an official schedule is reckoned by rule (weekends and statutory holidays) and every time
reckoned on it is provisional until the schedule is loaded. Loads become append-only (`calendar_load`),
so that a replay takes the calendar as it stood at each event; the existing loaded years move there.
Work items, instances and appeals say whether their due time, some time of theirs, or the reply
deadline is provisional.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    loads = op.create_table(
        "calendar_load",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_calendar_load_year", "calendar_load", ["year"])
    connection = op.get_bind()
    days = connection.execute(sa.text("SELECT day, workday FROM calendar_day")).all()
    years = sa.text("SELECT year, loaded_at, loaded_by FROM calendar_year ORDER BY year").columns(
        loaded_at=sa.DateTime(timezone=True)
    )
    for year, loaded_at, loaded_by in connection.execute(years).all():
        mine = [(str(day), workday) for day, workday in days if str(day).startswith(f"{year}-")]
        op.bulk_insert(
            loads,
            [
                {
                    "year": year,
                    "holidays": sorted(day for day, workday in mine if not workday),
                    "workdays": sorted(day for day, workday in mine if workday),
                    "loaded_at": loaded_at,
                    "loaded_by": loaded_by,
                }
            ],
        )
    op.drop_table("calendar_year")
    op.drop_table("calendar_day")
    for table, column in (
        ("work_item", "due_provisional"),
        ("instance", "has_provisional_times"),
        ("appeal", "deadline_provisional"),
    ):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    for table, column in (
        ("work_item", "due_provisional"),
        ("instance", "has_provisional_times"),
        ("appeal", "deadline_provisional"),
    ):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
    days = op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("day"),
    )
    years = op.create_table(
        "calendar_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("year"),
    )
    newest = {}
    loads = sa.text(
        "SELECT year, holidays, workdays, loaded_at, loaded_by FROM calendar_load ORDER BY loaded_at, id"
    ).columns(holidays=sa.JSON(), workdays=sa.JSON(), loaded_at=sa.DateTime(timezone=True))
    for year, holidays, workdays, loaded_at, loaded_by in op.get_bind().execute(loads).all():
        newest[year] = (holidays, workdays, loaded_at, loaded_by)
    for year, (holidays, workdays, loaded_at, loaded_by) in newest.items():
        op.bulk_insert(years, [{"year": year, "loaded_at": loaded_at, "loaded_by": loaded_by}])
        op.bulk_insert(
            days,
            [{"day": date.fromisoformat(d), "workday": False, "note": "holiday"} for d in holidays]
            + [{"day": date.fromisoformat(d), "workday": True, "note": "worked in lieu"} for d in workdays],
        )
    op.drop_index("ix_calendar_load_year", "calendar_load")
    op.drop_table("calendar_load")
