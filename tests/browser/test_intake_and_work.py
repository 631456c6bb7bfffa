"""Intake and My work in a real browser: a confidential appeal keeps its reporter from the handler, possible
duplicates are offered while a call is typed, My work's filters narrow the list, and a stale page says who
completed the task and reloads."""

import re

from playwright.sync_api import expect

from appeals.services.users import add_user

from ..helpers import complete, report, task, to_handling
from .console import open_appeal_from_my_work, sign_in, sign_out

#: An appeal already open in Houwa, which a new call about the same lamp repeats.
LAMP = {
    "title": "后洼村东门路灯不亮",
    "channel": "hotline",
    "reporter": {"name": "王丽", "phone": "13800000000"},
    "location": {"address": "后洼村东门", "lat": 37.52, "lon": 111.14},
}


def test_a_confidential_appeal_shows_no_reporter_to_a_handler(page, live_server, as_):
    sign_in(page, live_server, "intake")
    page.get_by_role("link", name="受理登记").click()
    page.get_by_label("诉求标题").fill("举报村口违规搭建")
    page.get_by_label("诉求描述").fill("村口有人违规搭建棚屋，请核实处理。")
    page.get_by_label("诉求人姓名").fill("赵敏")
    page.get_by_label("联系电话").fill("13911112222")
    page.get_by_label("纬度").fill("37.5201")
    page.get_by_label("经度").fill("111.1402")
    page.get_by_role("switch", name="保密").click()
    page.get_by_role("button", name="登记诉求").click()
    expect(page).to_have_url(re.compile(r"/appeals/\d+$"))
    appeal_id = int(page.url.rsplit("/", 1)[-1])
    expect(page.get_by_text("赵敏 13911112222")).to_be_visible()  # intake calls the citizen back: in full
    recorded = as_("auditor").get(f"/api/v1/appeals/{appeal_id}").json
    assert recorded["confidential"] is True and recorded["location"]["lat"] == 37.5201
    to_handling(as_, appeal_id, unit="V01")
    sign_out(page)

    sign_in(page, live_server, "village")
    open_appeal_from_my_work(page, str(appeal_id), "村级办理")
    expect(page.get_by_text("举报村口违规搭建")).to_be_visible()
    reporter = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="诉求人", exact=True))
    expect(reporter).to_contain_text("保密")
    content = page.content()
    assert "赵敏" not in content and "1391" not in content and "2222" not in content


def test_possible_duplicates_are_offered_while_a_call_is_typed(page, live_server, as_, screenshot):
    earlier = report(as_, **LAMP, description="东门的路灯已经一周不亮了。")
    elsewhere = report(as_, title="新华社区垃圾清运不及时", description="垃圾堆了三天。", location={"address": "新华"})
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    sign_in(page, live_server, "intake")
    page.get_by_role("link", name="受理登记").click()
    suggestions = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="可能重复的诉求"))
    expect(suggestions).to_contain_text("暂未发现相近的在办诉求")
    page.get_by_label("联系电话").fill("13800000000")
    expect(suggestions.get_by_role("link", name=f"打开 {earlier['number']}")).to_be_visible()
    expect(suggestions).to_contain_text("同一电话")
    page.get_by_label("诉求标题").fill("东门路灯不亮")
    page.get_by_label("地址").fill("后洼村东门口")
    expect(suggestions).to_contain_text("地址相同或相近")
    expect(suggestions).to_contain_text("标题相近")
    expect(suggestions).not_to_contain_text(elsewhere["number"])
    expect(suggestions).not_to_contain_text("13800000000")  # the phone is matched, never shown back
    assert not [url for url in urls if "13800000000" in url or "%E4%B8%9C%E9%97%A8" in url]  # 东门: not in URLs
    screenshot("intake")
    with page.expect_popup() as opened:
        suggestions.get_by_role("link", name=f"打开 {earlier['number']}").click()
    expect(opened.value.get_by_text("东门的路灯已经一周不亮了。")).to_be_visible()
    expect(page.get_by_label("诉求标题")).to_have_value("东门路灯不亮")  # nothing typed is lost


