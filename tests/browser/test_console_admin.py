"""An administrator manages users in the console: the list, a new user with its one-time set-password link,
the server's refusal of a taken name on its field, the link used by the person, and the user revoked."""

from playwright.sync_api import expect

from .accessibility import assert_accessible
from .console import ROLES, field, sign_in, sign_out


def test_an_admin_adds_a_user_whose_link_sets_a_password_and_then_revokes_them(page, live_server, screenshot):
    sign_in(page, live_server, "admin")
    page.get_by_role("link", name="用户管理").click()
    expect(page.get_by_role("heading", name="用户管理")).to_be_visible()
    for shown in ("村级办理人", "V01 后洼村", "已设置", "在用"):
        expect(user_row(page, "village")).to_contain_text(shown)
    expect(user_row(page, "auditor")).to_contain_text("审计员")
    expect(user_row(page, "admin").get_by_role("button", name="停用")).to_be_disabled()  # not yourself
    assert_accessible(page)

    add_user(page, "village-3")
    shown = page.get_by_role("dialog", name="用户 village-3 的设置密码链接")
    expect(shown).to_contain_text("仅显示这一次")
    expect(shown).to_contain_text("有效期至")
    link = shown.get_by_text(live_server + "/set-password/").inner_text()
    assert_accessible(page)
    screenshot("users", full_page=False)
    shown.get_by_role("button", name="完成").click()
    added = user_row(page, "village-3")
    expect(added).to_contain_text("未设置")

    add_user(page, "village-3")
    expect(field(page, "用户名")).to_contain_text("已被占用")  # the server's 422
    page.get_by_role("button", name="取消").click()

    page.goto(link)
    expect(page.get_by_text("为用户 village-3 设置密码")).to_be_visible()
    page.get_by_label("新密码", exact=True).fill("后洼村新人2026")
    page.get_by_label("再次输入新密码").fill("后洼村新人2026")
    page.get_by_role("button", name="设置密码并登录").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.get_by_text(f"village-3（{ROLES['village']}")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "admin")
    page.get_by_role("link", name="用户管理").click()
    expect(added).to_contain_text("已设置")
    added.get_by_role("button", name="停用").click()
    page.get_by_role("button", name="确认停用").click()
    expect(added).to_contain_text("已停用")
    expect(added.get_by_role("button", name="停用")).to_be_disabled()


def user_row(page, name: str):
    """The users table's row of user `name`."""
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=name, exact=True))


def add_user(page, name: str) -> None:
    """Fill in 新增用户 for a village handler of 后洼村 (V01) and submit it."""
    page.get_by_role("button", name="新增用户").click()
    dialog = page.get_by_role("dialog", name="新增用户")
    dialog.get_by_label("用户名").fill(name)
    choose(page, dialog, "角色", "村级", "村级办理人")
    choose(page, dialog, "所属单位", "V01", "V01 后洼村")
    dialog.get_by_role("button", name="新增", exact=True).click()


def choose(page, dialog, label: str, typed: str, option: str) -> None:
    """Type `typed` into the select `label` of `dialog`, pick `option` from the open dropdown, and wait until
    the select shows it (the dropdown lives outside the form item)."""
    dialog.get_by_role("combobox", name=label).fill(typed)
    page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter(
        has_text=option
    ).click()
    expect(field(page, label)).to_contain_text(option)
