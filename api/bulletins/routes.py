"""Bulletins: the name-call of units that let limits run out."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from appeals.services import deadlines

from ..framework import Blueprint, runtime
from ..periods import PeriodArgsSchema

blp = Blueprint("bulletins", __name__, description="Name-call bulletins")


class LateUnitSchema(ma.Schema):
    unit = ma.fields.String()
    times_late = ma.fields.Integer()
    longest_late_seconds = ma.fields.Integer()


@blp.route("/late-units")
class LateUnitViews(MethodView):
    @blp.arguments(PeriodArgsSchema, location="query")
    @blp.response(200, LateUnitSchema(many=True))
    def get(self, args):
        """List the units that let limits run out in a period, most often late first"""
        return deadlines.late_units(runtime().uow(), actor=g.actor, since=args["since"], until=args["until"])
