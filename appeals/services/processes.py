"""The designer's service: deploy packages, start trial instances of any process, read and message them."""

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engine import (
    Conflict,
    DueTimer,
    HistoryEvent,
    Instance,
    InvalidPackage,
    NotFound,
    ProcessVersion,
    files_from_upload,
)

from ..domain import access
from ..domain.messages import MESSAGES
from ..domain.models import Appeal
from ..domain.vocabulary import FORMS_REQUIRED, ROLES
from . import failures
from .views import open_task_view


def deploy(uow, *, actor, files: dict[str, bytes]) -> dict:
    """Deploy a package; the same content again gives the same versions back."""
    access.require_role(actor, "designer")
    with uow:
        return _deployed(uow, actor, files)


def deploy_edit(uow, *, actor, process_id: str, base_version: int, files: dict[str, str]) -> dict:
    """Deploy the package of `base_version` with some of its files replaced (the console's editors).

    Only an edit of the newest version is taken: an edit of an older one would quietly undo whatever was
    deployed since (for every process of the package), so it is a 409 and the designer reopens the newest.
    Only files the package holds may be replaced, so that a misspelt name is an error, not a new file.
    """
    access.require_role(actor, "designer")
    with uow:
        base = uow.engine.version(process_id, base_version)
        newest = uow.engine.latest_version(process_id).version
        if newest != base_version:
            raise Conflict(
                MESSAGES.text("edit_not_newest", process_id=process_id, version=base_version, newest=newest),
                fields={"base_version": MESSAGES.text("field_newest_version", newest=newest)},
            )
        package = uow.engine.package(base.package_id).files
        unknown = sorted(set(files) - set(package))
        if unknown:
            raise InvalidPackage(
                MESSAGES.text("edit_unknown_file", name=unknown[0], version=base_version), fields={"files": unknown[0]}
            )
        edited = {**package, **{name: text.encode() for name, text in files.items()}}
        return _deployed(uow, actor, files_from_upload(list(edited.items())), edit_of=(process_id, base_version))


def _deployed(uow, actor, files: dict[str, bytes], *, edit_of: tuple[str, int] | None = None) -> dict:
    """The one way a package is deployed, inside the caller's unit of work, which this commits. Two
    deployments at once may both number their versions N+1 (or both hold the same content); the one
    that loses to the unique constraint gets 409, not a 500.

    An edit of (process, version) must make version + 1: the newest was checked before the package was
    parsed, and another edit may have been deployed meanwhile, which this one would quietly undo.
    """
    try:
        deployment = uow.engine.deploy(files, actor=actor.name, lanes=set(ROLES), forms_required=FORMS_REQUIRED)
        if edit_of is not None and deployment.created:
            _require_next_version(deployment, *edit_of)
        uow.commit()
    except IntegrityError as error:
        raise Conflict(MESSAGES.text("concurrent_write")) from error
    return {
        "package_id": deployment.package_id,
        "created": deployment.created,
        "versions": [
            {"process_id": v.process_id, "version": v.version, "created_at": v.created_at} for v in deployment.versions
        ],
        "warnings": deployment.warnings,
    }


def _require_next_version(deployment, process_id: str, base_version: int) -> None:
    made = next((v.version for v in deployment.versions if v.process_id == process_id), base_version + 1)
    if made != base_version + 1:
        raise Conflict(
            MESSAGES.text("edit_not_newest", process_id=process_id, version=base_version, newest=made - 1),
            fields={"base_version": MESSAGES.text("field_newest_version", newest=made - 1)},
        )


def check(uow, *, actor, files: dict[str, bytes]) -> dict:
    """What deploying `files` would find, deploying nothing: for the workbench to mark before a deploy."""
    access.require_role(actor, "designer")
    with uow.reading():
        return uow.engine.check(files, lanes=set(ROLES), forms_required=FORMS_REQUIRED)


