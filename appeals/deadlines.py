"""What a fired timer means for the people who handle an appeal: a reminder to its unit, or a name-call.

The process marks its boundary timers with the property `timerKind`: "reminder" (the limit is near)
or "limit" (the limit ran out; the process itself moves the appeal up). This module records the human
side: a notification the handlers see with their task, and a late record against the unit's name.

A notification keeps its message as a key and parameters (appeals/messages.py), so that each reader
reads it in their own language, with its times in the service's zone.
"""

from sqlalchemy import func, select

from engine import WorkItem
from engine.texts import DEFAULT_LANGUAGE, Text

from . import access, units
from .messages import MESSAGES, word
from .models import LateRecord, Notification


def note_fired_timers(uow, appeal, view) -> None:
    for timer in view.fired:
        kind = timer.properties.get("timerKind")
        item = uow.session.get(WorkItem, timer.attached_task_id) if timer.attached_task_id else None
        if item is None or kind not in ("reminder", "limit"):
            continue
        due = timer.due_at.isoformat() if timer.due_at else None
        if kind == "reminder":
            limit = item.due_at.isoformat() if item.due_at else "soon"
            message = (
                MESSAGES.text("reminder", number=appeal.number, step=item.step, due=item.due_at)
                if item.due_at
                else MESSAGES.text("reminder_no_limit", number=appeal.number, step=item.step)
            )
            uow.session.add(
                Notification(
                    appeal_id=appeal.id,
                    task_id=item.id,
                    unit=item.candidate_group,
                    lane=item.lane,
                    kind="reminder",
                    message=word(message, language=DEFAULT_LANGUAGE, zone=uow.runtime.zone),
                    message_key=message.key,
                    message_params=message.params,
                    due_at=item.due_at,
                    created_at=uow.clock.now(),
                )
            )
            uow.engine.record(
                view.id,
                "reminder_sent",
                actor=None,
                step=item.step,
                data={"unit": item.candidate_group, "due_at": limit},
            )
        else:
            now = uow.clock.now()
            late = int((now - timer.due_at).total_seconds()) if timer.due_at else 0
            uow.session.add(
                LateRecord(
                    appeal_id=appeal.id,
                    unit=item.candidate_group,
                    step=item.step,
                    due_at=timer.due_at or now,
                    recorded_at=now,
                    late_seconds=late,
                )
            )
            uow.engine.record(
                view.id,
                "limit_passed",
                actor=None,
                step=item.step,
                data={"unit": item.candidate_group, "due_at": due, "late_seconds": late},
            )


def late_units(uow, *, actor, since, until) -> list[dict]:
    """The name-call bulletin: units that let limits run out in [since, until), most often first."""
    access.require_role(actor, "leader", "auditor", "admin")
    with uow.reading():
        rows = uow.session.execute(
            select(LateRecord.unit, func.count(), func.max(LateRecord.late_seconds))
            .where(LateRecord.recorded_at >= since, LateRecord.recorded_at < until)
            .group_by(LateRecord.unit)
            .order_by(func.count().desc(), LateRecord.unit)
        )
        return [{"unit": unit, "times_late": count, "longest_late_seconds": longest} for unit, count, longest in rows]


def notifications_for(uow, *, actor, language: str = DEFAULT_LANGUAGE, limit: int = 100) -> list[dict]:
    """The newest reminders for the actor's role, in their unit and the units below it, worded in `language`."""
    if not actor.unit_path:
        return []
    with uow.reading():
        rows = uow.session.scalars(
            select(Notification)
            .where(Notification.lane == actor.role, Notification.unit.in_(units.reach(actor.unit_path)))
            .order_by(Notification.id.desc())
            .limit(limit)
        )
        return [
            {
                "id": n.id,
                "appeal_id": n.appeal_id,
                "task_id": n.task_id,
                "unit": n.unit,
                "kind": n.kind,
                "message": _worded(n, language, uow.runtime.zone),
                "due_at": n.due_at,
                "created_at": n.created_at,
            }
            for n in rows
        ]


def _worded(notification: Notification, language: str, zone: str) -> str:
    """The notification's message in `language`; one stored before messages had keys, as it was stored."""
    if notification.message_key not in MESSAGES.templates:
        return notification.message
    return word(
        Text(MESSAGES, notification.message_key, notification.message_params or {}), language=language, zone=zone
    )
