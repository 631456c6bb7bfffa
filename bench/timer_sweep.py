"""How timer sweeps scale (issue 3): a sweep when nothing is due, with 100 and with 100,000 open instances,
and firing 250, 500 and 1,000 due escalations of real appeals by 1 or more timer workers (issue 6).

    python bench/timer_sweep.py [--databases sqlite,postgresql] [--open 100,100000] [--due 250,500,1000]
                                [--timer-workers 1,2]

The open instances of the first measurement are rows as the engine writes them (an instance and its two
waiting timers in the indexed due-timer table, all due in the future); a sweep reads only the index, so
their process state is not loaded. The escalations are real appeals, reported and dispatched to a village
through the service layer, whose village limit then runs out. They are fired by each number of timer
workers given: that many separate processes, each with its own runtime and connection, start one sweep at
the same moment, as `flask timers run` processes would; the time is from the first start to the last end,
and the firings they report together must be exactly the due timers (none fired twice, none missed).
Results go to bench/results/timer_sweep.json.
"""

import argparse
import json
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from multiprocessing import Manager, get_context
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from appeals.services import appeals, tasks  # noqa: E402
from appeals.services.timers import fire_due  # noqa: E402
from bench.common import START, city, fresh_database, timed, write_result  # noqa: E402
from engine import DueTimer, FixedClock, Instance, ProcessVersion  # noqa: E402

REPORT = {"title": "Street light out", "description": "Dark at the bus stop.", "channel": "hotline"}


def idle_sweep(kind: str, open_count: int, repeats: int = 20) -> float:
    """Median milliseconds of a sweep that finds nothing due among `open_count` waiting instances."""
    clock = FixedClock(START)
    with fresh_database(kind) as url:
        runtime, _ = city(url, clock)
        with runtime.uow() as uow:
            version = uow.session.scalar(select(ProcessVersion.id).where(ProcessVersion.process_id == "appeal"))
            for offset in range(0, open_count, 10_000):
                size = min(10_000, open_count - offset)
                ids = uow.session.scalars(
                    insert(Instance).returning(Instance.id),
                    [
                        {
                            "process_version_id": version,
                            "status": "running",
                            "state": {},
                            "last_seq": 0,
                            "revision": 1,
                            "created_at": START,
                            "updated_at": START,
                        }
                        for _ in range(size)
                    ],
                ).all()
                uow.session.execute(
                    insert(DueTimer),
                    [
                        {
                            "id": str(uuid.uuid4()),
                            "instance_id": i,
                            "step": step,
                            "name": step,
                            "due_at": START + timedelta(days=days),
                        }
                        for i in ids
                        for step, days in (("remind_village", 2), ("overdue_village", 3))
                    ],
                )
            uow.commit()
        fire_due(runtime)  # warm the connection pool and caches
        times = [timed(fire_due, runtime)[0] * 1000 for _ in range(repeats)]
        return statistics.median(times)


def escalations(kind: str, due_count: int, workers: int) -> dict:
    """Seconds for `workers` timer workers to fire `due_count` due escalations (each: reminder and limit both
    due, appeal moves up)."""
    clock = FixedClock(START)
    with fresh_database(kind) as url:
        runtime, actors = city(url, clock)
        for _ in range(due_count):
            appeal = appeals.report(runtime.uow(), actor=actors["intake"], fields=REPORT)
            for role, data in (
                ("intake", {"resolved": False}),
                ("intake", {"category": "livelihood", "summary": "x"}),
                ("station", {"unit": "V01"}),
            ):
                task = tasks.list_tasks(runtime.uow(), actor=actors[role], appeal_id=appeal["id"])[0]
                tasks.complete(runtime.uow(), actor=actors[role], task_id=task["id"], data=data)
        clock.advance(days=5)
        sweeps = sweep_together(url, clock.now(), workers)
        seconds = max(s["ended"] for s in sweeps) - min(s["started"] for s in sweeps)
        fired = sum(s["fired"] for s in sweeps)
        assert fired == 2 * due_count, f"{fired} timers fired, {2 * due_count} were due"
        return {
            "due": due_count,
            "timer_workers": workers,
            "fired_by_each": [s["fired"] for s in sweeps],
            "seconds": round(seconds, 3),
            "ms_per_escalation": round(seconds * 1000 / due_count, 2),
            "worker_cpu_ms_per_escalation": round(sum(s["cpu"] for s in sweeps) * 1000 / due_count, 2),
        }


def sweep_together(url: str, now, workers: int) -> list[dict]:
    """One sweep by each of `workers` processes, started together: when each started and ended, how many
    timers it fired and the CPU seconds it used."""
    context = get_context("spawn")
    with Manager() as manager, ProcessPoolExecutor(workers, mp_context=context) as pool:
        start = manager.Barrier(workers)
        return list(pool.map(_timer_worker, [(url, now, start)] * workers))


def _timer_worker(job) -> dict:
    """One timer worker: its own runtime at `now`, warmed, then one sweep once every worker is ready."""
    url, now, start = job
    runtime = create_app({"DATABASE_URL": url, "CLOCK": FixedClock(now)}).extensions["appealflow"]
    with runtime.uow().reading() as uow:  # connect and parse the process before the clock starts
        uow.engine.latest_version("appeal")  # readies (parses) the version's package too
    start.wait()
    started, cpu = time.perf_counter(), time.process_time()  # perf_counter: CLOCK_MONOTONIC, one for all
    fired = fire_due(runtime)
    return {"started": started, "ended": time.perf_counter(), "fired": fired, "cpu": time.process_time() - cpu}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--open", default="100,100000")
    parser.add_argument("--due", default="250,500,1000")
    parser.add_argument("--timer-workers", default="1", help="numbers of timer worker processes to fire with")
    args = parser.parse_args()
    results = {}
    for kind in args.databases.split(","):
        idle = {int(n): round(idle_sweep(kind, int(n)), 3) for n in args.open.split(",")}
        print(f"{kind}: idle sweep, median ms by open instances: {idle}", flush=True)
        fired = []
        for due in args.due.split(","):
            for workers in args.timer_workers.split(","):
                row = escalations(kind, int(due), int(workers))
                fired.append(row)
                each = f"{row['ms_per_escalation']} ms each, fired {row['fired_by_each']}"
                each += f", worker CPU {row['worker_cpu_ms_per_escalation']} ms each"
                label = f"{kind}: {due} due escalations, {workers} timer workers"
                print(f"{label}: {row['seconds']} s ({each})", flush=True)
        results[kind] = {"idle_sweep_ms_by_open_instances": idle, "escalations": fired}
    write_result("timer_sweep.json", json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
