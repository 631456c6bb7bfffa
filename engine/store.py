"""Writing an instance after an operation: state, hash-chained history, work items and due timers, in
the caller's transaction, with the instance's revision as the concurrency check.

A part of the Engine (engine/runtime.py) kept apart so that the operations read as what they do.
"""

from dataclasses import dataclass, field
from functools import cache, wraps

from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import bindparam, case, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from . import changes, plain, state
from . import hash_chain as audit
from .errors import Conflict, EngineError, NotFound, ProcessError
from .messages import MESSAGES
from .models import DueTimer, HistoryEvent, Instance, Package, ProcessVersion, WorkItem


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
    provisional: frozenset[str] = frozenset()  # values in its data reckoned on a provisional calendar year


def leaves_callers_changes(operation):
    """Run an engine operation with the session's autoflush off: its reads do not write the caller's changes.

    Without it, the operation's first read (of the instance, a work item, the calendar) would flush
    whatever the caller had changed before calling it, locking the caller's rows ahead of the instance's
    claim (`_write_instance`), which must be every writer's first lock: a caller that once changed a row of
    its own before recording an event took that row's lock before the instance's, the reverse of an
    operation that writes the same row after its claim, and the two deadlocked. The caller's changes are
    written after the operation, by its own statements or the session's next flush.
    """

    @wraps(operation)
    def run(self, *args, **kwargs):
        with self.session.no_autoflush:
            return operation(self, *args, **kwargs)

    return run


