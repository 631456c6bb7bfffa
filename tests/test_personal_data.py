"""Citizens' data by need: masked for handlers, whole for those who call back, confidential appeals hidden,
unmasking recorded; tokens that expire, are revoked, and cannot be guessed fast; limits on what comes in;
retention that removes personal data and keeps statistics and audit chains."""

import io
import json

from sqlalchemy import text

from appeals.services.users import add_user

from .helpers import REPORT, RoleClient, complete, report, to_handling

NAME, PHONE = REPORT["reporter"]["name"], REPORT["reporter"]["phone"]


def test_handlers_see_masked_contact_and_those_who_call_back_see_it_whole(as_, app, runtime):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    assert as_("village").get(f"/api/v1/appeals/{appeal['id']}").json["reporter"] == {
        "name": "Z********",
        "phone": "*******5678",
    }
    assert as_("station").get(f"/api/v1/appeals/{appeal['id']}").json["reporter"]["phone"] == "*******5678"
    assert as_("callback").get(f"/api/v1/appeals/{appeal['id']}").json["reporter"] == {"name": NAME, "phone": PHONE}
    assert as_("intake").get(f"/api/v1/appeals/{appeal['id']}").json["reporter"] == {"name": NAME, "phone": PHONE}
    assert as_("intake").get("/api/v1/appeals").json[0]["reporter"]["phone"] == "*******5678"  # lists: always masked

    _, token = add_user(runtime.uow(), name="intake-elsewhere", role="intake", unit="D01")  # above: may reach it
    _, other = add_user(runtime.uow(), name="intake-v02", role="intake", unit="V02")
    client = app.test_client()
    above = client.get(f"/api/v1/appeals/{appeal['id']}", headers={"Authorization": f"Bearer {token}"})
    assert above.json["reporter"]["phone"] == PHONE
    beside = client.get(f"/api/v1/appeals/{appeal['id']}", headers={"Authorization": f"Bearer {other}"})
    assert beside.status_code == 404  # not theirs to read at all


def test_unmasking_needs_a_reason_and_is_recorded_in_the_history(as_):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    assert as_("village").post(f"/api/v1/appeals/{appeal['id']}/contact", json={}).status_code == 422
    shown = as_("village").post(
        f"/api/v1/appeals/{appeal['id']}/contact", json={"reason": "must visit the site with them"}
    )
    assert shown.status_code == 200 and shown.json == {"name": NAME, "phone": PHONE}
    events = as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/history").json
    unmasked = [e for e in events if e["type"] == "contact_unmasked"]
    assert [(e["actor"], e["data"]["reason"]) for e in unmasked] == [("village", "must visit the site with them")]
    assert NAME not in json.dumps(events) and PHONE not in json.dumps(events)


def test_a_confidential_appeals_reporter_is_invisible_to_handlers_everywhere(as_):
    appeal = report(as_, confidential=True)
    assert appeal["reporter"] == {"name": NAME, "phone": PHONE}  # intake, who took the call, sees it
    to_handling(as_, appeal["id"], unit="V01")
    village = as_("village")
    seen = [
        village.get(f"/api/v1/appeals/{appeal['id']}").json,
        village.get("/api/v1/appeals").json,
        village.get(f"/api/v1/appeals/{appeal['id']}/history").json,
        village.get(f"/api/v1/tasks?appeal={appeal['id']}").json,
        complete(as_, "village", appeal["id"], "handle_village", {"outcome": "escalate", "note": "up"}),
    ]
    refused = village.post(f"/api/v1/appeals/{appeal['id']}/contact", json={"reason": "I would like to know"})
    seen.append(refused.json)
    assert refused.status_code == 403
    assert seen[0]["reporter"] is None and seen[0]["confidential"] is True
    for answer in seen:
        assert NAME not in json.dumps(answer) and PHONE not in json.dumps(answer) and "5678" not in json.dumps(answer)


