"""The unit of work: one transaction per service call, rolled back unless the service commits."""

from dataclasses import dataclass, field

from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine import Conflict, Engine, PackageLibrary

from .users import TokenCache


@dataclass
class Runtime:
    """What every unit of work is made from; built once by the app factory (or a CLI command)."""

    session_factory: sessionmaker
    read_only_session_factory: sessionmaker
    clock: object
    library: PackageLibrary
    zone: str = "Asia/Shanghai"
    tokens: TokenCache = field(default_factory=TokenCache)

    def uow(self, clock=None) -> "UnitOfWork":
        return UnitOfWork(self, clock=clock or self.clock)


class UnitOfWork:
    """`with uow:` opens a session and a workflow engine on it; leaving without `commit()` rolls back.

    `with uow.reading():` is for a service that only reads: the database refuses any write in it, and a
    read that ends well ends with COMMIT (there is nothing to commit). A ROLLBACK would do the same to the
    data, but psycopg must then assume the schema may have changed and drops the connection's prepared
    statements, so every read would have its queries parsed and planned again: that was half of
    PostgreSQL's CPU per closed-loop appeal (measured; the appeal's task lists are reads).
    """

    def __init__(self, runtime: Runtime, *, clock):
        self.runtime = runtime
        self.clock = clock
        self.read_only = False

    def reading(self) -> "UnitOfWork":
        """This unit of work, made read-only."""
        self.read_only = True
        return self

    def __enter__(self):
        sessions = self.runtime.read_only_session_factory if self.read_only else self.runtime.session_factory
        self.session = sessions()
        self.engine = Engine(self.session, clock=self.clock, library=self.runtime.library, zone=self.runtime.zone)
        return self

    def __exit__(self, exc_type, *exc_info):
        try:
            if self.read_only and exc_type is None:
                self.session.commit()
        finally:
            self.session.rollback()
            self.session.close()

    def commit(self):
        try:
            self.session.commit()
        except StaleDataError as error:
            raise Conflict("the record was changed by someone else at the same time: reload and try again") from error
