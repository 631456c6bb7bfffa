"""What an appeal's page draws: the path its process took (engine/paths.py) up to now or up to any event,
per process it ran (the appeal's own and the escalation it called), and the diagrams of those versions.

Whoever may read the appeal may read its path: steps, flows, units and due times, no personal data.
"""

from sqlalchemy import select

from engine import NotFound, ProcessVersion

from ..domain import access
from ..domain.messages import MESSAGES
from .appeals import readable


def path(uow, *, actor, appeal_id: int, seq: int | None = None) -> dict:
    """The appeal's path just after event `seq` (a replay), or as it stands when None."""
    with uow:
        appeal = readable(uow, actor, appeal_id)
        events = uow.engine.history(appeal.instance_id)
        found = uow.engine.path(appeal.instance_id, seq)
        shown = seq or len(events)
        access.log_read(uow, actor, appeal, f"path:{shown}")
        return {
            "appeal_id": appeal.id,
            "seq": shown,
            "at": events[shown - 1].at,
            "processes": [_process_view(p) for p in found],
        }


def _process_view(found) -> dict:
    return {
        "process_id": found.process_id,
        "version": found.version,
        "file": found.file,
        "runs": found.runs,
        "elements": [{"id": element, "count": count} for element, count in found.elements.items()],
        "flows": [{"id": flow, "count": count} for flow, count in found.flows.items()],
        "active": found.active,
        "tasks": [
            {"element": t.step, "name": t.name, "lane": t.lane, "unit": t.candidate_group, "due_at": t.due_at}
            for t in found.tasks
        ],
        "timers": [{"element": t.step, "name": t.name, "due_at": t.due_at} for t in found.timers],
    }


def diagram(uow, *, actor, appeal_id: int, process_id: str, version: int) -> bytes:
    """The BPMN file of a process version the appeal ran on: its own process's, at the version it started
    on or moved to, or a process deployed with one of those (the escalation it called)."""
    with uow:
        appeal = readable(uow, actor, appeal_id)
        wanted = uow.session.scalar(
            select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.version == version)
        )
        if wanted is None or wanted.package_id not in _packages_run(uow, appeal.instance_id):
            raise NotFound(
                MESSAGES.text("diagram_unknown", appeal=appeal.number, process_id=process_id, version=version)
            )
        spec, _subprocess_specs = uow.engine.package(wanted.package_id).specs[process_id]
        content = uow.engine.package_file(wanted, spec.file)
        uow.end_read()
        return content


def _packages_run(uow, instance_id: int) -> set[int]:
    """The packages of the versions the instance ran on: the one it started on and each it moved to."""
    events = uow.engine.history(instance_id)
    started = events[0].data
    ids = {uow.engine.version(started["process_id"], started["version"]).package_id}
    moved = [e.change["version_id"] for e in events if e.change is not None and e.change.get("op") == "migrate"]
    ids |= {uow.session.get(ProcessVersion, version_id).package_id for version_id in moved}
    return ids
