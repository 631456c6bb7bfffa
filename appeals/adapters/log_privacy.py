"""Nothing personal and nothing secret in a log line (issue 26): what is taken out of every log record.

Logs are kept longer, copied further and read by more people than the database, and no role decides who
reads them; yet by default they carried an Open311 client's `api_key` (in the request line of werkzeug's and
gunicorn's access logs), set-password links (in their path, and in the referer of the page's own requests),
and citizens' names and phones (in SQLAlchemy's error text and in its DEBUG log of rows).

One hook does it, the log record factory: every record of every logger passes through it when it is made,
so werkzeug's request log (`python app.py`), gunicorn's access and error logs, Flask's, SQLAlchemy's and
ours are covered alike, whatever handlers and formats an operator configures, and so is a logger that a
library adds later (a filter on each logger would have to name them all). In each record:

- the value of a query parameter named like a credential (`SECRET_PARAMETERS`, percent-encoded or not) and
  the token of a `/set-password/<token>` path become `[redacted]`, wherever they stand in the line;
- a traceback keeps its frames and each exception's type and codes (SQLSTATE, our error codes) but not its
  message: a database error's message can hold the row it refused (PostgreSQL's "Failing row contains"), a
  script's error the process data it choked on (`invalid literal for int(): '1381234...'`);
- SQLAlchemy's rows (its DEBUG log) keep no values.

SQL parameters are kept out where they are made: every engine is created with `hide_parameters=True`
(appeals/adapters/db.py). SpiffWorkflow attaches a task's data to its records as `extra` after the factory ran, so a
filter on its `spiff.task` logger drops that. Log calls of our own name an error by `described`, never by
its message.
"""

import logging
import re
import traceback
from urllib.parse import unquote_plus

from ..domain.errors import described

REDACTED = "[redacted]"
#: Query parameters whose values are credentials, compared after percent-decoding and in lower case.
SECRET_PARAMETERS = frozenset(
    {"api_key", "apikey", "key", "token", "access_token", "refresh_token", "id_token", "password", "secret"}
)
_PARAMETER = re.compile(r"(?P<head>[?&;](?P<name>[^=&;?#\s\"'<>]+)=)[^&;#\s\"'<>]*")
_PASSWORD_LINK = re.compile(r"/set-password/[^/?#\s\"'<>]+")


def install() -> None:
    """Make every log record of this process pass through `_private` (once: each app created calls this)."""
    made = logging.getLogRecordFactory()
    if getattr(made, "keeps_logs_private", False):
        return

    def private_record(*args, **kwargs):
        return _private(made(*args, **kwargs))

    private_record.keeps_logs_private = True
    logging.setLogRecordFactory(private_record)
    spiff = logging.getLogger("spiff.task")
    if not any(isinstance(each, _WithoutTaskData) for each in spiff.filters):
        spiff.addFilter(_WithoutTaskData())


def redacted(text: str) -> str:
    """`text` with the credentials in its URLs' query strings and set-password paths replaced."""
    if "/set-password/" in text:
        text = _PASSWORD_LINK.sub(f"/set-password/{REDACTED}", text)
    return _PARAMETER.sub(_redacted_parameter, text) if "=" in text else text


def _redacted_parameter(found: re.Match) -> str:
    if unquote_plus(found["name"]).lower() not in SECRET_PARAMETERS:
        return found[0]
    return f"{found['head']}{REDACTED}"


def _private(record: logging.LogRecord) -> logging.LogRecord:
    if record.name.startswith("sqlalchemy.engine") and record.msg == "Row %r":
        record.msg, record.args = "Row [not logged: rows hold personal data]", None
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: its handler reports it, as without this hook
        return record
    private = redacted(message)
    if private != message:
        record.msg, record.args = private, None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text, record.exc_info = _traceback(record.exc_info[1]), None
    return record


def _traceback(error: BaseException) -> str:
    """The traceback Python would print, each exception in its chain named by `described`."""
    chain = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    parts = []
    for each in reversed(chain):
        if parts:
            parts.append("\n\nThe above exception led to the following one:\n\n")
        parts += ["Traceback (most recent call last):\n", *traceback.format_tb(each.__traceback__), described(each)]
    return "".join(parts)


class _WithoutTaskData(logging.Filter):
    """SpiffWorkflow's task records carry the task's data (`extra={"data": ...}`): not in a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "data", None) is not None:
            record.data = None
        return True
