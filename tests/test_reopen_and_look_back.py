"""The end of the closed loop: an appeal settled on the spot reopens at registration, and the look-back opens
at closing, comes due 7 working days later, and is reminded of and recorded late like any other limit."""

from datetime import datetime

from appeals.services.timers import fire_due

from .helpers import complete, history_types, report, task

NOVEMBER = "since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"


def _at(clock, moment: str) -> None:
    clock.set(datetime.fromisoformat(moment))


def _settled_on_the_spot(as_) -> dict:
    """An appeal settled on the spot, its reply fed back: the callback operator's evaluation is next."""
    appeal = report(as_, category="consultation")
    complete(as_, "intake", appeal["id"], "resolve_on_site", {"resolved": True, "reply": "The office opens at 9."})
    complete(as_, "station", appeal["id"], "feedback", {"message": "Told on the phone."})
    return appeal


def test_a_dissatisfied_citizen_sends_an_appeal_settled_on_the_spot_back_to_registration(as_):
    appeal = _settled_on_the_spot(as_)
    reopened = complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "dissatisfied", "score": 1})

    assert (reopened["status"], reopened["stage"], reopened["unit"]) == ("open", "register", "V01")
    assert reopened["reopen_count"] == 1 and reopened["disposition"] is None and reopened["closed_at"] is None
    assert ("reopened", "register") in history_types(as_, appeal["id"])

    # Registered, it is dispatched like any appeal; from then on dissatisfaction reopens it where it was handled.
    complete(as_, "intake", appeal["id"], "register", {"category": "livelihood", "summary": "office hours unclear"})
    complete(as_, "station", appeal["id"], "collate", {"unit": "G01"})
    complete(as_, "grid", appeal["id"], "handle_grid", {"outcome": "explained", "note": "Hours posted at the door"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "The hours are posted."})
    again = complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "dissatisfied"})
    assert (again["stage"], again["unit"], again["reopen_count"]) == ("handle_grid", "G01", 2)

    stats = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}").json
    assert (stats["reopened"], stats["reopenings"]) == (1, 2)


def test_a_look_back_that_finds_the_problem_recurred_sends_an_appeal_settled_on_the_spot_back_to_registration(
    as_, clock
):
    appeal = _settled_on_the_spot(as_)
    closed = complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied"})
    assert (closed["status"], closed["stage"]) == ("closed", "look_back")

    _at(clock, "2026-11-04T10:00:00+08:00")
    reopened = complete(as_, "station", appeal["id"], "look_back", {"recurred": True, "note": "Asked again today"})
    assert (reopened["status"], reopened["stage"], reopened["closed_at"]) == ("open", "register", None)
    assert reopened["reopen_count"] == 1 and reopened["satisfaction"] is None and reopened["disposition"] is None
    assert task(as_, "intake", appeal["id"], "register")["unit"] == "V01"
    events = [kind for kind, _ in history_types(as_, appeal["id"])]
    assert events.index("closed") < events.index("reopened")


def test_the_look_back_is_due_7_working_days_after_closing_and_lapses_into_a_reminder_and_a_late_record(
    as_, runtime, clock
):
    _at(clock, "2026-11-27T15:00:00+08:00")  # a Friday: the 7 working days run over a weekend
    appeal = _settled_on_the_spot(as_)
    closed = complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied"})

    # Closed now, and looked back at now: 30 November to 4 December, 7 and 8 December; to the end of the 8th.
    assert (closed["status"], closed["closed_at"]) == ("closed", "2026-11-27T07:00:00+00:00")
    look_back = task(as_, "station", appeal["id"], "look_back")
    assert look_back["due_at"] == "2026-12-08T15:59:59+00:00"

    _at(clock, "2026-12-07T23:59:58+08:00")
    assert fire_due(runtime) == 0
    _at(clock, "2026-12-07T23:59:59+08:00")  # 24 hours before the limit
    assert fire_due(runtime) == 1
    [reminder] = as_("station").get("/api/v1/notifications").json
    assert reminder["task_id"] == look_back["id"] and reminder["kind"] == "reminder"

    _at(clock, "2026-12-09T08:00:00+08:00")  # 8 hours and a second past the limit
    assert fire_due(runtime) == 1
    still = task(as_, "station", appeal["id"], "look_back")
    assert (still["id"], still["due_at"]) == (look_back["id"], look_back["due_at"])  # lapsed, not taken away
    bulletin = (
        as_("leader")
        .get("/api/v1/bulletins/late-units?since=2026-12-01T00:00:00%2B08:00&until=2027-01-01T00:00:00%2B08:00")
        .json
    )
    assert bulletin == [{"unit": "V01", "times_late": 1, "longest_late_seconds": 8 * 3600 + 1}]
    types = history_types(as_, appeal["id"])
    assert types.index(("reminder_sent", "look_back")) < types.index(("limit_passed", "look_back"))

    done = complete(as_, "station", appeal["id"], "look_back", {"recurred": False, "note": "Fine, late"})
    assert (done["status"], done["stage"], done["tasks"]) == ("closed", "closed", [])
    assert done["closed_at"] == "2026-11-27T07:00:00+00:00"  # closing is when the citizen's case closed
