"""Supervision and the handler's remedies: leaders write instructions (批示; claims are in claims.py);
handlers ask for more time (leaders decide) or send a wrongly dispatched appeal back to collation."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine import Conflict, InvalidData, NotFound, WorkItem

from ..domain import access
from ..domain.errors import Forbidden
from ..domain.messages import MESSAGES
from ..domain.models import Appeal, Extension, Instruction, Unit
from .appeals import APPEAL_OF_INSTANCE, appeal_detail, readable, sync

#: The step a wrongly dispatched appeal goes back to (a step id of the contract).
COLLATE = "collate"


def instruct(uow, *, actor, appeal_id: int, text: str) -> dict:
    """Write an instruction on an appeal; its handlers see it with the appeal and in its history."""
    access.require_role(actor, "leader")
    with uow:
        appeal = readable(uow, actor, appeal_id)
        add_instruction(uow, appeal, author=actor.name, text=text)
        result = appeal_detail(uow, appeal, actor)
        uow.commit()
        return result


def add_instruction(uow, appeal, *, author: str, text: str) -> None:
    """Add an instruction to the appeal and count it on the appeal's row. The event that records it comes
    first: it locks the appeal's instance, every writer's first lock, so the count is read again and
    raised with no other instruction in between (two leaders instructing at once both count)."""
    uow.engine.record(appeal.instance_id, "instruction", actor=author, data={"text": text})
    uow.session.add(Instruction(appeal_id=appeal.id, author=author, text=text, created_at=uow.clock.now()))
    uow.session.refresh(appeal, ["instruction_count"])
    appeal.instruction_count += 1


def request_extension(uow, *, actor, task_id: str, until: date, reason: str) -> dict:
    """Ask for a task's limit to be moved to the end of `until`; allowed only before the limit runs out."""
    with uow:
        item, appeal = _handler_task(uow, actor, task_id)
        now = uow.clock.now()
        if item.due_at is None:
            raise InvalidData(MESSAGES.text("no_limit_to_extend"), fields={"task": MESSAGES.text("field_no_limit")})
        if now >= item.due_at:
            raise Conflict(MESSAGES.text("limit_ran_out", due=item.due_at))
        zone = ZoneInfo(uow.runtime.zone)
        new_due = datetime.combine(until, time(23, 59, 59), zone)
        if new_due <= item.due_at:
            raise InvalidData(
                MESSAGES.text("extension_not_later"),
                fields={"until": MESSAGES.text("field_after_day", day=item.due_at.astimezone(zone).date())},
            )
        pending = select(Extension.id).where(Extension.task_id == task_id, Extension.status == "pending")
        if uow.session.scalar(pending) is not None:
            raise Conflict(MESSAGES.text("extension_pending"))
        extension = Extension(
            appeal_id=appeal.id,
            task_id=task_id,
            step=item.step,
            unit=item.candidate_group,
            requested_by=actor.name,
            reason=reason,
            until=new_due,
            status="pending",
            created_at=now,
        )
        uow.session.add(extension)
        uow.session.flush()
        uow.engine.record(
            appeal.instance_id,
            "extension_requested",
            actor=actor.name,
            step=item.step,
            data={"extension": extension.id, "until": new_due.isoformat(), "reason": reason},
        )
        result = extension_view(extension)
        uow.commit()
        return result


#: The most extension requests one listing returns.
LISTED = 500


def list_extensions(uow, *, actor, status: str | None = None, appeal_id: int | None = None) -> list[dict]:
    """Extension requests on the appeals the actor may read (their unit and below: the leaders who decide
    them, the handlers who asked), oldest first, each with its appeal's number and title and the task's
    limit as it stands (null once the task is closed), so a leader sees what approval would move."""
    with uow.reading():
        query = (
            select(Extension, Appeal.number, Appeal.title, WorkItem.due_at)
            .join(Appeal, Appeal.id == Extension.appeal_id)
            .outerjoin(WorkItem, (WorkItem.id == Extension.task_id) & WorkItem.closed_at.is_(None))
            .order_by(Extension.created_at, Extension.id)
            .limit(LISTED)
        )
        scope = access.appeal_scope(actor)
        if scope is not None:
            query = query.where(scope)
        if status is not None:
            query = query.where(Extension.status == status)
        if appeal_id is not None:
            query = query.where(Extension.appeal_id == appeal_id)
        listed = [
            {**extension_view(extension), "number": number, "title": title, "task_due_at": due_at}
            for extension, number, title, due_at in uow.session.execute(query)
        ]
    access.log_query(uow, actor, "extensions", status=status, appeal=appeal_id)
    return listed


