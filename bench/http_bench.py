"""Throughput over HTTP against the in-process ceiling (issue 6), and worker memory as open appeals grow.

    python bench/http_bench.py [--databases postgresql,sqlite] [--server granian] [--appeals 300] [--workers 3]
                               [--clients 6] [--threads 1] [--rss-open 1000,100000] [--rss-databases postgresql]
                               [--ceiling-cases 500] [--floor-appeals 600] [--alone-appeals 20] [--profile]
                               [--scaling 1,2,3,4 [--scaling-appeals 120]]

1. Ceiling: the bundled appeal process run in-process (bench/ceiling.py), cases and completions per second.
2. Floor and bound: a bare Flask app (bench/bare_app.py) that answers the same calls with no database,
   authentication or engine, served and driven as in 3 (`--floor-appeals` appeals): the CPU that the server,
   Flask and the client spend per appeal by themselves. Added to the ceiling's milliseconds per case, it
   bounds the closed-loop appeals per second this machine's cores could carry on this stack at best.
3. For each database: a fresh database, migrated, with the processes deployed and the demo city loaded;
   `--server` serves the app with `--workers` workers on a loopback port: granian as `python app.py` serves it
   (appeals/adapters/serve.py: its worker factory, one request at a time per worker), or gunicorn's sync
   workers serving `app:create_app()` with `--threads` threads each, as before issue 28; a separate client
   process with `--clients` threads drives `--appeals` appeals from report to evaluation (one escalation,
   village to town) with http.client, as the demo roles. It reports closed-loop appeals per second, task
   completions per second, p50/p99 latency per kind of call, the CPU each side used per appeal (API
   workers, the database's server processes, the client), and worker RSS before and after. A first
   `--alone-appeals` appeals are driven by one client alone: the latency of a call with no queue.
4. Worker RSS against open appeals: the same workers (the server's main process left out), while the
   database holds `--rss-open` open appeals. Most are clones of one real appeal open at `handle_village`
   (its appeal, instance with the same stored state, open work item, due timers and history rows, copied
   with new ids by bulk insert): they are real rows to every list and index, but their work items do not
   match task ids in their state, so they are listed and never completed (and their copied history does not
   verify against the audit hash chain of their new instance). Between measurements the workers serve the
   same request mix: task lists of the village (capped at 500 rows), appeal lists of the station, and real
   appeals driven from report to evaluation. The database is ANALYZEd after the clones are loaded, as it
   should be after any bulk import.
5. `--scaling`: the PostgreSQL run again with each number of API workers given (a fresh database each,
   `--scaling-appeals` appeals, the same clients): how throughput grows as stateless workers are added,
   until the machine's cores are used up, and what each appeal costs the workers and the database.
6. `--profile`: one more run with one worker under pyinstrument (pip install pyinstrument), on gunicorn
   whatever `--server`, since gunicorn's hooks start and stop the profiler; the text profile goes to
   bench/results/http_profile.txt.

The ratio to the ceiling is given two ways: ceiling completions per second (one core) over HTTP
completions per second (the whole machine), and the one-client p50 of a completion over the ceiling's
milliseconds per completion. Results, with issue 6's targets marked met or not and the load average before
and after, go to bench/results/http_bench.json.
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from http.client import HTTPConnection
from multiprocessing import get_context
from pathlib import Path

import psycopg
from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appeals.domain.models import Appeal  # noqa: E402
from appeals.services.demo import USERS  # noqa: E402
from appeals.services.users import add_user  # noqa: E402
from bench import ceiling  # noqa: E402
from bench.common import ROOT, SERVERS, START, city, fresh_database, serving, tree_pids, write_result  # noqa: E402
from engine import DueTimer, FixedClock, HistoryEvent, Instance, WorkItem  # noqa: E402

REPORT = {"title": "Street light out", "description": "Dark at the bus stop.", "channel": "hotline"}
#: The service as each server loads it: granian through the factory `python app.py` gives its workers
#: (appeals/adapters/serve.py, production_server), gunicorn through the app factory, as before issue 28.
SERVICE = {"granian": "appeals.adapters.serve:worker_app", "gunicorn": "app:create_app"}
PROFILE_HOOKS = """
from pyinstrument import Profiler
def post_fork(server, worker):
    worker.profiler = Profiler(interval=0.001)
    worker.profiler.start()
