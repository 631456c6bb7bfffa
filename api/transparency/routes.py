"""The transparency log: its signed tree head, published on demand, and consistency between two heads."""

from flask import g
from flask.views import MethodView

from appeals.services import tree_heads

from ..framework import Blueprint, runtime
from .schemas import ConsistencyQueryArgsSchema, ConsistencySchema, TreeHeadSchema

blp = Blueprint("transparency", __name__, description="The transparency log over every appeal's history")


@blp.route("/head")
class TreeHeadViews(MethodView):
    @blp.no_query_args()
    @blp.response(200, TreeHeadSchema)
    def get(self):
        """Publish and read the log's signed tree head (every event written so far is in it)"""
        return tree_heads.current_head(runtime(), actor=g.actor)


@blp.route("/consistency")
class ConsistencyViews(MethodView):
    @blp.arguments(ConsistencyQueryArgsSchema, location="query")
    @blp.response(200, ConsistencySchema)
    def get(self, args):
        """Prove that the tree of one signed head is a prefix of the tree of a later one"""
        return tree_heads.consistency(runtime(), actor=g.actor, old=args["from_"], new=args["to"])
