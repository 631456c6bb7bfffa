"""The task service: the tasks a user may act on, and completing one."""

from functools import cache

from sqlalchemy import bindparam, func, select

from engine import WorkItem, with_item_versions

from ..domain import access, form_rules, units
from ..domain.models import Appeal, Notification, Unit
from . import duplicates, failures
from .appeals import appeal_detail, readable, sync
from .processes import instance_detail
from .supervision import add_instruction
from .views import task_view


def list_tasks(uow, *, actor, appeal_id: int | None = None, instance_id: int | None = None) -> list[dict]:
    """Open tasks the actor may act on, optionally of one appeal or one (trial) instance, with their forms
    and their appeal's number, title, category and channel (what My work shows, filters and searches).

    Reads with no snapshot in common: the list is one query, followed only by the appeal's 404 check when
    it is empty and by forms, which never change once deployed.
    """
    with uow.reading(snapshot=False):
        acts = _acts_on(actor)
        rows = []
        if acts is not None:
            scope = access.scope_of(actor) if appeal_id is not None else None
            query = _task_list(acts, scope, of_instance=instance_id is not None)
            parameters = {
                "role": actor.role,
                "unit_path": actor.unit_path,
                "appeal_id": appeal_id,
                "instance_id": instance_id,
            }
            rows = uow.session.execute(query, parameters).all()
        if not rows and appeal_id is not None:
            readable(uow, actor, appeal_id)  # no tasks: 404 if the appeal is not there or not the actor's to read
        forms = uow.engine.forms((row[0], *row[_LISTED_COLUMNS:]) for row in rows)
        return [_listed(*row[:_LISTED_COLUMNS], form=forms[row[0].id]) for row in rows]


#: The task list's columns before the versions' (`_task_list`).
_LISTED_COLUMNS = 7


def _listed(item, appeal_id, reminded, number, title, category, channel, *, form: dict) -> dict:
    """A row of the task list: the task with its form, and what My work shows and filters of its appeal."""
    view = task_view(item, appeal_id=appeal_id, form=form, reminded_at=reminded)
    if appeal_id is not None:
        view["appeal"] = {"number": number, "title": title, "category": category, "channel": channel}
    return view


def _acts_on(actor) -> str | None:
    """What the actor acts on: "trials" (designers: trial instances), "lane" (staff: their role's lane in
    their unit and the units below it), or None (staff of no unit: nothing)."""
    if actor.role == "designer":
        return "trials"
    return "lane" if actor.unit_path else None


@cache
def _task_list(acts: str, scope: str | None, *, of_instance: bool):
    """The task list's statement for one shape of question, built once: who acts (`_acts_on`), the
    actor's reading scope when the tasks are of one appeal (`access.scope_of`; None for tasks of any
    appeal) and whether they are of one instance. The values are parameters: `role`, `unit_path`,
    `appeal_id` and `instance_id`. Building the statement and its cache key per call was a quarter of a
    task list's CPU (measured: a list of one appeal's task).

    Of one appeal, the appeal's scope joins the task query, so the usual case (some tasks) costs one
    query; an empty answer is then told apart from a 404 by `readable`.
    """
    reminded_at = select(func.max(Notification.created_at)).where(Notification.task_id == WorkItem.id).scalar_subquery()
    query = (
        select(WorkItem, Appeal.id, reminded_at, Appeal.number, Appeal.title, Appeal.category, Appeal.channel)
        .outerjoin(Appeal, Appeal.instance_id == WorkItem.instance_id)
        .where(WorkItem.closed_at.is_(None))
    )
    if acts == "trials":
        query = query.where(Appeal.id.is_(None))
    else:
        lane_units = units.reach(bindparam("unit_path"))
        query = query.where(
            Appeal.id.is_not(None), WorkItem.lane == bindparam("role"), WorkItem.candidate_group.in_(lane_units)
        )
    if scope is not None:
        query = query.where(Appeal.id == bindparam("appeal_id"))
        readable_appeals = access.scope_filter(scope, bindparam("unit_path"))
        if readable_appeals is not None:
            query = query.where(readable_appeals)
    if of_instance:
        query = query.where(WorkItem.instance_id == bindparam("instance_id"))
    return with_item_versions(query.order_by(WorkItem.created_at, WorkItem.id).limit(500))


def complete(uow, *, actor, task_id: str, data: dict) -> dict:
    """Complete a task with the form's data; returns the appeal (or, for a trial instance, the instance)."""
    with failures.recorded(uow.runtime, actor=actor.name):
        return _complete(uow, actor=actor, task_id=task_id, data=data)


def _complete(uow, *, actor, task_id: str, data: dict) -> dict:
    with uow:
        item, appeal, unit = _open_task(uow, task_id)
        access.require_can_act(actor, item, unit, trial=appeal is None)
        extra, original = _derived_facts(uow, actor, appeal, data)
        step = item.step  # the engine's write expires the item
        view = uow.engine.complete(task_id, data, actor=actor.name, extra=extra)
        if appeal is None:
            uow.commit()
            return {"instance": instance_detail(view)}
        sync(appeal, view, uow=uow)
        duplicates.after_step(uow, appeal, original, step=step, data=data, actor=actor.name)
        if data.get("instruction"):
            add_instruction(uow, appeal, author=actor.name, text=data["instruction"])
        result = appeal_detail(uow, appeal, actor)
        uow.commit()
        return {"appeal": result}


#: A work item with its appeal (none for a trial instance) and its unit, by `task_id` (built once).
TASK_WITH_APPEAL = (
    select(WorkItem, Appeal, Unit)
    .outerjoin(Appeal, Appeal.instance_id == WorkItem.instance_id)
    .outerjoin(Unit, Unit.code == WorkItem.candidate_group)
    .where(WorkItem.id == bindparam("task_id"))
)


def _open_task(uow, task_id: str):
    """The open work item with its appeal (None for a trial instance) and its unit, read once its instance
    is locked: of two people completing (or completing and returning) one task, the second reads the task
    closed by the first and is told who completed it and when (`Engine.open_work_item`)."""
    uow.engine.lock_instance_of(task_id)  # NotFound when there is no such task
    row = uow.session.execute(TASK_WITH_APPEAL, {"task_id": task_id}).one()
    item = uow.engine.open_work_item(task_id)  # the row just read, from the session; Conflict when closed
    return item, row.Appeal, row.Unit


def _derived_facts(uow, actor, appeal, data: dict):
    """What the process needs beyond the form: where a named unit sits, and which appeal a duplicate repeats.

    A form field `unit` names the unit that handles next; the escalation chain needs its level and its
    ancestors. `duplicate_of` names another appeal by number; the record links the two. The rules a form
    cannot state (form_rules) are checked here, before anything is written. Returns the facts and the
    appeal a duplicate repeats (or None).
    """
    extra, original = {}, None
    if data.get("unit"):
        unit = units.get_unit(uow.session, data["unit"])
        extra = {"unit_level": unit.level, "unit_chain": units.chain(uow.session, unit)}
    if appeal is not None:
        form_rules.check_promised_date(data, now=uow.clock.now(), zone=uow.runtime.zone)
        if data.get("duplicate_of"):
            original = form_rules.original_of(uow, actor, appeal, data["duplicate_of"])
    return extra, original
