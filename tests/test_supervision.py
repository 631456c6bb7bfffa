"""Time limits that hold: reminders the handlers see, name-call records, supervision, claims, instructions,
extensions and returns to collation, each with its events."""

from datetime import datetime

from appeals.domain.models import Appeal
from appeals.services.timers import fire_due
from appeals.services.users import add_user

from .helpers import complete, history_types, locks_and_writes, report, statements, task, to_handling


def _at(clock, moment):
    clock.set(datetime.fromisoformat(moment))


def test_reminder_then_escalation_then_name_call_as_the_clock_passes_each_limit(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")  # village: 3 working days, to the end of Thursday 5 November

    _at(clock, "2026-11-05T08:00:00+08:00")  # past the reminder (24 hours before the limit)
    assert fire_due(runtime) == 1
    handling = task(as_, "village", appeal["id"], "handle_village")
    assert handling["reminded_at"] == "2026-11-05T00:00:00+00:00"
    reminders = as_("village").get("/api/v1/notifications").json
    assert [n["task_id"] for n in reminders] == [handling["id"]] and "2026年11月5日 23:59" in reminders[0]["message"]
    assert as_("town").get("/api/v1/notifications").json == []  # another role's reminders are not theirs

    _at(clock, "2026-11-06T09:00:00+08:00")  # 9 hours after the limit
    assert fire_due(runtime) == 1
    assert as_("town").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "handle_town"
    types = history_types(as_, appeal["id"])
    assert types.index(("reminder_sent", "handle_village")) < types.index(("limit_passed", "handle_village"))
    assert ("handed_over", "handle_town") in types

    bulletin = as_("leader").get(
        "/api/v1/bulletins/late-units?since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"
    )
    assert bulletin.status_code == 200
    assert bulletin.json == [{"unit": "V01", "times_late": 1, "longest_late_seconds": 9 * 3600 + 1}]
    assert as_("village").get(bulletin.request.full_path).status_code == 403


def test_leaders_claim_and_instruct_and_everyone_sees_it(as_, runtime):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    claimed = as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim")
    assert claimed.status_code == 200 and claimed.json["claimed_by"] == "leader"
    assert as_("town").get(f"/api/v1/appeals/{appeal['id']}").json["claimed_by"] == "leader"
    assert as_("town").post(f"/api/v1/appeals/{appeal['id']}/claim").status_code == 403

    _, token = add_user(runtime.uow(), name="second-leader", role="leader", unit="D01")
    other = as_("leader").client.post(
        f"/api/v1/appeals/{appeal['id']}/claim", headers={"Authorization": f"Bearer {token}"}
    )
    assert other.status_code == 409

    text = "Street office: replace the lamp before the weekend and report back."
    instructed = as_("leader").post(f"/api/v1/appeals/{appeal['id']}/instructions", json={"text": text})
    assert instructed.status_code == 201
    seen = as_("town").get(f"/api/v1/appeals/{appeal['id']}").json["instructions"]
    assert [(i["author"], i["text"]) for i in seen] == [("leader", text)]
    assert {("claimed", None), ("instruction", None)} <= set(history_types(as_, appeal["id"]))


def test_supervision_instruction_is_recorded_as_an_instruction(as_):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="D01")  # a district-level dispatch
    complete(as_, "district", appeal["id"], "handle_district", {"outcome": "escalate", "note": "needs the leader"})
    instructed = complete(
        as_, "leader", appeal["id"], "supervise", {"instruction": "Town T02 handles it.", "unit": "T02"}
    )
    assert instructed["stage"] == "handle_town" and instructed["unit"] == "T02"
    assert [i["text"] for i in instructed["instructions"]] == ["Town T02 handles it."]


