"""Issue 25: a deploy never answers 500, refuses what could never run with every reason at once, in the
reader's language, and lets trial processes use lanes that are not roles."""

import io
import json
from dataclasses import replace
from pathlib import Path

from engine import PackageLibrary

MODELS = Path(__file__).resolve().parent / "models"
EN = {"Accept-Language": "en"}
CODE_FORM = {
    "type": "object",
    "required": ["code"],
    "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$"}},
}


def _deploy(as_, files: dict[str, bytes], headers=None):
    uploads = [(io.BytesIO(content), name) for name, content in files.items()]
    return as_("designer").post(
        "/api/v1/processes", data={"files": uploads}, content_type="multipart/form-data", headers=headers
    )


def _model(name) -> bytes:
    return (MODELS / "refusals" / name).read_bytes()


def _trial_form(form=CODE_FORM) -> dict[str, bytes]:
    return {"trial_form.bpmn": _model("trial_form.bpmn"), "code.json": json.dumps(form).encode()}


def test_a_call_activity_cycle_is_refused_at_deploy_naming_the_cycle(as_):
    refused = _deploy(as_, {"call_cycle.bpmn": _model("call_cycle.bpmn")}, EN)
    assert refused.status_code == 422, refused.json
    details = {d["element"]: d for d in refused.json["error"]["details"]}
    assert "review -> check -> review" in details["call_check"]["message"]
    assert details["call_check"]["file"] == "call_cycle.bpmn" and details["call_check"]["line"] > 0
    chinese = _deploy(as_, {"call_cycle.bpmn": _model("call_cycle.bpmn")})
    assert "循环" in chinese.json["error"]["details"][0]["message"]
    deployed = {p["id"] for p in as_("designer").get("/api/v1/processes").json}
    assert not deployed & {"review", "check"}


def test_a_trial_lane_that_is_no_role_is_a_warning_and_the_designer_works_its_task(as_):
    deployed = _deploy(as_, _trial_form(), EN)
    assert deployed.status_code == 201, deployed.json
    [warning] = deployed.json["warnings"]
    assert warning["element"] == "enter_code" and "reviewer" in warning["message"]

    designer = as_("designer")
    started = designer.post("/api/v1/processes/trial_form/instances", json={"data": {}}).json
    [task] = designer.get(f"/api/v1/tasks?instance={started['id']}").json
    assert designer.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {"code": "12"}}).status_code == 422
    done = designer.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {"code": "123456"}})
    assert done.status_code == 200 and done.json["status"] == "completed"


def test_the_appeal_processes_keep_lanes_to_roles(as_):
    bundled = {
        p.name: p.read_bytes() for folder in ("processes", "forms") for p in (MODELS.parents[1] / folder).iterdir()
    }
    bundled["escalation.bpmn"] = bundled["escalation.bpmn"].replace(b'name="leader">', b'name="chief">', 1)
    refused = _deploy(as_, bundled, EN)
    assert refused.status_code == 422 and any("chief" in d["message"] for d in refused.json["error"]["details"])


def test_a_form_not_named_schema_json_is_checked_where_a_task_uses_it(as_):
    refused = _deploy(as_, _trial_form({"type": "objekt"}), EN)
    assert refused.status_code == 422, refused.json
    [problem] = refused.json["error"]["details"]
    assert (
        problem["element"] == "enter_code" and "code.json" in problem["message"] and "JSON Schema" in problem["message"]
    )


def test_a_pattern_that_backtracks_catastrophically_is_refused_and_a_plain_one_is_not(as_):
    nested = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}}}
    refused = _deploy(as_, _trial_form(nested), EN)
    assert refused.status_code == 422
    assert any("(a+)+" in d["message"] for d in refused.json["error"]["details"])
    overlapping = {"type": "object", "patternProperties": {"^(\\w+\\s?)*$": {"type": "string"}}}
    assert _deploy(as_, {"f.schema.json": json.dumps(overlapping).encode(), **_trial_form()}).status_code == 422
    assert _deploy(as_, _trial_form()).status_code == 201  # ^[0-9]{6}$ is fine


