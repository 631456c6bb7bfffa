"""Schemas of extension requests and their decisions."""

import marshmallow as ma

from .. import validate
from ..framework import MAX_ID, QueryArgsSchema

STATUSES = ("pending", "approved", "refused")


class ExtensionSchema(ma.Schema):
    id = ma.fields.Integer()
    appeal_id = ma.fields.Integer()
    task_id = ma.fields.String()
    step = ma.fields.String()
    unit = ma.fields.String()
    requested_by = ma.fields.String()
    reason = ma.fields.String()
    until = ma.fields.AwareDateTime()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    decided_by = ma.fields.String(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    decided_at = ma.fields.AwareDateTime(allow_none=True)


class DecisionSchema(ma.Schema):
    approved = ma.fields.Boolean(required=True)
    note = ma.fields.String(validate=validate.Length(max=2000), allow_none=True)


class ExtensionListedSchema(ExtensionSchema):
    number = ma.fields.String(metadata={"description": "The appeal's number"})
    title = ma.fields.String(metadata={"description": "The appeal's title"})
    task_due_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "The task's limit now; null once the task is closed"}
    )


class ExtensionQueryArgsSchema(QueryArgsSchema):
    status = ma.fields.String(validate=validate.OneOf(STATUSES), metadata={"description": "Only requests so decided"})
    appeal = ma.fields.Integer(
        validate=validate.Range(1, MAX_ID), metadata={"description": "Only this appeal's requests"}
    )
