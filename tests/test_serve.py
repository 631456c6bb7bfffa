"""The README's service command on a fresh database: `flask demo`, then `python app.py` over real HTTP."""

import os
import subprocess
import sys
import time

import pytest

from .helpers import ROOT, free_port, http_request


@pytest.mark.slow
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
    port = free_port()
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
                status, spec = http_request(f"{base}/openapi.json")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        assert status == 200 and "/api/v1/appeals" in spec["paths"]
        status, appeal = http_request(
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
