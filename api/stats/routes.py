"""Statistics: the assessment figures of a period, for leaders, stations, auditors and administrators."""

from flask import g
from flask.views import MethodView

from appeals.reports import stats

from ..framework import Blueprint, runtime
from .schemas import StatsQueryArgsSchema, StatsSchema

blp = Blueprint("stats", __name__, description="Assessment statistics")


@blp.route("")
class StatsViews(MethodView):
    @blp.arguments(StatsQueryArgsSchema, location="query")
    @blp.response(200, StatsSchema)
    def get(self, args):
        """Read a period's rates, unit scorecards, late units and most frequent demands"""
        return stats.compute(runtime().uow(), actor=g.actor, **args)
