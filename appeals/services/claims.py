"""Leaders' claims of key appeals (seed 004: members of the leadership team claim key appeals, complete
them to the end and within a time limit): claim, release, list, and the reminder before a claim's limit.

A claim is complete when its appeal closes. Its limit comes from the `claim_limit` decision of the
newest appeal package (processes/time_limits.dmn: a policy of the moment of claiming, so it holds for
appeals started on older versions too), unless the leader sets a date on the spot; the timer sweep
reminds the leader before it. Every action is an event in the appeal's history.
"""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError

from engine import Conflict, EngineError, InvalidData

from ..domain import access
from ..domain.errors import Forbidden, described
from ..domain.messages import MESSAGES
from ..domain.models import Appeal, Claim, User
from ..domain.vocabulary import APPEAL_PROCESS
from .appeals import appeal_detail, readable
from .notifications import notify

log = logging.getLogger(__name__)

#: The decision that gives a claim's limit (a decision id of the package).
CLAIM_LIMIT = "claim_limit"
#: How far ahead a leader may set a claim's limit.
LONGEST = timedelta(days=366)


def claim(uow, *, actor, appeal_id: int, until: date | None = None) -> dict:
    """Claim an appeal, to be completed by the end of `until` (local) or within the DMN's limit."""
    access.require_role(actor, "leader")
    with uow:
        appeal = readable(uow, actor, appeal_id)
        if appeal.status == "closed":
            raise Conflict(
                MESSAGES.text("claim_of_closed", number=appeal.number),
                fields={"appeal": MESSAGES.text("field_appeal_closed")},
            )
        due_at, remind_at, source = _limit(uow, appeal, until)
        # The instance row first, as every change takes it (one lock order, no deadlock with a completion);
        # holding it, read the appeal again: a claim committed meanwhile is seen, not overwritten.
        details = {"by": actor.name, "due_at": due_at.isoformat(), "remind_at": remind_at.isoformat(), "limit": source}
        uow.engine.record(appeal.instance_id, "claimed", actor=actor.name, data=details)
        uow.session.refresh(appeal)
        if appeal.claimed_by is not None:
            raise Conflict(
                MESSAGES.text("claimed_already", number=appeal.number, leader=appeal.claimed_by),
                fields={"claim": MESSAGES.text("field_claim_taken")},
            )
        now = uow.clock.now()
        uow.session.add(
            Claim(appeal_id=appeal.id, leader=actor.name, claimed_at=now, due_at=due_at, remind_at=remind_at)
        )
        appeal.claimed_by, appeal.claimed_at = actor.name, now
        result = appeal_detail(uow, appeal, actor)
        uow.commit()
        return result


def _limit(uow, appeal, until):
    """(due, reminder, where the limit came from): the leader's date, or the claim_limit decision."""
    limits = uow.engine.decide(APPEAL_PROCESS, CLAIM_LIMIT, {"category": appeal.category})
    now = uow.clock.now()
    if until is None:
        due, source = uow.engine.calendar().add_limit(now, limits["claim_limit"], limits["claim_unit"]), "dmn"
    else:
        due, source = datetime.combine(until, time(23, 59, 59), ZoneInfo(uow.runtime.zone)), "leader"
        if due <= now:
            raise InvalidData(
                MESSAGES.text("claim_limit_behind"), fields={"until": MESSAGES.text("field_today_or_later")}
            )
        if due > now + LONGEST:
            raise InvalidData(
                MESSAGES.text("claim_limit_too_far"), fields={"until": MESSAGES.text("field_within_a_year")}
            )
    return due, max(due - timedelta(hours=limits["claim_remind_hours_before"]), now), source


def release(uow, *, actor, appeal_id: int) -> dict:
    """Release one's own claim of an appeal; the appeal is then free to claim."""
    access.require_role(actor, "leader")
    with uow:
        appeal = readable(uow, actor, appeal_id)
        uow.engine.record(appeal.instance_id, "claim_released", actor=actor.name, data={"by": actor.name})
        uow.session.refresh(appeal)
        held = uow.session.scalar(select(Claim).where(Claim.appeal_id == appeal.id, Claim.released_at.is_(None)))
        if held is None:
            raise Conflict(
                MESSAGES.text("not_claimed", number=appeal.number),
                fields={"claim": MESSAGES.text("field_nothing_to_release")},
            )
        if held.leader != actor.name:
            raise Forbidden(
                MESSAGES.text("release_not_yours", number=appeal.number, leader=held.leader),
                fields={"claim": MESSAGES.text("field_claimed_by", leader=held.leader)},
            )
        held.released_at = uow.clock.now()
        appeal.claimed_by = appeal.claimed_at = None
        result = appeal_detail(uow, appeal, actor)
        uow.commit()
        return result


