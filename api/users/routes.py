"""Users, for administrators: a one-time link with which a person sets their own password."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from appeals.services import password_links

from ..framework import Blueprint, runtime

blp = Blueprint("users", __name__, description="Users, for administrators")


class PasswordLinkSchema(ma.Schema):
    user = ma.fields.String()
    token = ma.fields.String(metadata={"description": "Shown once, kept only as its hash"})
    path = ma.fields.String(metadata={"description": "The console page to open, /set-password/{token}"})
    expires_at = ma.fields.AwareDateTime(metadata={"description": f"{password_links.LINK_HOURS} hours from now"})


@blp.route("/<string:name>/password-link")
class UserPasswordLinkViews(MethodView):
    @blp.response(201, PasswordLinkSchema)
    def post(self, name):
        """Create a one-time set-password link for a user (administrators)"""
        return password_links.create(runtime().uow(), actor=g.actor, name=name)
