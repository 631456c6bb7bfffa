"""Process designers: refused packages name every error, versions compare, running appeals migrate without
losing their deadlines, and what designers write runs in a sandbox that fails safely."""

import shutil

import pytest

from .helpers import (
    ROOT,
    complete,
    copy_bundled,
    deploy_package,
    edit_file,
    history_types,
    report,
    task,
    to_handling,
    with_review_step,
)


def _problems(as_, root) -> dict:
    details = deploy_package(as_, root, expect=422)["error"]["details"]
    assert all(d.get("file") and d.get("message") for d in details), details
    return {(d.get("file"), d.get("element")): d["message"] for d in details}


def test_every_kind_of_invalid_package_is_refused_with_every_error_and_nothing_deployed(as_, tmp_path):
    root = copy_bundled(tmp_path)
    appeal, escalation = root / "processes" / "appeal.bpmn", root / "processes" / "escalation.bpmn"
    dmn, form = root / "processes" / "time_limits.dmn", root / "forms" / "feedback.schema.json"

    form.write_text('{"type": "objekt"}')
    found = _problems(as_, root)
    assert "not a valid JSON Schema" in found[("feedback.schema.json", None)]
    shutil.copy(ROOT / "forms" / "feedback.schema.json", form)

    edit_file(
        escalation, ">level_limit</spiffworkflow:calledDecisionId>", ">level_limits</spiffworkflow:calledDecisionId>"
    )
    edit_file(
        dmn, '<outputEntry id="reply_other_out0"><text>7</text>', '<outputEntry id="reply_other_out0"><text>7 +</text>'
    )
    found = _problems(as_, root)
    assert "level_limits" in found[("escalation.bpmn", "level_limit")]
    assert "7 +" in found[("time_limits.dmn", "reply_other_out0")]
    shutil.copy(ROOT / "processes" / "time_limits.dmn", dmn)
    edit_file(
        escalation, ">level_limits</spiffworkflow:calledDecisionId>", ">level_limit</spiffworkflow:calledDecisionId>"
    )

    edit_file(appeal, 'calledElement="escalation"', 'calledElement="no_such_chain"')
    assert "no_such_chain" in " ".join(_problems(as_, root).values())
    edit_file(appeal, 'calledElement="no_such_chain"', 'calledElement="escalation"')

    # a process that parses shows all of its own problems at once
    edit_file(appeal, "<bpmn:script>disposition = outcome</bpmn:script>", "<bpmn:script>import os</bpmn:script>")
    edit_file(
        appeal,
        "<bpmn:conditionExpression>resolved == True</bpmn:conditionExpression>",
        "<bpmn:conditionExpression>().__class__.__base__</bpmn:conditionExpression>",
    )
    edit_file(
        root / "processes" / "appeal.sample.json", '"step_due": "2026-01-08T23:59:59+08:00"', '"step_due": "fortnights"'
    )
    edit_file(escalation, '<bpmn:lane id="lane_leader" name="leader">', '<bpmn:lane id="lane_leader" name="chief">')
    found = _problems(as_, root)
    assert "import statements are not allowed" in found[("appeal.bpmn", "record_disposition")]
    assert "sandbox" in found[("appeal.bpmn", "settled_on_site")]
    assert "fortnights" in found[("appeal.bpmn", "overdue_look_back")]
    assert "chief" in found[("escalation.bpmn", "supervise")]
    assert as_("designer").get("/api/v1/processes/appeal/versions").json[-1]["version"] == 1  # nothing deployed


def test_a_gateway_flow_without_condition_or_default_is_refused_and_no_default_is_a_warning(as_, tmp_path):
    root = copy_bundled(tmp_path)
    appeal = root / "processes" / "appeal.bpmn"
    edit_file(
        appeal,
        '<bpmn:exclusiveGateway id="is_deferred" name="Deferred?" default="flow_to_evaluate">',
        '<bpmn:exclusiveGateway id="is_deferred" name="Deferred?">',
    )
    found = _problems(as_, root)
    assert "without condition" in found[("appeal.bpmn", "flow_to_evaluate")]
    edit_file(
        appeal,
        '<bpmn:sequenceFlow id="flow_to_evaluate" sourceRef="is_deferred" targetRef="start_evaluation" />',
        '<bpmn:sequenceFlow id="flow_to_evaluate" sourceRef="is_deferred" targetRef="start_evaluation">'
        '<bpmn:conditionExpression>disposition != "deferred"</bpmn:conditionExpression></bpmn:sequenceFlow>',
    )
    deployed = deploy_package(as_, root)
    assert [(w["element"], w["message"][:15]) for w in deployed["warnings"]] == [("is_deferred", "no default flow")]


def test_versions_list_their_files_and_the_diff_names_the_real_differences(as_, tmp_path):
    root = with_review_step(tmp_path)
    edit_file(
        root / "processes" / "time_limits.dmn",
        '<outputEntry id="reply_livelihood_out0"><text>7</text></outputEntry>',
        '<outputEntry id="reply_livelihood_out0"><text>5</text></outputEntry>',
    )
    edit_file(root / "forms" / "feedback.schema.json", '"title": "Message"', '"title": "Message to the citizen"')
    deploy_package(as_, root)
    designer = as_("designer")
    assert [(p["id"], p["latest_version"]) for p in designer.get("/api/v1/processes").json] == [
        ("appeal", 2),
        ("escalation", 2),
    ]
    versions = designer.get("/api/v1/processes/appeal/versions").json
    assert "review.schema.json" in versions[1]["files"] and "review.schema.json" not in versions[0]["files"]
    dmn = designer.get("/api/v1/processes/appeal/versions/2/files/time_limits.dmn")
    assert dmn.status_code == 200 and b"<text>5</text>" in dmn.data

    diff = designer.get("/api/v1/processes/appeal/diff?from=1&to=2")
    assert diff.status_code == 200, diff.json
    assert diff.json["steps"]["added"] == ["review"] and diff.json["steps"]["removed"] == []
    assert "record_disposition" in diff.json["steps"]["changed"]
    assert diff.json["forms"] == {"added": ["review.schema.json"], "removed": [], "changed": ["feedback.schema.json"]}
    reply = diff.json["decisions"]["reply_limit"]
    assert list(diff.json["decisions"]) == ["reply_limit"]
    assert (reply["rules_added"], reply["rules_removed"], reply["rules_changed"]) == ([], [], ["reply_livelihood"])
    assert designer.get("/api/v1/processes/appeal/diff?from=1&to=9").status_code == 404


