"""Designers try any BPMN: deploy it, start a trial instance, complete its tasks, send it messages."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import select

from appeals.services.timers import fire_due
from engine import HistoryEvent

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


def _refused_after_a_task(script: str, condition: str) -> bytes:
    """A process: a user task, a script, a gateway whose flow to the end holds on `condition`."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="later_d"
    targetNamespace="http://appealflow.org/tests">
  <bpmn:process id="refused_later" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="look"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:scriptTask id="designer_code"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="choose"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
      </bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="look" />
    <bpmn:sequenceFlow id="f2" sourceRef="look" targetRef="designer_code" />
    <bpmn:sequenceFlow id="f3" sourceRef="designer_code" targetRef="choose" />
    <bpmn:sequenceFlow id="f4" sourceRef="choose" targetRef="end">
      <bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>""".encode()


@pytest.mark.parametrize(
    "script, condition, chinese, english",
    [
        (
            "x = 1 << 10**8",
            "True",
            "完成步骤“look”后流程出错：沙箱中不计算超过 100000 位的移位（第 1 行）",
            "the process failed after 'look': a shift to more than 100000 bits is not computed in the sandbox (line 1)",
        ),
        (
            "x = 1",
            "(1 << 10**8) > 0",
            "完成步骤“look”后流程出错：表达式“(1 << 10**8) > 0”出错：沙箱中不计算超过 100000 位的移位（第 1 行）",
            "the process failed after 'look': expression '(1 << 10**8) > 0' failed: a shift to more than 100000 "
            "bits is not computed in the sandbox (line 1)",
        ),
    ],
)
def test_what_the_sandbox_refuses_at_run_time_is_said_in_the_readers_language_and_kept_in_english(
    as_, runtime, script, condition, chinese, english
):
    """A trial's script or condition refused when it runs: the designer reads the refusal in their language;
    the instance's history keeps it as a plain string, in English, whoever read it."""
    files = [(io.BytesIO(_refused_after_a_task(script, condition)), "refused_later.bpmn")]
    designer = as_("designer")
    assert (
        designer.post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data").status_code == 201
    )
    for language, said in (("zh-CN", chinese), ("en", english)):
        started = designer.post("/api/v1/processes/refused_later/instances", json={"data": {}}).json
        task = started["tasks"][0]["id"]
        refused = designer.post(
            f"/api/v1/tasks/{task}/complete", json={"data": {}}, headers={"Accept-Language": language}
        )
        assert refused.status_code == 422 and refused.json["error"]["message"] == said
        with runtime.uow() as uow:
            recorded = uow.session.scalars(
                select(HistoryEvent.data).where(
                    HistoryEvent.instance_id == started["id"], HistoryEvent.type == "process_error"
                )
            ).all()
        assert recorded == [{"message": english}]
