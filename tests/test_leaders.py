"""Leaders (seed 004): claims with a completion limit from the DMN, released and listed, reminded by the
timer sweep; reminders sent by hand (催办); leaders told when an appeal reaches supervision; and every
notification read or unread by each reader. Each action leaves its event in the appeal's history."""

import io
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from appeals.services.timers import fire_due
from appeals.services.users import add_user

from .helpers import RoleClient, complete, history_types, report, task, to_handling

ROOT = Path(__file__).resolve().parent.parent


def _at(clock, moment):
    clock.set(datetime.fromisoformat(moment))


@pytest.fixture
def user(as_, runtime):
    """`user("name", "role", "UNIT")`: a client speaking as a further user."""
    client = as_("leader").client

    def make(name, role, unit):
        _, token = add_user(runtime.uow(), name=name, role=role, unit=unit)
        return RoleClient(client, token)

    return make


def _events(as_, appeal_id, kind):
    return [e for e in as_("auditor").get(f"/api/v1/appeals/{appeal_id}/history").json if e["type"] == kind]


def test_a_claim_takes_its_limit_from_the_dmn_or_the_leader_and_is_listed_in_my_claims(as_):
    livelihood, complex_ = report(as_), report(as_)
    to_handling(as_, livelihood["id"], unit="T01")
    to_handling(as_, complex_["id"], unit="T01", category="complex")

    claimed = as_("leader").post(f"/api/v1/appeals/{livelihood['id']}/claim")
    assert claimed.status_code == 200, claimed.json
    assert claimed.json["claimed_by"] == "leader"
    # Monday 2 November 09:00 + 7 working days (claim_other), reminded 24 hours before
    (event,) = _events(as_, livelihood["id"], "claimed")
    assert event["actor"] == "leader"
    assert event["data"] == {
        "by": "leader",
        "due_at": "2026-11-11T23:59:59+08:00",
        "remind_at": "2026-11-10T23:59:59+08:00",
        "limit": "dmn",
    }
    # set on the spot: the end of 20 November in Beijing, reminded 48 hours before (claim_complex)
    on_the_spot = as_("leader").post(f"/api/v1/appeals/{complex_['id']}/claim", json={"until": "2026-11-20"})
    assert on_the_spot.status_code == 200, on_the_spot.json

    mine = as_("leader").get("/api/v1/claims?mine=true")
    assert mine.status_code == 200
    assert [(c["appeal_id"], c["due_at"], c["remind_at"], c["status"], c["late"]) for c in mine.json] == [
        (livelihood["id"], "2026-11-11T15:59:59+00:00", "2026-11-10T15:59:59+00:00", "active", False),
        (complex_["id"], "2026-11-20T15:59:59+00:00", "2026-11-18T15:59:59+00:00", "active", False),
    ]
    assert as_("auditor").get("/api/v1/claims").json == mine.json  # auditors read every claim
    assert as_("town").get("/api/v1/claims").status_code == 403


def test_a_claim_refuses_a_limit_behind_or_far_ahead_and_a_closed_appeal(as_):
    appeal = report(as_)
    for until, status in (("2026-11-01", 422), ("2027-12-01", 422), ("soon", 422)):
        refused = as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim", json={"until": until})
        assert refused.status_code == status and "until" in refused.json["error"]["fields"], refused.json
    closed = report(as_, category="consultation")
    complete(as_, "intake", closed["id"], "resolve_on_site", {"resolved": True, "reply": "Answered."})
    complete(as_, "station", closed["id"], "feedback", {"message": "Answered."})
    complete(as_, "callback", closed["id"], "evaluate", {"satisfaction": "satisfied"})
    too_late = as_("leader").post(f"/api/v1/appeals/{closed['id']}/claim")
    assert too_late.status_code == 409 and too_late.json["error"]["fields"] == {"appeal": "诉求已办结"}
    assert as_("auditor").get("/api/v1/claims").json == []  # nothing written
    assert _events(as_, appeal["id"], "claimed") == _events(as_, closed["id"], "claimed") == []


