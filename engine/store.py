"""Loading instances and writing what operations did to them: state, hash-chained history, work items and
due timers, in the caller's transaction.

There is one write path. An operation locks its instance's row when it first reads it, runs the workflow
in memory and notes its events; the caller may note events of its own (`Engine.record`); `write` then
writes every changed instance: its row (state, revision, last event), its new events, its work items and
due timers, by Core statements. The unit of work calls `write` before it commits, and the session's flush
writes the caller's own rows. Because every writer takes the instance's lock before it writes anything of
that instance's, and nothing that takes the lock waits on another row first, two writers of one instance
wait for each other instead of deadlocking; the revision in the row's UPDATE is the check that nothing
wrote the instance behind that lock.

A part of the Engine (engine/runtime.py) kept apart so that the operations read as what they do.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import bindparam, case, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from . import hash_chain, state
from .deployments import with_version
from .errors import Conflict, EngineError, NotFound, ProcessError
from .messages import MESSAGES
from .models import DueTimer, HistoryEvent, Instance, ProcessVersion, WorkItem
from .plain import describe, task_step


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
    revision: int  # the revision the operation's write gives the instance
    fired: list[state.FiredTimer] = field(default_factory=list)  # the timers this operation fired
    provisional: frozenset[str] = frozenset()  # values in its data reckoned on a provisional calendar year


@dataclass
class InstanceRow:
    """An instance's row as the engine holds it for a unit of work, without its state: read (or inserted),
    changed by operations, and written by `InstanceStore.write`. Plain data, not a mapped object, so that
    no session flush ever writes it behind the engine's back."""

    id: int
    process_version_id: int
    status: str
    error: str | None
    last_seq: int
    last_hash: str | None
    revision: int  # as stored: the write claims revision + 1
    created_at: datetime
    updated_at: datetime
    has_provisional_times: bool
    locked: bool = False  # this transaction holds the row's lock


@dataclass
class _Run:
    """What an operation did to an instance's workflow, waiting for `write`."""

    workflow: object
    tasks: list[state.OpenTask]
    timers: list[state.WaitingTimer]
    actor: str | None
    completed: str | None  # the work item the operation completed
    started: bool  # the operation created the instance: no work items or due timers to close or clear


