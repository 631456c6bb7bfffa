"""Every bad input gets its status and the contract's error shape, and leaves state and history unchanged."""

import io
from datetime import datetime

import pytest

from appeals.domain.form_rules import check_promised_date
from appeals.services.users import add_user
from engine import InvalidData

from .helpers import REPORT, complete, report, task, to_handling

EN = {"Accept-Language": "en"}


@pytest.fixture
def handling(as_):
    """An appeal waiting at handle_village, and a snapshot function of everything an auditor can see of it."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")

    def snapshot():
        auditor = as_("auditor")
        return auditor.get(f"/api/v1/appeals/{appeal['id']}").json, auditor.get(
            f"/api/v1/appeals/{appeal['id']}/history"
        ).json

    return appeal, snapshot


def _error(response, status, code):
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    return response.json["error"]


def _complete(client, task_id, data, headers=None):
    return client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": data}, headers=headers)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"note": "no outcome"}, "outcome"),
        ({"outcome": "resolved"}, "note"),
        ({"outcome": "postponed", "note": "x"}, "outcome"),
        ({"outcome": "deferred", "note": "when?"}, "promised_date"),
        ({"outcome": "deferred", "note": "x", "promised_date": "next week"}, "promised_date"),
        ({"outcome": "resolved", "note": "x", "colour": "red"}, "colour"),
    ],
)
def test_data_failing_the_form_is_422_naming_the_field(as_, handling, data, field):
    appeal, snapshot = handling
    before = snapshot()
    open_task = task(as_, "village", appeal["id"], "handle_village")
    error = _error(_complete(as_("village"), open_task["id"], data), 422, "invalid_data")
    assert field in error["fields"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "promised, problem",
    [
        ("2026-11-01", "须晚于今天（2026年11月2日）"),  # yesterday
        ("2026-11-02", "须晚于今天（2026年11月2日）"),  # today
        ("0001-01-01", "须晚于今天（2026年11月2日）"),  # made the feedback step fail on every try
        ("2027-11-03", "须在一年之内，不晚于 2027年11月2日"),
        ("9999-12-31", "须在一年之内，不晚于 2027年11月2日"),
    ],
)
def test_a_past_or_absurd_promised_date_is_422_naming_it(as_, handling, promised, problem):
    appeal, snapshot = handling
    before = snapshot()
    open_task = task(as_, "village", appeal["id"], "handle_village")
    data = {"outcome": "deferred", "note": "A new pole is ordered", "promised_date": promised}
    error = _error(_complete(as_("village"), open_task["id"], data), 422, "invalid_data")
    assert error["fields"] == {"promised_date": problem}
    assert snapshot() == before


def test_today_for_a_promised_date_is_the_citys_day_not_utcs(as_, handling, clock):
    """At 01:00 on 3 November in Beijing it is still 2 November in UTC: 3 November is today, not tomorrow."""
    appeal, snapshot = handling
    clock.set(datetime.fromisoformat("2026-11-03T01:00:00+08:00"))
    open_task = task(as_, "village", appeal["id"], "handle_village")
    data = {"outcome": "deferred", "note": "A new pole is ordered", "promised_date": "2026-11-03"}
    error = _error(_complete(as_("village"), open_task["id"], data), 422, "invalid_data")
    assert error["fields"] == {"promised_date": "须晚于今天（2026年11月3日）"}
    deferred = _complete(as_("village"), open_task["id"], {**data, "promised_date": "2026-11-04"})
    assert deferred.status_code == 200 and deferred.json["stage"] == "feedback"
    waiting = complete(as_, "station", appeal["id"], "feedback", {"message": "A new pole comes by 4 November."})
    assert waiting["stage"] == "await_promised_date"


def test_a_promised_date_may_lie_a_year_ahead_and_no_further():
    now = datetime.fromisoformat("2028-02-29T09:00:00+08:00")
    check_promised_date({"promised_date": "2029-02-28"}, now=now, zone="Asia/Shanghai")
    with pytest.raises(InvalidData) as refused:
        check_promised_date({"promised_date": "2029-03-01"}, now=now, zone="Asia/Shanghai")
    assert str(refused.value.fields["promised_date"]) == "must be within a year, by 28 Feb 2029"


def _registered(as_, **overrides) -> dict:
    appeal = report(as_, **overrides)
    complete(as_, "intake", appeal["id"], "resolve_on_site", {"resolved": False})
    complete(as_, "intake", appeal["id"], "register", {"category": "livelihood", "summary": "same light"})
    return appeal


def test_a_duplicate_of_an_appeal_the_station_may_not_read_is_422_and_says_no_more(as_, app, runtime):
    """Fenghuang Town's appeal is outside the V01 station's reach: the answer is the one for a number that
    does not exist, so numbers cannot be probed, and neither appeal's history changes."""
    _, token = add_user(runtime.uow(), name="fenghuang-intake", role="intake", unit="T02")
    client = app.test_client()
    elsewhere = client.post("/api/v1/appeals", json=REPORT, headers={"Authorization": f"Bearer {token}"}).json
    assert as_("station").get(f"/api/v1/appeals/{elsewhere['id']}").status_code == 404
    appeal = _registered(as_)
    collate = task(as_, "station", appeal["id"], "collate")
    histories = [as_("auditor").get(f"/api/v1/appeals/{a['id']}/history").json for a in (appeal, elsewhere)]

    unreadable = _error(
        _complete(as_("station"), collate["id"], {"unit": "V01", "duplicate_of": elsewhere["number"]}),
        422,
        "invalid_data",
    )
    unknown = _error(
        _complete(as_("station"), collate["id"], {"unit": "V01", "duplicate_of": "20261102-999999"}),
        422,
        "invalid_data",
    )
    assert unreadable == unknown
    assert unreadable["fields"] == {"duplicate_of": "没有您可查阅的其他诉求使用此编号"}
    english = _complete(as_("station"), collate["id"], {"unit": "V01", "duplicate_of": "20261102-999999"}, EN)
    assert _error(english, 422, "invalid_data")["fields"] == {
        "duplicate_of": "no other appeal you may read has this number"
    }
    assert [as_("auditor").get(f"/api/v1/appeals/{a['id']}/history").json for a in (appeal, elsewhere)] == histories
    assert as_("station").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "collate"


