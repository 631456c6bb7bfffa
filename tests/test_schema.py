"""The migrations build exactly the schema the models describe (tables, columns, types, indexes)."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, select, text

from appeals.adapters import db
from appeals.domain.models import Appeal, DomainBase
from engine import EngineBase

from .helpers import report


def test_the_migrated_database_matches_the_models(database_url):
    models = MetaData()
    for metadata in (EngineBase.metadata, DomainBase.metadata):
        for table in metadata.tables.values():
            table.to_metadata(models)
    database = create_engine(database_url)
    try:
        with database.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, models)
    finally:
        database.dispose()
    assert differences == []


def test_workflow_state_is_compressed_with_lz4_on_postgresql(database_url):
    """Migration 0007: the state every operation rewrites takes PostgreSQL's cheaper compression."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL setting")
    database = create_engine(database_url)
    try:
        with database.connect() as connection:
            offered = connection.scalar(
                text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
            )
            method = connection.scalar(
                text(
                    "SELECT attcompression FROM pg_attribute "
                    "WHERE attrelid = 'instance'::regclass AND attname = 'state'"
                )
            )
    finally:
        database.dispose()
    assert method == ("l" if "lz4" in offered else "")


def test_migration_0008_counts_the_instructions_appeals_have_already(as_, runtime, database_url):
    appeal = report(as_)
    for words in ("Replace the lamp.", "Report back by Friday."):
        instructed = as_("leader").post(f"/api/v1/appeals/{appeal['id']}/instructions", json={"text": words})
        assert instructed.status_code == 201
    runtime.database.dispose()  # no pooled connection in the way of ALTER TABLE
    command.downgrade(db.migrations(database_url), "0007")
    command.upgrade(db.migrations(database_url), "head")
    with runtime.uow() as uow:
        counts = dict(uow.session.execute(select(Appeal.id, Appeal.instruction_count)).all())
    assert counts == {appeal["id"]: 2}


def test_migration_0009_keeps_loaded_calendar_years_both_ways(as_, runtime, database_url):
    schedule = {"holidays": ["2027-01-01", "2027-01-04"], "workdays": ["2027-01-09"]}
    assert as_("admin").put("/api/v1/calendar/2027", json=schedule).status_code == 200
    runtime.database.dispose()  # no pooled connection in the way of ALTER TABLE
    command.downgrade(db.migrations(database_url), "0008")
    command.upgrade(db.migrations(database_url), "head")
    year = as_("admin").get("/api/v1/calendar/2027").json
    assert (year["source"], year["loaded_by"]) == ("loaded", "admin")
    assert (year["holidays"], year["workdays"]) == (schedule["holidays"], schedule["workdays"])