def decide_extension(uow, *, actor, extension_id: int, approved: bool, note: str | None) -> dict:
    """Approve or refuse an extension. Approval moves the task's limit and reminder and the reply deadline,
    and the process data `extension` tells the station at feedback what to tell the citizen."""
    access.require_role(actor, "leader")
    with uow:
        task_id = uow.session.scalar(select(Extension.task_id).where(Extension.id == extension_id))
        if task_id is None:
            raise NotFound(MESSAGES.text("extension_unknown", extension=extension_id))
        uow.engine.lock_instance_of(task_id)  # read the request once locked: a decision made meanwhile is seen
        extension = uow.session.get(Extension, extension_id)
        appeal = readable(uow, actor, extension.appeal_id)
        if extension.status != "pending":
            raise Conflict(MESSAGES.text("extension_decided", extension=extension_id, status=extension.status))
        extension.status, extension.decided_by = ("approved" if approved else "refused"), actor.name
        extension.decision_note, extension.decided_at = note, uow.clock.now()
        details = {"extension": extension.id, "until": extension.until.isoformat(), "note": note}
        if approved:
            view = _move_limit(uow, extension, actor, details)
            sync(appeal, view, uow=uow)
        else:
            uow.engine.record(
                appeal.instance_id, "extension_refused", actor=actor.name, step=extension.step, data=details
            )
        result = extension_view(extension)
        uow.commit()
        return result


def _move_limit(uow, extension, actor, details):
    current = uow.engine.view(uow.engine.open_work_item(extension.task_id).instance_id)
    data = current.data
    remind_at = extension.until - timedelta(hours=data.get("remind_hours_before") or 0)
    dues = {}
    for timer in current.timers:
        if timer.attached_task_id == extension.task_id:
            kind = timer.properties.get("timerKind")
            dues[timer.step] = extension.until if kind == "limit" else remind_at if kind == "reminder" else timer.due_at
    until = extension.until.astimezone(ZoneInfo(uow.runtime.zone)).isoformat()  # told to citizens: local time
    deadline = max(until, data.get("deadline") or until, key=datetime.fromisoformat)
    changes = {
        "level_due": until,
        "remind_at": remind_at.isoformat(),
        "deadline": deadline,
        "extension": {"until": until, "reason": extension.reason, "approved_by": actor.name},
    }
    return uow.engine.amend_task(
        extension.task_id, data=changes, timer_dues=dues, actor=actor.name, event="extension_approved", details=details
    )


def return_to_collate(uow, *, actor, task_id: str, reason: str) -> dict:
    """Send a wrongly dispatched appeal back to collation, within the return window the process set."""
    with uow:
        item, appeal = _handler_task(uow, actor, task_id)
        data = uow.engine.view(item.instance_id).data
        window = data.get("return_until")
        if not window or uow.clock.now() > datetime.fromisoformat(window):
            refusal = (
                MESSAGES.text("return_window_closed", until=window) if window else MESSAGES.text("return_not_allowed")
            )
            raise Conflict(refusal)
        view = uow.engine.rewind(
            item.instance_id,
            COLLATE,
            actor=actor.name,
            event="returned_to_collate",
            details={"from": item.step, "unit": item.candidate_group, "reason": reason},
        )
        sync(appeal, view, uow=uow)
        result = appeal_detail(uow, appeal, actor)
        uow.commit()
        return result


def _handler_task(uow, actor, task_id):
    """An open appeal task that the actor may act on, with its appeal, read once the task's instance is
    locked: of two racing requests, or a return racing a completion, the second sees what the first did."""
    uow.engine.lock_instance_of(task_id)
    item = uow.engine.open_work_item(task_id)
    appeal = uow.session.scalar(APPEAL_OF_INSTANCE, {"instance_id": item.instance_id})
    unit = uow.session.get(Unit, item.candidate_group) if item.candidate_group else None
    if appeal is None or not access.can_act(actor, item, unit, trial=False):
        raise Forbidden(MESSAGES.text("task_not_yours_to_act", step=item.step))
    return item, appeal


def extension_view(extension) -> dict:
    return {
        "id": extension.id,
        "appeal_id": extension.appeal_id,
        "task_id": extension.task_id,
        "step": extension.step,
        "unit": extension.unit,
        "requested_by": extension.requested_by,
        "reason": extension.reason,
        "until": extension.until,
        "status": extension.status,
        "decided_by": extension.decided_by,
        "decision_note": extension.decision_note,
        "created_at": extension.created_at,
        "decided_at": extension.decided_at,
    }
