"""The path an instance took, read off SpiffWorkflow's task tree: per process it ran (its own and each it
called), the elements it passed and the sequence flows between them, each with how many times, and what
it waits in now (open tasks, waiting timers, running call activities), for drawing on the diagram.

SpiffWorkflow keeps every task it ran, a loop's second pass as new tasks under the first's, and each
called process's tasks in a subworkflow of their own; a task's parent is the one it came from, once the
hidden tasks it adds (start, boundary split and join, end join) are skipped. The flow between two
elements is then the sequence flow from the parent's element to the task's: SpiffWorkflow does not keep
flow ids, so they are read from the process's BPMN file. A step undone by a rewind is no longer in the
tree, and so not in the path.
"""

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

from . import state

_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class ProcessPath:
    """What one process of an instance passed and waits in; `runs` counts its (sub)workflows."""

    process_id: str
    file: str | None
    version: int | None = None  # set by the engine, which knows the versions deployed
    runs: int = 0
    elements: Counter = field(default_factory=Counter)
    flows: Counter = field(default_factory=Counter)
    active: list[str] = field(default_factory=list)  # elements started and not finished: call activities
    tasks: list = field(default_factory=list)  # state.OpenTask
    timers: list = field(default_factory=list)  # state.WaitingTimer


def read(workflow, files: dict[str, bytes]) -> list[ProcessPath]:
    """The instance's path per process: its own process first, then those it called, in the order first
    called (SpiffWorkflow keeps subworkflows in the order it created them). An embedded subprocess is
    drawn on its parent's diagram, so it counts as its parent."""
    flows = _Flows(files)
    paths: dict[str, ProcessPath] = {}
    drawn_on: dict[str, str] = {}  # (sub)process spec name -> the process whose diagram shows it
    for part in [workflow, *workflow.subprocesses.values()]:  # in the order created: called
        name = part.spec.name
        owner = name if part is workflow or flows.is_process(part.spec) else drawn_on[part.parent_workflow.spec.name]
        drawn_on[name] = owner
        path = paths.setdefault(owner, ProcessPath(owner, part.spec.file))
        path.runs += owner == name
        _count(part, path, flows.of(part.spec))
    reading = state.read(workflow)
    for task in reading.tasks:
        paths[drawn_on[task.process]].tasks.append(task)
    for timer in reading.timers:
        paths[drawn_on[timer.process]].timers.append(timer)
    return list(paths.values())


def _count(part, path: ProcessPath, flow_ids: dict) -> None:
    """Count the elements `part` passed, and the flows into every element it reached (one waiting or
    running now was reached by its flow, though not yet passed)."""
    for task in part.tasks.values():
        element = task.task_spec.bpmn_id
        if element is None or not _reached(task):
            continue
        if task.state == TaskState.STARTED:
            path.active.append(element)
        if task.state == TaskState.COMPLETED or (task.state == TaskState.CANCELLED and task.task_spec.manual):
            path.elements[element] += 1
        flow = flow_ids.get((_previous_element(task), element))
        if flow is not None:
            path.flows[flow] += 1


#: Task states of an element reached and not left in the past: done, running, open, waiting.
LIVE = TaskState.COMPLETED | TaskState.STARTED | TaskState.READY | TaskState.WAITING


def _reached(task) -> bool:
    """Live, or cancelled once there (under a completed parent): a user task an interrupting event took
    away, or one branch's arrival at a join that went on with another's. Other cancelled tasks were never
    reached: boundary events that did not fire, catch events an event-based gateway did not take."""
    if task.state & LIVE:
        return True
    there = task.state == TaskState.CANCELLED and task.parent is not None and task.parent.state == TaskState.COMPLETED
    return there and (task.task_spec.manual or isinstance(task.task_spec, Join))


def _previous_element(task):
    """The element the task came from: its nearest ancestor that is one (not one SpiffWorkflow adds)."""
    parent = task.parent
    while parent is not None and parent.task_spec.bpmn_id is None:
        parent = parent.parent
    return parent.task_spec.bpmn_id if parent is not None else None


class _Flows:
    """The sequence flows of each process in the package's BPMN files: (source, target) -> flow id."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self._trees: dict[str, object] = {}
        self._flows: dict[str, dict] = {}  # by (sub)process: a process called again is read once

    def _tree(self, name: str | None):
        if name not in self._trees:
            content = self.files.get(name) if name else None
            self._trees[name] = etree.fromstring(content, _XML) if content else None
        return self._trees[name]

    def is_process(self, spec) -> bool:
        """Whether `spec` is a process of its file (called), not a subprocess embedded in one."""
        tree = self._tree(spec.file)
        return tree is not None and any(p.get("id") == spec.name for p in tree.iter(full_tag("process")))

    def of(self, spec) -> dict:
        if spec.name not in self._flows:
            self._flows[spec.name] = self._read(spec)
        return self._flows[spec.name]

    def _read(self, spec) -> dict:
        tree = self._tree(spec.file)
        scope = next((e for e in tree.iter() if e.get("id") == spec.name), None) if tree is not None else None
        if scope is None:
            return {}
        return {
            (flow.get("sourceRef"), flow.get("targetRef")): flow.get("id")
            for flow in reversed(list(scope.iter(full_tag("sequenceFlow"))))
        }
