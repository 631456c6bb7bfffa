"""Who may read and act on what. One place, so every endpoint asks the same questions."""

from sqlalchemy import or_

from .errors import Forbidden
from .messages import MESSAGES
from .models import AccessLog, Appeal, Unit
from .units import reach, within
from .vocabulary import CONTACT_ROLES, READ_ALL_ROLES


def require_role(actor, *roles) -> None:
    if actor.role not in roles:
        raise Forbidden(MESSAGES.text("role_required", roles=list(roles), role=actor.role))


def appeal_scope(actor):
    """A filter on Appeal for the appeals the actor may read, or None when they may read all."""
    return scope_filter(scope_of(actor), actor.unit_path)


def scope_of(actor) -> str:
    """How far the actor reads appeals: "all", "units" (their unit's and those below it) or "none"."""
    if actor.role in READ_ALL_ROLES:
        return "all"
    return "units" if actor.unit_path else "none"


def scope_filter(scope: str, unit_path):
    """The filter on Appeal for a `scope` (see `scope_of`), or None for "all"; `unit_path` is the actor's,
    a value or a bound parameter.

    Staff read the appeals received by or now handled by their unit or a unit below it.
    """
    if scope == "all":
        return None
    if scope == "none":
        return Appeal.id.is_(None)
    units = reach(unit_path)
    return or_(Appeal.intake_unit.in_(units), Appeal.unit.in_(units))


def can_act(actor, work_item, unit: Unit | None, *, trial: bool) -> bool:
    """A user acts on a task when its lane is their role and its unit is theirs or below it.

    Tasks of trial instances (started by designers to try a process) belong to designers.
    """
    if trial:
        return actor.role == "designer"
    return work_item.lane == actor.role and within(actor.unit_path, unit)


def require_can_act(actor, work_item, unit: Unit | None, *, trial: bool) -> None:
    """Refuse (403) a user who may not act on the task, saying whose it is and who they are."""
    if not can_act(actor, work_item, unit, trial=trial):
        raise Forbidden(
            MESSAGES.text(
                "task_not_yours",
                step=work_item.step,
                lane=work_item.lane,
                unit=work_item.candidate_group,
                role=actor.role,
                your_unit=actor.unit,
            )
        )


#: Roles whose every read of an appeal is accounted for in the access log.
LOGGED_READERS = ("auditor",)


def log_read(uow, actor, appeal, action: str) -> None:
    """Account for a read in the access log (never in the appeal's own history: reading changes nothing),
    and end the read's transaction: committing the log, or, for a reader who is not logged, with nothing
    written (`UnitOfWork.end_read`). Reading an appeal is what users do most after task lists."""
    if actor.role in LOGGED_READERS:
        uow.session.add(
            AccessLog(appeal_id=appeal.id, actor=actor.name, role=actor.role, action=action, at=uow.clock.now())
        )
        uow.commit()
    else:
        uow.end_read()


def calls_back(actor, intake_unit: Unit | None) -> bool:
    """Whether the actor is one who calls the citizen back: intake or callback at the unit that received
    the appeal (`intake_unit`) or a unit above it. Only they see the reporter's contact unmasked without asking."""
    if actor.role not in CONTACT_ROLES:
        return False
    return within(actor.unit_path, intake_unit)


def reporter_for(actor, appeal, intake_unit: Unit | None, *, listing: bool = False) -> dict | None:
    """The reporter as this actor may see them: in full, masked, or (a confidential appeal, to anyone who
    does not call the citizen back) not at all. Lists are always masked."""
    full = calls_back(actor, intake_unit)
    if appeal.confidential and not full:
        return None
    if full and not listing:
        return {"name": appeal.reporter_name, "phone": appeal.reporter_phone}
    return {"name": mask_name(appeal.reporter_name), "phone": mask_phone(appeal.reporter_phone)}


def mask_phone(phone: str | None) -> str | None:
    """138****5678: enough to recognise a number, not to call it."""
    if not phone:
        return phone
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def mask_name(name: str | None) -> str | None:
    return name[0] + "*" * (len(name) - 1) if name else name
