"""The database helps (issue 26): on PostgreSQL the history refuses UPDATE, DELETE and TRUNCATE even to its
owner, and the service runs as a role that owns no table, so it can neither set those triggers aside nor
alter the schema, yet does all its work."""

import os

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from app import create_app
from appeals.adapters import db
from appeals.services.audit import verify_all
from appeals.services.timers import fire_due

from .helpers import RoleClient, load_city, report, to_handling


@pytest.fixture
def owner_url(clean_database):
    if not clean_database.startswith("postgresql"):
        pytest.skip("roles and triggers of PostgreSQL")
    return clean_database


@pytest.fixture
def service_url(owner_url):
    """A login role of its own for the service, granted its rights the way a release grants them."""
    role = f"af_service_{os.getpid()}"
    owner = create_engine(owner_url)
    with owner.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    db.upgrade(owner_url.replace("postgres@", f"{role}@", 1), owner_url=owner_url)
    yield make_url(owner_url).set(username=role).render_as_string(hide_password=False)
    with owner.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))
    owner.dispose()


def _refused(url: str, statement: str) -> str:
    database = create_engine(url)
    try:
        with database.begin() as connection, pytest.raises(DBAPIError) as refused:
            connection.execute(text(statement))
        return str(refused.value.orig)
    finally:
        database.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE history_event CASCADE",
        "DELETE FROM history_event",
        "UPDATE history_event SET actor = 'x'",
        "TRUNCATE transparency_node",
        "DELETE FROM transparency_leaf",
    ],
)
def test_the_history_and_the_log_refuse_rewriting_even_to_their_owner(owner_url, as_, statement):
    report(as_)
    assert as_("auditor").get("/api/v1/transparency/head").json["size"] > 0  # rows for the row triggers
    assert "append-only" in _refused(owner_url, statement)


@pytest.mark.parametrize(
    ("statement", "why"),
    [
        ("TRUNCATE history_event CASCADE", "permission denied"),
        ("ALTER TABLE history_event DISABLE TRIGGER ALL", "must be owner"),
        ("ALTER TABLE history_event DISABLE TRIGGER history_event_no_truncate", "must be owner"),
        ("UPDATE history_event SET actor = 'x'", "permission denied"),
        ("DELETE FROM transparency_node", "permission denied"),
        ("DROP TABLE appeal CASCADE", "must be owner"),
        ("ALTER TABLE appeal ADD COLUMN x integer", "must be owner"),
        ("UPDATE alembic_version SET version_num = '0001'", "permission denied"),
    ],
)
def test_the_service_role_can_neither_rewrite_nor_disable_triggers_nor_alter(service_url, statement, why):
    assert why in _refused(service_url, statement)


def test_the_service_does_all_its_work_as_that_role(service_url, owner_url, clock, tmp_path):
    app = create_app(
        {
            "DATABASE_URL": service_url,
            "MIGRATION_DATABASE_URL": owner_url,
            "CLOCK": clock,
            "TESTING": True,
            "TRANSPARENCY_KEY": tmp_path / "log.key",
            "TRANSPARENCY_HEADS": tmp_path / "heads.jsonl",
        }
    )
    runtime = app.extensions["appealflow"]
    try:
        assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0  # as the owner, then granted
        tokens = load_city(runtime)
        client = app.test_client()

        def as_(role):
            return RoleClient(client, tokens[role])

        appeal = report(as_)
        to_handling(as_, appeal["id"])
        fire_due(runtime)
        bundle = as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/audit-bundle")
        assert bundle.status_code == 200, bundle.json
        assert all(verdict["consistent"] for verdict in verify_all(runtime))
        assert runtime.transparency.check(runtime) == []
    finally:
        runtime.database.dispose()
