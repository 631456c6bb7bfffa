"""One place that turns the service layer's refusals into the contract's HTTP errors."""

import logging

from appeals.errors import Forbidden, TooManyAttempts, Unauthorized
from engine import Conflict, EngineError, InvalidData, InvalidPackage, NotFound, ProcessError

log = logging.getLogger(__name__)

STATUS = {
    TooManyAttempts: 429,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    InvalidData: 422,
    InvalidPackage: 422,
    ProcessError: 422,
}


def handle_engine_error(error: EngineError):
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    body = {"code": error.code, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    if error.details:
        body["details"] = error.details
    if status == 401:
        return {"error": body}, status, {"WWW-Authenticate": "Bearer"}
    if status == 429:
        return {"error": body}, status, {"Retry-After": str(error.fields["retry_after"])}
    return {"error": body}, status


def register(app) -> None:
    app.register_error_handler(EngineError, handle_engine_error)
