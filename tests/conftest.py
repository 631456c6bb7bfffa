"""Fixtures: a real database (SQLite, or PostgreSQL from TEST_DATABASE_URL), a clock the tests move,
the app with the bundled processes deployed and the demo city loaded, and a client per role."""

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from appeals import db
from appeals.audit import verify_all
from appeals.demo import load_demo
from appeals.models import DomainBase
from appeals.processes import deploy_folders
from engine import EngineBase, FixedClock

from .helpers import RoleClient

#: Monday 2 November 2026, 09:00 in Beijing.
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'appealflow.db'}"
    db.upgrade(url)
    return url


@pytest.fixture
def clean_database(database_url):
    """Every test starts from empty tables (the schema stays, made once by the migrations).

    TRUNCATE on PostgreSQL, with the triggers that keep the history and the log append-only (they refuse
    DELETE and TRUNCATE) set aside for this transaction, as only a superuser can.
    """
    engine = create_engine(database_url)
    tables = [*reversed(DomainBase.metadata.sorted_tables), *reversed(EngineBase.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(f"TRUNCATE {', '.join(table.name for table in tables)} CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
    engine.dispose()
    return database_url


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def app(clean_database, clock, tmp_path):
    files = {"ATTACHMENT_DIR": str(tmp_path / "files")}
    transparency = {"TRANSPARENCY_KEY": tmp_path / "log.key", "TRANSPARENCY_HEADS": tmp_path / "heads.jsonl"}
    app = create_app({"DATABASE_URL": clean_database, "CLOCK": clock, "TESTING": True, **files, **transparency})
    yield app
    app.extensions["appealflow"].database.dispose()


@pytest.fixture
def runtime(app):
    return app.extensions["appealflow"]


@pytest.fixture
def tokens(runtime):
    """The demo city's users: role name -> API token (one user per role, named after it)."""
    deploy_folders(runtime.uow())
    return {line.split()[0]: line.split()[-1] for line in load_demo(runtime)}


@pytest.fixture
def as_(app, tokens, runtime, request):
    """`as_("town").post(...)`: requests made as the demo user of that role.

    Afterwards every appeal the test made must replay to its stored state (issue 4: the histories of all
    scenarios are consistent), unless the test tampers with them on purpose (`@pytest.mark.tampers`).
    """
    client = app.test_client()
    yield lambda role: RoleClient(client, tokens[role])
    if request.node.get_closest_marker("tampers") is None:
        inconsistent = [verdict for verdict in verify_all(runtime) if not verdict["consistent"]]
        assert inconsistent == [], "; ".join(str(verdict) for verdict in inconsistent)
