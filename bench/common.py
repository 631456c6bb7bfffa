"""What the benchmarks share: a fresh database (SQLite file or a new PostgreSQL database) with the
bundled processes and the demo city, the service runtime over it, and an HTTP server serving it."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from app import create_app
from appeals.adapters import db
from appeals.services.demo import load_demo
from appeals.services.processes import deploy_folders
from appeals.services.users import authenticate
from engine import FixedClock

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing
BIN = Path(sys.executable).parent
#: The command of each HTTP server serving the app factory `target` ("module:function") from `workers` processes:
#: granian with the options of `python app.py` (appeals/adapters/serve.py), gunicorn's sync workers as before.
SERVERS = {
    "granian": lambda port, workers, target: [
        *(str(BIN / "granian"), "--interface", "wsgi", "--workers", str(workers), "--blocking-threads", "1"),
        *("--host", "127.0.0.1", "--port", str(port), "--factory", target),
    ],
    "gunicorn": lambda port, workers, target: [
        str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", f"{target}()"
    ],
}  # fmt: skip


@contextlib.contextmanager
def fresh_database(kind: str):
    """A new, migrated database URL of `kind` ("sqlite" or "postgresql"), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            db.upgrade(url)
            yield url
        return
    name = f"appealflow_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        db.upgrade(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def city(url: str, clock: FixedClock):
    """The runtime over `url` with the processes deployed and the demo city loaded; returns (runtime, actors)."""
    app = create_app({"DATABASE_URL": url, "CLOCK": clock})
    runtime = app.extensions["appealflow"]
    deploy_folders(runtime.uow())
    tokens = {line.split()[0]: line.split()[-1] for line in load_demo(runtime)}
    return runtime, {role: authenticate(runtime.uow(), token) for role, token in tokens.items()}


def write_result(name: str, text: str) -> Path:
    """Write one result file to bench/results/ (made on first use: a fresh clone has none); returns its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(text)
    return path


def timed(function, *args, **kwargs):
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def in_tree(tree: Path, url: str, folder: str) -> dict:
    """Run in `tree` on `url`, with the transparency log's files in `folder` (not the tree's instance/)."""
    files = {"TRANSPARENCY_KEY": f"{folder}/transparency.key", "TRANSPARENCY_HEADS": f"{folder}/heads.jsonl"}
    return {"cwd": tree, "env": {**os.environ, "DATABASE_URL": url, **files}}


@contextlib.contextmanager
def serving(server: str, tree: Path, url: str, workers: int, target: str, options: tuple = ()):
    """`server` serving `target` of `tree` on a free port, with `options` added to its command; yields (port, its
    main process's pid) once every worker is up; stopped afterwards. Its output goes to bench/results/SERVER.log."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = SERVERS[server](port, workers, target)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / f"{server}.log"
    with tempfile.TemporaryDirectory() as folder:
        with open(log, "ab") as output:
            process = subprocess.Popen(
                [command[0], *options, *command[1:]], **in_tree(tree, url, folder), stdout=output, stderr=output
            )
        try:
            while len(tree_pids(process.pid)) < 1 + workers or not _listening(port):
                if process.poll() is not None:
                    raise RuntimeError(f"{server} did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
            yield port, process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def tree_pids(root: int) -> list[int]:
    """`root` and every process descended from it."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    pids, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        pids += frontier
    return pids
