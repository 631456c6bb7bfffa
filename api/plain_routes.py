"""The OpenAPI entries of the routes flask-smorest does not see: the probes (/health, /ready), Open311
GeoReport v2 (a plain blueprint with its own formats and errors), the document itself and its page.

Written by hand from the routes' own schemas, so that /api/v1/openapi.json covers every route the service
answers (tests/test_openapi_coverage.py walks the URL map to keep it so).
"""

import marshmallow as ma

from .open311.schemas import (
    CommaList,
    RequestsQuerySchema,
    ServiceRequestFormSchema,
    ServicesQuerySchema,
    W3DateTime,
)

NO_TOKEN = []  # these routes take no bearer token
FORMAT = {"name": "fmt", "in": "path", "description": "The document's format, as the file name's extension"}
SPEC_ERRORS = {"description": "The spec's error list, [{code, description}], in the format asked for"}


class ServiceRequestFormDocSchema(ServiceRequestFormSchema):
    """The POST form, with the api_key the route reads beside it (the intake user's API token)."""

    api_key = ma.fields.String(required=True, metadata={"description": "An intake user's API token"})


def _open311(summary: str, description: str, *, parameters=(), responses=None, **extra) -> dict:
    """One Open311 operation: in JSON or XML (`{fmt}`), no bearer token, the spec's errors."""
    both = {"application/json": {}, "text/xml": {}}
    return {
        "tags": ["open311"],
        "summary": summary,
        "description": description,
        "security": NO_TOKEN,
        "parameters": list(parameters),
        "responses": responses or {"200": {"description": summary, "content": both}, "4XX": SPEC_ERRORS},
        **extra,
    }


def document(api, app) -> None:
    """Add the plain routes' paths to the API's spec, each from its Flask rule (path and path parameters)."""
    api.register_field(CommaList, "string", None)
    api.register_field(W3DateTime, "string", "date-time")
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}

    def path(endpoint: str, method: str, operation: dict, described=()) -> None:
        """`described`: words for path parameters, whose schemas come from the rule's converters."""
        parameters = [FORMAT] if "fmt" in rules[endpoint].arguments else []
        parameters += [{"name": name, "in": "path", "description": words} for name, words in described]
        api.spec.path(rule=rules[endpoint], operations={method: operation}, parameters=parameters)

    api.spec.tag({"name": "probes", "description": "Liveness and readiness, for load balancers (no token)"})
    api.spec.tag({"name": "open311", "description": "Open311 GeoReport v2: online appeals by api_key (no bearer)"})
    api.spec.tag({"name": "docs", "description": "This documentation"})
    _probes(path)
    _open311_paths(path)
    page = {"200": {"description": "An HTML page", "content": {"text/html": {}}}}
    summary = "This documentation, as a page (Swagger UI, served by the service itself)"
    path("console.docs", "get", {"tags": ["docs"], "summary": summary, "security": NO_TOKEN, "responses": page})
    document_itself = {"200": {"description": "OpenAPI 3", "content": {"application/json": {}}}}
    summary = "This OpenAPI document"
    path(
        "api-docs.openapi_json",
        "get",
        {"tags": ["docs"], "summary": summary, "security": NO_TOKEN, "responses": document_itself},
    )


def _probes(path) -> None:
    status = {"type": "object", "properties": {"status": {"type": "string"}}}
    alive = {"200": {"description": '{"status": "ok"}', "content": {"application/json": {"schema": status}}}}
    summary = "The process is alive (no database access)"
    path("health.health", "get", {"tags": ["probes"], "summary": summary, "security": NO_TOKEN, "responses": alive})
    ready = {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ready", "unavailable"]},
            "checks": {
                "type": "object",
                "description": "database, migrations, processes, calendar: each {ok, detail?, missing?, warning?}",
                "additionalProperties": {"type": "object"},
            },
            "warnings": {"type": "array", "items": {"type": "string"}},
        },
    }
    content = {"application/json": {"schema": ready}}
    path(
        "health.ready",
        "get",
        {
            "tags": ["probes"],
            "summary": "Whether this process can serve requests: database, migrations and processes, each checked",
            "security": NO_TOKEN,
            "responses": {
                "200": {"description": "Ready (perhaps with warnings)", "content": content},
                "503": {"description": "Not ready: which check failed", "content": content},
            },
        },
    )


def _open311_paths(path) -> None:
    path(
        "open311.discovery", "get", _open311("Service discovery", "Where this endpoint is and which formats it speaks")
    )
    query = [{"in": "query", "schema": ServicesQuerySchema}]
    path(
        "open311.services", "get", _open311("The service list", "Appeal categories as service codes", parameters=query)
    )
    code = [("service_code", "A service code from the service list")]
    note = "The attributes a request of this service may carry"
    path("open311.service_definition", "get", _open311("A service definition", note), described=code)
    query = [{"in": "query", "schema": RequestsQuerySchema}]
    note = "Newest first, filtered as the spec says and paged with page and page_size"
    path("open311.requests", "get", _open311("Service requests", note, parameters=query))
    form = {"application/x-www-form-urlencoded": {"schema": ServiceRequestFormDocSchema}}
    filed = {"description": "The request filed", "content": {"application/json": {}, "text/xml": {}}}
    path(
        "open311.create_request",
        "post",
        _open311(
            "File a service request",
            "An online appeal, reported by the intake user whose API token is the api_key",
            requestBody={"required": True, "content": form},
            responses={"201": filed, "4XX": SPEC_ERRORS},
        ),
    )
    number = [("request_id", "The service_request_id (the appeal's number)")]
    path("open311.request_by_id", "get", _open311("One service request", "By its service_request_id"), number)
    photo = {
        "200": {"description": "A JPEG of at most 320 pixels a side, with no metadata", "content": {"image/jpeg": {}}},
        "404": {"description": "No such public request, or it has no photo"},
    }
    path(
        "open311.request_photo",
        "get",
        {
            "tags": ["open311"],
            "summary": "A request's media_url: its report's first photo, small",
            "security": NO_TOKEN,
            "responses": photo,
        },
        number,
    )