class InstanceStore:
    """Loading and writing instances (expects `session`, `clock`, `library`, `live` and `script_engine`).

    For one unit of work it keeps: `_held`, every instance read, locked or created, with its version (the
    session's identity map holds objects only weakly, and the rows are not mapped objects anyway);
    `_events` and `_runs`, what is noted and not yet written, by instance; `_open_items`, the open work
    items of every instance written, as the write returned them (what a caller shows after an operation,
    without reading them again); `_written`, the workflows written, to keep alive once committed
    (engine/live.py).
    """

    def _start_unit(self) -> None:
        self._held: dict[int, tuple[InstanceRow, ProcessVersion]] = {}
        self._events: dict[int, list[HistoryEvent]] = {}
        self._runs: dict[int, _Run] = {}
        self._open_items: dict[int, list] = {}
        self._written: dict[int, tuple[InstanceRow, object]] = {}

    def _writes(self):
        """The connection the engine writes on: Core statements, never a flush of the caller's rows."""
        return self.session.connection()

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def open_work_items(self, instance_ids) -> dict[int, list]:
        """The open work items (rows of `work_item`) of each instance, oldest first: those of instances this
        engine changed in this unit of work as their write returned them (written now if not yet), the
        rest in one query."""
        if any(instance_id in self._runs for instance_id in instance_ids):
            self.write()
        known = self._open_items
        found = {instance_id: known[instance_id] for instance_id in instance_ids if instance_id in known}
        missing = [instance_id for instance_id in instance_ids if instance_id not in found]
        if missing:
            for item in self.session.execute(OPEN_ITEMS_OF, {"instance_ids": missing}):
                found.setdefault(item.instance_id, []).append(item)
        return found

    def _instance(self, instance_id, *, lock: bool = False) -> tuple[InstanceRow, ProcessVersion]:
        """The instance and its version, read with its package's content hash in one query on first use;
        with `lock`, read as it stands once its row is locked for this transaction (see `lock_instance_of`)."""
        held = self._held.get(instance_id)
        if held is None or (lock and not held[0].locked):
            query = LOCK_INSTANCE if lock else INSTANCE_WITH_VERSION
            row = self.session.execute(query, {"instance_id": instance_id}).one_or_none()
            if row is None:
                raise NotFound(MESSAGES.text("instance_unknown", instance=instance_id))
            held = self._hold_read(row, locked=lock)
        return held

    def lock_instance_of(self, task_id: str) -> None:
        """Take the row lock of the instance that work item `task_id` belongs to, until the transaction
        ends, and hold the instance as it stands once locked (NotFound when there is no such item).

        For a caller that decides from its own rows whether it may act (the task still open, no request
        pending, a request still undecided): it reads them after this lock, so of two callers racing on one
        instance the second waits for the first to commit and then sees what the first did, and refuses
        (409); it does not act on what it read before. Every writer of an instance takes this lock first
        (the module docstring). On SQLite, whose writers take turns for a whole transaction (BEGIN
        IMMEDIATE), FOR UPDATE is left out: no other writer can come in between.
        """
        row = self.session.execute(LOCK_INSTANCE_OF_ITEM, {"task_id": task_id}).one_or_none()
        if row is None:
            raise NotFound(MESSAGES.text("task_unknown", task=task_id))
        self._hold_read(row, locked=True)

    def _hold_read(self, row, *, locked: bool) -> tuple[InstanceRow, ProcessVersion]:
        """Hold an instance read with its version and package hash (`INSTANCE_WITH_VERSION`'s columns)."""
        *values, version, digest = row
        instance = InstanceRow(
            **{column.key: value for column, value in zip(INSTANCE_COLUMNS, values, strict=True)}, locked=locked
        )
        return self.hold(instance, version, digest)

    def hold(self, instance: InstanceRow, version, digest: str | None = None) -> tuple[InstanceRow, ProcessVersion]:
        """Keep an instance with its version for this unit of work: one this engine read, locked, created or
        moved to another version. `digest` is the package's content hash when it was read with them."""
        self.package(version.package_id, digest)
        held = self._held[instance.id] = (instance, version)
        return held

    def _load(self, instance_id):
        """The instance, locked, with its version and its workflow: as this unit of work last wrote it, as
        this process kept it alive at the instance's revision (engine/live.py), or restored from the stored
        state. An operation's workflow is its own: what it takes is given back only by a committed write."""
        if instance_id in self._runs:  # a second operation on the instance: the first's write comes first
            self.write()
        instance, version = self._instance(instance_id, lock=True)
        _, workflow = self._written.pop(instance_id, (None, None))
        if workflow is None:
            workflow = self.live.take(instance)
        if workflow is None:
            return instance, version, self._restored(instance_id, version)
        workflow.script_engine = self.script_engine  # this unit of work's clock and calendar
        return instance, version, workflow

    def _restored(self, instance_id, version):
        spec, subprocess_specs = self.package(version.package_id).specs[version.process_id]
        stored = self.session.scalar(STATE_OF, {"instance_id": instance_id})
        return self.library.serializer.load(
            stored, spec=spec, subprocess_specs=subprocess_specs, script_engine=self.script_engine
        )

    def _ran(
        self, instance: InstanceRow, workflow, version, *, actor, completed=None, change=None, started=False
    ) -> InstanceView:
        """Note what an operation did to the instance's workflow, to be written by `write`; its view.

        `change` is the operation's record for replay when no event of the operation carries one yet
        (a timer sweep: it goes on the first timer that fired). `started`: the operation created the
        instance, so it has no work items or due timers yet to close or clear.
        """
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
        view = self._view(instance, version, workflow)
        instance.has_provisional_times = bool(view.provisional)
        view.fired = fired
        self._runs[instance.id] = _Run(workflow, view.tasks, view.timers, actor, completed, started)
        return view

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
            revision=instance.revision + 1,
            provisional=reading.provisional,
        )

    def _event(self, instance, type_, *, actor, step=None, data=None, change=None, at=None):
        """Note an event; `write` numbers, chains and writes it with its instance.

        `change` is the operation's record for replay (see operations.py); events without one are notes.
        `at`: the instant, when the caller has already read the clock for what the event records.
        """
        self._events.setdefault(instance.id, []).append(
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

    # -- the write --------------------------------------------------------------------------------------

    def write(self) -> None:
        """Write every instance changed or given events in this unit of work, in the order of their ids."""
        for instance_id in sorted(self._runs.keys() | {i for i, events in self._events.items() if events}):
            self._write(self._held[instance_id][0])

    def committed(self) -> None:
        """Keep alive the workflows written by the transaction that has just committed (engine/live.py)."""
        for instance, workflow in self._written.values():
            self.live.keep(instance, workflow)
        self._written = {}

    def _write(self, instance: InstanceRow) -> None:
        """Write the instance's row, then its events, work items and due timers."""
        run, events = self._runs.pop(instance.id, None), self._events.pop(instance.id, [])
        if run is None and instance.id not in self._written:  # events only: the state stays as kept alive
            kept = self.live.take(instance)
            if kept is not None:
                self._written[instance.id] = (instance, kept)
        state_now = self.library.serializer.dump(run.workflow) if run is not None else None
        digested = run is not None and (instance.status != "running" or (instance.revision + 1) % DIGEST_EVERY == 0)
        self._chain(instance, events, state_hash=hash_chain.state_digest(state_now) if digested else None)
        self._claim(instance, state_now)
        if events:
            self._writes().execute(INSERT_EVENTS, [_columns(event) for event in events])
        if run is not None:
            self._sync_work_items(instance.id, run, seq=instance.last_seq)
            self._write_timers(instance.id, run)
            self._written[instance.id] = (instance, run.workflow)

    @staticmethod
    def _chain(instance: InstanceRow, events, *, state_hash) -> None:
        """Number the events after the instance's last and chain their hashes; the event that records the
        operation's change also carries the digest of the state it produced, when it is taken
        (`DIGEST_EVERY`)."""
        for event in events:
            instance.last_seq += 1
            event.seq = instance.last_seq
            if event.change is not None:
                event.state_hash = state_hash
            event.prev_hash = instance.last_hash or hash_chain.GENESIS
            event.hash = hash_chain.event_hash(event)
            instance.last_hash = event.hash

    def _claim(self, instance: InstanceRow, state_now: dict | None) -> None:
        """UPDATE the instance's row to its next revision `WHERE revision = :read`: under the instance's lock
        it always matches; a writer that had not taken the lock learns from it that it lost (Conflict),
        never from a clash of event numbers."""
        instance.updated_at = self.clock.now()
        claim = {name: getattr(instance, name) for name in WRITTEN_COLUMNS}
        if state_now is not None:
            claim["state"] = state_now
        claim.update(revision=instance.revision + 1, claim_id=instance.id, claim_revision=instance.revision)
        if self._writes().execute(CLAIM, claim).rowcount != 1:
            raise Conflict(MESSAGES.text("changed_meanwhile"))
        instance.revision += 1

    def _write_timers(self, instance_id: int, run: _Run) -> None:
        """Write the instance's due timers anew."""
        if not run.started:
            self._writes().execute(CLEAR_TIMERS, {"of_instance": instance_id})
        if run.timers:
            self._writes().execute(
                INSERT_TIMERS,
                [
                    {"id": t.id, "instance_id": instance_id, "step": t.step, "name": t.name, "due_at": t.due_at}
                    for t in run.timers
                ],
            )

    def _sync_work_items(self, instance_id, run: _Run, *, seq):
        """Close the work items whose tasks are gone and write the current ones, in two statements.

        The first closes every open item of the instance that is no current task (the completed one as
        completed, the others as cancelled); the second inserts the current tasks: a new one opens, an open
        one only takes its due time, a closed one is reopened (a rewind made its task ready again, and a
        task keeps its id). The second returns the rows as stored, which are then the instance's open items
        (`open_work_items`).
        """
        now = self.clock.now()
        current = [task.id for task in run.tasks]
        closed, stored = [], []
        if not run.started:
            parameters = {
                "of_instance": instance_id,
                "current": current,
                "completed": run.completed,
                "actor": run.actor,
                "now": now,
                "seq": seq,
            }
            closed = self._writes().execute(CLOSE_GONE_ITEMS, parameters).scalars().all()
        if run.tasks:
            opened = {"instance_id": instance_id, "created_at": now, "opened_seq": seq}
            rows = [{**{name: getattr(t, name) for name in TASK_COLUMNS}, **opened} for t in run.tasks]
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


# The statements every operation runs, built once with named parameters: building a statement (and its
# cache key) each time cost about as much CPU as running it (measured: a select of open work items took
# 395-483 us built per call, 257-304 us prebuilt).

#: The state's digest goes with the change written at every DIGEST_EVERY-th revision of an instance, and with
#: the change that ends it (completed, or failed). A replay compares its state with the digest where there
#: is one and with the stored state at the end (replay.py). A digest at every change cost 2.6 ms of CPU per
#: closed-loop appeal (7 digests, bench/state_cost.py), about 5 % of the server's, and told a replay no more
#: than where, within these few changes, a history stopped producing its state.
DIGEST_EVERY = 8
#: The instance's columns the engine holds (`InstanceRow`, in its order): all but the state, which is read
#: only to restore a workflow not kept alive (`STATE_OF`).
INSTANCE_COLUMNS = [column for column in Instance.__table__.columns if column.key != "state"]
#: The columns a write sets from the held row (besides the state, the revision and the time of the write).
WRITTEN_COLUMNS = (
    "process_version_id",
    "status",
    "error",
    "last_seq",
    "last_hash",
    "has_provisional_times",
    "updated_at",
)
#: A work item's columns that its open task gives; the columns of its closing are left out, to be NULL.
TASK_COLUMNS = ("id", "step", "name", "lane", "candidate_group", "due_at", "due_provisional", "context")
#: The instance's UPDATE ... WHERE revision = :read; the columns it sets are the parameters given.
CLAIM = update(Instance.__table__).where(
    Instance.__table__.c.id == bindparam("claim_id"), Instance.__table__.c.revision == bindparam("claim_revision")
)
#: A new instance's INSERT, returning its columns as `InstanceRow` holds them.
INSERT_INSTANCE = insert(Instance.__table__).returning(*INSTANCE_COLUMNS)
#: An instance's stored state, by `instance_id`.
STATE_OF = select(Instance.state).where(Instance.id == bindparam("instance_id"))
#: The execution option of the engine's reads that may come before its lock: they leave what the caller
#: changed unflushed, so that the lock stays the first of the transaction's locks on the instance's rows.
UNFLUSHED = {"autoflush": False}
#: An instance with its version and package hash, by `instance_id`.
INSTANCE_WITH_VERSION = (
    with_version(*INSTANCE_COLUMNS).where(Instance.id == bindparam("instance_id")).execution_options(**UNFLUSHED)
)
#: The same, locked FOR UPDATE: read as it stands once locked.
LOCK_INSTANCE = INSTANCE_WITH_VERSION.with_for_update(of=Instance)
#: The ids of `instance_ids`, each with its version and package hash.
VERSIONS_OF_INSTANCES = with_version(Instance.id).where(Instance.id.in_(bindparam("instance_ids", expanding=True)))
#: The instance of work item `task_id`, with its version and package hash, locked FOR UPDATE and read as it
#: stands once locked (see `lock_instance_of`).
LOCK_INSTANCE_OF_ITEM = (
    with_version(*INSTANCE_COLUMNS)
    .where(Instance.id == select(WorkItem.instance_id).where(WorkItem.id == bindparam("task_id")).scalar_subquery())
    .with_for_update(of=Instance)
    .execution_options(**UNFLUSHED)
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


def _close_gone_items():
    """Close the open work items of `of_instance` that are not in `current`: the `completed` one as
    completed by `actor`, the others as cancelled, at `now` and history event `seq`; returns their ids."""
    items = WorkItem.__table__
    done = items.c.id == bindparam("completed")
    return (
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


CLOSE_GONE_ITEMS = _close_gone_items()


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
