"""Tasks: the open tasks you may act on, and completing one."""

from flask import g
from flask.views import MethodView

from appeals.services import supervision
from appeals.services import tasks as service

from ..appeals.schemas import AppealSchema
from ..extension_requests.schemas import ExtensionSchema
from ..framework import Blueprint, runtime
from .schemas import (
    APPEAL,
    COMPLETION_RESPONSE,
    INSTANCE,
    CompletionSchema,
    ExtensionRequestSchema,
    ReturnSchema,
    TaskQueryArgsSchema,
    TaskSchema,
)

blp = Blueprint("tasks", __name__, description="User tasks")


@blp.route("")
class TaskViews(MethodView):
    @blp.arguments(TaskQueryArgsSchema, location="query")
    @blp.response(200, TaskSchema(many=True))
    def get(self, args):
        """List the open tasks you may act on, with their forms"""
        return service.list_tasks(
            runtime().uow(), actor=g.actor, appeal_id=args.get("appeal"), instance_id=args.get("instance")
        )


@blp.route("/<string:task_id>/complete")
class TaskCompletionViews(MethodView):
    @blp.arguments(CompletionSchema)
    @blp.doc(responses={"200": COMPLETION_RESPONSE})
    def post(self, body, task_id):
        """Complete a task with data valid against its form"""
        result = service.complete(runtime().uow(), actor=g.actor, task_id=task_id, data=body["data"])
        return APPEAL.dump(result["appeal"]) if "appeal" in result else INSTANCE.dump(result["instance"])


@blp.route("/<string:task_id>/extensions")
class TaskExtensionViews(MethodView):
    @blp.arguments(ExtensionRequestSchema)
    @blp.response(201, ExtensionSchema)
    def post(self, body, task_id):
        """Ask a leader for more time on a task, before its limit runs out"""
        return supervision.request_extension(
            runtime().uow(), actor=g.actor, task_id=task_id, until=body["until"], reason=body["reason"]
        )


@blp.route("/<string:task_id>/return")
class TaskReturnViews(MethodView):
    @blp.arguments(ReturnSchema)
    @blp.response(200, AppealSchema)
    def post(self, body, task_id):
        """Send a wrongly dispatched appeal back to collation, within the return window"""
        return supervision.return_to_collate(runtime().uow(), actor=g.actor, task_id=task_id, reason=body["reason"])