def worker_exit(server, worker):
    worker.profiler.stop()
    worker.profiler.last_session.save({path!r})
"""


# -- the client (runs in its own process; speaks HTTP with http.client only) -----------------------


def _call(connection, method, path, token, body=None):
    """(status, decoded body, seconds) of one request on a kept connection (reopened when the server closed it)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    seconds = time.perf_counter() - started
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status, json.loads(payload), seconds


def _one_appeal(connection, tokens, samples) -> bool:
    """Report an appeal and take it through the seven steps; True when the last answer says it is closed."""
    status, appeal, seconds = _call(connection, "POST", "/api/v1/appeals", tokens["intake"], REPORT)
    samples.append(("report", status, seconds))
    _expect("report", status, appeal, 201)
    for step, role, data, _extra in ceiling.STEPS:
        status, tasks, seconds = _call(connection, "GET", f"/api/v1/tasks?appeal={appeal['id']}", tokens[role])
        samples.append(("list_tasks", status, seconds))
        _expect(f"list before {step}", status, tasks, 200)
        task = next(t for t in tasks if t["step"] == step)
        status, appeal, seconds = _call(
            connection, "POST", f"/api/v1/tasks/{task['id']}/complete", tokens[role], {"data": data}
        )
        samples.append(("complete", status, seconds))
        _expect(f"complete {step}", status, appeal, 200)
    return appeal.get("status") == "closed"


def _expect(call: str, status: int, body, ok: int) -> None:
    """Stop the run at the first answer that is not `ok`, saying which call it was and what came back
    (the server's log is in bench/results/granian.log or gunicorn.log)."""
    if status != ok:
        raise RuntimeError(f"{call}: HTTP {status} {json.dumps(body)[:500]}")


def _read_mix(connection, tokens, samples, rounds: int) -> None:
    """What the RSS phases repeat: list the village's open tasks and the station's appeals, close one appeal."""
    for _ in range(rounds):
        for kind, path, role in (
            ("list_all_tasks", "/api/v1/tasks", "village"),
            ("list_appeals", "/api/v1/appeals", "station"),
        ):
            status, _, seconds = _call(connection, "GET", path, tokens[role])
            samples.append((kind, status, seconds))
        _one_appeal(connection, tokens, samples)


def drive(port: int, tokens: dict, appeals: int, clients: int, read_rounds: int = 0) -> dict:
    """Drive `appeals` closed loops (or, with `read_rounds`, the RSS request mix) from `clients` threads."""
    counter, lock = iter(range(appeals)), threading.Lock()

    def worker(_):
        connection, samples, closed = HTTPConnection("127.0.0.1", port, timeout=120), [], 0
        if read_rounds:
            _read_mix(connection, tokens, samples, read_rounds)
            return samples, 0
        while True:
            with lock:
                if next(counter, None) is None:
                    return samples, closed
            closed += _one_appeal(connection, tokens, samples)

    started, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(worker, range(clients)))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    samples = [s for r in results for s in r[0]]
    return {"seconds": seconds, "client_cpu_seconds": cpu, "samples": samples, "closed": sum(r[1] for r in results)}


# -- the server --------------------------------------------------------------------------------------


def server_options(args) -> tuple:
    """gunicorn's `--threads`; granian's workers take one request at a time, as `python app.py`'s do."""
    return ("--threads", str(args.threads)) if args.server == "gunicorn" else ()


def worker_pids(main: int) -> list[int]:
    """The server's workers: every process under its main one (granian's and gunicorn's are its children)."""
    return sorted(tree_pids(main)[1:])


