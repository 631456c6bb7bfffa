"""What isolating designers' code costs per evaluation (issue 25): the old in-process sandbox against the
new one, in one run, on the same expressions, scripts and data.

    python bench/sandbox_cost.py [--rounds 2000]

- old: every piece of code in process, under the Python-level tracer that checked a 1 s CPU budget on
  each line (engine/sandbox.py before issue 25, reproduced here as it was);
- new: engine.sandbox as it is: code that cannot run away (bounded.py) in process, untraced; anything
  else in a sandbox worker process (isolation.py), its data sent and returned as JSON;
- new, all in a worker: the simple cases forced through a worker too, what isolating everything would
  cost.

Microseconds per evaluation, the median of five runs of `--rounds` evaluations (a fifth as many through
a worker). Results go to bench/results/sandbox_cost.json.
"""

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import write_result  # noqa: E402
from engine import FixedClock, WorkingCalendar, isolation  # noqa: E402
from engine.guards import GUARDS, SCRIPT_FILENAME, compile_expression, compile_script  # noqa: E402
from engine.sandbox import MAX_SECONDS, RestrictedEnvironment, TimeHelpers  # noqa: E402

CALENDAR = WorkingCalendar(ZoneInfo("Asia/Shanghai"))
HELPERS = TimeHelpers(FixedClock(datetime(2026, 11, 2, 1, tzinfo=UTC)), "Asia/Shanghai", lambda: CALENDAR).functions()
#: Task data of the size an appeal's process carries (about 20 fields).
DATA = {
    "score": 5,
    "outcome": "escalate",
    "level": "village",
    "reply_limit": 7,
    "reply_unit": "working_days",
    "lines": [{"amount": n} for n in range(20)],
    **{f"field_{n}": f"value {n}" for n in range(14)},
}
CASES = [
    ("condition", "eval", "score >= 4 and outcome == 'escalate'"),
    ("lookup", "exec", "level = {'grid': 'village', 'village': 'town'}.get(level, 'supervise')"),
    ("helper call", "exec", "deadline = add_limit(now(), reply_limit, reply_unit)"),
    ("loop", "exec", "total = sum([line['amount'] for line in lines])"),
    ("loop calling helpers", "exec", "days = [add_working_days(now(), n) for n in range(1, 4)]"),
]


def _old(mode: str, source: str, data: dict):
    """The sandbox before issue 25: in process, every line of the process's code traced for its budget."""
    scope = {**data, **GUARDS, **HELPERS}
    budget_end = time.thread_time() + MAX_SECONDS

    def tracer(frame, event, arg):
        if frame.f_code.co_filename != SCRIPT_FILENAME:
            return None
        if time.thread_time() > budget_end:
            raise RuntimeError("over budget")
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        if mode == "eval":
            return eval(compile_expression(source), scope)
        exec(compile_script(source), scope)
    finally:
        sys.settrace(previous)


def _new(environment):
    def run(mode: str, source: str, data: dict):
        if mode == "eval":
            return environment.evaluate(source, data)
        return environment.execute(source, dict(data))

    return run


def _in_worker(environment):
    def run(mode: str, source: str, data: dict):
        return environment._isolated(mode, source, data, None)

    return run


def per_evaluation(run, mode: str, source: str, rounds: int) -> float:
    """Microseconds per evaluation: the median of five timed runs of `rounds`."""
    run(mode, source, DATA)  # compile, start the worker
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            run(mode, source, DATA)
        timings.append((time.perf_counter() - started) / rounds * 1e6)
    return round(statistics.median(timings), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    environment = RestrictedEnvironment(HELPERS)
    rows = []
    for name, mode, source in CASES:
        row = {
            "case": name,
            "source": source,
            "old_us": per_evaluation(_old, mode, source, args.rounds),
            "new_us": per_evaluation(_new(environment), mode, source, args.rounds),
            "all_in_worker_us": per_evaluation(_in_worker(environment), mode, source, max(1, args.rounds // 5)),
        }
        rows.append(row)
        print(
            f"{name:22} old {row['old_us']:8.1f} us   new {row['new_us']:8.1f} us   "
            f"all in a worker {row['all_in_worker_us']:8.1f} us"
        )
    startup_ms = round(statistics.median(_worker_start() for _ in range(5)) * 1000, 1)
    print(f"starting a worker and its first answer: {startup_ms} ms")
    result = {"rounds": args.rounds, "cases": rows, "worker_start_ms": startup_ms}
    write_result("sandbox_cost.json", json.dumps(result, indent=2) + "\n")


def _worker_start() -> float:
    """Seconds from starting a worker to its first answer (what replacing one that overran costs)."""
    started = time.perf_counter()
    worker = isolation._Worker(isolation.MAX_MEMORY_BYTES)
    request = {"op": "eval", "source": "1", "context": {}, "helpers": [], "cpu": MAX_SECONDS}
    worker.run(json.dumps(request).encode() + b"\n", MAX_SECONDS, {})
    seconds = time.perf_counter() - started
    worker.kill()
    return seconds


if __name__ == "__main__":
    main()
