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
    clock: object
    library: PackageLibrary
    zone: str = "Asia/Shanghai"
    tokens: TokenCache = field(default_factory=TokenCache)

    def uow(self, clock=None) -> "UnitOfWork":
        return UnitOfWork(self, clock=clock or self.clock)


class UnitOfWork:
    """`with uow:` opens a session and a workflow engine on it; leaving without `commit()` rolls back."""

    def __init__(self, runtime: Runtime, *, clock):
        self.runtime = runtime
        self.clock = clock

    def __enter__(self):
        self.session = self.runtime.session_factory()
        self.engine = Engine(self.session, clock=self.clock, library=self.runtime.library, zone=self.runtime.zone)
        return self

    def __exit__(self, *exc_info):
        self.session.rollback()
        self.session.close()

    def commit(self):
        try:
            self.session.commit()
        except StaleDataError as error:
            raise Conflict("the record was changed by someone else at the same time: reload and try again") from error