class InstanceStore:
    """Loading and saving instances (expects `session`, `clock`, `library`, `script_engine` and dicts `_held`
    and `_open_items`).

    `_held` keeps every instance this engine read or created, with its version, for the whole unit of
    work: the session's identity map holds objects only weakly, so without it a second operation on the
    same instance in one request (a domain event after a completion, say) would read the row again.
    `_open_items` keeps the open work items of every instance this engine wrote, as its write returned
    them: what a caller shows after an operation, without reading them again.

    Every write is a Core statement on the session's connection (`_writes`), never a session flush nor a
    statement through the session, which would first flush whatever the caller had changed, and no
    operation's read flushes either (`leaves_callers_changes`): the caller's rows are the caller's to
    write, after the instance's claim (by statements of their own, or by the session's next flush or
    commit).
    """

    def _writes(self):
        """The connection the engine writes on (see the class docstring)."""
        return self.session.connection()

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def _instance(self, instance_id) -> Instance:
        return self._instance_and_version(instance_id)[0]

    def versions_of(self, instance_ids) -> dict[int, ProcessVersion]:
        """The version each instance runs, by instance id: those this engine holds, the rest in one query."""
        found = {instance_id: self._held[instance_id][1] for instance_id in instance_ids if instance_id in self._held}
        missing = set(instance_ids) - found.keys()
        if missing:
            rows = self.session.execute(VERSIONS_OF_INSTANCES, {"instance_ids": list(missing)})
            found.update((instance_id, version) for instance_id, version, _ in rows)
        return found

    def open_work_items(self, instance_ids) -> dict[int, list]:
        """The open work items (rows of `work_item`) of each instance, oldest first: those of instances this
        engine wrote in this unit of work as the write returned them, the rest in one query."""
        known = self._open_items
        found = {instance_id: known[instance_id] for instance_id in instance_ids if instance_id in known}
        missing = [instance_id for instance_id in instance_ids if instance_id not in found]
        if missing:
            for item in self.session.execute(OPEN_ITEMS_OF, {"instance_ids": missing}):
                found.setdefault(item.instance_id, []).append(item)
        return found

    def _instance_and_version(self, instance_id) -> tuple[Instance, ProcessVersion]:
        """The instance and its version, read with its package's content hash in one query on first use."""
        held = self._held.get(instance_id)
        if held is None:
            row = self.session.execute(INSTANCE_WITH_VERSION, {"instance_id": instance_id}).one_or_none()
            if row is None:
                raise NotFound(MESSAGES.text("instance_unknown", instance=instance_id))
            held = self.hold(*row)
        return held

    def lock_instance_of(self, task_id: str) -> None:
        """Take the row lock of the instance that work item `task_id` belongs to, until the transaction
        ends, and hold the instance as it stands once locked (NotFound when there is no such item).

        For a caller that decides from its own rows whether it may act (the task still open, no request
        pending, a request still undecided): it reads them after this lock, so of two callers racing on one
        instance the second waits for the first to commit and then sees what the first did, and refuses
        (409); it does not act on what it read before, nor lose to a stale revision with no word of why.
        The instance row is every writer's first lock (`_write_instance`), so the lock order stays one.
        On SQLite, whose writers take turns for a whole transaction (BEGIN IMMEDIATE), FOR UPDATE is left
        out: no other writer can come in between.
        """
        row = self.session.execute(LOCK_INSTANCE_OF_ITEM, {"task_id": task_id}).one_or_none()
        if row is None:
            raise NotFound(MESSAGES.text("task_unknown", task=task_id))
        self.hold(*row)

    def hold(self, instance, version, digest: str | None = None) -> tuple[Instance, ProcessVersion]:
        """Keep an instance with its version for this unit of work (see the class docstring): one this
        engine read, locked, created or moved to another version. `digest` is the package's content hash
        when it was read with them."""
        self.package(version.package_id, digest)
        held = self._held[instance.id] = (instance, version)
        return held

    def _load(self, instance_id):
        self._pending = []  # events noted by an operation that failed are not this one's
        instance, version = self._instance_and_version(instance_id)
        spec, subprocess_specs = self.package(version.package_id).specs[version.process_id]
        workflow = self.library.serializer.load(
            instance.state, spec=spec, subprocess_specs=subprocess_specs, script_engine=self.script_engine
        )
        return instance, version, workflow

    def _save(
        self, instance, workflow, version, *, actor, completed=None, change=None, started=False, annotate=None
    ) -> InstanceView:
        """Write the workflow's state, history, work items and due timers.

        `change` is the operation's record for replay when no event of the operation carries one yet
        (a timer sweep: it goes on the first timer that fired). `started`: the operation created the
        instance, so it has no work items or due timers yet to read or clear. `annotate(view)` is the
        caller's look at the outcome before anything is written: the events it records join this write
        (one claim of the instance's revision, one insert of events) instead of each making its own.
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
        instance.has_provisional_times = bool(view.provisional)
        view.fired = fired
        if annotate is not None:
            self._annotate(instance, view, annotate)
        self._write_events(instance, state_hash=audit.state_digest(instance.state))
        self._sync_work_items(
            instance.id, view.tasks, now, actor=actor, completed=completed, seq=instance.last_seq, started=started
        )
        if not started and not clears_timers(self._dialect()):
            self._writes().execute(CLEAR_TIMERS, {"of_instance": instance.id})
        if view.timers:
            self._writes().execute(
                INSERT_TIMERS,
                [
                    {"id": t.id, "instance_id": instance.id, "step": t.step, "name": t.name, "due_at": t.due_at}
                    for t in view.timers
                ],
            )
        view.revision = instance.revision
        return view

    def _annotate(self, instance, view, annotate) -> None:
        """Let the caller record events (and change its own rows) before the instance is written.

        Nothing the caller changes is written with the instance: its UPDATE is the first row lock of every
        writer (see `_write_events`), and the caller writes its rows after this write, in the same
        transaction (see the class docstring).

        At a start the instance's INSERT came first, and no other writer can see the new row yet, so a
        caller may write rows of its own that refer to it, by statements of their own: a flush of the
        session would also write the instance's pending changes, ahead of this write's claim.
        """
        self._annotating = instance.id
        try:
            annotate(view)
        finally:
            self._annotating = None

    def _run(self, instance, operation, failure: str, **where) -> None:
        """Run `operation`; a failure raises ProcessError with message `failure` (a key in MESSAGES)."""
        try:
            operation()
        except EngineError:
            raise
        except Exception as error:  # SpiffWorkflow's, or what the designer's process made it raise (a TypeError)
            step = task_step(error)
            raise ProcessError(
                MESSAGES.text(failure, problem=describe(error), **where),
                instance_id=instance.id,
                step=step,
                details=[{"step": step}],
            ) from error

    def _sync_work_items(self, instance_id, tasks, now, *, actor, completed, seq, started):
        """Close the work items whose tasks are gone and write the current ones, in two statements.

        The first closes every open item of the instance that is no current task (the completed one as
        completed, the others as cancelled), and on PostgreSQL clears its due timers too; the second
        inserts the current tasks: a new one opens, an open one only takes its due time, a closed one is
        reopened (a rewind made its task ready again, and a task keeps its id). The second returns the rows
        as stored, which are then the instance's open items (`open_work_items`).
        """
        current = [task.id for task in tasks]
        closed, stored = [], []
        if not started:
            parameters = {
                "of_instance": instance_id,
                "current": current,
                "completed": completed,
                "actor": actor,
                "now": now,
                "seq": seq,
            }
            closed = self._writes().execute(close_gone_items(self._dialect()), parameters).scalars().all()
        if tasks:
            rows = [
                {
                    "id": t.id,
                    "instance_id": instance_id,
                    "step": t.step,
                    "name": t.name,
                    "lane": t.lane,
                    "candidate_group": t.candidate_group,
                    "due_at": t.due_at,
                    "due_provisional": t.due_provisional,
                    "created_at": now,
                    "context": t.context,
                    "closed_at": None,
                    "closed_by": None,
                    "outcome": None,
                    "opened_seq": seq,
                    "closed_seq": None,
                }
                for t in tasks
            ]
            stored = self._writes().execute(write_work_items(self._dialect()), rows).all()
        self._open_items[instance_id] = sorted(stored, key=lambda item: (item.created_at, item.id))
        self._expire(WorkItem, [*closed, *current])

    def _expire(self, model, ids) -> None:
        """Expire the session's objects for rows just written with Core statements, which bypass the
        session: a caller that read a work item before the operation must not see it as it was."""
        for key in ids:
            obj = self.session.identity_map.get(self.session.identity_key(model, key))
            if obj is not None:
                self.session.expire(obj)

    def _view(self, instance, version, workflow) -> InstanceView:
        try:
            reading = state.read(workflow)
        except SpiffWorkflowException as error:
            raise ProcessError(
                MESSAGES.text("next_task_unassigned", problem=describe(error)),
                instance_id=instance.id,
                step=task_step(error),
            ) from error
        return InstanceView(
            id=instance.id,
            process_id=version.process_id,
            version=version.version,
            status=instance.status,
            data=reading.data,
            tasks=reading.tasks,
            timers=reading.timers,
            messages=reading.messages,
            error=instance.error,
            revision=instance.revision or 0,
            provisional=reading.provisional,
        )

    def _event(self, instance, type_, *, actor, step=None, data=None, change=None, at=None):
        """Note an event; it is written by `_write_events` once the instance's revision is claimed.

        `change` is the operation's record for replay (see operations.py); events without one are notes.
        `at`: the instant, when the caller has already read the clock for what the event records.
        """
        self._pending.append(
            HistoryEvent(
                instance_id=instance.id,
                at=at or self.clock.now(),
                type=type_,
                actor=actor,
                step=step,
                data=data or {},
                change=change,
            )
        )

    def _write_events(self, instance, state_hash=None):
        """Claim the instance's next revision, then write the noted events after it, hash-chained.

        The event that records the operation's change also carries the digest of the state it produced.
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
        self._write_instance(instance)
        if events:
            self._writes().execute(INSERT_EVENTS, [_columns(event) for event in events])

    def _write_instance(self, instance) -> None:
        """Write the instance's changed columns with `UPDATE ... WHERE revision = :read`, by itself.

        This is the concurrency check and, on PostgreSQL, the row lock a concurrent writer then waits on,
        so it must be every writer's first lock: a writer that lost learns it from a stale revision, never
        from a clash of event numbers or a deadlock. A statement of its own, not a session flush, because
        a flush orders rows by class name and would write a caller's pending rows (its own records) first.
        """
        read = instance.revision
        instance.revision = read + 1
        claim = {**changes.of(instance), "claim_id": instance.id, "claim_revision": read}
        if self._writes().execute(CLAIM, claim).rowcount != 1:
            instance.revision = read
            raise Conflict(MESSAGES.text("changed_meanwhile"))
        changes.written(instance)


