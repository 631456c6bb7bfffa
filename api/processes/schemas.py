"""Schemas of process deployment."""

import marshmallow as ma
from marshmallow import validate

from ..extensions import MAX_ID, QueryArgsSchema


class VersionSchema(ma.Schema):
    process_id = ma.fields.String()
    version = ma.fields.Integer()
    created_at = ma.fields.AwareDateTime()


class DeploymentSchema(ma.Schema):
    package_id = ma.fields.Integer()
    created = ma.fields.Boolean(metadata={"description": "False when identical content was deployed before"})
    versions = ma.fields.List(ma.fields.Nested(VersionSchema))
    warnings = ma.fields.List(ma.fields.Dict())


PACKAGE_UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                "description": "The package's .bpmn, .dmn and .json files, or one .zip holding them",
            }
        }
    },
}


class ProcessSchema(ma.Schema):
    id = ma.fields.String()
    latest_version = ma.fields.Integer()
    deployed_at = ma.fields.AwareDateTime()


class VersionDetailSchema(VersionSchema):
    files = ma.fields.List(ma.fields.String())


class DiffArgsSchema(QueryArgsSchema):
    from_ = ma.fields.Integer(required=True, data_key="from", validate=validate.Range(1, MAX_ID))
    to = ma.fields.Integer(required=True, validate=validate.Range(1, MAX_ID))


class ChangedSchema(ma.Schema):
    added = ma.fields.List(ma.fields.String())
    removed = ma.fields.List(ma.fields.String())
    changed = ma.fields.Raw(metadata={"description": "Steps: id -> changed attributes; files: names"})


class DiffSchema(ma.Schema):
    process_id = ma.fields.String()
    from_ = ma.fields.Integer(data_key="from")
    to = ma.fields.Integer()
    steps = ma.fields.Nested(ChangedSchema)
    forms = ma.fields.Nested(ChangedSchema)
    decisions = ma.fields.Dict(metadata={"description": "decision id -> rules_added, rules_removed, rules_changed"})


class CandidateSchema(ma.Schema):
    instance_id = ma.fields.Integer()
    appeal_number = ma.fields.String(allow_none=True)
    can_migrate = ma.fields.Boolean()
    problems = ma.fields.List(ma.fields.String())


class MigrationCheckSchema(ma.Schema):
    process_id = ma.fields.String()
    version = ma.fields.Integer()
    instances = ma.fields.List(ma.fields.Nested(CandidateSchema))


class MigrationRequestSchema(ma.Schema):
    instances = ma.fields.List(
        ma.fields.Integer(validate=validate.Range(1, MAX_ID)),
        validate=validate.Length(1, 10000),
        metadata={"description": "Which; all that can if absent"},
    )


class MigrationResultSchema(ma.Schema):
    instance_id = ma.fields.Integer()
    migrated = ma.fields.Boolean()
    problems = ma.fields.List(ma.fields.String())


class MigrationSchema(ma.Schema):
    process_id = ma.fields.String()
    version = ma.fields.Integer()
    results = ma.fields.List(ma.fields.Nested(MigrationResultSchema))
