"""The unit tree, for whoever picks a unit (an administrator adding a user)."""

import marshmallow as ma
from flask.views import MethodView

from appeals.domain import units

from ..framework import Blueprint, runtime

blp = Blueprint("units", __name__, description="The unit tree")


class UnitSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String(metadata={"description": "district, town, village or grid"})
    parent = ma.fields.String(allow_none=True, metadata={"description": "The parent unit's code; none for a district"})


@blp.route("")
class UnitViews(MethodView):
    @blp.no_query_args()
    @blp.response(200, UnitSchema(many=True))
    def get(self):
        """List every unit in tree order, each after its parent"""
        return units.list_units(runtime().uow())
