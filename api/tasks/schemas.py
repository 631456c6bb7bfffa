"""Schemas of tasks: what a caseworker sees and submits."""

import marshmallow as ma

from .. import validate
from ..appeals.schemas import AppealSchema, AppealTaskSchema
from ..framework import MAX_ID, QueryArgsSchema
from ..instances.schemas import InstanceSchema
from ..limits import ProcessData
from ..periods import Day


class FormSchema(ma.Schema):
    schema = ma.fields.Dict(metadata={"description": "JSON Schema of the data the task takes"})
    ui = ma.fields.Dict(metadata={"description": "UI schema (react-jsonschema-form conventions)"})


class ListedAppealSchema(ma.Schema):
    number = ma.fields.String()
    title = ma.fields.String()
    category = ma.fields.String(allow_none=True)
    channel = ma.fields.String()


class TaskSchema(AppealTaskSchema):
    form = ma.fields.Nested(FormSchema)
    appeal = ma.fields.Nested(
        ListedAppealSchema, metadata={"description": "The task's appeal, what a worklist shows and filters by"}
    )


class TaskQueryArgsSchema(QueryArgsSchema):
    appeal = ma.fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": "Only this appeal's tasks"})
    instance = ma.fields.Integer(
        validate=validate.Range(1, MAX_ID), metadata={"description": "Only this (trial) instance's tasks"}
    )


class CompletionSchema(ma.Schema):
    data = ProcessData(required=True, metadata={"description": "The form's data"})


COMPLETION_RESPONSE = {
    "description": "The appeal after the step; for a trial instance's task, the instance",
    "content": {
        "application/json": {
            "schema": {"oneOf": [{"$ref": "#/components/schemas/Appeal"}, {"$ref": "#/components/schemas/Instance"}]}
        }
    },
}
APPEAL, INSTANCE = AppealSchema(), InstanceSchema()


class ExtensionRequestSchema(ma.Schema):
    until = Day(required=True, metadata={"description": "The new limit: the end of this day"})
    reason = ma.fields.String(required=True, validate=validate.Length(1, 2000))


class ReturnSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=validate.Length(1, 2000))
