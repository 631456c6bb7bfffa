"""Extension requests: handlers and leaders list them, leaders decide them."""

from flask import g
from flask.views import MethodView

from appeals.services import supervision

from ..framework import Blueprint, runtime
from .schemas import DecisionSchema, ExtensionListedSchema, ExtensionQueryArgsSchema, ExtensionSchema

blp = Blueprint("extensions", __name__, description="Requests for more time on a task")


@blp.route("")
class ExtensionViews(MethodView):
    @blp.arguments(ExtensionQueryArgsSchema, location="query")
    @blp.response(200, ExtensionListedSchema(many=True))
    def get(self, args):
        """List the extension requests on appeals you may read (status=pending: those to decide), oldest first"""
        return supervision.list_extensions(
            runtime().uow(), actor=g.actor, status=args.get("status"), appeal_id=args.get("appeal")
        )


@blp.route("/<id:extension_id>/decision")
class ExtensionDecisionViews(MethodView):
    @blp.arguments(DecisionSchema)
    @blp.response(200, ExtensionSchema)
    def post(self, body, extension_id):
        """Approve or refuse an extension; approval moves the task's limit and the reply deadline"""
        return supervision.decide_extension(
            runtime().uow(), actor=g.actor, extension_id=extension_id, approved=body["approved"], note=body.get("note")
        )
