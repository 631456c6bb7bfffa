"""The changes the engine makes to a workflow, as plain functions over SpiffWorkflow objects.

The live path (runtime.py) and the auditor's replay (replay.py) both call these, so a replay re-executes
exactly what happened. Each operation that changes a workflow is described by an `input` dict, which
the history stores and `apply` takes back: {"op": "start" | "complete" | "fire" | "message" | "amend" |
"rewind" | "replan", ...}. Process failures come out as SpiffWorkflow exceptions for the caller to translate.
"""

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from . import provisional, state


def new_workflow(spec, subprocess_specs, script_engine, data: dict) -> BpmnWorkflow:
    """A workflow at its start event with `data`, not yet run (run it with `state.advance`)."""
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
    workflow.task_tree.data.update(data)
    return workflow


def ordinal(workflow, task) -> int:
    """The position of a ready task among the ready tasks of the same step: how a replay finds it again."""
    same = [
        t
        for t in workflow.get_tasks(state=TaskState.READY, manual=True)
        if t.task_spec.bpmn_id == task.task_spec.bpmn_id
    ]
    return next(i for i, t in enumerate(same) if t.id == task.id)


def ready_task(workflow, step: str, position: int):
    same = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == step]
    if position >= len(same):
        raise LookupError(f"no ready task '{step}' #{position}")
    return same[position]


def complete(workflow, task, data: dict) -> None:
    task.set_data(**data)
    task.run()
    state.advance(workflow)


def fire(workflow) -> None:
    workflow.refresh_timers()
    state.advance(workflow)


def deliver(workflow, name: str, payload) -> None:
    definition = state.message_definition(workflow, name)
    if definition is None:
        raise LookupError(f"not waiting for message '{name}'")
    try:
        correlations = definition.calculate_correlations(
            workflow.script_engine, definition.correlation_properties, payload
        )
    except Exception as error:  # the payload lacks what a correlation key is computed from
        raise WorkflowException(f"the payload does not give the message's correlation keys: {error}") from error
    workflow.send_event(BpmnEvent(definition, payload, correlations))
    state.advance(workflow)


def amend(workflow, task, data: dict, timer_dues: dict[str, str]) -> None:
    """Change an open task's data and the due times (ISO 8601) of the boundary timers on it."""
    task.data.update(data)
    for timer in state.timers_on(task):
        if timer.task_spec.bpmn_id in timer_dues:
            timer.internal_data["event_value"] = timer_dues[timer.task_spec.bpmn_id]


def rewind(workflow, step: str) -> None:
    """Reopen the most recent completed `step`, undoing what came after it."""
    done = [t for t in workflow.get_tasks(state=TaskState.COMPLETED) if t.task_spec.bpmn_id == step]
    if not done:
        raise LookupError(f"step '{step}' has not been completed")
    workflow.reset_from_task_id(done[-1].id)
    state.advance(workflow)


def apply(workflow, change: dict) -> None:
    """Redo a recorded change (any op but "start", which makes the workflow)."""
    op = change["op"]
    if op == "complete":
        complete(workflow, ready_task(workflow, change["step"], change["ordinal"]), change["data"])
    elif op == "fire":
        fire(workflow)
    elif op == "message":
        deliver(workflow, change["name"], change["payload"])
    elif op == "amend":
        amend(workflow, ready_task(workflow, change["step"], change["ordinal"]), change["data"], change["timers"])
    elif op == "rewind":
        rewind(workflow, change["step"])
    elif op == "replan":
        provisional.replan(workflow, change["moves"], change["ledger"])
    elif op == "migrate":
        raise ValueError("a migration is replayed with the target version's specs: see replay.py")
    else:
        raise ValueError(f"unknown recorded change '{op}'")


#: Spec attributes that only say how tasks are wired together: a new step changes its neighbours'.
_WIRING = {"inputs", "outputs"}


def _diffs(registry, workflow, spec, subprocess_specs):
    """(workflow or subprocess, its spec diff, its task diff, its new spec) for the workflow and each
    subprocess; the diffs are None for a subprocess whose process no longer exists."""
    found = []
    for part, new in [
        (workflow, spec),
        *((sp, subprocess_specs.get(sp.spec.name)) for sp in workflow.subprocesses.values()),
    ]:
        spec_diff = SpecDiff(registry, part.spec, new) if new is not None else None
        found.append((part, spec_diff, WorkflowDiff(part, spec_diff) if spec_diff else None, new))
    return found


def migration_problems(registry, workflow, spec, subprocess_specs) -> list[str]:
    """Why the workflow cannot move to `spec`: a completed or running task whose step was removed or
    changed (beyond its wiring). An empty list means it can."""
    live = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED
    problems = set()
    for part, spec_diff, task_diff, _ in _diffs(registry, workflow, spec, subprocess_specs):
        if spec_diff is None:
            problems.add(f"process '{part.spec.name}' is not in the new version")
            continue
        for task in task_diff.removed:
            if task.has_state(live):
                problems.add(f"step '{task.task_spec.bpmn_id}' ({TaskState.get_name(task.state).lower()}) was removed")
        for task in task_diff.changed:
            if task.has_state(live) and set(spec_diff.changed[task.task_spec]) - _WIRING:
                problems.add(f"step '{task.task_spec.bpmn_id}' ({TaskState.get_name(task.state).lower()}) was changed")
    return sorted(problems)


def migrate(registry, workflow, spec, subprocess_specs) -> None:
    """Move the workflow to `spec`, keeping every waiting timer's due time.

    SpiffWorkflow's migrate_workflow re-arms waiting timers from the moment of migration (a 3-day limit
    would restart); their original due times are put back, so no deadline moves because of a migration.
    """
    dues = {
        key: [t.internal_data.get("event_value") for t in tasks] for key, tasks in _waiting_timers(workflow).items()
    }
    for part, _, task_diff, new in _diffs(registry, workflow, spec, subprocess_specs):
        migrate_workflow(task_diff, part, new)
        _repredict(part)
    workflow.subprocess_specs = subprocess_specs
    for key, tasks in _waiting_timers(workflow).items():
        for task, due in zip(tasks, dues.get(key, []), strict=False):
            task.internal_data["event_value"] = due
    state.advance(workflow)


def _repredict(part) -> None:
    """Rebuild the predicted branches whose steps changed, from the new specs.

    migrate_workflow re-aligns each task's spec but keeps the children predicted from the old one, so a
    step added after a task that has not run yet would be skipped. Branches with a live task (ready,
    waiting, started) are left alone.
    """
    live = TaskState.READY | TaskState.WAITING | TaskState.STARTED
    for task in part.get_tasks(state=TaskState.NOT_FINISHED_MASK, skip_subprocesses=True):
        if task.id not in part.tasks:
            continue  # dropped with a branch rebuilt above it
        wanted = {spec.name for spec in task.task_spec.outputs}
        children = task.children
        if {child.task_spec.name for child in children} != wanted and not any(c.has_state(live) for c in children):
            task._drop_children()
            task.task_spec._predict(task, mask=TaskState.NOT_FINISHED_MASK)


def _waiting_timers(workflow) -> dict:
    found: dict = {}
    for task in workflow.get_tasks(state=TaskState.WAITING):
        if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition):
            found.setdefault((task.workflow.spec.name, task.task_spec.bpmn_id), []).append(task)
    return found
