"""Texts for people: zh-CN by default, en on request (Accept-Language), times in Beijing time, codes by
their names; JSON keeps codes and ISO 8601 times with offsets."""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from marshmallow import validate
from sqlalchemy import select

from api.appeals.schemas import AppealCreateSchema, AppealQueryArgsSchema
from api.errors import handle_engine_error
from api.extension_requests.schemas import ExtensionSchema
from appeals.domain.messages import MESSAGES, word
from appeals.domain.models import Notification
from appeals.domain.vocabulary import LEVELS, ROLES, names
from appeals.services.similar import LIKENESS
from appeals.services.timers import fire_due
from appeals.services.users import add_user
from engine import LANGUAGES, Catalog, InvalidData
from engine import MESSAGES as ENGINE_MESSAGES

from .helpers import REPORT, report, task, to_handling

ROOT = Path(__file__).resolve().parent.parent
EN = {"Accept-Language": "en-US,en;q=0.9"}


def test_a_reminder_reads_in_chinese_in_beijing_time_by_default_and_in_english_on_request(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")  # village limit: the end of Thursday 5 November, Beijing time
    clock.set(datetime.fromisoformat("2026-11-05T08:00:00+08:00"))
    assert fire_due(runtime) == 1

    [chinese] = as_("village").get("/api/v1/notifications").json
    assert chinese["message"] == f"诉求 {appeal['number']}：“村级办理”须在 2026年11月5日 23:59 前办结"
    [english] = as_("village").get("/api/v1/notifications", headers=EN).json
    assert (
        english["message"] == f"appeal {appeal['number']}: 'Handle at village level' must be done by 5 Nov 2026 23:59"
    )
    assert chinese["due_at"] == english["due_at"] == "2026-11-05T15:59:59+00:00"  # JSON: ISO 8601, offset
    assert chinese["kind"] == english["kind"] == "reminder"

    with runtime.uow().reading() as uow:  # stored as key and parameters, and worded in the default language
        stored = uow.session.scalars(select(Notification)).one()
        assert (stored.message_key, stored.message) == ("reminder", chinese["message"])
        assert stored.message_params == {
            "number": appeal["number"],
            "step": "handle_village",
            "due": "2026-11-05T15:59:59+00:00",
        }


def test_an_error_message_is_chinese_by_default_and_english_on_request_with_the_same_code_and_fields(as_):
    cases = [  # (request, status, code, Chinese message)
        (lambda h: as_("intake").post("/api/v1/appeals", json={**REPORT, "channel": "fax"}, headers=h), 422,
         "invalid_data", "请求与接口定义不符"),
        (lambda h: as_("auditor").post("/api/v1/appeals", json=REPORT, headers=h), 403,
         "forbidden", "此操作需要以下角色：受理员；您的角色是审计员"),
        (lambda h: as_("auditor").get("/api/v1/appeals/999999", headers=h), 404,
         "not_found", "没有编号为 999999 的诉求"),
        (lambda h: as_("intake").get("/api/v1/nowhere", headers=h), 404, "not_found", "没有这个地址"),
    ]  # fmt: skip
    for send, status, code, message in cases:
        chinese, english = send({}), send(EN)
        assert chinese.status_code == english.status_code == status
        assert chinese.json["error"]["code"] == english.json["error"]["code"] == code
        assert set(chinese.json["error"].get("fields", {})) == set(english.json["error"].get("fields", {}))
        assert chinese.json["error"]["message"] == message
        assert english.json["error"]["message"].isascii() and english.json["error"]["message"] != message
    choices = "hotline、message_board、liaison_station、grid_visit、letters_visits、walk_in、online"
    assert cases[0][0]({}).json["error"]["fields"] == {"channel": f"须为以下之一：{choices}"}
    assert cases[0][0](EN).json["error"]["fields"] == {"channel": f"must be {choices.replace('、', ' or ')}"}


def test_a_fields_explanation_follows_the_readers_language_like_the_message(as_):
    """What the console shows beside a field: marshmallow's own words, a validator's with its bounds and a
    domain rule's, in zh-CN by default and in en on request."""
    untitled = {key: value for key, value in REPORT.items() if key != "title"}
    cases = [  # (request, field, Chinese, English)
        (lambda h: as_("intake").post("/api/v1/appeals", json={**untitled, "urgent": 3}, headers=h),
         {"title": ("此项必填", "required"), "urgent": ("没有这个字段", "unknown field")}),
        (lambda h: as_("auditor").get("/api/v1/appeals?stauts=open", headers=h),
         {"stauts": ("没有这个查询参数", "unknown query parameter")}),
        (lambda h: as_("intake").get("/api/v1/tasks?appeal=one", headers=h),
         {"appeal": ("须为整数", "not a valid integer")}),
        (lambda h: as_("intake").post("/api/v1/appeals", data="[" * 40 + "]" * 40,
                                      content_type="application/json", headers=h),
         {"body": ("嵌套 40 层", "nested 40 levels")}),
        (lambda h: as_("leader").get("/api/v1/reports/monthly/2026-13", headers=h),
         {"month": ("须为 2000 至 2099 年间的月份，格式为 YYYY-MM（例如 2026-11）",
                    "a month of the years 2000 to 2099, written YYYY-MM (e.g. 2026-11)")}),
        (lambda h: as_("intake").post("/api/v1/appeals", json={**REPORT, "title": "x" * 201}, headers=h),
         {"title": ("须为 1 至 200 个字符", "1 to 200 characters")}),
        (lambda h: as_("designer").post("/api/v1/processes/appeal/versions/1/migration", json={"instances": []},
                                        headers=h),
         {"instances": ("须为 1 至 10000 项", "1 to 10000 items")}),
        (lambda h: as_("intake").get("/api/v1/appeals?limit=501", headers=h),
         {"limit": ("须在 1 至 500 之间", "from 1 to 500")}),
        (lambda h: as_("intake").post("/api/v1/appeals", json={**REPORT, "reporter": {"phone": "call me"}},
                                      headers=h),
         {"reporter.phone": ("须为电话号码：只含数字、+、- 和空格", "a phone number: digits, +, - and spaces")}),
        (lambda h: as_("intake").post("/api/v1/appeals", data="{", content_type="application/json", headers=h),
         {"body": ("不是有效的 JSON", "not valid JSON")}),
    ]  # fmt: skip
    for send, fields in cases:
        chinese, english = send({}).json["error"], send(EN).json["error"]
        assert chinese["fields"] == {field: zh for field, (zh, _) in fields.items()}
        assert english["fields"] == {field: en for field, (_, en) in fields.items()}


def test_a_refusal_raised_outside_a_request_is_worded_for_the_request_that_answers_it(app, runtime):
    """A user is added from the command line, not the API; its refusal is still a Text, worded by whichever
    side tells it: here the API's error handler, in Chinese without Accept-Language, in English with it."""
    with pytest.raises(InvalidData) as refused:
        add_user(runtime.uow(), name="mayor", role="mayor", unit=None)
    roles = [names()["roles"][role] for role in ROLES]
    for headers, message, field in [
        ({}, "未知角色“mayor”", f"须为{'、'.join(role['zh-CN'] for role in roles)}之一"),
        ({"Accept-Language": "en"}, "unknown role 'mayor'", f"one of {' or '.join(ROLES)}"),
    ]:
        with app.test_request_context(headers=headers):
            body, status = handle_engine_error(refused.value)
        assert status == 422
        assert body["error"] == {"code": "invalid_data", "message": message, "fields": {"role": field}}


def test_a_task_form_refusal_and_a_task_taken_name_the_step_in_the_readers_language(as_):
    appeal = report(as_)
    open_task = task(as_, "intake", appeal["id"], "resolve_on_site")
    url = f"/api/v1/tasks/{open_task['id']}/complete"
    bad = as_("intake").post(url, json={"data": {"resolved": "yes"}})
    assert bad.status_code == 422 and bad.json["error"]["message"] == "提交的数据不符合该任务的表单"
    assert bad.json["error"]["fields"] == {"resolved": "类型不符：须为 boolean"}
    bad_en = as_("intake").post(url, json={"data": {"resolved": "yes", "colour": "red"}}, headers=EN)
    assert bad_en.json["error"]["fields"] == {"resolved": "not of type boolean", "colour": "not a field of this form"}
    assert as_("intake").post(url, json={"data": {"resolved": False}}).status_code == 200
    again = as_("intake").post(url, json={"data": {"resolved": False}})
    assert again.status_code == 409
    assert again.json["error"]["message"] == "任务“现场解决”已由 intake 于 2026年11月2日 09:00 办理完毕"
    again_en = as_("intake").post(url, json={"data": {"resolved": False}}, headers=EN)
    english = "task 'Settle on the spot' was already completed by intake at 2 Nov 2026 09:00"
    assert again_en.json["error"]["message"] == english


def test_task_names_are_given_in_the_readers_language_by_step_id(as_):
    appeal = report(as_)
    chinese = task(as_, "intake", appeal["id"])
    english = as_("intake").get(f"/api/v1/tasks?appeal={appeal['id']}", headers=EN).json[0]
    assert chinese["step"] == english["step"] == "resolve_on_site"
    assert (chinese["name"], english["name"]) == ("现场解决", "Settle on the spot")
    assert chinese["lane"] == "intake"  # codes stay codes; the vocabulary names them
    assert as_("intake").get(f"/api/v1/appeals/{appeal['id']}").json["tasks"][0]["name"] == "现场解决"


def _codes_the_api_returns() -> dict[str, set[str]]:
    """Every code a person may read, derived from where the API takes it: the schemas, the forms, the
    processes and the code that records events, so that a code added there without a name fails here."""
    bpmn = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "processes").glob("*.bpmn"))
    source = "".join(
        path.read_text(encoding="utf-8") for d in ("appeals", "engine") for path in (ROOT / d).rglob("*.py")
    )
    forms = {path.name.split(".")[0]: json.loads(path.read_text()) for path in (ROOT / "forms").glob("*.schema.json")}

    def choices(schema, field):
        return {c for v in schema().fields[field].validators if isinstance(v, validate.OneOf) for c in v.choices}

    outcomes = set(forms["handle"]["properties"]["outcome"]["enum"])
    tasks_and_waits = set(re.findall(r'<bpmn:(?:userTask|intermediateCatchEvent) id="([^"]+)"', bpmn))
    return {
        "roles": set(ROLES) | set(re.findall(r'<bpmn:lane id="[^"]+" name="([^"]+)"', bpmn)),
        "levels": set(LEVELS),
        "channels": choices(AppealCreateSchema, "channel"),
        "categories": choices(AppealCreateSchema, "category")
        | set(forms["register"]["properties"]["category"]["enum"]),
        "steps": tasks_and_waits | {"report", "closed"},  # a stage is a step, a wait, or closed
        "outcomes": outcomes,
        "satisfaction": set(forms["evaluate"]["properties"]["satisfaction"]["enum"]),
        # a disposition is set by a script, or is the handler's outcome (escalating is not one: it moves on)
        "dispositions": set(re.findall(r'disposition = "(\w+)"', bpmn)) | (outcomes - {"escalate"}),
        "statuses": choices(AppealQueryArgsSchema, "status"),
        "extension_statuses": set(ExtensionSchema().fields["status"].metadata["enum"]),
        "notification_kinds": set(re.findall(r'kind="(\w+)"', source)),
        "task_outcomes": set(re.findall(r'outcome=case\(\(done, "(\w+)"\), else_="(\w+)"\)', source)[0]),
        "likeness": set(LIKENESS),
        "event_types": set(re.findall(r'(?:record|_event)\(\s*[\w.]+,\s*"(\w+)"', source))
        | set(re.findall(r'event="(\w+)"', source)),
    }  # fmt: skip


