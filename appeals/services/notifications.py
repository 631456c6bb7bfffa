"""Notifications: what the service tells people, and which of it each of them has read.

A notification is for the staff of one role in a unit (`lane`, `unit`), who see it together with the
staff of that role in the units above (as they see the tasks below them); or, with a `recipient`, for
one user. Each reader marks it read for themselves (NotificationRead).

A notification keeps its message as a key and parameters (appeals/domain/messages.py), so that each reader
reads it in their own language, with its times in the service's zone.
"""

from sqlalchemy import and_, exists, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from engine import DEFAULT_LANGUAGE, Conflict, NotFound, Text

from ..domain import units
from ..domain.messages import MESSAGES, word
from ..domain.models import Notification, NotificationRead, Unit
from ..domain.vocabulary import SUPERVISE

#: The newest notifications a list shows.
LIMIT = 100


def notify(uow, appeal, *, kind: str, message: Text, unit: str, lane: str, task_id=None, due_at=None, recipient=None):
    """Add a notification about `appeal` (in the caller's transaction)."""
    uow.session.add(
        Notification(
            appeal_id=appeal.id,
            task_id=task_id,
            unit=unit,
            lane=lane,
            recipient=recipient,
            kind=kind,
            message=word(message, language=DEFAULT_LANGUAGE, zone=uow.runtime.zone),
            message_key=message.key,
            message_params=message.params,
            due_at=due_at,
            created_at=uow.clock.now(),
        )
    )


def note_supervision(uow, appeal, view, *, stage_before: str | None) -> None:
    """When an operation brings the appeal to supervision, tell the leaders of its town and district.

    One notification, for the leaders of the appeal's town (the town of the unit it was dispatched to,
    from the process's `unit_chain`), which the district's leaders see as well, being above it; for the
    district's leaders when the appeal never went through a town.
    """
    reached = [task for task in view.tasks if task.step == SUPERVISE]
    if not reached or stage_before == SUPERVISE:
        return
    chain = view.data.get("unit_chain") or {}
    unit = chain.get("town") or chain.get("district") or reached[0].candidate_group
    if unit is None or uow.session.get(Unit, unit) is None:
        return
    notify(
        uow,
        appeal,
        kind="supervision",
        message=MESSAGES.text("supervision", number=appeal.number),
        unit=unit,
        lane="leader",
        task_id=reached[0].id,
    )
    uow.engine.record(
        view.id, "supervision_notified", actor=None, step=SUPERVISE, data={"unit": unit, "lane": "leader"}
    )


def _audience(actor):
    """The notifications addressed to the actor: their own, and their role's in their unit and below it."""
    personal = Notification.recipient == actor.name
    if not actor.unit_path:
        return personal
    shared = and_(
        Notification.recipient.is_(None),
        Notification.lane == actor.role,
        Notification.unit.in_(units.reach(actor.unit_path)),
    )
    return or_(personal, shared)


def _read_by(actor):
    return exists().where(NotificationRead.notification_id == Notification.id, NotificationRead.user_id == actor.id)


def listing(uow, *, actor, unread: bool = False, language: str = DEFAULT_LANGUAGE) -> list[dict]:
    """The newest notifications for the actor, each with whether they have read it (`unread`: only those
    not), worded in `language`."""
    with uow.reading():
        query = select(Notification, _read_by(actor)).where(_audience(actor))
        if unread:
            query = query.where(~_read_by(actor))
        rows = uow.session.execute(query.order_by(Notification.id.desc()).limit(LIMIT))
        return [_view(notification, read, language, uow.runtime.zone) for notification, read in rows]


def unread_count(uow, *, actor) -> dict:
    with uow.reading():
        count = uow.session.scalar(select(func.count()).where(_audience(actor), ~_read_by(actor)))
        return {"unread": count}


def mark_read(uow, *, actor, notification_id: int, language: str = DEFAULT_LANGUAGE) -> dict:
    """Mark one notification read for the actor (again: nothing changes); 404 when it is not theirs."""
    with uow:
        notification = uow.session.scalar(
            select(Notification).where(Notification.id == notification_id, _audience(actor))
        )
        if notification is None:
            raise NotFound(
                MESSAGES.text("notification_unknown", notification=notification_id),
                fields={"id": MESSAGES.text("field_notification_unknown")},
            )
        if not uow.session.scalar(select(_read_by(actor)).where(Notification.id == notification_id)):
            uow.session.add(
                NotificationRead(notification_id=notification_id, user_id=actor.id, read_at=uow.clock.now())
            )
        result = _view(notification, True, language, uow.runtime.zone)
        _commit(uow)
        return result


def mark_all_read(uow, *, actor) -> dict:
    """Mark every notification of the actor's that they have not read as read; says how many."""
    with uow:
        now = uow.clock.now()
        unread = uow.session.scalars(select(Notification.id).where(_audience(actor), ~_read_by(actor))).all()
        if unread:
            rows = [{"notification_id": n, "user_id": actor.id, "read_at": now} for n in unread]
            uow.session.execute(insert(NotificationRead), rows)
        _commit(uow)
        return {"marked": len(unread)}


def _commit(uow) -> None:
    """Commit marks of reading; the same user marking the same notification at the same moment twice
    (two tabs) loses the second write with 409, not a 500."""
    try:
        uow.commit()
    except IntegrityError as error:
        raise Conflict(MESSAGES.text("concurrent_write")) from error


def _view(notification: Notification, read: bool, language: str, zone: str) -> dict:
    return {
        "id": notification.id,
        "appeal_id": notification.appeal_id,
        "task_id": notification.task_id,
        "unit": notification.unit,
        "recipient": notification.recipient,
        "kind": notification.kind,
        "message": _worded(notification, language, zone),
        "due_at": notification.due_at,
        "created_at": notification.created_at,
        "read": bool(read),
    }


def _worded(notification: Notification, language: str, zone: str) -> str:
    """The notification's message in `language`; one stored before messages had keys, as it was stored."""
    if notification.message_key not in MESSAGES.templates:
        return notification.message
    return word(
        Text(MESSAGES, notification.message_key, notification.message_params or {}), language=language, zone=zone
    )
