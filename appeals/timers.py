"""The timer service: fire what is due, one instance per transaction, and keep appeals in step."""

import logging
import threading

from sqlalchemy import select

from engine import EngineError

from .appeals import sync
from .models import Appeal

log = logging.getLogger(__name__)


def fire_due(runtime, *, clock=None, batch: int = 200) -> int:
    """Fire every timer due by `clock` (the runtime's by default); returns how many fired.

    Each instance is fired in its own transaction, so one failing process does not hold up the rest;
    it is logged and left due for the next sweep.
    """
    fired, failed = 0, set()
    while True:
        with runtime.uow(clock) as uow:
            due = [i for i in uow.engine.due_instances(limit=batch + len(failed)) if i not in failed]
        if not due:
            return fired
        for instance_id in due:
            try:
                fired += _fire_instance(runtime, clock, instance_id)
            except EngineError as error:
                failed.add(instance_id)
                log.warning("timers of instance %s failed: %s", instance_id, error.message)


def _fire_instance(runtime, clock, instance_id) -> int:
    with runtime.uow(clock) as uow:
        view = uow.engine.fire_due_timers(instance_id)
        appeal = uow.session.scalar(select(Appeal).where(Appeal.instance_id == instance_id))
        if appeal is not None:
            sync(appeal, view, uow=uow)
        uow.commit()
        return len(view.fired)


def run_forever(runtime, *, interval: float, stop: threading.Event | None = None) -> None:
    """Sweep every `interval` seconds until `stop` is set; a failed sweep is logged and retried."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            fire_due(runtime)
        except Exception:  # a lost database connection must not end the worker
            log.exception("timer sweep failed")
        stop.wait(interval)
