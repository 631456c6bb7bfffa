"""The administrators' calendar service: which years are official or provisional, a year's days, and
loading a year's official schedule, after which every provisional time is re-planned on it.

The State Council publishes each year's schedule in the autumn before (DOMAIN.md): from 1 October a
next year that has none yet is reported missing, as is a current year that has none.
"""

import logging
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from engine import Conflict, EngineError, Instance, save_year

from ..domain import access
from ..domain.errors import described
from .appeals import sync_instance

log = logging.getLogger(__name__)

#: The day of the year from which next year's official schedule is expected.
EXPECTED_FROM = (10, 1)
#: How often a re-plan that lost a race with another writer of the instance is tried again.
REPLAN_TRIES = 3
#: Running instances with some provisional time, oldest first: what a new load re-plans.
PROVISIONAL_INSTANCES = (
    select(Instance.id)
    .where(Instance.status == "running", Instance.has_provisional_times.is_(True))
    .order_by(Instance.id)
)


def status(uow, *, actor) -> dict:
    """Each year around today (and every loaded one): official (by the package or loaded) or provisional,
    and which official schedules are missing."""
    access.require_role(actor, "admin")
    with uow.reading():
        return _status(uow)


def missing_years(uow) -> list[int]:
    """The years that should have an official schedule by now and have none (for `/ready`)."""
    with uow.reading():
        return _status(uow)["missing"]


def _status(uow) -> dict:
    today = uow.clock.now().astimezone(ZoneInfo(uow.runtime.zone)).date()
    revisions = uow.engine.calendar_revisions()
    calendar = revisions.at(None)
    window = sorted({today.year - 1, today.year, today.year + 1, *calendar.loaded})
    expected = [today.year, *([today.year + 1] if (today.month, today.day) >= EXPECTED_FROM else [])]
    missing = [year for year in expected if not calendar.is_official(year)]
    return {
        "today": today,
        "years": [_year_entry(calendar, revisions, year) for year in window],
        "missing": missing,
        "warning": missing_warning(missing),
    }


def _year_entry(calendar, revisions, year: int) -> dict:
    source = calendar.source(year)
    loaded = calendar.loaded.get(year)
    return {
        "year": year,
        "status": "provisional" if source == "rule" else "official",
        "source": source,
        "loaded_by": loaded.loaded_by if loaded else None,
        "loaded_at": loaded.loaded_at if loaded else None,
        "revisions": [
            {"revision": load.revision, "loaded_at": load.loaded_at, "loaded_by": load.loaded_by}
            for load in revisions.history_of(year)
        ],
    }


def missing_warning(missing: list[int]) -> str | None:
    """The warning, in Chinese and English, that official schedules are missing (None: none is)."""
    if not missing:
        return None
    years = "、".join(map(str, missing))
    return (
        f"{years} 年的官方节假日安排尚未导入，相关期限按规则暂定 "
        f"(no official schedule loaded for {', '.join(map(str, missing))}: limits in it are provisional)"
    )


def year_days(uow, *, actor, year: int) -> dict:
    """One year's holidays and worked weekend days, with where they come from."""
    access.require_role(actor, "admin")
    with uow.reading():
        revisions = uow.engine.calendar_revisions()
        calendar = revisions.at(None)
        return {**_year_entry(calendar, revisions, year), **calendar.days_of(year)}


def load_year(uow, *, actor, year: int, holidays: list, workdays: list) -> dict:
    """Load `year`'s official schedule (a new revision; earlier ones stay for replay), then re-plan every
    running instance's provisional times on it, one transaction per instance."""
    access.require_role(actor, "admin")
    with uow:
        loaded = save_year(
            uow.session, year=year, holidays=holidays, workdays=workdays, actor=actor.name, at=uow.clock.now()
        )
        uow.commit()
    details = {"calendar_year": year, "calendar_revision": loaded.revision}
    replanned = replan_all(uow.runtime, clock=uow.clock, actor=actor.name, details=details)
    return {
        "year": year,
        "revision": loaded.revision,
        "holidays": sorted(loaded.holidays),
        "workdays": sorted(loaded.workdays),
        "loaded_at": loaded.loaded_at,
        "loaded_by": loaded.loaded_by,
        "replanned": replanned,
    }


def replan_all(runtime, *, clock, actor: str, details: dict) -> int:
    """Re-plan every running instance with provisional times; returns how many changed."""
    with runtime.uow(clock).reading() as uow:
        instance_ids = uow.session.scalars(PROVISIONAL_INSTANCES).all()
    replanned = 0
    for instance_id in instance_ids:
        for attempt in range(1, REPLAN_TRIES + 1):
            try:
                replanned += _replan_one(runtime.uow(clock), instance_id, actor=actor, details=details)
                break
            except (Conflict, OperationalError) as error:  # another writer of the instance won: try again
                log.info("re-plan of instance %s lost a race (try %s): %s", instance_id, attempt, described(error))
            except EngineError as error:  # left provisional; the next load re-plans it
                log.warning("instance %s not re-planned: %s", instance_id, described(error))
                break
    return replanned


def _replan_one(uow, instance_id: int, *, actor: str, details: dict) -> bool:
    """Re-plan one instance; its appeal, if it is one's, follows (as a timer's firing)."""
    with uow:
        view = uow.engine.replan(instance_id, actor=actor, details=details)
        if view is None:
            uow.end_read()
            return False
        sync_instance(uow, view)
        uow.commit()
        return True