def _pick(page, label: str, option: str) -> None:
    """Choose `option` in the antd select labelled `label`."""
    page.get_by_label(label).click()
    page.get_by_title(option, exact=True).last.click()


def test_my_work_filters_and_search_narrow_the_list(page, live_server, as_, screenshot):
    lamp = report(as_, **LAMP, description="东门的路灯不亮。")
    noise = report(as_, title="广场舞噪音扰民", description="每晚十点后仍有音乐。", channel="message_board")
    to_handling(as_, lamp["id"], unit="V01", category="livelihood")
    to_handling(as_, noise["id"], unit="V01", category="complex")
    note = {"note": "请尽快处理", "task": task(as_, "village", noise["id"])["id"]}
    assert as_("station").post(f"/api/v1/appeals/{noise['id']}/reminders", json=note).status_code == 201
    sign_in(page, live_server, "village")
    rows = page.get_by_role("row").filter(has_text="村级办理")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="广场舞噪音扰民")).to_contain_text("已催办")  # the reminded task is marked
    screenshot("my-work")

    _pick(page, "类别", "复杂类")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("广场舞噪音扰民")
    _pick(page, "渠道", "12345热线")  # filters combine: no complex matter came by the hotline
    expect(page.get_by_text("暂无待办事项")).to_be_visible()

    page.reload()
    _pick(page, "渠道", "12345热线")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("后洼村东门路灯不亮")
    page.reload()
    expect(rows).to_have_count(2)
    page.get_by_label("搜索编号或标题").fill(lamp["number"])
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("后洼村东门路灯不亮")
    page.get_by_label("搜索编号或标题").fill("噪音")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(noise["number"])
    page.get_by_label("搜索编号或标题").fill("没有这样的诉求")
    expect(page.get_by_text("暂无待办事项")).to_be_visible()


def test_a_stale_page_says_who_completed_the_task_and_reloads(page, live_server, as_, runtime, app):
    appeal = report(as_, **LAMP, description="东门的路灯不亮。")
    to_handling(as_, appeal["id"], unit="V01")
    sign_in(page, live_server, "village")
    open_appeal_from_my_work(page, str(appeal["id"]), "村级办理")
    page.get_by_role("radio", name="已解决").check()
    page.get_by_label("办理说明").fill("已更换东门路灯。")

    _, token = add_user(runtime.uow(), name="李村干", role="village", unit="V01")  # behind the page's back
    colleague = app.test_client()
    taken = task(as_, "village", appeal["id"], "handle_village")
    answer = colleague.post(
        f"/api/v1/tasks/{taken['id']}/complete",
        json={"data": {"outcome": "resolved", "note": "换好了"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200

    page.get_by_role("button", name="完成此步").click()
    warning = page.get_by_role("alert").filter(has_text="页面已刷新")
    said = re.compile(r"任务“村级办理”已由 李村干 于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 办理完毕")
    expect(warning).to_contain_text(said)
    expect(page.get_by_text("您在此诉求上没有待办任务")).to_be_visible()  # reloaded: the task is gone
    expect(page.locator(".ant-timeline")).to_contain_text("李村干")


def test_a_handler_returns_a_wrongly_dispatched_appeal_to_collation(page, live_server, as_):
    appeal = report(as_, **LAMP, description="东门的路灯不亮。")
    to_handling(as_, appeal["id"], unit="V01")
    sign_in(page, live_server, "village")
    open_appeal_from_my_work(page, str(appeal["id"]), "村级办理")
    page.get_by_role("button", name="退回汇总梳理").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="确认退回").click()
    expect(dialog).to_contain_text("此项必填")  # a return needs its reason
    dialog.get_by_label("退回理由").fill("路灯属街道照明合同，不归本村")
    dialog.get_by_role("button", name="确认退回").click()
    expect(page.get_by_text("您在此诉求上没有待办任务")).to_be_visible()
    assert as_("auditor").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "collate"
    complete(as_, "station", appeal["id"], "collate", {"unit": "V01"})  # the station dispatches it again
