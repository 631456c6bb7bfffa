"""Bounds on what one operation may run: engine steps, elapsed time, loop turns and nested calls.

Without them a process a designer got wrong held a request, and the service with it: a call activity
that calls its own process started sub-processes for minutes, and a loop in the diagram ran until
SpiffWorkflow lost sight of it. SpiffWorkflow walks a workflow's task tree at most 1,000 tasks deep
(`TaskIterator.max_depth`); each turn of a loop adds its tasks to the depth, so after about 500 turns of a
two-task loop the walk no longer saw the ready task and the instance reported "completed". Past any
bound here the operation stops with BoundExceeded, which names the bound and the step, and the instance
records a `process_error` like any failure of the process.

The time bound is a budget of elapsed time on the monotonic clock, not a moment of the process: it is
not read from the engine's injectable clock, which tests and `timers run --now` stand still.
"""

import time

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

#: Automatic tasks one operation may run, and seconds it may take running them.
MAX_TASKS = 5_000
MAX_SECONDS = 30.0
#: How deep a task may lie in its workflow's tree (below SpiffWorkflow's 1,000: see the module docstring).
MAX_DEPTH = 900
#: How many call activities or sub-processes may be nested in one another.
MAX_NESTING = 25


class BoundExceeded(WorkflowTaskException):
    """An operation went past one of the bounds above; `task` is where."""


class OperationBounds:
    """The count and clock of one operation, checked after each task it runs (`done`)."""

    def __init__(self):
        self.tasks = 0
        self.started = time.monotonic()
        self._depths: dict = {}

    def done(self, task) -> None:
        self.tasks += 1
        step = task.task_spec.bpmn_id or task.task_spec.name
        if self.tasks > MAX_TASKS:
            raise BoundExceeded(f"the operation ran more than {MAX_TASKS} steps (at '{step}')", task=task)
        if time.monotonic() - self.started > MAX_SECONDS:
            raise BoundExceeded(f"the operation ran longer than {MAX_SECONDS} s (at '{step}')", task=task)
        if getattr(task.workflow, "depth", 0) > MAX_NESTING:
            raise BoundExceeded(
                f"more than {MAX_NESTING} call activities or sub-processes run one inside another (at '{step}'):"
                " does a process call itself?",
                task=task,
            )
        if self._depth(task) > MAX_DEPTH:
            raise BoundExceeded(
                f"the process went round a loop too many times: '{step}' lies more than {MAX_DEPTH} steps deep,"
                " the most one instance can hold (SpiffWorkflow loses deeper steps); end the loop sooner",
                task=task,
            )

    def exhausted(self, workflow, ready: list) -> BoundExceeded:
        """The error for automatic tasks (`ready`) still ready after every round an operation may run."""
        return BoundExceeded(
            f"automatic steps were still ready after {self.tasks} steps", task=(ready or [workflow.task_tree])[0]
        )

    def _depth(self, task) -> int:
        """The task's depth in its tree; remembered, so that a long run walks up from each task once."""
        parent = task.parent
        depth = self._depths[parent.id] + 1 if parent is not None and parent.id in self._depths else task.depth
        self._depths[task.id] = depth
        return depth
