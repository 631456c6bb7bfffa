"""Reports to download: the monthly study (一月一研判) as the HTML page the CLI writes."""

import marshmallow as ma
from flask import Response, g
from flask.views import MethodView

from appeals.reports import monthly_report
from engine import LANGUAGES

from .. import validate
from ..framework import Blueprint, QueryArgsSchema, runtime
from ..language import language

blp = Blueprint("reports", __name__, description="Reports to download")


class MonthlyReportArgsSchema(QueryArgsSchema):
    unit = ma.fields.String(
        validate=validate.Length(1, 64),
        metadata={"description": "Only this unit and the units below it; default: your unit (all for auditors)"},
    )
    lang = ma.fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "The page's language; default: the Accept-Language (a link cannot set it)"},
    )


HTML_PAGE = {
    "description": "The study as a self-contained HTML page, sent as a file to save",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


@blp.route("/monthly/<string:month>")
class MonthlyReportViews(MethodView):
    @blp.arguments(MonthlyReportArgsSchema, location="query")
    @blp.doc(responses={"200": HTML_PAGE})
    def get(self, args, month):
        """Download the monthly study of a month (YYYY-MM), as leaders and auditors read it"""
        page = monthly_report.download(
            runtime().uow(), actor=g.actor, month=month, unit=args.get("unit"), language=args.get("lang") or language()
        )
        disposition = f'attachment; filename="monthly-report-{month}.html"'  # month checked: YYYY-MM
        return Response(page, mimetype="text/html", headers={"Content-Disposition": disposition})