def cpu_seconds(pids) -> float:
    """User plus system CPU time the processes have used so far (processes gone in between are not counted)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / os.sysconf("SC_CLK_TCK")


def database_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving `url`'s database (to charge the database its share of the CPU)."""
    if not url.startswith("postgresql"):
        return []
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        return [row[0] for row in connection.execute(query)]


def rss_mb(main: int) -> list[float]:
    """VmRSS of each worker, in MiB."""
    sizes = []
    for pid in worker_pids(main):
        status = Path(f"/proc/{pid}/status").read_text()
        kib = int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])
        sizes.append(round(kib / 1024, 1))
    return sizes


# -- one database --------------------------------------------------------------------------------------


def prepare(url: str):
    """Processes deployed, demo city loaded, and one bench user per demo role; returns (runtime, tokens)."""
    runtime, _ = city(url, FixedClock(START))
    tokens = {}
    for name, role, unit in USERS:
        _, tokens[role] = add_user(runtime.uow(), name=f"bench-{name}", role=role, unit=unit)
    return runtime, tokens


def summarize(run: dict, appeals: int) -> dict:
    by_kind = {}
    for kind, status, seconds in run["samples"]:
        by_kind.setdefault(kind, {"ms": [], "statuses": {}})
        by_kind[kind]["ms"].append(seconds * 1000)
        by_kind[kind]["statuses"][str(status)] = by_kind[kind]["statuses"].get(str(status), 0) + 1
    completions = len([1 for kind, status, _ in run["samples"] if kind == "complete" and status == 200])
    return {
        "appeals": appeals,
        "closed": run["closed"],
        "seconds": round(run["seconds"], 2),
        "appeals_per_second": round(run["closed"] / run["seconds"], 2),
        "completions_per_second": round(completions / run["seconds"], 1),
        "requests_per_second": round(len(run["samples"]) / run["seconds"], 1),
        "latency_ms": {kind: {**_percentiles(v["ms"]), "statuses": v["statuses"]} for kind, v in by_kind.items()},
    }


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    at = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)  # noqa: E731
    return {"count": len(ordered), "p50": at(0.50), "p99": at(0.99), "max": round(ordered[-1], 2)}


