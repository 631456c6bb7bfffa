"""Schemas of a browser session: signing in, and what the page may know of it."""

import marshmallow as ma

from .. import validate


class SignInSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=validate.Length(1, 120))
    password = ma.fields.String(required=True, validate=validate.Length(1, 200))


class SessionUserSchema(ma.Schema):
    name = ma.fields.String()
    role = ma.fields.String()
    unit = ma.fields.String(allow_none=True)


class SessionSchema(ma.Schema):
    user = ma.fields.Nested(SessionUserSchema)
    csrf_token = ma.fields.String(metadata={"description": "Send it as the X-CSRF-Token header on every write"})
    expires_at = ma.fields.AwareDateTime()


class PasswordLinkCheckSchema(ma.Schema):
    token = ma.fields.String(required=True, validate=validate.Length(1, 200))


class PasswordLinkUseSchema(PasswordLinkCheckSchema):
    password = ma.fields.String(required=True, metadata={"description": "8 to 200 characters"})


class PasswordLinkStateSchema(ma.Schema):
    user = ma.fields.String(metadata={"description": "Whose password the link sets"})
    expires_at = ma.fields.AwareDateTime()
