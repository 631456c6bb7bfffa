"""Auditors' reads are all accounted for: each endpoint an auditor reads appeals through adds one row to
the access log (and nothing to any appeal's history); auditors cannot unmask a reporter's contact."""

import json

import pytest
from sqlalchemy import func, select

from appeals.domain.models import AccessLog
from engine import HistoryEvent

from .helpers import image, report, to_handling, upload

PERIOD = "since=2026-11-01&until=2026-11-30"
#: (URL, the action logged, whether the row names the appeal): every GET that shows an auditor appeals.
READS = [
    ("/api/v1/appeals", "appeals", False),
    ("/api/v1/appeals?status=open&unit=V01&limit=5", "appeals", False),
    ("/api/v1/appeals/{appeal}", "read", True),
    ("/api/v1/appeals/{appeal}/history", "history", True),
    ("/api/v1/appeals/{appeal}/replay", "replay", True),
    ("/api/v1/appeals/{appeal}/state?at=1", "state_at:1", True),
    ("/api/v1/appeals/{appeal}/audit-bundle", "audit_bundle", True),
    ("/api/v1/attachments?appeal={appeal}", "attachments", True),
    ("/api/v1/attachments/{attachment}/content", "attachment:{attachment}", True),
    ("/api/v1/attachments/{attachment}/thumbnail", "thumbnail:{attachment}", True),
    (f"/api/v1/stats?{PERIOD}", "stats", False),
    ("/api/v1/reports/monthly/2026-11", "monthly_report", False),
    (f"/api/v1/bulletins/late-units?{PERIOD}", "late_units", False),
    ("/api/v1/claims", "claims", False),
    ("/api/v1/extensions", "extensions", False),
]


@pytest.fixture
def world(as_):
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    added = upload(as_("intake"), appeal["id"], image(), "a.png")
    assert added.status_code == 201, added.json
    return {"appeal": appeal["id"], "attachment": added.json["id"]}


def logged(runtime) -> list[tuple]:
    """The access log's rows: (actor, role, action, appeal id, detail)."""
    columns = (AccessLog.actor, AccessLog.role, AccessLog.action, AccessLog.appeal_id, AccessLog.detail)
    with runtime.uow() as uow:
        return [tuple(row) for row in uow.session.execute(select(*columns).order_by(AccessLog.id))]


def history_length(runtime) -> int:
    with runtime.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(HistoryEvent))


@pytest.mark.parametrize("url, action, of_appeal", READS, ids=[url for url, _, _ in READS])
def test_each_auditor_read_adds_one_row_to_the_access_log(as_, runtime, world, url, action, of_appeal):
    before, events = len(logged(runtime)), history_length(runtime)
    response = as_("auditor").get(url.format(**world))
    assert response.status_code == 200, response.json
    rows = logged(runtime)[before:]
    assert [row[:3] for row in rows] == [("auditor", "auditor", action.format(**world))]
    assert rows[0][3] == (world["appeal"] if of_appeal else None)
    assert history_length(runtime) == events  # reading changes no appeal


def test_a_list_is_logged_with_what_it_asked_and_no_personal_data(as_, runtime, world):
    as_("auditor").get("/api/v1/appeals?status=open&unit=V01&limit=5")
    (row,) = logged(runtime)
    assert json.loads(row[4]) == {"status": "open", "unit": "V01", "limit": 5, "offset": 0}
    stats = as_("auditor").get(f"/api/v1/stats?{PERIOD}&channel=hotline")
    assert stats.status_code == 200
    asked = json.loads(logged(runtime)[-1][4])
    assert asked["channel"] == "hotline" and asked["since"] == "2026-11-01T00:00:00+08:00"


def test_other_readers_are_not_logged(as_, runtime, world):
    for role in ("leader", "admin", "village"):
        assert as_(role).get("/api/v1/appeals").status_code == 200
        assert as_(role).get(f"/api/v1/appeals/{world['appeal']}").status_code == 200
    assert logged(runtime) == []


def test_auditors_cannot_unmask_a_reporter_and_asking_writes_nothing(as_, runtime, world):
    events = history_length(runtime)
    refused = as_("auditor").post(f"/api/v1/appeals/{world['appeal']}/contact", json={"reason": "to check the call"})
    assert refused.status_code == 403 and refused.json["error"]["fields"] == {"role": "审计员不能执行此操作"}
    assert "138" not in json.dumps(refused.json)
    assert history_length(runtime) == events and logged(runtime) == []
    reporter = as_("auditor").get(f"/api/v1/appeals/{world['appeal']}").json["reporter"]
    assert reporter == {"name": "Z********", "phone": "*******5678"}