def _client(port, tokens, appeals, clients, read_rounds=0) -> dict:
    """Run `drive` in a separate client process, so its work does not share the server's interpreter."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(drive, port, tokens, appeals, clients, read_rounds).result()


def throughput(kind: str, args) -> dict:
    with fresh_database(kind) as url:
        runtime, tokens = prepare(url)
        with serving(args.server, ROOT, url, args.workers, SERVICE[args.server], server_options(args)) as (port, main):
            _client(port, tokens, args.workers * 4, args.clients)  # every worker parses the package once
            alone = summarize(_client(port, tokens, args.alone_appeals, 1), args.alone_appeals)
            rss_before = rss_mb(main)
            backends = database_backends(url)  # the workers' pooled connections, kept for the whole run
            workers_cpu, database_cpu = cpu_seconds(worker_pids(main)), cpu_seconds(backends)
            run = _client(port, tokens, args.appeals, args.clients)
            workers_cpu, database_cpu = (
                cpu_seconds(worker_pids(main)) - workers_cpu,
                cpu_seconds(backends) - database_cpu,
            )
            result = {**summarize(run, args.appeals), "workers": args.workers, "threads": args.threads}
            result["cpu_ms_per_appeal"] = {
                "api_workers": round(1000 * workers_cpu / run["closed"], 1),
                "postgresql_server": round(1000 * database_cpu / run["closed"], 1) if kind == "postgresql" else None,
                "client": round(1000 * run["client_cpu_seconds"] / run["closed"], 1),
            }
            result["clients"], result["worker_rss_mb"] = args.clients, {"before": rss_before, "after": rss_mb(main)}
            result["one_client_at_a_time"] = {k: alone[k] for k in ("appeals", "appeals_per_second", "latency_ms")}
            with runtime.uow() as uow:
                result["closed_in_database"] = uow.session.scalar(
                    select(func.count()).select_from(Appeal).where(Appeal.status == "closed")
                )
            if kind in args.rss_databases.split(","):
                result["rss_by_open_appeals"] = rss_by_open_appeals(runtime, tokens, port, main, args)
        runtime.database.dispose()
    return result


def floor(args) -> dict:
    """The bare app (bench/bare_app.py) served and driven as `throughput` serves and drives the API: what
    the server, Flask and the client cost per appeal by themselves (see the module docstring, 2)."""
    tokens = {role: "bare" for role in ("intake", *(step[1] for step in ceiling.STEPS))}
    bare = "bench.bare_app:create_app"
    with serving(args.server, ROOT, "", args.workers, bare, server_options(args)) as (port, main):
        _client(port, tokens, args.workers * 4, args.clients)
        workers_cpu = cpu_seconds(worker_pids(main))
        run = _client(port, tokens, args.floor_appeals, args.clients)
        workers_cpu = cpu_seconds(worker_pids(main)) - workers_cpu
    result = {k: v for k, v in summarize(run, args.floor_appeals).items() if k != "latency_ms"}
    result["cpu_ms_per_appeal"] = {
        "api_workers": round(1000 * workers_cpu / run["closed"], 2),
        "client": round(1000 * run["client_cpu_seconds"] / run["closed"], 2),
    }
    return result


def bound(results: dict) -> dict:
    """The most closed-loop appeals per second this machine's cores could carry on this stack: the CPU a
    bare exchange costs (the floor) plus the engine's in-process run of one case, before any database,
    authentication or bookkeeping; and again with the engine's state saved and restored at every wait."""
    floor_ms = sum(results["floor"]["cpu_ms_per_appeal"].values())
    engine_ms = 1000 / results["ceiling"]["cases_per_second"]
    engine_with_state_ms = 1000 / results["ceiling_with_state_roundtrip"]["cases_per_second"]
    at_most = lambda ms: round(results["cpus"] * 1000 / ms, 1)  # noqa: E731
    with_state = at_most(floor_ms + engine_with_state_ms)
    return {
        "http_stack_ms_per_appeal": round(floor_ms, 2),
        "engine_ms_per_case": round(engine_ms, 2),
        "engine_with_state_ms_per_case": round(engine_with_state_ms, 2),
        "appeals_per_second_at_most": at_most(floor_ms + engine_ms),
        "appeals_per_second_at_most_with_state_saved": with_state,
        "ratio_to_ceiling_at_best_with_state_saved": round(
            results["ceiling"]["completions_per_second"] / (with_state * len(ceiling.STEPS)), 2
        ),
    }


# -- open appeals and worker memory ----------------------------------------------------------------------


def open_at_village(port: int, tokens: dict) -> int:
    """A real appeal taken through the API to `handle_village` (open there): the template of the clones."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    _, appeal, _ = _call(connection, "POST", "/api/v1/appeals", tokens["intake"], REPORT)
    for step, role, data, _extra in ceiling.STEPS[:3]:
        _, tasks, _ = _call(connection, "GET", f"/api/v1/tasks?appeal={appeal['id']}", tokens[role])
        task = next(t for t in tasks if t["step"] == step)
        _call(connection, "POST", f"/api/v1/tasks/{task['id']}/complete", tokens[role], {"data": data})
    return appeal["id"]


def clone_open_appeals(runtime, template_id: int, count: int, *, batch: int = 2000) -> None:
    """Bulk-insert `count` copies of the template appeal's rows, each with new ids (see the module docstring)."""
    with runtime.uow() as uow:
        appeal = uow.session.get(Appeal, template_id)
        instance = uow.session.get(Instance, appeal.instance_id)
        row = lambda obj, *skip: {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs if c.key not in skip}  # noqa: E731
        appeal_row, instance_row = row(appeal, "id", "number", "instance_id"), row(instance, "id")
        items = [
            row(i, "id", "instance_id")
            for i in uow.session.scalars(
                select(WorkItem).where(WorkItem.instance_id == instance.id, WorkItem.closed_at.is_(None))
            )
        ]
        timers = [
            row(t, "id", "instance_id")
            for t in uow.session.scalars(select(DueTimer).where(DueTimer.instance_id == instance.id))
        ]
        events = [
            row(e, "id", "instance_id")
            for e in uow.session.scalars(select(HistoryEvent).where(HistoryEvent.instance_id == instance.id))
        ]
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        with runtime.uow() as uow:
            ids = uow.session.scalars(insert(Instance).returning(Instance.id), [instance_row] * size).all()
            uow.session.execute(insert(Appeal), [{**appeal_row, "instance_id": i, "number": f"C{i:012d}"} for i in ids])
            uow.session.execute(
                insert(WorkItem), [{**w, "id": str(uuid.uuid4()), "instance_id": i} for i in ids for w in items]
            )
            uow.session.execute(
                insert(DueTimer), [{**t, "id": str(uuid.uuid4()), "instance_id": i} for i in ids for t in timers]
            )
            uow.session.execute(insert(HistoryEvent), [{**e, "instance_id": i} for i in ids for e in events])
            uow.commit()
    with runtime.uow() as uow:  # as after any bulk import: fresh planner statistics (autovacuum's job, later)
        uow.session.execute(text("ANALYZE"))
        uow.commit()


