"""My work's data: the open tasks of the caller's lane in their unit and every unit below it, each with
what the list shows and filters by; and a stale page's refusal, which says who completed the task and when."""

from appeals.services.users import add_user

from .helpers import REPORT, report, task, to_handling


def _client(app, runtime, *, name, role, unit):
    _, token = add_user(runtime.uow(), name=name, role=role, unit=unit)
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    return lambda method, url, **kw: getattr(client, method)(url, headers=headers, **kw)


def test_a_handler_sees_the_tasks_of_their_lane_in_their_unit_and_below_and_no_other(as_, app, runtime):
    houwa, xinhua = report(as_), report(as_)
    to_handling(as_, houwa["id"], unit="V01")
    to_handling(as_, xinhua["id"], unit="V02")
    above = _client(app, runtime, name="village-of-binhe", role="village", unit="T01")
    beside = _client(app, runtime, name="village-of-fenghuang", role="village", unit="T02")
    assert sorted(t["appeal_id"] for t in above("get", "/api/v1/tasks").json) == [houwa["id"], xinhua["id"]]
    assert [t["appeal_id"] for t in as_("village").get("/api/v1/tasks").json] == [houwa["id"]]  # V01's own
    assert beside("get", "/api/v1/tasks").json == []
    assert as_("town").get("/api/v1/tasks").json == []  # T01's town lane holds nothing yet


def test_each_listed_task_carries_what_my_work_shows_and_filters(as_):
    appeal = report(as_, channel="message_board")
    to_handling(as_, appeal["id"], unit="V01", category="complex")
    [listed] = as_("village").get("/api/v1/tasks").json
    assert listed["appeal"] == {
        "number": appeal["number"],
        "title": REPORT["title"],
        "category": "complex",
        "channel": "message_board",
    }
    assert listed["step"] == "handle_village" and listed["unit"] == "V01" and listed["reminded_at"] is None
    assert "reporter" not in listed["appeal"]


def test_completing_a_task_someone_else_completed_says_who_and_when(as_, app, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    stale = task(as_, "village", appeal["id"], "handle_village")
    colleague = _client(app, runtime, name="village-2", role="village", unit="V01")
    clock.advance(minutes=30)  # 09:30 in Beijing
    data = {"data": {"outcome": "resolved", "note": "lamp replaced"}}
    assert colleague("post", f"/api/v1/tasks/{stale['id']}/complete", json=data).status_code == 200
    for attempt in (
        as_("village").post(f"/api/v1/tasks/{stale['id']}/complete", json=data),
        as_("village").post(f"/api/v1/tasks/{stale['id']}/return", json={"reason": "not ours"}),
    ):
        assert attempt.status_code == 409
        error = attempt.json["error"]
        assert (error["code"], error["completed_by"], error["completed_at"]) == (
            "conflict",
            "village-2",
            "2026-11-02T01:30:00+00:00",
        )
        assert error["message"] == "任务“村级办理”已由 village-2 于 2026年11月2日 09:30 办理完毕"
