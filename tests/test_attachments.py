"""Attachments: photos and files on a report and on a completion, stored once by their SHA-256, sniffed,
bounded, thumbnailed, read as the appeal is read, and covered by the audit chain through the history."""

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from appeals.domain.models import AccessLog, Attachment
from appeals.services.users import add_user

from .helpers import ATTACHMENTS, ROOT, complete, image, report, sign_in, task, to_handling, upload

URL = ATTACHMENTS


def stored_files(app) -> list[Path]:
    root = Path(app.config["ATTACHMENT_DIR"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def rows(runtime) -> int:
    with runtime.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Attachment))


def events(as_, appeal_id, kind="attachment_added") -> list[dict]:
    return [e for e in as_("auditor").get(f"/api/v1/appeals/{appeal_id}/history").json if e["type"] == kind]


def test_a_photo_on_the_report_is_listed_downloaded_and_thumbnailed_and_its_hash_is_in_the_history(as_, app, caplog):
    appeal = report(as_)
    photo = image(size=(1200, 800))
    added = upload(as_("intake"), appeal["id"], photo, "路灯 Binhe.png")
    assert added.status_code == 201, added.json
    digest = hashlib.sha256(photo).hexdigest()
    assert {k: added.json[k] for k in ("step", "task_id", "file_name", "media_type", "size", "sha256")} == {
        "step": "report",
        "task_id": None,
        "file_name": "路灯 Binhe.png",
        "media_type": "image/png",
        "size": len(photo),
        "sha256": digest,
    }
    assert added.json["has_thumbnail"] is True and added.json["uploaded_by"] == "intake"

    listed = as_("station").get(f"{URL}?appeal={appeal['id']}")
    assert listed.status_code == 200 and [a["id"] for a in listed.json] == [added.json["id"]]
    content = as_("station").get(f"{URL}/{added.json['id']}/content")
    assert content.status_code == 200 and content.data == photo and content.mimetype == "image/png"
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    thumbnail = as_("station").get(f"{URL}/{added.json['id']}/thumbnail")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    small = Image.open(io.BytesIO(thumbnail.data))
    assert small.format == "JPEG" and max(small.size) == 320 and small.size == (320, 213)

    [event] = events(as_, appeal["id"])
    assert (event["step"], event["actor"]) == ("report", "intake")
    assert event["data"]["sha256"] == digest
    [kept] = [path for path in stored_files(app) if path.name == digest]  # named by its content's hash
    assert kept.read_bytes() == photo
    assert "路灯" not in json.dumps(event)  # a file name may be personal: the history holds none
    assert "路灯" not in caplog.text and "Binhe.png" not in caplog.text


def test_the_same_bytes_are_stored_once_however_often_they_are_attached(as_, app, runtime):
    first, second = report(as_), report(as_)
    photo = image()
    assert upload(as_("intake"), first["id"], photo, "a.png").status_code == 201
    assert upload(as_("intake"), second["id"], photo, "b.png").status_code == 201
    assert rows(runtime) == 2
    digests = {path.name for path in stored_files(app)}
    assert hashlib.sha256(photo).hexdigest() in digests and len(digests) == 2  # the photo and its thumbnail


def test_a_row_whose_file_is_gone_answers_404_and_the_log_says_which(as_, app, caplog):
    """Storage restored apart from the database, or a folder not shared between workers: a plain 404 for
    the reader (never a 500), and a log line an administrator can act on, with no file name."""
    appeal = report(as_)
    added = upload(as_("intake"), appeal["id"], image(), "门牌.png").json
    for path in stored_files(app):
        path.unlink()
    for kind in ("content", "thumbnail"):
        gone = as_("station").get(f"{URL}/{added['id']}/{kind}")
        assert gone.status_code == 404 and f"附件 {added['id']}" in gone.json["error"]["message"]
    assert added["sha256"] in caplog.text and "门牌" not in caplog.text


def test_a_pdf_is_kept_with_no_thumbnail(as_):
    appeal = report(as_)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    added = upload(as_("intake"), appeal["id"], pdf, "receipt.PDF")
    assert added.status_code == 201 and added.json["media_type"] == "application/pdf"
    assert added.json["has_thumbnail"] is False
    assert as_("intake").get(f"{URL}/{added.json['id']}/thumbnail").status_code == 404
    assert as_("intake").get(f"{URL}/{added.json['id']}/content").data == pdf