def _open_appeals(runtime) -> int:
    with runtime.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Appeal).where(Appeal.status == "open"))


def rss_by_open_appeals(runtime, tokens, port, main, args) -> dict:
    template = open_at_village(port, tokens)
    points = []
    for target in (int(n) for n in args.rss_open.split(",")):
        started = time.perf_counter()
        clone_open_appeals(runtime, template, max(0, target - _open_appeals(runtime)))
        loaded = round(time.perf_counter() - started, 1)
        for repeat in (1, 2):  # twice: the second shows whether the first had reached a steady state
            run = _client(port, tokens, 0, args.clients, read_rounds=args.rss_rounds)
            point = {"open_appeals": _open_appeals(runtime), "repeat": repeat, "worker_rss_mb": rss_mb(main)}
            point["load_seconds"], point["latency_ms"] = loaded, summarize(run, 0)["latency_ms"]
            points.append(point)
            print(
                f"  rss with {point['open_appeals']} open appeals (pass {repeat}): {point['worker_rss_mb']} MiB",
                flush=True,
            )
    return {
        "what_the_open_appeals_are": __doc__.split("\n4. ")[1].split("\n5.")[0].replace("\n  ", "").strip(),
        "points": points,
    }


def scaling(args) -> list[dict]:
    """The PostgreSQL run with each number of API workers in `args.scaling` (see the module docstring, 5)."""
    points = []
    for workers in (int(n) for n in args.scaling.split(",")):
        only_throughput = {"appeals": args.scaling_appeals, "alone_appeals": 1, "rss_databases": ""}
        run = throughput("postgresql", argparse.Namespace(**{**vars(args), **only_throughput, "workers": workers}))
        point = {
            "workers": workers,
            "appeals_per_second": run["appeals_per_second"],
            "completions_per_second": run["completions_per_second"],
            "complete_ms": {k: run["latency_ms"]["complete"][k] for k in ("p50", "p99")},
            "cpu_ms_per_appeal": run["cpu_ms_per_appeal"],
            "load_average_after": os.getloadavg()[0],
        }
        points.append(point)
        print(f"  scaling: {json.dumps(point)}", flush=True)
    return points


# -- profile, ceiling, main --------------------------------------------------------------------------------