def test_a_duplicate_of_itself_or_of_a_duplicate_is_422(as_):
    original = _registered(as_)
    first = _registered(as_, title="Same light")
    complete(as_, "station", first["id"], "collate", {"unit": "V01", "duplicate_of": original["number"]})
    second = _registered(as_, title="Same light, once more")
    collate = task(as_, "station", second["id"], "collate")
    before = as_("auditor").get(f"/api/v1/appeals/{first['id']}/history").json
    for number, problem in (
        (second["number"], "没有您可查阅的其他诉求使用此编号"),
        (first["number"], "该诉求本身是重复诉求：请填写它所重复的原诉求编号"),
    ):
        error = _error(
            _complete(as_("station"), collate["id"], {"unit": "V01", "duplicate_of": number}), 422, "invalid_data"
        )
        assert error["fields"] == {"duplicate_of": problem}
    assert as_("auditor").get(f"/api/v1/appeals/{first['id']}/history").json == before
    assert as_("station").get(f"/api/v1/appeals/{original['id']}").json["duplicates"] == [first["number"]]


def test_unknown_unit_in_a_form_is_422(as_):
    appeal = report(as_)
    complete(as_, "intake", appeal["id"], "resolve_on_site", {"resolved": False})
    complete(as_, "intake", appeal["id"], "register", {"category": "complex", "summary": "x"})
    collate = task(as_, "station", appeal["id"], "collate")
    error = _error(_complete(as_("station"), collate["id"], {"unit": "NOWHERE"}), 422, "invalid_data")
    assert error["fields"] == {"unit": "没有这个单位编码"}
    assert as_("station").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "collate"


