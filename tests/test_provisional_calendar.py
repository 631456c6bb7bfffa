"""A calendar that never stops intake: a year without an official schedule is reckoned by rule, what is
reckoned on it is marked provisional, and loading the official schedule re-plans exactly that."""

from datetime import datetime

from appeals.services.timers import fire_due
from engine.calendar import rule_holidays

from .helpers import complete, history_types, report, task, to_handling

#: 2027 as the rule has it (1 January, the Spring Festival, ...), plus Monday 4 January off and Saturday
#: 9 January worked: an official schedule that differs from the rule in both directions.
OFFICIAL_2027 = {
    "holidays": sorted({*map(str, rule_holidays(2027)), "2027-01-04"}),
    "workdays": ["2027-01-09"],
}


def _at(clock, moment: str) -> None:
    clock.set(datetime.fromisoformat(moment))


def _registered(as_, category: str) -> dict:
    appeal = report(as_)
    complete(as_, "intake", appeal["id"], "resolve_on_site", {"resolved": False})
    return complete(as_, "intake", appeal["id"], "register", {"category": category, "summary": "x"})


def _appeal(as_, appeal_id: int) -> dict:
    return as_("auditor").get(f"/api/v1/appeals/{appeal_id}").json


def _replans(as_, appeal_id: int) -> list[dict]:
    events = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/history").json
    return [event["data"] for event in events if event["type"] == "replanned"]


def test_a_complex_appeal_registered_on_20_december_2026_gets_a_provisional_january_deadline(as_, clock):
    _at(clock, "2026-12-20T10:00:00+08:00")  # a Sunday
    registered = _registered(as_, "complex")
    # 15 working days: 21-25 and 28-31 December (9), 1 January off by rule, 4-8 January (14), 11 January.
    assert registered["deadline"] == "2027-01-11T15:59:59+00:00"
    assert registered["deadline_provisional"] is True

    complete(as_, "station", registered["id"], "collate", {"unit": "V01"})
    village = task(as_, "village", registered["id"], "handle_village")
    assert (village["due_at"], village["due_provisional"]) == ("2026-12-23T15:59:59+00:00", False)  # all in 2026
    assert _appeal(as_, registered["id"])["deadline_provisional"] is True


def test_escalation_timers_fire_across_the_year_boundary(as_, runtime, clock):
    _at(clock, "2026-12-28T10:00:00+08:00")
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    town = task(as_, "town", appeal["id"], "handle_town")
    # 7 working days: 29, 30, 31 December, (1 January off), 4, 5, 6, 7 January 2027.
    assert (town["due_at"], town["due_provisional"]) == ("2027-01-07T15:59:59+00:00", True)

    _at(clock, "2027-01-07T00:30:00+08:00")
    assert fire_due(runtime) == 1  # the reminder, a day before the limit
    _at(clock, "2027-01-08T00:30:00+08:00")
    assert fire_due(runtime) == 1  # the limit: up to the district
    district = task(as_, "district", appeal["id"], "handle_district")
    # 7 working days from Friday 8 January: 11-15, 18, 19 January, still by rule.
    assert (district["due_at"], district["due_provisional"]) == ("2027-01-19T15:59:59+00:00", True)
    assert ("timer_fired", "remind_town") in history_types(as_, appeal["id"])
    assert ("timer_fired", "overdue_town") in history_types(as_, appeal["id"])


def test_ready_warns_from_1_october_that_next_year_has_no_official_schedule(app, as_, clock):
    client = app.test_client()
    _at(clock, "2026-09-30T12:00:00+08:00")
    quiet = client.get("/ready")
    assert quiet.status_code == 200 and "warnings" not in quiet.json
    assert quiet.json["checks"]["calendar"] == {"ok": True}

    _at(clock, "2026-10-01T08:00:00+08:00")
    warned = client.get("/ready")
    assert warned.status_code == 200 and warned.json["status"] == "ready"
    assert warned.json["checks"]["calendar"]["missing"] == [2027]
    assert "2027" in warned.json["warnings"][0]

    assert as_("admin").put("/api/v1/calendar/2027", json=OFFICIAL_2027).status_code == 200
    assert "warnings" not in client.get("/ready").json


