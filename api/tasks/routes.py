"""Tasks: the open tasks you may act on, and completing one."""

from flask import g
from flask.views import MethodView

from appeals import tasks as service

from ..extensions import Blueprint, runtime
from .schemas import APPEAL, COMPLETION_RESPONSE, INSTANCE, CompletionSchema, TaskQueryArgsSchema, TaskSchema

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