def list_trials(uow, *, actor, process_id: str) -> list[dict]:
    """The newest trial instances of a process (its appeals' instances are not the designer's to read)."""
    access.require_role(actor, "designer")
    with uow.reading():
        rows = uow.session.execute(
            select(Instance.id, ProcessVersion.version, Instance.status, Instance.created_at)
            .join(ProcessVersion, Instance.process_version_id == ProcessVersion.id)
            .outerjoin(Appeal, Appeal.instance_id == Instance.id)
            .where(ProcessVersion.process_id == process_id, Appeal.id.is_(None))
            .order_by(Instance.id.desc())
            .limit(TRIALS_LISTED)
        )
        return [
            {"id": i, "process": {"id": process_id, "version": v}, "status": s, "created_at": at}
            for i, v, s, at in rows
        ]


#: How many trial instances the workbench lists, newest first.
TRIALS_LISTED = 50


def start_trial(uow, *, actor, process_id: str, data: dict) -> dict:
    """Start a trial instance of the newest version of any deployed process."""
    access.require_role(actor, "designer")
    with uow:
        view = uow.engine.start(process_id, data, actor=actor.name)
        uow.commit()
        return instance_detail(view)


def get_instance(uow, *, actor, instance_id: int) -> dict:
    access.require_role(actor, "designer")
    with uow.reading():
        _trial_only(uow, instance_id)
        return {**instance_detail(uow.engine.view(instance_id)), "timer_failure": _timer_failure(uow, instance_id)}


def _timer_failure(uow, instance_id: int) -> dict | None:
    """Why the instance's timers last failed to fire, and when the sweep tries them again (see
    failures.recorded): while its newest event is the sweep's `process_error`, else None."""
    last = uow.session.scalars(
        select(HistoryEvent).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.seq.desc()).limit(1)
    ).first()
    if last is None or last.type != "process_error" or last.actor is not None:
        return None
    retry = uow.session.scalar(select(func.min(DueTimer.due_at)).where(DueTimer.instance_id == instance_id))
    return {"message": last.data.get("message"), "step": last.step, "failed_at": last.at, "retry_at": retry}


def deliver_message(uow, *, actor, instance_id: int, name: str, payload: dict) -> dict:
    access.require_role(actor, "designer")
    with failures.recorded(uow.runtime, actor=actor.name), uow:
        _trial_only(uow, instance_id)
        view = uow.engine.deliver_message(instance_id, name, payload, actor=actor.name)
        uow.commit()
        return instance_detail(view)


def instance_detail(view) -> dict:
    return {
        "id": view.id,
        "process": {"id": view.process_id, "version": view.version},
        "status": view.status,
        "error": view.error,
        "data": view.data,
        "tasks": [open_task_view(t, instance_id=view.id) for t in view.tasks],
        "timers": [
            {"step": t.step, "name": t.name, "due_at": t.due_at, "provisional": t.provisional} for t in view.timers
        ],
        "messages": view.messages,
    }


def _trial_only(uow, instance_id):
    """Designers see trial instances; an appeal's instance holds citizens' data and is not theirs to read."""
    if uow.session.scalar(select(Appeal.id).where(Appeal.instance_id == instance_id)) is not None:
        raise NotFound(MESSAGES.text("trial_instance_unknown", instance=instance_id))


BUNDLED = (Path(__file__).resolve().parents[2] / "processes", Path(__file__).resolve().parents[2] / "forms")


def deploy_folders(uow, *, folders=BUNDLED, actor: str = "system") -> dict:
    """Deploy the package made of every file in `folders` (by default the bundled processes and forms)."""
    files = {}
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            if path.is_file() and path.suffix in (".bpmn", ".dmn", ".json"):
                files[path.name] = path.read_bytes()
    with uow:
        deployment = uow.engine.deploy(files, actor=actor, lanes=set(ROLES), forms_required=FORMS_REQUIRED)
        uow.commit()
        return {
            "created": deployment.created,
            "versions": [(v.process_id, v.version) for v in deployment.versions],
            "warnings": deployment.warnings,
        }
