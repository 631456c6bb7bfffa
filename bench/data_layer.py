"""What SQLAlchemy costs per statement (issue 6): one statement of the hot path run three ways on PostgreSQL.

    python bench/data_layer.py [--runs 4000] [--rounds 3]

The statement is the one a task list of one instance runs: its open work items with their versions
(`with_item_versions`), on an instance reported through the API. It is run on one connection outside any
transaction (as task lists run), `--runs` times each way, after a warm-up:

- through an ORM session, objects returned (`Session.execute(...).all()`), as the service runs it;
- through SQLAlchemy Core on a connection (`Connection.execute(...).all()`);
- through psycopg alone, the SQL compiled once and prepared (`cursor.execute(sql, params, prepare=True)`).

It prints and writes to bench/results/data_layer.json the CPU of this process per statement each way, so
what SQLAlchemy adds over its driver is read off the difference: the most a different data layer could
save per statement, before any of the service's own work.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appeals.domain.models import Appeal  # noqa: E402
from appeals.services.appeals import report  # noqa: E402
from bench.common import START, city, fresh_database, write_result  # noqa: E402
from bench.http_bench import REPORT  # noqa: E402
from engine import FixedClock, WorkItem, with_item_versions  # noqa: E402

STATEMENT = with_item_versions(
    select(WorkItem).where(WorkItem.instance_id == bindparam("instance_id"), WorkItem.closed_at.is_(None))
)


def cpu_us_per_run(run, runs: int) -> float:
    """Microseconds of this process's CPU per call of `run`, after a warm-up that prepares the statement."""
    for _ in range(300):
        run()
    started = time.process_time()
    for _ in range(runs):
        run()
    return round(1e6 * (time.process_time() - started) / runs, 1)


def one_round(database, parameters: dict, runs: int) -> dict:
    outside_transactions = database.execution_options(isolation_level="AUTOCOMMIT")
    with Session(outside_transactions) as session:
        orm = cpu_us_per_run(lambda: session.execute(STATEMENT, parameters).all(), runs)
    with outside_transactions.connect() as connection:
        core = cpu_us_per_run(lambda: connection.execute(STATEMENT, parameters).all(), runs)
        compiled = STATEMENT.compile(dialect=database.dialect)
        sql, values = str(compiled), compiled.construct_params(parameters)
        cursor = connection.connection.dbapi_connection.cursor()
        driver = cpu_us_per_run(lambda: cursor.execute(sql, values, prepare=True).fetchall(), runs)
    return {"orm_us": orm, "core_us": core, "psycopg_us": driver}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with fresh_database("postgresql") as url:
        runtime, actors = city(url, FixedClock(START))
        appeal = report(runtime.uow(), actor=actors["intake"], fields=REPORT)
        with runtime.uow() as uow:
            parameters = {
                "instance_id": uow.session.scalar(select(Appeal.instance_id).where(Appeal.id == appeal["id"]))
            }
        rounds = []
        for _ in range(args.rounds):
            rounds.append(one_round(runtime.database, parameters, args.runs))
            print(f"CPU per statement: {rounds[-1]}", flush=True)
        runtime.database.dispose()
    write_result("data_layer.json", json.dumps({"command": " ".join(["python", *sys.argv]), "rounds": rounds}) + "\n")


if __name__ == "__main__":
    main()
