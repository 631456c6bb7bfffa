"""State round trips: a restored workflow runs on a copy, so the stored state it came from stays as stored."""

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine import FixedClock, WorkingCalendar
from engine.package import parse_package
from engine.sandbox import SandboxedScriptEngine
from engine.serializer import StateSerializer
from engine.state import advance

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLED = {p.name: p.read_bytes() for folder in ("processes", "forms") for p in (ROOT / folder).iterdir()}
ZONE = "Asia/Shanghai"


CHAIN = {"district": "D01", "town": "T01", "village": "V01"}
STEPS_TO_THE_VILLAGE = (
    ("resolve_on_site", {"resolved": False}),
    ("register", {"category": "livelihood", "summary": "street light"}),
    ("collate", {"unit": "V01", "unit_level": "village", "unit_chain": CHAIN}),
)


def _complete(workflow, step, data):
    task = next(t for t in workflow.get_tasks(state=TaskState.READY, manual=True))
    assert task.task_spec.bpmn_id == step
    task.set_data(**data)
    task.run()
    advance(workflow)


def test_running_a_restored_workflow_leaves_the_state_it_came_from_unchanged():
    spec, subprocess_specs = parse_package(BUNDLED, zone=ZONE).specs["appeal"]
    calendar = WorkingCalendar(ZoneInfo(ZONE))
    script_engine = SandboxedScriptEngine(FixedClock(datetime(2026, 11, 2, 1, tzinfo=UTC)), ZONE, lambda: calendar)
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
    workflow.task_tree.data.update({"intake_unit": "V01", "category": None, "channel": "hotline"})
    advance(workflow)
    for step, data in STEPS_TO_THE_VILLAGE:
        _complete(workflow, step, data)
    serializer = StateSerializer()
    stored = serializer.dump(workflow)
    as_stored = json.dumps(stored, sort_keys=True)

    for _ in range(2):  # twice from the same dict, as two operations of one unit of work would
        restored = serializer.load(stored, spec=spec, subprocess_specs=subprocess_specs, script_engine=script_engine)
        _complete(restored, "handle_village", {"outcome": "escalate", "note": "to the town"})

    assert json.dumps(stored, sort_keys=True) == as_stored