def profile(kind: str, args) -> dict:
    """One worker under pyinstrument while `args.profile_appeals` appeals run: where request time goes.

    Writes pyinstrument's call tree and the breakdown to bench/results/http_profile.txt.
    """
    from pyinstrument.renderers import ConsoleRenderer  # only with --profile: not a requirement of the service
    from pyinstrument.session import Session

    with fresh_database(kind) as url, tempfile.TemporaryDirectory() as folder:
        output, config = Path(folder) / "profile.json", Path(folder) / "profile_hooks.py"
        config.write_text(PROFILE_HOOKS.format(path=str(output)))
        _, tokens = prepare(url)
        with serving("gunicorn", ROOT, url, 1, SERVICE["gunicorn"], ("-c", str(config))) as (port, _main):
            _client(port, tokens, args.profile_appeals, 2)
        session = Session.load(str(output))
    shares = breakdown(session.root_frame())
    lines = [f"{share:5.1f} %  {name}" for name, share in shares["application_functions_inclusive"].items()]
    lines += ["", "self time by library:"] + [f"{v:5.1f} %  {k}" for k, v in shares["self_time_by_library"].items()]
    tree = ConsoleRenderer(unicode=False, color=False, show_all=False).render(session)
    write_result("http_profile.txt", "\n".join(lines) + "\n\n" + tree)
    return shares


def breakdown(root, top: int = 30) -> dict:
    """Shares of the time spent handling requests (gunicorn's handle_request, idle waiting left out):
    inclusive time of each application function (counted once when it recurses) and self time by library."""
    inclusive, libraries, total = {}, {}, 0.0

    def walk(frame, ancestors, library, in_request):
        nonlocal total
        path = frame.file_path or ""
        if not in_request and frame.function == "handle_request" and "gunicorn" in path:
            in_request, total = True, total + frame.time
        library = _library(path) or library
        if in_request and frame.function != "[self]":
            own = frame.time - sum(c.time for c in frame.children if c.function != "[self]")
            libraries[library] = libraries.get(library, 0.0) + own
            if path.startswith(str(ROOT)) and "/site-packages/" not in path:
                name = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
                key = f"{name} ({Path(path).relative_to(ROOT)})"
                if key not in ancestors:
                    inclusive[key] = inclusive.get(key, 0.0) + frame.time
                ancestors = ancestors | {key}
        for child in frame.children:
            walk(child, ancestors, library, in_request)

    walk(root, frozenset(), "other", False)
    ranked = lambda d: {k: round(100 * v / total, 1) for k, v in sorted(d.items(), key=lambda kv: -kv[1])[:top]}  # noqa: E731
    return {
        "seconds_handling_requests": round(total, 2),
        "application_functions_inclusive": ranked(inclusive),
        "self_time_by_library": ranked(libraries),
    }


def _library(path: str) -> str | None:
    """ "sqlalchemy", "SpiffWorkflow", "engine", "stdlib:json", ... for a frame's file; None for built-ins."""
    if "/site-packages/" in path:
        return path.split("/site-packages/")[1].split("/")[0].removesuffix(".py")
    if path.startswith(str(ROOT)):
        return Path(path).relative_to(ROOT).parts[0].removesuffix(".py")
    if path.startswith("/") and "/python3" in path:
        return "stdlib:" + path.split("/python3")[1].split("/", 2)[-1].split("/")[0].removesuffix(".py")
    return None


def targets(results: dict) -> dict:
    """Issue 6's targets against what this run measured on PostgreSQL; each says whether it was met."""
    pg = results.get("postgresql")
    if not pg:
        return {}
    complete, ratio = pg["latency_ms"]["complete"], pg["ratio_ceiling_to_http_per_completion"]
    at_best = results.get("bound", {})  # what the floor and the ceiling leave possible on this machine
    met = {
        "closed-loop appeals per second >= 100": (
            pg["appeals_per_second"],
            pg["appeals_per_second"] >= 100,
            at_best.get("appeals_per_second_at_most_with_state_saved"),
        ),
        "ceiling / HTTP completions per second <= 3": (
            ratio,
            ratio <= 3,
            at_best.get("ratio_to_ceiling_at_best_with_state_saved"),
        ),
        "p99 task completion < 100 ms (at the load measured)": (complete["p99"], complete["p99"] < 100, None),
    }
    points = [p for p in pg.get("rss_by_open_appeals", {}).get("points", []) if p["repeat"] == 2]
    if len(points) >= 2:
        low, high = max(points[0]["worker_rss_mb"]), max(points[-1]["worker_rss_mb"])
        name = f"worker RSS flat from {points[0]['open_appeals']} to {points[-1]['open_appeals']} open appeals (<= 5 %)"
        met[name] = (f"{low} -> {high} MiB (largest worker)", high <= low * 1.05, None)
    return {
        name: {"measured": value, "met": ok, **({"at_best_on_this_machine": best} if best is not None else {})}
        for name, (value, ok, best) in met.items()
    }