def test_the_vocabulary_names_every_code_the_api_can_return_in_both_languages(as_):
    codes = _codes_the_api_returns()
    assert {"handle_village", "look_back", "referred_legal", "task_completed", "reminder"} <= set().union(
        *codes.values()
    )
    for language in LANGUAGES:
        response = as_("intake").get(f"/api/v1/vocabulary?lang={language}")
        assert response.status_code == 200 and response.json["language"] == language
        table = response.json["names"]
        for kind, wanted in codes.items():
            missing = wanted - set(table.get(kind, {}))
            assert not missing, f"{kind} has no {language} name for {sorted(missing)}"
    chinese = as_("intake").get("/api/v1/vocabulary").json  # no lang: the Accept-Language, zh-CN by default
    assert chinese["language"] == "zh-CN" and chinese["names"]["categories"]["livelihood"] == "民生类"
    assert all(re.search(r"[\u4e00-\u9fff]", name) for kind in chinese["names"].values() for name in kind.values())
    english = as_("intake").get("/api/v1/vocabulary", headers=EN)
    assert english.json["names"]["steps"]["look_back"] == "Look back" and "Accept-Language" in english.headers["Vary"]
    refused = as_("intake").get("/api/v1/vocabulary?lang=fr")
    assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == ["lang"]
    assert "/api/v1/vocabulary" in as_("intake").get("/api/v1/openapi.json").json["paths"]


