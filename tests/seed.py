"""The database a test starts from: emptied, and with the demo city copied back in when it signs in.

Loading the demo city through the services (deploying the bundled package, a transaction per unit and per
user) cost each test that signs in ~100 ms of CPU and far more time waiting for SQLite's commits to reach
the disk; it is loaded once per session and its rows are copied back in one transaction (~5 ms).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import create_engine, select, text

from appeals.db import JSON_CODEC
from appeals.models import DomainBase
from engine import EngineBase

from .helpers import load_city

#: Every table, each after the tables it refers to (the order to fill them in; emptied in reverse).
TABLES = (*EngineBase.metadata.sorted_tables, *DomainBase.metadata.sorted_tables)


@contextmanager
def behind_the_service(database_url: str):
    """A transaction on the database with its triggers set aside on PostgreSQL, as only a superuser can:
    those that keep the history and the log append-only (which refuse DELETE and TRUNCATE) and those that
    check foreign keys. SQLite checks no foreign key on such a plain connection."""
    engine = create_engine(database_url, **JSON_CODEC)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL session_replication_role = replica"))
            yield connection
    finally:
        engine.dispose()


def empty(database_url: str) -> None:
    """Delete every row of every table (the schema stays): TRUNCATE on PostgreSQL."""
    with behind_the_service(database_url) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(table.name for table in reversed(TABLES))} CASCADE"))
        else:
            for table in reversed(TABLES):
                connection.execute(table.delete())


@dataclass(frozen=True)
class DemoCity:
    """The demo city as loaded at `at`: the rows it wrote, table by table, and its users' tokens by role."""

    at: datetime
    rows: tuple[tuple[object, list[dict]], ...]
    tokens: dict[str, str]

    @classmethod
    def load(cls, runtime, database_url: str) -> "DemoCity":
        """Load the city into `runtime`'s empty database, through the services, and keep what it wrote."""
        at, tokens = runtime.clock.now(), load_city(runtime)
        with behind_the_service(database_url) as connection:
            rows = tuple(
                (table, [dict(row) for row in connection.execute(select(table)).mappings()]) for table in TABLES
            )
        return cls(at=at, rows=tuple((table, found) for table, found in rows if found), tokens=tokens)

    def copy_into(self, runtime, database_url: str) -> dict[str, str]:
        """Put the city in `runtime`'s empty database; its users' tokens by role.

        Its rows are copied when the runtime's clock reads the time the city was loaded at, as the tests'
        clocks do when they start; at any other time (the browser tests run on the real clock) the city is
        loaded through the services, so that it is dated then (the users' tokens expire a year later)."""
        if runtime.clock.now() != self.at:
            return load_city(runtime)
        with behind_the_service(database_url) as connection:
            for table, rows in self.rows:
                connection.execute(table.insert(), rows)
        return dict(self.tokens)
