"""Who may read and act on what. One place, so every endpoint asks the same questions."""

import json

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


#: Roles whose every read of appeals is accounted for in the access log.
LOGGED_READERS = ("auditor",)
#: The most of a question (`log_query`'s `asked`) the access log keeps.
DETAIL_LENGTH = 400


def log_read(uow, actor, appeal, action: str) -> None:
    """Account for a read of one appeal in the access log (never in the appeal's own history: reading
    changes nothing), and end the read's transaction: committing the log, or, for a reader who is not
    logged, with nothing written (`UnitOfWork.end_read`). Reading an appeal is what users do most after
    task lists."""
    if actor.role in LOGGED_READERS:
        uow.session.add(_entry(uow, actor, action, appeal_id=appeal.id))
        uow.commit()
    else:
        uow.end_read()


def log_query(uow, actor, action: str, **asked) -> None:
    """Account for a read of many appeals at once (a list, statistics, a report) and what it asked
    (`asked`: filters and periods, never personal data), in a transaction of its own after the read, whose
    own is read-only; call it before the answer leaves, so that no read goes unaccounted for."""
    if actor.role in LOGGED_READERS:
        asked = {name: value for name, value in asked.items() if value is not None}
        detail = json.dumps(asked, default=lambda value: value.isoformat(), ensure_ascii=False)
        with uow.runtime.uow(clock=uow.clock) as writer:
            writer.session.add(_entry(writer, actor, action, detail=detail[:DETAIL_LENGTH]))
            writer.commit()


def _entry(uow, actor, action: str, *, appeal_id: int | None = None, detail: str | None = None) -> AccessLog:
    return AccessLog(
        appeal_id=appeal_id, actor=actor.name, role=actor.role, action=action, detail=detail, at=uow.clock.now()
    )


#: Roles that never unmask a reporter's contact: auditors replay histories and change nothing, and
#: unmasking is an act written into the appeal's history (docs/auditing.md).
NEVER_UNMASK = ("auditor",)


def require_may_unmask(actor) -> None:
    if actor.role in NEVER_UNMASK:
        raise Forbidden(
            MESSAGES.text("contact_not_for_auditors"),
            fields={"role": MESSAGES.text("field_not_for_role", role=actor.role)},
        )


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


#: What a phone number may hold besides digits, left in place when it is masked: its shape, not its digits.
PHONE_SEPARATORS = frozenset(" -+().")
#: A masked phone shows at most this many digits, its last ones ...
PHONE_DIGITS_SHOWN = 4
#: ... and always hides at least this many: a short number shows fewer (a 7-digit one none at all).
PHONE_DIGITS_HIDDEN = 7


def mask_phone(phone: str | None) -> str | None:
    """*******5678, 0358-***4567: enough to recognise a number, never enough to call it, whatever its length.

    The last digits are shown, at most 4, and only as many as leave at least 7 hidden (10 million
    numbers to try); separators keep their places and every other character is hidden."""
    if not phone:
        return phone
    digits = sum(character.isdigit() for character in phone)
    shown = max(0, min(PHONE_DIGITS_SHOWN, digits - PHONE_DIGITS_HIDDEN))
    masked, seen = [], 0
    for character in phone:
        if character.isdigit():
            seen += 1
            masked.append(character if seen > digits - shown else "*")
        else:
            masked.append(character if character in PHONE_SEPARATORS else "*")
    return "".join(masked)


def mask_name(name: str | None) -> str | None:
    """张*, Z********: the first character of a name of two or more, nothing of a name of one."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"