def test_loading_the_2027_schedule_moves_exactly_the_provisional_times_it_changes(as_, runtime, clock):
    settled = _registered(as_, "consultation")  # 2 November 2026: nothing in 2027
    _at(clock, "2026-12-20T10:00:00+08:00")
    complex_ = _registered(as_, "complex")  # 11 January either way: the worked Saturday makes up for 4 January
    _at(clock, "2026-12-29T10:00:00+08:00")
    livelihood = _registered(as_, "livelihood")
    _at(clock, "2027-01-05T10:00:00+08:00")
    town = report(as_)
    to_handling(as_, town["id"], unit="T01")
    _at(clock, "2027-01-07T10:00:00+08:00")
    grid = report(as_)
    to_handling(as_, grid["id"], unit="G01")
    assert task(as_, "town", town["id"])["due_at"] == "2027-01-14T15:59:59+00:00"
    assert task(as_, "grid", grid["id"])["due_at"] == "2027-01-11T15:59:59+00:00"

    _at(clock, "2027-01-10T12:00:00+08:00")  # a Sunday
    # The three appeals waiting at collate: each collate reminder and limit (days of 2026, none provisional).
    assert fire_due(runtime) == 6
    loaded = as_("admin").put("/api/v1/calendar/2027", json=OFFICIAL_2027)
    assert loaded.status_code == 200, loaded.json
    assert loaded.json["replanned"] == 4 and loaded.json["workdays"] == ["2027-01-09"]

    assert _replans(as_, settled["id"]) == []
    assert [r["moves"] for r in _replans(as_, complex_["id"])] == [{}]  # the same day, now official
    assert _appeal(as_, complex_["id"])["deadline"] == "2027-01-11T15:59:59+00:00"
    # 7 working days from Tuesday 29 December: 30, 31, (1 and 4 January off), 5, 6, 7, 8, Saturday 9 January.
    assert _replans(as_, livelihood["id"])[0]["moves"] == {"2027-01-08T23:59:59+08:00": "2027-01-09T23:59:59+08:00"}
    # From Tuesday 5 January: 6, 7, 8, Saturday 9, 11, 12, 13 (was 14): the limit, the reply deadline and the
    # reminder a day before move back a day; the return window (2 days: 7 January) stays.
    assert _replans(as_, town["id"])[0]["moves"] == {
        "2027-01-14T23:59:59+08:00": "2027-01-13T23:59:59+08:00",
        "2027-01-13T23:59:59+08:00": "2027-01-12T23:59:59+08:00",
    }
    # From Thursday 7 January: the grid's 2 days end on Saturday 9 (was Monday 11), its reminder on Friday 8.
    assert _replans(as_, grid["id"])[0]["moves"] == {
        "2027-01-18T23:59:59+08:00": "2027-01-15T23:59:59+08:00",
        "2027-01-11T23:59:59+08:00": "2027-01-09T23:59:59+08:00",
        "2027-01-10T23:59:59+08:00": "2027-01-08T23:59:59+08:00",
    }
    for appeal_id, deadline in (
        (complex_["id"], "2027-01-11T15:59:59+00:00"),
        (livelihood["id"], "2027-01-09T15:59:59+00:00"),
        (town["id"], "2027-01-13T15:59:59+00:00"),
        (grid["id"], "2027-01-15T15:59:59+00:00"),
    ):
        assert (_appeal(as_, appeal_id)["deadline"], _appeal(as_, appeal_id)["deadline_provisional"]) == (
            deadline,
            False,
        )
    # An auditor sees the town's limit as it was before the re-plan, and as it is after it.
    events = as_("auditor").get(f"/api/v1/appeals/{town['id']}/history").json
    replanned = next(e["seq"] for e in events if e["type"] == "replanned")
    before, after = (
        as_("auditor").get(f"/api/v1/appeals/{town['id']}/state?at={seq}").json for seq in (replanned - 1, replanned)
    )
    assert [(t["due_at"], t["due_provisional"]) for t in before["tasks"]] == [("2027-01-14T15:59:59+00:00", True)]
    assert [(t["due_at"], t["due_provisional"]) for t in after["tasks"]] == [("2027-01-13T15:59:59+00:00", False)]
    assert (before["appeal"]["deadline_provisional"], after["appeal"]["deadline_provisional"]) == (True, False)

    town_task = task(as_, "town", town["id"], "handle_town")
    assert (town_task["due_at"], town_task["due_provisional"]) == ("2027-01-13T15:59:59+00:00", False)
    grid_task = task(as_, "grid", grid["id"], "handle_grid")
    assert (grid_task["due_at"], grid_task["due_provisional"]) == ("2027-01-09T15:59:59+00:00", False)

    # The grid's new limit and reminder have passed: both fire at the next sweep, and the village takes over.
    _at(clock, "2027-01-10T12:01:00+08:00")
    assert fire_due(runtime) == 2
    assert ("timer_fired", "overdue_grid") in history_types(as_, grid["id"])
    village = task(as_, "village", grid["id"], "handle_village")
    assert (village["due_at"], village["due_provisional"]) == ("2027-01-13T15:59:59+00:00", False)  # 11, 12, 13
    assert task(as_, "town", town["id"], "handle_town")["id"] == town_task["id"]  # not yet due: untouched
