"""A limit on every human step: collation, feedback, evaluation and supervision each have a limit and a
reminder from time_limits.dmn. A lapsed limit is a late record against the unit holding the step, which
keeps it (nothing moves up); the task shows when it was due throughout. Supervision belongs to the
leaders of the appeal's town and of its district."""

from datetime import UTC, datetime

import pytest

from appeals.services.timers import fire_due
from appeals.services.users import add_user

from .helpers import RoleClient, complete, history_types, report, task, to_handling

DECEMBER = "since=2026-11-01T00:00:00%2B08:00&until=2027-01-01T00:00:00%2B08:00"


def _at(clock, moment: str) -> None:
    clock.set(datetime.fromisoformat(moment))


def _registered(as_, appeal_id):
    complete(as_, "intake", appeal_id, "resolve_on_site", {"resolved": False})
    complete(as_, "intake", appeal_id, "register", {"category": "livelihood", "summary": "pavement broken"})


def _handled(as_, appeal_id):
    _registered(as_, appeal_id)
    complete(as_, "station", appeal_id, "collate", {"unit": "G01"})
    complete(as_, "grid", appeal_id, "handle_grid", {"outcome": "resolved", "note": "Paved again"})


def _fed_back(as_, appeal_id):
    _handled(as_, appeal_id)
    complete(as_, "station", appeal_id, "feedback", {"message": "The pavement was repaired."})


def _at_supervision(as_, appeal_id):
    """Dispatched to the town T01, passed up to the district and from there to the leaders."""
    to_handling(as_, appeal_id, unit="T01")
    complete(as_, "town", appeal_id, "handle_town", {"outcome": "escalate", "note": "Needs the district"})
    complete(as_, "district", appeal_id, "handle_district", {"outcome": "escalate", "note": "Needs a leader"})


# Each step reached on Monday 2 November 2026 at 09:00 in Beijing: (how to get there, its role, its unit,
# when it is due, when it is reminded), by step_limit and level_limit in time_limits.dmn.
STEPS = {
    # collate: 1 working day, reminded 8 hours before
    "collate": (_registered, "station", "V01", "2026-11-03T23:59:59+08:00", "2026-11-03T15:59:59+08:00"),
    # feedback: 2 working days, reminded 24 hours before
    "feedback": (_handled, "station", "V01", "2026-11-04T23:59:59+08:00", "2026-11-03T23:59:59+08:00"),
    # evaluate: 2 working days for each attempt to reach the citizen, reminded 24 hours before
    "evaluate": (_fed_back, "callback", "V01", "2026-11-04T23:59:59+08:00", "2026-11-03T23:59:59+08:00"),
    # supervise: 5 working days, reminded 24 hours before; the appeal's town holds it
    "supervise": (_at_supervision, "leader", "T01", "2026-11-09T23:59:59+08:00", "2026-11-08T23:59:59+08:00"),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_human_step_lapses_into_a_reminder_and_a_late_record_and_stays_with_its_unit(as_, runtime, clock, step):
    reach, role, unit, due, remind = STEPS[step]
    appeal = report(as_)
    reach(as_, appeal["id"])
    holder = as_(role) if role != "leader" else _leader_of(as_, runtime, "T01")
    open_task = _one_task(holder, appeal["id"], step)
    assert (open_task["unit"], open_task["due_at"]) == (unit, datetime.fromisoformat(due).astimezone(UTC).isoformat())

    _at(clock, remind)
    assert fire_due(runtime) == 1
    # (a leader also has the notice that the appeal reached supervision)
    [reminder] = [n for n in holder.get("/api/v1/notifications").json if n["kind"] == "reminder"]
    assert reminder["task_id"] == open_task["id"] and reminder["unit"] == unit

    _at(clock, "2026-11-10T09:00:00+08:00")  # past every limit above
    assert fire_due(runtime) == 1
    lapsed = holder.get(f"/api/v1/appeals/{appeal['id']}").json
    assert lapsed["stage"] == step and lapsed["unit"] == unit  # not passed up: the step stays where it was
    assert _one_task(holder, appeal["id"], step)["due_at"] == open_task["due_at"]
    late = int((datetime.fromisoformat("2026-11-10T09:00:00+08:00") - datetime.fromisoformat(due)).total_seconds())
    bulletin = as_("leader").get(f"/api/v1/bulletins/late-units?{DECEMBER}").json
    assert bulletin == [{"unit": unit, "times_late": 1, "longest_late_seconds": late}]
    types = history_types(as_, appeal["id"])
    assert types.index(("reminder_sent", step)) < types.index(("limit_passed", step))
    assert fire_due(runtime) == 0  # a lapsed limit lapses once


def test_a_town_leader_supervises_appeals_of_their_town_and_a_leader_of_another_town_does_not(as_, runtime):
    appeal = report(as_)
    _at_supervision(as_, appeal["id"])
    own, other = _leader_of(as_, runtime, "T01"), _leader_of(as_, runtime, "T02")

    assert other.get(f"/api/v1/tasks?appeal={appeal['id']}").status_code == 404  # not even theirs to read
    supervise = _one_task(own, appeal["id"], "supervise")
    assert [t["id"] for t in as_("leader").get(f"/api/v1/tasks?appeal={appeal['id']}").json] == [supervise["id"]]
    data = {"data": {"instruction": "Street office: fix it this week.", "unit": "T01"}}
    refused = other.post(f"/api/v1/tasks/{supervise['id']}/complete", json=data)
    assert refused.status_code == 403 and "T01" in refused.json["error"]["message"]

    done = own.post(f"/api/v1/tasks/{supervise['id']}/complete", json=data)
    assert done.status_code == 200, done.json
    assert (done.json["stage"], done.json["unit"]) == ("handle_town", "T01")


def test_supervision_of_an_appeal_with_no_town_in_its_chain_is_the_districts(as_, runtime):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="D01")
    complete(as_, "district", appeal["id"], "handle_district", {"outcome": "escalate", "note": "Needs a leader"})
    assert task(as_, "leader", appeal["id"], "supervise")["unit"] == "D01"
    assert _leader_of(as_, runtime, "T01").get(f"/api/v1/tasks?appeal={appeal['id']}").json == []


def _leader_of(as_, runtime, unit: str) -> RoleClient:
    """A client speaking as a (new) leader of `unit`."""
    _, token = add_user(runtime.uow(), name=f"leader-{unit}", role="leader", unit=unit)
    return RoleClient(as_("leader").client, token)


def _one_task(client: RoleClient, appeal_id: int, step: str) -> dict:
    [found] = client.get(f"/api/v1/tasks?appeal={appeal_id}").json
    assert found["step"] == step, found
    return found
