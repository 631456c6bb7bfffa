"""The period a statistic or a bulletin covers, as people type it: one query schema for every endpoint.

`period=2026-11` is that month in the city's time zone. `since` and `until` take a date-time with its
offset, or a plain date, which is a whole day in the city's zone: `since` from its start, `until` to its
end. A `+` typed into a URL arrives as a space (`+08:00` unencoded): it is read as the `+` it was. Years
outside the service's range are refused before any date arithmetic can overflow (appeals/domain/periods.py).
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import marshmallow as ma

from appeals.domain import periods
from appeals.domain.messages import MESSAGES

from .framework import QueryArgsSchema, runtime

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: An offset whose `+` arrived as a space, after a time of day: `2026-12-01T00:00:00 08:00`.
_SPACED_OFFSET = re.compile(r"^(.*\d:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")
_FORMS = "a date (2026-12-01) or a date-time with its offset (2026-12-01T00:00:00+08:00)"


class Moment(ma.fields.Field):
    """A date-time with its offset, or a plain date (a day in the city's zone, resolved by the schema)."""

    def _deserialize(self, value, attr, data, **kwargs) -> date | datetime:
        text = _SPACED_OFFSET.sub(r"\1+\2", str(value).strip())
        try:
            moment = date.fromisoformat(text) if _DAY.match(text) else datetime.fromisoformat(text)
        except ValueError as error:
            raise ma.ValidationError([MESSAGES.text("field_moment_forms")]) from error
        if isinstance(moment, datetime) and moment.tzinfo is None:
            raise ma.ValidationError([MESSAGES.text("field_moment_offset", example=text)])
        problem = periods.year_problem(moment.year)
        if problem:
            raise ma.ValidationError([problem])
        return moment


class Day(ma.fields.Date):
    """A day (2026-12-01) in the service's years: a far one would overflow the date arithmetic done on it
    (its end in the city's zone), or set a limit that no one could be held to."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        problem = periods.year_problem(day.year)
        if problem:
            raise ma.ValidationError([problem])
        return day


class PeriodArgsSchema(QueryArgsSchema):
    """`period`, or `since` and `until`; loaded as `since` and `until`, zone-aware, the end excluded."""

    period = ma.fields.String(metadata={"description": "A month in the city's time zone, YYYY-MM (e.g. 2026-11)"})
    since = Moment(metadata={"description": f"Start of the period (included): {_FORMS}; a date from its start"})
    until = Moment(metadata={"description": f"End of the period (excluded): {_FORMS}; a date to its end"})

    @ma.post_load
    def _resolve(self, data, **kwargs):
        zone = ZoneInfo(runtime().zone)
        month = data.pop("period", None)
        if month is not None:
            if "since" in data or "until" in data:
                raise ma.ValidationError([MESSAGES.text("field_period_or_span")], field_name="period")
            try:
                data["since"], data["until"] = periods.month(month, zone)
            except ValueError as error:
                raise ma.ValidationError(list(error.args), field_name="period") from error
            return data
        for name in ("since", "until"):
            if name not in data:
                raise ma.ValidationError([MESSAGES.text("field_span_or_period")], field_name=name)
        if not isinstance(data["since"], datetime):
            data["since"] = periods.day_start(data["since"], zone)
        if not isinstance(data["until"], datetime):
            data["until"] = periods.day_end(data["until"], zone)
        problem = periods.span_problem(data["since"], data["until"])
        if problem:
            raise ma.ValidationError([problem], field_name="until")
        return data
