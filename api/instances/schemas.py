"""Schemas of process instances, as designers see their trial runs."""

import marshmallow as ma

from ..appeals.schemas import AppealTaskSchema, ProcessRefSchema
from ..limits import ProcessData


class TimerSchema(ma.Schema):
    step = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    due_at = ma.fields.AwareDateTime()
    provisional = ma.fields.Boolean(metadata={"description": "Reckoned on a provisional calendar year"})


class TimerFailureSchema(ma.Schema):
    message = ma.fields.String()
    step = ma.fields.String(allow_none=True)
    failed_at = ma.fields.AwareDateTime()
    retry_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "When the sweep tries again"})


class InstanceSchema(ma.Schema):
    id = ma.fields.Integer()
    process = ma.fields.Nested(ProcessRefSchema)
    status = ma.fields.String(metadata={"enum": ["running", "completed", "error"]})
    error = ma.fields.String(allow_none=True)
    data = ma.fields.Dict()
    tasks = ma.fields.List(ma.fields.Nested(AppealTaskSchema))
    timers = ma.fields.List(
        ma.fields.Nested(TimerSchema), metadata={"description": "Waiting timers and when they are due"}
    )
    messages = ma.fields.List(ma.fields.String(), metadata={"description": "Messages the instance waits for"})
    timer_failure = ma.fields.Nested(
        TimerFailureSchema,
        allow_none=True,
        metadata={"description": "Why its timers last failed to fire and when they are tried again (GET only)"},
    )


class StartSchema(ma.Schema):
    data = ProcessData(load_default=dict)


class MessageSchema(ma.Schema):
    payload = ProcessData(load_default=dict)
