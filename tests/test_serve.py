"""The README's service command on a fresh database: `flask demo`, then `python app.py` over real HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url, *, token=None, body=None):
    request = urllib.request.Request(
        url, data=json.dumps(body).encode() if body is not None else None, method="POST" if body is not None else "GET"
    )
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_demo_then_app_py_serves_the_api_with_migrations_and_processes(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    demo = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert demo.returncode == 0, demo.stderr
    tokens = {line.split()[0]: line.split()[-1] for line in demo.stdout.splitlines()}
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(100):
            try:
                status, spec = _request(f"{base}/openapi.json")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        assert status == 200 and "/api/v1/appeals" in spec["paths"]
        status, appeal = _request(
            f"{base}/appeals",
            token=tokens["intake"],
            body={
                "title": "Noise at night",
                "description": "A workshop runs its saw after 22:00.",
                "channel": "message_board",
            },
        )
        assert status == 201 and appeal["stage"] == "resolve_on_site" and appeal["process"]["version"] == 1
    finally:
        server.terminate()
        server.wait(timeout=10)