def _deploy_time_limits(as_, tmp_path, old: str, new: str) -> None:
    """Deploy the bundled package with `old` replaced by `new` in its time_limits.dmn, as a designer would."""
    for folder in ("processes", "forms"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    dmn = tmp_path / "processes" / "time_limits.dmn"
    text = dmn.read_text()
    assert old in text
    dmn.write_text(text.replace(old, new))
    files = [(io.BytesIO(p.read_bytes()), p.name) for f in ("processes", "forms") for p in (tmp_path / f).iterdir()]
    deployed = as_("designer").post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data")
    assert deployed.status_code == 201, deployed.json


def test_an_administrator_changes_the_claim_limit_in_the_dmn_without_code(as_, tmp_path):
    _deploy_time_limits(
        as_,
        tmp_path,
        '<outputEntry id="claim_other_out0"><text>7</text></outputEntry>',
        '<outputEntry id="claim_other_out0"><text>3</text></outputEntry>',
    )
    appeal = report(as_)
    as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim")
    (claim,) = as_("leader").get("/api/v1/claims?mine=true").json
    assert claim["due_at"] == "2026-11-05T15:59:59+00:00"  # Monday 2 November + 3 working days


def test_a_claim_limit_dmn_without_a_catch_all_rule_is_refused_in_the_readers_language(as_, tmp_path):
    """The claim's limit comes from a decision outside any instance: when no rule matches, the leader reads
    why, in Chinese unless they ask for English, and nothing is claimed."""
    _deploy_time_limits(
        as_,
        tmp_path,
        '<inputEntry id="claim_other_in0"><text>-</text></inputEntry>',
        '<inputEntry id="claim_other_in0"><text>"livelihood"</text></inputEntry>',
    )
    appeal = report(as_)  # not yet collated: no category, which only the catch-all rule took
    claim = f"/api/v1/appeals/{appeal['id']}/claim"
    chinese, english = as_("leader").post(claim), as_("leader").post(claim, headers={"Accept-Language": "en"})
    assert chinese.status_code == english.status_code == 422
    assert chinese.json["error"]["code"] == english.json["error"]["code"] == "process_error"
    assert chinese.json["error"]["message"] == (
        "决策“claim_limit”没有与输入（category）相符的规则：请加一条兜底规则（各输入单元格均为“-”）"
    )
    assert english.json["error"]["message"] == (
        "no rule of decision 'claim_limit' matches its inputs (category): add a catch-all rule"
    )
    assert as_("leader").get("/api/v1/claims?mine=true").json == []


def test_a_leader_releases_their_own_claim_but_not_anothers(as_, user):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    second = user("leader-t01", "leader", "T01")
    as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim")
    events_before = len(as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/history").json)

    theirs = second.client.delete(f"/api/v1/appeals/{appeal['id']}/claim", headers=second.headers)
    assert theirs.status_code == 403
    assert theirs.json["error"]["fields"] == {"claim": "由 leader 领办"}
    assert len(as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/history").json) == events_before  # nothing written
    assert as_("leader").get(f"/api/v1/appeals/{appeal['id']}").json["claimed_by"] == "leader"
    taken = second.post(f"/api/v1/appeals/{appeal['id']}/claim")
    assert taken.status_code == 409 and taken.json["error"]["fields"] == {"claim": "已被他人领办"}

    released = as_("leader").client.delete(f"/api/v1/appeals/{appeal['id']}/claim", headers=as_("leader").headers)
    assert released.status_code == 200 and released.json["claimed_by"] is None
    assert ("claim_released", None) in history_types(as_, appeal["id"])
    assert as_("leader").get("/api/v1/claims?mine=true").json == []
    (kept,) = as_("leader").get("/api/v1/claims?mine=true&released=true").json
    assert kept["status"] == "released" and kept["released_at"] == "2026-11-02T01:00:00+00:00"

    again = as_("leader").client.delete(f"/api/v1/appeals/{appeal['id']}/claim", headers=as_("leader").headers)
    assert again.status_code == 409 and again.json["error"]["fields"] == {"claim": "未被领办，无可取消"}
    assert second.post(f"/api/v1/appeals/{appeal['id']}/claim").status_code == 200  # free to claim again
    state = as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/state?at={events_before + 1}").json
    assert state["appeal"]["claimed_by"] is None  # the state just after the release
    unknown = as_("leader").client.delete("/api/v1/appeals/999999/claim", headers=as_("leader").headers)
    assert unknown.status_code == 404


def test_the_sweep_reminds_the_leader_once_before_the_claims_limit(as_, runtime, clock, user):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")  # the town's own reminder is not due before 10 November
    as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim", json={"until": "2026-11-06"})
    other_leader = user("leader-2", "leader", "D01")

    _at(clock, "2026-11-05T09:00:00+08:00")
    assert fire_due(runtime) == 0  # the reminder is due 24 hours before the end of 6 November
    _at(clock, "2026-11-06T00:00:00+08:00")
    assert fire_due(runtime) == 1
    assert fire_due(runtime) == 0  # once

    (notice,) = as_("leader").get("/api/v1/notifications").json
    assert notice["kind"] == "claim_reminder" and notice["recipient"] == "leader" and notice["read"] is False
    assert "2026年11月6日 23:59" in notice["message"]  # the limit in Beijing time
    assert other_leader.get("/api/v1/notifications").json == []  # a claim's reminder is its leader's alone
    (event,) = _events(as_, appeal["id"], "claim_reminder_sent")
    assert event["data"]["leader"] == "leader" and event["actor"] is None
    (claim,) = as_("leader").get("/api/v1/claims?mine=true").json
    assert claim["reminded_at"] == "2026-11-05T16:00:00+00:00"

    _at(clock, "2026-11-09T09:00:00+08:00")
    assert as_("leader").get("/api/v1/claims?mine=true").json[0]["late"] is True  # active past its limit


def test_a_released_claim_or_a_closed_appeal_is_not_reminded(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim", json={"until": "2026-11-06"})
    as_("leader").client.delete(f"/api/v1/appeals/{appeal['id']}/claim", headers=as_("leader").headers)
    _at(clock, "2026-11-06T00:00:00+08:00")
    assert fire_due(runtime) == 0
    assert _events(as_, appeal["id"], "claim_reminder_sent") == []


def test_a_leader_or_station_reminds_the_unit_holding_the_task_by_hand(as_):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handling = task(as_, "village", appeal["id"], "handle_village")

    sent = as_("station").post(f"/api/v1/appeals/{appeal['id']}/reminders", json={"note": "请今天联系群众"})
    assert sent.status_code == 201, sent.json
    assert sent.json["reminded"] == [
        {"task_id": handling["id"], "step": "handle_village", "unit": "V01", "lane": "village"}
    ]
    (notice,) = as_("village").get("/api/v1/notifications").json
    assert notice["kind"] == "manual_reminder" and notice["task_id"] == handling["id"]
    assert "请今天联系群众" in notice["message"] and "2026年11月5日 23:59" in notice["message"]
    assert as_("town").get("/api/v1/notifications").json == []  # the town is not the unit holding the task
    assert task(as_, "village", appeal["id"], "handle_village")["reminded_at"] == "2026-11-02T01:00:00+00:00"

    by_leader = as_("leader").post(
        f"/api/v1/appeals/{appeal['id']}/reminders", json={"note": "Report by Friday", "task": handling["id"]}
    )
    assert by_leader.status_code == 201
    events = _events(as_, appeal["id"], "manual_reminder")
    assert [(e["actor"], e["data"]["note"]) for e in events] == [
        ("station", "请今天联系群众"),
        ("leader", "Report by Friday"),
    ]
    assert as_("grid").post(f"/api/v1/appeals/{appeal['id']}/reminders", json={"note": "x"}).status_code == 403


def test_a_reminder_by_hand_refuses_bad_input_and_writes_nothing(as_):
    waiting = report(as_)  # deferred and told so: it waits for its promised date with no task open
    to_handling(as_, waiting["id"], unit="T01")
    deferred = {"outcome": "deferred", "note": "parts ordered", "promised_date": "2026-11-20"}
    complete(as_, "town", waiting["id"], "handle_town", deferred)
    assert complete(as_, "station", waiting["id"], "feedback", {"message": "By 20 November."})["tasks"] == []
    before = history_types(as_, waiting["id"])

    no_task = as_("station").post(f"/api/v1/appeals/{waiting['id']}/reminders", json={"note": "hurry"})
    assert no_task.status_code == 409 and no_task.json["error"]["fields"] == {"appeal": "没有待办任务"}
    open_ = report(as_)
    not_open = as_("station").post(
        f"/api/v1/appeals/{open_['id']}/reminders", json={"note": "hurry", "task": "no-such-task"}
    )
    assert not_open.status_code == 422 and not_open.json["error"]["fields"] == {"task": "不是该诉求的待办任务"}
    unknown = as_("station").post("/api/v1/appeals/999999/reminders", json={"note": "hurry"})
    assert unknown.status_code == 404
    no_note = as_("station").post(f"/api/v1/appeals/{open_['id']}/reminders", json={})
    assert no_note.status_code == 422 and "note" in no_note.json["error"]["fields"]

    assert history_types(as_, waiting["id"]) == before
    assert _events(as_, open_["id"], "manual_reminder") == []
    assert as_("town").get("/api/v1/notifications").json == []


def test_leaders_of_the_appeals_town_and_district_are_told_when_it_reaches_supervision(as_, user):
    town_leader, other_town_leader = user("leader-t01", "leader", "T01"), user("leader-t02", "leader", "T02")
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="T01")
    complete(as_, "town", appeal["id"], "handle_town", {"outcome": "escalate", "note": "beyond the street"})
    assert as_("leader").get("/api/v1/notifications").json == []
    reached = complete(as_, "district", appeal["id"], "handle_district", {"outcome": "escalate", "note": "leader"})
    assert reached["stage"] == "supervise"

    supervise = task(as_, "leader", appeal["id"], "supervise")
    for reader in (as_("leader"), town_leader):
        (notice,) = reader.get("/api/v1/notifications").json
        assert (notice["kind"], notice["task_id"], notice["unit"]) == ("supervision", supervise["id"], "T01")
        assert reached["number"] in notice["message"]
    assert other_town_leader.get("/api/v1/notifications").json == []  # not their town
    assert as_("district").get("/api/v1/notifications").json == []  # for leaders, not handlers
    (event,) = _events(as_, appeal["id"], "supervision_notified")
    assert event["step"] == "supervise" and event["data"] == {"unit": "T01", "lane": "leader"}


def test_an_appeal_dispatched_to_the_district_tells_the_districts_leaders(as_, user):
    town_leader = user("leader-t01", "leader", "T01")
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="D01")
    complete(as_, "district", appeal["id"], "handle_district", {"outcome": "escalate", "note": "leader"})
    (notice,) = as_("leader").get("/api/v1/notifications").json
    assert notice["unit"] == "D01"
    assert town_leader.get("/api/v1/notifications").json == []


def test_a_district_limit_lapsing_into_supervision_tells_the_leaders_too(as_, runtime, clock):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="D01")  # the district's limit: the end of Wednesday 11 November
    _at(clock, "2026-11-12T09:00:00+08:00")
    fire_due(runtime)
    assert as_("leader").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "supervise"
    notices = [n for n in as_("leader").get("/api/v1/notifications").json if n["kind"] == "supervision"]
    assert [n["appeal_id"] for n in notices] == [appeal["id"]]
    assert [e["actor"] for e in _events(as_, appeal["id"], "supervision_notified")] == [None]


def test_each_reader_reads_their_notifications_for_themselves(as_, user):
    second_village = user("village-2", "village", "V01")
    first, other = report(as_), report(as_)
    for appeal in (first, other):
        to_handling(as_, appeal["id"], unit="V01")
        as_("station").post(f"/api/v1/appeals/{appeal['id']}/reminders", json={"note": "hurry"})
    assert as_("village").get("/api/v1/notifications/unread-count").json == {"unread": 2}

    newest, oldest = as_("village").get("/api/v1/notifications").json
    read = as_("village").post(f"/api/v1/notifications/{oldest['id']}/read")
    assert read.status_code == 200 and read.json["read"] is True
    assert as_("village").post(f"/api/v1/notifications/{oldest['id']}/read").status_code == 200  # again: no change
    assert [n["read"] for n in as_("village").get("/api/v1/notifications").json] == [False, True]
    assert [n["id"] for n in as_("village").get("/api/v1/notifications?unread=true").json] == [newest["id"]]
    assert as_("village").get("/api/v1/notifications/unread-count").json == {"unread": 1}
    assert second_village.get("/api/v1/notifications/unread-count").json == {"unread": 2}  # theirs to read

    assert as_("village").post("/api/v1/notifications/read-all").json == {"marked": 1}
    assert as_("village").get("/api/v1/notifications/unread-count").json == {"unread": 0}
    assert as_("village").post("/api/v1/notifications/read-all").json == {"marked": 0}
    assert second_village.get("/api/v1/notifications/unread-count").json == {"unread": 2}

    not_theirs = as_("town").post(f"/api/v1/notifications/{newest['id']}/read")
    assert not_theirs.status_code == 404 and not_theirs.json["error"]["fields"] == {"id": "没有这条通知"}
    assert as_("village").post("/api/v1/notifications/999999/read").status_code == 404
    assert as_("village").get("/api/v1/notifications?unread=maybe").status_code == 422


NOVEMBER = "since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"


def test_the_reminder_and_redo_rates_in_stats_match_the_hand_counts(as_, clock):
    """Five appeals reported on 2 November:

    | appeal | unit now | what happened                                     | reminded | replied | reopened |
    |--------|----------|---------------------------------------------------|----------|---------|----------|
    | R1     | V01      | reminded twice by the station                     | yes      |         |          |
    | R2     | T01      | reminded once by the leader                       | yes      |         |          |
    | R3     | V01      | resolved, answered, judged dissatisfied: reopened |          | yes     | yes      |
    | R4     | V01      | settled on the spot, answered, satisfied          |          | yes     |          |
    | R5     | G01      | resolved, answered, satisfied                     |          | yes     |          |
    """
    r1, r2, r3, r4, r5 = (report(as_)["id"] for _ in range(5))
    to_handling(as_, r1, unit="V01")
    to_handling(as_, r2, unit="T01")
    for appeal_id, sender in ((r1, "station"), (r1, "station"), (r2, "leader")):
        assert as_(sender).post(f"/api/v1/appeals/{appeal_id}/reminders", json={"note": "hurry"}).status_code == 201
    to_handling(as_, r3, unit="V01")
    complete(as_, "village", r3, "handle_village", {"outcome": "resolved", "note": "fixed"})
    complete(as_, "station", r3, "feedback", {"message": "fixed"})
    assert complete(as_, "callback", r3, "evaluate", {"satisfaction": "dissatisfied"})["reopen_count"] == 1
    complete(as_, "intake", r4, "resolve_on_site", {"resolved": True, "reply": "Answered."})
    complete(as_, "station", r4, "feedback", {"message": "Answered."})
    complete(as_, "callback", r4, "evaluate", {"satisfaction": "satisfied"})
    to_handling(as_, r5, unit="G01")
    complete(as_, "grid", r5, "handle_grid", {"outcome": "resolved", "note": "fixed"})
    complete(as_, "station", r5, "feedback", {"message": "fixed"})
    complete(as_, "callback", r5, "evaluate", {"satisfaction": "satisfied"})
    _at(clock, "2026-11-03T09:00:00+08:00")

    stats = as_("leader").get(f"/api/v1/stats?{NOVEMBER}").json
    assert (stats["collected"], stats["reminded"], stats["reminder_rate"]) == (5, 2, 0.4)  # R1, R2 of 5
    assert (stats["replied"], stats["reopened"], stats["redo_rate"]) == (3, 1, 0.3333)  # R3 of R3, R4, R5
    cards = {card["unit"]: card for card in stats["units"]}
    rates = {code: (c["reminded"], c["reminder_rate"], c["replied"], c["redo_rate"]) for code, c in cards.items()}
    assert rates == {
        "V01": (1, 0.3333, 2, 0.5),  # R1, R3, R4: R1 reminded; R3 and R4 answered, R3 reopened
        "T01": (1, 1.0, 0, None),  # R2: reminded, never answered
        "G01": (0, 0.0, 1, 0.0),  # R5
    }


def test_a_reminder_by_hand_with_the_longest_note_reaches_its_unit_whole(as_):
    """The note may be 1,000 characters; the notification worded from it is longer than any short column."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    note = "请" * 1000
    sent = as_("station").post(f"/api/v1/appeals/{appeal['id']}/reminders", json={"note": note})
    assert sent.status_code == 201, sent.json
    (notice,) = as_("village").get("/api/v1/notifications").json
    assert note in notice["message"]
