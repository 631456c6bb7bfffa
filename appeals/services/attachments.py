"""Attachments: photos and files on an appeal's report (by intake) or on a task (the proof of a fix, by
who acts on the task, while it is open; completing the task is then as usual). Read by who may read the
appeal, except that a confidential appeal's report attachments are withheld from whoever its reporter is
hidden from: a photo taken by the citizen may show who they are. Proofs of a fix are shown to every reader.

The file's bytes are checked before the transaction (domain/media.py), stored content-addressed (adapters/filestore.py),
and their SHA-256 enters the appeal's history (`attachment_added`), so the audit chain covers them. The
event holds no file name: names may be personal, and the history (and its audit bundle) holds no personal
data (retention.py keeps every event when it anonymises an appeal).
"""

import logging
import os

from sqlalchemy import delete, func, insert, select

from engine import Conflict, InvalidData, NotFound, WorkItem

from ..domain import access, media
from ..domain.messages import MESSAGES
from ..domain.models import Appeal, Attachment, Unit
from .appeals import readable

log = logging.getLogger(__name__)

#: The step of an attachment on the report itself (not on a task).
REPORT = "report"
NAME_LENGTH = 200


def attach(uow, *, actor, appeal_id: int, file_name: str, data: bytes, limits, task_id: str | None = None) -> dict:
    """Attach a file to the appeal's report (no `task_id`) or to its open task `task_id`. Nothing is
    stored, neither row nor file, unless every check passes."""
    name = _plain_name(file_name)
    kind = media.media_type(data, name, limits)
    small = media.thumbnail(data, kind, limits)  # decoded outside the transaction: it may take a while
    with uow:
        appeal = readable(uow, actor, appeal_id)
        step = _step_to_attach_to(uow, actor, appeal, task_id)
        digest = uow.runtime.files.put(data)
        row = {
            "appeal_id": appeal.id,
            "task_id": task_id,
            "step": step,
            "file_name": name,
            "media_type": kind,
            "size": len(data),
            "sha256": digest,
            "thumbnail_sha256": uow.runtime.files.put(small) if small else None,
            "uploaded_by": actor.name,
            "uploaded_at": uow.clock.now(),
        }
        attachment = uow.session.scalars(insert(Attachment).returning(Attachment), [row]).one()
        uow.engine.record(
            appeal.instance_id,
            "attachment_added",
            actor=actor.name,
            step=step,
            data={
                "attachment": attachment.id,
                "task_id": task_id,
                "media_type": kind,
                "size": len(data),
                "sha256": digest,
            },
        )
        view = attachment_view(attachment)
        uow.commit()
        return view


def _plain_name(file_name: str) -> str:
    """The file's own name, without any folders a browser sent with it, cut to the column's length with
    its extension kept (a name with no extension is refused by `media.media_type`)."""
    name = os.path.basename(file_name.replace("\\", "/")).strip()
    stem, extension = os.path.splitext(name)
    return stem[: NAME_LENGTH - len(extension)] + extension if len(name) > NAME_LENGTH else name


def _step_to_attach_to(uow, actor, appeal: Appeal, task_id: str | None) -> str:
    """The step the file is attached at, once the actor is found to be one who may attach it there."""
    if task_id is None:
        access.require_role(actor, "intake")
        if appeal.status == "closed":
            raise Conflict(
                MESSAGES.text("appeal_closed_for_attachments", number=appeal.number),
                fields={"appeal": MESSAGES.text("field_appeal_closed")},
            )
        return REPORT
    item = uow.session.get(WorkItem, task_id)
    if item is None or item.instance_id != appeal.instance_id or item.closed_at is not None:
        raise InvalidData(
            MESSAGES.text("task_not_open_on_appeal", number=appeal.number, task=task_id),
            fields={"task_id": MESSAGES.text("field_not_an_open_task")},
        )
    access.require_can_act(actor, item, uow.session.get(Unit, item.candidate_group), trial=False)
    return item.step


def list_attachments(uow, *, actor, appeal_id: int) -> list[dict]:
    """The appeal's attachments the actor may see, oldest first."""
    with uow:
        appeal = readable(uow, actor, appeal_id)
        query = select(Attachment).where(Attachment.appeal_id == appeal.id).order_by(Attachment.id)
        if _report_withheld(uow, actor, appeal):
            query = query.where(Attachment.task_id.is_not(None))
        views = [attachment_view(attachment) for attachment in uow.session.scalars(query)]
        access.log_read(uow, actor, appeal, "attachments")
        return views


