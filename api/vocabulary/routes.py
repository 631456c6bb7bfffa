"""The translation table: the name of every code the API returns, in zh-CN or en, for consoles."""

import marshmallow as ma
from flask.views import MethodView

from appeals.domain import vocabulary
from engine import LANGUAGES

from .. import validate
from ..framework import Blueprint
from ..language import language

blp = Blueprint("vocabulary", __name__, description="Names of codes for people")


class VocabularyQueryArgsSchema(ma.Schema):
    lang = ma.fields.String(
        validate=validate.OneOf(LANGUAGES), metadata={"description": "The language; default: the Accept-Language"}
    )


class VocabularySchema(ma.Schema):
    language = ma.fields.String(metadata={"enum": list(LANGUAGES)})
    names = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String()),
        metadata={
            "description": "{kind: {code: name}}; kinds: roles (also lanes), levels, channels, categories, steps "
            "(also stages), outcomes, satisfaction, dispositions, statuses, extension_statuses, "
            "task_outcomes, notification_kinds, event_types, likeness (why an appeal is a possible duplicate)"
        },
    )


@blp.route("")
class VocabularyViews(MethodView):
    @blp.arguments(VocabularyQueryArgsSchema, location="query")
    @blp.response(200, VocabularySchema)
    def get(self, args):
        """Read the name of every code (category, channel, step, outcome, role, ...) in one language"""
        chosen = args.get("lang") or language()
        return {"language": chosen, "names": vocabulary.names_in(chosen)}
