"""The unit of work: one transaction per service call, rolled back unless the service commits."""

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine as Database
from sqlalchemy.orm import sessionmaker

from engine import Engine, LiveWorkflows, PackageLibrary

from ..services.users import TokenCache
from . import db
from .filestore import FileStore


@dataclass
class Runtime:
    """What every unit of work is made from; built once by the app factory (or a CLI command).

    The sessions of units of work that write, that read in one snapshot and that read statement by
    statement are made on `database` (`db.connect`) and share its pool of connections.
    """

    database: Database
    clock: object
    library: PackageLibrary
    zone: str
    files: FileStore | None = None  # attachments' bytes (appeals/services/attachments.py)
    tokens: TokenCache = field(default_factory=TokenCache)
    transparency: object = None  # tree_heads.Transparency: the log's signing key and head file
    live: LiveWorkflows = field(default_factory=LiveWorkflows)  # workflows kept alive (engine/live.py)
    session_factory: sessionmaker = field(init=False)
    read_only_session_factory: sessionmaker = field(init=False)
    statement_read_session_factory: sessionmaker = field(init=False)

    def __post_init__(self):
        self.session_factory = db.session_factory(self.database)
        self.read_only_session_factory = db.session_factory(db.reading(self.database))
        self.statement_read_session_factory = db.session_factory(db.reading_by_statement(self.database))

    def uow(self, clock=None) -> "UnitOfWork":
        return UnitOfWork(self, clock=clock or self.clock)


class UnitOfWork:
    """`with uow:` opens a session and a workflow engine on it; leaving without `commit()` rolls back.

    `with uow.reading():` is for a service that only reads: the database refuses any write in it, and a
    read that ends well ends with COMMIT (there is nothing to commit). A ROLLBACK would do the same to the
    data, but psycopg must then assume the schema may have changed and drops the connection's prepared
    statements, so every read would have its queries parsed and planned again: that was half of
    PostgreSQL's CPU per closed-loop appeal (measured; the appeal's task lists are reads).

    `with uow.reading(snapshot=False):` is for a service whose reads need no snapshot in common (one
    query, or queries of rows that do not change together): each statement is then a read-only
    transaction of its own, with no BEGIN and COMMIT round trips on PostgreSQL (`db.reading_by_statement`).
    """

    def __init__(self, runtime: Runtime, *, clock):
        self.runtime = runtime
        self.clock = clock
        self.read_only = False
        self.sessions = runtime.session_factory

    def reading(self, *, snapshot: bool = True) -> "UnitOfWork":
        """This unit of work, made read-only; with `snapshot=False`, its statements not in one transaction."""
        self.read_only = True
        self.sessions = (
            self.runtime.read_only_session_factory if snapshot else self.runtime.statement_read_session_factory
        )
        return self

    def __enter__(self):
        self.session = self.sessions()
        self.engine = Engine(
            self.session, clock=self.clock, library=self.runtime.library, live=self.runtime.live, zone=self.runtime.zone
        )
        return self

    def __exit__(self, exc_type, *exc_info):
        try:
            if self.read_only and exc_type is None:
                self.session.commit()
        finally:
            self.session.rollback()
            self.session.close()

    def end_read(self) -> None:
        """End a unit of work that wrote nothing with COMMIT: leaving it would ROLLBACK, which drops the
        connection's prepared statements (see the class docstring)."""
        self.commit()

    def commit(self):
        """Write what the engine did (its instances' rows first, engine/store.py), then the session's own
        rows, and commit; only then may the engine keep the workflows it wrote alive."""
        self.engine.write()
        self.session.commit()
        self.engine.committed()
