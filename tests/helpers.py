"""Steps that many tests take: report an appeal and walk it through the loop via the HTTP API."""

import sys
import threading
import time
from contextlib import contextmanager

from sqlalchemy import event, text


class RoleClient:
    """The Flask test client speaking as one user."""

    def __init__(self, client, token):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, url, *, headers=None, **kwargs):
        return self.client.get(url, headers={**self.headers, **(headers or {})}, **kwargs)

    def post(self, url, *, headers=None, **kwargs):
        return self.client.post(url, headers={**self.headers, **(headers or {})}, **kwargs)

    def put(self, url, **kwargs):
        return self.client.put(url, headers=self.headers, **kwargs)


REPORT = {
    "title": "Street light broken on Binhe Road",
    "description": "The light at the bus stop has been out for a week; it is dark and unsafe at night.",
    "channel": "hotline",
    "reporter": {"name": "Zhang San", "phone": "13812345678"},
    "location": {"address": "Binhe Road 12", "lat": 37.52, "lon": 111.14},
}


def report(as_, **overrides) -> dict:
    response = as_("intake").post("/api/v1/appeals", json={**REPORT, **overrides})
    assert response.status_code == 201, response.json
    return response.json


def task(as_, role, appeal_id, step=None) -> dict:
    """The appeal's one open task that `role` may act on (optionally checking its step)."""
    tasks = as_(role).get(f"/api/v1/tasks?appeal={appeal_id}").json
    assert len(tasks) == 1, tasks
    if step is not None:
        assert tasks[0]["step"] == step, tasks
    return tasks[0]


def complete(as_, role, appeal_id, step, data, status=200) -> dict:
    open_task = task(as_, role, appeal_id, step)
    response = as_(role).post(f"/api/v1/tasks/{open_task['id']}/complete", json={"data": data})
    assert response.status_code == status, response.json
    return response.json


def to_handling(as_, appeal_id, *, unit="V01", category="livelihood") -> dict:
    """Steps 2 to 4: not settled on the spot, registered, dispatched to `unit`."""
    complete(as_, "intake", appeal_id, "resolve_on_site", {"resolved": False})
    complete(as_, "intake", appeal_id, "register", {"category": category, "summary": "street light out"})
    return complete(as_, "station", appeal_id, "collate", {"unit": unit})


def escalated_and_reopened(as_) -> tuple[int, int]:
    """An appeal escalated village -> town -> district, settled there, judged dissatisfied and so reopened
    at the district: its id, and the seq of the village's escalation."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    complete(as_, "village", appeal["id"], "handle_village", {"outcome": "escalate", "note": "Needs the street"})
    escalated = as_("auditor").get(f"/api/v1/appeals/{appeal['id']}/history").json[-1]["seq"]
    complete(as_, "town", appeal["id"], "handle_town", {"outcome": "escalate", "note": "Needs the district"})
    complete(as_, "district", appeal["id"], "handle_district", {"outcome": "resolved", "note": "Lamp replaced"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "The lamp was replaced."})
    complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "dissatisfied", "comment": "Out again"})
    return appeal["id"], escalated


def history_types(as_, appeal_id) -> list[tuple[str, str | None]]:
    return [(event["type"], event["step"]) for event in as_("auditor").get(f"/api/v1/appeals/{appeal_id}/history").json]


def at_once(app, tokens, *calls, lag: float = 0.0) -> list:
    """POST each call `(role, path, body)` from a thread and a test client of its own, all released together
    by a barrier so that the requests overlap, the last one `lag` seconds after the others (a race is lost
    at different points of the first call's transaction by different lags); their responses, in order."""
    barrier, responses = threading.Barrier(len(calls)), [None] * len(calls)

    def post(index, role, path, body):
        client = RoleClient(app.test_client(), tokens[role])
        barrier.wait(timeout=30)
        if index == len(calls) - 1:
            time.sleep(lag)
        responses[index] = client.post(path, json=body)

    threads = [threading.Thread(target=post, args=(index, *call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def timer_sweep_command(now: str) -> list[str]:
    """The command line of one timer sweep as at `now` (ISO 8601), run as a separate process."""
    return [sys.executable, "-m", "flask", "--app", "app", "timers", "run", "--once", "--now", now]


def statements(runtime, call) -> tuple[list[str], object]:
    """The SQL statements `call` ran, in order, and what it returned."""
    bind, seen = runtime.database, []

    def note(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(bind, "before_cursor_execute", note)
    try:
        result = call()
    finally:
        event.remove(bind, "before_cursor_execute", note)
    return seen, result


def transaction_ends(runtime, call) -> tuple[list[str], object]:
    """How the transactions `call` ran ended, in order ("commit" or "rollback"), and what it returned."""
    bind, ends = runtime.database, []
    commit, rollback = (lambda connection: ends.append("commit")), (lambda connection: ends.append("rollback"))
    event.listen(bind, "commit", commit)
    event.listen(bind, "rollback", rollback)
    try:
        result = call()
    finally:
        event.remove(bind, "commit", commit)
        event.remove(bind, "rollback", rollback)
    return ends, result


def flushed(runtime, call) -> tuple[list[str], object]:
    """The class names of the changed objects that the session flushes while `call` runs, and what it returned."""
    names = []

    def note(session, _context, _instances):
        names.extend(type(obj).__name__ for obj in session.new)
        names.extend(type(obj).__name__ for obj in session.dirty if session.is_modified(obj))

    event.listen(runtime.session_factory, "before_flush", note)
    try:
        result = call()
    finally:
        event.remove(runtime.session_factory, "before_flush", note)
    return names, result


@contextmanager
def tampering(runtime):
    """A session that writes behind the service's back, as one holding the database's rights would, with
    the append-only triggers set aside on PostgreSQL (as only a superuser can); committed at the end."""
    with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            uow.session.execute(text("SET LOCAL session_replication_role = replica"))
        yield uow.session
        uow.commit()
