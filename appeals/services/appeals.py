"""The appeal service: report (step 1), read, list, history; and keeping the record in step with its process."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select

from engine import NotFound

from ..domain import access, units
from ..domain.errors import Forbidden
from ..domain.messages import MESSAGES
from ..domain.models import Appeal, Instruction, Unit
from ..domain.vocabulary import APPEAL_PROCESS
from . import duplicates
from .deadlines import note_fired_timers
from .notifications import note_supervision
from .views import appeal_view, event_view, task_view


def report(uow, *, actor, fields: dict) -> dict:
    """Record a citizen's appeal and start its process (step 1, `report`).

    The process starts first: its instance's row, inserted at once, is what the appeal refers to, and the
    appeal is filed in step with what the process did.
    """
    access.require_role(actor, "intake")
    with uow:
        unit = units.get_unit(uow.session, fields.get("unit") or actor.unit)
        if not units.within(actor.unit_path, unit):
            raise Forbidden(
                MESSAGES.text("unit_outside", unit=unit.code),
                fields={"unit": MESSAGES.text("field_unit_not_within_yours")},
            )
        process_data = {"intake_unit": unit.code, "category": fields.get("category"), "channel": fields["channel"]}
        view = uow.engine.start(APPEAL_PROCESS, process_data, actor=actor.name)
        appeal = _new_appeal(uow, actor, fields, unit=unit.code, instance_id=view.id)
        uow.session.add(appeal)
        uow.session.flush()  # its id makes its number
        appeal.number = appeal_number(appeal, zone=uow.runtime.zone)
        uow.engine.record(
            view.id,
            "appeal_reported",
            actor=actor.name,
            step="report",
            data={"number": appeal.number, "channel": appeal.channel, "unit": unit.code},
        )
        sync(appeal, view, uow=uow)
        result = appeal_detail(uow, appeal, actor)
        uow.commit()
        return result


def appeal_number(appeal: Appeal, *, zone: str) -> str:
    """The appeal's number: the day it was reported in the city's time zone, and its id (20261103-000042).

    The local day, not UTC's: in Beijing an appeal taken at 07:30 was reported "today", yet UTC still
    has it the day before.
    """
    return f"{appeal.created_at.astimezone(ZoneInfo(zone)):%Y%m%d}-{appeal.id:06d}"


def _new_appeal(uow, actor, fields: dict, *, unit: str, instance_id: int) -> Appeal:
    """The reported appeal, open at its intake unit."""
    reporter, location = fields.get("reporter") or {}, fields.get("location") or {}
    return Appeal(
        instance_id=instance_id,
        title=fields["title"],
        description=fields["description"],
        channel=fields["channel"],
        category=fields.get("category"),
        confidential=bool(fields.get("confidential")),
        reporter_name=reporter.get("name"),
        reporter_phone=reporter.get("phone"),
        address=location.get("address"),
        lat=location.get("lat"),
        lon=location.get("lon"),
        intake_unit=unit,
        unit=unit,
        status="open",
        reopen_count=0,
        instruction_count=0,
        duplicate_count=0,
        created_by=actor.name,
        created_at=uow.clock.now(),
    )


def get(uow, *, actor, appeal_id: int) -> dict:
    with uow:
        appeal = readable(uow, actor, appeal_id)
        detail = appeal_detail(uow, appeal, actor)
        access.log_read(uow, actor, appeal, "read")
        return detail


def list_appeals(uow, *, actor, filters: dict) -> list[dict]:
    """Appeals the actor may read, newest first, filtered by status, stage, category, channel and unit."""
    with uow.reading():
        query = (
            select(Appeal).order_by(Appeal.id.desc()).limit(filters.get("limit", 50)).offset(filters.get("offset", 0))
        )
        scope = access.appeal_scope(actor)
        if scope is not None:
            query = query.where(scope)
        for name in ("status", "stage", "category", "channel", "unit"):
            if filters.get(name):
                query = query.where(getattr(Appeal, name) == filters[name])
        listed = appeal_details(uow, uow.session.scalars(query).all(), actor, listing=True)
    access.log_query(uow, actor, "appeals", **filters)
    return listed


def unmask_contact(uow, *, actor, appeal_id: int, reason: str) -> dict:
    """The reporter's contact, unmasked for one who must reach the citizen; who, when and why is recorded
    in the appeal's history. A confidential appeal's reporter stays hidden from handlers; auditors
    unmask nothing."""
    access.require_may_unmask(actor)
    with uow:
        appeal = readable(uow, actor, appeal_id)
        if appeal.confidential and not access.calls_back(actor, uow.session.get(Unit, appeal.intake_unit)):
            raise Forbidden(MESSAGES.text("reporter_confidential"))
        uow.engine.record(appeal.instance_id, "contact_unmasked", actor=actor.name, data={"reason": reason})
        contact = {"name": appeal.reporter_name, "phone": appeal.reporter_phone}
        uow.commit()
        return contact


def history(uow, *, actor, appeal_id: int) -> list[dict]:
    with uow:
        appeal = readable(uow, actor, appeal_id)
        events = [event_view(event) for event in uow.engine.history(appeal.instance_id)]
        access.log_read(uow, actor, appeal, "history")
        return events


def readable(uow, actor, appeal_id: int) -> Appeal:
    """The appeal, if it exists and the actor may read it (404 otherwise, so ids are not probed)."""
    query = select(Appeal).where(Appeal.id == appeal_id)
    scope = access.appeal_scope(actor)
    if scope is not None:
        query = query.where(scope)
    appeal = uow.session.scalar(query)
    if appeal is None:
        raise NotFound(MESSAGES.text("appeal_unknown", appeal=appeal_id))
    return appeal


def sync(appeal: Appeal, view, *, uow) -> None:
    """Rewrite the record from its process, and note in the history what a reader of it looks for.

    Hand-overs between units, closing and reopening, and each attempt that did not reach the citizen for
    the evaluation are recorded as events of their own, so that auditors and leaders need not infer them
    from task steps; reaching supervision notifies the leaders.
    """
    now = uow.clock.now()
    was_status, was_unit, was_reopened, was_stage = appeal.status, appeal.unit, appeal.reopen_count, appeal.stage
    was_failed = appeal.failed_callbacks
    fields = record_fields(view, unit_before=appeal.unit, category_before=appeal.category)
    closed = fields.pop("closed")
    for name, value in fields.items():
        setattr(appeal, name, value)
    appeal.status, appeal.closed_at = ("closed", appeal.closed_at or now) if closed else ("open", None)
    note_fired_timers(uow, appeal, view)
    note_supervision(uow, appeal, view, stage_before=was_stage)
    if appeal.unit != was_unit:
        uow.engine.record(
            view.id, "handed_over", actor=None, step=appeal.stage, data={"from": was_unit, "to": appeal.unit}
        )
    if appeal.reopen_count > was_reopened:
        uow.engine.record(
            view.id, "reopened", actor=None, step=appeal.stage, data={"reopen_count": appeal.reopen_count}
        )
    if appeal.failed_callbacks > was_failed:
        attempts = {"attempt": appeal.failed_callbacks, "of": view.data.get("max_callback_attempts")}
        uow.engine.record(view.id, "citizen_not_reached", actor=None, step="evaluate", data=attempts)
    if appeal.status == "closed" and was_status != "closed":
        uow.engine.record(
            view.id,
            "closed",
            actor=None,
            at=appeal.closed_at,  # the record's closed_at, which replay derives from this event
            step=appeal.stage,
            data={
                "disposition": appeal.disposition,
                "satisfaction": appeal.satisfaction,
                "unreachable": appeal.unreachable,
            },
        )


def record_fields(view, *, unit_before: str, category_before: str | None) -> dict:
    """The appeal record's fields as its process shows them (pure: live sync and state-at-SEQ share it).

    `view` needs `data`, `status`, `tasks` (step, candidate_group), `timers` (step) and `provisional` (the
    values reckoned on a provisional calendar year). The process data names read here (category,
    deadline, disposition, satisfaction, reopen_count, failed_callbacks, unreachable, closed) are the
    contract with processes/.
    """
    data = view.data
    if view.tasks:
        stage, unit = view.tasks[0].step, view.tasks[0].candidate_group or unit_before
    else:
        waits = [timer.step for timer in view.timers]
        stage, unit = (waits[0] if waits else ("closed" if view.status == "completed" else view.status)), unit_before
    return {
        "category": data.get("category") or category_before,
        "deadline": datetime.fromisoformat(data["deadline"]).astimezone(UTC) if data.get("deadline") else None,
        "deadline_provisional": data.get("deadline") in view.provisional,
        "disposition": data.get("disposition"),
        "satisfaction": data.get("satisfaction"),
        "reopen_count": data.get("reopen_count") or 0,
        "failed_callbacks": data.get("failed_callbacks") or 0,
        "unreachable": bool(data.get("unreachable")),
        "closed": bool(data.get("closed")) or view.status == "completed",
        "stage": stage,
        "unit": unit,
    }


# What every appeal's view reads, built once (see engine/store.py on why).
INSTRUCTIONS_OF = (
    select(Instruction)
    .where(Instruction.appeal_id.in_(bindparam("appeal_ids", expanding=True)))
    .order_by(Instruction.id)
)


#: The appeal whose process is instance `instance_id`, if it is an appeal's.
APPEAL_OF_INSTANCE = select(Appeal).where(Appeal.instance_id == bindparam("instance_id"))


def sync_instance(uow, view) -> None:
    """Keep the appeal of an instance, if it is one, in step with what the engine did to the instance
    by itself (a move to another version)."""
    appeal = uow.session.scalar(APPEAL_OF_INSTANCE, {"instance_id": view.id})
    if appeal is not None:
        sync(appeal, view, uow=uow)


def appeal_detail(uow, appeal: Appeal, actor) -> dict:
    """One appeal as the actor may see it, with its open tasks, instructions and process version."""
    return appeal_details(uow, [appeal], actor)[0]


def appeal_details(uow, appeals: list[Appeal], actor, *, listing: bool = False) -> list[dict]:
    """Appeals as the actor may see them, with what each shows (open tasks, instructions, the appeal it
    repeats and those that repeat it, its process version) read in one query per kind for them all, not
    per appeal. What the engine holds from this unit of work's operations (versions, open tasks) is not
    read again, and instructions and duplicates are read only for appeals that count some."""
    instance_ids = [appeal.instance_id for appeal in appeals]
    versions = uow.engine.versions_of(instance_ids)
    tasks = uow.engine.open_work_items(instance_ids)
    instructed = [appeal.id for appeal in appeals if appeal.instruction_count]
    instructions = (
        _grouped(
            uow.session.scalars(INSTRUCTIONS_OF, {"appeal_ids": instructed}),
            key=lambda instruction: instruction.appeal_id,
        )
        if instructed
        else {}
    )
    repeated = {appeal.duplicate_of_id for appeal in appeals if appeal.duplicate_of_id}
    numbers = (
        dict(uow.session.execute(select(Appeal.id, Appeal.number).where(Appeal.id.in_(repeated))).all())
        if repeated
        else {}
    )
    repeating = duplicates.numbers_of_duplicates(uow, appeals)
    intake_units = units.by_code(uow.session, [appeal.intake_unit for appeal in appeals])
    return [
        appeal_view(
            appeal,
            reporter=access.reporter_for(actor, appeal, intake_units.get(appeal.intake_unit), listing=listing),
            process=versions[appeal.instance_id],
            tasks=[task_view(item, appeal_id=appeal.id) for item in tasks.get(appeal.instance_id, [])],
            duplicate_of=numbers.get(appeal.duplicate_of_id),
            duplicates=repeating.get(appeal.id, []),
            instructions=instructions.get(appeal.id, []),
        )
        for appeal in appeals
    ]


def _grouped(rows, *, key) -> dict:
    groups = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups
