"""The seven-step closed loop and the escalation chain, driven through the HTTP API on the real processes."""

from datetime import datetime

import pytest

from appeals.services.timers import fire_due

from .helpers import complete, history_types, report, task, to_handling


def test_consultation_settled_on_the_spot_closes_and_opens_its_look_back_at_once(as_, clock):
    appeal = report(as_, category="consultation")
    assert appeal["stage"] == "resolve_on_site" and appeal["status"] == "open"
    assert appeal["process"] == {"id": "appeal", "version": 1}

    complete(
        as_, "intake", appeal["id"], "resolve_on_site", {"resolved": True, "reply": "The bus runs every 10 minutes."}
    )
    complete(as_, "station", appeal["id"], "feedback", {"message": "Answered on the phone."})
    closed = complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied", "score": 5})

    assert closed["status"] == "closed"
    assert closed["disposition"] == "resolved_on_site"
    assert closed["satisfaction"] == "satisfied"
    assert closed["closed_at"] is not None
    assert closed["stage"] == "look_back" and closed["unit"] == "V01"
    [look_back] = closed["tasks"]  # the station's, due 7 working days after closing on Monday 2 November
    assert (look_back["step"], look_back["lane"], look_back["due_at"]) == (
        "look_back",
        "station",
        "2026-11-11T15:59:59+00:00",
    )
    types = history_types(as_, appeal["id"])
    assert [step for kind, step in types if kind == "task_completed"] == ["resolve_on_site", "feedback", "evaluate"]


def test_livelihood_escalated_dissatisfied_reopened_at_the_town_and_closed(as_):
    appeal = report(as_)
    dispatched = to_handling(as_, appeal["id"], unit="V01")
    assert dispatched["stage"] == "handle_village" and dispatched["unit"] == "V01"
    assert dispatched["category"] == "livelihood" and dispatched["deadline"] is not None

    escalated = complete(
        as_, "village", appeal["id"], "handle_village", {"outcome": "escalate", "note": "Needs the street office"}
    )
    assert escalated["stage"] == "handle_town" and escalated["unit"] == "T01"
    complete(as_, "town", appeal["id"], "handle_town", {"outcome": "resolved", "note": "Lamp replaced"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "The lamp was replaced."})
    reopened = complete(
        as_, "callback", appeal["id"], "evaluate", {"satisfaction": "dissatisfied", "comment": "Out again"}
    )

    assert reopened["status"] == "open"
    assert reopened["stage"] == "handle_town" and reopened["unit"] == "T01"
    assert reopened["reopen_count"] == 1
    complete(as_, "town", appeal["id"], "handle_town", {"outcome": "resolved", "note": "Wiring repaired"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "The wiring was repaired."})
    closed = complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied"})
    assert closed["status"] == "closed" and closed["satisfaction"] == "satisfied" and closed["reopen_count"] == 1
    events = history_types(as_, appeal["id"])
    assert [kind for kind, _ in events if kind in ("handed_over", "closed", "reopened")] == [
        "handed_over",
        "handed_over",
        "handed_over",
        "reopened",
        "handed_over",
        "closed",
    ]  # V01 -> T01 -> V01 -> T01 ...
    handled = [(kind, step) for kind, step in events if kind == "task_completed"]
    assert handled == [
        ("task_completed", s)
        for s in (
            "resolve_on_site",
            "register",
            "collate",
            "handle_village",
            "handle_town",
            "feedback",
            "evaluate",
            "handle_town",
            "feedback",
            "evaluate",
        )
    ]


@pytest.mark.parametrize("outcome", ["resolved", "explained", "referred_legal"])
def test_each_final_outcome_goes_to_feedback_and_is_the_disposition(as_, outcome):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="G01")
    after = complete(as_, "grid", appeal["id"], "handle_grid", {"outcome": outcome, "note": "handled"})
    assert after["stage"] == "feedback" and after["disposition"] == outcome
    complete(as_, "station", appeal["id"], "feedback", {"message": "done"})
    assert (
        complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "basically_satisfied"})["status"]
        == "closed"
    )


def test_deferred_appeal_gets_feedback_then_returns_to_its_handler_on_the_promised_date(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    deferred = complete(
        as_,
        "town",
        appeal["id"],
        "handle_town",
        {"outcome": "deferred", "note": "Needs a new pole", "promised_date": "2026-11-20"},
    )
    assert deferred["stage"] == "feedback" and deferred["disposition"] == "deferred"
    waiting = complete(as_, "station", appeal["id"], "feedback", {"message": "A new pole comes by 20 November."})
    assert waiting["stage"] == "await_promised_date" and waiting["tasks"] == []

    clock.set(clock.now().replace(day=19))
    assert fire_due(runtime) == 0
    clock.set(clock.now().replace(day=20))  # 09:00 Beijing on the promised date, past its midnight
    assert fire_due(runtime) == 1

    returned = as_("town").get(f"/api/v1/appeals/{appeal['id']}").json
    assert returned["stage"] == "handle_town" and returned["unit"] == "T01" and returned["disposition"] is None
    assert ("timer_fired", "await_promised_date") in history_types(as_, appeal["id"])


def _mark_duplicate(as_, duplicate_id, original_number) -> dict:
    complete(as_, "intake", duplicate_id, "resolve_on_site", {"resolved": False})
    complete(as_, "intake", duplicate_id, "register", {"category": "livelihood", "summary": "same light"})
    return complete(as_, "station", duplicate_id, "collate", {"unit": "V01", "duplicate_of": original_number})


def test_duplicate_is_closed_and_linked_both_ways(as_):
    original = report(as_)
    duplicate = report(as_, title="Same street light again")
    closed = _mark_duplicate(as_, duplicate["id"], original["number"])
    assert closed["status"] == "closed"
    assert closed["disposition"] == "duplicate"
    assert closed["duplicate_of"] == original["number"]
    assert closed["duplicates"] == [] and closed["original_reply"] is None
    assert closed["tasks"] == []

    repeated = as_("station").get(f"/api/v1/appeals/{original['id']}").json
    assert repeated["duplicates"] == [duplicate["number"]] and repeated["duplicate_of"] is None
    listed = {a["id"]: a for a in as_("station").get("/api/v1/appeals").json}
    assert listed[original["id"]]["duplicates"] == [duplicate["number"]]
    linked = [
        e
        for e in as_("auditor").get(f"/api/v1/appeals/{original['id']}/history").json
        if e["type"] == "duplicate_linked"
    ]
    assert [e["data"] for e in linked] == [{"duplicate": duplicate["number"]}]


def test_the_originals_reply_at_feedback_reaches_each_duplicate(as_, clock):
    original = report(as_)
    duplicates = [report(as_, title=f"Same street light, call {n}") for n in (1, 2)]
    for duplicate in duplicates:
        _mark_duplicate(as_, duplicate["id"], original["number"])
    to_handling(as_, original["id"], unit="V01")
    complete(as_, "village", original["id"], "handle_village", {"outcome": "resolved", "note": "Lamp replaced"})
    clock.set(datetime.fromisoformat("2026-11-04T15:00:00+08:00"))
    message = "The lamp at the bus stop was replaced on 4 November."
    complete(as_, "station", original["id"], "feedback", {"message": message})

    for duplicate in duplicates:
        shown = as_("station").get(f"/api/v1/appeals/{duplicate['id']}").json
        assert shown["original_reply"] == {"message": message, "at": "2026-11-04T07:00:00+00:00"}
        told = [
            e
            for e in as_("auditor").get(f"/api/v1/appeals/{duplicate['id']}/history").json
            if e["type"] == "original_replied"
        ]
        assert [(e["step"], e["actor"], e["data"]) for e in told] == [
            ("feedback", "station", {"original": original["number"], "message": message})
        ]
    assert as_("station").get(f"/api/v1/appeals/{original['id']}").json["original_reply"] is None


def test_a_duplicate_marked_after_the_reply_gets_that_reply_at_once(as_):
    original = report(as_)
    to_handling(as_, original["id"], unit="V01")
    complete(as_, "village", original["id"], "handle_village", {"outcome": "explained", "note": "Not ours"})
    complete(as_, "station", original["id"], "feedback", {"message": "The lamp belongs to the power company."})
    duplicate = report(as_, title="Same street light again")
    closed = _mark_duplicate(as_, duplicate["id"], original["number"])
    assert closed["original_reply"]["message"] == "The lamp belongs to the power company."
    assert ("original_replied", "feedback") in history_types(as_, duplicate["id"])


def test_dissatisfied_past_max_reopens_reaches_supervision(as_):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    for round_ in range(3):
        complete(as_, "town", appeal["id"], "handle_town", {"outcome": "resolved", "note": f"try {round_}"})
        complete(as_, "station", appeal["id"], "feedback", {"message": "done"})
        after = complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "dissatisfied"})
    assert after["stage"] == "supervise" and after["reopen_count"] == 3
    assert after["unit"] == "T01"  # the leaders of the appeal's town supervise it (and the district's, above them)

    instructed = complete(
        as_, "leader", appeal["id"], "supervise", {"instruction": "Town office: fix it this week.", "unit": "T02"}
    )
    assert instructed["stage"] == "handle_town" and instructed["unit"] == "T02"


def test_level_limit_sends_a_reminder_then_escalates_by_itself(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")  # Monday 2 November 2026, 09:00 in Beijing
    limit = task(as_, "village", appeal["id"], "handle_village")["due_at"]
    assert limit == "2026-11-05T15:59:59+00:00"  # village: 3 working days, to the end of Thursday (Beijing)

    clock.set(datetime.fromisoformat("2026-11-05T00:30:00+08:00"))  # past the reminder, 24 hours before
    assert fire_due(runtime) == 1
    assert as_("village").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "handle_village"

    clock.set(datetime.fromisoformat("2026-11-06T00:30:00+08:00"))
    assert fire_due(runtime) == 1
    escalated = as_("town").get(f"/api/v1/appeals/{appeal['id']}").json
    assert escalated["stage"] == "handle_town" and escalated["unit"] == "T01"
    fired = [step for kind, step in history_types(as_, appeal["id"]) if kind == "timer_fired"]
    assert fired == ["remind_village", "overdue_village"]


def test_look_back_that_finds_the_problem_recurred_reopens_the_appeal_at_its_last_handling_unit(as_, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="G01")
    complete(as_, "grid", appeal["id"], "handle_grid", {"outcome": "resolved", "note": "fixed"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "fixed"})
    complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied"})

    clock.set(datetime.fromisoformat("2026-11-05T10:00:00+08:00"))
    reopened = complete(as_, "station", appeal["id"], "look_back", {"recurred": True, "note": "dark again"})
    assert reopened["status"] == "open" and reopened["closed_at"] is None
    assert reopened["stage"] == "handle_grid" and reopened["reopen_count"] == 1


def test_an_appeals_number_carries_the_day_it_was_reported_in_the_citys_time(as_, clock):
    """07:30 on 3 November in Beijing is still 2 November in UTC: the number says the 3rd."""
    clock.set(datetime.fromisoformat("2026-11-03T07:30:00+08:00"))
    early = report(as_)
    clock.set(datetime.fromisoformat("2026-11-03T23:59:00+08:00"))
    late = report(as_)
    assert early["number"] == f"20261103-{early['id']:06d}"
    assert late["number"] == f"20261103-{late['id']:06d}"
