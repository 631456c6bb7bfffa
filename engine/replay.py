"""Replay: re-execute an instance from its first event on the exact version it ran, feeding the recorded
changes at the recorded clock times, and compare what comes out with what was stored.

It answers two questions for auditors: does the recorded history really produce the recorded state
(and if not, at which event does it stop doing so), and what did the instance look like just after any
given event.
"""

from dataclasses import dataclass, replace

from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from sqlalchemy import select

from . import hash_chain, operations, rows, state
from .clock import FixedClock
from .errors import NotFound, ProcessError
from .messages import MESSAGES
from .models import HistoryEvent, Instance, ProcessVersion, WorkItem
from .sandbox import SandboxedScriptEngine
from .texts import Text


@dataclass
class Verdict:
    """Whether an instance's history produces what is stored; `reason` says why not, worded when read."""

    instance_id: int
    consistent: bool
    events: int
    first_bad_seq: int | None = None
    reason: Text | None = None
    snapshot: "Snapshot | None" = None  # the instance after its last event, when it replays consistently

    def as_dict(self) -> dict:
        return {
            "instance_id": self.instance_id,
            "consistent": self.consistent,
            "events": self.events,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
        }


@dataclass
class Snapshot:
    """An instance just after one of its events, as replayed."""

    seq: int
    at: object
    status: str
    data: dict
    tasks: list  # state.OpenTask, with the ids the tasks had
    timers: list  # state.WaitingTimer
    provisional: frozenset[str] = frozenset()  # values in its data reckoned on a provisional calendar year


class Divergence(Exception):
    def __init__(self, seq: int, reason: Text):
        super().__init__(str(reason))
        self.seq, self.reason = seq, reason