def test_a_migrated_appeal_keeps_its_deadlines_to_the_second_and_reaches_the_new_step(as_, tmp_path):
    moving = report(as_)
    to_handling(as_, moving["id"], unit="V01")
    before = task(as_, "village", moving["id"], "handle_village")
    stuck = report(as_)  # waits at resolve_on_site: that step is changed below, so it cannot move
    deploy_package(as_, with_review_step(tmp_path))
    check = as_("designer").get("/api/v1/processes/appeal/versions/2/migration").json
    verdicts = {row["appeal_number"]: row for row in check["instances"]}
    assert verdicts[moving["number"]]["can_migrate"] is True

    migrated = as_("designer").post(
        "/api/v1/processes/appeal/versions/2/migration", json={"instances": [before["instance_id"]]}
    )
    assert migrated.json["results"] == [{"instance_id": before["instance_id"], "migrated": True, "problems": []}]
    after = task(as_, "village", moving["id"], "handle_village")
    assert after["due_at"] == before["due_at"]  # to the second
    assert as_("village").get(f"/api/v1/appeals/{moving['id']}").json["process"] == {"id": "appeal", "version": 2}
    assert ("migrated", None) in history_types(as_, moving["id"])
    complete(as_, "village", moving["id"], "handle_village", {"outcome": "resolved", "note": "fixed"})
    assert task(as_, "station", moving["id"])["step"] == "review"
    assert stuck["number"] in verdicts


def test_an_appeal_that_cannot_migrate_is_refused_with_the_reason(as_, tmp_path):
    appeal = report(as_)
    root = copy_bundled(tmp_path)
    edit_file(root / "processes" / "appeal.bpmn", 'name="Settle on the spot"', 'name="Try to settle on the spot"')
    deploy_package(as_, root)
    instance_id = appeal["tasks"][0]["instance_id"]
    check = as_("designer").get("/api/v1/processes/appeal/versions/2/migration").json["instances"]
    assert check == [
        {
            "instance_id": instance_id,
            "appeal_number": appeal["number"],
            "can_migrate": False,
            "problems": ["step 'resolve_on_site' (ready) was changed"],
        }
    ]
    refused = as_("designer").post("/api/v1/processes/appeal/versions/2/migration", json={"instances": [instance_id]})
    assert refused.json["results"][0]["migrated"] is False
    assert refused.json["results"][0]["problems"] == ["step 'resolve_on_site' (ready) was changed"]
    assert as_("intake").get(f"/api/v1/appeals/{appeal['id']}").json["process"]["version"] == 1


@pytest.mark.parametrize(
    "script",
    [
        "x = 0\nwhile True:\n    x += 1",
        "total = sum(range(10 ** 12))",
        "big = 10 ** 10 ** 10",
        "name = getattr(disposition, 'upper')()",
        "handle = open('/etc/passwd')",
    ],
)
def test_scripts_that_go_too_far_fail_safely_with_an_error_event_and_the_appeal_still_usable(as_, tmp_path, script):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    root = copy_bundled(tmp_path)
    edit_file(
        root / "processes" / "appeal.bpmn",
        "<bpmn:script>disposition = outcome</bpmn:script>",
        f"<bpmn:script>disposition = outcome\n{script}</bpmn:script>",
    )
    deploy_package(as_, root)
    fresh = report(as_)
    to_handling(as_, fresh["id"], unit="V01")
    handling = task(as_, "village", fresh["id"], "handle_village")
    failed = as_("village").post(
        f"/api/v1/tasks/{handling['id']}/complete", json={"data": {"outcome": "resolved", "note": "x"}}
    )
    assert failed.status_code == 422 and failed.json["error"]["code"] == "process_error"
    assert ("process_error", None) in history_types(as_, fresh["id"]) or any(
        kind == "process_error" for kind, _ in history_types(as_, fresh["id"])
    )
    still = as_("village").get(f"/api/v1/appeals/{fresh['id']}").json
    assert still["stage"] == "handle_village" and task(as_, "village", fresh["id"])["id"] == handling["id"]
    assert as_("leader").post(f"/api/v1/appeals/{fresh['id']}/claim").status_code == 200  # still usable
    complete(as_, "village", appeal["id"], "handle_village", {"outcome": "resolved", "note": "old version runs"})


def test_dunder_walks_and_imports_are_refused_at_deploy(as_, tmp_path):
    for script in (
        "x = ().__class__.__base__.__subclasses__()",
        "__import__('os')",
        "import os",
        "from os import path",
    ):
        root = copy_bundled(tmp_path / str(abs(hash(script))))
        edit_file(
            root / "processes" / "appeal.bpmn",
            "<bpmn:script>disposition = outcome</bpmn:script>",
            f"<bpmn:script>{script}</bpmn:script>",
        )
        details = deploy_package(as_, root, expect=422)["error"]["details"]
        assert any(d.get("element") == "record_disposition" for d in details), (script, details)
