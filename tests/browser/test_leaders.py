"""The leaders' screens in a real browser: a handler asks for more time, a leader approves it and the
handler sees the new limit on the task; the dashboard draws the API's figures; the supervision queue
claims, instructs and reminds; the monthly study downloads."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from ..helpers import complete, report, task, to_handling
from .accessibility import assert_accessible
from .console import open_appeal_from_my_work, sign_in, sign_out

CITY = ZoneInfo("Asia/Shanghai")


def _local_day(moment: str) -> date:
    return datetime.fromisoformat(moment).astimezone(CITY).date()


def test_a_leader_approves_an_extension_and_the_handler_sees_the_new_limit(page, live_server, as_):
    appeal = report(as_, title="后洼村东门路灯不亮")
    to_handling(as_, appeal["id"], unit="V01")
    until = _local_day(task(as_, "village", appeal["id"], "handle_village")["due_at"]) + timedelta(days=7)

    sign_in(page, live_server, "village")
    open_appeal_from_my_work(page, str(appeal["id"]), "村级办理")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("此项必填")).to_have_count(2)  # nothing sent without the day and the reason
    page.get_by_label("延期至（当日 24 时）").fill(until.isoformat())
    page.get_by_label("延期至（当日 24 时）").press("Enter")
    page.get_by_label("延期理由").fill("灯杆配件下周才到货")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text(f"已申请延期至 {until} 23:59，待审批")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "leader")
    page.get_by_role("link", name="延期审批").click()
    row = page.get_by_role("row").filter(has_text=appeal["number"])
    expect(row).to_contain_text("灯杆配件下周才到货")
    expect(row).to_contain_text(f"{until} 23:59")
    assert_accessible(page)
    row.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_text("暂无待审批的延期申请")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "village")
    open_appeal_from_my_work(page, str(appeal["id"]), "村级办理")
    current = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="当前任务：村级办理"))
    expect(current).to_contain_text(f"{until} 23:59")  # the task's new limit, the end of that day in Beijing
    moved = task(as_, "village", appeal["id"], "handle_village")["due_at"]
    assert _local_day(moved) == until and moved.endswith("15:59:59+00:00")


def _city_with_appeals(as_) -> dict:
    """Three appeals this month: one settled and evaluated, one in handling, one at supervision."""
    settled = report(as_, title="咨询社保办理地点", category="consultation")
    complete(as_, "intake", settled["id"], "resolve_on_site", {"resolved": True, "reply": "已当场答复。"})
    complete(as_, "station", settled["id"], "feedback", {"message": "已当场答复。"})
    complete(as_, "callback", settled["id"], "evaluate", {"satisfaction": "satisfied"})
    handling = report(as_, title="滨河路井盖缺失")
    to_handling(as_, handling["id"], unit="V01")
    supervised = report(as_, title="新华社区噪音扰民反复投诉")
    to_handling(as_, supervised["id"], unit="D01")
    complete(as_, "district", supervised["id"], "handle_district", {"outcome": "escalate", "note": "需领导协调"})
    return supervised


def test_the_dashboard_draws_the_figures_the_api_gives_and_the_study_downloads(page, live_server, as_, screenshot):
    _city_with_appeals(as_)
    month = datetime.now(CITY).strftime("%Y-%m")
    stats = as_("leader").get(f"/api/v1/stats?period={month}").json
    assert stats["collected"] == 3 and stats["settled"] == 1

    sign_in(page, live_server, "leader")
    page.get_by_role("link", name="领导看板").click()
    expect(page.get_by_role("heading", name="领导看板")).to_be_visible()
    rate = page.locator(".ant-statistic").filter(has_text="办结率")
    expect(rate).to_contain_text(f"{stats['settlement_rate'] * 100:.2f}%")
    expect(page.locator(".ant-statistic").filter(has_text="受理数")).to_contain_text("3")
    ranking = page.get_by_role("figure", name="单位排名（综合得分）")
    scored = [card["name"] for card in stats["units"] if card["score"] is not None]
    assert scored
    for name in scored:
        expect(ranking.locator("svg")).to_contain_text(name)  # drawn by ECharts, as SVG text
    expect(page.get_by_role("figure", name="每周趋势").locator("svg")).to_be_visible()
    categories = page.get_by_role("figure", name="高频诉求 · 按类别")
    expect(categories.locator("svg")).to_contain_text("咨询类")
    assert_accessible(page)
    screenshot("dashboard")

    village = as_("leader").get(f"/api/v1/stats?period={month}&unit=V01").json
    assert village["collected"] != stats["collected"]  # so the figures below show the choice took
    page.get_by_label("单位范围").click()
    page.get_by_title("后洼村（V01）").click()
    expect(page.locator(".ant-statistic").filter(has_text="受理数")).to_contain_text(str(village["collected"]))

    with page.expect_download() as download:
        page.get_by_role("link", name="下载月度研判").click()
    assert download.value.suggested_filename == f"monthly-report-{month}.html"
    assert "群众诉求月度研判" in open(download.value.path(), encoding="utf-8").read()


def test_the_supervision_queue_claims_instructs_and_reminds(page, live_server, as_, screenshot):
    supervised = _city_with_appeals(as_)
    sign_in(page, live_server, "leader")
    page.get_by_role("link", name="督办").click()
    queue = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="待督办诉求"))
    row = queue.get_by_role("row").filter(has_text=supervised["number"])
    expect(row).to_contain_text("领导督办")

    row.get_by_role("button", name="认领", exact=True).click()
    expect(row).to_contain_text("leader")  # claimed by the leader, who may now release it
    expect(row.get_by_role("button", name="释放认领")).to_be_visible()
    claims = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="领导认领"))
    expect(claims.get_by_role("row").filter(has_text=supervised["number"])).to_contain_text("办理中")

    row.get_by_role("button", name="批示").click()
    dialog = page.get_by_role("dialog", name="批示")
    expect(dialog).to_be_visible()  # open, and not still opening, before it is sent empty
    dialog.get_by_role("button", name="发送").click()
    expect(dialog.get_by_text("此项必填")).to_be_visible()
    page.get_by_label("批示内容").fill("请新华社区三日内约谈商户并反馈。")
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_text("批示已发送")).to_be_visible()
    row.get_by_role("button", name="催办").click()
    page.get_by_label("催办事项").fill("请尽快处理")
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_text("已催办", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot("supervision")

    page.goto(f"{live_server}/appeals/{supervised['id']}")  # the instruction is on the appeal's page
    instructions = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="领导批示"))
    expect(instructions).to_contain_text("请新华社区三日内约谈商户并反馈。")
    expect(instructions).to_contain_text("leader 批示于")
    assert_accessible(page)

    seen = as_("auditor").get(f"/api/v1/appeals/{supervised['id']}").json
    assert seen["claimed_by"] == "leader"
    assert [i["text"] for i in seen["instructions"]] == ["请新华社区三日内约谈商户并反馈。"]
    types = [e["type"] for e in as_("auditor").get(f"/api/v1/appeals/{supervised['id']}/history").json]
    assert {"claimed", "instruction", "manual_reminder"} <= set(types)
