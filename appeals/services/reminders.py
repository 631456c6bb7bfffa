"""Reminders sent by hand (催办, seed 004's "double reminders"): a leader or a station presses the unit
that holds an appeal's open task. The unit's staff of the task's lane get a notification with the note,
and the appeal's history records who pressed whom; /stats counts the appeals reminded this way."""

from engine import Conflict, InvalidData

from ..domain import access
from ..domain.messages import MESSAGES
from ..domain.vocabulary import MANUAL_REMINDER
from .appeals import readable
from .notifications import notify

#: Who may send a reminder by hand.
SENDERS = ("leader", "station")


def send(uow, *, actor, appeal_id: int, note: str, task_id: str | None = None) -> dict:
    """Remind the unit holding the appeal's open task (`task_id`), or the units of all its open tasks."""
    access.require_role(actor, *SENDERS)
    with uow:
        appeal = readable(uow, actor, appeal_id)
        open_items = uow.engine.open_work_items([appeal.instance_id]).get(appeal.instance_id, [])
        if task_id is not None:
            open_items = [item for item in open_items if item.id == task_id]
            if not open_items:
                raise InvalidData(
                    MESSAGES.text("task_not_open_on_appeal", number=appeal.number, task=task_id),
                    fields={"task": MESSAGES.text("field_not_an_open_task")},
                )
        if not open_items:
            raise Conflict(
                MESSAGES.text("nothing_to_remind", number=appeal.number),
                fields={"appeal": MESSAGES.text("field_no_open_task")},
            )
        reminded = [{"task_id": i.id, "step": i.step, "unit": i.candidate_group, "lane": i.lane} for i in open_items]
        uow.engine.record(appeal.instance_id, MANUAL_REMINDER, actor=actor.name, data={"note": note, "tasks": reminded})
        for item in open_items:
            notify(
                uow,
                appeal,
                kind=MANUAL_REMINDER,
                message=(
                    MESSAGES.text("manual_reminder", number=appeal.number, step=item.step, due=item.due_at, note=note)
                    if item.due_at
                    else MESSAGES.text("manual_reminder_no_limit", number=appeal.number, step=item.step, note=note)
                ),
                unit=item.candidate_group or appeal.unit,
                lane=item.lane,
                task_id=item.id,
                due_at=item.due_at,
            )
        result = {"appeal_id": appeal.id, "number": appeal.number, "note": note, "by": actor.name, "reminded": reminded}
        uow.commit()
        return result
