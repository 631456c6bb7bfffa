"""What the designers' workbench asks of the API: a package checked without deploying, every problem at its
file, element and line; the diff's rules with their old and new cells; an unchanged package sent again
without its sample data deploys nothing; trial instances listed."""

import io

from .designer_packages import THREE_PROBLEMS, bundled, edited, with_livelihood_in, with_three_problems
from .helpers import report

EN = {"Accept-Language": "en"}


def _send(as_, path, files: dict[str, bytes]):
    uploads = [(io.BytesIO(content), name) for name, content in files.items()]
    return as_("designer").post(path, data={"files": uploads}, content_type="multipart/form-data", headers=EN)


def test_a_checked_package_lists_every_error_at_its_element_and_line_and_deploys_nothing(as_):
    checked = _send(as_, "/api/v1/processes/check", with_three_problems())
    assert checked.status_code == 200, checked.json
    errors = checked.json["errors"]
    assert {(e["file"], e["element"]) for e in errors} == THREE_PROBLEMS
    assert all(e["line"] > 0 and e["message"] for e in errors), errors
    assert checked.json["deployed_package_id"] is None
    assert as_("designer").get("/api/v1/processes/appeal/versions").json[-1]["version"] == 1


def test_a_typod_target_ref_is_named_at_its_flow_with_the_step_meant(as_):
    files = bundled()
    line = (
        files["appeal.bpmn"]
        .decode()
        .splitlines()
        .index('    <bpmn:sequenceFlow id="flow_register_limit" sourceRef="register" targetRef="reply_limit" />')
    )
    typo = edited(files, "appeal.bpmn", 'targetRef="reply_limit" />', 'targetRef="reply_limt" />')
    [error] = _send(as_, "/api/v1/processes/check", typo).json["errors"]
    assert (error["element"], error["line"]) == ("flow_register_limit", line + 1)
    assert "did you mean 'reply_limit'" in error["message"] and "perhaps a form" not in error["message"]

    shape = edited(files, "appeal.bpmn", 'targetRef="reply_limit" />', 'targetRef="reply_limit_di" />')
    [error] = _send(as_, "/api/v1/processes/check", shape).json["errors"]
    assert error["element"] == "flow_register_limit" and "not a step of the flow's own process" in error["message"]


def test_a_clean_package_checks_with_no_errors_and_names_the_package_deployed(as_):
    checked = _send(as_, "/api/v1/processes/check", bundled()).json
    deployed = _send(as_, "/api/v1/processes", bundled()).json
    assert deployed["created"] is False  # the bundled package, deployed when the service started
    assert checked["errors"] == [] and checked["deployed_package_id"] == deployed["package_id"]


def test_an_unchanged_package_sent_without_its_sample_data_deploys_nothing(as_):
    samples_left_out = {n: c for n, c in bundled().items() if not n.endswith(".sample.json")}
    again = _send(as_, "/api/v1/processes", samples_left_out)
    assert again.status_code == 200, again.json
    assert again.json["created"] is False and again.json["warnings"] == []
    assert [v["version"] for v in again.json["versions"]] == [1, 1]


def test_the_diff_gives_each_changed_rule_its_old_and_new_cells(as_):
    assert _send(as_, "/api/v1/processes", with_livelihood_in(5)).status_code == 201
    diff = as_("designer").get("/api/v1/processes/appeal/diff?from=1&to=2", headers=EN).json
    reply = diff["decisions"]["reply_limit"]
    assert reply["rules_changed"] == ["reply_livelihood"]
    assert reply["inputs"] == ["Category"] and reply["outputs"] == ["Reply within", "Unit"]
    assert reply["rules"] == {
        "reply_livelihood": {
            "old": {"inputs": ['"livelihood"'], "outputs": ["7", '"working_days"']},
            "new": {"inputs": ['"livelihood"'], "outputs": ["5", '"working_days"']},
        }
    }
    assert diff["steps"]["changed"] == {"feedback": ["bpmn_name"], "reply_limit": ["decision_table"]}
    assert diff["forms"]["changed"] == ["feedback.schema.json"]


def test_trial_instances_are_listed_newest_first_without_the_appeals(as_):
    report(as_)
    designer = as_("designer")
    first = designer.post("/api/v1/processes/appeal/instances", json={"data": {"intake_unit": "S01"}})
    second = designer.post("/api/v1/processes/appeal/instances", json={"data": {"intake_unit": "S01"}})
    assert first.status_code == second.status_code == 201, first.json
    listed = designer.get("/api/v1/processes/appeal/instances").json
    assert [t["id"] for t in listed] == [second.json["id"], first.json["id"]]
    assert listed[0]["process"] == {"id": "appeal", "version": 1} and listed[0]["status"] == "running"
    assert as_("auditor").get("/api/v1/processes/appeal/instances").status_code == 403
