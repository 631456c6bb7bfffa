"""Claims: leaders' claims of key appeals with their completion limits ("my claims")."""

import marshmallow as ma
from flask import g
from flask.views import MethodView

from appeals.services import claims

from ..framework import Blueprint, QueryArgsSchema, runtime

blp = Blueprint("claims", __name__, description="Leaders' claims and their limits")


class ClaimQueryArgsSchema(QueryArgsSchema):
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "Only your own claims"})
    released = ma.fields.Boolean(load_default=False, metadata={"description": "Include released claims"})


class ClaimSchema(ma.Schema):
    id = ma.fields.Integer()
    appeal_id = ma.fields.Integer()
    number = ma.fields.String()
    title = ma.fields.String()
    stage = ma.fields.String(allow_none=True)
    leader = ma.fields.String()
    claimed_at = ma.fields.AwareDateTime()
    due_at = ma.fields.AwareDateTime(metadata={"description": "Complete (the appeal closed) by then"})
    remind_at = ma.fields.AwareDateTime()
    reminded_at = ma.fields.AwareDateTime(allow_none=True)
    released_at = ma.fields.AwareDateTime(allow_none=True)
    status = ma.fields.String(metadata={"enum": ["active", "completed", "released"]})
    late = ma.fields.Boolean(metadata={"description": "Completed after its limit, or active past it"})


@blp.route("")
class ClaimViews(MethodView):
    @blp.arguments(ClaimQueryArgsSchema, location="query")
    @blp.response(200, ClaimSchema(many=True))
    def get(self, args):
        """List claims on appeals you may read (mine=true: your own), soonest limit first"""
        return claims.list_claims(runtime().uow(), actor=g.actor, **args)