def with_version(*columns):
    """A query of `columns` over instances, each with its version and its package's content hash."""
    return _joined_to_version(select(*columns, ProcessVersion, Package.content_hash).select_from(Instance))


#: A work item's version, as `with_item_versions` adds it to a query: the version's id, process and package,
#: and the package's content hash. Columns, not the ProcessVersion object: loading an object per row
#: made an inbox of 500 tasks half as slow again (35 -> 55 ms).
VERSION_COLUMNS = (ProcessVersion.id, ProcessVersion.process_id, ProcessVersion.package_id, Package.content_hash)


def with_item_versions(query):
    """`query` over work items, widened by each item's version (`VERSION_COLUMNS`, the last columns of
    each row): what `Deployments.forms` needs to find the items' forms."""
    return _widened(query, *VERSION_COLUMNS)


def _widened(query, *columns):
    """`query` over work items, joined to each item's instance, version and package, with `columns` added."""
    return _joined_to_version(query.add_columns(*columns).join(Instance, Instance.id == WorkItem.instance_id))


def _joined_to_version(query):
    """`query`, which reads instances, joined to each instance's version and that version's package."""
    return query.join(ProcessVersion, Instance.process_version_id == ProcessVersion.id).join(
        Package, ProcessVersion.package_id == Package.id
    )


