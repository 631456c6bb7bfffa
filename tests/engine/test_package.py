"""Packages are checked before anything is deployed; every problem is named with file, element and line."""

from pathlib import Path

import pytest

from engine import InvalidPackage
from engine.package import content_hash, files_from_upload, parse_package

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLED = {p.name: p.read_bytes() for folder in ("processes", "forms") for p in (ROOT / folder).iterdir()}
TRIAL = (ROOT / "tests" / "models" / "trial_message.bpmn").read_bytes()


def _problems(files, **kwargs):
    with pytest.raises(InvalidPackage) as refused:
        parse_package(files, **kwargs)
    return refused.value.details


def test_the_bundled_package_parses_with_no_warnings():
    package = parse_package(
        BUNDLED,
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


def test_every_error_is_reported_at_once():
    bpmn = TRIAL.replace(
        b"<bpmn:outgoing>flow_total_end</bpmn:outgoing>", b"<bpmn:outgoing>flow_nowhere</bpmn:outgoing>"
    )
    problems = _problems({"trial.bpmn": bpmn, "bad.schema.json": b'{"type": 12}', "notes.txt": b"hello"})
    messages = " | ".join(p["message"] for p in problems)
    assert "flow_nowhere" in messages and "not a valid JSON Schema" in messages and "unknown file type" in messages
    assert next(p for p in problems if "flow_nowhere" in p["message"])["element"] == "total"


def test_expressions_the_sandbox_refuses_are_errors_with_element_and_line():
    bpmn = TRIAL.replace(b"total = sum(amounts)", b"total = ().__class__.__base__")
    problem = _problems({"trial.bpmn": bpmn})[0]
    assert problem["element"] == "total" and problem["file"] == "trial.bpmn" and problem["line"] > 0
    assert "sandbox" in problem["message"]


def test_document_type_declarations_are_refused_before_parsing():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><definitions>&lol;</definitions>'
    assert "document type" in _problems({"bomb.bpmn": bomb})[0]["message"]


def test_a_missing_form_is_a_warning_except_where_forms_are_required():
    assert [w.element for w in parse_package({"trial.bpmn": TRIAL}).warnings] == ["acknowledge"]
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
