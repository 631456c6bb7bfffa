"""The console in a real browser: an appeal from the call to the citizen's evaluation by clicking alone,
each role signing in; errors shown on their fields; a write without the CSRF token refused."""

import re

from playwright.sync_api import expect

from .console import complete_step, field, open_appeal_from_my_work, sign_in, sign_out


def fill_the_call(page, live_server, phone="13800000000") -> None:
    """The intake operator signs in and types a call into the intake screen."""
    sign_in(page, live_server, "intake")
    page.get_by_role("link", name="受理登记").click()
    page.get_by_label("诉求标题").fill("后洼村东门路灯不亮")
    page.get_by_label("诉求描述").fill("东门的路灯已经一周不亮了，晚上很不安全。")
    page.get_by_label("诉求人姓名").fill("王丽")
    page.get_by_label("联系电话").fill(phone)
    page.get_by_label("地址").fill("后洼村东门")


def record_the_call(page) -> str:
    """Record the call typed in; returns the appeal's id (from the appeal page's address)."""
    page.get_by_role("button", name="登记诉求").click()
    expect(page).to_have_url(re.compile(r"/appeals/\d+$"))
    return page.url.rsplit("/", 1)[-1]


def take_the_call(page, live_server) -> str:
    fill_the_call(page, live_server)
    return record_the_call(page)


def test_an_appeal_goes_from_the_call_to_the_evaluation_by_clicking_as_each_role(page, live_server, as_, screenshot):
    appeal_id = take_the_call(page, live_server)
    expect(page.get_by_text("后洼村东门路灯不亮")).to_be_visible()
    expect(page.get_by_text("12345热线")).to_be_visible()
    page.get_by_role("radio", name="否").check()  # not settled on the spot
    complete_step(page, then="登记在册")
    page.get_by_role("radio", name="民生类").check()
    page.get_by_label("诉求摘要").fill("东门路灯一周不亮")
    complete_step(page)
    sign_out(page)

    sign_in(page, live_server, "station")
    open_appeal_from_my_work(page, appeal_id, "汇总梳理")
    page.get_by_label("承办单位代码").fill("V01")
    screenshot("appeal")
    complete_step(page)
    sign_out(page)

    sign_in(page, live_server, "village")
    expect(page.get_by_role("row").filter(has_text=f"诉求 {appeal_id}")).to_contain_text(
        re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
    )  # its due time
    open_appeal_from_my_work(page, appeal_id, "村级办理")
    page.get_by_role("radio", name="已解决").check()
    page.get_by_label("办理说明").fill("已更换东门路灯。")
    complete_step(page)
    sign_out(page)

    sign_in(page, live_server, "station")
    open_appeal_from_my_work(page, appeal_id, "向群众反馈")
    page.get_by_label("答复内容").fill("东门路灯已于今日更换。")
    complete_step(page)
    sign_out(page)

    sign_in(page, live_server, "callback")
    open_appeal_from_my_work(page, appeal_id, "群众评议")
    page.get_by_role("radio", name="满意", exact=True).check()
    complete_step(page)
    expect(page.get_by_text("已办结")).to_be_visible()
    timeline = page.locator(".ant-timeline")
    for text in ("诉求受理", "现场解决", "登记在册", "汇总梳理", "村级办理", "向群众反馈", "群众评议"):
        expect(timeline).to_contain_text(text)
    expect(timeline).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} · callback"))

    closed = as_("auditor").get(f"/api/v1/appeals/{appeal_id}").json
    assert closed["status"] == "closed" and closed["satisfaction"] == "satisfied"
    assert closed["title"] == "后洼村东门路灯不亮" and closed["disposition"] == "resolved"


def test_form_errors_are_shown_on_their_fields_and_what_was_typed_stays(page, live_server, as_, screenshot):
    fill_the_call(page, live_server, phone="无电话")
    page.get_by_role("button", name="登记诉求").click()
    expect(field(page, "联系电话")).to_contain_text("须为电话号码")  # the API's 422, on its field
    expect(page.get_by_label("诉求标题")).to_have_value("后洼村东门路灯不亮")
    assert as_("auditor").get("/api/v1/appeals").json == []
    page.get_by_label("联系电话").fill("13800000000")
    appeal_id = record_the_call(page)
    page.get_by_role("radio", name="否").check()
    complete_step(page, then="登记在册")
    page.get_by_label("诉求摘要").fill("路灯")
    page.get_by_role("button", name="完成此步").click()  # no category: the browser checks the form's schema
    expect(field(page, "诉求类别")).to_contain_text("此项必填")
    page.get_by_role("radio", name="民生类").check()
    complete_step(page)
    sign_out(page)

    sign_in(page, live_server, "station")
    open_appeal_from_my_work(page, appeal_id, "汇总梳理")
    page.get_by_label("承办单位代码").fill("X99")
    page.get_by_role("button", name="完成此步").click()  # a unit only the server knows is unknown
    expect(field(page, "承办单位代码")).to_contain_text("没有这个单位编码")
    expect(page.get_by_label("承办单位代码")).to_have_value("X99")
    screenshot("form-error")
    assert as_("auditor").get(f"/api/v1/appeals/{appeal_id}").json["stage"] == "collate"  # nothing written


def test_the_signed_in_browser_cannot_write_without_the_csrf_token(page, live_server, as_):
    sign_in(page, live_server, "intake")
    status = page.evaluate(
        """() => fetch('/api/v1/appeals', {method: 'POST', headers: {'Content-Type': 'application/json'},
             body: JSON.stringify({title: 't', description: 'd', channel: 'hotline'})}).then(r => r.status)"""
    )
    assert status == 403
    assert as_("auditor").get("/api/v1/appeals").json == []


def test_code_names_come_from_the_server_table_fetched_once_per_language(page, live_server, as_):
    asked = []
    page.on("request", lambda request: "/api/v1/vocabulary" in request.url and asked.append(request.url))
    sign_in(page, live_server, "intake")
    page.get_by_role("link", name="受理登记").click()
    expect(page.get_by_role("radio", name="代表联络站")).to_be_visible()  # the server's name of liaison_station
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("radio", name="Livelihood")).to_be_visible()
    page.get_by_role("link", name="My work").click()
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    assert [url.rsplit("lang=", 1)[-1] for url in asked] == ["zh-CN", "en"]
