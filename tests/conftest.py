"""Fixtures: a real database (SQLite, or PostgreSQL from TEST_DATABASE_URL), a clock the tests move,
the app with the bundled processes deployed and the demo city loaded, and a client per role."""

import os
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, make_url, text

from app import create_app
from appeals.adapters import db
from appeals.services.audit import verify_all
from engine import FixedClock, PackageLibrary

from .helpers import RoleClient
from .november import seed_november
from .seed import DemoCity, Seeds, empty

#: Monday 2 November 2026, 09:00 in Beijing.
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def operators_locale(monkeypatch):
    """The command line speaks the language its environment names: every test starts with one that names
    none (the default, Chinese), whatever the machine running the tests is set to."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """The session's database, migrated: a SQLite file of its own, or TEST_DATABASE_URL's PostgreSQL database.
    Each of pytest-xdist's workers (`-n`) runs its share of the tests on a database of its own: a file in its
    own temporary folder, or a fresh PostgreSQL database named after the given one and the worker, dropped at
    the end."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'appealflow.db'}"
    elif worker_id == "master":
        url = given
    else:
        url = _fresh_database(given, worker_id)
    db.upgrade(url)
    yield url
    if url != given and given is not None:
        _drop_database(url)


def _fresh_database(given: str, worker_id: str) -> str:
    """A new, empty database beside `given`'s on its server, for worker `worker_id`; its URL."""
    url = make_url(given)
    url = url.set(database=f"{url.database}_{worker_id}")
    _drop_database(url.render_as_string(hide_password=False))
    with _server(url) as connection:
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    return url.render_as_string(hide_password=False)


def _drop_database(database_url: str) -> None:
    url = make_url(database_url)
    with _server(url) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


@contextmanager
def _server(url):
    """A connection to `url`'s server, outside any database of the tests', outside a transaction (CREATE
    and DROP DATABASE run in none)."""
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            yield connection
    finally:
        server.dispose()


@pytest.fixture(scope="session")
def package_library():
    """The parsed packages every test's app shares, as a server's requests do: each package is parsed once
    per session (parsing the bundled one cost each test ~50 ms of CPU)."""
    return PackageLibrary()


@pytest.fixture
def clean_database(database_url):
    """Every test starts from empty tables (the schema stays, made once by the migrations)."""
    empty(database_url)
    return database_url


@pytest.fixture
def clock():
    return FixedClock(START)


def build_app(database_url, clock, folder, package_library):
    """An app on `database_url` at `clock`, its attachments and transparency log's key and heads in `folder`."""
    files = {"ATTACHMENT_DIR": str(folder / "files")}
    transparency = {"TRANSPARENCY_KEY": folder / "log.key", "TRANSPARENCY_HEADS": folder / "heads.jsonl"}
    config = {"DATABASE_URL": database_url, "CLOCK": clock, "PACKAGE_LIBRARY": package_library, "TESTING": True}
    return create_app({**config, **files, **transparency})


@pytest.fixture
def app(clean_database, clock, tmp_path, package_library):
    app = build_app(clean_database, clock, tmp_path, package_library)
    yield app
    app.extensions["appealflow"].database.dispose()


@pytest.fixture
def runtime(app):
    return app.extensions["appealflow"]


@pytest.fixture(scope="session")
def demo_city(database_url, package_library, tmp_path_factory):
    """The demo city loaded once per session at START (before any test's own fixtures: a session's come
    first), into a database emptied before and after."""
    empty(database_url)
    app = build_app(database_url, FixedClock(START), tmp_path_factory.mktemp("demo_city"), package_library)
    try:
        return DemoCity.load(app.extensions["appealflow"], database_url)
    finally:
        app.extensions["appealflow"].database.dispose()
        empty(database_url)


@pytest.fixture
def tokens(runtime, demo_city, clean_database):
    """The demo city's users: role name -> API token (one user per role, named after it)."""
    return demo_city.copy_into(runtime, clean_database)


@pytest.fixture(scope="session")
def seeds():
    return Seeds()


@pytest.fixture
def november(as_, runtime, clock, seeds, clean_database):
    """The hand-worked November of tests/november.py, with the clock at its end: its appeals' ids by name."""
    return seeds.get("november", lambda: seed_november(as_, runtime, clock), clock, clean_database)


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
