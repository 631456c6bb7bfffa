"""Working days: the Chinese statutory calendar (holidays and the weekends worked in lieu, 调休), with
administrator overrides, and the arithmetic of time limits on it.

The statutory data comes from the maintained `chinesecalendar` package. A year it does not cover yet
can be loaded by an administrator (its holidays and adjusted working days); until then, any question
about that year is refused with a clear error rather than answered by guessing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from sqlalchemy import Boolean, Date, Integer, cast, null, select

from .errors import EngineError
from .models import CalendarDay, CalendarYear

LIMIT_UNITS = ("working_days", "calendar_days", "hours")
_MAX_SEARCH_DAYS = 3660


class CalendarGap(EngineError):
    """The calendar has no data for a year it was asked about."""

    code = "calendar_gap"


@dataclass
class WorkingCalendar:
    """Which days are working days, in one time zone.

    `years` are years loaded by an administrator: in them, days not listed in `overrides` follow the
    weekday rule (Monday to Friday). `overrides` (day -> working or not) win over everything.
    """

    zone: ZoneInfo
    overrides: dict[date, bool] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.years:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError as error:
            raise CalendarGap(
                f"the working-day calendar has no data for {day.year}: an administrator must load that year's "
                "official schedule (its holidays and worked weekends) before limits reach into it",
                fields={"year": day.year},
            ) from error

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end of the `days`-th working day after the day of `start` (local time).

        The day something happens does not count; the limit runs to the end of the last working day.
        """
        day, counted = start.astimezone(self.zone).date(), 0
        for _ in range(_MAX_SEARCH_DAYS):
            if counted == days:
                return datetime.combine(day, time(23, 59, 59), self.zone)
            day += timedelta(days=1)
            counted += self.is_workday(day)
        raise CalendarGap(f"no {days} working days within ten years of {start.date()}")

    def add_limit(self, start: datetime, amount: float, unit: str) -> datetime:
        """`start` plus a limit in working days, calendar days (to the end of the day) or hours."""
        if unit == "working_days":
            return self.add_working_days(start, int(amount))
        if unit == "calendar_days":
            end = start.astimezone(self.zone).date() + timedelta(days=int(amount))
            return datetime.combine(end, time(23, 59, 59), self.zone)
        if unit == "hours":
            return start + timedelta(hours=amount)
        raise ValueError(f"unknown limit unit '{unit}': use one of {', '.join(LIMIT_UNITS)}")


#: Every override day and every loaded year, in one round trip for both tables (built once: most
#: operations read it, see engine/store.py on why).
OVERRIDES = select(CalendarDay.day, CalendarDay.workday, cast(null(), Integer).label("year")).union_all(
    select(cast(null(), Date), cast(null(), Boolean), CalendarYear.year)
)


def load_calendar(session, zone: str) -> WorkingCalendar:
    """The calendar with every administrator override, read from the database."""
    rows = session.execute(OVERRIDES).all()
    overrides = {day: workday for day, workday, _ in rows if day is not None}
    return WorkingCalendar(ZoneInfo(zone), overrides, frozenset(year for _, _, year in rows if year is not None))


def save_year(session, *, year: int, holidays: list[date], workdays: list[date], actor: str, at: datetime) -> None:
    """Load (or reload) a year's official schedule: its holidays and its weekends worked in lieu."""
    for day in [*holidays, *workdays]:
        if day.year != year:
            raise CalendarGap(f"{day} is not in {year}", fields={"days": str(day)})
    session.query(CalendarDay).filter(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31))).delete()
    session.merge(CalendarYear(year=year, loaded_at=at, loaded_by=actor))
    session.add_all(CalendarDay(day=day, workday=False, note="holiday") for day in holidays)
    session.add_all(CalendarDay(day=day, workday=True, note="worked in lieu") for day in workdays)
    session.flush()