def test_an_approved_extension_moves_the_limit_and_is_told_at_feedback(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handling = task(as_, "village", appeal["id"], "handle_village")
    asked = as_("village").post(
        f"/api/v1/tasks/{handling['id']}/extensions", json={"until": "2026-11-10", "reason": "Parts arrive Monday"}
    )
    assert asked.status_code == 201 and asked.json["status"] == "pending"
    assert (
        as_("village")
        .post(f"/api/v1/tasks/{handling['id']}/extensions", json={"until": "2026-11-11", "reason": "again"})
        .status_code
        == 409
    )  # one pending request at a time
    assert (
        as_("village").post(f"/api/v1/extensions/{asked.json['id']}/decision", json={"approved": True}).status_code
        == 403
    )

    decided = as_("leader").post(
        f"/api/v1/extensions/{asked.json['id']}/decision", json={"approved": True, "note": "ok"}
    )
    assert decided.status_code == 200 and decided.json["status"] == "approved"
    moved = task(as_, "village", appeal["id"], "handle_village")
    assert moved["due_at"] == "2026-11-10T15:59:59+00:00"  # the end of 10 November in Beijing
    assert as_("village").get(f"/api/v1/appeals/{appeal['id']}").json["deadline"] == "2026-11-11T15:59:59+00:00"

    _at(clock, "2026-11-06T09:00:00+08:00")  # the old limit passed: nothing fires
    assert fire_due(runtime) == 0
    _at(clock, "2026-11-10T01:00:00+08:00")  # the reminder, 24 hours before the new limit
    assert fire_due(runtime) == 1
    complete(as_, "village", appeal["id"], "handle_village", {"outcome": "resolved", "note": "replaced"})
    feedback = task(as_, "station", appeal["id"], "feedback")
    assert feedback["context"]["extension"]["until"] == "2026-11-10T23:59:59+08:00"
    assert feedback["context"]["extension"]["reason"] == "Parts arrive Monday"
    types = [kind for kind, _ in history_types(as_, appeal["id"])]
    assert types.index("extension_requested") < types.index("extension_approved")


def test_a_refused_extension_changes_nothing_and_a_late_request_is_refused(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handling = task(as_, "village", appeal["id"], "handle_village")
    asked = (
        as_("village")
        .post(f"/api/v1/tasks/{handling['id']}/extensions", json={"until": "2026-11-12", "reason": "busy"})
        .json
    )
    refused = as_("leader").post(f"/api/v1/extensions/{asked['id']}/decision", json={"approved": False, "note": "no"})
    assert refused.json["status"] == "refused"
    assert as_("leader").post(f"/api/v1/extensions/{asked['id']}/decision", json={"approved": True}).status_code == 409
    assert task(as_, "village", appeal["id"], "handle_village")["due_at"] == handling["due_at"]
    assert ("extension_refused", "handle_village") in history_types(as_, appeal["id"])

    _at(clock, "2026-11-05T23:59:59+08:00")
    late = as_("village").post(
        f"/api/v1/tasks/{handling['id']}/extensions", json={"until": "2026-11-12", "reason": "x"}
    )
    assert late.status_code == 409


def test_a_wrongly_dispatched_appeal_returns_to_collation_within_its_window(as_, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")  # return window: 2 working days, to the end of Wednesday 4 November
    handling = task(as_, "village", appeal["id"], "handle_village")
    returned = as_("village").post(f"/api/v1/tasks/{handling['id']}/return", json={"reason": "This is a grid matter"})
    assert returned.status_code == 200, returned.json
    assert returned.json["stage"] == "collate" and returned.json["unit"] == "V01"
    assert ("returned_to_collate", "collate") in history_types(as_, appeal["id"])

    complete(as_, "station", appeal["id"], "collate", {"unit": "G01"})
    _at(clock, "2026-11-05T09:00:00+08:00")
    grid_task = task(as_, "grid", appeal["id"], "handle_grid")
    too_late = as_("grid").post(f"/api/v1/tasks/{grid_task['id']}/return", json={"reason": "not ours either"})
    assert too_late.status_code == 409 and too_late.json["error"]["code"] == "conflict"
    assert too_late.json["error"]["message"] == "诉求只能在 2026年11月4日 23:59 之前退回重新分派"  # Beijing time


def test_an_appeal_counts_its_instructions_and_its_view_reads_them_only_when_there_are_some(as_, runtime):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    read = lambda: as_("town").get(f"/api/v1/appeals/{appeal['id']}")  # noqa: E731
    reads_instructions = lambda ran: any(" FROM instruction" in " ".join(s.split()) for s in ran)  # noqa: E731
    ran, response = statements(runtime, read)
    assert response.json["instructions"] == [] and not reads_instructions(ran)

    for text in ("Replace the lamp.", "And report back by Friday."):
        instructed = as_("leader").post(f"/api/v1/appeals/{appeal['id']}/instructions", json={"text": text})
        assert instructed.status_code == 201
    ran, response = statements(runtime, read)
    assert [i["text"] for i in response.json["instructions"]] == ["Replace the lamp.", "And report back by Friday."]
    assert reads_instructions(ran)
    with runtime.uow() as uow:
        assert uow.session.get(Appeal, appeal["id"]).instruction_count == 2


def test_an_instruction_locks_its_appeals_instance_before_it_counts_on_the_appeal(as_, runtime):
    """Every writer of an appeal takes its instance's row first (one lock order: a completion of the same
    appeal meets it there, never in a deadlock over the appeal's row)."""
    appeal = report(as_)
    instruct = lambda: as_("leader").post(  # noqa: E731
        f"/api/v1/appeals/{appeal['id']}/instructions", json={"text": "Call the citizen today."}
    )
    ran, response = statements(runtime, instruct)
    assert response.status_code == 201 and response.json["instructions"][0]["text"] == "Call the citizen today."
    writes = locks_and_writes(runtime, ran)
    assert writes[0] == "LOCK instance" and "UPDATE appeal SET" in writes
