"""What the benchmarks share: a fresh database (SQLite file or a new PostgreSQL database) with the
bundled processes and the demo city, and the service runtime over it."""

import contextlib
import os
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
