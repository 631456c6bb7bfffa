"""The appeal's process drawn (issue 27): an auditor sees the path an escalated, reopened appeal took on
its two diagrams, chooses an event in its history and sees that moment, and runs the audit checks."""

import re

from playwright.sync_api import expect

from ..helpers import escalated_and_reopened
from .accessibility import assert_accessible
from .console import sign_in

APPEAL, ESCALATION = "流程图：诉求办理流程（第 1 版）", "流程图：分级处理流程（第 1 版）"


def element(page, diagram: str, element_id: str):
    """The drawn element (shape or flow) with this BPMN id on the diagram named `diagram`."""
    return page.get_by_role("figure", name=diagram).locator(f'g.djs-element[data-element-id="{element_id}"]')


def overlay(page, diagram: str, element_id: str, kind: str):
    figure = page.get_by_role("figure", name=diagram)
    return figure.locator(f'[data-container-id="{element_id}"] .af-overlay-{kind}')


def _has(marker: str):
    """A class list holding `marker`."""
    return re.compile(rf"(^|\s){marker}(\s|$)")


def drawn(page, diagram: str) -> None:
    expect(page.get_by_role("figure", name=diagram)).to_have_attribute("data-drawn", "true")


def test_an_auditor_sees_the_path_of_an_escalated_reopened_appeal_and_any_moment_of_it(
    page, live_server, as_, screenshot
):
    appeal_id, escalated_seq = escalated_and_reopened(as_)
    sign_in(page, live_server, "auditor")
    page.goto(f"{live_server}/appeals/{appeal_id}")

    drawn(page, APPEAL)
    for passed in ("register", "collate", "feedback", "evaluate", "reopen", "flow_reopen"):
        expect(element(page, APPEAL, passed)).to_have_class(_has("af-passed"))
    expect(element(page, APPEAL, "handle")).to_have_class(_has("af-active"))
    expect(element(page, APPEAL, "close")).not_to_have_class(_has("af-passed"))

    page.get_by_role("tab", name="分级处理流程 · 第 1 版 · 运行 2 次").click()
    drawn(page, ESCALATION)
    for level in ("handle_village", "handle_town", "handle_district"):
        expect(element(page, ESCALATION, level)).to_have_class(_has("af-passed"))
        expect(overlay(page, ESCALATION, level, "count")).to_have_text("×1")
    expect(element(page, ESCALATION, "handle_district")).to_have_class(_has("af-open"))
    expect(overlay(page, ESCALATION, "handle_district", "open")).to_contain_text("D01")
    expect(element(page, ESCALATION, "overdue_district")).to_have_class(_has("af-waiting"))
    expect(overlay(page, ESCALATION, "flow_to_district", "count")).to_have_text("×2")
    assert_accessible(page)
    page.get_by_role("heading", name="办理流程图").evaluate("heading => heading.scrollIntoView()")
    screenshot("appeal-diagram", full_page=False)

    page.locator(f'button.af-event[data-seq="{escalated_seq}"]').click()
    expect(page.locator(".af-moment")).to_have_attribute("data-seq", str(escalated_seq))
    expect(element(page, ESCALATION, "handle_town")).to_have_class(_has("af-open"))
    expect(overlay(page, ESCALATION, "handle_town", "open")).to_contain_text("T01")
    expect(element(page, ESCALATION, "handle_district")).not_to_have_class(_has("af-passed"))
    expect(page.get_by_text("此时下一步办理人所见数据")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="查看当前").click()
    expect(element(page, ESCALATION, "handle_district")).to_have_class(_has("af-open"))
    page.get_by_role("button", name="重放核验").click()
    expect(page.get_by_text("重放一致")).to_be_visible()
    page.get_by_role("button", name="透明日志证明").click()
    expect(page.get_by_text("签名树头")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载审计包").click()
    assert download.value.suggested_filename.endswith("-audit-bundle.json")