def test_a_file_name_keeps_neither_the_senders_folders_nor_more_than_200_characters(as_):
    appeal = report(as_)
    folders = upload(as_("intake"), appeal["id"], image(), "../../相册/照片.png")
    assert folders.status_code == 201 and folders.json["file_name"] == "照片.png"
    long = upload(as_("intake"), appeal["id"], image(), "路" * 300 + ".png")
    assert long.status_code == 201 and long.json["file_name"] == "路" * 196 + ".png"


REFUSALS = {  # name: (bytes, file name, config, status)
    "a PNG named .jpg": (image(), "photo.jpg", {}, 422),
    "a JPEG named .png": (image("JPEG"), "photo.png", {}, 422),
    "no extension": (image(), "photo", {}, 422),
    "no name but an extension": (image(), "photos/.png", {}, 422),
    "HTML": (b"<html><script>alert(1)</script></html>", "page.png", {}, 422),
    "an SVG": (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "icon.svg", {}, 422),
    "a ZIP": (b"PK\x03\x04" + b"\0" * 60, "photos.zip", {}, 422),
    "empty": (b"", "photo.png", {}, 422),
    "a PNG that does not decode": (image()[:40] + b"\0" * 200, "photo.png", {}, 422),
    "too big": (image(size=(300, 300)), "photo.png", {"ATTACHMENT_MAX_BYTES": 200}, 413),
    "far too big to read": (b"\xff\xd8\xff" + b"\0" * 200_000, "photo.jpg", {"ATTACHMENT_MAX_BYTES": 1000}, 413),
    "too many pixels": (image(size=(2000, 2000)), "photo.png", {"ATTACHMENT_MAX_PIXELS": 1_000_000}, 413),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_file_refused_names_the_file_field_and_stores_nothing(as_, app, runtime, case):
    data, name, config, status = REFUSALS[case]
    appeal = report(as_)
    app.config.update(config)
    refused = upload(as_("intake"), appeal["id"], data, name)
    assert refused.status_code == status, refused.json
    assert list(refused.json["error"]["fields"]) == ["file"]
    assert rows(runtime) == 0 and stored_files(app) == [] and events(as_, appeal["id"]) == []


def test_an_upload_without_a_file_or_an_appeal_is_422_naming_it(as_, app, runtime):
    appeal = report(as_)
    no_file = as_("intake").post(URL, data={"appeal": str(appeal["id"])}, content_type="multipart/form-data")
    assert no_file.status_code == 422 and list(no_file.json["error"]["fields"]) == ["file"]
    no_appeal = as_("intake").post(
        URL, data={"file": (io.BytesIO(image()), "a.png")}, content_type="multipart/form-data"
    )
    assert no_appeal.status_code == 422 and list(no_appeal.json["error"]["fields"]) == ["appeal"]
    assert rows(runtime) == 0 and stored_files(app) == []


def test_the_proof_of_a_fix_is_attached_to_the_open_task_by_who_acts_on_it_and_the_bundle_covers_it(
    as_, app, runtime, tmp_path
):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handling = task(as_, "village", appeal["id"], "handle_village")
    proof = image(colour=(20, 160, 60))
    not_theirs = upload(as_("town"), appeal["id"], proof, "fixed.png", task_id=handling["id"])
    assert not_theirs.status_code == 403
    not_a_report = upload(as_("village"), appeal["id"], proof, "fixed.png")  # no task: the report's, intake's
    assert not_a_report.status_code == 403
    unknown_task = upload(as_("village"), appeal["id"], proof, "fixed.png", task_id="no-such-task")
    assert unknown_task.status_code == 422 and list(unknown_task.json["error"]["fields"]) == ["task_id"]
    assert rows(runtime) == 0 and stored_files(app) == []

    added = upload(as_("village"), appeal["id"], proof, "fixed.png", task_id=handling["id"])
    assert added.status_code == 201 and (added.json["step"], added.json["task_id"]) == (
        "handle_village",
        handling["id"],
    )
    complete(as_, "village", appeal["id"], "handle_village", {"outcome": "resolved", "note": "light replaced"})
    late = upload(as_("village"), appeal["id"], proof, "again.png", task_id=handling["id"])
    assert late.status_code == 422 and list(late.json["error"]["fields"]) == ["task_id"]  # the task is done

    bundle = as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/audit-bundle").json
    [event] = [e for e in bundle["events"] if e["type"] == "attachment_added"]
    assert event["data"]["sha256"] == hashlib.sha256(proof).hexdigest() == added.json["sha256"]
    assert (event["step"], event["data"]["task_id"]) == ("handle_village", handling["id"])
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    verified = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_bundle.py"), str(path)], capture_output=True, text=True
    )
    assert verified.returncode == 0 and verified.stdout.startswith("已核验："), verified.stdout
    assert bundle["replay"]["consistent"] is True


