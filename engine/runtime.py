"""The engine's operations on one database session: deploy, start, complete, deliver, fire timers.

Each operation loads what it needs, runs SpiffWorkflow, and writes the instance state, its open work
items, its due timers and its history into the session, then flushes: the caller's unit of work commits
or rolls back. Two writers of one instance are told apart by the instance's `revision` (optimistic
concurrency): the second gets Conflict and nothing of its work is written.
"""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from jsonschema import Draft202012Validator, FormatChecker
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException, WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm.exc import StaleDataError

from . import audit, operations, state, versions
from .calendar import WorkingCalendar, load_calendar
from .errors import Conflict, InvalidData, NotFound, ProcessError
from .library import PackageLibrary
from .models import DueTimer, HistoryEvent, Instance, Package, PackageFile, ProcessVersion, WorkItem
from .package import content_hash, parse_package
from .replay import Replayer
from .sandbox import SandboxedScriptEngine


@dataclass
class Deployment:
    package_id: int
    versions: list[ProcessVersion]
    created: bool
    warnings: list[dict] = field(default_factory=list)


@dataclass
class InstanceView:
    """An instance as callers see it after an operation."""

    id: int
    process_id: str
    version: int
    status: str
    data: dict
    tasks: list[state.OpenTask]
    timers: list[state.WaitingTimer]
    messages: list[str]
    error: str | None
    revision: int
    fired: list[state.FiredTimer] = field(default_factory=list)  # the timers this operation fired


