"""What the engine reads off a loaded workflow: open user tasks, waiting timers and messages, current data.

Pure functions over SpiffWorkflow objects, so that persistence (runtime.py) and views share one reading.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from .package import GROUP_PROPERTY

MAX_ENGINE_ROUNDS = 100


@dataclass(frozen=True)
class OpenTask:
    id: str
    step: str
    name: str | None
    lane: str | None
    candidate_group: str | None
    due_at: datetime | None


@dataclass(frozen=True)
class WaitingTimer:
    id: str
    step: str
    name: str | None
    due_at: datetime


def advance(workflow) -> None:
    """Run every automatic task, including timers that come due during the run, until only waits remain.

    SpiffWorkflow refreshes timers only at the very end of `do_engine_steps`, leaving a timer that came
    due then READY but not run; run again until nothing automatic is ready (bounded, against cycles).
    """
    for _ in range(MAX_ENGINE_ROUNDS):
        workflow.do_engine_steps()
        if not workflow.get_tasks(state=TaskState.READY, manual=False):
            return


def open_tasks(workflow) -> list[OpenTask]:
    return [
        OpenTask(
            str(task.id),
            task.task_spec.bpmn_id,
            task.task_spec.bpmn_name,
            task.task_spec.lane,
            _candidate_group(task),
            _due_at(task),
        )
        for task in workflow.get_tasks(state=TaskState.READY, manual=True)
    ]


def waiting_timers(workflow) -> list[WaitingTimer]:
    return [
        WaitingTimer(str(task.id), task.task_spec.bpmn_id, task.task_spec.bpmn_name, _timer_due(task))
        for task in workflow.get_tasks(state=TaskState.WAITING)
        if _is_timer(task) and _timer_due(task) is not None
    ]


def waiting_messages(workflow) -> list[str]:
    return sorted({definition.name for definition in _waiting_message_definitions(workflow)})


def message_definition(workflow, name: str):
    """The definition of a message the workflow waits for, to build the event that it catches."""
    return next((d for d in _waiting_message_definitions(workflow) if d.name == name), None)


def _waiting_message_definitions(workflow):
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, MessageEventDefinition):
            yield definition


def fired_timers(workflow) -> list:
    """Timer tasks that fired (and so ran) since the last call; each is marked so it is reported once."""
    fired = []
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        if _is_timer(task) and not task.internal_data.get("reported"):
            task.internal_data["reported"] = True
            fired.append(task)
    return fired


def current_data(workflow) -> dict:
    """The process data as the next step sees it: an open task's, else a waiting one's, else the last."""
    for state in (TaskState.READY, TaskState.WAITING):
        tasks = workflow.get_tasks(state=state, manual=True if state == TaskState.READY else None)
        if tasks:
            return tasks[0].data
    return workflow.last_task.data if workflow.last_task is not None else workflow.data


def _candidate_group(task):
    expression = task.task_spec.extensions.get("properties", {}).get(GROUP_PROPERTY)
    if not expression:
        return None
    value = task.workflow.script_engine.evaluate(task, expression)
    return None if value is None else str(value)


def _due_at(task):
    """The earliest interrupting boundary timer on the task: when the task stops being the handler's."""
    parent = task.parent
    if parent is None or not parent.task_spec.name.endswith(".BoundaryEventSplit"):
        return None
    dues = [
        _timer_due(sibling)
        for sibling in parent.children
        if _is_timer(sibling) and sibling.task_spec.cancel_activity and sibling.state == TaskState.WAITING
    ]
    dues = [due for due in dues if due is not None]
    return min(dues) if dues else None


def _is_timer(task):
    return isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)


def _timer_due(task):
    value = task.internal_data.get("event_value")
    if isinstance(value, dict):
        value = value.get("next")
    if not value:
        return None
    return TimerEventDefinition.get_datetime(value).astimezone(UTC)
