"""One request is one unit of work: what it read before an operation shows what the operation wrote."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from appeals.domain.models import Appeal, Unit
from appeals.services.timers import fire_due
from engine import DueTimer

from .helpers import (
    REPORT,
    Trial,
    complete,
    deploy_constructs,
    flushed,
    history_types,
    locks_and_writes,
    report,
    statements,
    task,
    to_handling,
    transaction_ends,
)


def test_a_work_item_read_before_its_completion_shows_it_closed_afterwards(as_, runtime):
    appeal = report(as_)
    open_task = task(as_, "intake", appeal["id"], "resolve_on_site")
    with runtime.uow() as uow:
        item = uow.engine.open_work_item(open_task["id"])
        assert item.closed_at is None
        view = uow.engine.complete(open_task["id"], {"resolved": False}, actor="intake")
        uow.engine.write()  # as the unit of work does before it commits
        assert (item.outcome, item.closed_by) == ("completed", "intake") and item.closed_at is not None
        assert [t.step for t in view.tasks] == ["register"]
        # not committed: the appeal stays where it was
    assert task(as_, "intake", appeal["id"], "resolve_on_site")["id"] == open_task["id"]


def test_a_hand_over_is_written_with_its_completion_after_the_instance_is_locked(as_, runtime):
    """The domain's events join the operation's write (one UPDATE of the instance, one insert of events),
    and the instance's lock comes before any row is written: every writer takes that lock first, so two
    writers of one appeal meet there (409), never in a deadlock over the appeal row."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handle = task(as_, "village", appeal["id"], "handle_village")
    complete_it = lambda: as_("village").post(  # noqa: E731
        f"/api/v1/tasks/{handle['id']}/complete", json={"data": {"outcome": "escalate", "note": "not ours"}}
    )
    ran, response = statements(runtime, complete_it)
    assert response.status_code == 200 and response.json["unit"] == "T01"
    writes = locks_and_writes(runtime, ran)
    assert writes[0] == "LOCK instance"
    assert writes.count("UPDATE instance SET") == 1 and writes.count("INSERT INTO history_event") == 1
    last_two = history_types(as_, appeal["id"])[-2:]
    assert last_two == [("task_completed", "handle_village"), ("handed_over", "handle_town")]


def test_a_report_files_its_appeal_in_the_write_of_its_new_instance(as_, runtime):
    """The new instance's row comes first (the appeal refers to it); the appeal's `appeal_reported` event
    joins the start's write (one UPDATE of the new instance, one insert of events), and the process version
    is read with its package's hash."""
    ran, response = statements(runtime, lambda: as_("intake").post("/api/v1/appeals", json=REPORT))
    assert response.status_code == 201 and response.json["stage"] == "resolve_on_site"
    writes = locks_and_writes(runtime, ran)
    assert writes[:2] == ["INSERT INTO instance", "INSERT INTO appeal"]
    assert writes.count("UPDATE instance SET") == 1 and writes.count("INSERT INTO history_event") == 1
    assert not [s for s in ran if " ".join(s.split()).startswith("SELECT package.content_hash FROM package")]
    reported = as_("auditor").get(f"/api/v1/appeals/{response.json['id']}/history").json
    assert [(e["type"], e["data"].get("number")) for e in reported] == [
        ("instance_started", None),
        ("appeal_reported", response.json["number"]),
    ]


def test_the_next_operation_in_the_same_process_takes_the_workflow_kept_alive(as_, runtime):
    """A committed write keeps its workflow alive in the runtime (engine/live.py): the next completion of the
    appeal reads no stored state; one whose workflow is not kept (another process wrote last) reads it."""
    appeal = report(as_)
    reads_state = lambda ran: [s for s in ran if " ".join(s.split()).startswith("SELECT instance.state")]  # noqa: E731
    first = task(as_, "intake", appeal["id"], "resolve_on_site")
    ran, response = statements(
        runtime, lambda: as_("intake").post(f"/api/v1/tasks/{first['id']}/complete", json={"data": {"resolved": False}})
    )
    assert response.status_code == 200 and reads_state(ran) == []
    runtime.live = type(runtime.live)()  # as if another worker had written it
    second = task(as_, "intake", appeal["id"], "register")
    ran, response = statements(
        runtime,
        lambda: as_("intake").post(
            f"/api/v1/tasks/{second['id']}/complete", json={"data": {"category": "livelihood", "summary": "lamp"}}
        ),
    )
    assert response.status_code == 200 and len(reads_state(ran)) == 1 and response.json["stage"] == "collate"


