"""The curl walk-through of docs/api.md, run as printed against `python app.py` on a fresh database.

Its shell blocks are taken from the page itself, so the page cannot drift from what works. Two things are
replaced, and nothing else: `.venv/bin/` by this test's virtualenv, and port 8000 by a free one.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import ROOT, free_port, http_request

WALKTHROUGH = ROOT / "docs" / "api.md"
SECTION = "## One appeal, report to evaluation, with curl"


def shell_blocks(page: Path, section: str) -> list[str]:
    """The ```sh blocks of one `## ` section of a Markdown page, in order."""
    text = page.read_text(encoding="utf-8")
    start = text.index(section)
    end = text.find("\n## ", start + len(section))
    return re.findall(r"```sh\n(.*?)```", text[start : end if end != -1 else None], flags=re.S)


@pytest.mark.slow
def test_the_curl_walkthrough_works_as_printed(tmp_path):
    blocks = shell_blocks(WALKTHROUGH, SECTION)
    assert len(blocks) >= 5, "the walk-through's shell blocks were not found"
    port = free_port()
    script = "set -euo pipefail\n" + "\n".join(blocks)
    script = script.replace(".venv/bin/", f"{Path(sys.prefix) / 'bin'}/").replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'walk.db'}"}
    demo = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "demo"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stderr
    server = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http_request(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                time.sleep(0.1)
        walked = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert walked.returncode == 0, walked.stderr
    out = walked.stdout
    assert '"stage":"look_back"' in out and '"status":"closed"' in out  # step 7 closed the appeal
    assert '"type":"closed"' in out  # the history was read
    assert out.strip().splitlines()[-1] == "2"  # timers run: the look-back's reminder and limit
