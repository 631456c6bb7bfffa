"""The engine's operations on one database session: deploy, start, complete, deliver, fire timers.

Each operation locks its instance, loads what it needs and runs SpiffWorkflow; `write` then writes the
instance's state, open work items, due timers and history in the session's transaction (store.py), and
the caller's unit of work commits or rolls back. Of two writers of one instance the second waits for the
first to commit and then finds what it meant to act on changed (Conflict): nothing of its work is
written.
"""

from datetime import datetime
from uuid import UUID

from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import update

from . import forms, operations, provisional, state
from .calendar import CalendarRevisions, WorkingCalendar, load_revisions
from .deployments import Deployments
from .errors import Conflict, EngineError, NotFound, ProcessError
from .library import PackageLibrary
from .live import LiveWorkflows
from .messages import MESSAGES
from .models import DueTimer, ProcessVersion, WorkItem
from .plain import describe, task_step
from .reads import InstanceReads
from .replay import Replayer
from .sandbox import SandboxedScriptEngine
from .store import (
    DUE_INSTANCE,
    INSERT_INSTANCE,
    UNFLUSHED,
    InstanceRow,
    InstanceStore,
    InstanceView,
)


class Engine(Deployments, InstanceReads, InstanceStore):
    """A BPMN runtime over one database session; see the module docstring."""

    def __init__(self, session, *, clock, library: PackageLibrary, live: LiveWorkflows, zone: str):
        self.session = session
        self.clock = clock
        self.library = library
        self.live = live
        self.zone = zone
        self.script_engine = SandboxedScriptEngine(clock, zone, self.calendar)
        self._revisions = None
        self._packages_seen: dict = {}
        self._start_unit()

    def replayer(self) -> Replayer:
        """Replays of this database's instances, for auditors (see replay.py)."""
        return Replayer(self.session, library=self.library, zone=self.zone, revisions=self.calendar_revisions)

    def calendar_revisions(self) -> CalendarRevisions:
        """Every load of the working-day calendar, read once per engine."""
        if self._revisions is None:
            self._revisions = load_revisions(self.session, self.zone)
        return self._revisions

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar as it stands by the engine's clock (what a replay of this moment uses)."""
        return self.calendar_revisions().at(self.clock.now())

    # -- instances ----------------------------------------------------------------------------------

    def start(self, process_id: str, data: dict, *, actor: str | None) -> InstanceView:
        """Start an instance of the newest version; a process that fails at once is kept with status error.

        The instance's row is inserted at once (the caller's rows may refer to it) and locked by the
        insert; the rest is written by `write`.
        """
        version = self.latest_version(process_id)
        spec, subprocess_specs = self.package(version.package_id).specs[process_id]
        workflow = operations.new_workflow(spec, subprocess_specs, self.script_engine, data)
        now = self.clock.now()
        row = {
            "process_version_id": version.id,
            "status": "running",
            "state": {},
            "last_seq": 0,
            "revision": 1,
            "created_at": now,
            "updated_at": now,
        }
        inserted = self._writes().execute(INSERT_INSTANCE, row).one()
        instance, _ = self.hold(InstanceRow(**inserted._mapping, locked=True), version)
        self._event(
            instance,
            "instance_started",
            actor=actor,
            change={"op": "start", "data": data},
            data={"process_id": process_id, "version": version.version, "data": data},
        )
        try:
            state.advance(workflow)
        except EngineError:
            raise
        except Exception as error:  # SpiffWorkflow's, or what the designer's process made it raise (a TypeError)
            instance.status, instance.error = "error", str(describe(error))  # stored: its English
            self._event(instance, "process_error", actor=actor, step=task_step(error), data={"message": instance.error})
        return self._ran(instance, workflow, version, actor=actor, started=True)

    def complete(self, task_id: str, data: dict, *, actor: str, extra: dict | None = None) -> InstanceView:
        """Complete an open user task with data valid against its form; `extra` is set on the task too.

        `extra` is what the caller derives from the submitted data (never validated against the form): it
        lets a domain add facts the process needs. It is kept in the history's record of the change.
        """
        item = self.open_work_item(task_id)
        instance, version, workflow = self._load(item.instance_id)
        task = self._ready_task(workflow, item)
        parsed = self.package(version.package_id)
        forms.check(parsed.form_for(task.task_spec)["schema"], data)
        change = {
            "op": "complete",
            "step": item.step,
            "ordinal": operations.ordinal(workflow, task),
            "data": {**data, **(extra or {})},
        }
        self._event(instance, "task_completed", actor=actor, step=item.step, data=data, change=change)
        self._run(
            instance, lambda: operations.complete(workflow, task, change["data"]), "failed_after_step", step=item.step
        )
        return self._ran(instance, workflow, version, actor=actor, completed=task_id)

    def deliver_message(self, instance_id: int, name: str, payload: dict, *, actor: str | None) -> InstanceView:
        instance, version, workflow = self._load(instance_id)
        if state.message_definition(workflow, name) is None:
            raise Conflict(MESSAGES.text("not_waiting_for_message", instance=instance_id, name=name))
        change = {"op": "message", "name": name, "payload": payload}
        self._event(instance, "message_received", actor=actor, data={"name": name, "payload": payload}, change=change)
        self._run(instance, lambda: operations.deliver(workflow, name, payload), "failed_on_message", name=name)
        return self._ran(instance, workflow, version, actor=actor)

    def claim_due_instance(self, *, skip=frozenset()) -> int | None:
        """The instance with the soonest due timer, locked for this transaction, or None when none is due.

        On PostgreSQL the instance row is taken FOR UPDATE SKIP LOCKED: any number of workers share the
        due instances without waiting on each other, and a worker that dies mid-fire releases its lock
        with its connection, leaving the instance to the next sweep. On SQLite the write lock taken at
        BEGIN lets one worker in at a time. Only the indexed due-timer table is read to find the work.
        """
        return self.session.scalar(DUE_INSTANCE, {"now": self.clock.now(), "skip": list(skip)})

    def fire_due_timers(self, instance_id: int) -> InstanceView:
        """Fire every timer of the instance that is due by the engine's clock."""
        instance, version, workflow = self._load(instance_id)
        self._run(instance, lambda: operations.fire(workflow), "failed_after_timer")
        return self._ran(instance, workflow, version, actor=None, change={"op": "fire"})

    def amend_task(
        self, task_id: str, *, data: dict, timer_dues: dict[str, datetime], actor: str, event: str, details: dict
    ) -> InstanceView:
        """Change an open task's data and the due times of timers on it, e.g. for an approved extension.

        `timer_dues` maps boundary timer element ids to their new due times; the event `event` with
        `details` records why.
        """
        item = self.open_work_item(task_id)
        instance, version, workflow = self._load(item.instance_id)
        task = self._ready_task(workflow, item)
        dues = {step: due.isoformat() for step, due in timer_dues.items()}
        change = {
            "op": "amend",
            "step": item.step,
            "ordinal": operations.ordinal(workflow, task),
            "data": data,
            "timers": dues,
        }
        self._event(instance, event, actor=actor, step=item.step, data=details, change=change)
        operations.amend(workflow, task, data, dues)
        return self._ran(instance, workflow, version, actor=actor)

    def rewind(self, instance_id: int, step: str, *, actor: str, event: str, details: dict) -> InstanceView:
        """Reopen the most recent completed `step`, undoing everything after it (e.g. a wrong dispatch)."""
        instance, version, workflow = self._load(instance_id)
        self._event(instance, event, actor=actor, step=step, data=details, change={"op": "rewind", "step": step})
        try:
            self._run(instance, lambda: operations.rewind(workflow, step), "failed_going_back", step=step)
        except LookupError as error:
            raise Conflict(MESSAGES.text("nothing_to_go_back_to", instance=instance_id, problem=str(error))) from error
        return self._ran(instance, workflow, version, actor=actor)

    def _migration_problems(self, instance, current, workflow, version: ProcessVersion) -> list[str]:
        if current.process_id != version.process_id:
            return [f"the instance runs process '{current.process_id}', not '{version.process_id}'"]
        if instance.status != "running":
            return [f"the instance is {instance.status}"]
        spec, subprocess_specs = self._specs(version)
        return operations.migration_problems(self.library.serializer.registry, workflow, spec, subprocess_specs)

    def migrate(self, instance_id: int, version: ProcessVersion, *, actor: str) -> InstanceView:
        """Move a running instance to another version of its process, keeping its timers' due times."""
        instance, current, workflow = self._load(instance_id)
        problems = self._migration_problems(instance, current, workflow, version)
        if problems:
            raise Conflict(
                MESSAGES.text("cannot_migrate", instance=instance_id, version=version.version), details=problems
            )
        change = {"op": "migrate", "version_id": version.id}
        self._event(
            instance, "migrated", actor=actor, data={"from": current.version, "to": version.version}, change=change
        )
        spec, subprocess_specs = self._specs(version)
        self._run(
            instance,
            lambda: operations.migrate(self.library.serializer.registry, workflow, spec, subprocess_specs),
            "failed_migrating",
        )
        instance.process_version_id = version.id
        self.hold(instance, version)
        return self._ran(instance, workflow, version, actor=actor)

    def replan(self, instance_id: int, *, actor: str | None, details: dict) -> InstanceView | None:
        """Re-plan the instance's provisional times on the calendar with every load (see provisional.py);
        None when nothing changes. A timer whose new due time has passed fires at the next sweep.

        The change carries the old and new values and the new ledger, so a replay reproduces it exactly.
        """
        instance, version, workflow = self._load(instance_id)
        planned = provisional.plan(workflow, self.calendar_revisions().at(None))
        if planned is None:
            return None
        change = {"op": "replan", **planned}
        self._event(instance, "replanned", actor=actor, data={**details, "moves": planned["moves"]}, change=change)
        operations.apply(workflow, change)
        return self._ran(instance, workflow, version, actor=actor)

    @staticmethod
    def _ready_task(workflow, item):
        """The work item's task, which must still be ready in the state just loaded: a writer that
        committed after the work item was read may have completed it (then: Conflict, not a crash)."""
        try:
            task = workflow.get_task_from_id(UUID(item.id))
        except TaskNotFoundException:
            task = None
        if task is None or task.state != TaskState.READY:
            raise Conflict(MESSAGES.text("task_taken", step=item.step))
        return task

    def record_failure(self, error: ProcessError, *, actor: str | None, retry_after=None) -> None:
        """Record, after the failed transaction, that the process failed; the instance stays as it was.

        With `retry_after` (a timedelta) the instance's due timers are put back by that much, so that a
        timer whose firing fails is retried later instead of on every sweep.
        """
        instance, _ = self._instance(error.instance_id, lock=True)
        now = self.clock.now()
        data = {"message": error.message}
        if retry_after is not None:  # in the history, so that a replay knows the due timers were put off
            data["retry_at"] = (now + retry_after).isoformat()
        self._event(instance, "process_error", actor=actor, step=error.step, data=data)
        if retry_after is not None:
            self._writes().execute(
                update(DueTimer)
                .where(DueTimer.instance_id == instance.id, DueTimer.due_at <= now)
                .values(due_at=now + retry_after)
            )

    def record(
        self,
        instance_id: int,
        type_: str,
        *,
        actor: str | None,
        step: str | None = None,
        data: dict | None = None,
        at: datetime | None = None,
    ) -> None:
        """Add an event of the caller's own to an instance's history, written with the instance (`write`).

        Locks the instance first (store.py), so a caller that records an event before it changes rows of
        its own keeps the one lock order. `at` gives the event the instant the caller already wrote into
        its own rows, so that the two agree exactly.
        """
        instance, _ = self._instance(instance_id, lock=True)
        self._event(instance, type_, actor=actor, step=step, data=data or {}, at=at)

    def open_work_item(self, task_id: str) -> WorkItem:
        item = self.session.get(WorkItem, task_id, execution_options=UNFLUSHED)
        if item is None:
            raise NotFound(MESSAGES.text("task_unknown", task=task_id))
        if item.closed_at is not None:
            raise _closed(item)
        return item


def _closed(item: WorkItem) -> Conflict:
    """The refusal of a task no longer open: a completed one names who completed it and when (a stale page
    learns what happened), a cancelled one says so."""
    if item.outcome == "completed" and item.closed_by:
        return Conflict(
            MESSAGES.text("task_completed_by", step=item.step, by=item.closed_by, at=item.closed_at),
            facts={"completed_by": item.closed_by, "completed_at": item.closed_at.isoformat()},
        )
    return Conflict(MESSAGES.text("task_closed", step=item.step, outcome=item.outcome))
