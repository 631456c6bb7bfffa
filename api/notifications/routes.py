"""Notifications: reminders and notices for the caller (their role in their unit and below, or them alone),
each read or not by the caller."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from appeals.services import notifications

from ..framework import Blueprint, QueryArgsSchema, runtime
from ..language import language

blp = Blueprint("notifications", __name__, description="Reminders and notices, read and unread")


class NotificationQueryArgsSchema(QueryArgsSchema):
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "Only those you have not read"})


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    appeal_id = ma.fields.Integer()
    task_id = ma.fields.String(allow_none=True)
    unit = ma.fields.String()
    recipient = ma.fields.String(allow_none=True, metadata={"description": "The one user it is for, if any"})
    kind = ma.fields.String(
        metadata={"description": "reminder (a limit is near), manual_reminder (催办), claim_reminder, supervision"}
    )
    message = ma.fields.String(metadata={"description": "For people: in the Accept-Language, times local"})
    due_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    read = ma.fields.Boolean(metadata={"description": "Whether you have read it (POST .../read marks it)"})


class UnreadCountSchema(ma.Schema):
    unread = ma.fields.Integer()


class MarkedSchema(ma.Schema):
    marked = ma.fields.Integer(metadata={"description": "How many were marked read"})


@blp.route("")
class NotificationViews(MethodView):
    @blp.arguments(NotificationQueryArgsSchema, location="query")
    @blp.response(200, NotificationSchema(many=True))
    def get(self, args):
        """List your newest notifications (reading the list marks nothing read)"""
        return notifications.listing(runtime().uow(), actor=g.actor, unread=args["unread"], language=language())


@blp.route("/unread-count")
class UnreadCountViews(MethodView):
    @blp.response(200, UnreadCountSchema)
    def get(self):
        """Count the notifications you have not read"""
        return notifications.unread_count(runtime().uow(), actor=g.actor)


@blp.route("/<id:notification_id>/read")
class NotificationReadViews(MethodView):
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Mark one of your notifications read"""
        return notifications.mark_read(
            runtime().uow(), actor=g.actor, notification_id=notification_id, language=language()
        )


@blp.route("/read-all")
class NotificationReadAllViews(MethodView):
    @blp.response(200, MarkedSchema)
    def post(self):
        """Mark every notification of yours read"""
        return notifications.mark_all_read(runtime().uow(), actor=g.actor)
