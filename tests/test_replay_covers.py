"""Replay covers what people see (issue 26): the history's end against the instance row, and the appeal
record, the open work items and the due timers against what the history gives; each difference named, in
the reader's language (the assertions read the English, and the Chinese where both are shown)."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from appeals.domain.models import Appeal
from engine import DueTimer, HistoryEvent, Instance, WorkItem, hash_chain
from engine.store import DIGEST_EVERY

from .helpers import Trial, complete, deploy_constructs, report, tampering, to_handling

pytestmark = pytest.mark.tampers


EN = {"Accept-Language": "en"}


def _verdict(as_, appeal_id, headers=EN):
    response = as_("auditor").get(f"/api/v1/appeals/{appeal_id}/replay", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def handled(as_):
    """An appeal at the village's handling (V01), consistent to begin with; returns its id and last seq."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    verdict = _verdict(as_, appeal["id"])
    assert verdict["consistent"] is True, verdict
    return appeal["id"], verdict["events"]


def test_a_removed_last_event_is_found_against_the_instances_last_seq(as_, runtime, app, handled):
    appeal_id, last = handled
    with tampering(runtime) as session:
        instance_id = session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal_id))
        session.execute(delete(HistoryEvent).where(HistoryEvent.instance_id == instance_id, HistoryEvent.seq == last))
    verdict = _verdict(as_, appeal_id)
    assert verdict["consistent"] is False and verdict["first_bad_seq"] == last - 1
    assert verdict["reason"] == f"the history ends at event {last - 1}, but the instance's last event is {last}"
    chinese = _verdict(as_, appeal_id, headers={})  # no Accept-Language: zh-CN, the same verdict
    assert {**chinese, "reason": None} == {**verdict, "reason": None}
    assert chinese["reason"] == f"历史记录止于第 {last - 1} 条事件，而流程实例记录的最后一条事件是第 {last} 条"
    replayed = app.test_cli_runner().invoke(args=["replay", str(appeal_id)])  # the console, in Chinese too
    assert replayed.exit_code == 1 and replayed.output.endswith(f"条事件起不一致：{chinese['reason']}\n")


def test_a_last_hash_that_is_not_the_last_events_is_found(as_, runtime, handled):
    appeal_id, last = handled
    with tampering(runtime) as session:
        instance_id = session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal_id))
        session.execute(update(Instance).where(Instance.id == instance_id).values(last_hash="0" * 64))
    verdict = _verdict(as_, appeal_id)
    assert verdict["consistent"] is False and "last_hash" in verdict["reason"], verdict


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("status", "closed", "the appeal record's status is 'closed', the history gives 'open'"),
        ("satisfaction", "satisfied", "the appeal record's satisfaction is 'satisfied', the history gives None"),
        ("unit", "V02", "the appeal record's unit is 'V02', the history gives 'V01'"),
        ("stage", "evaluate", "the appeal record's stage is 'evaluate', the history gives 'handle_village'"),
    ],
)
def test_a_changed_appeal_record_is_found_and_the_field_named(as_, runtime, handled, field, value, named):
    appeal_id, last = handled
    with tampering(runtime) as session:
        session.execute(update(Appeal).where(Appeal.id == appeal_id).values({field: value}))
    verdict = _verdict(as_, appeal_id)
    assert verdict["consistent"] is False and verdict["first_bad_seq"] == last
    assert verdict["reason"] == named


def test_a_work_item_moved_to_another_unit_is_found(as_, runtime, handled):
    appeal_id, _ = handled
    with tampering(runtime) as session:
        session.execute(update(WorkItem).where(WorkItem.closed_at.is_(None)).values(candidate_group="V02"))
    verdict = _verdict(as_, appeal_id)
    assert verdict["consistent"] is False
    assert verdict["reason"] == (
        "open work item 'handle_village': unit is 'V02' in the database, the history gives 'V01'"
    )
    chinese = _verdict(as_, appeal_id, headers={"Accept-Language": "zh-CN,zh;q=0.9"})["reason"]
    assert chinese == "待办事项“村级办理”：数据库中的 unit 为 'V02'，历史记录得出 'V01'"


