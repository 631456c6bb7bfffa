"""The designers' workbench in a real browser: a dropped package's problems marked on the elements at fault,
two versions compared on their drawings and rule by rule, a running appeal moved to a new version."""

import io
import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from ..designer_packages import THREE_PROBLEMS, with_feedback_renamed, with_livelihood_in, with_three_problems, written
from ..helpers import report, task, to_handling
from .accessibility import assert_accessible
from .console import sign_in

MODELS = Path(__file__).resolve().parents[1] / "models"


def _deploy(as_, files: dict[str, bytes]) -> None:
    uploads = [(io.BytesIO(content), name) for name, content in files.items()]
    deployed = as_("designer").post("/api/v1/processes", data={"files": uploads}, content_type="multipart/form-data")
    assert deployed.status_code == 201, deployed.json


def _settled(page: Page) -> None:
    """Wait for every drawing and table to be done loading (bpmn-js takes seconds on a busy machine)."""
    expect(page.locator(".ant-spin-spinning, .ant-spin-blur")).to_have_count(0, timeout=30_000)


def _open_workbench(page: Page, base: str) -> None:
    sign_in(page, base, "designer")
    page.get_by_role("link", name="流程设计").click()
    expect(page.get_by_role("heading", name="流程设计工作台")).to_be_visible()


def _open_process(page: Page, base: str, process_id: str, tab: str) -> None:
    _open_workbench(page, base)
    page.get_by_role("link", name=process_id, exact=True).click()
    expect(page.get_by_role("heading", name=f"流程 {process_id}")).to_be_visible()
    page.get_by_role("tab", name=tab, exact=True).click()


#: The flow with a typo'd targetRef, with the steps it was meant to join.
UNDRAWN_FLOWS = {"flow_register_limit": ("register", "reply_limit")}


def _union(a: dict, b: dict) -> dict:
    x, y = min(a["x"], b["x"]), min(a["y"], b["y"])
    return {
        "x": x,
        "y": y,
        "width": max(a["x"] + a["width"], b["x"] + b["width"]) - x,
        "height": max(a["y"] + a["height"], b["y"] + b["height"]) - y,
    }


def _overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_a_designer_drops_a_package_with_three_problems_and_sees_each_marked_on_its_element(
    page, live_server, tmp_path, screenshot
):
    _open_workbench(page, live_server)
    page.locator("input[type=file]").set_input_files(written(with_three_problems(), tmp_path / "package"))
    page.get_by_role("button", name="检查").click()
    expect(page.get_by_text("流程包有 3 处错误，不能部署")).to_be_visible()
    rows = page.get_by_role("row").filter(has=page.get_by_text("错误", exact=True))
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="flow_register_limit")).to_contain_text("是否应为“reply_limit”")

    expect(page.locator(".designer-badge-error")).to_have_count(3)
    for file, element in THREE_PROBLEMS:
        drawing = page.get_by_role("figure").filter(has=page.get_by_text(file, exact=True))
        badge = drawing.locator(f'.designer-badge-error[data-element-id="{element}"]')
        expect(badge).to_be_visible()
        if element in UNDRAWN_FLOWS:  # bpmn-js cannot draw a flow to nothing: the badge sits between its ends
            source, target = (
                drawing.locator(f'g.djs-element[data-element-id="{end}"]') for end in UNDRAWN_FLOWS[element]
            )
            assert _overlaps(badge.bounding_box(), _union(source.bounding_box(), target.bounding_box())), element
            continue
        shape = drawing.locator(f'g.djs-element[data-element-id="{element}"]')
        expect(shape).to_have_class(re.compile("designer-error"))
        assert _overlaps(badge.bounding_box(), shape.bounding_box()), element  # the badge sits on its element
    page.mouse.move(0, 0)  # axe would read the hovered button's colour, which antd lightens
    _settled(page)
    assert_accessible(page)
    screenshot("designer-workbench")


