"""What the engine reads off a loaded workflow: open user tasks, waiting timers and messages, current data.

Pure functions over SpiffWorkflow objects, so that persistence (runtime.py) and views share one reading.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import EventBasedGateway
from SpiffWorkflow.util.task import TaskState

from . import event_subprocesses, provisional
from .bounds import OperationBounds
from .clock_timers import part, slot
from .package import GROUP_PROPERTY, LIMIT_KIND, MAX_LENGTHS, SHOW_PROPERTY, TIMER_KIND_PROPERTY

MAX_ENGINE_ROUNDS = 100


@dataclass(frozen=True)
class OpenTask:
    id: str
    step: str
    name: str | None
    lane: str | None
    candidate_group: str | None
    due_at: datetime | None
    context: dict | None
    due_provisional: bool = False  # the due time was reckoned on a provisional calendar year
    process: str | None = None  # the id of the (sub)process it runs in, for drawing it on that process


@dataclass(frozen=True)
class FiredTimer:
    """A timer that fired: its element, its extension properties, and the task it is attached to, if any."""

    id: str
    step: str
    name: str | None
    properties: dict
    due_at: datetime | None
    attached_task_id: str | None


@dataclass(frozen=True)
class WaitingTimer:
    id: str
    step: str
    name: str | None
    due_at: datetime
    properties: dict
    attached_task_id: str | None
    provisional: bool = False
    process: str | None = None  # the id of the (sub)process it runs in, for drawing it on that process


def advance(workflow) -> None:
    """Run every automatic task, including timers that come due during the run, until only waits remain.

    SpiffWorkflow refreshes timers only at the very end of `do_engine_steps`, leaving a timer that came
    due then READY but not run; run again until nothing automatic is ready. Each task run is checked
    against the operation's bounds (bounds.py), and so is the number of rounds.
    """
    bounded = OperationBounds()
    for _ in range(MAX_ENGINE_ROUNDS):
        workflow.do_engine_steps(did_complete_task=bounded.done)
        ready = workflow.get_tasks(state=TaskState.READY, manual=False)
        if not ready:
            return
    raise bounded.exhausted(workflow, ready)


@dataclass(frozen=True)
class Reading:
    """What a view of an instance shows: its open user tasks, waiting timers and messages, current data."""

    tasks: list[OpenTask]
    timers: list[WaitingTimer]
    messages: list[str]
    data: dict
    provisional: frozenset[str] = frozenset()  # the values in it reckoned on a provisional calendar year


def read(workflow) -> Reading:
    """The instance's reading from one walk of the task tree, not one per question.

    Ready and waiting tasks are asked for together: SpiffWorkflow prunes the same branches of the tree
    for either state, so the walk finds what two walks would, in the same (tree) order.
    """
    found = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
    ready = [task for task in found if task.state == TaskState.READY and task.task_spec.manual]
    waiting = [task for task in found if task.state == TaskState.WAITING]
    marked = frozenset(provisional.ledger(workflow))
    return Reading(
        tasks=[_open_task(task, marked) for task in ready],
        timers=[
            _waiting_timer(task, event, marked)
            for task in waiting
            for event in _timer_events(task)
            if _timer_due(task, event.definition) is not None
        ],
        messages=sorted({definition.name for definition in _message_definitions(workflow, waiting)}),
        data=_current_data(workflow, ready, waiting),
        provisional=marked,
    )


def _open_task(task, marked: frozenset[str]) -> OpenTask:
    due = _due_timer(task)
    return OpenTask(
        str(task.id),
        task.task_spec.bpmn_id,
        task.task_spec.bpmn_name,
        task.task_spec.lane,
        _candidate_group(task),
        _timer_due(due) if due is not None else None,
        _context(task),
        due is not None and _marked(due, marked),
        task.workflow.spec.name,
    )


def _waiting_timer(task, event: "Awaited", marked: frozenset[str]) -> WaitingTimer:
    return WaitingTimer(
        event.id,
        event.spec.bpmn_id,
        event.spec.bpmn_name,
        _timer_due(task, event.definition),
        dict(event.spec.extensions.get("properties", {})),
        _attached_task_id(task),
        _marked(task, marked),
        task.workflow.spec.name,
    )


@dataclass(frozen=True)
class Awaited:
    """One event a waiting task waits for: its definition, the catch event it belongs to, and an id."""

    definition: object
    spec: object
    id: str


def _awaited(task) -> list[Awaited]:
    """Every event a task waits for. Most wait for one, their own; an event-based gateway's task waits for
    each catch event after it (SpiffWorkflow moves their definitions into the gateway's one, in the order of
    its outgoing flows), and a catch event with several definitions for each of them. Each of several
    gets an id made from the task's and its part (clock_timers.part), to be told apart in the due-timer table."""
    definition = getattr(task.task_spec, "event_definition", None)
    if not isinstance(definition, MultipleEventDefinition):
        return [Awaited(definition, task.task_spec, str(task.id))] if definition is not None else []
    found = []
    for index, inner in enumerate(definition.event_definitions):
        which = part(inner, task.task_spec)
        spec = task.task_spec.outputs[index] if isinstance(task.task_spec, EventBasedGateway) else task.task_spec
        found.append(Awaited(inner, spec, str(uuid5(NAMESPACE_URL, f"{task.id}/{which}"))))
    return found