# The statements every operation runs, built once with named parameters: building a statement (and its
# cache key) each time cost about as much CPU as running it (measured: a select of open work items took
# 395-483 us built per call, 257-304 us prebuilt).

#: The instance's UPDATE ... WHERE revision = :read; the columns it sets are the parameters given.
CLAIM = update(Instance.__table__).where(
    Instance.__table__.c.id == bindparam("claim_id"), Instance.__table__.c.revision == bindparam("claim_revision")
)
#: A new instance's INSERT, returning it as a persistent object of the session.
INSERT_INSTANCE = insert(Instance).returning(Instance)
#: An instance with its version and package hash, by `instance_id`.
INSTANCE_WITH_VERSION = with_version(Instance).where(Instance.id == bindparam("instance_id"))
#: The ids of `instance_ids`, each with its version and package hash.
VERSIONS_OF_INSTANCES = with_version(Instance.id).where(Instance.id.in_(bindparam("instance_ids", expanding=True)))
#: The instance of work item `task_id`, with its version and package hash, locked FOR UPDATE and read as it
#: stands once locked, over whatever the session held of it (see `lock_instance_of`).
LOCK_INSTANCE_OF_ITEM = (
    with_version(Instance)
    .where(Instance.id == select(WorkItem.instance_id).where(WorkItem.id == bindparam("task_id")).scalar_subquery())
    .with_for_update(of=Instance)
    .execution_options(populate_existing=True)
)
#: The instance with the soonest timer due by `now`, other than those in `skip`, locked (see
#: `Engine.claim_due_instance`).
DUE_INSTANCE = (
    select(Instance.id)
    .join(DueTimer, DueTimer.instance_id == Instance.id)
    .where(DueTimer.due_at <= bindparam("now"), DueTimer.instance_id.not_in(bindparam("skip", expanding=True)))
    .order_by(DueTimer.due_at)
    .limit(1)
    .with_for_update(skip_locked=True, of=Instance)
)
INSERT_EVENTS = insert(HistoryEvent.__table__)
INSERT_TIMERS = insert(DueTimer.__table__)
CLEAR_TIMERS = delete(DueTimer.__table__).where(DueTimer.__table__.c.instance_id == bindparam("of_instance"))
#: The open work items of `instance_ids`, oldest first, as rows.
OPEN_ITEMS_OF = (
    select(WorkItem.__table__)
    .where(WorkItem.instance_id.in_(bindparam("instance_ids", expanding=True)), WorkItem.closed_at.is_(None))
    .order_by(WorkItem.created_at, WorkItem.id)
)


