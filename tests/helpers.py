"""Steps that many tests take: load the demo city, report an appeal and walk it through the loop via the
HTTP API, sign in, attach files, deploy packages and drive trial instances, serve over real HTTP."""

import io
import json
import shutil
import socket
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from PIL import Image
from sqlalchemy import event, text
from werkzeug.serving import make_server

from appeals.services.demo import DEMO_PASSWORD, load_demo
from appeals.services.processes import deploy_folders

#: The project's folder: the bundled processes and forms, the docs, the tools.
ROOT = Path(__file__).resolve().parent.parent
#: Small processes, one BPMN construct each.
CONSTRUCTS = Path(__file__).resolve().parent / "models" / "constructs"
SESSION = "/api/v1/session"
ATTACHMENTS = "/api/v1/attachments"


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


def load_city(runtime) -> dict[str, str]:
    """Deploy the bundled processes and load the demo city through the services: its users' tokens by role
    (one user per role, named after it)."""
    deploy_folders(runtime.uow())
    return {line.split()[0]: line.split()[-1] for line in load_demo(runtime)}


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


def locks_and_writes(runtime, ran: list[str]) -> list[str]:
    """The statements of `ran` that lock or write rows, in order, each by its first three words; the
    engine's locking read of an instance shows as "LOCK instance" (FOR UPDATE on PostgreSQL; SQLite, whose
    writers take turns for a whole transaction, reads it without)."""
    found = []
    for statement in ran:
        words = " ".join(statement.split())
        if words.startswith("SELECT instance.id, instance.process_version_id") and (
            words.endswith("FOR UPDATE OF instance") or runtime.database.dialect.name != "postgresql"
        ):
            found.append("LOCK instance")
        elif words.split()[0] in ("INSERT", "UPDATE", "DELETE"):
            found.append(" ".join(words.split()[:3]))
    return found


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


def sign_in(client, name="intake", password=DEMO_PASSWORD):
    return client.post(SESSION, json={"name": name, "password": password})


def image(kind="PNG", size=(64, 48), colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def upload(client, appeal_id, data, name, **form):
    return client.post(
        ATTACHMENTS,
        data={"appeal": str(appeal_id), "file": (io.BytesIO(data), name), **form},
        content_type="multipart/form-data",
    )


def deploy_constructs(as_, *names) -> dict:
    """Deploy, as the designer, a package of the named files of CONSTRUCTS."""
    files = [(io.BytesIO((CONSTRUCTS / name).read_bytes()), name) for name in names]
    response = as_("designer").post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return response.json


class Trial:
    """A trial instance, driven as the designer."""

    def __init__(self, as_, process_id, data=None):
        self.designer = as_("designer")
        started = self.designer.post(f"/api/v1/processes/{process_id}/instances", json={"data": data or {}})
        assert started.status_code == 201, started.json
        self.id = started.json["id"]
        self.started = started.json

    def read(self) -> dict:
        response = self.designer.get(f"/api/v1/instances/{self.id}")
        assert response.status_code == 200, response.json
        return response.json

    def tasks(self) -> list[dict]:
        return self.designer.get(f"/api/v1/tasks?instance={self.id}").json

    def steps(self) -> list[str]:
        return sorted(task["step"] for task in self.tasks())

    def timers(self) -> dict[str, datetime]:
        return {timer["step"]: datetime.fromisoformat(timer["due_at"]) for timer in self.read()["timers"]}

    def complete(self, step, data=None, **context) -> dict:
        """Complete the one open task of `step` (whose context has `context`, when several are open)."""
        matching = [
            t for t in self.tasks() if t["step"] == step and all(t["context"].get(k) == v for k, v in context.items())
        ]
        assert len(matching) == 1, (step, context, self.tasks())
        response = self.designer.post(f"/api/v1/tasks/{matching[0]['id']}/complete", json={"data": data or {}})
        assert response.status_code == 200, response.json
        return response.json

    def message(self, name, payload):
        return self.designer.post(f"/api/v1/instances/{self.id}/messages/{name}", json={"payload": payload})


REVIEW = """    <bpmn:userTask id="review" name="Review the handling">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="review.schema.json" />
          <spiffworkflow:property name="candidateGroups" value="intake_unit" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_disposition_review</bpmn:incoming>
      <bpmn:outgoing>flow_disposition_feedback</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_disposition_review" sourceRef="record_disposition" targetRef="review" />
"""


def copy_bundled(tmp_path) -> Path:
    for folder in ("processes", "forms"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def with_review_step(tmp_path) -> Path:
    """A version with a new station step, `review`, between the handling and the feedback."""
    root = copy_bundled(tmp_path)
    bpmn = root / "processes" / "appeal.bpmn"
    edit_file(
        bpmn,
        "<bpmn:outgoing>flow_disposition_feedback</bpmn:outgoing>\n"
        "      <bpmn:script>disposition = outcome</bpmn:script>\n    </bpmn:scriptTask>\n",
        "<bpmn:outgoing>flow_disposition_review</bpmn:outgoing>\n"
        "      <bpmn:script>disposition = outcome</bpmn:script>\n    </bpmn:scriptTask>\n" + REVIEW,
    )
    edit_file(
        bpmn,
        '<bpmn:sequenceFlow id="flow_disposition_feedback" sourceRef="record_disposition" targetRef="to_feedback" />',
        '<bpmn:sequenceFlow id="flow_disposition_feedback" sourceRef="review" targetRef="to_feedback" />',
    )
    edit_file(
        bpmn,
        "<bpmn:flowNodeRef>record_disposition</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>record_disposition</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>review</bpmn:flowNodeRef>",
    )
    (root / "forms" / "review.schema.json").write_text('{"type": "object", "properties": {"ok": {"type": "boolean"}}}')
    return root


def deploy_package(as_, root: Path, expect=201):
    files = [
        (io.BytesIO(p.read_bytes()), p.name)
        for folder in ("processes", "forms")
        for p in sorted((root / folder).iterdir())
    ]
    response = as_("designer").post(
        "/api/v1/processes",
        data={"files": files},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},  # the assertions below read the English wording
    )
    assert response.status_code == expect, response.json
    return response.json


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_request(url, *, token=None, body=None):
    """(status, headers, decoded JSON body) of one request over real HTTP: a POST when `body` is given."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode() if body is not None else None, method="POST" if body is not None else "GET"
    )
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, json.loads(response.read())


@contextmanager
def served(app):
    """The app on a loopback port, served by werkzeug's threaded server in a thread (as `python app.py --dev`
    serves it), for tests that need real HTTP: its root URL, then the server stopped."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
