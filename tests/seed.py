"""The database a test starts from: emptied, then filled with rows made through the services once per session.

Loading the demo city through the services (deploying the bundled package, a transaction per unit and per
user) cost each test that signs in ~100 ms of CPU and far more time waiting for SQLite's commits to reach
the disk; the statistics' hand-worked November (tests/november.py), ~1.5 s. Each is made once per session
and its rows are copied back in one transaction (a few ms).
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text

from appeals.adapters import db
from appeals.domain.models import DomainBase
from engine import EngineBase

from .helpers import load_city

#: Every table, each after the tables it refers to (the order to fill them in; emptied in reverse).
TABLES = (*EngineBase.metadata.sorted_tables, *DomainBase.metadata.sorted_tables)


@contextmanager
def behind_the_service(database_url: str):
    """A transaction on the database with its triggers set aside, as only the database's owner can: those
    that keep the history and the log append-only (which refuse DELETE and TRUNCATE on PostgreSQL), that
    queue new events for the log, and that check foreign keys (until the commit, on SQLite)."""
    database = db.connect(database_url)
    try:
        with database.begin() as connection:
            if database.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                yield connection
                return
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            triggers = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
            for name, _ in triggers:
                connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
            yield connection
            for _, sql in triggers:
                connection.exec_driver_sql(sql)
    finally:
        database.dispose()


def empty(database_url: str) -> None:
    """Delete every row of every table (the schema stays): TRUNCATE on PostgreSQL."""
    with behind_the_service(database_url) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(table.name for table in reversed(TABLES))} CASCADE"))
        else:
            for table in reversed(TABLES):
                connection.execute(table.delete())


@dataclass(frozen=True)
class Snapshot:
    """Every row of the database, table by table, as it stood at `at` (by the clock that wrote them)."""

    at: datetime
    rows: tuple[tuple[object, list[dict]], ...]

    @classmethod
    def take(cls, database_url: str, at: datetime) -> "Snapshot":
        with behind_the_service(database_url) as connection:
            rows = ((table, [dict(row) for row in connection.execute(select(table)).mappings()]) for table in TABLES)
            return cls(at=at, rows=tuple((table, found) for table, found in rows if found))

    def copy_into(self, database_url: str) -> None:
        """Put the rows back into the emptied database, as they were (the same ids, the same tokens)."""
        with behind_the_service(database_url) as connection:
            for table, rows in self.rows:
                connection.execute(table.insert(), rows)


@dataclass(frozen=True)
class DemoCity:
    """The demo city as loaded into an empty database: its rows, and its users' tokens by role."""

    snapshot: Snapshot
    tokens: dict[str, str]

    @classmethod
    def load(cls, runtime, database_url: str) -> "DemoCity":
        """Load the city into `runtime`'s empty database, through the services, and keep what it wrote."""
        tokens = load_city(runtime)
        return cls(Snapshot.take(database_url, runtime.clock.now()), tokens)

    def copy_into(self, runtime, database_url: str) -> dict[str, str]:
        """Put the city in `runtime`'s empty database; its users' tokens by role.

        Its rows are copied when the runtime's clock reads the time the city was loaded at, as the tests'
        clocks do when they start; at any other time (the browser tests run on the real clock) the city is
        loaded through the services, so that it is dated then (the users' tokens expire a year later)."""
        if runtime.clock.now() != self.snapshot.at:
            return load_city(runtime)
        self.snapshot.copy_into(database_url)
        return dict(self.tokens)


class Seeds:
    """Data sets that tests share, each made through the services by the first test that asks for it and
    copied into the database of the others, with their clock set to where it stood after the seeding."""

    def __init__(self):
        self._made: dict[str, tuple[object, Snapshot]] = {}

    def get(self, name: str, make: Callable[[], object], clock, database_url: str):
        """What `make()` returns; the database must hold what `make` starts from (the same for every test
        that asks for `name`), and holds afterwards what it left."""
        if name not in self._made:
            made = make()
            self._made[name] = made, Snapshot.take(database_url, clock.now())
            return made
        made, snapshot = self._made[name]
        empty(database_url)
        snapshot.copy_into(database_url)
        clock.set(snapshot.at)
        return made
