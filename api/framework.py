"""flask-smorest, adapted once for the whole API: the contract's error shape, ids in paths, strict query
strings, and blueprints whose every view knows its caller (auth.py)."""

import flask_smorest
import marshmallow as ma
from flask import current_app, request
from webargs.flaskparser import FlaskParser, abort
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from appeals.domain.messages import MESSAGES
from engine import Text

from .auth import identify
from .language import worded
from .limits import check_request


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(
        required=True,
        metadata={
            "description": "A stable code: malformed, unauthorized, forbidden, not_found, conflict, invalid_data, ..."
        },
    )
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        metadata={"description": "The fields at fault and what is wrong with each"},
    )
    details = ma.fields.List(
        ma.fields.Dict(), metadata={"description": "Every problem, where there are several (a refused package)"}
    )


class ErrorSchema(ma.Schema):
    """The contract's error document: `{"error": {"code", "message", "fields"?}}`."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


HTTP_CODES = {
    429: "too_many_attempts",
    400: "malformed",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_data",
}


class Api(flask_smorest.Api):
    """The API with the contract's error document for every HTTP error, including flask-smorest's own."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        code = HTTP_CODES.get(error.code, "internal" if error.code >= 500 else "error")
        body = {"code": code, "message": worded(MESSAGES.text(_MESSAGES.get(code, "http_error")))}
        if "messages" in data:
            body["fields"] = flatten_field_errors(data["messages"])
        return {"error": body}, error.code, data.get("headers", {})


#: The message of each HTTP error's code (a key in appeals.domain.messages); any other says it was not carried out.
_MESSAGES = {
    "malformed": "malformed",
    "not_found": "not_found",
    "method_not_allowed": "method_not_allowed",
    "too_large": "too_large",
    "unsupported_media_type": "unsupported_media_type",
    "invalid_data": "schema_mismatch",
    "internal": "internal",
}


def flatten_field_errors(messages: dict) -> dict:
    """webargs' {"json": {"reporter": {"phone": ["..."]}}} as {"reporter.phone": "..."}, marshmallow's
    common messages worded for the reader (_MARSHMALLOW_MESSAGES)."""
    flat = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat[prefix or "body"] = (
                "; ".join(map(_worded_problem, value))
                if isinstance(value, list) and all(isinstance(v, str | Text) for v in value)
                else str(value)
            )

    for location in messages.values():
        walk("", location)
    return flat


#: What marshmallow says of a query parameter no schema knows (QueryArgsSchema).
UNKNOWN_QUERY_PARAMETER = "unknown query parameter"
#: marshmallow's own messages for the common faults of a field, as keys in appeals.domain.messages. A
#: validator's refusal, which carries its bounds, is a Text already (api/validate.py).
_MARSHMALLOW_MESSAGES = {
    ma.fields.Field.default_error_messages["required"]: "field_required",
    ma.fields.Field.default_error_messages["null"]: "field_not_null",
    ma.Schema._default_error_messages["unknown"]: "field_unknown",
    ma.Schema._default_error_messages["type"]: "field_not_an_object",
    ma.fields.Nested.default_error_messages["type"]: "field_not_an_object",
    ma.fields.Dict.default_error_messages["invalid"]: "field_not_an_object",
    ma.fields.Integer.default_error_messages["invalid"]: "field_not_an_integer",
    ma.fields.Number.default_error_messages["invalid"]: "field_not_a_number",
    ma.fields.String.default_error_messages["invalid"]: "field_not_a_string",
    ma.fields.Boolean.default_error_messages["invalid"]: "field_not_a_boolean",
    ma.fields.Date.default_error_messages["invalid"]: "field_not_a_valid_date",
    ma.fields.DateTime.default_error_messages["invalid"].format(obj_type="datetime"): "field_not_a_datetime",
    ma.fields.List.default_error_messages["invalid"]: "field_not_a_list",
    UNKNOWN_QUERY_PARAMETER: "field_unknown_query_parameter",
}


def _worded_problem(problem: str | Text) -> str:
    """A field's problem in the reader's language: a Text our schemas gave, or one of marshmallow's common
    messages."""
    if isinstance(problem, Text):
        return worded(problem)
    key = _MARSHMALLOW_MESSAGES.get(problem)
    return worded(MESSAGES.text(key)) if key else problem


#: The largest id a database integer column holds: bigger path or query ids are simply unknown (404/422).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:...>` in routes: a positive id that fits the database's integer columns."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def runtime():
    """The service layer's runtime, built by the app factory."""
    return current_app.extensions["appealflow"]


class QueryArgsSchema(ma.Schema):
    """The base of every query-string schema: a parameter it does not know is a 422 naming it, never
    silently ignored (a misspelt filter would otherwise answer with everything)."""

    error_messages = {"unknown": UNKNOWN_QUERY_PARAMETER}

    class Meta:
        unknown = ma.RAISE


class _Parser(FlaskParser):
    """webargs' parser, leaving unknown query parameters to the schema (webargs itself excludes them)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        """A body that is not JSON: webargs' own refusal, said in the reader's language."""
        abort(400, exc=error, messages={"json": [MESSAGES.text("field_not_json")]})

    def load_files(self, req, schema):
        """A multipart body's fields with its files: OpenAPI documents them as one body, so one schema
        (location "files") takes them all."""
        return self._makeproxy(MultiDict([*req.form.items(multi=True), *req.files.items(multi=True)]), schema)


class Blueprint(flask_smorest.Blueprint):
    """A blueprint whose every view needs a known caller (auth.py), who is then `g.actor`, unless it is
    `public` (signing in); either way its requests are checked (limits.py) and parsed by the API's parser."""

    ARGUMENTS_PARSER = _Parser()

    def no_query_args(self):
        """For a view that takes no query parameters: any sent is a 422 naming it."""
        return self.arguments(QueryArgsSchema, location="query", as_kwargs=True)

    def __init__(self, *args, body_limit: str | None = None, public: bool = False, **kwargs):
        """`body_limit` names the config key of the largest body its views take, when that is not
        MAX_CONTENT_LENGTH (uploads); set before anything reads the body."""
        super().__init__(*args, **kwargs)
        if body_limit is not None:
            self.before_request(lambda: _allow_body(current_app.config[body_limit]))
        if not public:
            self.before_request(lambda: identify(runtime().uow()))
        self.before_request(check_request)


#: What a multipart body holds beyond its file: the parts' headers and boundaries, and small form fields.
FORM_FRAMING = 64 * 1024


def _allow_body(limit: int) -> None:
    request.max_content_length = limit + FORM_FRAMING