def test_every_name_in_the_table_exists_in_every_language():
    for kind, codes in names().items():
        for code, by_language in codes.items():
            assert set(by_language) == set(LANGUAGES) and all(by_language.values()), (kind, code)


def test_every_message_the_code_raises_is_in_its_catalog_and_every_catalog_entry_is_used():
    def sources(*folders):
        return {p: p.read_text(encoding="utf-8") for d in folders for p in (ROOT / d).rglob("*.py")}

    for catalog, folders in ((ENGINE_MESSAGES, ("engine",)), (MESSAGES, ("appeals", "api"))):
        code = sources(*folders)
        said = r'\b(?:MESSAGES\.text|SandboxLimit|DataRefused|ScriptFailed)\(\s*"(\w+)"'  # the sandbox's by key
        used = {key for text in code.values() for key in re.findall(said, text)}
        assert used - set(catalog.templates) == set()
        everywhere = "".join(text for path, text in code.items() if path.name != "messages.py")
        unused = {key for key in catalog.templates if f'"{key}"' not in everywhere}
        assert unused == set()


def test_a_catalog_refuses_a_missing_language_a_different_placeholder_and_a_wrong_parameter():
    with pytest.raises(ValueError, match="exactly"):
        Catalog({"gap": {"zh-CN": "缺少英文"}})
    with pytest.raises(ValueError, match="placeholders"):
        Catalog({"drift": {"zh-CN": "{number}", "en": "{numbr}"}})
    with pytest.raises(ValueError, match="takes"):
        MESSAGES.text("reminder", number="20261102-000001", step="handle_village")  # no `due`


def test_times_are_worded_in_the_zone_and_the_language_and_codes_by_their_names():
    limit = MESSAGES.text("limit_ran_out", due=datetime.fromisoformat("2026-12-31T16:30:00+00:00"))
    assert limit.params == {"due": "2026-12-31T16:30:00+00:00"}  # stored as ISO 8601, worded when read
    assert word(limit, language="zh-CN", zone="Asia/Shanghai") == "时限已于 2027年1月1日 00:30 届满：延期须在届满前申请"
    assert word(limit, language="en", zone="Asia/Shanghai").startswith("the limit ran out at 1 Jan 2027 00:30:")
    roles = MESSAGES.text("role_required", roles=["intake", "station"], role="auditor")
    assert (
        word(roles, language="zh-CN", zone="Asia/Shanghai")
        == "此操作需要以下角色：受理员、服务站工作人员；您的角色是审计员"
    )
