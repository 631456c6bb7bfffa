"""What each step of the closed loop pays for workflow state, in-process: running SpiffWorkflow, reading
the view, dumping the state, its digest, its JSON text and restoring it (issue 28: what a live workflow and
a digest taken only now and then save). No database, no HTTP.

    python bench/state_cost.py [--appeals 30]
"""

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ceiling import START_DATA, STEPS, ZONE, bundled_package  # noqa: E402
from engine import FixedClock, WorkingCalendar, hash_chain  # noqa: E402
from engine.sandbox import SandboxedScriptEngine  # noqa: E402
from engine.serializer import StateSerializer  # noqa: E402
from engine.state import advance, read  # noqa: E402

PARTS = ("run", "read", "dump", "digest", "json", "restore")


def measure(appeals: int) -> dict:
    """CPU milliseconds per appeal of each part, over `appeals` appeals of the closed loop."""
    spec, subprocess_specs = bundled_package().specs["appeal"]
    calendar = WorkingCalendar(ZoneInfo(ZONE))
    clock = FixedClock(datetime.fromisoformat("2026-11-02T09:00:00+08:00"))
    script_engine = SandboxedScriptEngine(clock, ZONE, lambda: calendar)
    serializer = StateSerializer()
    spent = dict.fromkeys(PARTS, 0.0)

    def timed(part, call, *args, **kwargs):
        started = time.process_time()
        result = call(*args, **kwargs)
        spent[part] += time.process_time() - started
        return result

    size = 0
    for _ in range(appeals):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
        workflow.task_tree.data.update(START_DATA)
        timed("run", advance, workflow)
        for step, _role, data, extra in STEPS:
            state = timed("dump", serializer.dump, workflow)
            timed("digest", hash_chain.state_digest, state)
            size = len(timed("json", json.dumps, state))
            workflow = timed(
                "restore",
                serializer.load,
                state,
                spec=spec,
                subprocess_specs=subprocess_specs,
                script_engine=script_engine,
            )
            timed("read", read, workflow)
            task = next(
                t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == step
            )
            task.set_data(**data, **extra)
            timed("run", task.run)
            timed("run", advance, workflow)
    return {
        "ms_per_appeal": {part: round(seconds * 1000 / appeals, 2) for part, seconds in spent.items()},
        "steps_per_appeal": len(STEPS),
        "state_bytes_at_the_last_step": size,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=30)
    print(json.dumps(measure(parser.parse_args().appeals), indent=2))


if __name__ == "__main__":
    main()
