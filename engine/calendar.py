"""Working days: the Chinese statutory calendar (holidays and the weekends worked in lieu, 调休), and the
arithmetic of time limits on it.

A year is *official* when its schedule is known: from the maintained `chinesecalendar` package, or
loaded by an administrator (a load wins over the package). Any other year is *provisional*: reckoned by
rule, weekends plus the statutory holidays the `holidays` package computes from the lunar calendar (its
worked weekends cannot be foreseen). Intake never stops for a missing year; a limit that counted a day of
a provisional year says so, and is re-planned when the official schedule is loaded (engine/provisional.py).

Loads are append-only revisions: `CalendarRevisions.at(moment)` is the calendar as it stood then, which
is what a replay of an event at that moment must use.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays as holiday_rules
from sqlalchemy import select

from .errors import InvalidData
from .messages import MESSAGES
from .models import CalendarLoad

LIMIT_UNITS = ("working_days", "calendar_days", "hours")
_MAX_SEARCH_DAYS = 3660
#: The years the package covers (it raises for others).
PACKAGE_YEARS = range(min(chinese_calendar.constants.holidays).year, max(chinese_calendar.constants.holidays).year + 1)
#: The years reckoned at all: the rule's holidays exist from 1950; later than 2099 is a mistake, not a plan.
RECKONED_YEARS = range(1950, 2100)


class CalendarGap(InvalidData):
    """The calendar was asked about a year outside any sane range."""

    code = "calendar_gap"


@dataclass(frozen=True)
class LoadedYear:
    """One administrator's load of a year: its holidays and its weekends worked in lieu."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    revision: int | None = None
    loaded_at: datetime | None = None
    loaded_by: str | None = None


@dataclass(frozen=True)
class Limit:
    """The end of a time limit, and whether a day it counted lies in a provisional year."""

    at: datetime
    provisional: bool = False


@lru_cache(maxsize=256)
def rule_holidays(year: int) -> frozenset[date]:
    """China's statutory holidays in `year` by rule (observed days included), for a provisional year."""
    _refuse_unreckoned(year, CalendarGap)
    return frozenset(holiday_rules.China(years=year))


def _refuse_unreckoned(year: int, refusal: type[InvalidData]) -> None:
    """Refuse `year` with `refusal` when the calendar does not reckon it, naming the years it does: the same
    words whether a limit asked about the year or an administrator tried to load it."""
    if year not in RECKONED_YEARS:
        first, last = RECKONED_YEARS.start, RECKONED_YEARS.stop - 1
        raise refusal(
            MESSAGES.text("calendar_year_not_reckoned", year=year, first=first, last=last),
            fields={"year": MESSAGES.text("field_year_between", first=first, last=last)},
        )


@lru_cache(maxsize=4096)
def package_workday(day: date) -> bool:
    """Whether `day`, of a year the package covers, is a working day by the package's schedule.

    Kept per day: the package's answer never changes, and it costs about 20 us (it checks its arguments and
    reads three tables), while a limit of 15 working days asks it about 21 days, and every step of an appeal
    reckons limits (measured: such a limit took 420 us uncached, 17 us cached).
    """
    return chinese_calendar.is_workday(day)


@dataclass
class WorkingCalendar:
    """Which days are working days, in one time zone; `loaded` are the administrators' years."""

    zone: ZoneInfo
    loaded: dict[int, LoadedYear] = field(default_factory=dict)

    def source(self, year: int) -> str:
        """Where the year's days come from: "loaded", "package" (both official) or "rule" (provisional)."""
        if year in self.loaded:
            return "loaded"
        if year in PACKAGE_YEARS:
            return "package"
        rule_holidays(year)  # refuses an absurd year
        return "rule"

    def is_official(self, year: int) -> bool:
        return year in self.loaded or year in PACKAGE_YEARS

    def is_workday(self, day: date) -> bool:
        loaded = self.loaded.get(day.year)
        if loaded is not None:
            return day in loaded.workdays or (day.weekday() < 5 and day not in loaded.holidays)
        if day.year in PACKAGE_YEARS:
            return package_workday(day)
        return day.weekday() < 5 and day not in rule_holidays(day.year)

    def working_days_after(self, start: datetime, days: int) -> Limit:
        """The end of the `days`-th working day after the day of `start` (local time).

        The day something happens does not count; the limit runs to the end of the last working day.
        """
        day, counted, provisional = start.astimezone(self.zone).date(), 0, False
        year = None
        for _ in range(_MAX_SEARCH_DAYS):
            if counted == days:
                return Limit(datetime.combine(day, time(23, 59, 59), self.zone), provisional)
            day += timedelta(days=1)
            if day.year != year:
                year = day.year
                provisional = provisional or not self.is_official(year)
            counted += self.is_workday(day)
        raise CalendarGap(MESSAGES.text("calendar_no_working_days", days=days, start=start))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        return self.working_days_after(start, days).at

    def limit(self, start: datetime, amount: float, unit: str) -> Limit:
        """`start` plus a limit in working days, calendar days (to the end of the day) or hours; only
        working days depend on the calendar, so only they can be provisional."""
        if unit == "working_days":
            return self.working_days_after(start, int(amount))
        if unit == "calendar_days":
            end = start.astimezone(self.zone).date() + timedelta(days=int(amount))
            return Limit(datetime.combine(end, time(23, 59, 59), self.zone))
        if unit == "hours":
            return Limit(start + timedelta(hours=amount))
        raise ValueError(f"unknown limit unit '{unit}': use one of {', '.join(LIMIT_UNITS)}")

    def add_limit(self, start: datetime, amount: float, unit: str) -> datetime:
        return self.limit(start, amount, unit).at

    def days_of(self, year: int) -> dict:
        """The year's holidays (days off that are not weekends, or statutory ones) and worked weekend days."""
        source = self.source(year)
        if source == "loaded":
            loaded = self.loaded[year]
            return {"holidays": sorted(loaded.holidays), "workdays": sorted(loaded.workdays)}
        if source == "rule":
            return {"holidays": sorted(rule_holidays(year)), "workdays": []}
        first = date(year, 1, 1)
        days = [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]
        return {
            "holidays": [d for d in days if d.weekday() < 5 and not self.is_workday(d)],
            "workdays": [d for d in days if d.weekday() >= 5 and self.is_workday(d)],
        }


