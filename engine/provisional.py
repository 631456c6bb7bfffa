"""Times reckoned on a provisional calendar year, and their re-plan once the year's schedule is official.

The process helpers (sandbox.py, `TimeHelpers`) note in a workflow's ledger every time they compute on a
provisional year, and every time derived from such a time: its value, the ISO 8601 string the process
then holds in its data or a timer holds as its due time, and how it was computed (a limit from a start,
or hours or a duration from a base). Most limits are not provisional, so the ledger is usually empty and
costs nothing.

The ledger lives in the top workflow's root task's internal data: it is saved, digested and replayed
with the state. A re-plan recomputes each entry on the calendar of the moment, in the order noted (a
base before what derives from it), and maps each old value to its new one in every unfinished task's
data and every waiting timer's due time. The re-plan's change carries the mapping and the new ledger, so
that a replay reproduces it exactly without recomputing anything.
"""

from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

LEDGER = "provisional_times"


def ledger(workflow) -> dict:
    """Provisional value -> how it was computed ({"start", "amount", "unit"} or {"base", "hours" | "duration"})."""
    return workflow.top_workflow.task_tree.internal_data.get(LEDGER) or {}


def note(workflow, value: str, how: dict) -> None:
    """Note a provisional value (a value noted already keeps its first computation)."""
    workflow.top_workflow.task_tree.internal_data.setdefault(LEDGER, {}).setdefault(value, how)


def derive(base: str, how: dict) -> str:
    """`base` (ISO 8601) plus `how["hours"]` hours or the ISO 8601 duration `how["duration"]`."""
    begin = datetime.fromisoformat(base)
    if "hours" in how:
        return (begin + timedelta(hours=how["hours"])).isoformat()
    parsed = TimerEventDefinition.parse_iso_duration(how["duration"])
    return (begin + TimerEventDefinition.get_timedelta_from_start(parsed, begin)).isoformat()


def plan(workflow, calendar) -> dict | None:
    """The re-plan of the workflow's provisional values on `calendar`: {"moves": {old: new}, "ledger": the
    values still provisional}, or None when nothing would change."""
    old = ledger(workflow)
    if not old:
        return None
    moves: dict[str, str] = {}
    new: dict[str, dict] = {}
    for value, how in old.items():
        if "base" in how:
            base = moves.get(how["base"], how["base"])
            how = {**how, "base": base}
            moved, provisional = derive(base, how), base in new
        else:
            start = moves.get(how["start"], how["start"])
            how = {**how, "start": start}
            limit = calendar.limit(datetime.fromisoformat(start), how["amount"], how["unit"])
            moved, provisional = limit.at.isoformat(), limit.provisional or start in new
        if moved != value:
            moves[value] = moved
        if provisional:
            new.setdefault(moved, how)
    if not moves and new == old:
        return None
    return {"moves": moves, "ledger": new}


def replan(workflow, moves: dict[str, str], new_ledger: dict) -> None:
    """Put each moved value in place of the old one, in the data of every unfinished task and the due
    time of every waiting timer, and keep `new_ledger` as the workflow's ledger."""
    for task in workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
        _move_in(task.data, moves)
        due = task.internal_data.get("event_value")
        if isinstance(due, str) and due in moves:
            task.internal_data["event_value"] = moves[due]
    _move_in(workflow.data, moves)
    workflow.top_workflow.task_tree.internal_data[LEDGER] = new_ledger


def _move_in(container, moves: dict[str, str]) -> None:
    pairs = container.items() if isinstance(container, dict) else enumerate(container)
    for key, value in list(pairs):
        if isinstance(value, str):
            if value in moves:
                container[key] = moves[value]
        elif isinstance(value, dict | list):
            _move_in(value, moves)
