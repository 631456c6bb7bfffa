"""What a fired timer means for the people who handle an appeal: a reminder to its unit, or a name-call.

The process marks its boundary timers with the property `timerKind`: "reminder" (the limit is near)
or "limit" (the limit ran out; in the escalation chain the process itself moves the appeal up, on other
steps the step stays with its unit). This module records the human side: a notification the handlers
see with their task, and a late record against the name of the unit holding the task.
"""

from sqlalchemy import func, select

from engine import WorkItem

from ..domain import access
from ..domain.messages import MESSAGES
from ..domain.models import LateRecord
from .notifications import notify


def note_fired_timers(uow, appeal, view) -> None:
    for timer in view.fired:
        kind = timer.properties.get("timerKind")
        item = uow.session.get(WorkItem, timer.attached_task_id) if timer.attached_task_id else None
        if item is None or kind not in ("reminder", "limit"):
            continue
        due = timer.due_at.isoformat() if timer.due_at else None
        if kind == "reminder":
            limit = item.due_at.isoformat() if item.due_at else "soon"
            notify(
                uow,
                appeal,
                kind="reminder",
                message=(
                    MESSAGES.text("reminder", number=appeal.number, step=item.step, due=item.due_at)
                    if item.due_at
                    else MESSAGES.text("reminder_no_limit", number=appeal.number, step=item.step)
                ),
                unit=item.candidate_group,
                lane=item.lane,
                task_id=item.id,
                due_at=item.due_at,
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
        bulletin = [{"unit": u, "times_late": count, "longest_late_seconds": longest} for u, count, longest in rows]
    access.log_query(uow, actor, "late_units", since=since, until=until)
    return bulletin