class CalendarRevisions:
    """Every load of every year, oldest first: the calendar as it stood at any moment (`at`)."""

    def __init__(self, zone: str, loads: list[LoadedYear]):
        self.zone, self.loads = ZoneInfo(zone), loads
        self._built: dict[tuple, WorkingCalendar] = {}

    def at(self, moment: datetime | None) -> WorkingCalendar:
        """The calendar with the newest load of each year made before `moment` (None: every load).

        Strictly before: a load takes effect after its instant, so an operation stamped with the same
        instant (the same fixed clock) computed, and replays, without it.
        """
        current = {}
        for load in self.loads:
            if moment is None or load.loaded_at < moment:
                current[load.year] = load
        key = tuple(sorted(load.revision for load in current.values()))
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = WorkingCalendar(self.zone, current)
        return built

    def history_of(self, year: int) -> list[LoadedYear]:
        return [load for load in self.loads if load.year == year]


#: Every load, oldest first (built once: most operations read it, see engine/store.py on why).
LOADS = select(CalendarLoad).order_by(CalendarLoad.loaded_at, CalendarLoad.id)


def load_revisions(session, zone: str) -> CalendarRevisions:
    """Every administrator's load, read from the database."""
    return CalendarRevisions(zone, [_loaded(row) for row in session.scalars(LOADS)])


def _loaded(row: CalendarLoad) -> LoadedYear:
    return LoadedYear(
        row.year,
        frozenset(map(date.fromisoformat, row.holidays)),
        frozenset(map(date.fromisoformat, row.workdays)),
        row.id,
        row.loaded_at,
        row.loaded_by,
    )


def save_year(session, *, year: int, holidays: list, workdays: list, actor: str, at: datetime) -> LoadedYear:
    """Add a load of `year`'s official schedule (holidays and weekends worked in lieu, ISO dates or dates).

    Refused, with nothing written, naming the field: a day that is no date, lies outside the year, or is
    listed twice (in one list or in both).
    """
    _refuse_unreckoned(year, InvalidData)
    seen: dict[date, str] = {}
    for name, days in (("holidays", holidays), ("workdays", workdays)):
        for index, value in enumerate(days):
            where = f"{name}.{index}"
            day = _as_date(value, where)
            if day.year != year:
                raise _day_refused(where, MESSAGES.text("field_day_outside_year", day=day, year=year))
            if day in seen:
                raise _day_refused(where, MESSAGES.text("field_day_twice", day=day, other=seen[day]))
            seen[day] = where
    row = CalendarLoad(
        year=year,
        holidays=sorted(str(_as_date(d, "")) for d in holidays),
        workdays=sorted(str(_as_date(d, "")) for d in workdays),
        loaded_at=at,
        loaded_by=actor,
    )
    session.add(row)
    session.flush()
    return _loaded(row)


def _as_date(value, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _day_refused(where, MESSAGES.text("field_not_a_date")) from None


def _day_refused(where: str, problem) -> InvalidData:
    """The refusal of one listed day, `where` ("holidays.3"), for `problem`: the message names the field,
    the field's explanation is the problem alone."""
    return InvalidData(MESSAGES.text("calendar_day_refused", where=where, problem=problem), fields={where: problem})
