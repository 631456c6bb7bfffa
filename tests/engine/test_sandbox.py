"""Scripts and expressions from process files run under RestrictedPython, with only whitelisted helpers."""

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engine import FixedClock, sandbox
from engine.calendar import WorkingCalendar
from engine.sandbox import MAX_SECONDS, RestrictedEnvironment, SandboxLimit, TimeHelpers

CALENDAR = WorkingCalendar(ZoneInfo("Asia/Shanghai"))
ENV = RestrictedEnvironment(
    TimeHelpers(FixedClock(datetime(2026, 11, 2, 1, tzinfo=UTC)), "Asia/Shanghai", lambda: CALENDAR).functions()
)


@pytest.mark.parametrize(
    "escape",
    [
        "().__class__.__base__.__subclasses__()",
        "__import__('os').system('true')",
        "[c for c in ().__class__.__bases__]",
        "getattr((), '__class__')",
        "open('/etc/passwd').read()",
        "eval('1')",
        "exec('x = 1')",
        "globals()",
    ],
)
def test_known_escapes_fail(escape):
    with pytest.raises((SyntaxError, NameError, AttributeError, TypeError)):
        ENV.evaluate(escape, {})


def test_import_in_a_script_is_refused():
    with pytest.raises(SyntaxError):
        ENV.execute("import os\nx = os.getcwd()", {})


def test_scripts_read_and_write_task_data_with_comprehensions_and_augmented_assignment():
    data = {"lines": [{"amount": 5}, {"amount": 20}], "minimum": 10, "count": 1}
    ENV.execute("big = [l['amount'] for l in lines if l['amount'] > minimum]\ncount += len(big)\ndel minimum", data)
    assert data == {"lines": [{"amount": 5}, {"amount": 20}], "big": [20], "count": 2}


def test_time_helpers_read_the_engine_clock_and_zone():
    assert ENV.evaluate("now()", {}) == "2026-11-02T01:00:00+00:00"
    assert ENV.evaluate("add_duration(now(), 'P7D')", {}) == "2026-11-09T01:00:00+00:00"
    assert ENV.evaluate("start_of_day('2026-11-20')", {}) == "2026-11-20T00:00:00+08:00"


def test_task_data_may_not_hide_a_helper():
    with pytest.raises(ValueError, match="now"):
        ENV.execute("x = 1", {"now": "noon"})


@pytest.mark.parametrize(
    "script",
    [
        "while True:\n    pass",
        "def spin():\n    while True:\n        pass\nspin()",
        "x = sorted([1, 2], key=lambda v: len([0 for _ in range(10**6) for _ in range(10**6)]))",
    ],
)
def test_endless_code_of_the_process_is_stopped_wherever_it_runs(script):
    started = time.monotonic()
    with pytest.raises(SandboxLimit):
        ENV.execute(script, {})
    assert time.monotonic() - started < MAX_SECONDS + 1


def test_waiting_is_not_counted_against_a_script_only_its_cpu_time(monkeypatch):
    """A helper that waits (the calendar is read from the database on first use) or a worker the machine
    does not schedule for a while is not runaway code: the budget is the thread's CPU time."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.2)
    environment = RestrictedEnvironment({"slow_read": lambda: time.sleep(0.3) or 1})
    context = {}
    environment.execute("x = slow_read()\ny = x + 1", context)
    assert context == {"x": 1, "y": 2}
    with pytest.raises(SandboxLimit):
        environment.execute("while True:\n    pass", {})
