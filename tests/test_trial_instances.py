"""Designers try any BPMN: deploy it, start a trial instance, complete its tasks, send it messages."""

import io
from pathlib import Path

from appeals.services.timers import fire_due

MODELS = Path(__file__).resolve().parent / "models"


def _deploy(as_, *names):
    files = [(io.BytesIO((MODELS / name).read_bytes()), name) for name in names]
    return as_("designer").post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data")


def test_a_process_with_a_message_and_a_timer_runs_through_the_designer_api(as_, runtime, clock):
    deployed = _deploy(as_, "trial_message.bpmn")
    assert deployed.status_code == 201, deployed.json
    assert [w["element"] for w in deployed.json["warnings"]] == ["acknowledge"]  # no form: an acknowledgement

    designer = as_("designer")
    started = designer.post("/api/v1/processes/trial_message/instances", json={"data": {"minimum": 10}})
    assert started.status_code == 201 and started.json["status"] == "running"
    instance_id = started.json["id"]
    tasks = designer.get(f"/api/v1/tasks?instance={instance_id}").json
    assert [t["step"] for t in tasks] == ["acknowledge"] and tasks[0]["form"]["schema"]["properties"] == {}
    assert as_("intake").get(f"/api/v1/tasks?instance={instance_id}").json == []  # not theirs to act on

    waiting = designer.post(f"/api/v1/tasks/{tasks[0]['id']}/complete", json={"data": {}})
    assert waiting.status_code == 200 and waiting.json["messages"] == ["payment"]
    assert [t["step"] for t in waiting.json["timers"]] == ["cooled_off"]

    paid = designer.post(
        f"/api/v1/instances/{instance_id}/messages/payment",
        json={"payload": {"lines": [{"amount": 5}, {"amount": 20}, {"amount": 30}]}},
    )
    assert paid.status_code == 200 and paid.json["status"] == "running" and paid.json["messages"] == []
    assert designer.post(f"/api/v1/instances/{instance_id}/messages/payment", json={"payload": {}}).status_code == 409

    clock.advance(hours=1, seconds=1)
    assert fire_due(runtime) == 1
    done = designer.get(f"/api/v1/instances/{instance_id}").json
    assert done["status"] == "completed"
    assert done["data"]["total"] == 51


def test_only_designers_deploy_and_start_trials_and_appeal_instances_stay_hidden(as_):
    assert _deploy(as_, "trial_message.bpmn").status_code == 201
    assert as_("intake").post("/api/v1/processes/trial_message/instances", json={"data": {}}).status_code == 403
    files = [(io.BytesIO((MODELS / "trial_message.bpmn").read_bytes()), "trial_message.bpmn")]
    assert (
        as_("admin").post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data").status_code
        == 403
    )
    appeal = as_("intake").post("/api/v1/appeals", json={"title": "t", "description": "d", "channel": "walk_in"}).json
    instance_id = appeal["tasks"][0]["instance_id"]
    assert as_("designer").get(f"/api/v1/instances/{instance_id}").status_code == 404


def test_a_process_that_fails_at_start_is_kept_with_status_error(as_):
    assert _deploy(as_, "failing_script.bpmn").status_code == 201
    started = as_("designer").post("/api/v1/processes/failing_script/instances", json={"data": {}})
    assert started.status_code == 201
    assert started.json["status"] == "error" and "ZeroDivisionError" in started.json["error"]
    kept = as_("designer").get(f"/api/v1/instances/{started.json['id']}").json
    assert kept["status"] == "error" and kept["tasks"] == []


def test_a_timer_date_that_cannot_be_a_moment_is_a_process_error_not_a_crash(as_):
    """start_of_day('0001-01-01') in Beijing lies before the first moment UTC can hold: the engine says so
    (it used to raise OverflowError, a 500 on every try), and a sane date still waits."""
    assert _deploy(as_, "date_timer.bpmn").status_code == 201
    designer = as_("designer")
    started = designer.post("/api/v1/processes/date_timer/instances", json={"data": {"day": "0001-01-01"}})
    assert started.status_code == 201, started.json
    assert started.json["status"] == "error" and "cannot be used" in started.json["error"]
    waiting = designer.post("/api/v1/processes/date_timer/instances", json={"data": {"day": "2026-11-20"}})
    assert waiting.json["status"] == "running" and [t["step"] for t in waiting.json["timers"]] == ["wait"]
