"""Event subprocesses: interrupting start events, and message-started ones that leave the shared spec alone.

SpiffWorkflow 3.2 runs an event subprocess in one of two ways (`BpmnStartTask.connect_or_add_trigger`):

- one whose start event is a timer (or has no event: SpiffWorkflow's start event parser reads only
  message, signal, timer and conditional definitions, so an error start event is one) is wired after
  the process's Start, so it starts with the process and its start event waits like any catching event;
- one started by a message, signal or condition is listed in `spec.start.trigger_specs` and only
  instantiated when a matching event arrives; the first time, `trigger_wf` wires it after Start,
  changing the spec. Our package library shares each parsed spec between instances, so
  `ProcessStartTask` does that wiring once, at parse time, and leaves the triggered subprocesses out of
  what Start predicts: they are still created only by their event, and nothing changes at run time.

SpiffWorkflow never reads `isInterrupting` on an event subprocess's start event (BPMN: default true).
`EventSubprocessStartEvent` keeps it as `cancel_activity`, like a boundary event; when an interrupting one
fires, every other unfinished task of the enclosing process is cancelled, other event subprocesses
included, so only the event subprocess goes on. A start event without an event definition keeps
SpiffWorkflow's behaviour (it runs at once, beside the main flow) rather than cancel it at the start.
"""

from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.specs.control import BpmnStartTask
from SpiffWorkflow.bpmn.specs.defaults import StartEvent
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.spiff.parser.process import SpiffProcessParser
from SpiffWorkflow.util.task import TaskState

from . import clock_timers


class EventSubprocessStartEvent(StartEvent):
    """The start event of an event subprocess; `cancel_activity` is its isInterrupting."""

    def __init__(self, wf_spec, bpmn_id, event_definition, cancel_activity=True, **kwargs):
        super().__init__(wf_spec, bpmn_id, event_definition, **kwargs)
        self.cancel_activity = cancel_activity

    def _run_hook(self, my_task):
        result = super()._run_hook(my_task)
        if self.cancel_activity:
            _interrupt(my_task.workflow)
        return result


def _interrupt(subworkflow) -> None:
    """Cancel the unfinished tasks of the process enclosing `subworkflow`, but the task running it."""
    parent_task_id = getattr(subworkflow, "parent_task_id", None)
    if parent_task_id is None:
        return
    holder = subworkflow.top_workflow.get_task_from_id(parent_task_id)
    scope = holder.workflow
    doomed = [
        task
        for task in scope.get_tasks(state=TaskState.NOT_FINISHED_MASK, skip_subprocesses=True)
        if task is not holder and not holder.is_descendant_of(task) and not task.is_descendant_of(holder)
    ]
    for task in doomed:
        if task.id in scope.tasks:  # not dropped with a branch cancelled before it
            task.cancel()


class ProcessStartTask(BpmnStartTask):
    """Start, wiring triggered event subprocesses at parse time instead of on their first event."""

    def connect_or_add_trigger(self, task_spec, sp_spec):
        super().connect_or_add_trigger(task_spec, sp_spec)
        if sp_spec.name in self.trigger_specs and task_spec not in self.outputs:
            # what trigger_wf would do on the first event; it then finds Start among the inputs
            self.connect(task_spec)
            task_spec.connect(self._wf_spec.end)

    def _predict_hook(self, my_task):
        best_state = TaskState.FUTURE if my_task.has_state(TaskState.DEFINITE_MASK) else my_task.state
        my_task._sync_children([spec for spec in self.outputs if spec.name not in self.trigger_specs], best_state)

    def trigger_wf(self, my_task, spec_name):
        """As SpiffWorkflow's, but the new event subprocess task is given its path to the process's end,
        so that it ends through the EndJoin like any other branch (SpiffWorkflow's ends nowhere: the
        process is then only found complete when someone asks `is_completed()`, its data never merged)."""
        spec = self._wf_spec.task_specs[spec_name]
        child = my_task._add_child(spec, TaskState.FUTURE)
        child.triggered = True
        spec._predict(child, mask=TaskState.FUTURE | TaskState.PREDICTED_MASK)
        spec._update(child)
        return child.id


class ProcessParser(SpiffProcessParser):
    """SpiffWorkflow's process parser, with `ProcessStartTask` as every process's Start."""

    def create_spec(self):
        spec = super().create_spec()
        del spec.task_specs[spec.start.name]
        spec.start = ProcessStartTask(spec, "Start")
        return spec


class StartEventParser(clock_timers.StartEventParser):
    """The clock-aware start event parser; in an event subprocess it reads isInterrupting."""

    def _create_task(self, event_definition, cancel_activity=None, parallel=None):
        parent = self.node.getparent()
        in_event_subprocess = (
            parent is not None and parent.tag == full_tag("subProcess") and parent.get("triggeredByEvent") == "true"
        )
        if in_event_subprocess and cancel_activity is None and not isinstance(event_definition, NoneEventDefinition):
            self.spec_class = EventSubprocessStartEvent
            cancel_activity = self.node.get("isInterrupting", "true").strip().lower() not in ("false", "0")
        return super()._create_task(event_definition, cancel_activity, parallel)


def listening_start_events(workflow):
    """The start events of the process's triggered event subprocesses that an event may start now.

    SpiffWorkflow only starts those of the top-level process. None may start once the process has
    completed or an interrupting event subprocess has begun.
    """
    if workflow.is_completed() or _interrupted(workflow):
        return
    for name in workflow.spec.start.trigger_specs:
        spec = workflow.subprocess_specs.get(name)
        if spec is not None:
            yield from spec.bpmn_start_events


def _interrupted(workflow) -> bool:
    for task_id, subprocess in workflow.subprocesses.items():
        if task_id not in workflow.tasks:
            continue  # deeper down, not an event subprocess of this process
        for start in subprocess.task_tree.children:
            if (
                isinstance(start.task_spec, EventSubprocessStartEvent)
                and start.task_spec.cancel_activity
                and start.has_state(TaskState.READY | TaskState.COMPLETED)
            ):
                return True
    return False