def test_a_work_item_closed_behind_the_process_is_found(as_, runtime, handled):
    appeal_id, _ = handled
    with tampering(runtime) as session:
        session.execute(update(WorkItem).where(WorkItem.closed_at.is_(None)).values(closed_at=runtime.clock.now()))
    verdict = _verdict(as_, appeal_id)
    assert verdict["consistent"] is False
    assert verdict["reason"] == "open work item 'handle_village' is in the history but not in the database"


def test_a_due_timer_put_off_is_found(as_, runtime, handled):
    appeal_id, _ = handled
    with tampering(runtime) as session:
        timer = session.scalars(select(DueTimer).order_by(DueTimer.due_at)).first()
        step = timer.step
        session.execute(update(DueTimer).where(DueTimer.id == timer.id).values(due_at=timer.due_at + timedelta(days=7)))
    verdict = _verdict(as_, appeal_id)
    assert verdict["consistent"] is False
    assert verdict["reason"].startswith(f"due timer '{step}': due_at is "), verdict


def _digests(runtime, instance_id) -> list[tuple[int, str | None]]:
    """(seq, state digest) of each event of the instance that records a change, in order."""
    with runtime.uow() as uow:
        rows = uow.session.execute(
            select(HistoryEvent.seq, HistoryEvent.state_hash, HistoryEvent.change)
            .where(HistoryEvent.instance_id == instance_id)
            .order_by(HistoryEvent.seq)
        ).all()
    return [(seq, state_hash) for seq, state_hash, change in rows if change is not None]


def test_the_state_digest_goes_with_every_eighth_revision_and_replay_holds_it_there(as_, runtime):
    """The digest of the state an operation produced is taken at every DIGEST_EVERY-th revision (and at the
    end, below); replay compares its own state with it there. A digest rewritten with the history
    rechained (what the database's rights allow) is found at its event."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    complete(as_, "village", appeal["id"], "handle_village", {"outcome": "escalate", "note": "Needs the street"})
    complete(as_, "town", appeal["id"], "handle_town", {"outcome": "resolved", "note": "Lamp replaced"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "The lamp was replaced."})
    with runtime.uow() as uow:
        instance_id = uow.session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal["id"]))
    changes = _digests(runtime, instance_id)
    digested = [seq for seq, state_hash in changes if state_hash is not None]
    assert len(changes) == 7 and digested == [changes[DIGEST_EVERY - 2][0]]  # the start wrote revision 2
    assert _verdict(as_, appeal["id"])["consistent"] is True
    with tampering(runtime) as session:
        previous = hash_chain.GENESIS
        for event in session.scalars(
            select(HistoryEvent).where(HistoryEvent.instance_id == instance_id).order_by(HistoryEvent.seq)
        ):
            if event.seq == digested[0]:
                event.state_hash = "0" * 64
            event.prev_hash = previous
            event.hash = previous = hash_chain.event_hash(event)
        session.get(Instance, instance_id).last_hash = previous
    verdict = _verdict(as_, appeal["id"])
    assert verdict["consistent"] is False and verdict["first_bad_seq"] == digested[0]
    assert verdict["reason"].endswith("does not produce the state recorded with it")
    chinese = _verdict(as_, appeal["id"], headers={})["reason"]
    assert chinese.startswith("重放“") and chinese.endswith("”事件得到的状态与随该事件记录的状态不一致")
    url = f"/api/v1/appeals/{appeal['id']}/state?at={digested[0]}"  # the state after it: refused, saying why
    refused = as_("auditor").get(url).json["error"]["message"]
    assert refused == f"历史记录无法重放：第 {digested[0]} 条事件：{chinese}"
    english = as_("auditor").get(url, headers=EN).json["error"]["message"]
    assert english == f"the history does not replay: event {digested[0]}: {verdict['reason']}"


def test_the_change_that_ends_an_instance_carries_its_state_digest(as_, runtime):
    deploy_constructs(as_, "construct_parallel.bpmn")
    trial = Trial(as_, "construct_parallel")
    trial.complete("legal_review", {"legal_ok": True})
    assert trial.complete("finance_review", {"finance_ok": False})["status"] == "completed"
    assert [state_hash is not None for _, state_hash in _digests(runtime, trial.id)] == [False, False, True]
