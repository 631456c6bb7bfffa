"""Appeals: report one (step 1), list and read them, read their history."""

from flask import g
from flask.views import MethodView

from appeals import appeals as service

from ..extensions import Blueprint, runtime
from .schemas import AppealCreateSchema, AppealQueryArgsSchema, AppealSchema, EventSchema

blp = Blueprint("appeals", __name__, description="Citizens' appeals")


@blp.route("")
class AppealViews(MethodView):
    @blp.arguments(AppealQueryArgsSchema, location="query")
    @blp.response(200, AppealSchema(many=True))
    def get(self, args):
        """List the appeals you may read, newest first"""
        return service.list_appeals(runtime().uow(), actor=g.actor, filters=args)

    @blp.arguments(AppealCreateSchema)
    @blp.response(201, AppealSchema)
    def post(self, fields):
        """Report an appeal (step 1) and start its process"""
        return service.report(runtime().uow(), actor=g.actor, fields=fields)


@blp.route("/<int:appeal_id>")
class AppealByIdViews(MethodView):
    @blp.response(200, AppealSchema)
    def get(self, appeal_id):
        """Read one appeal with its open tasks"""
        return service.get(runtime().uow(), actor=g.actor, appeal_id=appeal_id)


@blp.route("/<int:appeal_id>/history")
class AppealHistoryViews(MethodView):
    @blp.response(200, EventSchema(many=True))
    def get(self, appeal_id):
        """Read an appeal's history, oldest event first"""
        return service.history(runtime().uow(), actor=g.actor, appeal_id=appeal_id)