def test_another_units_user_gets_404_as_for_the_appeal_and_auditors_reads_are_logged(as_, app, runtime):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    added = upload(as_("intake"), appeal["id"], image(), "a.png").json
    _, token = add_user(runtime.uow(), name="village-v02", role="village", unit="V02")
    other = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for url in (f"{URL}?appeal={appeal['id']}", f"{URL}/{added['id']}/content", f"{URL}/{added['id']}/thumbnail"):
        assert other.get(url, headers=headers).status_code == 404, url
        assert as_("village").get(url).status_code == 200, url
    assert upload(as_("village"), 999999, image(), "a.png").status_code == 404

    auditor = as_("auditor")
    assert auditor.get(f"{URL}?appeal={appeal['id']}").status_code == 200
    assert auditor.get(f"{URL}/{added['id']}/content").status_code == 200
    with runtime.uow() as uow:
        logged = uow.session.scalars(select(AccessLog.action).order_by(AccessLog.id)).all()
    assert logged == ["attachments", f"attachment:{added['id']}"]


def test_a_confidential_appeals_report_attachments_are_withheld_from_whom_its_reporter_is_hidden(as_):
    appeal = report(as_, confidential=True)
    to_handling(as_, appeal["id"], unit="V01")
    reported = upload(as_("intake"), appeal["id"], image(), "me.png").json
    handling = task(as_, "village", appeal["id"], "handle_village")
    proof = upload(as_("village"), appeal["id"], image(colour=(0, 0, 255)), "fixed.png", task_id=handling["id"]).json

    for role in ("village", "station", "leader", "auditor"):
        assert [a["id"] for a in as_(role).get(f"{URL}?appeal={appeal['id']}").json] == [proof["id"]], role
        assert as_(role).get(f"{URL}/{reported['id']}/content").status_code == 404, role
        assert as_(role).get(f"{URL}/{proof['id']}/content").status_code == 200, role
    for role in ("intake", "callback"):  # who calls the citizen back sees them both
        assert [a["id"] for a in as_(role).get(f"{URL}?appeal={appeal['id']}").json] == [reported["id"], proof["id"]]


def test_a_cookie_upload_needs_the_csrf_token_and_a_cookie_download_does_not(app, as_, runtime):
    appeal = report(as_)
    client = app.test_client()
    csrf = sign_in(client).json["csrf_token"]
    refused = upload(client, appeal["id"], image(), "a.png")
    assert refused.status_code == 403 and rows(runtime) == 0 and stored_files(app) == []
    added = client.post(
        URL,
        data={"appeal": str(appeal["id"]), "file": (io.BytesIO(image()), "a.png")},
        content_type="multipart/form-data",
        headers={"X-CSRF-Token": csrf},
    )
    assert added.status_code == 201
    assert client.get(f"{URL}/{added.json['id']}/content").status_code == 200


def test_the_openapi_document_describes_the_upload_and_the_downloads(as_):
    paths = as_("auditor").get("/api/v1/openapi.json").json["paths"]
    body = paths[URL]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"]["$ref"].endswith("/Upload")
    assert "image/png" in paths[URL + "/{attachment_id}/content"]["get"]["responses"]["200"]["content"]
    assert "image/jpeg" in paths[URL + "/{attachment_id}/thumbnail"]["get"]["responses"]["200"]["content"]