def _timer_events(task) -> list[Awaited]:
    return [event for event in _awaited(task) if isinstance(event.definition, TimerEventDefinition)]


def _current_data(workflow, ready, waiting) -> dict:
    """The process data as the next step sees it: an open task's, else a waiting one's, else the last."""
    if ready or waiting:
        return (ready or waiting)[0].data
    return workflow.last_task.data if workflow.last_task is not None else workflow.data


def message_definition(workflow, name: str):
    """The definition of a message the workflow waits for, to build the event that it catches."""
    waiting = workflow.get_tasks(state=TaskState.WAITING)
    return next((d for d in _message_definitions(workflow, waiting) if d.name == name), None)


def _message_definitions(workflow, waiting):
    """Messages caught by a `waiting` task, then those that would start an event subprocess (which
    SpiffWorkflow creates only when its message arrives, so no task waits for it)."""
    for task in waiting:
        seen = [event.event_definition for event in task.internal_data.get("seen_events", [])]
        for event in _awaited(task):
            if isinstance(event.definition, MessageEventDefinition) and event.definition not in seen:
                yield event.definition
    for start_event in event_subprocesses.listening_start_events(workflow):
        if isinstance(start_event.event_definition, MessageEventDefinition):
            yield start_event.event_definition


def fired_timers(workflow) -> list[FiredTimer]:
    """Timer tasks that fired (and so ran) since the last call; each is marked so it is reported once."""
    fired = []
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        events = _timer_events(task) if _is_timer(task) else _timers_seen(task)
        if events and not task.internal_data.get("reported"):
            task.internal_data["reported"] = True
            fired += [
                FiredTimer(
                    event.id,
                    event.spec.bpmn_id,
                    event.spec.bpmn_name,
                    dict(event.spec.extensions.get("properties", {})),
                    _timer_due(task, event.definition),
                    _attached_task_id(task),
                )
                for event in events
            ]
    return fired


def _timers_seen(task) -> list[Awaited]:
    """The timers by which a task waiting for several events (see `_awaited`) went on."""
    seen = [event.event_definition for event in task.internal_data.get("seen_events", [])]
    return [event for event in _timer_events(task) if event.definition in seen]


def _attached_task_id(timer_task):
    """For a boundary timer, the id of the activity it sits on (its sibling under the boundary split)."""
    split = _boundary_split(timer_task)
    activity = next((child for child in split.children if not _is_timer(child)), None) if split else None
    return str(activity.id) if activity is not None else None


def _candidate_group(task):
    expression = task.task_spec.extensions.get("properties", {}).get(GROUP_PROPERTY)
    if not expression:
        return None
    value = task.workflow.script_engine.evaluate(task, expression)
    if value is None:
        return None
    if len(str(value)) > MAX_LENGTHS["group"]:  # the process's data made it: a process error, not a database's
        raise WorkflowTaskException(
            f"candidateGroups gave a group of {len(str(value))} characters, more than {MAX_LENGTHS['group']}", task=task
        )
    return str(value)


def _context(task):
    """The process data a task shows its user: the names listed in its `showData` property."""
    names = task.task_spec.extensions.get("properties", {}).get(SHOW_PROPERTY)
    if not names:
        return None
    return {name.strip(): task.data.get(name.strip()) for name in names.split(",") if name.strip()}


def timers_on(task) -> list:
    """The boundary timers waiting on an activity (its siblings under SpiffWorkflow's boundary split)."""
    split = _boundary_split(task)
    return [s for s in split.children if _is_timer(s) and s.state == TaskState.WAITING] if split else []


def _boundary_split(task):
    """SpiffWorkflow puts an activity with boundary events and the events under one hidden split task."""
    parent = task.parent
    return parent if parent is not None and parent.task_spec.name.endswith(".BoundaryEventSplit") else None


def _due_timer(task):
    """The timer that says when the task is due: the earliest of its waiting interrupting boundary timers
    (when it stops being the handler's) and of its limit timers (`TIMER_KIND_PROPERTY`), waiting or fired.
    A limit that does not interrupt lapses and leaves the task open, and the task still shows when it was due."""
    split = _boundary_split(task)
    timers = [
        timer
        for timer in (split.children if split else [])
        if _is_timer(timer)
        and _timer_due(timer) is not None
        and (
            (timer.state == TaskState.WAITING and timer.task_spec.cancel_activity)
            or (timer.state in (TaskState.WAITING, TaskState.COMPLETED) and _is_limit(timer))
        )
    ]
    return min(timers, key=_timer_due) if timers else None


def _marked(timer_task, marked: frozenset[str]) -> bool:
    """Whether the timer's due time is a provisional value (a cycle's is a dict, never one)."""
    value = timer_task.internal_data.get("event_value")
    return isinstance(value, str) and value in marked


def _is_limit(timer_task) -> bool:
    return timer_task.task_spec.extensions.get("properties", {}).get(TIMER_KIND_PROPERTY) == LIMIT_KIND


def _is_timer(task):
    return isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)


def _timer_due(task, definition=None):
    """When the task's timer, or its timer `definition` among several (see `_awaited`), is due."""
    key = "event_value" if definition is None else slot(definition, task.task_spec)
    value = task.internal_data.get(key)
    if isinstance(value, dict):
        value = value.get("next")
    if not value:
        return None
    return TimerEventDefinition.get_datetime(value).astimezone(UTC)