def test_text_with_a_nul_character_is_422_naming_where(as_, handling):
    """PostgreSQL cannot store U+0000 in text: it is refused up front, not failed at the database (a 500)."""
    appeal, snapshot = handling
    before = snapshot()
    open_task = task(as_, "village", appeal["id"], "handle_village")
    village, listed = as_("village"), len(as_("auditor").get("/api/v1/appeals").json)
    refused = {
        "data.note": _complete(village, open_task["id"], {"outcome": "resolved", "note": "fixed\x00"}),
        "reporter.name": as_("intake").post("/api/v1/appeals", json={**REPORT, "reporter": {"name": "Zh\x00ang"}}),
        "unit": village.get("/api/v1/appeals?unit=V01\x00"),
        "path": village.post("/api/v1/tasks/x%00y/complete", json={"data": {}}),
        "files": as_("designer").post(
            "/api/v1/processes",
            data={"files": [(io.BytesIO(b"<x/>"), "a\x00.bpmn")]},
            content_type="multipart/form-data",
        ),
    }
    for field, response in refused.items():
        assert _error(response, 422, "invalid_data")["fields"] == {field: "含有 NUL 字符（U+0000）"}
    assert village.get("/api/v1/appeals?unit=V01").status_code == 200  # the check reads text, not more
    assert snapshot() == before and len(as_("auditor").get("/api/v1/appeals").json) == listed


def test_malformed_json_is_400(as_, handling):
    appeal, snapshot = handling
    before = snapshot()
    open_task = task(as_, "village", appeal["id"], "handle_village")
    response = as_("village").post(
        f"/api/v1/tasks/{open_task['id']}/complete", data="{not json", content_type="application/json"
    )
    _error(response, 400, "malformed")
    _error(as_("intake").post("/api/v1/appeals", data="[1,", content_type="application/json"), 400, "malformed")
    assert snapshot() == before


def test_missing_or_bad_token_is_401(app, as_, handling):
    appeal, snapshot = handling
    before = snapshot()
    open_task = task(as_, "village", appeal["id"], "handle_village")
    client = app.test_client()
    _error(client.post(f"/api/v1/tasks/{open_task['id']}/complete", json={"data": {}}), 401, "unauthorized")
    response = client.get("/api/v1/appeals", headers={"Authorization": "Bearer not-a-token"})
    _error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert snapshot() == before


def test_wrong_role_or_unit_is_403(as_, runtime, app, handling):
    appeal, snapshot = handling
    before = snapshot()
    open_task = task(as_, "village", appeal["id"], "handle_village")
    valid = {"outcome": "resolved", "note": "x"}
    _error(_complete(as_("town"), open_task["id"], valid), 403, "forbidden")  # a unit above, but not the lane
    _error(_complete(as_("station"), open_task["id"], valid), 403, "forbidden")
    _, token = add_user(runtime.uow(), name="other-village", role="village", unit="V02")
    other = app.test_client()
    response = other.post(
        f"/api/v1/tasks/{open_task['id']}/complete", json={"data": valid}, headers={"Authorization": f"Bearer {token}"}
    )
    _error(response, 403, "forbidden")  # the right lane, a unit beside the task's
    _error(
        as_("station").post("/api/v1/appeals", json={"title": "t", "description": "d", "channel": "hotline"}),
        403,
        "forbidden",
    )
    assert snapshot() == before


def test_unknown_ids_are_404(as_, handling):
    appeal, snapshot = handling
    before = snapshot()
    _error(as_("auditor").get("/api/v1/appeals/999999"), 404, "not_found")
    _error(as_("auditor").get("/api/v1/appeals/999999/history"), 404, "not_found")
    _error(_complete(as_("village"), "00000000-0000-0000-0000-000000000000", {}), 404, "not_found")
    _error(as_("designer").get("/api/v1/instances/999999"), 404, "not_found")
    _error(as_("designer").post("/api/v1/processes/no_such_process/instances", json={"data": {}}), 404, "not_found")
    assert snapshot() == before


def test_completing_a_task_no_longer_open_is_409(as_, handling):
    appeal, snapshot = handling
    open_task = task(as_, "village", appeal["id"], "handle_village")
    assert _complete(as_("village"), open_task["id"], {"outcome": "escalate", "note": "up"}).status_code == 200
    before = snapshot()
    _error(_complete(as_("village"), open_task["id"], {"outcome": "resolved", "note": "again"}), 409, "conflict")
    assert snapshot() == before


def test_request_schema_errors_are_422_naming_each_field(as_):
    response = as_("intake").post(
        "/api/v1/appeals", json={"title": "", "channel": "carrier_pigeon", "reporter": {"phone": "call me"}}
    )
    error = _error(response, 422, "invalid_data")
    assert set(error["fields"]) == {"title", "description", "channel", "reporter.phone"}
    assert as_("auditor").get("/api/v1/appeals").json == []
