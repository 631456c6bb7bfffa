"""One place that turns the service layer's refusals into the contract's HTTP errors."""

import logging

from sqlalchemy.exc import DBAPIError

from appeals.domain.messages import MESSAGES
from engine import EngineError, worded_items, worded_values

from .language import worded

log = logging.getLogger(__name__)


def handle_engine_error(error: EngineError):
    """A refusal of the engine or the domain, with the HTTP status its class carries."""
    status = error.status
    body = {"code": error.code, "message": worded(error.text) if error.text else error.message}
    if error.fields:
        body["fields"] = worded_values(error.fields, worded)
    if error.details:
        body["details"] = worded_items(error.details, worded)
    body.update(error.facts)
    if status == 401:
        return {"error": body}, status, {"WWW-Authenticate": "Bearer"}
    if status == 429:
        return {"error": body}, status, {"Retry-After": str(error.fields["retry_after"])}
    return {"error": body}, status


#: Database errors that mean "someone else wrote at the same time": deadlock, serialization failure, lock.
CONCURRENT_WRITE = {"40P01", "40001", "55P03"}


def handle_database_error(error: DBAPIError):
    """A write that lost a race in the database itself is a 409 like any other; anything else is a 500,
    logged by its traceback and SQLSTATE, never its message or parameters (appeals/adapters/log_privacy.py)."""
    if getattr(error.orig, "sqlstate", None) in CONCURRENT_WRITE:
        log.info("concurrent write refused: %s", error.orig.__class__.__name__)
        return {"error": {"code": "conflict", "message": worded(MESSAGES.text("concurrent_write"))}}, 409
    log.exception("database error")
    return {"error": {"code": "internal", "message": worded(MESSAGES.text("internal"))}}, 500


def register(app) -> None:
    app.register_error_handler(EngineError, handle_engine_error)
    app.register_error_handler(DBAPIError, handle_database_error)