class Engine:
    def __init__(self, session, *, clock, library: PackageLibrary, zone: str = "Asia/Shanghai"):
        self.session = session
        self.clock = clock
        self.library = library
        self.zone = zone
        self.script_engine = SandboxedScriptEngine(clock, zone, self.calendar)
        self._pending: list[HistoryEvent] = []
        self._calendar = None

    def replayer(self) -> Replayer:
        """Replays of this database's instances, for auditors (see replay.py)."""
        return Replayer(self.session, library=self.library, zone=self.zone, calendar=self.calendar)

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar with the administrators' overrides, read once per engine."""
        if self._calendar is None:
            self._calendar = load_calendar(self.session, self.zone)
        return self._calendar

    # -- deployment ---------------------------------------------------------------------------------

    def deploy(self, files: dict[str, bytes], *, actor: str, lanes=None, forms_required=()) -> Deployment:
        """Deploy a package; identical content returns the versions it already has."""
        existing = self.session.scalar(select(Package).where(Package.content_hash == content_hash(files)))
        if existing is not None:
            versions = self.session.scalars(
                select(ProcessVersion).where(ProcessVersion.package_id == existing.id)
            ).all()
            return Deployment(existing.id, list(versions), created=False)
        parsed = parse_package(files, lanes=lanes, forms_required=forms_required)
        now = self.clock.now()
        package = Package(content_hash=parsed.content_hash, created_at=now, created_by=actor)
        self.session.add(package)
        self.session.flush()
        self.session.add_all(
            PackageFile(package_id=package.id, name=name, content=content) for name, content in files.items()
        )
        versions = []
        for process_id in sorted(parsed.specs):
            latest = self.session.scalar(
                select(ProcessVersion.version)
                .where(ProcessVersion.process_id == process_id)
                .order_by(ProcessVersion.version.desc())
                .limit(1)
            )
            versions.append(
                ProcessVersion(process_id=process_id, version=(latest or 0) + 1, package_id=package.id, created_at=now)
            )
        self.session.add_all(versions)
        self.session.flush()
        self.library.put(parsed)
        return Deployment(package.id, versions, created=True, warnings=[w.as_dict() for w in parsed.warnings])

    def latest_version(self, process_id: str) -> ProcessVersion:
        version = self.session.scalar(
            select(ProcessVersion)
            .where(ProcessVersion.process_id == process_id)
            .order_by(ProcessVersion.version.desc())
            .limit(1)
        )
        if version is None:
            raise NotFound(f"no process '{process_id}' is deployed", fields={"process_id": "unknown process"})
        return version

    def versions(self, process_id: str | None = None) -> list[ProcessVersion]:
        """Deployed versions, of one process or of all, oldest first."""
        query = select(ProcessVersion).order_by(ProcessVersion.process_id, ProcessVersion.version)
        if process_id is not None:
            query = query.where(ProcessVersion.process_id == process_id)
        return list(self.session.scalars(query))

    def version(self, process_id: str, number: int) -> ProcessVersion:
        found = self.session.scalar(
            select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.version == number)
        )
        if found is None:
            raise NotFound(f"process '{process_id}' has no version {number}", fields={"version": "unknown version"})
        return found

    def package_file(self, version: ProcessVersion, name: str) -> bytes:
        found = self.session.get(PackageFile, (version.package_id, name))
        if found is None:
            raise NotFound(f"version {version.version} of '{version.process_id}' has no file '{name}'")
        return found.content

    def compare(self, old: ProcessVersion, new: ProcessVersion) -> dict:
        """Steps added, removed and changed; forms and decision rules changed (see versions.py)."""
        before = self.library.get(self.session, old.package_id)
        after = self.library.get(self.session, new.package_id)
        return versions.compare(self.library.serializer.registry, before, after, old.process_id)

    def running_instances(self, process_id: str, *, other_than: ProcessVersion) -> list[int]:
        """Running instances of `process_id` on versions other than `other_than`."""
        return list(
            self.session.scalars(
                select(Instance.id)
                .join(ProcessVersion, Instance.process_version_id == ProcessVersion.id)
                .where(ProcessVersion.process_id == process_id, ProcessVersion.id != other_than.id)
                .where(Instance.status == "running")
                .order_by(Instance.id)
            )
        )

    def form(self, work_item: WorkItem) -> dict:
        """The form of an open task: its JSON Schema and UI schema."""
        version = self.session.scalar(select(ProcessVersion).join(Instance).where(Instance.id == work_item.instance_id))
        parsed = self.library.get(self.session, version.package_id)
        spec = _find_task_spec(parsed.specs[version.process_id], work_item.step)
        return parsed.form_for(spec)

    # -- instances ----------------------------------------------------------------------------------

    def start(self, process_id: str, data: dict, *, actor: str | None) -> InstanceView:
        """Start an instance of the newest version; a process that fails at once is kept with status error."""
        self._pending = []
        version = self.latest_version(process_id)
        spec, subprocess_specs = self.library.get(self.session, version.package_id).specs[process_id]
        workflow = operations.new_workflow(spec, subprocess_specs, self.script_engine, data)
        now = self.clock.now()
        instance = Instance(
            process_version_id=version.id, status="running", state={}, last_seq=0, created_at=now, updated_at=now
        )
        self.session.add(instance)
        self.session.flush()
        self._event(
            instance,
            "instance_started",
            actor=actor,
            change={"op": "start", "data": data},
            data={"process_id": process_id, "version": version.version, "data": data},
        )
        try:
            state.advance(workflow)
        except SpiffWorkflowException as error:
            instance.status, instance.error = "error", _describe(error)
            self._event(
                instance, "process_error", actor=actor, step=_task_step(error), data={"message": instance.error}
            )
        return self._save(instance, workflow, version, actor=actor)

    def complete(self, task_id: str, data: dict, *, actor: str, extra: dict | None = None) -> InstanceView:
        """Complete an open user task with data valid against its form; `extra` is set on the task too.

        `extra` is what the caller derives from the submitted data (never validated against the form): it
        lets a domain add facts the process needs. It is kept in the history's record of the change.
        """
        item = self.open_work_item(task_id)
        instance, version, workflow = self._load(item.instance_id)
        task = self._ready_task(workflow, item)
        parsed = self.library.get(self.session, version.package_id)
        _validate(parsed.form_for(task.task_spec)["schema"], data)
        change = {
            "op": "complete",
            "step": item.step,
            "ordinal": operations.ordinal(workflow, task),
            "data": {**data, **(extra or {})},
        }
        self._event(instance, "task_completed", actor=actor, step=item.step, data=data, change=change)
        self._run(instance, lambda: operations.complete(workflow, task, change["data"]), f"after '{item.step}'")
        return self._save(instance, workflow, version, actor=actor, completed=task_id)

    def deliver_message(self, instance_id: int, name: str, payload: dict, *, actor: str | None) -> InstanceView:
        instance, version, workflow = self._load(instance_id)
        if state.message_definition(workflow, name) is None:
            raise Conflict(f"instance {instance_id} is not waiting for message '{name}'")
        change = {"op": "message", "name": name, "payload": payload}
        self._event(instance, "message_received", actor=actor, data={"name": name, "payload": payload}, change=change)
        self._run(instance, lambda: operations.deliver(workflow, name, payload), f"on message '{name}'")
        return self._save(instance, workflow, version, actor=actor)

    def claim_due_instance(self, *, skip=frozenset()) -> int | None:
        """The instance with the soonest due timer, locked for this transaction, or None when none is due.

        On PostgreSQL the instance row is taken FOR UPDATE SKIP LOCKED: any number of workers share the
        due instances without waiting on each other, and a worker that dies mid-fire releases its lock
        with its connection, leaving the instance to the next sweep. On SQLite the write lock taken at
        BEGIN lets one worker in at a time. Only the indexed due-timer table is read to find the work.
        """
        query = (
            select(Instance.id)
            .join(DueTimer, DueTimer.instance_id == Instance.id)
            .where(DueTimer.due_at <= self.clock.now())
            .order_by(DueTimer.due_at)
            .limit(1)
            .with_for_update(skip_locked=True, of=Instance)
        )
        if skip:
            query = query.where(DueTimer.instance_id.not_in(skip))
        return self.session.scalar(query)

    def fire_due_timers(self, instance_id: int) -> InstanceView:
        """Fire every timer of the instance that is due by the engine's clock."""
        instance, version, workflow = self._load(instance_id)
        self._run(instance, lambda: operations.fire(workflow), "after a timer")
        return self._save(instance, workflow, version, actor=None, change={"op": "fire"})

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
        return self._save(instance, workflow, version, actor=actor)

    def rewind(self, instance_id: int, step: str, *, actor: str, event: str, details: dict) -> InstanceView:
        """Reopen the most recent completed `step`, undoing everything after it (e.g. a wrong dispatch)."""
        instance, version, workflow = self._load(instance_id)
        self._event(instance, event, actor=actor, step=step, data=details, change={"op": "rewind", "step": step})
        try:
            self._run(instance, lambda: operations.rewind(workflow, step), f"going back to '{step}'")
        except LookupError as error:
            raise Conflict(f"instance {instance_id}: {error}: nothing to go back to") from error
        return self._save(instance, workflow, version, actor=actor)

    def migration_problems(self, instance_id: int, version: ProcessVersion) -> list[str]:
        """Why an instance cannot move to `version` (empty: it can)."""
        instance, current, workflow = self._load(instance_id)
        if current.process_id != version.process_id:
            return [f"the instance runs process '{current.process_id}', not '{version.process_id}'"]
        if instance.status != "running":
            return [f"the instance is {instance.status}"]
        spec, subprocess_specs = self._specs(version)
        return operations.migration_problems(self.library.serializer.registry, workflow, spec, subprocess_specs)

    def migrate(self, instance_id: int, version: ProcessVersion, *, actor: str) -> InstanceView:
        """Move a running instance to another version of its process, keeping its timers' due times."""
        problems = self.migration_problems(instance_id, version)
        if problems:
            raise Conflict(f"instance {instance_id} cannot move to version {version.version}", details=problems)
        instance, current, workflow = self._load(instance_id)
        change = {"op": "migrate", "version_id": version.id}
        self._event(
            instance, "migrated", actor=actor, data={"from": current.version, "to": version.version}, change=change
        )
        spec, subprocess_specs = self._specs(version)
        self._run(
            instance,
            lambda: operations.migrate(self.library.serializer.registry, workflow, spec, subprocess_specs),
            "migrating",
        )
        instance.process_version_id = version.id
        return self._save(instance, workflow, version, actor=actor)

    @staticmethod
    def _ready_task(workflow, item):
        """The work item's task, which must still be ready in the state just loaded: a writer that
        committed after the work item was read may have completed it (then: Conflict, not a crash)."""
        try:
            task = workflow.get_task_from_id(UUID(item.id))
        except TaskNotFoundException:
            task = None
        if task is None or task.state != TaskState.READY:
            raise Conflict(f"task {item.id} ({item.step}) is no longer open: someone else completed it just now")
        return task

    def _specs(self, version: ProcessVersion):
        return self.library.get(self.session, version.package_id).specs[version.process_id]

    def record_failure(self, error: ProcessError, *, actor: str | None, retry_after=None) -> None:
        """Record, after the failed transaction, that the process failed; the instance stays as it was.

        With `retry_after` (a timedelta) the instance's due timers are put back by that much, so that a
        timer whose firing fails is retried later instead of on every sweep.
        """
        instance = self._instance(error.instance_id)
        self._pending = []
        self._event(instance, "process_error", actor=actor, step=error.step, data={"message": error.message})
        self._write_events(instance)
        if retry_after is not None:
            now = self.clock.now()
            self.session.execute(
                update(DueTimer)
                .where(DueTimer.instance_id == instance.id, DueTimer.due_at <= now)
                .values(due_at=now + retry_after)
            )
        self._flush()

    def record(
        self, instance_id: int, type_: str, *, actor: str | None, step: str | None = None, data: dict | None = None
    ) -> None:
        """Add an event of the caller's own to an instance's history (in the caller's transaction)."""
        instance = self._instance(instance_id)
        self._event(instance, type_, actor=actor, step=step, data=data or {})
        self._write_events(instance)
        self._flush()

    def view(self, instance_id: int) -> InstanceView:
        instance, version, workflow = self._load(instance_id)
        return self._view(instance, version, workflow)

    def history(self, instance_id: int) -> list[HistoryEvent]:
        self._instance(instance_id)
        return list(
            self.session.scalars(
                select(HistoryEvent).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.seq)
            )
        )

    def open_work_item(self, task_id: str) -> WorkItem:
        item = self.session.get(WorkItem, task_id)
        if item is None:
            raise NotFound(f"no task {task_id}")
        if item.closed_at is not None:
            raise Conflict(f"task {task_id} ({item.step}) is no longer open: it was {item.outcome}")
        return item

    # -- persistence --------------------------------------------------------------------------------

    def _instance(self, instance_id) -> Instance:
        instance = self.session.get(Instance, instance_id)
        if instance is None:
            raise NotFound(f"no instance {instance_id}")
        return instance

    def _load(self, instance_id):
        self._pending = []  # events noted by an operation that failed are not this one's
        instance = self._instance(instance_id)
        version = self.session.get(ProcessVersion, instance.process_version_id)
        spec, subprocess_specs = self.library.get(self.session, version.package_id).specs[version.process_id]
        workflow = self.library.serializer.load(
            instance.state, spec=spec, subprocess_specs=subprocess_specs, script_engine=self.script_engine
        )
        return instance, version, workflow

    def _save(self, instance, workflow, version, *, actor, completed=None, change=None) -> InstanceView:
        """Write the workflow's state, history, work items and due timers.

        `change` is the operation's record for replay when no event of the operation carries one yet
        (a timer sweep: it goes on the first timer that fired).
        """
        now = self.clock.now()
        fired = state.fired_timers(workflow)
        for timer in fired:
            self._event(
                instance,
                "timer_fired",
                actor=None,
                step=timer.step,
                data={"name": timer.name, "due_at": timer.due_at.isoformat() if timer.due_at else None},
                change=change if timer is fired[0] else None,
            )
        if workflow.is_completed() and instance.status == "running":
            instance.status = "completed"
            self._event(instance, "instance_completed", actor=None)
        instance.state = self.library.serializer.dump(workflow)
        view = self._view(instance, version, workflow)
        self._write_events(instance, state_hash=audit.state_digest(instance.state))
        self._sync_work_items(instance.id, view.tasks, now, actor=actor, completed=completed, seq=instance.last_seq)
        self.session.execute(delete(DueTimer).where(DueTimer.instance_id == instance.id))
        if view.timers:
            self.session.execute(
                insert(DueTimer),
                [
                    {"id": t.id, "instance_id": instance.id, "step": t.step, "name": t.name, "due_at": t.due_at}
                    for t in view.timers
                ],
            )
        self._flush()
        view.revision = instance.revision
        view.fired = fired
        return view

    def _run(self, instance, operation, where: str) -> None:
        try:
            operation()
        except (SpiffWorkflowException, WorkflowException) as error:
            step = _task_step(error)
            raise ProcessError(
                f"the process failed {where}: {_describe(error)}",
                instance_id=instance.id,
                step=step,
                details=[{"step": step}],
            ) from error

    def _sync_work_items(self, instance_id, tasks, now, *, actor, completed, seq):
        """Close the work items whose tasks are gone, open the new ones, and move changed due times."""
        open_items = dict(
            self.session.execute(
                select(WorkItem.id, WorkItem.due_at).where(
                    WorkItem.instance_id == instance_id, WorkItem.closed_at.is_(None)
                )
            ).all()
        )
        current = {task.id: task for task in tasks}
        for task_id in open_items.keys() - current.keys():
            done = task_id == completed
            self.session.execute(
                update(WorkItem)
                .where(WorkItem.id == task_id)
                .values(
                    closed_at=now,
                    closed_by=actor if done else None,
                    outcome="completed" if done else "cancelled",
                    closed_seq=seq,
                )
            )
        for task_id in open_items.keys() & current.keys():
            if open_items[task_id] != current[task_id].due_at:
                self.session.execute(
                    update(WorkItem).where(WorkItem.id == task_id).values(due_at=current[task_id].due_at)
                )
        rows = [
            {
                "id": t.id,
                "instance_id": instance_id,
                "step": t.step,
                "name": t.name,
                "lane": t.lane,
                "candidate_group": t.candidate_group,
                "due_at": t.due_at,
                "created_at": now,
                "context": t.context,
                "closed_at": None,
                "closed_by": None,
                "outcome": None,
                "opened_seq": seq,
                "closed_seq": None,
            }
            for task_id, t in current.items()
            if task_id not in open_items
        ]
        if not rows:
            return
        reopened = set(self.session.scalars(select(WorkItem.id).where(WorkItem.id.in_([r["id"] for r in rows]))))
        for row in (r for r in rows if r["id"] in reopened):  # a task made ready again by a rewind
            self.session.execute(update(WorkItem).where(WorkItem.id == row["id"]).values(**row))
        fresh = [r for r in rows if r["id"] not in reopened]
        if fresh:
            self.session.execute(insert(WorkItem), fresh)

    def _view(self, instance, version, workflow) -> InstanceView:
        try:
            tasks = state.open_tasks(workflow)
        except SpiffWorkflowException as error:
            raise ProcessError(f"cannot assign the next task: {_describe(error)}") from error
        return InstanceView(
            id=instance.id,
            process_id=version.process_id,
            version=version.version,
            status=instance.status,
            data=state.current_data(workflow),
            tasks=tasks,
            timers=state.waiting_timers(workflow),
            messages=state.waiting_messages(workflow),
            error=instance.error,
            revision=instance.revision or 0,
        )

    def _event(self, instance, type_, *, actor, step=None, data=None, change=None):
        """Note an event; it is written by `_write_events` once the instance's revision is claimed.

        `change` is the operation's record for replay (see operations.py); events without one are notes.
        """
        self._pending.append(
            HistoryEvent(
                instance_id=instance.id,
                at=self.clock.now(),
                type=type_,
                actor=actor,
                step=step,
                data=data or {},
                change=change,
            )
        )

    def _write_events(self, instance, state_hash=None):
        """Claim the instance's next revision, then write the noted events after it, hash-chained.

        The instance row is flushed on its own first: its `UPDATE ... WHERE revision = :read` is the
        concurrency check (and, on PostgreSQL, takes the row lock a concurrent writer then waits on), so
        a writer that lost learns it from a stale revision, never from a clash of event numbers. The event
        that records the operation's change also carries the digest of the state it produced.
        """
        events, self._pending = self._pending, []
        for event in events:
            instance.last_seq += 1
            event.seq = instance.last_seq
            if event.change is not None:
                event.state_hash = state_hash
            event.prev_hash = instance.last_hash or audit.GENESIS
            event.hash = audit.event_hash(event)
            instance.last_hash = event.hash
        instance.updated_at = self.clock.now()
        self._flush()
        self.session.add_all(events)

    def _flush(self):
        try:
            self.session.flush()
        except StaleDataError as error:
            raise Conflict("the instance was changed by someone else at the same time: reload and try again") from error


def _validate(schema: dict, data: dict) -> None:
    errors = sorted(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        fields = {}
        for error in errors:
            name = ".".join(str(p) for p in error.path) or _missing_field(error) or "data"
            fields.setdefault(name, error.message)
        raise InvalidData("the data does not satisfy the task's form", fields=fields)


def _missing_field(error):
    if error.validator == "required":
        return error.message.split("'")[1] if "'" in error.message else None
    if error.validator == "additionalProperties":
        return error.message.split("'")[1] if "'" in error.message else None
    return None


def _find_task_spec(specs, step):
    spec, subprocess_specs = specs
    for candidate in (spec, *subprocess_specs.values()):
        for task_spec in candidate.task_specs.values():
            # a multi-instance task shares its step id with the wrapper around it, which has no form
            if getattr(task_spec, "bpmn_id", None) == step and hasattr(task_spec, "extensions"):
                return task_spec
    raise NotFound(f"no step '{step}' in this version")


def _describe(error) -> str:
    return str(error).splitlines()[0] if str(error) else error.__class__.__name__


def _task_step(error):
    task = getattr(error, "task", None)
    return getattr(task.task_spec, "bpmn_id", None) if task is not None else None
