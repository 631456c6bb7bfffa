"""The bell: a reminder (催办) sent to a unit shows as one unread notification for that unit's user; opening
it goes to its appeal and marks it read; "mark all read" clears the rest."""

from playwright.sync_api import expect

from tests.helpers import report, to_handling

from .accessibility import assert_accessible
from .console import sign_in


def bell(page, unread: int):
    return page.get_by_role("button", name=f"通知（{unread} 条未读）")


def test_a_reminder_rings_the_bell_of_its_unit_and_reading_it_brings_it_back_to_zero(
    page, live_server, as_, screenshot
):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    sign_in(page, live_server, "village")
    expect(bell(page, 0)).to_be_visible()

    sent = as_("station").post(f"/api/v1/appeals/{appeal['id']}/reminders", json={"note": "请今天联系群众"})
    assert sent.status_code == 201, sent.json
    page.get_by_role("link", name=f"诉求 {appeal['id']}").click()  # the count is asked again on every page
    expect(bell(page, 1)).to_be_visible()
    expect(page.locator(".ant-badge-count")).to_have_text("1")

    bell(page, 1).click()
    drawer = page.get_by_role("dialog", name="通知")
    notice = drawer.get_by_role("button").filter(has_text="催办：诉求")
    expect(notice).to_contain_text("请今天联系群众")  # the server's Chinese text
    expect(notice).to_contain_text("未读")
    assert_accessible(page)
    screenshot("notifications", full_page=False)
    notice.click()
    expect(page).to_have_url(f"{live_server}/appeals/{appeal['id']}")
    expect(bell(page, 0)).to_be_visible()
    assert as_("village").get("/api/v1/notifications/unread-count").json == {"unread": 0}

    as_("leader").post(f"/api/v1/appeals/{appeal['id']}/reminders", json={"note": "周五前报告"})
    page.get_by_role("link", name="返回我的待办").click()
    bell(page, 1).click()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_role("dialog", name="通知").get_by_text("未读", exact=True)).to_have_count(0)
    expect(bell(page, 0)).to_be_visible()
    assert as_("village").get("/api/v1/notifications/unread-count").json == {"unread": 0}
