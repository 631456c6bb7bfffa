"""What a person does in the console, as Playwright steps by role and label (zh-CN texts)."""

from playwright.sync_api import Page, expect

from appeals.services.demo import DEMO_PASSWORD

#: The role names the console shows beside the signed-in user (from the server's vocabulary.json).
ROLES = {
    "intake": "受理员",
    "station": "服务站工作人员",
    "village": "村级办理人",
    "callback": "回访员",
    "leader": "领导",
    "auditor": "审计员",
    "designer": "流程设计员",
    "admin": "管理员",
}


def sign_in(page: Page, base: str, name: str) -> None:
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="登录诉求办理工作台")).to_be_visible()
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.get_by_text(f"{name}（{ROLES[name]}")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录诉求办理工作台")).to_be_visible()


def open_appeal_from_my_work(page: Page, appeal_id: str, step: str) -> None:
    row = page.get_by_role("row").filter(has_text=f"诉求 {appeal_id}")
    expect(row).to_contain_text(step)
    row.get_by_role("link", name=f"诉求 {appeal_id}").click()
    expect(page.get_by_role("heading", name="当前任务")).to_be_visible()


def complete_step(page: Page, then: str | None = None) -> None:
    """Complete the open task and wait for the page to show the caller's next step `then` (or none)."""
    page.get_by_role("button", name="完成此步").click()
    if then:
        expect(page.get_by_role("heading", name=f"当前任务：{then}", exact=True)).to_be_visible()
    else:
        expect(page.get_by_text("您在此诉求上没有待办任务")).to_be_visible()


def field(page: Page, label: str):
    """The innermost form item whose label says `label`: the field with its errors."""
    return page.locator(".ant-form-item:not(:has(.ant-form-item))").filter(has=page.locator("label", has_text=label))
