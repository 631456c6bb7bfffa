"""The console's main pages pass axe-core's checks with no violation at all, in Chinese and in English with
<html lang> following the language; the API documentation (Swagger UI's markup) none serious or critical."""

from playwright.sync_api import expect

from tests.helpers import REPORT

from .accessibility import SERIOUS, assert_accessible, violations
from .console import open_appeal_from_my_work, sign_in


def test_sign_in_my_work_and_intake_are_accessible(page, live_server, as_):
    as_("intake").post("/api/v1/appeals", json=REPORT)  # my work has a row to check
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="登录诉求办理工作台")).to_be_visible()
    assert_accessible(page)

    sign_in(page, live_server, "intake")
    expect(page.get_by_role("row").nth(1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="受理登记").click()
    expect(page.get_by_label("诉求标题")).to_be_visible()
    assert_accessible(page)


def test_the_appeal_page_with_its_task_form_is_accessible_in_both_languages(page, live_server, as_):
    appeal = as_("intake").post("/api/v1/appeals", json=REPORT).json
    sign_in(page, live_server, "intake")
    open_appeal_from_my_work(page, str(appeal["id"]), "现场解决")
    expect(page.get_by_role("button", name="完成此步")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.get_by_role("button", name="中文").click()  # the choice is kept in the browser: leave it Chinese


def test_the_api_documentation_page_is_accessible(page, live_server):
    page.goto(live_server + "/api/v1/docs")
    expect(page.get_by_text("/ready").first).to_be_visible()
    assert_accessible(page, SERIOUS)  # Swagger UI's heading levels and its info block outside <main> remain


def test_the_check_can_fail(page, live_server):
    """A page with an unlabelled field and an image without text: the helper names both rules."""
    page.goto(live_server + "/health")
    page.set_content('<html lang="zh-CN"><body><main><input type="text"><img src="x.png"></main></body></html>')
    assert {found["rule"] for found in violations(page, SERIOUS)} >= {"label", "image-alt"}
