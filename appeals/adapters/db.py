"""Database connections and schema migrations (alembic, in `migrations/`)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.orm import sessionmaker

from engine import jsondata

from .sqlite_writers import WriterTurns

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SQLITE_READ_ONLY = "appealflow_read_only"  # an execution option of ours, read when a transaction begins
JSON_CODEC = {"json_serializer": jsondata.dumps, "json_deserializer": jsondata.loads}
#: Every database's: an error's text (and SQLAlchemy's own log) then shows a statement without the values it
#: was run with, which are citizens' names and phones (docs/deployment.md, "What the logs hold").
PRIVATE = {"hide_parameters": True}
#: The oldest SQLite that has RETURNING, which the engine's writes of work items use.
OLDEST_SQLITE = (3, 35, 0)
#: A PostgreSQL database's pool. No pre-ping (a round trip per checkout): connections are recycled instead,
#: and a request that meets a connection the server dropped fails once and is retried by its client.
POOL = {"pool_size": 10, "max_overflow": 10, "pool_recycle": 1800}


def connect(url: str):
    """An SQLAlchemy engine for `url`, with JSON columns written and read by `engine.jsondata`; on SQLite,
    write transactions are serialized (BEGIN IMMEDIATE) and read-only ones (see `reading`) are not.

    SQLite allows one writer. A transaction that reads and then writes would otherwise fail with
    "database is locked" when another writer got there first; taking the write lock at BEGIN makes the
    second request wait its turn and then see the first one's result (a clean 409, not an error). The
    writers of a database file queue for that turn in the kernel (sqlite_writers.py), not in SQLite's
    sleep-and-retry busy handler.

    On PostgreSQL a connection is read-only by default and its transactions begin READ WRITE (READ ONLY
    in `reading`): statements outside any transaction, which are reads (`reading_by_statement`), are then
    refused a write by the server. READ WRITE is said once on each new connection, not by an option engine
    for the writes: SQLAlchemy dispatches an option engine's events around every statement, which cost 1.9 %
    more instructions per closed-loop appeal (measured).
    """
    if url.startswith("sqlite"):
        database = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **JSON_CODEC, **PRIVATE)
        found = database.dialect.dbapi.sqlite_version_info
        if found < OLDEST_SQLITE:
            raise RuntimeError(
                f"SQLite {'.'.join(map(str, found))} is too old: Appealflow needs SQLite "
                f"{'.'.join(map(str, OLDEST_SQLITE))} or newer (for RETURNING), or PostgreSQL"
            )
        path = database.url.database
        turns = WriterTurns(database, path) if path and path != ":memory:" else None

        @event.listens_for(database, "connect")
        def _configure(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(database, "begin")
        def _begin(connection):
            read_only = connection.get_execution_options().get(SQLITE_READ_ONLY, False)
            if turns is not None and not read_only:
                turns.take(connection)
            connection.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")
            connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return database
    database = create_engine(
        url, connect_args={"options": "-c default_transaction_read_only=on"}, **POOL, **JSON_CODEC, **PRIVATE
    )

    @event.listens_for(database, "connect")
    def _transactions_write(dbapi_connection, _record):
        dbapi_connection.read_only = False  # psycopg begins each transaction READ WRITE, unless `reading`

    return database


def session_factory(database) -> sessionmaker:
    return sessionmaker(database, expire_on_commit=False)


def reading(database):
    """The same database (and connection pool) whose transactions may only read: BEGIN READ ONLY on
    PostgreSQL; on SQLite a deferred BEGIN, which takes no write lock (so a read does not queue behind
    the writers), under PRAGMA query_only. A write in such a transaction is refused by the database."""
    if database.dialect.name == "sqlite":
        return database.execution_options(**{SQLITE_READ_ONLY: True})
    return database.execution_options(postgresql_readonly=True)


def reading_by_statement(database):
    """The same database, for reads that need no snapshot in common: each statement is a read-only
    transaction of its own, with no BEGIN and no COMMIT around it.

    On PostgreSQL those two are round trips of their own, so a task list (one query) took three; measured
    alone, a one-query read cost the client 345 us of CPU and the server 135 us in a transaction, 175 and
    60 us without one. It puts the pooled connection it takes in autocommit, where the server's default
    makes every statement read-only (see `connect`), so a write is refused as in `reading`. On SQLite,
    which has no round trips to save, it is `reading(database)`.
    """
    if database.dialect.name == "sqlite":
        return reading(database)
    return database.execution_options(isolation_level="AUTOCOMMIT")


def upgrade(url: str, *, owner_url: str | None = None) -> None:
    """Bring the schema at `url` to the newest migration: as the schema's owner at `owner_url` when one is
    given, who then grants the service's role (`url`'s user) what it needs (`grant`)."""
    command.upgrade(migrations(owner_url or url), "head")
    if owner_url and owner_url != url:
        grant(owner_url, make_url(url).username)


#: What the service's role may do on PostgreSQL: read and write rows, never rewrite the history or the
#: transparency log, never touch the schema's version. It owns no table, so it can neither alter the
#: schema nor disable a trigger, and it is granted no TRUNCATE.
GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "REVOKE UPDATE, DELETE, TRUNCATE ON history_event, transparency_leaf, transparency_node FROM {role}",
    "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
)


def grant(owner_url: str, role: str) -> None:
    """Give the service's `role` its rights on every table, as the owner at `owner_url` (after each
    migration, so that new tables are covered); nothing to do on SQLite, which has no roles."""
    database = create_engine(owner_url, **PRIVATE)
    try:
        if database.dialect.name != "postgresql":
            return
        quoted = database.dialect.identifier_preparer.quote(role)
        with database.begin() as connection:
            for statement in GRANTS:
                connection.exec_driver_sql(statement.format(role=quoted))
    finally:
        database.dispose()


def migrations(url: str) -> Config:
    """Alembic's configuration of this project's migrations over the database at `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config
