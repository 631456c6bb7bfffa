"""Extension requests listed for those who decide them and those who asked: a leader's pending queue in
their unit subtree, a handler's requests on an appeal they read, and the task's limit as it stands."""

import pytest

from appeals.services.users import add_user

from .helpers import RoleClient, report, to_handling


@pytest.fixture
def user(as_, runtime):
    """`user("name", "role", "UNIT")`: a client speaking as a further user."""

    def make(name, role, unit):
        _, token = add_user(runtime.uow(), name=name, role=role, unit=unit)
        return RoleClient(as_("leader").client, token)

    return make


def _ask(client, appeal_id, until, reason="Parts arrive next week"):
    """The client's one open task on the appeal, and its request to extend that task to the end of `until`."""
    (handling,) = client.get(f"/api/v1/tasks?appeal={appeal_id}").json
    asked = client.post(f"/api/v1/tasks/{handling['id']}/extensions", json={"until": until, "reason": reason})
    assert asked.status_code == 201, asked.json
    return asked.json, handling


def test_a_leader_lists_the_pending_requests_below_them_and_approval_takes_one_off(as_, user):
    village_appeal, town_appeal = report(as_), report(as_, title="Pothole on Fenghuang Road")
    to_handling(as_, village_appeal["id"], unit="V01")
    to_handling(as_, town_appeal["id"], unit="T02")
    first, handling = _ask(as_("village"), village_appeal["id"], "2026-11-10")
    second, town_task = _ask(user("town-t02", "town", "T02"), town_appeal["id"], "2026-11-20", "Needs a contractor")

    pending = as_("leader").get("/api/v1/extensions?status=pending")
    assert pending.status_code == 200, pending.json
    assert [(e["id"], e["number"], e["task_due_at"], e["status"]) for e in pending.json] == [
        (first["id"], village_appeal["number"], handling["due_at"], "pending"),
        (second["id"], town_appeal["number"], town_task["due_at"], "pending"),
    ]  # oldest first, with the limit that approval would move
    assert pending.json[0]["title"] == village_appeal["title"] and pending.json[0]["reason"] == "Parts arrive next week"

    # as with deciding: a leader reads the requests on appeals their subtree received or now holds
    town_leader = user("leader-t02", "leader", "T02")
    assert [e["id"] for e in town_leader.get("/api/v1/extensions?status=pending").json] == [second["id"]]
    assert user("leader-v02", "leader", "V02").get("/api/v1/extensions").json == []  # neither below them

    decided = as_("leader").post(f"/api/v1/extensions/{first['id']}/decision", json={"approved": True})
    assert decided.status_code == 200, decided.json
    assert [e["id"] for e in as_("leader").get("/api/v1/extensions?status=pending").json] == [second["id"]]
    (approved,) = as_("leader").get("/api/v1/extensions?status=approved").json
    assert approved["id"] == first["id"] and approved["decided_by"] == "leader"
    assert approved["task_due_at"] == approved["until"] == "2026-11-10T15:59:59+00:00"  # the limit moved


def test_a_handler_sees_the_requests_on_an_appeal_they_read_and_no_other(as_):
    appeal, elsewhere = report(as_), report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    to_handling(as_, elsewhere["id"], unit="T02")
    asked, _ = _ask(as_("village"), appeal["id"], "2026-11-10")

    mine = as_("village").get(f"/api/v1/extensions?appeal={appeal['id']}")
    assert [(e["id"], e["status"], e["requested_by"]) for e in mine.json] == [(asked["id"], "pending", "village")]
    assert as_("village").get(f"/api/v1/extensions?appeal={elsewhere['id']}").json == []
    assert as_("designer").get("/api/v1/extensions").json == []  # reads no appeal, sees no request


def test_a_bad_status_or_appeal_is_a_422_naming_it(as_):
    for query, field in (("status=waiting", "status"), ("appeal=0", "appeal"), ("appeal=x", "appeal")):
        refused = as_("leader").get(f"/api/v1/extensions?{query}")
        assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == [field], refused.json