def test_tokens_expire_and_are_revoked(app, as_, runtime, clock):
    _, token = add_user(runtime.uow(), name="short", role="auditor", unit=None, days=1)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/appeals", headers=headers).status_code == 200
    clock.advance(days=2)
    expired = client.get("/api/v1/appeals", headers=headers)
    assert expired.status_code == 401 and expired.json["error"]["message"] == "令牌已过期"  # zh-CN by default

    assert app.test_cli_runner().invoke(args=["users", "revoke", "auditor"]).exit_code == 0
    revoked = as_("auditor").get("/api/v1/appeals", headers={"Accept-Language": "en"})
    assert revoked.status_code == 401 and "revoked" in revoked.json["error"]["message"]


def test_repeated_failed_authentication_is_slowed_down(app, as_):
    client = app.test_client()
    for attempt in range(10):
        assert client.get("/api/v1/appeals", headers={"Authorization": f"Bearer guess{attempt:03}"}).status_code == 401
    blocked = client.get("/api/v1/appeals", headers={"Authorization": "Bearer guess010"})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert blocked.json["error"]["code"] == "too_many_attempts"
    assert as_("intake").get("/api/v1/appeals").status_code == 200  # a good token from the same address passes


def test_oversize_overdeep_overlong_and_xml_bomb_inputs_are_refused_and_service_goes_on(app, as_):
    intake = as_("intake")
    deep = {"title": "t", "description": "d", "channel": "hotline", "location": json.loads("[" * 200 + "]" * 200)}
    assert intake.post("/api/v1/appeals", json=deep).status_code == 422
    assert (
        intake.post("/api/v1/appeals", data="[" * 100_000 + "]" * 100_000, content_type="application/json").status_code
        == 422
    )
    many = {"data": {"outcome": "resolved", "note": "x", "list": list(range(5000))}}
    assert intake.post("/api/v1/tasks/00000000-0000-0000-0000-000000000000/complete", json=many).status_code == 422
    too_long = intake.post("/api/v1/appeals", json={**REPORT, "description": "x" * 4001})
    assert too_long.status_code == 422 and "description" in too_long.json["error"]["fields"]
    huge = intake.post("/api/v1/appeals", data=b"{" + b" " * (6 * 1024 * 1024) + b"}", content_type="application/json")
    assert huge.status_code == 413 and huge.json["error"]["code"] == "too_large"

    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</bpmn:definitions>'
    )
    refused = as_("designer").post(
        "/api/v1/processes", data={"files": [(io.BytesIO(bomb), "bomb.bpmn")]}, content_type="multipart/form-data"
    )
    assert refused.status_code == 422 and "<!DOCTYPE>" in refused.json["error"]["details"][0]["message"]
    assert intake.post("/api/v1/appeals", json=REPORT).status_code == 201  # still serving


def test_retention_removes_personal_data_and_keeps_statistics_and_audit(app, as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="G01")
    complete(as_, "grid", appeal["id"], "handle_grid", {"outcome": "resolved", "note": "done"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "done"})
    complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied"})
    assert app.test_cli_runner().invoke(args=["retention", "run", "--years", "1"]).output.startswith("0 件诉求已匿名化")
    clock.advance(days=800)
    result = app.test_cli_runner().invoke(args=["retention", "run", "--years", "2"])
    assert result.exit_code == 0 and result.output.startswith("1 件诉求已匿名化"), result.output

    with runtime.uow() as uow:
        rows = uow.session.execute(text("SELECT * FROM appeal")).all()
    assert NAME not in repr(rows) and PHONE not in repr(rows) and "Binhe Road" not in repr(rows)
    _, token = add_user(runtime.uow(), name="auditor-2028", role="auditor", unit=None)  # the old tokens expired
    auditor = RoleClient(app.test_client(), token)
    after = auditor.get(f"/api/v1/appeals/{appeal['id']}").json
    assert after["status"] == "closed" and after["satisfaction"] == "satisfied" and after["category"] == "livelihood"
    assert auditor.get(f"/api/v1/appeals/{appeal['id']}/replay").json["consistent"] is True
    assert "anonymised" in [e["type"] for e in auditor.get(f"/api/v1/appeals/{appeal['id']}/history").json]
    stats = auditor.get("/api/v1/stats?since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00")
    assert stats.status_code == 200 and stats.json["collected"] == 1, stats.json
