"""Designers change what new appeals do by editing processes/ and deploying, never code; running appeals
keep the version they started on."""

import io
import shutil
from pathlib import Path

import pytest

from .helpers import complete, report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def edited_package(tmp_path):
    """A copy of processes/ and forms/ with the livelihood reply limit at 10 working days and a new `verify` step."""
    for folder in ("processes", "forms"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    dmn = tmp_path / "processes" / "time_limits.dmn"
    dmn.write_text(
        dmn.read_text().replace(
            '<outputEntry id="reply_livelihood_out0"><text>7</text></outputEntry>',
            '<outputEntry id="reply_livelihood_out0"><text>10</text></outputEntry>',
        )
    )
    bpmn = tmp_path / "processes" / "appeal.bpmn"
    text = bpmn.read_text()
    verify = """    <bpmn:userTask id="verify" name="Verify the registration">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="verify.schema.json" />
          <spiffworkflow:property name="candidateGroups" value="intake_unit" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_register_limit</bpmn:incoming>
      <bpmn:outgoing>flow_verify_limit</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_verify_limit" sourceRef="verify" targetRef="reply_limit" />
"""
    text = text.replace(
        '<bpmn:sequenceFlow id="flow_register_limit" sourceRef="register" targetRef="reply_limit" />',
        '<bpmn:sequenceFlow id="flow_register_limit" sourceRef="register" targetRef="verify" />\n' + verify,
    )
    text = text.replace(
        "<bpmn:incoming>flow_register_limit</bpmn:incoming>\n      <bpmn:outgoing>flow_limit_deadline</bpmn:outgoing>",
        "<bpmn:incoming>flow_verify_limit</bpmn:incoming>\n      <bpmn:outgoing>flow_limit_deadline</bpmn:outgoing>",
    )
    text = text.replace(
        "<bpmn:flowNodeRef>register</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>register</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>verify</bpmn:flowNodeRef>",
    )
    bpmn.write_text(text)
    (tmp_path / "forms" / "verify.schema.json").write_text(
        '{"type": "object", "required": ["checked"], "properties": {"checked": {"type": "boolean"}}}'
    )
    return [path for folder in ("processes", "forms") for path in sorted((tmp_path / folder).iterdir())]


def _upload(as_, paths):
    files = [(io.BytesIO(path.read_bytes()), path.name) for path in paths]
    return as_("designer").post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data")


def test_a_deployed_edit_changes_new_appeals_while_running_ones_keep_their_version(as_, clock, edited_package):
    running = report(as_)
    complete(as_, "intake", running["id"], "resolve_on_site", {"resolved": False})

    deployed = _upload(as_, edited_package)
    assert deployed.status_code == 201, deployed.json
    assert {(v["process_id"], v["version"]) for v in deployed.json["versions"]} == {("appeal", 2), ("escalation", 2)}
    assert _upload(as_, edited_package).status_code == 200  # identical content: the same versions again

    fresh = report(as_)
    assert fresh["process"] == {"id": "appeal", "version": 2}
    complete(as_, "intake", fresh["id"], "resolve_on_site", {"resolved": False})
    complete(as_, "intake", fresh["id"], "register", {"category": "livelihood", "summary": "x"})
    after_verify = complete(as_, "intake", fresh["id"], "verify", {"checked": True})
    assert after_verify["stage"] == "collate"
    assert after_verify["deadline"] == "2026-11-16T15:59:59+00:00"  # Monday 2 November + 10 working days

    old = complete(as_, "intake", running["id"], "register", {"category": "livelihood", "summary": "x"})
    assert old["process"] == {"id": "appeal", "version": 1}
    assert old["stage"] == "collate"
    assert old["deadline"] == "2026-11-11T15:59:59+00:00"  # Monday 2 November + 7 working days


def test_a_package_with_errors_is_refused_with_every_error_and_nothing_deployed(as_, edited_package):
    broken = []
    for path in edited_package:
        if path.name == "verify.schema.json":
            continue  # the new step's form is missing
        if path.name == "escalation.bpmn":
            path.write_text(
                path.read_text().replace(
                    '<bpmn:lane id="lane_leader" name="leader">', '<bpmn:lane id="lane_leader" name="chief">'
                )
            )
        broken.append(path)
    response = _upload(as_, broken)
    assert response.status_code == 422
    messages = [(d.get("file"), d.get("element"), d["message"]) for d in response.json["error"]["details"]]
    assert any(f == "appeal.bpmn" and e == "verify" and "verify.schema.json" in m for f, e, m in messages)
    assert any(f == "escalation.bpmn" and e == "supervise" and "chief" in m for f, e, m in messages)
    assert report(as_)["process"] == {"id": "appeal", "version": 1}