def test_a_completion_locks_its_instance_first_then_reads_its_task_and_appeal_in_one_query(as_, runtime):
    """The instance comes first, with its version, locked (`lock_instance_of`; FOR UPDATE on PostgreSQL),
    and the engine holds it for the operation; then the task's row with its appeal and its unit, read under
    that lock (a racing completion is seen as done). The instance is not read again on its own."""
    appeal = report(as_)
    open_task = task(as_, "intake", appeal["id"], "resolve_on_site")
    complete_it = lambda: as_("intake").post(  # noqa: E731
        f"/api/v1/tasks/{open_task['id']}/complete", json={"data": {"resolved": False}}
    )
    ran, response = statements(runtime, complete_it)
    assert response.status_code == 200 and response.json["stage"] == "register"
    reads = [" ".join(s.split()) for s in ran if s.lstrip().startswith("SELECT")]
    assert reads[0].startswith("SELECT instance.id") and " JOIN process_version ON " in reads[0]
    assert reads[0].endswith("FOR UPDATE OF instance") == (runtime.database.dialect.name == "postgresql")
    assert reads[1].startswith("SELECT work_item.id") and " JOIN appeal ON " in reads[1]
    assert [s for s in reads[1:] if s.startswith("SELECT instance.")] == []


def test_a_completion_writes_its_appeal_row_once_by_the_session_after_the_instance(as_, runtime):
    """The appeal's record is written by the session's flush (the one way the domain's rows are written),
    in one UPDATE of the columns that changed, after the engine's write and its lock of the instance."""
    appeal = report(as_)
    open_task = task(as_, "intake", appeal["id"], "resolve_on_site")
    complete_it = lambda: as_("intake").post(  # noqa: E731
        f"/api/v1/tasks/{open_task['id']}/complete", json={"data": {"resolved": False}}
    )
    written, (ran, response) = flushed(runtime, lambda: statements(runtime, complete_it))
    assert response.status_code == 200 and response.json["stage"] == "register"
    writes = [" ".join(s.split()) for s in ran if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    appeal_writes = [s for s in writes if s.startswith("UPDATE appeal SET")]
    assert len(appeal_writes) == 1 and appeal_writes[0].startswith("UPDATE appeal SET stage=")
    assert writes.index(appeal_writes[0]) > writes.index(next(s for s in writes if s.startswith("UPDATE instance")))
    assert locks_and_writes(runtime, ran)[0] == "LOCK instance" and "Appeal" in written
    assert as_("intake").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "register"


def test_a_fired_limit_writes_its_appeal_row_once_by_the_session_after_the_instance(as_, runtime, clock):
    """As a completion does: the escalation's hand-over is written to the appeal's row by one UPDATE of the
    session's, after the instance is locked, with the late record of the name-call."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    clock.set(datetime.fromisoformat("2026-11-06T09:00:00+08:00"))  # past the village's limit and reminder
    written, (ran, fired) = flushed(runtime, lambda: statements(runtime, lambda: fire_due(runtime)))
    assert fired == 2
    writes = [" ".join(s.split()) for s in ran if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    appeal_writes = [s for s in writes if s.startswith("UPDATE appeal SET")]
    assert len(appeal_writes) == 1 and locks_and_writes(runtime, ran)[0] == "LOCK instance"
    assert "Appeal" in written and "LateRecord" in written
    assert as_("town").get(f"/api/v1/appeals/{appeal['id']}").json["unit"] == "T01"


@pytest.mark.parametrize(
    "operation",
    [
        lambda engine, row, task_id: engine.record(row.instance_id, "claimed", actor="leader", data={"by": "leader"}),
        # an engine-level completion, without the service's sync: replay finds the record out of step
        pytest.param(
            lambda engine, row, task_id: engine.complete(task_id, {"resolved": False}, actor="intake"),
            marks=pytest.mark.tampers,
        ),
    ],
    ids=["record", "complete"],
)
def test_a_change_made_before_an_engine_operation_is_written_after_the_instance_lock(as_, runtime, operation):
    """The engine's reads before its lock do not flush what its caller changed before calling it (their
    `autoflush` option is off): the instance's lock stays every writer's first, whatever order a service
    does things in."""
    appeal = report(as_)
    open_task = task(as_, "intake", appeal["id"], "resolve_on_site")

    def change_then_operate():
        with runtime.uow() as uow:
            row = uow.session.get(Appeal, appeal["id"])
            row.claimed_by = "leader"
            operation(uow.engine, row, open_task["id"])
            uow.commit()

    ran, _ = statements(runtime, change_then_operate)
    writes = [" ".join(s.split()) for s in ran if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert locks_and_writes(runtime, ran)[0] == "LOCK instance"
    assert [s for s in writes if s.startswith("UPDATE appeal SET")][0].startswith("UPDATE appeal SET claimed_by=")
    assert as_("leader").get(f"/api/v1/appeals/{appeal['id']}").json["claimed_by"] == "leader"


def test_a_completion_writes_the_due_timers_of_its_instance_anew(as_, runtime):
    """The timers of a task gone are cleared and those of the new one written, by the same statements on
    every database."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    handle = task(as_, "village", appeal["id"], "handle_village")
    escalate = lambda: as_("village").post(  # noqa: E731
        f"/api/v1/tasks/{handle['id']}/complete", json={"data": {"outcome": "escalate", "note": "not ours"}}
    )

    def due_timers() -> set[str]:
        with runtime.uow().reading() as uow:
            instance_id = uow.session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal["id"]))
            return set(uow.session.scalars(select(DueTimer.step).where(DueTimer.instance_id == instance_id)))

    assert due_timers() == {"remind_village", "overdue_village"}
    ran, response = statements(runtime, escalate)
    assert response.status_code == 200 and [t["step"] for t in response.json["tasks"]] == ["handle_town"]
    assert due_timers() == {"remind_town", "overdue_town"}
    assert [" ".join(s.split()[:3]) for s in ran if "DELETE FROM due_timer" in s] == ["DELETE FROM due_timer"]


