"""Users, for administrators: the list, a new user with a link to set their password, revoking one, and a
one-time link with which a person sets a forgotten password."""

from flask import g
from flask.views import MethodView

from appeals.services import password_links, users

from ..framework import Blueprint, runtime
from .schemas import InvitedSchema, NewUserSchema, PasswordLinkSchema, UserSchema

blp = Blueprint("users", __name__, description="Users, for administrators")


@blp.route("")
class UserViews(MethodView):
    @blp.no_query_args()
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """List every user by name (administrators)"""
        return users.list_users(runtime().uow(), actor=g.actor)

    @blp.arguments(NewUserSchema)
    @blp.response(201, InvitedSchema)
    def post(self, body):
        """Add a user, with a one-time link to set their password (administrators)"""
        return password_links.invite(runtime().uow(), actor=g.actor, **body)


@blp.route("/<string:name>/revoke")
class UserRevocationViews(MethodView):
    @blp.response(200, UserSchema)
    def post(self, name):
        """Revoke a user at once: their token, browser sessions and unused links (administrators)"""
        return users.revoke(runtime().uow(), actor=g.actor, name=name)


@blp.route("/<string:name>/password-link")
class UserPasswordLinkViews(MethodView):
    @blp.response(201, PasswordLinkSchema)
    def post(self, name):
        """Create a one-time set-password link for a user (administrators)"""
        return password_links.create(runtime().uow(), actor=g.actor, name=name)
