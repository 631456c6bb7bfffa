"""Failed authentications counted per client address in a window: after MAX_FAILURES the client is
refused for the rest of the window before its token or password is even checked, so that guessing
either is slowed to a few tries per window."""

from datetime import timedelta

from .errors import TooManyAttempts
from .messages import MESSAGES
from .models import AuthFailure

MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)


def refuse_if_blocked(uow, client: str, now) -> AuthFailure | None:
    """The client's failure record; a 429 with `retry_after` while it has failed too often."""
    failure = uow.session.get(AuthFailure, client)
    if failure is not None and failure.failures >= MAX_FAILURES and now < failure.window_start + FAILURE_WINDOW:
        retry = int((failure.window_start + FAILURE_WINDOW - now).total_seconds()) + 1
        raise TooManyAttempts(MESSAGES.text("too_many_attempts", seconds=retry), fields={"retry_after": retry})
    return failure


def count_failure(uow, failure: AuthFailure | None, client: str, now) -> None:
    """Count one more failure for the client and commit it (the caller then refuses the request)."""
    if failure is None:
        uow.session.add(AuthFailure(client=client, window_start=now, failures=1))
    elif now >= failure.window_start + FAILURE_WINDOW:
        failure.window_start, failure.failures = now, 1
    else:
        failure.failures += 1
    uow.commit()