def content(uow, *, actor, attachment_id: int, thumbnail: bool = False) -> dict:
    """The attachment's bytes (or its thumbnail's), with its name and media type."""
    with uow:
        attachment, appeal = _readable(uow, actor, attachment_id)
        if thumbnail and attachment.thumbnail_sha256 is None:
            raise NotFound(MESSAGES.text("attachment_no_thumbnail"))
        digest = attachment.thumbnail_sha256 if thumbnail else attachment.sha256
        try:
            data = uow.runtime.files.get(digest)
        except FileNotFoundError:
            # A row without its file: storage not shared between workers, or restored apart from the database.
            log.warning("attachment %s: stored file %s is missing", attachment.id, digest)
            raise NotFound(MESSAGES.text("attachment_file_missing", id=attachment.id)) from None
        found = {
            "file_name": attachment.file_name,
            "media_type": media.THUMBNAIL_TYPE if thumbnail else attachment.media_type,
            "sha256": digest,
            "data": data,
        }
        access.log_read(uow, actor, appeal, f"{'thumbnail' if thumbnail else 'attachment'}:{attachment.id}")
        return found


def _readable(uow, actor, attachment_id: int) -> tuple[Attachment, Appeal]:
    """The attachment and its appeal, if the actor may see it (404 otherwise, so ids are not probed)."""
    query = select(Attachment, Appeal).join(Appeal, Appeal.id == Attachment.appeal_id)
    scope = access.appeal_scope(actor)
    if scope is not None:
        query = query.where(scope)
    row = uow.session.execute(query.where(Attachment.id == attachment_id)).one_or_none()
    if row is None or (row.Attachment.task_id is None and _report_withheld(uow, actor, row.Appeal)):
        raise NotFound(MESSAGES.text("attachment_unknown", attachment=attachment_id))
    return row.Attachment, row.Appeal


def _report_withheld(uow, actor, appeal: Appeal) -> bool:
    """Whether the report's attachments are withheld from the actor: as its reporter is (access.reporter_for)."""
    return appeal.confidential and not access.calls_back(actor, uow.session.get(Unit, appeal.intake_unit))


def first_report_photos(session, appeal_ids: list[int]) -> dict[int, Attachment]:
    """The first photo attached to each appeal's report, by appeal id (appeals with none are absent)."""
    first = (
        select(func.min(Attachment.id))
        .where(
            Attachment.appeal_id.in_(appeal_ids),
            Attachment.task_id.is_(None),
            Attachment.thumbnail_sha256.is_not(None),
        )
        .group_by(Attachment.appeal_id)
    )
    return {photo.appeal_id: photo for photo in session.scalars(select(Attachment).where(Attachment.id.in_(first)))}


def remove_all(uow, appeal: Appeal) -> set[str]:
    """Delete the appeal's attachments (retention: a photo may show who reported, or where they live) in the
    caller's transaction; returns the digests of their files, for `forget` once that has committed."""
    attachments = uow.session.scalars(select(Attachment).where(Attachment.appeal_id == appeal.id)).all()
    uow.session.execute(delete(Attachment).where(Attachment.appeal_id == appeal.id))
    return {a.sha256 for a in attachments} | {a.thumbnail_sha256 for a in attachments if a.thumbnail_sha256}


def forget(runtime, digests: set[str]) -> None:
    """Delete the stored files of `digests` that no attachment refers to any more (the same bytes may be
    attached to another appeal). Called after the attachments' deletion committed, so that a transaction
    rolled back never loses a file."""
    if not digests:
        return
    with runtime.uow().reading() as uow:
        used = set(uow.session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(digests))))
        used |= set(
            uow.session.scalars(select(Attachment.thumbnail_sha256).where(Attachment.thumbnail_sha256.in_(digests)))
        )
    for digest in digests - used:
        runtime.files.delete(digest)


def attachment_view(attachment: Attachment) -> dict:
    return {
        "id": attachment.id,
        "appeal_id": attachment.appeal_id,
        "task_id": attachment.task_id,
        "step": attachment.step,
        "file_name": attachment.file_name,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "has_thumbnail": attachment.thumbnail_sha256 is not None,
        "uploaded_by": attachment.uploaded_by,
        "uploaded_at": attachment.uploaded_at,
    }
