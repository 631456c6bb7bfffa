"""Failed authentications, counted in a window against what the guesses aim at, so that guessing is
slowed down without ever refusing a valid credential because someone else failed.

Each failure is counted against every subject it belongs to (`subjects`):

- the secret's prefix (`secret`): the first characters of a presented token, session cookie or set-password
  link. Random guesses spread over all prefixes and cannot hope to hit a 256-bit secret; guesses that share
  a prefix are someone completing a secret they partly know. After MAX_FAILURES such a prefix is refused
  for the rest of the window *before* anything is checked. A valid secret shares its prefix with failures
  only when it has leaked (it should then be replaced anyway).
- a user name at a client address (`password`): guesses at one person's password from one place are
  refused, unchecked, for the rest of the window. The person signs in from anywhere else, with their token,
  or keeps their open session; nobody elsewhere can lock them out.
- the client address (`address`, behind the trusted proxies: docs/deployment.md): many people share one
  (the proxy, a NAT), so an address is never refused before checking. Once it has failed MAX_FAILURES
  times, its further *failures* answer 429 with the window's end instead of 401 (a script that keeps
  failing is told when to come back), while a valid credential from it is accepted as always.

The count is one atomic INSERT ... ON CONFLICT DO UPDATE per subject, so concurrent failures never collide.
"""

from datetime import timedelta

from sqlalchemy import case, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.errors import TooManyAttempts
from ..domain.messages import MESSAGES
from ..domain.models import AuthFailure

MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)
#: How much of a presented secret names its guesses: enough that random guesses never share it.
PREFIX_LENGTH = 8


def secret(kind: str, value: str) -> str:
    """The subject of a presented secret of `kind` ("token", "session", "link"): its first characters."""
    return f"{kind}:{value[:PREFIX_LENGTH]}"


def password(name: str, client: str) -> str:
    """The subject of password guesses at the user `name` from `client`."""
    return f"password:{client}:{name}"


def address(client: str) -> str:
    return f"address:{client}"


def refuse_if_blocked(uow, subject: str, now) -> None:
    """A 429 with `retry_after` while `subject` (a secret's prefix, a name at an address) has failed too
    often in the window: refused before the credential is even looked at."""
    start = uow.session.scalar(
        select(AuthFailure.window_start).where(
            AuthFailure.subject == subject,
            AuthFailure.failures >= MAX_FAILURES,
            AuthFailure.window_start > now - FAILURE_WINDOW,
        )
    )
    if start is not None:
        raise _too_many(start, now)


def refuse(uow, error: Exception, *, subjects: list[str], now) -> Exception:
    """Count one failure against each of `subjects` and commit; the error to raise: a 429 when one of them
    has now failed too often in its window, else `error` (the 401 or 404 the failure deserves)."""
    starts = [_count(uow, subject, now) for subject in subjects]
    uow.commit()
    blocked = [start for start, failures in starts if failures > MAX_FAILURES]
    if blocked:
        return _too_many(min(blocked), now)
    return error


def _count(uow, subject: str, now) -> tuple:
    """One more failure of `subject` (a new window when its last has passed): (window start, failures)."""
    dialect = postgresql if uow.session.get_bind().dialect.name == "postgresql" else sqlite
    lapsed = AuthFailure.window_start <= now - FAILURE_WINDOW
    started = literal(now, AuthFailure.window_start.type)
    statement = (
        dialect.insert(AuthFailure)
        .values(subject=subject, window_start=now, failures=1)
        .on_conflict_do_update(
            index_elements=[AuthFailure.subject],
            set_={
                "window_start": case((lapsed, started), else_=AuthFailure.window_start),
                "failures": case((lapsed, 1), else_=AuthFailure.failures + 1),
            },
        )
        .returning(AuthFailure.window_start, AuthFailure.failures)
    )
    return tuple(uow.session.execute(statement).one())


def _too_many(window_start, now) -> TooManyAttempts:
    retry = int((window_start + FAILURE_WINDOW - now).total_seconds()) + 1
    return TooManyAttempts(MESSAGES.text("too_many_attempts", seconds=retry), fields={"retry_after": retry})
