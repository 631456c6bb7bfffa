"""Notifications: reminders for the caller's unit and role."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from appeals import deadlines

from ..extensions import Blueprint, runtime
from ..language import language

blp = Blueprint("notifications", __name__, description="Reminders for handlers")


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    appeal_id = ma.fields.Integer()
    task_id = ma.fields.String()
    unit = ma.fields.String()
    kind = ma.fields.String()
    message = ma.fields.String(metadata={"description": "For people: in the Accept-Language, times local"})
    due_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()


@blp.route("")
class NotificationViews(MethodView):
    @blp.response(200, NotificationSchema(many=True))
    def get(self):
        """List the newest reminders for your role in your unit and the units below it"""
        return deadlines.notifications_for(runtime().uow(), actor=g.actor, language=language())
