"""Every role's reach on every endpoint: those not allowed get 403, those allowed never do."""

import io
from pathlib import Path

import pytest

from appeals.domain.vocabulary import ROLES

from .helpers import report, task, to_handling

MODELS = Path(__file__).resolve().parent / "models"
EVERYONE = set(ROLES)
STAFF = {"intake", "station", "grid", "village", "town", "district", "callback", "leader"}


@pytest.fixture
def world(as_):
    """An appeal at handle_village with a pending extension request, and a trial instance."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handling = task(as_, "village", appeal["id"], "handle_village")
    extension = (
        as_("village")
        .post(f"/api/v1/tasks/{handling['id']}/extensions", json={"until": "2026-11-20", "reason": "parts"})
        .json
    )
    files = {"files": [(io.BytesIO((MODELS / "trial_message.bpmn").read_bytes()), "trial_message.bpmn")]}
    as_("designer").post("/api/v1/processes", data=files, content_type="multipart/form-data")
    trial = as_("designer").post("/api/v1/processes/trial_message/instances", json={"data": {}}).json
    return {"appeal": appeal["id"], "task": handling["id"], "extension": extension["id"], "instance": trial["id"]}


PERIOD = "since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"
# (method, path, body, the roles that may) - a 404 for a role that may not even see the thing also counts as refusal
MATRIX = [
    ("get", "/api/v1/appeals", None, EVERYONE),
    ("post", "/api/v1/appeals", {"title": "t", "description": "d", "channel": "walk_in"}, {"intake"}),
    ("post", "/api/v1/appeals/similar", {"phone": "13812345678"}, {"intake", "station"}),
    ("get", "/api/v1/appeals/{appeal}", None, STAFF - {"grid"} | {"auditor", "admin"}),
    ("get", "/api/v1/appeals/{appeal}/history", None, STAFF - {"grid"} | {"auditor", "admin"}),
    ("post", "/api/v1/appeals/{appeal}/claim", None, {"leader"}),
    ("post", "/api/v1/appeals/{appeal}/instructions", {"text": "do it"}, {"leader"}),
    ("post", "/api/v1/appeals/{appeal}/contact", {"reason": "must call them"}, STAFF - {"grid"} | {"admin"}),
    ("get", "/api/v1/appeals/{appeal}/replay", None, {"auditor", "admin"}),
    ("get", "/api/v1/appeals/{appeal}/state?at=1", None, {"auditor", "admin"}),
    ("get", "/api/v1/appeals/{appeal}/audit-bundle", None, {"auditor", "admin"}),
    ("get", "/api/v1/tasks", None, EVERYONE),
    ("post", "/api/v1/tasks/{task}/complete", {"data": {"outcome": "escalate", "note": "x"}}, {"village"}),
    ("post", "/api/v1/tasks/{task}/return", {"reason": "not ours"}, {"village"}),
    ("post", "/api/v1/extensions/{extension}/decision", {"approved": False}, {"leader"}),
    ("get", "/api/v1/notifications", None, EVERYONE),
    ("get", f"/api/v1/bulletins/late-units?{PERIOD}", None, {"leader", "auditor", "admin"}),
    ("get", f"/api/v1/stats?{PERIOD}", None, {"leader", "station", "auditor", "admin"}),
    ("get", "/api/v1/processes", None, {"designer", "auditor", "admin"}),
    ("get", "/api/v1/processes/appeal/versions", None, {"designer", "auditor", "admin"}),
    ("post", "/api/v1/processes/appeal/versions", {"base_version": 1, "files": {"x.json": "{}"}}, {"designer"}),
    ("get", "/api/v1/processes/appeal/diff?from=1&to=1", None, {"designer", "auditor", "admin"}),
    ("get", "/api/v1/processes/appeal/versions/1/migration", None, {"designer"}),
    ("post", "/api/v1/processes/trial_message/instances", {"data": {}}, {"designer"}),
    ("get", "/api/v1/instances/{instance}", None, {"designer"}),
]


@pytest.mark.parametrize("method, path, body, allowed", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_each_role_reaches_exactly_what_it_should(as_, world, method, path, body, allowed):
    url = path.format(**world)
    for role in sorted(ROLES):
        client = as_(role)
        response = client.get(url) if method == "get" else client.post(url, json=body)
        assert response.status_code < 500, (role, response.json)
        if role in allowed:
            assert response.status_code not in (401, 403), (role, url, response.json)
        else:
            assert response.status_code in (403, 404), (role, url, response.status_code, response.json)


def test_an_appeals_tasks_are_listed_to_its_readers_only(as_, world):
    """Its handler sees the task; a reader with nothing to do sees none; anyone else gets a 404, as for an
    appeal that does not exist (so appeal ids cannot be probed)."""
    url = f"/api/v1/tasks?appeal={world['appeal']}"
    assert [t["id"] for t in as_("village").get(url).json] == [world["task"]]
    assert as_("leader").get(url).json == []
    assert as_("grid").get(url).status_code == 404
    assert as_("village").get("/api/v1/tasks?appeal=999999").status_code == 404
