"""Timer workers in parallel on PostgreSQL: every due timer fires exactly once, and a worker killed in the
middle of a sweep loses nothing."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine import HistoryEvent, Instance

from .helpers import timer_sweep_command

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = 3000


@pytest.fixture
def due_timers(runtime, clean_database):
    if not clean_database.startswith("postgresql"):
        pytest.skip("parallel timer workers need PostgreSQL (SQLite lets one writer in at a time)")
    with runtime.uow() as uow:
        uow.engine.deploy({"one_timer.bpmn": (ROOT / "tests" / "models" / "one_timer.bpmn").read_bytes()}, actor="t")
        uow.commit()
    for _ in range(INSTANCES // 250):
        with runtime.uow() as uow:
            for _ in range(250):
                uow.engine.start("one_timer", {}, actor="t")
            uow.commit()
    return clean_database


def _worker(database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    command = timer_sweep_command("2026-11-02T12:00:00+08:00")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _completed(runtime) -> int:
    with runtime.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Instance).where(Instance.status == "completed"))


@pytest.mark.slow
def test_four_workers_fire_each_timer_exactly_once_and_a_killed_worker_loses_nothing(runtime, due_timers):
    victim = _worker(due_timers)
    deadline = time.monotonic() + 60
    while _completed(runtime) < 50 and time.monotonic() < deadline:  # the victim is in the middle of its sweep
        time.sleep(0.05)
    workers = [_worker(due_timers) for _ in range(4)]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    counts = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        counts.append(int(out.strip().splitlines()[-1]))
    assert sum(1 for count in counts if count > 0) >= 2, counts  # they really shared the work

    with runtime.uow() as uow:
        fired = uow.session.execute(
            select(HistoryEvent.instance_id, func.count())
            .where(HistoryEvent.type == "timer_fired")
            .group_by(HistoryEvent.instance_id)
        ).all()
    assert len(fired) == INSTANCES and {count for _, count in fired} == {1}
    assert _completed(runtime) == INSTANCES
    assert sum(counts) < INSTANCES  # the victim had committed some before it died; none was fired again
