"""SQLite's writers take turns through a file lock, so that a waiting writer starts the moment the one
before it ends.

SQLite has one write lock per database. A transaction that finds it taken does not wait to be woken:
sqlite3's busy handler sleeps and retries, with sleeps that grow to 100 ms, so under load a writer
often sleeps on long after the lock came free (measured over HTTP with three gunicorn workers, six
runs each: a task completion's p99 was 387-695 ms, and 112-185 ms with this lock). An flock(2) on a
file beside the database makes writers wait in the kernel instead, which wakes the next one as soon as
the lock is released, whatever process it is in, and releases the lock of a process that dies.
SQLite's own lock is then taken (BEGIN IMMEDIATE) without a wait; its busy handler is left for
programs that do not take this lock, such as the sqlite3 shell.
"""

import fcntl
import os
import threading

from sqlalchemy import event

_FILE, _HELD = "appealflow_writers_file", "appealflow_writers_held"


class WriterTurns:
    """The writers' lock of one database file, for the connections of one SQLAlchemy engine.

    A turn is taken by `take(connection)` before a write transaction's BEGIN and is held until the
    connection goes back to the pool, that is just after the transaction's COMMIT or ROLLBACK. Each
    pooled connection has its own open lock file, so threads of one process take turns as processes do.
    """

    def __init__(self, database, database_path: str):
        self.path = database_path + ".writers"
        self._holders: set[int] = set()  # the threads that hold a turn (on one connection each)
        event.listen(database, "connect", self._open)
        event.listen(database, "checkin", self._release)
        event.listen(database, "close", self._close)

    def take(self, connection) -> None:
        """Wait for this connection's turn to write (no wait when it has it already)."""
        info = connection.connection.info
        if _HELD in info:
            return
        thread = threading.get_ident()
        if thread in self._holders:
            # the turn this thread holds on another connection would never come free: fail, do not hang
            raise RuntimeError("this thread already has a write transaction open on another connection")
        fcntl.flock(info[_FILE], fcntl.LOCK_EX)
        info[_HELD] = thread
        self._holders.add(thread)

    def _open(self, _dbapi_connection, record) -> None:
        record.info[_FILE] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def _release(self, _dbapi_connection, record) -> None:
        thread = record.info.pop(_HELD, None)
        if thread is not None:
            fcntl.flock(record.info[_FILE], fcntl.LOCK_UN)
            self._holders.discard(thread)

    def _close(self, dbapi_connection, record) -> None:
        self._release(dbapi_connection, record)
        if _FILE in record.info:
            os.close(record.info.pop(_FILE))