def test_a_completion_shows_the_open_tasks_its_write_returned(as_, runtime):
    """The work items' write returns the rows as stored, and the appeal's view after the completion takes
    its open tasks from there (`Engine.open_work_items`): the task acted on is the only work item read,
    and the view equals what a later read of the appeal shows."""
    appeal = report(as_)
    complete(as_, "intake", appeal["id"], "resolve_on_site", {"resolved": False})
    complete(as_, "intake", appeal["id"], "register", {"category": "livelihood", "summary": "street light out"})
    collate = task(as_, "station", appeal["id"], "collate")
    dispatch = lambda: as_("station").post(  # noqa: E731
        f"/api/v1/tasks/{collate['id']}/complete", json={"data": {"unit": "V01"}}
    )
    ran, response = statements(runtime, dispatch)
    assert response.status_code == 200 and [t["step"] for t in response.json["tasks"]] == ["handle_village"]
    reads = [" ".join(s.split()) for s in ran if s.lstrip().startswith("SELECT")]
    assert [s for s in reads[1:] if " FROM work_item" in s] == [reads[1]]  # reads[0]: the instance's lock
    assert response.json["tasks"][0]["due_at"] is not None
    assert response.json["tasks"] == as_("station").get(f"/api/v1/appeals/{appeal['id']}").json["tasks"]


def test_open_work_items_after_an_operation_are_the_rows_as_stored_kept_ones_included(as_, runtime, clock):
    """A task that stays open through another task's completion is rewritten unchanged by the write, so that
    the write returns it too: what the engine then holds is what a later read finds, to the last column."""
    deploy_constructs(as_, "construct_parallel.bpmn")
    trial = Trial(as_, "construct_parallel")
    started_at = clock.now()
    clock.set(started_at + timedelta(hours=2))
    legal = next(t for t in trial.tasks() if t["step"] == "legal_review")
    with runtime.uow() as uow:
        uow.engine.complete(legal["id"], {"legal_ok": True}, actor="designer")
        held = uow.engine.open_work_items([trial.id])[trial.id]
        uow.commit()
    with runtime.uow() as uow:
        stored = uow.engine.open_work_items([trial.id])[trial.id]
    assert [tuple(item) for item in held] == [tuple(item) for item in stored]
    assert [(item.step, item.created_at) for item in stored] == [("finance_review", started_at)]


