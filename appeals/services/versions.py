"""The designer's view of deployed versions: list them, read their files, compare two, and move running
appeals from one to another (a deliberate action, one appeal per transaction, each a history event)."""

from sqlalchemy import select

from engine import EngineError

from ..domain import access
from ..domain.models import Appeal
from .appeals import sync_instance

READERS = ("designer", "auditor", "admin")


def list_processes(uow, *, actor) -> list[dict]:
    access.require_role(actor, *READERS)
    with uow.reading():
        latest = {}
        for version in uow.engine.versions():
            latest[version.process_id] = version
        return [
            {"id": pid, "latest_version": v.version, "deployed_at": v.created_at} for pid, v in sorted(latest.items())
        ]


def list_versions(uow, *, actor, process_id: str) -> list[dict]:
    access.require_role(actor, *READERS)
    with uow.reading():
        versions = uow.engine.versions(process_id)
        if not versions:
            uow.engine.latest_version(process_id)  # raises NotFound with the contract's message
        return [
            {
                "process_id": v.process_id,
                "version": v.version,
                "created_at": v.created_at,
                "files": sorted(uow.engine.package(v.package_id).files),
            }
            for v in versions
        ]


def read_file(uow, *, actor, process_id: str, version: int, name: str) -> bytes:
    access.require_role(actor, *READERS)
    with uow.reading():
        return uow.engine.package_file(uow.engine.version(process_id, version), name)


def compare(uow, *, actor, process_id: str, old: int, new: int) -> dict:
    access.require_role(actor, *READERS)
    with uow.reading():
        before, after = uow.engine.version(process_id, old), uow.engine.version(process_id, new)
        return {"process_id": process_id, "from": old, "to": new, **uow.engine.compare(before, after)}


def migration_check(uow, *, actor, process_id: str, version: int) -> dict:
    """Which running instances of other versions could move to `version`, and why the others cannot."""
    access.require_role(actor, "designer")
    with uow.reading():
        target = uow.engine.version(process_id, version)
        rows = [
            _candidate(uow, instance_id, target)
            for instance_id in uow.engine.running_instances(process_id, other_than=target)
        ]
        return {"process_id": process_id, "version": version, "instances": rows}


def migrate(runtime, *, actor, process_id: str, version: int, instance_ids: list[int] | None) -> dict:
    """Move the given running instances (all that can, when None) to `version`, one transaction each."""
    access.require_role(actor, "designer")
    with runtime.uow() as uow:
        target = uow.engine.version(process_id, version)
        candidates = uow.engine.running_instances(process_id, other_than=target)
    results = []
    for instance_id in candidates if instance_ids is None else instance_ids:
        with runtime.uow() as uow:
            try:
                view = uow.engine.migrate(instance_id, uow.engine.version(process_id, version), actor=actor.name)
                sync_instance(uow, view)
                uow.commit()
                results.append({"instance_id": instance_id, "migrated": True, "problems": []})
            except EngineError as error:
                results.append(
                    {
                        "instance_id": instance_id,
                        "migrated": False,
                        "problems": [d for d in error.details if isinstance(d, str)] or [error.message],
                    }
                )
    return {"process_id": process_id, "version": version, "results": results}


def _candidate(uow, instance_id, target) -> dict:
    problems = uow.engine.migration_problems(instance_id, target)
    appeal = uow.session.scalar(select(Appeal.number).where(Appeal.instance_id == instance_id))
    return {"instance_id": instance_id, "appeal_number": appeal, "can_migrate": not problems, "problems": problems}
