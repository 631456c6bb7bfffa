"""A one-time set-password link opened in the browser without signing in: the server's length rule shown
on its field, then the password set and the person signed in; the used link then says so."""

from playwright.sync_api import expect

from .accessibility import assert_accessible
from .console import ROLES


def test_a_person_sets_their_password_through_the_link_and_is_signed_in_once(page, live_server, as_):
    link = as_("admin").post("/api/v1/users/village/password-link").json
    page.goto(live_server + link["path"])
    expect(page.get_by_role("heading", name="设置登录密码")).to_be_visible()
    expect(page.get_by_text("为用户 village 设置密码")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("新密码", exact=True).fill("short")
    page.get_by_label("再次输入新密码").fill("short")
    page.get_by_role("button", name="设置密码并登录").click()
    expect(page.get_by_text("密码长度须为 8 至 200 个字符")).to_be_visible()  # the server's 422, on its field

    page.get_by_label("新密码", exact=True).fill("晨光路灯2026")
    page.get_by_label("再次输入新密码").fill("晨光路灯2026")
    page.get_by_role("button", name="设置密码并登录").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.get_by_text(f"village（{ROLES['village']}")).to_be_visible()
    expect(page).to_have_url(live_server + "/tasks")

    page.goto(live_server + link["path"])
    expect(page.get_by_role("alert")).to_contain_text("此设置密码链接已使用过")
    page.get_by_role("link", name="前往登录").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()  # still signed in from the link


def test_an_unknown_link_says_so_and_leads_to_sign_in(page, live_server, tokens):
    page.goto(live_server + "/set-password/not-a-real-token")
    expect(page.get_by_role("alert")).to_contain_text("设置密码链接无效")
    assert_accessible(page)
    page.get_by_role("link", name="前往登录").click()
    expect(page.get_by_role("heading", name="登录诉求办理工作台")).to_be_visible()