def test_the_diff_shows_a_changed_rule_old_beside_new_and_colours_the_changed_steps(page, live_server, as_, screenshot):
    _deploy(as_, with_livelihood_in(5))
    _open_process(page, live_server, "appeal", "版本")
    newest = page.get_by_role("row").filter(has_text="第 2 版")
    expect(newest.get_by_role("link", name="编辑", exact=True)).to_have_attribute(
        "href", "/processes/appeal/versions/2/edit"
    )
    expect(
        page.get_by_role("figure").filter(has_text="第 2 版").locator('g[data-element-id="feedback"]')
    ).to_be_visible()
    page.get_by_role("tab", name="版本对比").click()
    rule = page.get_by_role("row").filter(has_text="reply_livelihood")
    expect(rule).to_contain_text("修改")
    expect(rule.locator("del")).to_have_text("7")
    expect(rule.locator("ins")).to_have_text("5")
    new = page.get_by_role("figure").filter(has=page.get_by_text("第 2 版", exact=True))
    for step in ("feedback", "reply_limit"):
        expect(new.locator(f'g.djs-element[data-element-id="{step}"]')).to_have_class(re.compile("designer-changed"))
    expect(page.get_by_text("表单 feedback.schema.json：原版本与新版本对照")).to_be_visible()
    expect(page.get_by_text('"title": "Message to the citizen"')).to_be_visible()
    _settled(page)
    assert_accessible(page)
    screenshot("designer-diff")


def test_a_running_appeal_is_moved_to_the_new_version_from_the_browser_and_keeps_its_due_times(page, live_server, as_):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    before = task(as_, "village", appeal["id"], "handle_village")
    _deploy(as_, with_feedback_renamed())

    _open_process(page, live_server, "appeal", "迁移")
    row = page.get_by_role("row").filter(has_text=appeal["number"])
    expect(row).to_contain_text("可以迁移")
    _settled(page)
    assert_accessible(page)
    row.get_by_role("checkbox", name=f"选择 {appeal['number']}").check()
    page.get_by_role("button", name="迁移所选（1）").click()
    expect(page.get_by_text("已迁移 1 / 1 个实例")).to_be_visible()
    expect(page.get_by_text("其他版本上没有运行中的实例")).to_be_visible()

    after = task(as_, "village", appeal["id"], "handle_village")
    assert after["due_at"] == before["due_at"]
    assert as_("village").get(f"/api/v1/appeals/{appeal['id']}").json["process"] == {"id": "appeal", "version": 2}


def test_a_trial_instance_is_started_worked_and_followed_on_its_drawing(page, live_server, as_, screenshot):
    amount = {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "integer", "title": "金额"}}}
    _deploy(
        as_,
        {
            "trial_drawn.bpmn": (MODELS / "trial_drawn.bpmn").read_bytes(),
            "amount.schema.json": json.dumps(amount).encode(),
        },
    )
    _open_process(page, live_server, "trial_drawn", "试运行")
    page.get_by_role("button", name="启动试运行").click()
    trial = page.locator(".ant-card").filter(has=page.get_by_text(re.compile(r"^试运行实例 \d+$")))
    drawing = trial.get_by_role("figure")
    expect(drawing.locator('g.djs-element[data-element-id="enter_amount"]')).to_have_class(
        re.compile("designer-current")
    )

    trial.get_by_label("金额").fill("120")
    trial.get_by_role("button", name="完成此步").click()
    expect(drawing.locator('g.djs-element[data-element-id="approved"]')).to_have_class(re.compile("designer-current"))
    expect(drawing.locator('g.djs-element[data-element-id="enter_amount"]')).not_to_have_class(
        re.compile("designer-current")
    )
    page.mouse.move(0, 0)
    _settled(page)
    assert_accessible(page)
    screenshot("designer-trial")

    trial.get_by_role("combobox", name="消息名称").click()
    page.locator(".ant-select-item-option").filter(has_text="approval").click()
    trial.get_by_role("button", name="发送").click()
    expect(trial.get_by_text("已结束")).to_be_visible()
