"""The ceiling for issue 6: the bundled appeal process run in-process on SpiffWorkflow, no database, no HTTP.

Each case is what one appeal through the HTTP API asks of the engine: start `appeal` with the data the
report supplies, then complete the seven user tasks with the same data the HTTP client sends (including
the `unit_level`/`unit_chain` facts the service derives from `collate`'s unit), advancing the workflow
after each, with the sandboxed script engine, a fixed clock and the statutory working-day calendar.
The same loop is also timed with a state save and restore at every wait (what each API call adds in
serialization), so the gap between the two is visible on its own.
"""

import time
from pathlib import Path
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine import FixedClock, WorkingCalendar
from engine.package import parse_package
from engine.sandbox import SandboxedScriptEngine
from engine.serializer import StateSerializer
from engine.state import advance, read

ROOT = Path(__file__).resolve().parent.parent
ZONE = "Asia/Shanghai"
START_DATA = {"intake_unit": "V01", "category": None, "channel": "hotline"}
CHAIN = {"district": "D01", "town": "T01", "village": "V01"}

#: The closed loop with one escalation, as the HTTP client drives it: (step, role, form data, derived facts).
STEPS = (
    ("resolve_on_site", "intake", {"resolved": False}, {}),
    ("register", "intake", {"category": "livelihood", "summary": "x"}, {}),
    ("collate", "station", {"unit": "V01"}, {"unit_level": "village", "unit_chain": CHAIN}),
    ("handle_village", "village", {"outcome": "escalate", "note": "x"}, {}),
    ("handle_town", "town", {"outcome": "resolved", "note": "x"}, {}),
    ("feedback", "station", {"message": "x"}, {}),
    ("evaluate", "callback", {"satisfaction": "satisfied"}, {}),
)


def bundled_package():
    """The processes/ and forms/ package, parsed once (as the service's package library does)."""
    files = {p.name: p.read_bytes() for folder in ("processes", "forms") for p in sorted((ROOT / folder).iterdir())}
    return parse_package(files, zone=ZONE)


def run_case(spec, subprocess_specs, script_engine, serializer=None) -> int:
    """One appeal from start to closed; returns the number of tasks completed. With `serializer`, the state
    is saved and restored at every wait, as the service does between requests."""
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
    workflow.task_tree.data.update(START_DATA)
    advance(workflow)
    for step, _role, data, extra in STEPS:
        if serializer is not None:
            state = serializer.dump(workflow)
            workflow = serializer.load(state, spec=spec, subprocess_specs=subprocess_specs, script_engine=script_engine)
        read(workflow)  # the service reads the open tasks, timers and data after every step
        task = next(t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == step)
        task.set_data(**data, **extra)
        task.run()
        advance(workflow)
    if not workflow.last_task.data.get("closed"):
        raise AssertionError("the case did not close: the ceiling must run the same path as the HTTP client")
    return len(STEPS)


def measure(cases: int, *, start, roundtrip: bool = False) -> dict:
    """Cases and task completions per second over `cases` cases (after a short warm-up)."""
    spec, subprocess_specs = bundled_package().specs["appeal"]
    calendar = WorkingCalendar(ZoneInfo(ZONE))
    script_engine = SandboxedScriptEngine(FixedClock(start), ZONE, lambda: calendar)
    serializer = StateSerializer() if roundtrip else None
    for _ in range(min(20, cases)):
        run_case(spec, subprocess_specs, script_engine, serializer)
    started = time.perf_counter()
    completions = sum(run_case(spec, subprocess_specs, script_engine, serializer) for _ in range(cases))
    seconds = time.perf_counter() - started
    return {
        "cases": cases,
        "seconds": round(seconds, 3),
        "cases_per_second": round(cases / seconds, 1),
        "completions_per_second": round(completions / seconds, 1),
        "ms_per_completion": round(seconds * 1000 / completions, 3),
        "state_saved_and_restored_at_every_wait": roundtrip,
    }
