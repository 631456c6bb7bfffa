"""Many processes on one PostgreSQL database (issue 6): gunicorn with 4 API workers and 2 timer workers on
the same few hundred appeals, over real sockets.

Two clients race to complete every task, two leaders race to claim each appeal and to write an instruction on
it while it is at the village, and the timer workers fire the village's reminder and limit underneath
(`timers run --once --now` a moment after the village limit, in a bounded loop; the API workers keep the
real clock). Afterwards every appeal's history must hold: no lost update, no task completed twice, no timer
fired twice, no instruction lost or counted twice, every conflict a clean 409, and PostgreSQL counted no
deadlock (a deadlock is answered 409 too, so only the server's count tells it: it would mean two writers
took their row locks in different orders). The second test kills an API worker and a timer worker in the
middle and shows that nothing acknowledged is lost and nothing is half-done.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from appeals.domain.models import Appeal, Instruction
from appeals.services.users import add_user
from engine import DueTimer, HistoryEvent, Instance, WorkItem

from .helpers import free_port, timer_sweep_command

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
REPORT = {"title": "Water pipe burst", "description": "Water runs down the lane since morning.", "channel": "hotline"}
#: What the step an appeal is at needs, and from whom; `m` is the racing client's marker, kept in the history.
PLAN = {
    "resolve_on_site": ("intake", lambda m: {"resolved": False, "reply": m}),
    "register": ("intake", lambda m: {"category": "livelihood", "summary": m}),
    "collate": ("station", lambda m: {"unit": "V01"}),
    "handle_village": ("village", lambda m: {"outcome": "escalate", "note": m}),
    "handle_town": ("town", lambda m: {"outcome": "resolved", "note": m}),
    "handle_district": ("district", lambda m: {"outcome": "resolved", "note": m}),
    "supervise": ("leader", lambda m: {"instruction": m, "unit": "T01"}),
    "feedback": ("station", lambda m: {"message": m}),
    "evaluate": ("callback", lambda m: {"satisfaction": "satisfied", "comment": m}),
}
MARKED = {"resolve_on_site": "reply", "register": "summary", "handle_village": "note", "handle_town": "note"}
DEADLINE_SECONDS = 600


@pytest.fixture
def city(runtime, tokens, clean_database):
    if not clean_database.startswith("postgresql"):
        pytest.skip("API and timer workers in parallel need PostgreSQL (SQLite lets one writer in at a time)")
    _, tokens["leader2"] = add_user(runtime.uow(), name="leader2", role="leader", unit="D01")
    return clean_database, tokens


class Clients:
    """The racing clients: every answer they get, by kind, kept for the checks."""

    def __init__(self, port: int, tokens: dict):
        self.port, self.tokens = port, tokens
        self.answers = []  # (kind, status, error code)
        self.completions = defaultdict(list)  # (appeal id, step) -> [(status, marker)]
        self.claims = defaultdict(list)  # appeal id -> [(status, leader)]
        self.instructions = defaultdict(list)  # appeal id -> [(status, text)]
        self.appeals, self.unfinished, self.lock = [], [], threading.Lock()
        self.probe = self.killed = self.deadlocks = None

    def call(self, kind, method, path, role, body=None, tries=1):
        """(status, body); status None when the connection broke (a killed worker) `tries` times."""
        for _ in range(tries):
            connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
            headers = {"Authorization": f"Bearer {self.tokens[role]}", "Content-Type": "application/json"}
            try:
                connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
                response = connection.getresponse()
                status, payload = response.status, json.loads(response.read() or b"null")
            except (OSError, HTTPException):
                status, payload = None, None
            finally:
                connection.close()
            code = payload.get("error", {}).get("code") if isinstance(payload, dict) else None
            with self.lock:
                self.answers.append((kind, status, code))
            if status is not None:
                return status, payload
        return None, None

    def drive(self, _index) -> None:
        """One appeal from report to closed, racing at every step; bounded."""
        status, appeal = self.call("report", "POST", "/api/v1/appeals", "intake", REPORT, tries=3)
        if status != 201:
            return
        with self.lock:
            self.appeals.append(appeal["id"])
        appeal_id, raced_claims = appeal["id"], False
        for _ in range(15):
            if appeal and appeal["status"] == "closed":
                return
            won = None
            if appeal and appeal["stage"] in PLAN:
                won = self.race(appeal_id, appeal["stage"], claims=not raced_claims)
                raced_claims |= appeal["stage"] == "handle_village"
            appeal = won or self.call("read", "GET", f"/api/v1/appeals/{appeal_id}", "auditor", tries=3)[1]
        with self.lock:
            self.unfinished.append(appeal_id)

    def race(self, appeal_id, step, *, claims):
        """Two clients complete the step's task at once (and, at the village, two leaders claim and two
        leaders instruct); the appeal as the winner got it back, or None."""
        role, data = PLAN[step]
        status, tasks = self.call("list", "GET", f"/api/v1/tasks?appeal={appeal_id}", role, tries=3)
        task = next((t for t in tasks or [] if t["step"] == step), None)
        if status != 200 or task is None:
            return None
        jobs = [("complete", role, f"/api/v1/tasks/{task['id']}/complete", f"{appeal_id}/{step}/{n}") for n in (0, 1)]
        if claims and step == "handle_village":
            for leader in ("leader", "leader2"):
                jobs.append(("claim", leader, f"/api/v1/appeals/{appeal_id}/claim", leader))
                jobs.append(("instruct", leader, f"/api/v1/appeals/{appeal_id}/instructions", f"{appeal_id}/{leader}"))
        barrier, won = threading.Barrier(len(jobs)), []

        def run(job):
            kind, who, path, marker = job
            barrier.wait(timeout=60)
            body = {"complete": {"data": data(marker)}, "instruct": {"text": marker}}.get(kind, {})
            status, answer = self.call(kind, "POST", path, who, body)
            with self.lock:
                if kind == "complete":
                    self.completions[(appeal_id, step)].append((status, marker))
                    won.extend([answer] if status == 200 else [])
                elif kind == "claim":
                    self.claims[appeal_id].append((status, who))
                else:
                    self.instructions[appeal_id].append((status, marker))

        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return won[0] if won else None


class TimerWorkers:
    """Timer workers as separate processes: each runs `timers run --once --now NOW` again and again until stopped."""

    def __init__(self, database_url: str, now: datetime, count: int = 2):
        self.command = timer_sweep_command(now.isoformat())
        self.env = {**os.environ, "DATABASE_URL": database_url}
        self.stop, self.runs, self.current = threading.Event(), [], [None] * count
        self.threads = [threading.Thread(target=self._loop, args=(slot,), daemon=True) for slot in range(count)]
        for thread in self.threads:
            thread.start()

    def _loop(self, slot):
        for _ in range(300):
            if self.stop.is_set():
                return
            worker = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            self.current[slot] = worker
            out, err = worker.communicate(timeout=300)
            self.runs.append((worker.returncode, out, err))
            self.stop.wait(2)  # a sweep is a new process (about a second of start-up): leave the CPU to the API

    def kill_one(self) -> bool:
        """SIGKILL the first timer worker found running; True if one was."""
        for worker in self.current:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                return True
        return False

    def close(self, *, terminate=False):
        """Stop starting sweeps; let a running one finish (or, on the way out of a failure, terminate it)."""
        self.stop.set()
        for worker in self.current:
            if terminate and worker is not None and worker.poll() is None:
                worker.terminate()
        for thread in self.threads:
            thread.join(timeout=300)

    def fired(self) -> int:
        return sum(int(out.split()[-1]) for code, out, _ in self.runs if code == 0 and out.split())


def _api_workers(master: int) -> list[int]:
    """gunicorn's workers: the processes whose parent is its master."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _start_api(database_url: str, log: Path):
    """gunicorn with 4 workers on a free loopback port, once /ready says so; its log goes to `log`."""
    port = free_port()
    with log.open("w") as errors:
        server = subprocess.Popen(
            [GUNICORN, "-w", "4", "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5", "app:create_app()"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    for _ in range(300):
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/ready")
            if connection.getresponse().status == 200 and len(_api_workers(server.pid)) == 4:
                return server, port
        except OSError:
            pass
        time.sleep(0.1)
    server.kill()
    raise AssertionError(f"gunicorn did not become ready: {log.read_text()}")


def _village_due(clients) -> datetime:
    """A real appeal taken to the village: when its village limit runs out (the API's real clock set it)."""
    status, appeal = clients.call("report", "POST", "/api/v1/appeals", "intake", REPORT)
    assert status == 201, appeal
    clients.probe = appeal["id"]
    for step in ("resolve_on_site", "register", "collate"):
        role, data = PLAN[step]
        _, tasks = clients.call("list", "GET", f"/api/v1/tasks?appeal={clients.probe}", role)
        path = f"/api/v1/tasks/{tasks[0]['id']}/complete"
        status, appeal = clients.call("complete", "POST", path, role, {"data": data("probe")})
        assert status == 200, appeal
    return datetime.fromisoformat(appeal["tasks"][0]["due_at"])


def _deadlocks(database_url: str) -> int:
    """The deadlocks PostgreSQL has detected in this database so far (a server process may hold its count
    back until it ends, so read this after the processes of a run have stopped)."""
    with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
        query = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        return connection.execute(query).fetchone()[0]


def _load(database_url, tokens, log: Path, appeals: int, *, kill_after: int | None = None):
    """Run the race with the API and timer workers; returns (clients, timer workers, moment the timers use),
    with the deadlocks PostgreSQL detected meanwhile in `clients.deadlocks`."""
    deadlocks_before = _deadlocks(database_url)
    server, port = _start_api(database_url, log)
    timers = None
    try:
        clients = Clients(port, tokens)
        now = _village_due(clients) + timedelta(hours=1)  # reminder and limit at the village are due then
        timers = TimerWorkers(database_url, now)
        with ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(clients.drive, i) for i in range(appeals)]
            if kill_after is not None:
                _kill_mid_load(clients, server, timers, kill_after)
            started = time.monotonic()
            for future in futures:
                future.result(timeout=max(1, DEADLINE_SECONDS - (time.monotonic() - started)))
        timers.close()
        drain = subprocess.run(timers.command, cwd=ROOT, env=timers.env, capture_output=True, text=True, timeout=300)
        assert drain.returncode == 0, drain.stderr
    finally:
        if timers is not None:
            timers.close(terminate=True)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    clients.deadlocks = _deadlocks(database_url) - deadlocks_before
    return clients, timers, now


def _kill_mid_load(clients, server, timers, after):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while len(clients.appeals) < after and time.monotonic() < deadline:
        time.sleep(0.05)
    victim = _api_workers(server.pid)[0]
    os.kill(victim, signal.SIGKILL)
    while not timers.kill_one() and time.monotonic() < deadline:
        time.sleep(0.05)
    clients.killed = victim


def _check_history(runtime, clients, now):
    """The checks shared by both tests, on every instance in the database."""
    with runtime.uow() as uow:
        session = uow.session
        events = session.execute(
            select(HistoryEvent.instance_id, HistoryEvent.seq, HistoryEvent.type, HistoryEvent.step, HistoryEvent.data)
        ).all()
        last_seq = dict(session.execute(select(Instance.id, Instance.last_seq)).all())
        appeal_of = dict(session.execute(select(Appeal.instance_id, Appeal.id)).all())
        claimed_by = dict(session.execute(select(Appeal.id, Appeal.claimed_by)).all())
        instruction_count = dict(session.execute(select(Appeal.id, Appeal.instruction_count)).all())
        instruction_rows = Counter(session.scalars(select(Instruction.appeal_id)))
        completed_items = Counter(
            tuple(row)
            for row in session.execute(
                select(WorkItem.instance_id, WorkItem.step).where(WorkItem.outcome == "completed")
            )
        )
        overdue = session.scalar(select(func.count()).select_from(DueTimer).where(DueTimer.due_at <= now))
    seqs, claims, instructions = defaultdict(list), defaultdict(list), defaultdict(list)
    completed, fired = Counter(), Counter()
    for instance_id, seq, type_, step, data in events:
        seqs[instance_id].append(seq)
        if type_ == "task_completed":
            completed[(instance_id, step)] += 1
            if step in MARKED:
                winner = [m for s, m in clients.completions.get((appeal_of[instance_id], step), []) if s == 200]
                assert winner in ([], [data[MARKED[step]]]), (instance_id, step, winner, data)
        elif type_ == "timer_fired":
            fired[(instance_id, step, data.get("due_at"))] += 1
        elif type_ == "claimed":
            claims[appeal_of[instance_id]].append(data["by"])
        elif type_ == "instruction":
            instructions[appeal_of[instance_id]].append(data["text"])
    # no lost update: each history runs 1..last_seq without a gap or a repeat
    assert all(sorted(s) == list(range(1, last_seq[i] + 1)) for i, s in seqs.items())
    # no task completed twice; each completion recorded once and closing exactly its work item
    assert max(completed.values()) == 1 and completed == completed_items
    for (appeal_id, step), answers in clients.completions.items():
        wins = sum(1 for status, _ in answers if status == 200)
        assert wins <= 1, (appeal_id, step, answers)
    # no timer fired twice, and none due at the timer workers' moment left unfired
    assert fired and max(fired.values()) == 1 and overdue == 0
    # claims: at most one leader wins, and the appeal shows that leader
    for appeal_id, answers in clients.claims.items():
        winners = {who for status, who in answers if status == 200}
        unknown = {who for status, who in answers if status is None}  # the answer died with a killed worker
        recorded = claims.get(appeal_id, [])
        assert len(recorded) <= 1 and winners <= set(recorded) <= winners | unknown, (appeal_id, answers, recorded)
        assert claimed_by[appeal_id] == (recorded[0] if recorded else None)
    # instructions: each accepted one recorded once, none recorded that was refused, and each counted once
    for appeal_id, answers in clients.instructions.items():
        accepted = {text for status, text in answers if status == 201}
        unknown = {text for status, text in answers if status is None}
        recorded = instructions.get(appeal_id, [])
        assert len(recorded) == len(set(recorded)) and accepted <= set(recorded) <= accepted | unknown, answers
        assert instruction_count[appeal_id] == instruction_rows[appeal_id] == len(recorded), (appeal_id, recorded)
    # one lock order: the instance's row first, for every writer
    assert clients.deadlocks == 0
    return completed, fired


@pytest.mark.slow
def test_four_api_workers_and_two_timer_workers_race_without_losing_or_doubling_anything(runtime, city, tmp_path):
    database_url, tokens = city
    clients, timers, now = _load(database_url, tokens, tmp_path / "gunicorn.log", appeals=200)

    statuses = Counter((kind, status) for kind, status, _ in clients.answers)
    assert {status for _, status in statuses} <= {200, 201, 409}, statuses  # no 5xx, no broken connection
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
    assert all(code == "conflict" for _, status, code in clients.answers if status == 409)
    assert not clients.unfinished and len(clients.appeals) == 200
    with runtime.uow() as uow:
        still_open = uow.session.execute(select(Appeal.id, Appeal.stage).where(Appeal.status == "open")).all()
    assert [tuple(row) for row in still_open] == [(clients.probe, "handle_town")]  # its village limit ran out
    completed, fired = _check_history(runtime, clients, now)
    # the races really happened: conflicts on completions and claims, and timers that won over clients
    assert statuses[("complete", 409)] >= 200 and statuses[("claim", 409)] > 0 and timers.fired() > 0
    assert statuses[("instruct", 201)] > 0
    print(f"answers {dict(statuses)}; timers fired {timers.fired()} in {len(timers.runs)} runs")


@pytest.mark.slow
def test_killing_an_api_worker_and_a_timer_worker_mid_load_loses_nothing(runtime, city, tmp_path):
    database_url, tokens = city
    clients, timers, now = _load(database_url, tokens, tmp_path / "gunicorn.log", appeals=90, kill_after=30)

    assert any(code == -signal.SIGKILL for code, _, _ in timers.runs)  # a timer worker did die
    assert all(code in (0, -signal.SIGKILL) for code, _, _ in timers.runs)
    assert {status for _, status, _ in clients.answers} <= {200, 201, 409, None}
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
    assert not clients.unfinished  # every acknowledged appeal reached the end of its loop
    with runtime.uow() as uow:
        rows = uow.session.execute(select(Appeal.id, Appeal.status, Appeal.stage)).all()
    acknowledged = set(clients.appeals)
    assert acknowledged <= {appeal_id for appeal_id, _, _ in rows}  # no acknowledged appeal lost
    for appeal_id, status, stage in rows:
        # the ones the clients drove are closed; a report whose answer was lost with the worker may have
        # committed: then it is a whole appeal waiting at its first step, never half of one
        lost_answer = appeal_id not in acknowledged and stage == "resolve_on_site"
        assert status == "closed" or lost_answer or (appeal_id, stage) == (clients.probe, "handle_town")
    _check_history(runtime, clients, now)
    print(f"killed API worker {clients.killed}; answers {Counter(s for _, s, _ in clients.answers)}")
