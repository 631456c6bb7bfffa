"""One operation runs a bounded number of steps, for a bounded time, in a bounded nesting of calls and
depth of loops (engine/bounds.py): past any of them the operation stops with an error naming the bound
and the step, never hangs and never reports a cut-off loop as completed."""

import inspect
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator as TaskIterator
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine import FixedClock, WorkingCalendar, bounds, operations, state
from engine.bounds import BoundExceeded
from engine.sandbox import SandboxedScriptEngine

MODELS = Path(__file__).resolve().parents[1] / "models"
SCRIPTS = SandboxedScriptEngine(
    FixedClock(datetime(2026, 1, 5, tzinfo=UTC)), "Asia/Shanghai", lambda: WorkingCalendar(ZoneInfo("Asia/Shanghai"))
)


def _workflow(name: str, data: dict):
    """A workflow straight from the parser: a call cycle is refused at deploy, so it is built here."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(MODELS / f"{name}.bpmn"))
    return operations.new_workflow(parser.get_spec(name), parser.get_subprocess_specs(name), SCRIPTS, data)


def test_a_process_that_calls_itself_stops_at_the_nesting_bound():
    workflow = _workflow("calls_itself", {})
    with pytest.raises(BoundExceeded, match=f"more than {bounds.MAX_NESTING} call activities"):
        state.advance(workflow)
    assert not workflow.is_completed()


def test_the_depth_bound_lies_within_what_spiffworkflow_walks():
    """SpiffWorkflow's task walk stops 1,000 tasks deep: a loop deeper than that was lost from sight and the
    instance said "completed" (after ~500 turns of a two-task loop). The bound must come first."""
    walked = inspect.signature(TaskIterator.__init__).parameters["max_depth"].default
    assert bounds.MAX_DEPTH < walked == 1000


def test_a_loop_past_the_depth_bound_is_an_error_not_completed(monkeypatch):
    """Run to a small depth bound: SpiffWorkflow's walks of a deep tree make the real one take seconds."""
    monkeypatch.setattr(bounds, "MAX_DEPTH", 200)
    workflow = _workflow("long_loop", {"counted": 0, "turns": 2000})
    with pytest.raises(BoundExceeded, match="went round a loop too many times"):
        state.advance(workflow)
    assert not workflow.is_completed() and workflow.last_task.data["counted"] < 110


def test_a_loop_within_the_bounds_completes():
    workflow = _workflow("long_loop", {"counted": 0, "turns": 100})
    state.advance(workflow)
    assert workflow.is_completed() and workflow.last_task.data["counted"] == 100


def test_the_steps_of_one_operation_are_bounded(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_TASKS", 50)
    with pytest.raises(BoundExceeded, match="more than 50 steps") as raised:
        state.advance(_workflow("long_loop", {"counted": 0, "turns": 100}))
    assert raised.value.task.task_spec.bpmn_id in ("count", "check")


def test_the_time_of_one_operation_is_bounded(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_SECONDS", 0.0)
    with pytest.raises(BoundExceeded, match="longer than 0.0 s"):
        state.advance(_workflow("long_loop", {"counted": 0, "turns": 100}))


def test_automatic_steps_still_ready_after_every_round_are_an_error_not_a_silent_stop(monkeypatch):
    """As when each round leaves a timer that came due at its end (state.advance): here rounds that run
    nothing, so the start event stays ready."""
    workflow = _workflow("long_loop", {"counted": 0, "turns": 3})
    monkeypatch.setattr(workflow, "do_engine_steps", lambda did_complete_task: None)
    with pytest.raises(BoundExceeded, match="still ready after 0 steps"):
        state.advance(workflow)
