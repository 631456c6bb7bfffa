"""Liveness and readiness probes for load balancers and process managers: outside /api/v1, no token.

`/health` answers while the process can serve HTTP at all and touches nothing else, so a database outage
does not get every worker restarted. `/ready` says whether this process should be sent traffic: the
database answers, its schema is at the newest migration, and the appeal processes are deployed. It also
warns, still ready, when an official calendar schedule that is due has not been loaded (limits in that
year are provisional until it is).
"""

from functools import cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from appeals.adapters.db import MIGRATIONS
from appeals.domain.vocabulary import APPEAL_PROCESSES
from appeals.services import calendar
from engine import ProcessVersion

blp = Blueprint("health", __name__)


@blp.get("/health")
def health():
    """The process is alive (no database access)."""
    return {"status": "ok"}


@blp.get("/ready")
def ready():
    """Whether this process can serve requests: database, migrations and processes, each checked."""
    checks = _checks()
    healthy = all(check["ok"] for check in checks.values())
    warnings = [check["warning"] for check in checks.values() if check.get("warning")]
    body = {"status": "ready" if healthy else "unavailable", "checks": checks}
    return {**body, **({"warnings": warnings} if warnings else {})}, 200 if healthy else 503


def _checks() -> dict:
    database = current_app.extensions["appealflow"].database
    try:
        with database.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            migrations = {"ok": current == _head(), "current": current, "head": _head()}
            if not migrations["ok"]:  # the tables read next may not exist yet
                return {"database": {"ok": True}, "migrations": migrations, "processes": _unknown("schema not at head")}
            query = select(ProcessVersion.process_id).where(ProcessVersion.process_id.in_(APPEAL_PROCESSES))
            missing = sorted(set(APPEAL_PROCESSES) - set(connection.scalars(query)))
    except SQLAlchemyError as error:
        reason = f"not reachable: {error.__class__.__name__}"
        return {"database": {"ok": False, "detail": reason}, "migrations": _unknown(), "processes": _unknown()}
    return {
        "database": {"ok": True},
        "migrations": migrations,
        "processes": {"ok": not missing, **({"missing": missing} if missing else {})},
        "calendar": _calendar(),
    }


def _calendar() -> dict:
    """A warning, never a failure: a year without its official schedule is reckoned provisionally."""
    try:
        years = calendar.missing_years(current_app.extensions["appealflow"].uow())
    except SQLAlchemyError as error:
        return {"ok": True, "detail": f"not checked: {error.__class__.__name__}"}
    return {"ok": True, **({"missing": years, "warning": calendar.missing_warning(years)} if years else {})}


def _unknown(detail: str = "database not reachable") -> dict:
    return {"ok": False, "detail": detail}


@cache
def _head() -> str:
    """The newest migration in migrations/ (read once: the code does not change under a running process)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()
