"""Schemas of the working-day calendar: each year's standing and days, and a year's official schedule."""

import marshmallow as ma

from .. import validate

#: A year has at most 366 days: a longer list is a mistake, refused before it is read.
MAX_DAYS = 366


class CalendarRevisionSchema(ma.Schema):
    revision = ma.fields.Integer(metadata={"description": "The load's number; replay uses the load of each moment"})
    loaded_at = ma.fields.AwareDateTime()
    loaded_by = ma.fields.String(allow_none=True)


class CalendarYearSchema(ma.Schema):
    year = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": ["official", "provisional"]})
    source = ma.fields.String(
        metadata={
            "enum": ["package", "loaded", "rule"],
            "description": "package or loaded: official; rule: weekends and statutory holidays, provisional",
        }
    )
    loaded_by = ma.fields.String(allow_none=True)
    loaded_at = ma.fields.AwareDateTime(allow_none=True)
    revisions = ma.fields.List(ma.fields.Nested(CalendarRevisionSchema), metadata={"description": "Every load"})


class CalendarStatusSchema(ma.Schema):
    today = ma.fields.Date(metadata={"description": "Today in the city's time zone"})
    years = ma.fields.List(ma.fields.Nested(CalendarYearSchema))
    missing = ma.fields.List(
        ma.fields.Integer(), metadata={"description": "Years whose official schedule is due and not loaded"}
    )
    warning = ma.fields.String(allow_none=True)


class CalendarDaysSchema(CalendarYearSchema):
    holidays = ma.fields.List(ma.fields.Date(), metadata={"description": "Days off on weekdays (and statutory ones)"})
    workdays = ma.fields.List(ma.fields.Date(), metadata={"description": "Weekend days worked in lieu (调休)"})


class ScheduleSchema(ma.Schema):
    """A year's official schedule as the State Council publishes it."""

    holidays = ma.fields.List(
        ma.fields.Date(), required=True, validate=validate.Length(max=MAX_DAYS), metadata={"description": "Days off"}
    )
    workdays = ma.fields.List(
        ma.fields.Date(),
        load_default=list,
        validate=validate.Length(max=MAX_DAYS),
        metadata={"description": "Weekend days worked in lieu"},
    )


class LoadedScheduleSchema(ma.Schema):
    year = ma.fields.Integer()
    revision = ma.fields.Integer()
    holidays = ma.fields.List(ma.fields.Date())
    workdays = ma.fields.List(ma.fields.Date())
    loaded_at = ma.fields.AwareDateTime()
    loaded_by = ma.fields.String(allow_none=True)
    replanned = ma.fields.Integer(metadata={"description": "Running processes whose provisional times moved"})