@cache
def close_gone_items(dialect: str):
    """Close the open work items of `of_instance` that are not in `current`: the `completed` one as
    completed by `actor`, the others as cancelled, at `now` and history event `seq`; returns their ids.

    On PostgreSQL the same statement also clears the instance's due timers (a data-modifying WITH; see
    `clears_timers`), which the operation then writes anew: one round trip fewer per operation.
    """
    items = WorkItem.__table__
    done = items.c.id == bindparam("completed")
    statement = (
        update(items)
        .where(
            items.c.instance_id == bindparam("of_instance"),
            items.c.closed_at.is_(None),
            items.c.id.not_in(bindparam("current", expanding=True)),
        )
        .values(
            closed_at=bindparam("now"),
            closed_by=case((done, bindparam("actor")), else_=None),
            outcome=case((done, "completed"), else_="cancelled"),
            closed_seq=bindparam("seq"),
        )
        .returning(items.c.id)
    )
    return statement.add_cte(CLEAR_TIMERS.cte("cleared_timers")) if clears_timers(dialect) else statement


def clears_timers(dialect: str) -> bool:
    """Whether `close_gone_items` clears the due timers too: on PostgreSQL; SQLite has no DELETE in WITH."""
    return dialect == "postgresql"


UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@cache
def write_work_items(dialect: str):
    """INSERT ... ON CONFLICT (id) DO UPDATE ... RETURNING for the current tasks' work items (see
    `_sync_work_items`).

    On a conflict a closed row is rewritten from the new one (reopened); an open one takes only the new
    due time and keeps the rest. Every row is updated, even one that stays as it was, so that RETURNING
    gives every current item (a skipped row would not be returned, and would have to be read again).
    Built once per dialect: building it copies every column of the table (for `excluded`), which cost
    more than running it.
    """
    if dialect not in UPSERTS:
        raise NotImplementedError(f"the engine runs on {sorted(UPSERTS)}, not on {dialect}")
    items = WorkItem.__table__
    statement = UPSERTS[dialect](items)
    new = statement.excluded
    reopened = items.c.closed_at.is_not(None)
    kept_unless_reopened = {
        column.name: case((reopened, new[column.name]), else_=column)
        for column in items.columns
        if column.name not in ("id", "due_at", "due_provisional")
    }
    return statement.on_conflict_do_update(
        index_elements=[items.c.id],
        set_={**kept_unless_reopened, "due_at": new.due_at, "due_provisional": new.due_provisional},
    ).returning(*items.columns)


def _columns(event: HistoryEvent) -> dict:
    """An event's column values for a Core INSERT (the database numbers its id)."""
    return {c.key: getattr(event, c.key) for c in HistoryEvent.__table__.columns if c.key != "id"}


def describe(error) -> str:
    """The first line of a process failure, in plain words (see plain.py)."""
    words = plain.runtime_words(str(error).splitlines()[0]) if str(error) else ""
    if isinstance(error, SpiffWorkflowException):
        return words or error.__class__.__name__
    return f"{error.__class__.__name__}: {words}" if words else error.__class__.__name__  # a bare TypeError says little


def task_step(error):
    task = getattr(error, "task", None)
    return getattr(task.task_spec, "bpmn_id", None) if task is not None else None
