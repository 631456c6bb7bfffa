"""A designer edits in the console (/processes/{id}/versions/{v}/edit) and never leaves it: a time limit
changed in the DMN table, a task renamed and its handling unit changed in the modeler, each saved as a new
version that new appeals run on."""

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from ..helpers import complete, report, task
from .accessibility import SERIOUS, assert_accessible
from .console import sign_in


def _edit_page(page, live_server, version: int) -> None:
    sign_in(page, live_server, "designer")
    page.goto(f"{live_server}/processes/appeal/versions/{version}/edit")
    expect(page.get_by_role("heading", name=f"编辑流程 appeal · 第 {version} 版")).to_be_visible()


def _save(page, version: int) -> None:
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_text(f"已部署为第 {version} 版，新诉求将使用此版本")).to_be_visible()


def _type_in(cell, text: str) -> None:
    """Replace what a decision table cell holds: its text box (contenteditable) filled as typed."""
    box = cell.get_by_role("textbox")
    box.click()
    box.fill(text)


def _register(as_, appeal_id: int) -> dict:
    complete(as_, "intake", appeal_id, "resolve_on_site", {"resolved": False})
    return complete(as_, "intake", appeal_id, "register", {"category": "livelihood", "summary": "路灯不亮"})


def test_a_time_limit_changed_in_the_decision_table_is_deployed_and_new_appeals_use_it(
    page, live_server, as_, screenshot
):
    before = report(as_, title="滨河路路灯不亮")  # starts on version 1: 7 working days for livelihood
    _edit_page(page, live_server, 1)
    page.get_by_role("tab", name="time_limits.dmn").click()
    cell = page.locator('td[data-element-id="reply_livelihood_out0"]')
    expect(cell).to_have_text("7")
    assert_accessible(page, SERIOUS)  # dmn-js's table leaves its row-number column's header empty (minor)
    screenshot("designer-dmn")

    _type_in(cell, "10 +")  # not an expression: the checks refuse it, naming the cell
    page.get_by_role("button", name="保存为新版本").click()
    refusal = page.get_by_role("alert").filter(has_text="未通过检查，未部署")
    expect(refusal.get_by_role("row").filter(has_text="reply_livelihood_out0")).to_contain_text("time_limits.dmn")
    assert_accessible(page, SERIOUS)
    _type_in(cell, "10")
    expect(refusal).to_have_count(0)  # the edit is in the model: the refusal of what it was is gone
    expect(cell.get_by_role("textbox")).to_have_text("10")
    _save(page, 2)

    dmn = as_("designer").get("/api/v1/processes/appeal/versions/2/files/time_limits.dmn").text
    assert re.search(r'id="reply_livelihood_out0">\s*<text>10</text>', dmn), dmn
    after = report(as_, title="后洼村路灯不亮")
    assert after["process"] == {"id": "appeal", "version": 2}
    old_deadline = datetime.fromisoformat(_register(as_, before["id"])["deadline"])
    new_deadline = datetime.fromisoformat(_register(as_, after["id"])["deadline"])
    # three more working days, registered the same moment: at least three days later, at most a holiday more
    assert timedelta(days=3) <= new_deadline - old_deadline <= timedelta(days=12), (old_deadline, new_deadline)


def test_a_task_renamed_and_given_another_unit_in_the_modeler_is_what_new_appeals_run(
    page, live_server, as_, screenshot
):
    _edit_page(page, live_server, 1)
    page.get_by_role("tab", name="escalation.bpmn").click()  # every diagram of the package opens
    expect(page.locator('g.djs-shape[data-element-id="supervise"]')).to_be_attached()
    page.get_by_role("tab", name="appeal.bpmn").click()
    panel = page.get_by_role("tabpanel", name="appeal.bpmn").get_by_test_id("properties-panel")
    page.locator('g.djs-shape[data-element-id="prepare"]').click()
    expect(panel.locator("#bio-properties-panel-appealflow-script")).to_have_value(re.compile(r"^max_reopens = 2\n"))
    page.locator('g.djs-shape[data-element-id="resolve_on_site"]').click()
    expect(panel.locator("#bio-properties-panel-appealflow-formJsonSchemaFilename")).to_have_value(
        "resolve_on_site.schema.json"
    )
    groups = panel.locator("#bio-properties-panel-appealflow-candidateGroups")
    expect(groups).to_have_value("intake_unit")
    assert_accessible(page)
    screenshot("designer-modeler")

    panel.locator("#bio-properties-panel-name").fill("当场化解")
    groups.fill('"G01"')
    groups.press("Tab")
    panel.locator("#bio-properties-panel-appealflow-formUiSchemaFilename").select_option("")  # removed
    panel.locator("#bio-properties-panel-appealflow-preScript").fill("checked_on_site = True")  # added
    expect(page.get_by_text("已修改：appeal.bpmn")).to_be_visible()
    _save(page, 2)

    designer = as_("designer")
    saved = designer.get("/api/v1/processes/appeal/versions/2/files/appeal.bpmn").text
    first = designer.get("/api/v1/processes/appeal/versions/1/files/appeal.bpmn").text
    changes = {"<spiffworkflow:property ": -1, "<spiffworkflow:preScript>": 1, "<spiffworkflow:calledDecisionId>": 0}
    for extension, more in changes.items():
        assert saved.count(extension) == first.count(extension) + more, extension  # the rest of Spiff's kept
    on_the_spot = saved[saved.index('<bpmn:userTask id="resolve_on_site" name="当场化解"') :].split("</bpmn:userTask>")[
        0
    ]
    assert "<spiffworkflow:preScript>checked_on_site = True</spiffworkflow:preScript>" in on_the_spot
    assert "formUiSchemaFilename" not in on_the_spot and "formJsonSchemaFilename" in on_the_spot
    fresh = report(as_, title="新华社区垃圾未清运")
    assert fresh["process"] == {"id": "appeal", "version": 2}
    assert task(as_, "intake", fresh["id"], "resolve_on_site")["unit"] == "G01"  # was the intake's own, V01
