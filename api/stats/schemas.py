"""Schemas of the statistics: the period and filters asked for, and the figures (docs/statistics.md)."""

import marshmallow as ma

from appeals.domain.vocabulary import CATEGORIES, CHANNELS

from .. import validate
from ..periods import PeriodArgsSchema


class StatsQueryArgsSchema(PeriodArgsSchema):
    unit = ma.fields.String(
        validate=validate.Length(1, 64),
        metadata={"description": "Only appeals whose responsible unit is this unit or below it; default: yours"},
    )
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))
    channel = ma.fields.String(validate=validate.OneOf(CHANNELS))


def _rate(description):
    return ma.fields.Float(allow_none=True, metadata={"description": f"{description}; null when nothing to rate"})


class HandlingDaysSchema(ma.Schema):
    count = ma.fields.Integer(metadata={"description": "Settled appeals measured"})
    mean = ma.fields.Float(allow_none=True)
    p90 = ma.fields.Integer(allow_none=True, metadata={"description": "Nearest-rank 90th percentile"})


class FiguresSchema(ma.Schema):
    collected = ma.fields.Integer(metadata={"description": "Appeals reported in the period"})
    duplicates = ma.fields.Integer()
    settled = ma.fields.Integer(metadata={"description": "Closed with a disposition other than duplicate"})
    settlement_rate = _rate("settled / (collected - duplicates)")
    replies_due = ma.fields.Integer(metadata={"description": "Replies whose deadline passed or that were given"})
    replied_on_time = ma.fields.Integer()
    on_time_rate = _rate("replied_on_time / replies_due")
    evaluated = ma.fields.Integer()
    satisfied = ma.fields.Integer()
    basically_satisfied = ma.fields.Integer()
    dissatisfied = ma.fields.Integer()
    satisfaction_rate = _rate("(satisfied + basically_satisfied) / evaluated")
    unreachable = ma.fields.Integer(metadata={"description": "Closed because the citizen could not be reached"})
    unreachable_rate = _rate("unreachable / (evaluated + unreachable)")
    reopened = ma.fields.Integer(metadata={"description": "Appeals reopened at least once"})
    reopenings = ma.fields.Integer(metadata={"description": "Times reopened, all appeals together"})
    replied = ma.fields.Integer(metadata={"description": "Appeals whose citizen has had a reply (feedback done)"})
    redo_rate = _rate("重办率: reopened / replied")
    reminded = ma.fields.Integer(metadata={"description": "Appeals reminded by hand (催办) at least once"})
    reminder_rate = _rate("reminded / collected")
    handling_days = ma.fields.Nested(HandlingDaysSchema, metadata={"description": "Working days, report to close"})


class ScorecardSchema(FiguresSchema):
    unit = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String(allow_none=True)
    times_late = ma.fields.Integer()
    score = _rate("Mean of the unit's defined rates")
    rank = ma.fields.Integer(allow_none=True, metadata={"description": "Rank by score within the unit's level"})


class LateUnitCountSchema(ma.Schema):
    unit = ma.fields.String()
    times_late = ma.fields.Integer()
    longest_late_seconds = ma.fields.Integer()


class CategoryCountSchema(ma.Schema):
    category = ma.fields.String(allow_none=True)
    count = ma.fields.Integer()


class PlaceCountSchema(ma.Schema):
    place = ma.fields.String()
    count = ma.fields.Integer()


class WordCountSchema(ma.Schema):
    word = ma.fields.String()
    count = ma.fields.Integer()


class TopDemandsSchema(ma.Schema):
    categories = ma.fields.List(ma.fields.Nested(CategoryCountSchema))
    places = ma.fields.List(ma.fields.Nested(PlaceCountSchema))
    words = ma.fields.List(ma.fields.Nested(WordCountSchema))


class WeekSchema(ma.Schema):
    since = ma.fields.AwareDateTime()
    until = ma.fields.AwareDateTime()
    collected = ma.fields.Integer()
    settled = ma.fields.Integer()


class PeriodSchema(ma.Schema):
    since = ma.fields.AwareDateTime()
    until = ma.fields.AwareDateTime()
    as_of = ma.fields.AwareDateTime(metadata={"description": "The moment the figures describe"})


class FiltersSchema(ma.Schema):
    unit = ma.fields.String(allow_none=True)
    category = ma.fields.String(allow_none=True)
    channel = ma.fields.String(allow_none=True)


class StatsSchema(FiguresSchema):
    period = ma.fields.Nested(PeriodSchema)
    filters = ma.fields.Nested(FiltersSchema)
    units = ma.fields.List(ma.fields.Nested(ScorecardSchema), metadata={"description": "Unit scorecards"})
    late_units = ma.fields.List(ma.fields.Nested(LateUnitCountSchema), metadata={"description": "Name-call bulletin"})
    top_demands = ma.fields.Nested(TopDemandsSchema)
    weekly = ma.fields.List(ma.fields.Nested(WeekSchema), metadata={"description": "The period week by week"})