def list_claims(uow, *, actor, mine: bool, released: bool) -> list[dict]:
    """Claims on appeals the actor may read (`mine`: the actor's own), soonest limit first; released
    claims only when asked for."""
    access.require_role(actor, "leader", "auditor", "admin")
    with uow.reading():
        query = select(Claim, Appeal).join(Appeal, Appeal.id == Claim.appeal_id).order_by(Claim.due_at, Claim.id)
        scope = access.appeal_scope(actor)
        if scope is not None:
            query = query.where(scope)
        if mine:
            query = query.where(Claim.leader == actor.name)
        if not released:
            query = query.where(Claim.released_at.is_(None))
        now = uow.clock.now()
        listed = [claim_view(claim, appeal, now=now) for claim, appeal in uow.session.execute(query.limit(500))]
    access.log_query(uow, actor, "claims", mine=mine, released=released)
    return listed


def claim_view(claim: Claim, appeal: Appeal, *, now: datetime) -> dict:
    """A claim with its appeal's state: `status` active, completed (the appeal closed) or released;
    `late` when it was completed after its limit or is still active past it."""
    if claim.released_at is not None:
        status, late = "released", False
    elif appeal.status == "closed":
        status, late = "completed", appeal.closed_at is not None and appeal.closed_at > claim.due_at
    else:
        status, late = "active", now > claim.due_at
    return {
        "id": claim.id,
        "appeal_id": appeal.id,
        "number": appeal.number,
        "title": appeal.title,
        "stage": appeal.stage,
        "leader": claim.leader,
        "claimed_at": claim.claimed_at,
        "due_at": claim.due_at,
        "remind_at": claim.remind_at,
        "reminded_at": claim.reminded_at,
        "released_at": claim.released_at,
        "status": status,
        "late": late,
    }


#: Claims whose reminder is due at `now`: not released, not reminded, their appeal still open.
DUE_REMINDERS = (
    select(Claim.id, Appeal.instance_id)
    .join(Appeal, Appeal.id == Claim.appeal_id)
    .where(
        Claim.released_at.is_(None),
        Claim.reminded_at.is_(None),
        Claim.remind_at <= bindparam("now"),
        Appeal.status == "open",
    )
    .order_by(Claim.remind_at, Claim.id)
)

#: Mark claim `claim_id` reminded at `now`, unless a sweep at the same time did or its leader released it.
MARK_REMINDED = (
    update(Claim)
    .where(Claim.id == bindparam("claim_id"), Claim.reminded_at.is_(None), Claim.released_at.is_(None))
    .values(reminded_at=bindparam("now"))
)


def due_reminders(uow) -> list[tuple[int, int]]:
    """(claim id, its appeal's instance id) of the claims whose reminders are due, soonest first."""
    return uow.session.execute(DUE_REMINDERS, {"now": uow.clock.now()}).all()


def send_reminders(runtime, due: list[tuple[int, int]], *, clock=None) -> int:
    """Remind the leaders of the `due` claims (part of the timer sweep); returns how many were reminded.

    One transaction per claim, taking the appeal's instance first as every change does; a claim that
    another sweep reminded, or that its leader released meanwhile, is left alone.
    """
    sent = 0
    for claim_id, instance_id in due:
        try:
            with runtime.uow(clock) as uow:
                sent += _remind(uow, claim_id, instance_id)
        except (EngineError, OperationalError) as error:  # a lost race with a writer: the next sweep retries
            log.warning("claim %s not reminded: %s", claim_id, described(error))
    return sent


def _remind(uow, claim_id: int, instance_id: int) -> int:
    held = uow.session.get(Claim, claim_id)
    data = {"claim": claim_id, "leader": held.leader, "due_at": held.due_at.isoformat()}
    uow.engine.record(instance_id, "claim_reminder_sent", actor=None, data=data)
    now = uow.clock.now()
    if uow.session.execute(MARK_REMINDED, {"claim_id": claim_id, "now": now}).rowcount != 1:
        return 0
    appeal = uow.session.get(Appeal, held.appeal_id)
    leader = uow.session.scalar(select(User).where(User.name == held.leader))
    notify(
        uow,
        appeal,
        kind="claim_reminder",
        message=MESSAGES.text("claim_reminder", number=appeal.number, due=held.due_at),
        unit=(leader.unit_code if leader else None) or appeal.unit,
        lane="leader",
        recipient=held.leader,
        due_at=held.due_at,
    )
    uow.commit()
    return 1
