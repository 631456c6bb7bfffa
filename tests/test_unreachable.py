"""A citizen the callback operator cannot reach: each failed attempt is recorded, and after the attempts the
DMN allows (callback_attempts: 3) the appeal closes as "could not reach the citizen", counted apart from
satisfaction in the statistics."""

from .helpers import complete, history_types, report, task, to_handling

NOVEMBER = "since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"
NOT_REACHED = {"reached": False, "comment": "No answer; the phone rang out."}


def _to_evaluation(as_) -> int:
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="G01")
    complete(as_, "grid", appeal["id"], "handle_grid", {"outcome": "resolved", "note": "Lamp replaced"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "The lamp was replaced."})
    return appeal["id"]


def test_after_the_attempts_the_dmn_allows_the_appeal_closes_as_not_reached(as_):
    appeal_id = _to_evaluation(as_)
    for attempt in (1, 2):
        after = complete(as_, "callback", appeal_id, "evaluate", NOT_REACHED)
        assert (after["status"], after["stage"], after["failed_callbacks"]) == ("open", "evaluate", attempt)
        assert task(as_, "callback", appeal_id, "evaluate")["context"]["failed_callbacks"] == attempt

    closed = complete(as_, "callback", appeal_id, "evaluate", NOT_REACHED)
    assert (closed["status"], closed["unreachable"], closed["satisfaction"]) == ("closed", True, None)
    assert closed["disposition"] == "resolved" and closed["stage"] == "look_back"  # the look-back still follows
    history = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/history").json
    assert [e["data"] for e in history if e["type"] == "citizen_not_reached"] == [
        {"attempt": n, "of": 3} for n in (1, 2, 3)
    ]
    [closing] = [e["data"] for e in history if e["type"] == "closed"]
    assert closing == {"disposition": "resolved", "satisfaction": None, "unreachable": True}


def test_a_citizen_reached_at_a_later_attempt_gives_an_ordinary_verdict(as_):
    appeal_id = _to_evaluation(as_)
    complete(as_, "callback", appeal_id, "evaluate", NOT_REACHED)
    closed = complete(as_, "callback", appeal_id, "evaluate", {"satisfaction": "basically_satisfied", "score": 4})
    assert (closed["status"], closed["satisfaction"], closed["unreachable"]) == ("closed", "basically_satisfied", False)
    assert history_types(as_, appeal_id).count(("citizen_not_reached", "evaluate")) == 1


def test_a_verdict_without_reaching_the_citizen_is_refused_naming_the_field(as_):
    appeal_id = _to_evaluation(as_)
    evaluate = task(as_, "callback", appeal_id, "evaluate")
    refused = as_("callback").post(
        f"/api/v1/tasks/{evaluate['id']}/complete", json={"data": {"reached": False, "satisfaction": "satisfied"}}
    )
    assert refused.status_code == 422 and set(refused.json["error"]["fields"]) == {"satisfaction"}
    missing = as_("callback").post(f"/api/v1/tasks/{evaluate['id']}/complete", json={"data": {"reached": True}})
    assert missing.status_code == 422 and set(missing.json["error"]["fields"]) == {"satisfaction"}
    assert task(as_, "callback", appeal_id, "evaluate")["id"] == evaluate["id"]  # nothing written


def test_statistics_count_citizens_not_reached_apart_from_satisfaction(as_):
    satisfied, dissatisfied, unreached = _to_evaluation(as_), _to_evaluation(as_), _to_evaluation(as_)
    complete(as_, "callback", satisfied, "evaluate", {"satisfaction": "satisfied"})
    complete(as_, "callback", dissatisfied, "evaluate", {"satisfaction": "dissatisfied"})
    for _ in range(3):
        complete(as_, "callback", unreached, "evaluate", NOT_REACHED)

    stats = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}").json
    assert (stats["evaluated"], stats["satisfied"], stats["dissatisfied"]) == (2, 1, 1)
    assert stats["satisfaction_rate"] == 0.5  # over the two citizens reached, not three
    assert (stats["unreachable"], stats["unreachable_rate"]) == (1, 0.3333)  # 1 of 3 evaluations ended unreached
    assert stats["settled"] == 2  # the satisfied one and the one closed unreached; the dissatisfied one reopened
