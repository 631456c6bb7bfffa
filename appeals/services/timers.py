"""The timer service: fire what is due, one instance per transaction, and keep appeals in step."""

import logging
import threading
from datetime import timedelta

from sqlalchemy.exc import OperationalError

from engine import EngineError

from ..domain.errors import described
from . import claims, failures, tree_heads
from .appeals import sync_instance

log = logging.getLogger(__name__)

#: How long a timer whose firing failed waits before it is tried again.
RETRY_AFTER = timedelta(hours=1)


def fire_due(runtime, *, clock=None, failed: list | None = None) -> int:
    """Fire every timer due by `clock` (the runtime's by default), then send the claims' reminders that
    are due (claims.py); returns how many fired and were sent.

    Each instance is fired in its own transaction, so one failing process does not hold up the rest:
    it is logged, recorded as its `process_error`, and put back for a later sweep; `failed`, if given,
    gets (instance id, message) for each, the message a Text where it has one, for its reader to word. Any
    number of these sweeps may run at once. A failure that is no instance's (the database unreachable when
    the next instance is claimed, or when the claims' reminders are read or sent) ends the sweep: it is
    raised to the caller, there being nothing to pass over.
    """
    fired, passed_over = 0, set()
    while True:
        instance_id = None
        try:
            with failures.recorded(runtime, actor=None, retry_after=RETRY_AFTER), runtime.uow(clock) as uow:
                instance_id = uow.engine.claim_due_instance(skip=passed_over)
                if instance_id is None:
                    due_claims = claims.due_reminders(uow)  # in the same transaction: most sweeps find nothing
                    uow.end_read()
                    return fired + claims.send_reminders(runtime, due_claims, clock=clock)
                view = _fire(uow, instance_id)
                uow.commit()
        except (EngineError, OperationalError) as error:  # a process failure, or a lost race with a writer
            if instance_id is None:
                raise
            # its message may quote the process's data: the history records it, the log names the error
            log.warning("timers of instance %s not fired: %s", instance_id, described(error))
            if failed is not None and isinstance(error, EngineError):
                failed.append((instance_id, error.text or error.message))
            passed_over.add(instance_id)
            continue
        fired += len(view.fired)
        if not view.fired:  # due by the table but not by the process: do not spin on it
            passed_over.add(instance_id)


def _fire(uow, instance_id: int):
    """Fire the instance's due timers and keep its appeal, if it is one's, in step (as a completion does)."""
    view = uow.engine.fire_due_timers(instance_id)
    sync_instance(uow, view)
    return view


def run_forever(runtime, *, interval: float, stop: threading.Event | None = None) -> None:
    """Sweep every `interval` seconds until `stop` is set; a failed sweep is logged and retried. Every so
    many sweeps it also publishes a signed head of the transparency log and, less often, rebuilds the whole
    log from the history to check it (`tree_heads.tend`); an interval of 0 leaves either to the CLI."""
    stop = stop or threading.Event()
    publish, check = (max(1, round(every / interval)) if every > 0 else 0 for every in runtime.transparency.intervals())
    sweeps = 0
    while not stop.is_set():
        try:
            fire_due(runtime)
        except Exception:  # a lost database connection must not end the worker
            log.exception("timer sweep failed")
        sweeps += 1
        tree_heads.tend(
            runtime, publish=bool(publish) and sweeps % publish == 0, check=bool(check) and sweeps % check == 0
        )
        stop.wait(interval)
