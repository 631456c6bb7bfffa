"""Attachments in a real browser: a handler attaches a photo as the proof of a fix on the appeal page,
sees a file of the wrong type and one too big refused with the reason, completes the step, and the photo
stays shown; the audit bundle holds the photo's SHA-256 and verifies offline."""

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from ..helpers import report, to_handling
from .console import complete_step, open_appeal_from_my_work, sign_in

ROOT = Path(__file__).resolve().parents[2]


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 140, 70)).save(out, "PNG")
    return out.getvalue()


def noise() -> bytes:
    """A PNG that does not compress: 123 kB."""
    out = io.BytesIO()
    Image.effect_noise((350, 350), 60).save(out, "PNG")
    return out.getvalue()


def attach(page, name: str, data: bytes) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="上传办理凭证").click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "image/png", "buffer": data}])


def test_a_photo_attached_at_completion_is_shown_on_the_appeal_and_covered_by_the_audit_bundle(
    page, live_server, app, as_, screenshot, tmp_path
):
    appeal_id = str(report(as_)["id"])
    to_handling(as_, int(appeal_id), unit="V01")
    proof = photo()

    sign_in(page, live_server, "village")
    open_appeal_from_my_work(page, appeal_id, "村级办理")
    panel = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="附件"))
    expect(panel).to_contain_text("暂无附件")

    attach(page, "路灯.jpg", proof)  # a PNG named .jpg: refused, with the reason, and nothing kept
    expect(page.get_by_role("alert")).to_contain_text("文件内容与扩展名 .jpg 不符")
    app.config["ATTACHMENT_MAX_BYTES"] = 100_000
    attach(page, "大图.png", noise())
    expect(page.get_by_role("alert")).to_contain_text("文件超过 0.1 MB 的上限")
    expect(panel).to_contain_text("暂无附件")

    attach(page, "更换后的路灯.png", proof)
    thumbnail = panel.get_by_role("img", name="更换后的路灯.png")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.naturalWidth") == 320  # fetched with the session cookie alone
    expect(panel).to_contain_text("环节：村级办理")
    expect(panel).to_contain_text("上传人：village")
    page.get_by_role("radio", name="已解决").check()
    page.get_by_label("办理说明").fill("已更换东门路灯，见照片。")
    complete_step(page)
    expect(panel.get_by_role("img", name="更换后的路灯.png")).to_be_visible()
    expect(page.locator(".ant-timeline")).to_contain_text("上传附件 · 村级办理")
    expect(page.locator(".ant-message-notice")).to_have_count(0)  # the toasts gone: a clear screenshot
    screenshot("attachments")

    original = panel.get_by_role("link", name="更换后的路灯.png")
    with page.context.expect_page() as opened:
        original.click()
    assert opened.value.url.endswith("/content")  # the original, with the session cookie and no CSRF token
    assert opened.value.evaluate("() => fetch(location.href).then(r => r.status)") == 200

    bundle = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/audit-bundle").json
    [event] = [e for e in bundle["events"] if e["type"] == "attachment_added"]
    assert event["data"]["sha256"] == hashlib.sha256(proof).hexdigest() and event["step"] == "handle_village"
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    verified = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_bundle.py"), str(path)], capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stdout
