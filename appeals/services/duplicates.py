"""Duplicates: an appeal that repeats another is closed at collation and linked to it both ways, and its
reporter hears the reply given on the one it repeats (seed 003's feedback reaches everyone who asked).

The original's history notes each duplicate linked to it; each duplicate's history notes each reply
passed on (`original_replied`), and its record shows the latest one.
"""

from sqlalchemy import bindparam, select

from ..domain.models import Appeal

#: The step whose `message` is the reply given to the citizen.
REPLY_STEP = "feedback"


def after_step(uow, appeal: Appeal, original: Appeal | None, *, step: str, data: dict, actor: str) -> None:
    """What a completed step means for duplicates: `appeal` repeats `original` (when not None), or its step
    gave the citizen a reply that its duplicates are told."""
    if original is not None:
        link(uow, appeal, original, actor=actor)
    else:
        pass_on_reply(uow, appeal, step=step, data=data, actor=actor)


def link(uow, duplicate: Appeal, original: Appeal, *, actor: str) -> None:
    """Link `duplicate` to `original` both ways; a reply already given on the original reaches it now.

    The original's event comes first: it locks the original's instance, every writer's first lock on that
    appeal, so its count is read again and raised with no other link in between.
    """
    duplicate.duplicate_of_id = original.id
    uow.engine.record(original.instance_id, "duplicate_linked", actor=actor, data={"duplicate": duplicate.number})
    uow.session.refresh(original, ["duplicate_count"])
    original.duplicate_count += 1
    reply = _latest_reply(uow, original)
    if reply is not None:
        _tell(uow, duplicate, original, message=reply, actor=actor)


def pass_on_reply(uow, original: Appeal, *, step: str, data: dict, actor: str) -> None:
    """After `step` of `original`: if it gave the citizen a reply, each duplicate records it too."""
    if step != REPLY_STEP or not data.get("message") or not original.duplicate_count:
        return
    duplicates = uow.session.scalars(
        select(Appeal).where(Appeal.duplicate_of_id == original.id).order_by(Appeal.id)
    ).all()
    for duplicate in duplicates:
        _tell(uow, duplicate, original, message=data["message"], actor=actor)


def _tell(uow, duplicate: Appeal, original: Appeal, *, message: str, actor: str) -> None:
    uow.engine.record(
        duplicate.instance_id,
        "original_replied",
        actor=actor,
        step=REPLY_STEP,
        data={"original": original.number, "message": message},
    )
    duplicate.original_reply, duplicate.original_replied_at = message, uow.clock.now()


def _latest_reply(uow, original: Appeal) -> str | None:
    replies = [
        event.data.get("message")
        for event in uow.engine.history(original.instance_id)
        if event.type == "task_completed" and event.step == REPLY_STEP
    ]
    return replies[-1] if replies else None


#: The numbers of the duplicates of the appeals `appeal_ids`, oldest first.
DUPLICATES_OF = (
    select(Appeal.duplicate_of_id, Appeal.number)
    .where(Appeal.duplicate_of_id.in_(bindparam("appeal_ids", expanding=True)))
    .order_by(Appeal.id)
)


def numbers_of_duplicates(uow, appeals: list[Appeal]) -> dict[int, list[str]]:
    """The numbers of each appeal's duplicates, read only for appeals that count some."""
    counted = [appeal.id for appeal in appeals if appeal.duplicate_count]
    found = {}
    if counted:
        for original_id, number in uow.session.execute(DUPLICATES_OF, {"appeal_ids": counted}):
            found.setdefault(original_id, []).append(number)
    return found
