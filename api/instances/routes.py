"""Process instances: designers read their trial runs and send them messages."""

from flask import g
from flask.views import MethodView

from appeals.services import processes as service

from ..framework import Blueprint, runtime
from .schemas import InstanceSchema, MessageSchema

blp = Blueprint("instances", __name__, description="Trial process instances")


@blp.route("/<id:instance_id>")
class InstanceByIdViews(MethodView):
    @blp.response(200, InstanceSchema)
    def get(self, instance_id):
        """Read a trial instance: status, data, open tasks, waiting timers and messages"""
        return service.get_instance(runtime().uow(), actor=g.actor, instance_id=instance_id)


@blp.route("/<id:instance_id>/messages/<string:name>")
class InstanceMessageViews(MethodView):
    @blp.arguments(MessageSchema)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id, name):
        """Deliver a message to a trial instance"""
        return service.deliver_message(
            runtime().uow(), actor=g.actor, instance_id=instance_id, name=name, payload=body["payload"]
        )
