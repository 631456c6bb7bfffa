"""The README's service command on a fresh database: `flask demo`, then `python app.py`, which serves the API
on granian's workers with a timer worker beside them, over real HTTP, and stops them all on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from appeals.adapters.serve import STOP_SECONDS

from .helpers import ROOT, free_port, http_request


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`: their command lines."""
    children = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return children


def _alive(pid: int) -> bool:
    """Running: present and not a zombie waiting for its parent."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def starting(clean_database, tmp_path):
    """`flask demo`, then `python app.py` with 2 API workers on a free port, yielded as soon as its workers
    are forked (they may still be loading the app): (the server's process, its port, the demo tokens);
    killed afterwards if still running."""
    env = {
        **os.environ,
        "DATABASE_URL": clean_database,
        "TRANSPARENCY_KEY": str(tmp_path / "log.key"),
        "TRANSPARENCY_HEADS": str(tmp_path / "heads.jsonl"),
        "ATTACHMENT_DIR": str(tmp_path / "files"),
    }
    demo = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "demo"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stderr
    tokens = {line.split()[0]: line.split()[-1] for line in demo.stdout.splitlines()}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while len(_children(server.pid)) < 3:  # the API workers start once the timer worker has
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "the server did not start its workers"
            time.sleep(0.05)
        yield server, port, tokens
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.fixture
def served(starting):
    """The server of `starting` once it answers: (its process, its base URL, the demo tokens)."""
    server, port, tokens = starting
    deadline = time.monotonic() + 120
    while True:
        try:
            http_request(f"http://127.0.0.1:{port}/health")
            break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.2)
    return server, f"http://127.0.0.1:{port}", tokens


def _workers(server) -> tuple[list[int], list[int]]:
    """(the API workers, the timer workers) of a `python app.py`."""
    children = _children(server.pid)
    return (
        [pid for pid, command in children.items() if "app.py" in command],
        [pid for pid, command in children.items() if "timers run" in command],
    )


@pytest.mark.slow
def test_app_py_serves_on_granian_with_a_timer_worker_and_stops_them_all_on_sigterm(served):
    server, base, tokens = served
    status, headers, health = http_request(f"{base}/health")
    assert status == 200 and health == {"status": "ok"} and headers["server"] == "granian"
    api_workers, timer_workers = _workers(server)
    assert len(api_workers) == 2 and len(timer_workers) == 1
    assert all(_alive(pid) for pid in api_workers + timer_workers)

    status, _, appeal = http_request(
        f"{base}/api/v1/appeals",
        token=tokens["intake"],
        body={"title": "Noise at night", "description": "A saw after 22:00.", "channel": "message_board"},
    )
    assert status == 201 and appeal["stage"] == "resolve_on_site" and appeal["process"]["version"] == 1
    assert _alive(timer_workers[0]), "the timer worker has stopped while the API serves"

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0, server.stderr.read().decode()
    assert [pid for pid in api_workers + timer_workers if _alive(pid)] == [], "a worker outlived the server"


@pytest.mark.slow
def test_a_timer_worker_that_dies_takes_the_service_down_for_its_manager_to_restart(served):
    server, _base, _tokens = served
    api_workers, [timer_worker] = _workers(server)
    os.kill(timer_worker, signal.SIGKILL)
    assert server.wait(timeout=60) == 1
    assert "the timer worker ended unasked" in server.stderr.read().decode()
    assert [pid for pid in api_workers if _alive(pid)] == [], "an API worker outlived the server"


@pytest.mark.slow
def test_a_service_stopped_while_its_workers_load_the_app_stops_them_without_waiting_to_kill_them(starting):
    """granian's workers are forked with its own signal handlers and set theirs only once the app is loaded;
    a stop in between was lost, and granian killed them STOP_SECONDS later (adapters/serve.py, worker_app)."""
    server, _port, _tokens = starting
    api_workers, _ = _workers(server)
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=STOP_SECONDS / 2) == 0, "the workers were killed, not stopped"
    assert [pid for pid in api_workers if _alive(pid)] == []
