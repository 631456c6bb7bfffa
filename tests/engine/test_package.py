"""Packages are checked before anything is deployed; every problem is named with file, element and line."""

from pathlib import Path

import pytest

from engine import InvalidPackage
from engine.package import content_hash, files_from_upload, parse_package

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLED = {p.name: p.read_bytes() for folder in ("processes", "forms") for p in (ROOT / folder).iterdir()}
TRIAL = (ROOT / "tests" / "models" / "trial_message.bpmn").read_bytes()
ZONE = "Asia/Shanghai"


def _problems(files, **kwargs):
    with pytest.raises(InvalidPackage) as refused:
        parse_package(files, zone=ZONE, **kwargs)
    return [{**problem, "message": str(problem["message"])} for problem in refused.value.details]


def test_the_bundled_package_parses_with_no_warnings():
    package = parse_package(
        BUNDLED,
        zone=ZONE,
        lanes={"intake", "station", "grid", "village", "town", "district", "leader", "callback"},
        forms_required={"appeal", "escalation"},
    )
    assert set(package.specs) == {"appeal", "escalation"} and package.warnings == []


def test_content_hash_ignores_file_order_and_sees_every_byte():
    reordered = dict(reversed(list(BUNDLED.items())))
    assert content_hash(reordered) == content_hash(BUNDLED)
    assert content_hash({**BUNDLED, "feedback.schema.json": BUNDLED["feedback.schema.json"] + b" "}) != content_hash(
        BUNDLED
    )


def test_every_error_is_reported_at_once_structural_ones_included():
    bpmn = (
        TRIAL.replace(b'targetRef="end"', b'targetRef="nowhere"')
        .replace(b'id="join"', b'id="paid"')
        .replace(b'<bpmn:sequenceFlow id="flow_start_ack" sourceRef="start"', b'<bpmn:sequenceFlow id="flow_start_ack"')
        .replace(b'id="split"', b'id="1 split"')
    )
    script = TRIAL.replace(b'id="trial_message"', b'id="other"').replace(b'"total"', b'"other_total"')
    script = script.replace(b"total += 1", b"total = ().__class__")
    files = {"trial.bpmn": bpmn, "other.bpmn": script, "bad.schema.json": b'{"type": 12}', "notes.txt": b"hello"}
    problems = {(p["file"], p.get("element"), p["message"]) for p in _problems(files)}
    expected = {
        ("trial.bpmn", "flow_total_end", "the flow's targetRef is 'nowhere', which is no element of this file"),
        ("trial.bpmn", "paid", "id 'paid' is given to more than one element"),
        ("trial.bpmn", "flow_start_ack", "sequenceFlow has no sourceRef"),
        ("trial.bpmn", "1 split", "'1 split' is not a valid id: ids must start with a letter or _"),
        ("other.bpmn", "other_total", "is refused by the sandbox"),
        ("bad.schema.json", None, "not a valid JSON Schema"),
        ("notes.txt", None, "unknown file type"),
    }
    for file, element, message in expected:
        assert any(f == file and e == element and message in m for f, e, m in problems), (file, message, problems)
    assert not any("0x" in m or "{http" in m or "xs:ID" in m for _, _, m in problems), problems


def test_a_dangling_incoming_or_outgoing_reference_is_only_a_warning():
    bpmn = TRIAL.replace(b"<bpmn:outgoing>flow_total_end</bpmn:outgoing>", b"<bpmn:outgoing>nowhere</bpmn:outgoing>")
    warnings = parse_package({"trial.bpmn": bpmn}, zone=ZONE).warnings
    assert [(w.element, "nowhere" in str(w.message)) for w in warnings if w.element == "total"] == [("total", True)]


def test_expressions_the_sandbox_refuses_are_errors_with_element_and_line():
    bpmn = TRIAL.replace(b"total = sum(amounts)", b"total = ().__class__.__base__")
    problem = _problems({"trial.bpmn": bpmn})[0]
    assert problem["element"] == "total" and problem["file"] == "trial.bpmn" and problem["line"] > 0
    assert "sandbox" in problem["message"]


def test_document_type_declarations_are_refused_before_parsing():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><definitions>&lol;</definitions>'
    assert "document type" in _problems({"bomb.bpmn": bomb})[0]["message"]


def test_a_missing_form_is_a_warning_except_where_forms_are_required():
    assert [w.element for w in parse_package({"trial.bpmn": TRIAL}, zone=ZONE).warnings] == ["acknowledge"]
    assert _problems({"trial.bpmn": TRIAL}, forms_required={"trial_message"})[0]["element"] == "acknowledge"


def test_a_package_with_no_process_is_refused():
    assert "no executable process" in _problems({"time_limits.dmn": BUNDLED["time_limits.dmn"]})[0]["message"]


def test_uploads_may_be_a_zip_and_names_must_not_repeat(tmp_path):
    import zipfile

    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("processes/trial.bpmn", TRIAL)
        zipped.writestr("forms/x.schema.json", b"{}")
    assert set(files_from_upload([("package.zip", archive.read_bytes())])) == {"trial.bpmn", "x.schema.json"}
    with pytest.raises(InvalidPackage):
        files_from_upload([("a.bpmn", TRIAL), ("dir/a.bpmn", TRIAL)])
    with pytest.raises(InvalidPackage):
        files_from_upload([("package.zip", b"not a zip")])


def test_what_spiffworkflow_or_python_would_have_raised_on_is_a_problem_in_plain_words():
    """Each of these was an exception out of the checker (a 500 at deploy) or a message for programmers."""
    cases = {
        "sample data must be a JSON object": {"trial.bpmn": TRIAL, "trial_message.sample.json": b"[1]"},
        "the timer has no expression": {"trial.bpmn": TRIAL.replace(b'"PT1H"', b"")},
        "No start event found": {
            "trial.bpmn": TRIAL.replace(b"<bpmn:startEvent", b"<bpmn:task").replace(
                b"</bpmn:startEvent>", b"</bpmn:task>"
            )
        },
        "definitions has no targetNamespace": {
            "trial.bpmn": b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>'
        },
    }
    for expected, files in cases.items():
        messages = [p["message"] for p in _problems(files)]
        assert any(expected in m for m in messages), (expected, messages)
        assert not any("0x" in m or "{http" in m or "NoneType" in m for m in messages), messages


def test_a_flow_in_a_sub_process_to_a_step_outside_it_is_named_at_the_flow():
    inner = (
        b'<bpmn:subProcess id="inside"><bpmn:startEvent id="inner_start" />'
        b'<bpmn:sequenceFlow id="leaks" sourceRef="inner_start" targetRef="acknowledge" /></bpmn:subProcess>'
        b'\n    <bpmn:endEvent id="end">'
    )
    [problem] = _problems({"trial_message.bpmn": TRIAL.replace(b'<bpmn:endEvent id="end">', inner, 1)})
    assert (problem["element"], problem["line"]) == ("leaks", 46)
    assert "'acknowledge' (line 9), which is not a step of the flow's own process" in problem["message"]