class Replayer:
    """Replays instances read from `session`; the engine supplies its package library, zone and calendar
    revisions (a callable returning `CalendarRevisions`): each event replays on the calendar as it stood
    at that event, as the live operation computed on it."""

    def __init__(self, session, *, library, zone: str, revisions):
        self.session, self.library, self.zone, self.revisions = session, library, zone, revisions

    def verify(self, instance_id: int) -> Verdict:
        """Check the chain and its end against the instance row, replay it, and compare what it produces
        with the stored state, the open work items and the due timers (what people see and what fires)."""
        instance, events = self._history(instance_id)
        broken = hash_chain.first_broken_link(events) or hash_chain.tail_mismatch(
            events, instance.last_seq, instance.last_hash
        )
        if broken is not None:
            return Verdict(instance_id, False, len(events), *broken)
        try:
            _version, workflow = self._replay(instance, events, until=None)
        except Divergence as divergence:
            return Verdict(instance_id, False, len(events), divergence.seq, divergence.reason)
        last_change = next(e.seq for e in reversed(events) if e.change is not None)
        if hash_chain.state_digest(self.library.serializer.dump(workflow)) != hash_chain.state_digest(instance.state):
            return Verdict(instance_id, False, len(events), last_change, MESSAGES.text("stored_state_differs"))
        snapshot = self._snapshot(instance_id, workflow, events, seq=len(events))
        difference = rows.first_difference(
            self.session, instance_id, snapshot.tasks, rows.postponed(snapshot.timers, events)
        )
        if difference is not None:
            return Verdict(instance_id, False, len(events), events[-1].seq, difference)
        return Verdict(instance_id, True, len(events), snapshot=snapshot)

    def state_at(self, instance_id: int, seq: int) -> Snapshot:
        """The instance just after event `seq`: process data, open tasks (with their ids), waiting timers."""
        events, _version, workflow = self.workflow_at(instance_id, seq)
        return self._snapshot(instance_id, workflow, events, seq=seq)

    def workflow_at(self, instance_id: int, seq: int) -> tuple[list, ProcessVersion, object]:
        """The history, and the version the instance ran on and its workflow just after event `seq`."""
        instance, events = self._history(instance_id)
        if not 1 <= seq <= len(events):
            raise NotFound(MESSAGES.text("event_unknown", instance=instance_id, seq=seq))
        try:
            version, workflow = self._replay(instance, events, until=seq)
        except Divergence as divergence:
            raise ProcessError(
                MESSAGES.text("history_diverges", seq=divergence.seq, reason=divergence.reason)
            ) from None
        return events, version, workflow

    def _snapshot(self, instance_id, workflow, events, *, seq) -> Snapshot:
        items = self.session.scalars(
            select(WorkItem)
            .where(WorkItem.instance_id == instance_id, WorkItem.opened_seq <= seq)
            .where((WorkItem.closed_seq.is_(None)) | (WorkItem.closed_seq > seq))
            .order_by(WorkItem.opened_seq, WorkItem.id)
        ).all()
        reading = state.read(workflow)
        ids = _pair_ids(reading.tasks, items)
        errors = [e for e in events[:seq] if e.type == "process_error"]
        status = "completed" if workflow.is_completed() else "error" if errors else "running"
        return Snapshot(
            seq=seq,
            at=events[seq - 1].at,
            status=status,
            data=reading.data,
            tasks=[replace(task, id=ids.get(task.id, task.id)) for task in reading.tasks],
            timers=reading.timers,
            provisional=reading.provisional,
        )

    def _history(self, instance_id):
        instance = self.session.get(Instance, instance_id)
        if instance is None:
            raise NotFound(MESSAGES.text("instance_unknown", instance=instance_id))
        events = self.session.scalars(
            select(HistoryEvent).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.seq)
        ).all()
        return instance, events

    def _replay(self, instance, events, *, until) -> tuple[ProcessVersion, object]:
        """The version the instance ran on after the last event replayed (a migration moves it), and its
        workflow then."""
        version = self._first_version(instance, events)
        spec, subprocess_specs = self.library.get(self.session, version.package_id).specs[version.process_id]
        clock = FixedClock(events[0].at)
        script_engine = SandboxedScriptEngine(clock, self.zone, lambda: self.revisions().at(clock.now()))
        workflow = None
        for event in events:
            if until is not None and event.seq > until:
                break
            if event.change is None:
                continue
            clock.set(event.at)
            workflow = self._apply(workflow, event, spec, subprocess_specs, script_engine)
            if event.change["op"] == "migrate":
                version = self.session.get(ProcessVersion, event.change["version_id"])
            state.fired_timers(workflow)  # as the live save does: it marks what it reported ...
            workflow.is_completed()  # ... and asks whether the workflow completed, which sets a flag
            if event.state_hash is not None and event.state_hash != hash_chain.state_digest(
                self.library.serializer.dump(workflow)
            ):
                raise Divergence(event.seq, MESSAGES.text("replay_state_differs", event=event.type))
        if workflow is None:
            raise Divergence(events[0].seq if events else 0, MESSAGES.text("replay_no_start"))
        return version, workflow

    def _first_version(self, instance, events) -> ProcessVersion:
        """The version the instance started on (a migration may have moved it since)."""
        started = events[0].data if events else {}
        version = self.session.scalar(
            select(ProcessVersion).where(
                ProcessVersion.process_id == started.get("process_id"), ProcessVersion.version == started.get("version")
            )
        )
        return version or self.session.get(ProcessVersion, instance.process_version_id)

    def _apply(self, workflow, event, spec, subprocess_specs, script_engine):
        change = event.change
        try:
            if change["op"] == "start":
                workflow = operations.new_workflow(spec, subprocess_specs, script_engine, change["data"])
                try:
                    state.advance(workflow)
                except Exception:  # as Engine.start: recorded as process_error, the instance kept as it stood
                    pass
            elif change["op"] == "migrate":
                target = self.session.get(ProcessVersion, change["version_id"])
                new_spec, new_subprocess_specs = self.library.get(self.session, target.package_id).specs[
                    target.process_id
                ]
                operations.migrate(self.library.serializer.registry, workflow, new_spec, new_subprocess_specs)
            else:
                operations.apply(workflow, change)
        except (SpiffWorkflowException, WorkflowException, LookupError, KeyError) as error:
            raise Divergence(event.seq, MESSAGES.text("replay_fails", event=event.type, problem=str(error))) from error
        return workflow


def _pair_ids(tasks, items) -> dict:
    """Replayed tasks have new ids: give each the id it had, matching open work items step by step."""
    by_step: dict[str, list] = {}
    for item in items:
        by_step.setdefault(item.step, []).append(item.id)
    return {task.id: by_step[task.step].pop(0) for task in tasks if by_step.get(task.step)}
