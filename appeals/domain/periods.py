"""Periods people ask about (a month, a day, a span of days), in the city's time zone, and the bounds that
keep them sane.

Statistics, bulletins and the monthly study all take a period. A year outside the service's range would
make date arithmetic overflow (a 500) or scan centuries; a period of a thousand years is a typing slip.
"""

import re
from datetime import date, datetime, timedelta

from engine import Text

from .messages import MESSAGES

#: The years a period may touch.
FIRST_YEAR, LAST_YEAR = 2000, 2099
#: The longest period, in years, and as a span of time (leap days included).
MAX_YEARS = 5
MAX_SPAN = timedelta(days=366 * MAX_YEARS)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def year_problem(year: int) -> Text | None:
    """Why a period may not touch `year`, or None."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return MESSAGES.text("field_year_in_range", first=FIRST_YEAR, last=LAST_YEAR)


def month(text: str, zone) -> tuple[datetime, datetime]:
    """The month written `YYYY-MM` in `zone`: [its first day 00:00, the next month's first day 00:00).

    Raises ValueError with a Text saying what is wrong with `text`.
    """
    match = _MONTH.match(text or "")
    if not match:
        raise ValueError(MESSAGES.text("field_month_written"))
    year, number = int(match[1]), int(match[2])
    problem = year_problem(year)
    if problem:
        raise ValueError(problem)
    following = (year + number // 12, number % 12 + 1)
    return datetime(year, number, 1, tzinfo=zone), datetime(*following, 1, tzinfo=zone)


def day_start(day: date, zone) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def day_end(day: date, zone) -> datetime:
    """The end of `day` in `zone`: the next day's 00:00 (periods end excluded)."""
    return day_start(day + timedelta(days=1), zone)


def span_problem(since: datetime, until: datetime) -> Text | None:
    """Why [since, until) is not a period to report on, or None; said of `until`."""
    if until <= since:
        return MESSAGES.text("field_after_since")
    if until - since > MAX_SPAN:
        return MESSAGES.text("field_period_too_long", years=MAX_YEARS)
    return None