def test_an_unused_decision_with_an_empty_input_is_a_warning_not_a_500(as_):
    files = {**_trial_form(), "unused_empty_input.dmn": _model("unused_empty_input.dmn")}
    deployed = _deploy(as_, files, EN)
    assert deployed.status_code == 201, deployed.json
    assert any(w["element"] == "unused_input" for w in deployed.json["warnings"])


def test_scripts_calling_what_the_sandbox_lacks_are_refused_in_plain_words(as_):
    trial = (MODELS / "trial_message.bpmn").read_bytes()
    refused = _deploy(as_, {"trial_message.bpmn": trial.replace(b"total += 1", b"names = globals()")}, EN)
    assert refused.status_code == 422, refused.json
    assert [d["element"] for d in refused.json["error"]["details"] if "globals()" in d["message"]] == ["total"]


def test_the_sandboxs_refusals_at_deploy_read_in_chinese_and_in_english_on_request(as_):
    """An import in a script (the sandbox's compiler) and a timer expression past a bound of the sandbox
    (tried on the sample moment): the sandbox's own words, in the reader's language."""
    trial = (MODELS / "trial_message.bpmn").read_bytes()
    files = {"trial_message.bpmn": trial.replace(b"total += 1", b"import os").replace(b'"PT1H"', b'"PT1H" * 10**7')}
    chinese, english = _deploy(as_, files).json, _deploy(as_, files, EN).json

    def by_element(answer):
        return {d["element"]: d["message"] for d in answer["error"]["details"]}

    assert by_element(chinese)["total"].endswith(
        "被沙箱拒绝：第 3 行：不允许使用 import 语句；请使用引擎提供的辅助函数"
    )
    assert by_element(english)["total"].endswith(
        "is refused by the sandbox: Line 3: import statements are not allowed; use the helpers the engine provides"
    )
    assert by_element(chinese)["cooled_off"] == (
        '计时表达式“"PT1H" * 10**7”在样例数据上出错：结果有 40000000 项：沙箱最多允许 1000000 项（第 1 行）'
    )
    assert by_element(english)["cooled_off"] == (
        "'\"PT1H\" * 10**7' fails on the sample data: a result of 40000000 items: the sandbox allows 1000000 (line 1)"
    )


def test_print_and_locals_run_as_they_do_in_spiffworkflow(as_):
    """SpiffWorkflow's own models print and ask `'x' in locals()`: both work (what is printed has no
    reader and is dropped; locals() is a copy of the script's variables), with no warning at deploy."""
    script = b"seen = 'ratio' in locals()\ngiven = 'limit' in locals()\nprint('hello', seen)"
    printed = (MODELS / "failing_script.bpmn").read_bytes().replace(b"ratio = 1 / 0", script)
    deployed = _deploy(as_, {"failing_script.bpmn": printed}, EN)
    assert deployed.status_code == 201, deployed.json
    assert not [w for w in deployed.json["warnings"] if "print()" in w["message"] or "locals()" in w["message"]]
    started = as_("designer").post("/api/v1/processes/failing_script/instances", json={"data": {"limit": 3}}).json
    assert started["status"] != "error", started
    assert (started["data"]["seen"], started["data"]["given"]) == (False, True)
    assert "printed" not in started["data"] and "_print" not in started["data"]


