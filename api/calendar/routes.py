"""The working-day calendar: which years are official or provisional, a year's days, loading a year."""

from flask import g
from flask.views import MethodView

from appeals.services import calendar as service

from ..framework import Blueprint, runtime
from .schemas import CalendarDaysSchema, CalendarStatusSchema, LoadedScheduleSchema, ScheduleSchema

blp = Blueprint("calendar", __name__, description="The working-day calendar (administrators)")


@blp.route("")
class CalendarViews(MethodView):
    @blp.response(200, CalendarStatusSchema)
    def get(self):
        """List the years around today as official or provisional, and the official schedules missing"""
        return service.status(runtime().uow(), actor=g.actor)


@blp.route("/<int:year>")
class CalendarYearViews(MethodView):
    @blp.response(200, CalendarDaysSchema)
    def get(self, year):
        """Read one year's holidays and worked weekend days, and where they come from"""
        return service.year_days(runtime().uow(), actor=g.actor, year=year)

    @blp.arguments(ScheduleSchema)
    @blp.response(200, LoadedScheduleSchema)
    def put(self, schedule, year):
        """Load a year's official schedule; running processes' provisional times are re-planned on it"""
        return service.load_year(runtime().uow(), actor=g.actor, year=year, **schedule)
