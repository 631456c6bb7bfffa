"""Schemas of process deployment."""

import marshmallow as ma

from .. import validate
from ..appeals.schemas import ProcessRefSchema
from ..framework import MAX_ID, QueryArgsSchema


class VersionSchema(ma.Schema):
    process_id = ma.fields.String()
    version = ma.fields.Integer()
    created_at = ma.fields.AwareDateTime()


class ProblemSchema(ma.Schema):
    file = ma.fields.String(metadata={"description": "The file at fault; empty for the package as a whole"})
    element = ma.fields.String(metadata={"description": "The id of the element at fault, when there is one"})
    line = ma.fields.Integer(metadata={"description": "Its line in the file, when known"})
    message = ma.fields.String(metadata={"description": "What is wrong and what to do, in the reader's language"})


class DeploymentSchema(ma.Schema):
    package_id = ma.fields.Integer()
    created = ma.fields.Boolean(
        metadata={"description": "False when the same content (sample data aside) was deployed before"}
    )
    versions = ma.fields.List(ma.fields.Nested(VersionSchema))
    warnings = ma.fields.List(ma.fields.Nested(ProblemSchema))


class PackageCheckSchema(ma.Schema):
    errors = ma.fields.List(ma.fields.Nested(ProblemSchema), metadata={"description": "Empty: it would deploy"})
    warnings = ma.fields.List(ma.fields.Nested(ProblemSchema))
    deployed_package_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The package already deployed with this content, if any"}
    )


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


class EditSchema(ma.Schema):
    """A new version made in the console's editors: the base version's package with some files replaced."""

    base_version = ma.fields.Integer(
        required=True,
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "The version edited; it must still be the newest (else 409)"},
    )
    files = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Length(1, 255)),
        values=ma.fields.String(),
        required=True,
        validate=validate.Length(1, 100),
        metadata={"description": "File name -> its new text; each must be a file of the base version's package"},
    )


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


class RuleCellsSchema(ma.Schema):
    inputs = ma.fields.List(ma.fields.String())
    outputs = ma.fields.List(ma.fields.String())


class RuleChangeSchema(ma.Schema):
    old = ma.fields.Nested(RuleCellsSchema, allow_none=True, metadata={"description": "None for an added rule"})
    new = ma.fields.Nested(RuleCellsSchema, allow_none=True, metadata={"description": "None for a removed rule"})


class DecisionChangeSchema(ma.Schema):
    rules_added = ma.fields.List(ma.fields.String())
    rules_removed = ma.fields.List(ma.fields.String())
    rules_changed = ma.fields.List(ma.fields.String())
    inputs = ma.fields.List(ma.fields.String(), metadata={"description": "The input columns' labels"})
    outputs = ma.fields.List(ma.fields.String(), metadata={"description": "The output columns' labels"})
    rules = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Nested(RuleChangeSchema),
        metadata={"description": "rule id -> its cells before and after, for every rule added, removed or changed"},
    )


class DiffSchema(ma.Schema):
    process_id = ma.fields.String()
    from_ = ma.fields.Integer(data_key="from")
    to = ma.fields.Integer()
    steps = ma.fields.Nested(ChangedSchema)
    forms = ma.fields.Nested(ChangedSchema)
    decisions = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Nested(DecisionChangeSchema), metadata={"description": "by id"}
    )


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


class TrialSchema(ma.Schema):
    id = ma.fields.Integer()
    process = ma.fields.Nested(ProcessRefSchema)
    status = ma.fields.String(metadata={"enum": ["running", "completed", "error"]})
    created_at = ma.fields.AwareDateTime()