def _options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--appeals", type=int, default=300)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--server", default="granian", choices=SERVERS, help="granian, as `python app.py` serves")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (--server gunicorn)")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--ceiling-cases", type=int, default=500)
    parser.add_argument("--floor-appeals", type=int, default=600, help="appeals through the bare app; 0: none")
    parser.add_argument("--alone-appeals", type=int, default=20, help="appeals driven by one client, for latency alone")
    parser.add_argument("--rss-open", default="1000,100000")
    parser.add_argument("--rss-databases", default="postgresql")
    parser.add_argument("--rss-rounds", type=int, default=3, help="request-mix rounds per client thread per RSS pass")
    parser.add_argument("--scaling", default="", help="API worker counts to run PostgreSQL with, e.g. 1,2,3,4")
    parser.add_argument("--scaling-appeals", type=int, default=120)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-appeals", type=int, default=100)
    parser.add_argument("--profile-database", default="postgresql")
    args = parser.parse_args()
    if args.threads != 1 and args.server != "gunicorn":
        parser.error("--threads is gunicorn's: granian's workers take one request at a time, as `python app.py`'s")
    return args


def main():
    args = _options()
    results = {"command": " ".join(["python", *sys.argv]), "load_average_before": os.getloadavg()}
    results["cpus"], results["server"] = os.cpu_count(), args.server
    results["ceiling"] = ceiling.measure(args.ceiling_cases, start=START)
    results["ceiling_with_state_roundtrip"] = ceiling.measure(args.ceiling_cases, start=START, roundtrip=True)
    print(f"ceiling (in-process, one core): {results['ceiling']}", flush=True)
    if args.floor_appeals:
        results["floor"] = floor(args)
        results["bound"] = bound(results)
        print(f"floor (bare app, same server and client): {results['floor']}", flush=True)
        print(f"bound on this machine: {results['bound']}", flush=True)
    for kind in filter(None, args.databases.split(",")):
        result = results[kind] = throughput(kind, args)
        ratio = results["ceiling"]["completions_per_second"] / result["completions_per_second"]
        result["ratio_ceiling_to_http_per_completion"] = round(ratio, 2)
        alone = result["one_client_at_a_time"]["latency_ms"]["complete"]["p50"]
        result["ratio_http_one_client_to_ceiling_ms_per_completion"] = round(
            alone / results["ceiling"]["ms_per_completion"], 2
        )
        latency = result["latency_ms"]["complete"]
        print(
            f"{kind}: {result['appeals_per_second']} appeals/s, {result['completions_per_second']} completions/s, "
            f"complete p50 {latency['p50']} ms p99 {latency['p99']} ms (one client: p50 {alone} ms), "
            f"ceiling/http {ratio:.1f}x, worker RSS MiB {result['worker_rss_mb']}",
            flush=True,
        )
    if args.scaling:
        results["scaling"] = scaling(args)
    if args.profile:
        results["profile"] = profile(args.profile_database, args)
        print(f"profile: {json.dumps(results['profile'], indent=1)}", flush=True)
    results["targets"] = targets(results)
    results["load_average_after"] = os.getloadavg()
    for name, target in results["targets"].items():
        at_best = (
            f" (at best on this machine: {target['at_best_on_this_machine']})"
            if "at_best_on_this_machine" in target
            else ""
        )
        print(f"target {'MET' if target['met'] else 'NOT MET'}: {name}: {target['measured']}{at_best}", flush=True)
    write_result("http_bench.json", json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
