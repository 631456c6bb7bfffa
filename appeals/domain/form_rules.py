"""Rules on a step's data that its form cannot state, because they need the clock, the city's time zone or
what the caller may read. They are checked before the step runs, so a refusal writes nothing.

A JSON Schema says that `promised_date` is a date; only the service knows what today is in the city, and a
promise in the past (or in the year 1) would leave the appeal waiting on a timer that can never be set.
"""

import re
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine import InvalidData

from . import access
from .messages import MESSAGES
from .models import Appeal

#: A date as the forms write it (JSON Schema's `format: date`); anything else is left to the form to refuse.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_promised_date(data: dict, *, now, zone: str) -> None:
    """A promised date lies after today in the city's zone and at most a year ahead (422 naming it)."""
    value = data.get("promised_date")
    if not isinstance(value, str) or not _DATE.match(value):
        return
    try:
        promised = date.fromisoformat(value)
    except ValueError:
        return
    today = now.astimezone(ZoneInfo(zone)).date()
    latest = _a_year_after(today)
    if promised <= today:
        problem, message = MESSAGES.text("field_after_today", today=today), MESSAGES.text("promised_past", today=today)
    elif promised > latest:
        problem, message = (
            MESSAGES.text("field_within_a_year_by", latest=latest),
            MESSAGES.text("promised_far", latest=latest),
        )
    else:
        return
    raise InvalidData(message, fields={"promised_date": problem})


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def original_of(uow, actor, appeal: Appeal, number: str) -> Appeal:
    """The appeal that `appeal` repeats, named by its number: one the actor may read, not `appeal` itself and
    not itself a duplicate (so that a reply reaches every duplicate in one step).

    An appeal the actor may not read gets the same answer as a number that does not exist, so that numbers
    cannot be probed.
    """
    query = select(Appeal).where(Appeal.number == number)
    scope = access.appeal_scope(actor)
    if scope is not None:
        query = query.where(scope)
    original = uow.session.scalar(query)
    if original is None or original.id == appeal.id:
        raise InvalidData(
            MESSAGES.text("duplicate_of_unknown"),
            fields={"duplicate_of": MESSAGES.text("field_no_readable_appeal")},
        )
    if original.duplicate_of_id is not None:
        raise InvalidData(
            MESSAGES.text("duplicate_of_duplicate", number=number),
            fields={"duplicate_of": MESSAGES.text("field_original_is_duplicate")},
        )
    return original