def test_structural_errors_of_every_file_come_in_one_answer_without_python_reprs(as_):
    trial = (MODELS / "trial_message.bpmn").read_bytes()
    broken = trial.replace(b'id="join"', b'id="paid"').replace(b'targetRef="end"', b'targetRef="nowhere"')
    calls_unknown = _model("call_cycle.bpmn").replace(b'calledElement="review"', b'calledElement="nothing"')
    files = {
        "trial.bpmn": broken,
        "calls.bpmn": calls_unknown,
        "decides.bpmn": _model("unknown_decision.bpmn"),
        "bad.schema.json": b"{",
    }
    refused = _deploy(as_, files, EN)
    assert refused.status_code == 422, refused.json
    found = {(d["file"], d.get("element")): d["message"] for d in refused.json["error"]["details"]}
    assert "more than one element" in found[("trial.bpmn", "paid")]
    assert "'nowhere'" in found[("trial.bpmn", "flow_total_end")]
    assert "'nothing'" in found[("calls.bpmn", "call_review")]
    assert "not valid JSON" in found[("bad.schema.json", None)]
    assert "decision 'fee_table' is not in the package" in found[("decides.bpmn", "look_up_fee")]
    text = json.dumps(refused.json)
    assert "0x" not in text and "xs:ID" not in text and "{http" not in text and "Available DMN ids" not in text
    chinese = _deploy(as_, files).json["error"]
    assert chinese["message"] == refused.json["error"]["message"].replace("the package has ", "流程包有 ").replace(
        " error(s)", " 处错误"
    )
    assert all(any("\u4e00" <= c <= "\u9fff" for c in d["message"]) for d in chinese["details"]), chinese


def test_a_form_ref_to_another_document_or_a_missing_part_is_refused_at_deploy(as_):
    """Either raised at every completion of the task (an HTTP 500) until now."""
    for ref in ("http://127.0.0.1:9/address.json", "#/$defs/missing"):
        form = {**CODE_FORM, "properties": {"code": {"$ref": ref}}}
        refused = _deploy(as_, _trial_form(form), EN)
        assert refused.status_code == 422, refused.json
        assert any(ref in d["message"] for d in refused.json["error"]["details"]), refused.json
    form = {**CODE_FORM, "$defs": {"code": {"type": "string"}}, "properties": {"code": {"$ref": "#/$defs/code"}}}
    assert _deploy(as_, _trial_form(form)).status_code == 201


def test_an_input_cell_full_of_placeholders_is_refused_before_it_can_stall_a_request(as_):
    """SpiffWorkflow's rewrite of `?` is quadratic in their number: such a cell never reaches a request."""
    root = MODELS.parent.parent
    files = {path.name: path.read_bytes() for folder in ("processes", "forms") for path in (root / folder).iterdir()}
    cell = " or ".join(['? == "complex"'] * 60).encode()
    files["time_limits.dmn"] = files["time_limits.dmn"].replace(
        b'<text>"complex"</text>', b"<text>" + cell + b"</text>"
    )
    refused = _deploy(as_, files, EN)
    assert refused.status_code == 422, refused.json
    found = [d for d in refused.json["error"]["details"] if "'?' 60 times" in d["message"]]
    assert found and {(d["file"], d["element"]) for d in found} >= {("time_limits.dmn", "reply_complex")}


def test_timers_are_tried_in_the_runtimes_zone_and_a_deployed_package_loads_in_any(runtime):
    """Midnight of 1 January of the year 1 is a moment in UTC, and before the first one in Beijing: a timer
    on it is refused where the runtime's zone is Asia/Shanghai (the app's TIMEZONE) and deployed where it is
    UTC. The package then still loads in Beijing: a deployed package's timers are not tried again."""
    files = {
        "date_timer.bpmn": (MODELS / "date_timer.bpmn").read_bytes(),
        "date_timer.sample.json": json.dumps({"day": "0001-01-01"}).encode(),
    }
    with runtime.uow() as uow:
        in_beijing = uow.engine.check(files)
    with replace(runtime, zone="UTC").uow() as uow:
        in_utc = uow.engine.check(files)
        deployment = uow.engine.deploy(files, actor="designer")
        uow.commit()
    assert [(e["element"], e["file"]) for e in in_beijing["errors"]] == [("wait", "date_timer.bpmn")]
    assert in_utc["errors"] == []
    with replace(runtime, library=PackageLibrary()).uow() as uow:  # parsed anew, in Beijing
        assert set(uow.engine.package(deployment.package_id).specs) == {"date_timer"}
