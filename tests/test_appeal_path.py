"""The path an appeal's processes took, for drawing on their diagrams: GET /appeals/{id}/path[?at=SEQ]
and the diagrams of the versions it ran on, on the real processes through the HTTP API."""

import pytest

from .helpers import (
    REPORT,
    complete,
    deploy_package,
    escalated_and_reopened,
    report,
    task,
    to_handling,
    with_review_step,
)


@pytest.fixture
def reopened(as_):
    return escalated_and_reopened(as_)


def passed(process, kind):
    return {item["id"]: item["count"] for item in process[kind]}


def by_process(path):
    return {process["process_id"]: process for process in path["processes"]}


def test_a_reopened_appeal_passed_the_village_and_town_once_and_is_at_the_district_again(as_, reopened):
    appeal_id, _ = reopened
    path = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/path").json

    assert [p["process_id"] for p in path["processes"]] == ["appeal", "escalation"]
    appeal, escalation = by_process(path)["appeal"], by_process(path)["escalation"]
    assert escalation["runs"] == 2 and appeal["runs"] == 1
    elements = passed(escalation, "elements")
    assert (elements["handle_village"], elements["handle_town"], elements["handle_district"]) == (1, 1, 1)
    assert elements["next_level"] == 2 and elements["enter"] == 2
    flows = passed(escalation, "flows")
    assert (flows["flow_to_village"], flows["flow_to_town"], flows["flow_to_district"]) == (1, 1, 2)
    assert flows["flow_escalate"] == 2 and flows["flow_settled"] == 1
    assert [(t["element"], t["unit"], t["lane"]) for t in escalation["tasks"]] == [
        ("handle_district", "D01", "district")
    ]
    assert escalation["tasks"][0]["due_at"] is not None
    assert {t["element"] for t in escalation["timers"]} == {"remind_district", "overdue_district"}
    assert all(t["due_at"] for t in escalation["timers"])

    appeal_elements, appeal_flows = passed(appeal, "elements"), passed(appeal, "flows")
    assert appeal_elements["handle"] == 1 and appeal["active"] == ["handle"]
    assert appeal_elements["evaluate"] == 1 and appeal_elements["reopen"] == 1
    assert "close" not in appeal_elements
    assert appeal_flows["flow_dissatisfied"] == 1 and appeal_flows["flow_reopen"] == 1
    assert appeal_flows["flow_to_handle"] == 2  # the second call is running
    assert appeal["tasks"] == [] and appeal["file"] == "appeal.bpmn"
    assert path["seq"] == len(as_("auditor").get(f"/api/v1/appeals/{appeal_id}/history").json)


def test_at_an_earlier_event_the_path_stops_there_with_the_tasks_then_open(as_, reopened):
    appeal_id, escalated_seq = reopened
    path = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/path?at={escalated_seq}").json

    assert path["seq"] == escalated_seq
    escalation = by_process(path)["escalation"]
    assert escalation["runs"] == 1
    elements = passed(escalation, "elements")
    assert elements["handle_village"] == 1 and "handle_town" not in elements and "handle_district" not in elements
    assert passed(escalation, "flows")["flow_to_town"] == 1
    assert [(t["element"], t["unit"]) for t in escalation["tasks"]] == [("handle_town", "T01")]
    assert "evaluate" not in passed(by_process(path)["appeal"], "elements")


def test_the_diagrams_of_the_versions_it_ran_on_are_served_to_its_readers(as_, reopened):
    appeal_id, _ = reopened
    path = as_("district").get(f"/api/v1/appeals/{appeal_id}/path").json
    for process in path["processes"]:
        url = f"/api/v1/appeals/{appeal_id}/diagrams/{process['process_id']}/versions/{process['version']}"
        response = as_("district").get(url)
        assert response.status_code == 200 and response.mimetype == "application/xml"
        assert f'id="{process["process_id"]}"'.encode() in response.data

    unknown = as_("district").get(f"/api/v1/appeals/{appeal_id}/diagrams/escalation/versions/99")
    assert unknown.status_code == 404 and unknown.json["error"]["code"]


def test_only_the_appeals_readers_see_its_path_and_it_holds_no_personal_data(as_, reopened):
    appeal_id, _ = reopened
    for role in ("auditor", "leader", "district", "town"):
        response = as_(role).get(f"/api/v1/appeals/{appeal_id}/path")
        assert response.status_code == 200, role
        assert REPORT["reporter"]["name"] not in response.text and REPORT["reporter"]["phone"] not in response.text
    assert as_("grid").get(f"/api/v1/appeals/{appeal_id}/path").status_code == 404
    assert as_("grid").get(f"/api/v1/appeals/{appeal_id}/diagrams/appeal/versions/1").status_code == 404


@pytest.mark.parametrize(("at", "status", "field"), [("0", 422, "at"), ("x", 422, "at"), ("9999", 404, None)])
def test_an_event_that_is_not_in_the_history_is_refused(as_, reopened, at, status, field):
    appeal_id, _ = reopened
    response = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/path?at={at}")
    assert response.status_code == status, response.json
    if field:
        assert field in str(response.json["error"].get("fields"))


def test_a_migrated_appeal_is_drawn_on_the_version_it_ran_on_at_each_event(as_, tmp_path):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    dispatched = len(as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/history").json)
    deploy_package(as_, with_review_step(tmp_path))
    instance_id = task(as_, "village", appeal["id"], "handle_village")["instance_id"]
    as_("designer").post("/api/v1/processes/appeal/versions/2/migration", json={"instances": [instance_id]})
    complete(as_, "village", appeal["id"], "handle_village", {"outcome": "resolved", "note": "fixed"})

    now = by_process(as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/path").json)
    assert now["appeal"]["version"] == 2 and now["appeal"]["tasks"][0]["element"] == "review"
    assert passed(now["appeal"], "flows")["flow_disposition_review"] == 1
    then = by_process(as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/path?at={dispatched}").json)
    assert then["appeal"]["version"] == 1 and then["escalation"]["version"] == 1
    for version, has_review in ((1, False), (2, True)):
        drawn = as_("village").get(f"/api/v1/appeals/{appeal['id']}/diagrams/appeal/versions/{version}")
        assert drawn.status_code == 200 and (b'id="review"' in drawn.data) == has_review
