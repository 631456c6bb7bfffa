"""How timer sweeps scale (issue 3): a sweep when nothing is due, with 100 and with 100,000 open instances,
and firing 250, 500 and 1,000 due escalations of real appeals.

    python bench/timer_sweep.py [--databases sqlite,postgresql] [--open 100,100000] [--due 250,500,1000]

The open instances of the first measurement are rows as the engine writes them (an instance and its two
waiting timers in the indexed due-timer table, all due in the future); a sweep reads only the index, so
their process state is not loaded. The escalations are real appeals, reported and dispatched to a village
through the service layer, whose village limit then runs out. Results go to bench/results/timer_sweep.json.
"""

import argparse
import json
import statistics
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appeals import appeals, tasks  # noqa: E402
from appeals.timers import fire_due  # noqa: E402
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


def escalations(kind: str, due_count: int) -> dict:
    """Seconds to fire `due_count` due escalations (each: reminder and limit both due, appeal moves up)."""
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
        seconds, fired = timed(fire_due, runtime)
        assert fired == 2 * due_count, fired
        return {
            "due": due_count,
            "seconds": round(seconds, 3),
            "ms_per_escalation": round(seconds * 1000 / due_count, 2),
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--open", default="100,100000")
    parser.add_argument("--due", default="250,500,1000")
    args = parser.parse_args()
    results = {}
    for kind in args.databases.split(","):
        idle = {int(n): round(idle_sweep(kind, int(n)), 3) for n in args.open.split(",")}
        print(f"{kind}: idle sweep, median ms by open instances: {idle}", flush=True)
        fired = [escalations(kind, int(n)) for n in args.due.split(",")]
        for row in fired:
            each = f"{row['ms_per_escalation']} ms each"
            print(f"{kind}: {row['due']} due escalations fired in {row['seconds']} s ({each})", flush=True)
        results[kind] = {"idle_sweep_ms_by_open_instances": idle, "escalations": fired}
    write_result("timer_sweep.json", json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