def test_open311_shows_the_reports_first_photo_as_media_url_small_and_without_its_metadata(as_, app):
    photo, exif = io.BytesIO(), Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; a phone writes the GPS position likewise
    Image.new("RGB", (800, 600), (90, 90, 90)).save(photo, "JPEG", exif=exif)
    appeal, plain, hidden = report(as_), report(as_), report(as_, confidential=True)
    pdf = b"%PDF-1.4\n%%EOF\n"
    assert upload(as_("intake"), appeal["id"], pdf, "letter.pdf").status_code == 201
    assert upload(as_("intake"), appeal["id"], photo.getvalue(), "street.jpg").status_code == 201
    assert upload(as_("intake"), plain["id"], pdf, "letter.pdf").status_code == 201
    assert upload(as_("intake"), hidden["id"], photo.getvalue(), "street.jpg").status_code == 201

    public = app.test_client()  # no key: GeoReport's reads are public
    [shown] = public.get(f"/open311/v2/requests/{appeal['number']}.json").json
    assert shown["media_url"] == f"http://127.0.0.1:8000/open311/v2/media/{appeal['number']}.jpg"
    assert public.get(f"/open311/v2/requests/{plain['number']}.json").json[0]["media_url"] is None
    listed = {r["service_request_id"]: r["media_url"] for r in public.get("/open311/v2/requests.json").json}
    assert listed == {appeal["number"]: shown["media_url"], plain["number"]: None}

    fetched = public.get(shown["media_url"])
    assert fetched.status_code == 200 and fetched.mimetype == "image/jpeg"
    small = Image.open(io.BytesIO(fetched.data))
    assert max(small.size) == 320 and dict(small.getexif()) == {}
    assert public.get(f"/open311/v2/media/{plain['number']}.jpg").status_code == 404
    assert public.get(f"/open311/v2/media/{hidden['number']}.jpg").status_code == 404  # confidential: unknown


def test_retention_deletes_an_old_appeals_attachments_and_keeps_files_another_appeal_uses(app, as_, runtime, clock):
    old, recent = report(as_), report(as_)
    shared, proof = image(colour=(1, 2, 3)), image(colour=(4, 5, 6))
    assert upload(as_("intake"), old["id"], shared, "street.png").status_code == 201
    to_handling(as_, old["id"], unit="G01")
    handling = task(as_, "grid", old["id"], "handle_grid")
    gone = upload(as_("grid"), old["id"], proof, "fixed.png", task_id=handling["id"]).json
    complete(as_, "grid", old["id"], "handle_grid", {"outcome": "resolved", "note": "done"})
    complete(as_, "station", old["id"], "feedback", {"message": "done"})
    complete(as_, "callback", old["id"], "evaluate", {"satisfaction": "satisfied"})
    closed = upload(as_("intake"), old["id"], proof, "late.png")  # a closed record takes no more files
    assert closed.status_code == 409 and list(closed.json["error"]["fields"]) == ["appeal"]
    kept = upload(as_("intake"), recent["id"], shared, "same.png").json
    clock.advance(days=800)
    assert app.test_cli_runner().invoke(args=["retention", "run", "--years", "2"]).output.startswith("1 件诉求已匿名化")

    names = {path.name for path in stored_files(app)}
    assert hashlib.sha256(shared).hexdigest() in names and hashlib.sha256(proof).hexdigest() not in names
    assert len(names) == 2  # the shared photo and its thumbnail, still used by the recent appeal
    with runtime.uow() as uow:
        assert uow.session.scalars(select(Attachment.id)).all() == [kept["id"]]
    _, token = add_user(runtime.uow(), name="auditor-2028", role="auditor", unit=None)  # the old tokens expired
    auditor = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert auditor.get(f"{URL}/{gone['id']}/content", headers=headers).status_code == 404
    assert auditor.get(f"{URL}/{kept['id']}/content", headers=headers).data == shared
    history = auditor.get(f"/api/v1/appeals/{old['id']}/history", headers=headers).json
    assert [e["data"]["sha256"] for e in history if e["type"] == "attachment_added"] == [
        hashlib.sha256(shared).hexdigest(),
        hashlib.sha256(proof).hexdigest(),
    ]  # the audit chain still says what was attached, and no name
