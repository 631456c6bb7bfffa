"""When a process fails at run time: the change is rolled back and the failure recorded in its own
transaction, so the appeal shows what went wrong and stays as it was, usable."""

from contextlib import contextmanager

from engine import ProcessError


@contextmanager
def recorded(runtime, *, actor: str | None, retry_after=None):
    """Around a unit of work: a ProcessError that leaves it is recorded as a `process_error` event.

    Used outside `with uow:`, so the failed transaction is already rolled back (on SQLite it would
    otherwise still hold the write lock). `retry_after` postpones the instance's due timers (see
    Engine.record_failure) so that a failing timer does not fail again on every sweep.
    """
    try:
        yield
    except ProcessError as error:
        if error.instance_id is not None:
            with runtime.uow() as uow:
                uow.engine.record_failure(error, actor=actor, retry_after=retry_after)
                uow.commit()
        raise
