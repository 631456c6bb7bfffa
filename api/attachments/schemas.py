"""Schemas of attachments: the upload's form, the list's query, and what a reader sees of one."""

import marshmallow as ma
from flask_smorest.fields import Upload

from .. import validate
from ..framework import MAX_ID, QueryArgsSchema


class UploadSchema(ma.Schema):
    """The upload's multipart body."""

    appeal = ma.fields.Integer(
        required=True, validate=validate.Range(1, MAX_ID), metadata={"description": "The appeal's id"}
    )
    task_id = ma.fields.String(
        validate=validate.Length(1, 36),
        metadata={"description": "The open task the file is the proof of; none: the report itself (intake)"},
    )

    file = Upload(
        required=True,
        metadata={"description": "JPEG, PNG, WebP or GIF image, or PDF; its bytes must match its name's extension"},
    )


class AttachmentQueryArgsSchema(QueryArgsSchema):
    appeal = ma.fields.Integer(
        required=True, validate=validate.Range(1, MAX_ID), metadata={"description": "The appeal's id"}
    )


class AttachmentSchema(ma.Schema):
    id = ma.fields.Integer()
    appeal_id = ma.fields.Integer()
    task_id = ma.fields.String(allow_none=True, metadata={"description": "None: attached to the report"})
    step = ma.fields.String(metadata={"description": "`report`, or the step of the task it is the proof of"})
    file_name = ma.fields.String()
    media_type = ma.fields.String(metadata={"description": "As sniffed from the bytes"})
    size = ma.fields.Integer(metadata={"description": "Bytes"})
    sha256 = ma.fields.String(metadata={"description": "Of the bytes; the history's `attachment_added` holds it too"})
    has_thumbnail = ma.fields.Boolean(metadata={"description": "Images only: GET .../thumbnail"})
    uploaded_by = ma.fields.String()
    uploaded_at = ma.fields.AwareDateTime()


def binary(description: str, types: tuple[str, ...]) -> dict:
    """The OpenAPI response of a view that sends a file's bytes."""
    return {
        "description": description,
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in types},
    }
