"""Schemas of extension requests and their decisions."""

import marshmallow as ma
from marshmallow import validate


class ExtensionSchema(ma.Schema):
    id = ma.fields.Integer()
    appeal_id = ma.fields.Integer()
    task_id = ma.fields.String()
    step = ma.fields.String()
    unit = ma.fields.String()
    requested_by = ma.fields.String()
    reason = ma.fields.String()
    until = ma.fields.AwareDateTime()
    status = ma.fields.String(metadata={"enum": ["pending", "approved", "refused"]})
    decided_by = ma.fields.String(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    decided_at = ma.fields.AwareDateTime(allow_none=True)


class DecisionSchema(ma.Schema):
    approved = ma.fields.Boolean(required=True)
    note = ma.fields.String(validate=validate.Length(max=2000), allow_none=True)
