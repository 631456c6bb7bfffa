"""Auditors: a tamper-evident history, replay that proves it, state at any event, bundles that verify
offline, and reads that are accounted for without changing the appeal."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from appeals.domain.models import AccessLog
from engine import HistoryEvent, Instance

from .helpers import complete, report, task, to_handling

ROOT = Path(__file__).resolve().parent.parent


def _history(as_, appeal_id):
    return as_("auditor").get(f"/api/v1/appeals/{appeal_id}/history").json


def _verdict(as_, appeal_id):
    response = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/replay")
    assert response.status_code == 200, response.json
    return response.json


def _closed_loop(as_):
    """The livelihood scenario; returns the appeal id and, after each call, (last seq, the API's answer)."""
    seen = []

    def note(answer):
        seen.append((len(_history(as_, appeal["id"])), answer))

    appeal = report(as_)
    note(appeal)
    note(complete(as_, "intake", appeal["id"], "resolve_on_site", {"resolved": False}))
    note(complete(as_, "intake", appeal["id"], "register", {"category": "livelihood", "summary": "x"}))
    note(complete(as_, "station", appeal["id"], "collate", {"unit": "V01"}))
    note(complete(as_, "village", appeal["id"], "handle_village", {"outcome": "escalate", "note": "up"}))
    note(as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim").json)
    note(as_("leader").post(f"/api/v1/appeals/{appeal['id']}/instructions", json={"text": "Fix it"}).json)
    note(complete(as_, "town", appeal["id"], "handle_town", {"outcome": "resolved", "note": "done"}))
    note(complete(as_, "station", appeal["id"], "feedback", {"message": "done"}))
    note(complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "dissatisfied"}))
    note(complete(as_, "town", appeal["id"], "handle_town", {"outcome": "resolved", "note": "again"}))
    note(complete(as_, "station", appeal["id"], "feedback", {"message": "done"}))
    note(complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied"}))
    return appeal["id"], seen


FIELDS = (
    "status",
    "stage",
    "unit",
    "category",
    "deadline",
    "disposition",
    "satisfaction",
    "reopen_count",
    "closed_at",
    "claimed_by",
)


def test_state_at_every_seq_is_what_the_api_answered_then(as_):
    appeal_id, seen = _closed_loop(as_)
    assert _verdict(as_, appeal_id)["consistent"] is True
    for seq, answer in seen:
        state = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/state?at={seq}")
        assert state.status_code == 200, state.json
        assert {f: state.json["appeal"][f] for f in FIELDS} == {f: answer[f] for f in FIELDS}, seq
        assert [i["text"] for i in state.json["appeal"]["instructions"]] == [i["text"] for i in answer["instructions"]]
        then = [(t["id"], t["step"], t["unit"], t["due_at"]) for t in state.json["tasks"]]
        assert then == [(t["id"], t["step"], t["unit"], t["due_at"]) for t in answer["tasks"]], seq


def test_replay_covers_timers_extensions_and_returns(as_, runtime, clock):
    from datetime import datetime

    from appeals.services.timers import fire_due

    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handling = task(as_, "village", appeal["id"], "handle_village")
    asked = as_("village").post(
        f"/api/v1/tasks/{handling['id']}/extensions", json={"until": "2026-11-10", "reason": "r"}
    )
    as_("leader").post(f"/api/v1/extensions/{asked.json['id']}/decision", json={"approved": True})
    clock.set(datetime.fromisoformat("2026-11-11T01:00:00+08:00"))
    assert fire_due(runtime) == 2
    returned = as_("town").post(f"/api/v1/tasks/{task(as_, 'town', appeal['id'])['id']}/return", json={"reason": "r"})
    assert returned.status_code in (200, 409)
    verdict = _verdict(as_, appeal["id"])
    assert verdict["consistent"] is True and verdict["events"] == len(_history(as_, appeal["id"]))


@pytest.mark.tampers
def test_one_changed_byte_in_one_event_is_found_and_named(as_, runtime):
    appeal_id, _ = _closed_loop(as_)
    events = _history(as_, appeal_id)
    target = next(e["seq"] for e in events if e["type"] == "task_completed" and e["step"] == "handle_village")
    with runtime.uow() as uow:
        instance_id = uow.session.scalar(select(Instance.id).join(HistoryEvent).limit(1))
        row = select(HistoryEvent.id).where(HistoryEvent.seq == target, HistoryEvent.instance_id == instance_id)
        event_id = uow.session.scalar(row)
        dialect = uow.session.bind.dialect.name
        changed = {"note": "uq", "outcome": "escalate"}  # "up" -> "uq": one byte
        if dialect == "postgresql":
            with pytest.raises(Exception, match="append-only"):
                uow.session.execute(update(HistoryEvent).where(HistoryEvent.id == event_id).values(data=changed))
            uow.session.rollback()
            uow.session.execute(text("ALTER TABLE history_event DISABLE TRIGGER history_event_append_only"))
        uow.session.execute(update(HistoryEvent).where(HistoryEvent.id == event_id).values(data=changed))
        if dialect == "postgresql":
            uow.session.execute(text("ALTER TABLE history_event ENABLE TRIGGER history_event_append_only"))
        uow.commit()
    verdict = _verdict(as_, appeal_id)
    assert verdict["consistent"] is False
    assert verdict["first_bad_seq"] == target and verdict["reason"] == "事件内容与其哈希值不符"


@pytest.mark.tampers
def test_a_state_altered_without_an_event_is_found_at_the_right_event(as_, runtime):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    last_change = max(e["seq"] for e in _history(as_, appeal["id"]) if e["type"] == "task_completed")
    with runtime.uow() as uow:
        instance = uow.session.scalar(select(Instance))
        altered = json.loads(json.dumps(instance.state).replace('"livelihood"', '"consultation"'))
        uow.session.execute(update(Instance).where(Instance.id == instance.id).values(state=altered))
        uow.commit()
    verdict = _verdict(as_, appeal["id"])
    assert verdict["consistent"] is False and verdict["first_bad_seq"] == last_change
    assert verdict["reason"] == "存储的状态与历史记录重放得出的状态不一致"


def test_a_bundle_verifies_offline_and_a_tampered_one_does_not(as_, tmp_path):
    appeal_id, _ = _closed_loop(as_)
    bundle = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/audit-bundle").json
    assert bundle["replay"]["consistent"] is True
    assert "Zhang" not in json.dumps(bundle) and "13812345678" not in json.dumps(bundle)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    good = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_bundle.py"), str(path)], capture_output=True, text=True
    )
    assert good.returncode == 0 and good.stdout.startswith("已核验："), good.stdout  # Chinese unless told English

    bundle["events"][4]["data"]["note"] = "down"
    path.write_text(json.dumps(bundle))
    bad = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_bundle.py"), str(path)], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "不通过：第 5 条事件：内容与其哈希值不符\n" in bad.stdout


def test_auditors_read_everything_change_nothing_and_their_reads_are_logged(as_, runtime, app):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    before = _history(as_, appeal["id"])
    assert as_("auditor").get(f"/api/v1/appeals/{appeal['id']}").status_code == 200
    assert as_("auditor").get("/api/v1/tasks").json == []
    handling = task(as_, "village", appeal["id"], "handle_village")
    refused = as_("auditor").post(
        f"/api/v1/tasks/{handling['id']}/complete", json={"data": {"outcome": "resolved", "note": "x"}}
    )
    assert refused.status_code == 403
    assert as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/audit-bundle").status_code == 200
    assert as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/state?at=2").status_code == 200
    assert as_("town").get(f"/api/v1/appeals/{appeal['id']}/replay").status_code == 403
    assert _history(as_, appeal["id"]) == before  # reading changed nothing in the appeal's history
    with runtime.uow() as uow:
        logged = uow.session.scalars(select(AccessLog.action).order_by(AccessLog.id)).all()
    assert logged == ["history", "read", "audit_bundle", "state_at:2", "history"]
    result = app.test_cli_runner().invoke(args=["replay", "--all"])
    assert result.exit_code == 0 and "条事件，一致" in result.output
