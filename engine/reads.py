"""Looks at instances that change nothing: their view, history, path and whether they can migrate, and
the versions they run.

A part of the Engine (engine/runtime.py) kept apart from the operations and their write (store.py): a look
restores the workflow from the stored state and leaves a workflow kept alive (engine/live.py) for the next
operation, locks nothing and writes nothing.
"""

from sqlalchemy import select

from . import paths
from .models import HistoryEvent, ProcessVersion
from .store import VERSIONS_OF_INSTANCES, InstanceView


class InstanceReads:
    """Looks at instances (expects what InstanceStore expects, and the Engine's `_migration_problems`)."""

    def versions_of(self, instance_ids) -> dict[int, ProcessVersion]:
        """The version each instance runs, by instance id: those this engine holds, the rest in one query."""
        found = {instance_id: self._held[instance_id][1] for instance_id in instance_ids if instance_id in self._held}
        missing = set(instance_ids) - found.keys()
        if missing:
            rows = self.session.execute(VERSIONS_OF_INSTANCES, {"instance_ids": list(missing)})
            found.update((instance_id, version) for instance_id, version, _ in rows)
        return found

    def migration_problems(self, instance_id: int, version: ProcessVersion) -> list[str]:
        """Why an instance cannot move to `version` (empty: it can)."""
        return self._migration_problems(*self._read(instance_id), version)

    def path(self, instance_id: int, seq: int | None = None) -> list[paths.ProcessPath]:
        """The path the instance took up to event `seq` (a replay), or up to now when None, per process
        (see paths.py), each with its version: the processes it called at their version in its package."""
        if seq is None:
            _instance, version, workflow = self._read(instance_id)
        else:
            _events, version, workflow = self.replayer().workflow_at(instance_id, seq)
        found = paths.read(workflow, self.package(version.package_id).files)
        versions = dict(
            self.session.execute(
                select(ProcessVersion.process_id, ProcessVersion.version).where(
                    ProcessVersion.package_id == version.package_id
                )
            ).all()
        )
        for path in found:
            path.version = versions.get(path.process_id)
        return found

    def view(self, instance_id: int) -> InstanceView:
        """The instance as it stands: its data, open tasks, waiting timers and status."""
        instance, version, workflow = self._read(instance_id)
        return self._view(instance, version, workflow)

    def history(self, instance_id: int) -> list[HistoryEvent]:
        """The instance's events in order (NotFound when there is no such instance)."""
        self._instance(instance_id)
        return list(
            self.session.scalars(
                select(HistoryEvent).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.seq)
            )
        )

    def _read(self, instance_id):
        """The instance with its version and its workflow restored from the stored state, for a look that
        changes nothing (a workflow kept alive is left for the next operation)."""
        instance, version = self._instance(instance_id)
        return instance, version, self._restored(instance_id, version)
