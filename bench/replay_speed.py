"""How fast auditors can verify histories (issue 4): appeals replayed and checked per second.

    python bench/replay_speed.py [--databases sqlite,postgresql] [--appeals 200]

Each appeal is a real closed loop through the service layer (report, register, dispatch to a village,
escalation to the town, resolution, feedback, a dissatisfied evaluation, handling again, satisfaction).
Verification checks the hash chain, replays every recorded change on the appeal's process version and
compares the state digests. Results go to bench/results/replay_speed.json.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appeals.services import appeals, tasks  # noqa: E402
from appeals.services.audit import verify_all  # noqa: E402
from bench.common import START, city, fresh_database, timed, write_result  # noqa: E402
from engine import FixedClock  # noqa: E402

REPORT = {"title": "Street light out", "description": "Dark at the bus stop.", "channel": "hotline"}
LOOP = (
    ("intake", {"resolved": False}),
    ("intake", {"category": "livelihood", "summary": "x"}),
    ("station", {"unit": "V01"}),
    ("village", {"outcome": "escalate", "note": "x"}),
    ("town", {"outcome": "resolved", "note": "x"}),
    ("station", {"message": "x"}),
    ("callback", {"satisfaction": "dissatisfied"}),
    ("town", {"outcome": "resolved", "note": "x"}),
    ("station", {"message": "x"}),
    ("callback", {"satisfaction": "satisfied"}),
)


def run(kind: str, count: int) -> dict:
    with fresh_database(kind) as url:
        runtime, actors = city(url, FixedClock(START))
        for _ in range(count):
            appeal = appeals.report(runtime.uow(), actor=actors["intake"], fields=REPORT)
            for role, data in LOOP:
                task = tasks.list_tasks(runtime.uow(), actor=actors[role], appeal_id=appeal["id"])[0]
                tasks.complete(runtime.uow(), actor=actors[role], task_id=task["id"], data=data)
        seconds, verdicts = timed(verify_all, runtime)
        assert all(v["consistent"] for v in verdicts) and len(verdicts) == count
        events = sum(v["events"] for v in verdicts)
        return {
            "appeals": count,
            "events": events,
            "seconds": round(seconds, 3),
            "appeals_per_second": round(count / seconds, 1),
            "events_per_second": round(events / seconds),
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--appeals", type=int, default=200)
    args = parser.parse_args()
    results = {kind: run(kind, args.appeals) for kind in args.databases.split(",")}
    for kind, row in results.items():
        print(
            f"{kind}: verified {row['appeals']} appeals ({row['events']} events) in {row['seconds']} s: "
            f"{row['appeals_per_second']} appeals/s"
        )
    write_result("replay_speed.json", json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
