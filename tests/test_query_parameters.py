"""Every list endpoint refuses a query parameter it does not know, naming it: a misspelt filter
(`?stauts=open`) would otherwise answer with everything, as if it had been obeyed."""

import pytest

from .helpers import report

#: Each list endpoint (OpenAPI path), who may call it, and the parameters it knows, as a valid query.
LISTS = {
    "/api/v1/appeals": ("station", "status=open&limit=10"),
    "/api/v1/appeals/{appeal_id}/history": ("station", ""),
    "/api/v1/appeals/{appeal_id}/state": ("auditor", "at=1"),
    "/api/v1/tasks": ("station", "appeal={appeal_id}"),
    "/api/v1/attachments": ("station", "appeal={appeal_id}"),
    "/api/v1/notifications": ("village", "unread=true"),
    "/api/v1/claims": ("leader", "mine=true"),
    "/api/v1/extensions": ("leader", "status=pending"),
    "/api/v1/stats": ("leader", "period=2026-11&category=livelihood"),
    "/api/v1/bulletins/late-units": ("leader", "since=2026-11-01&until=2026-11-30"),
    "/api/v1/processes": ("designer", ""),
    "/api/v1/processes/{process_id}/versions": ("designer", ""),
    "/api/v1/processes/{process_id}/diff": ("designer", "from=1&to=1"),
    "/api/v1/processes/{process_id}/instances": ("designer", ""),
    "/api/v1/users": ("admin", ""),
    "/api/v1/units": ("intake", ""),
}


def _url(path: str, query: str, appeal_id: int) -> str:
    url = path.format(appeal_id=appeal_id, process_id="appeal")
    query = query.format(appeal_id=appeal_id)
    return f"{url}?{query}" if query else url


@pytest.mark.parametrize("path", sorted(LISTS))
def test_an_unknown_query_parameter_is_422_naming_it(as_, path):
    role, query = LISTS[path]
    appeal_id = report(as_)["id"]
    client = as_(role)
    assert client.get(_url(path, query, appeal_id)).status_code == 200

    misspelt = client.get(_url(path, "&".join(filter(None, [query, "stauts=open"])), appeal_id))
    assert misspelt.status_code == 422, misspelt.json
    assert misspelt.json["error"]["code"] == "invalid_data"
    assert misspelt.json["error"]["fields"] == {"stauts": "没有这个查询参数"}


def test_every_list_in_the_openapi_document_is_checked_above(as_):
    """A list endpoint added later is caught here until it is added to LISTS (and so refuses unknowns)."""
    paths = as_("auditor").get("/api/v1/openapi.json").json["paths"]
    lists = {
        path
        for path, operations in paths.items()
        if operations.get("get", {})
        .get("responses", {})
        .get("200", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("type")
        == "array"
    }
    assert lists and lists <= set(LISTS), lists - set(LISTS)
