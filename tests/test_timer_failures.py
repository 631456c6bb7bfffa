"""A timer whose firing fails holds up no other: the sweep records the failure, puts that instance's due
timers back by RETRY_AFTER and goes on with the rest (appeals/services/timers.py)."""

import io
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from appeals.services.timers import RETRY_AFTER, fire_due
from engine import DueTimer, Engine, HistoryEvent, Instance

MODEL = Path(__file__).resolve().parent / "models" / "timer_then_script.bpmn"


def _start(runtime, divisor: int) -> int:
    with runtime.uow() as uow:
        view = uow.engine.start("timer_then_script", {"divisor": divisor}, actor="t")
        uow.commit()
    return view.id


def _read(runtime, instance_id):
    """(status, event types, due times of its timers) of an instance."""
    with runtime.uow() as uow:
        status = uow.session.get(Instance, instance_id).status
        events = uow.session.scalars(
            select(HistoryEvent.type).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.seq)
        ).all()
        dues = uow.session.scalars(select(DueTimer.due_at).where(DueTimer.instance_id == instance_id)).all()
    return status, events, dues


def test_a_failing_firing_is_recorded_and_put_back_while_the_others_fire(runtime, clock):
    with runtime.uow() as uow:
        uow.engine.deploy({MODEL.name: MODEL.read_bytes()}, actor="t")
        uow.commit()
    failing = _start(runtime, 0)  # due first, so the sweep meets it first and must pass over it
    clock.advance(minutes=1)
    others = [_start(runtime, 1), _start(runtime, 1)]

    clock.advance(hours=1)
    assert fire_due(runtime) == 2
    assert [_read(runtime, other)[0] for other in others] == ["completed", "completed"]
    status, events, dues = _read(runtime, failing)
    assert status == "running" and events == ["instance_started", "process_error"]
    assert dues == [clock.now() + RETRY_AFTER]

    clock.set(clock.now() + RETRY_AFTER - timedelta(minutes=1))
    assert fire_due(runtime) == 0 and _read(runtime, failing)[1] == ["instance_started", "process_error"]
    clock.advance(minutes=1)
    assert fire_due(runtime) == 0  # tried again, and failed again
    assert _read(runtime, failing)[1] == ["instance_started", "process_error", "process_error"]


def test_a_trial_instance_shows_why_its_timer_failed_and_when_it_is_tried_again(as_, runtime, clock):
    files = [(io.BytesIO(MODEL.read_bytes()), MODEL.name)]
    designer = as_("designer")
    assert designer.post(
        "/api/v1/processes", data={"files": files}, content_type="multipart/form-data"
    ).status_code in (
        200,
        201,
    )
    started = designer.post("/api/v1/processes/timer_then_script/instances", json={"data": {"divisor": 0}}).json
    assert designer.get(f"/api/v1/instances/{started['id']}").json["timer_failure"] is None

    clock.advance(hours=1, seconds=1)
    failed_at = clock.now()
    fire_due(runtime)
    failure = designer.get(f"/api/v1/instances/{started['id']}").json["timer_failure"]
    assert "division by zero" in failure["message"] and failure["step"]
    assert datetime.fromisoformat(failure["failed_at"]) == failed_at
    assert datetime.fromisoformat(failure["retry_at"]) == failed_at + RETRY_AFTER


def test_a_sweep_that_fails_before_claiming_an_instance_is_reported_by_timers_run_once(app, monkeypatch):
    """The database lost while the sweep claims its next instance: no instance to pass over, so the sweep
    ends, and `timers run --once` says why and exits 1 (it used to die on the unset instance id)."""

    def unreachable(self, *, skip=frozenset()):
        raise OperationalError("SELECT due_timer ...", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(Engine, "claim_due_instance", unreachable)
    result = app.test_cli_runner().invoke(args=["timers", "run", "--once"])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == "Error: 计时扫描失败：server closed the connection"