@pytest.mark.parametrize("snapshot", [True, False], ids=["snapshot", "by-statement"])
def test_a_reading_unit_of_work_is_refused_any_write_and_leaves_the_connection_writable(runtime, snapshot):
    with pytest.raises(DBAPIError, match="read-only|readonly"):
        with runtime.uow().reading(snapshot=snapshot) as uow:
            uow.session.add(Unit(code="X01", name="Nowhere", level="grid", id=901, id_path="/901/", path="X01/"))
            uow.session.flush()
    with runtime.uow() as uow:  # the pooled connection is writable again
        assert uow.session.get(Unit, "X01") is None
        uow.session.add(Unit(code="X02", name="Somewhere", level="grid", id=902, id_path="/902/", path="X02/"))
        uow.commit()
    with runtime.uow().reading() as uow:
        assert uow.session.get(Unit, "X02").name == "Somewhere"


def test_a_read_with_a_snapshot_ends_its_transaction_with_a_commit(as_, runtime):
    """A ROLLBACK would make psycopg drop the connection's prepared statements (see UnitOfWork)."""
    report(as_)
    assert as_("station").get("/api/v1/appeals").status_code == 200  # the station's token now known
    ends, listed = transaction_ends(runtime, lambda: as_("station").get("/api/v1/appeals"))
    assert listed.status_code == 200 and len(listed.json) == 1
    assert ends == ["commit"]


def test_reading_an_appeal_ends_its_transaction_with_a_commit_for_readers_not_logged(as_, runtime):
    """Only auditors' reads are written to the access log; the others' end with COMMIT all the same."""
    appeal = report(as_)
    assert as_("station").get("/api/v1/appeals").status_code == 200  # the station's token now known
    read = lambda: [as_("station").get(f"/api/v1/appeals/{appeal['id']}{path}") for path in ("", "/history")]  # noqa: E731
    ends, responses = transaction_ends(runtime, read)
    assert [response.status_code for response in responses] == [200, 200]
    assert ends == ["commit", "commit"]


def test_checking_a_token_ends_its_transaction_with_a_commit(as_, runtime):
    """A worker checks each token again every TRUST_SECONDS: with a ROLLBACK, each check would drop the
    connection's prepared statements (see UnitOfWork), the more often the more users there are."""
    ends, listed = transaction_ends(runtime, lambda: as_("station").get("/api/v1/appeals"))  # its first request
    assert listed.status_code == 200
    assert ends == ["commit", "commit"]


def test_a_timer_sweep_with_nothing_due_ends_its_transaction_with_a_commit(runtime):
    """A timer worker sweeps every few seconds, and most sweeps find nothing due."""
    ends, fired = transaction_ends(runtime, lambda: fire_due(runtime))
    assert fired == 0 and ends == ["commit"]


def test_a_task_list_runs_its_query_in_no_transaction_and_keeps_it_prepared(as_, runtime, database_url):
    """On PostgreSQL a task list is one query sent by itself, with no BEGIN and COMMIT round trips
    (`reading(snapshot=False)`), and the query stays prepared from one list to the next."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no round trips to save: a task list reads in a read-only transaction there")
    appeal = report(as_)
    bind, seen = runtime.statement_read_session_factory.kw["bind"], []

    def note(conn, cursor, statement, parameters, context, executemany):
        psycopg_connection = conn.connection.driver_connection
        seen.append((psycopg_connection.autocommit, psycopg_connection.info.transaction_status.name, statement))

    event.listen(bind, "before_cursor_execute", note)
    try:
        for _ in range(6):  # psycopg prepares a query on its sixth run on a connection
            listed = as_("intake").get(f"/api/v1/tasks?appeal={appeal['id']}")
            assert listed.status_code == 200 and [t["step"] for t in listed.json] == ["resolve_on_site"]
    finally:
        event.remove(bind, "before_cursor_execute", note)
    assert [(autocommit, status) for autocommit, status, _ in seen] == [(True, "IDLE")] * 6
    assert len({statement for *_, statement in seen}) == 1
    with runtime.uow().reading(snapshot=False) as uow:
        prepared = uow.session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    placeholders = lambda sql: re.sub(r"%\(\w+\)s|\$\d+", "?", sql).replace("%%", "%")  # noqa: E731
    assert placeholders(seen[0][2]) in [placeholders(statement) for statement in prepared]


def test_a_read_does_not_wait_for_a_writer(runtime):
    """On SQLite writers take the one write lock at BEGIN; readers do not, so a task list never queues
    behind a completion (before, it waited up to the 30 s busy timeout)."""
    with runtime.uow() as writer:
        writer.session.add(Unit(code="X03", name="Not yet", level="grid", id=903, id_path="/903/", path="X03/"))
        writer.session.flush()  # written, not committed: the writer holds the lock
        with runtime.uow().reading() as reader:
            assert reader.session.get(Unit, "X03") is None
