"""The OpenAPI document covers every route the service answers: the API, the probes, Open311 and the
documentation itself, each method of each path."""

import re

#: Routes that are not part of the API, each with the reason.
NOT_API = {
    "static": "Flask's default static folder; the app keeps no files there (the console's are /assets)",
    "console.asset": "the console's hashed JS and CSS files",
    "console.page": "the console's HTML page for its own browser routes (/tasks, /appeals/7)",
    "open311.unknown": "Open311's catch-all, which only answers unknown paths with the spec's 404/405 "
    "(documented as the 4XX of every Open311 path)",
}
IMPLICIT = {"HEAD", "OPTIONS"}


def openapi_path(rule: str) -> str:
    """/open311/v2/requests/<request_id>.<any(json, xml):fmt> -> /open311/v2/requests/{request_id}.{fmt}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_route_and_method_of_the_service_is_in_the_openapi_document(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NOT_API
        for method in sorted(rule.methods - IMPLICIT)
        if method.lower() not in paths.get(openapi_path(rule.rule), {})
    ]
    assert missing == []


def test_the_probes_open311_and_the_docs_page_are_documented_with_their_parameters(app):
    document = app.test_client().get("/api/v1/openapi.json").json
    paths = document["paths"]
    assert {"/health", "/ready", "/api/v1/docs", "/api/v1/openapi.json"} <= set(paths)
    assert set(paths["/ready"]["get"]["responses"]) == {"200", "503"}
    by_id = paths["/open311/v2/requests/{request_id}.{fmt}"]
    assert {p["name"]: p["schema"].get("enum") for p in by_id["parameters"]} == {
        "fmt": ["json", "xml"],
        "request_id": None,
    }
    listing = paths["/open311/v2/requests.{fmt}"]
    assert {"service_code", "status", "start_date", "page_size"} <= {p["name"] for p in listing["get"]["parameters"]}
    form = listing["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["$ref"]
    form_fields = document["components"]["schemas"][form.rsplit("/", 1)[-1]]
    assert {"api_key", "service_code", "description"} <= set(form_fields["required"])


def test_every_path_names_only_routes_that_exist(app):
    """The reverse: no documented path that the service does not answer."""
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    served = {openapi_path(rule.rule) for rule in app.url_map.iter_rules()}
    assert set(paths) - served == set()
