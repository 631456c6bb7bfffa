"""Schemas of process deployment."""

import marshmallow as ma


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
