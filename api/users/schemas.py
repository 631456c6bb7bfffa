"""Schemas of users, as administrators see and add them, and of a set-password link."""

import marshmallow as ma

from appeals.domain.vocabulary import ROLES
from appeals.services import password_links

from .. import validate


class UserSchema(ma.Schema):
    name = ma.fields.String()
    role = ma.fields.String()
    unit = ma.fields.String(allow_none=True)
    unit_name = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    revoked_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "When revoked; none if in use"})
    has_password = ma.fields.Boolean(metadata={"description": "Whether the person may sign in to the console"})


class NewUserSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=validate.Length(1, 120))
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))
    unit = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(1, 64),
        metadata={"description": "The user's unit: required for every role but auditor, designer and admin"},
    )


class PasswordLinkSchema(ma.Schema):
    user = ma.fields.String()
    token = ma.fields.String(metadata={"description": "Shown once, kept only as its hash"})
    path = ma.fields.String(metadata={"description": "The console page to open, /set-password/{token}"})
    expires_at = ma.fields.AwareDateTime(metadata={"description": f"{password_links.LINK_HOURS} hours from now"})


class InvitedSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema)
    link = ma.fields.Nested(PasswordLinkSchema, metadata={"description": "The new user's first password"})
