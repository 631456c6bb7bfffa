"""The server measured from outside (issue 28): its CPU per appeal and per kind of request, under a native
load generator, and old and new code run alternately in one run.

    python bench/server_bench.py [--databases postgresql] [--servers granian] [--compare REF] [--app real]
                                 [--rounds 3] [--workers 2] [--clients 6] [--appeals 60] [--seconds 20]

A side is a tree of the code served by one HTTP server: this tree, and with `--compare REF` also REF checked
out into a temporary git worktree (removed afterwards), each with every server of `--servers` (`granian`,
`gunicorn`, both with `--workers` processes serving `app:create_app()`, or with `--app bare` the bare app of
bench/bare_app.py, which answers the same calls with canned JSON: the HTTP stack's own cost; the trees share
this virtualenv).
Every round runs every side once, in alternating order (A B, then B A), so that the machine's drift from
minute to minute falls on both. For each side, database and round:

1. A fresh database (SQLite file or new PostgreSQL database), made by the side's own `flask --app app demo`
   (its migrations, its processes, the demo city and a token per role).
2. The side's server on a free loopback port; warmed up by `--clients` appeals, one per client, so that every
   worker has read the process package before anything is measured.
3. By kind: `--appeals` appeals taken through the closed loop kind by kind, `--clients` threads sharing each
   phase: all reports, then for each step all task lists and then all completions. The server's CPU (its
   main process and workers, from /proc) and PostgreSQL's (the backends of that database) are read before and
   after each phase: milliseconds of CPU per request of each kind, and their sum per appeal (/proc counts
   ticks of 10 ms, so a phase of 60 requests resolves about 0.2 ms per request).
4. The closed loop under wrk (bench/closed_loop.lua, `apt-get install wrk`): `--clients` connections for
   `--seconds`, each reporting an appeal and taking it through every step, then the next. Appeals closed
   per second, wrk's latency p50 / p99, and CPU per appeal of the server, PostgreSQL and wrk itself (the
   client's share, which the Python client of http_bench.py made 4-5 ms per appeal).

Results go to bench/results/server_bench.json; the summary printed at the end gives each figure of each side
round by round, so that a difference can be told from the noise by eye.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from http.client import HTTPConnection
from itertools import product
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ceiling import STEPS  # noqa: E402
from bench.common import PG_ADMIN, ROOT, SERVERS, in_tree, serving, tree_pids, write_result  # noqa: E402
from bench.http_bench import REPORT, _call, _expect, cpu_seconds, database_backends  # noqa: E402

#: What is served: the service, or the bare app that answers the same calls with canned JSON (bench/bare_app.py).
APPS = {"real": "app:create_app", "bare": "bench.bare_app:create_app"}
LOOP = Path(__file__).with_name("closed_loop.lua")
REQUESTS_PER_APPEAL = 1 + 2 * len(STEPS)  # a report, and a task list and a completion per step


# -- the code, its database and its server ------------------------------------------------------------


@contextmanager
def checked_out(ref: str):
    """REF in a temporary git worktree of this repository, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="appealflow-compare-") as parent:
        folder = Path(parent) / "tree"
        command = ["git", "worktree", "add", "--detach", str(folder), ref]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        try:
            yield folder
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=True)


@contextmanager
def demo_database(kind: str, tree: Path):
    """(URL, tokens by role) of a new database of `kind`, made by `tree`'s own `flask demo`; dropped afterwards."""
    name = f"appealflow_bench_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as folder:
        if kind == "sqlite":
            url = f"sqlite:///{folder}/bench.db"
        else:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        try:
            demo = subprocess.run(
                [sys.executable, "-m", "flask", "--app", "app", "demo"],
                **in_tree(tree, url, folder),
                capture_output=True,
                text=True,
                check=True,
            )
            yield url, {line.split()[0]: line.split()[-1] for line in demo.stdout.splitlines()}
        finally:
            if kind != "sqlite":
                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the two loads ------------------------------------------------------------------------------------


def by_kind(port: int, tokens: dict, appeals: int, clients: int, pids, backends) -> dict:
    """Milliseconds of server and PostgreSQL CPU per request of each kind (see the module docstring, 3)."""
    spent = {}

    def phase(kind, calls):
        """Make `calls` ((method, path, token, body, status expected)) from `clients` threads; charge the CPU
        used meanwhile to `kind`; returns the answers in the calls' order."""
        answers = [None] * len(calls)
        threads = [threading.Thread(target=_run, args=(port, calls, answers, i, clients)) for i in range(clients)]
        server, database, started = cpu_seconds(pids), cpu_seconds(backends), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if None in answers:
            raise RuntimeError(f"a {kind} call failed (see above)")
        entry = spent.setdefault(kind, {"requests": 0, "server": 0.0, "postgresql": 0.0, "wall": 0.0})
        entry["requests"] += len(calls)
        entry["server"] += cpu_seconds(pids) - server
        entry["postgresql"] += cpu_seconds(backends) - database
        entry["wall"] += time.perf_counter() - started
        return answers

    reports = phase("report", [("POST", "/api/v1/appeals", tokens["intake"], REPORT, 201)] * appeals)
    for step, role, data, _extra in STEPS:
        lists = phase(
            "list_tasks", [("GET", f"/api/v1/tasks?appeal={a['id']}", tokens[role], None, 200) for a in reports]
        )
        tasks = [next(t["id"] for t in listed if t["step"] == step) for listed in lists]
        phase("complete", [("POST", f"/api/v1/tasks/{t}/complete", tokens[role], {"data": data}, 200) for t in tasks])
    kinds = {
        kind: {
            "requests": entry["requests"],
            "server_cpu_ms": round(1000 * entry["server"] / entry["requests"], 2),
            "postgresql_cpu_ms": round(1000 * entry["postgresql"] / entry["requests"], 2),
            "wall_ms": round(1000 * entry["wall"] / entry["requests"], 2),
        }
        for kind, entry in spent.items()
    }
    per_appeal = lambda key: round(sum(e[key] * e["requests"] for e in kinds.values()) / appeals, 1)  # noqa: E731
    return {"per_request": kinds, "per_appeal": {k: per_appeal(k) for k in ("server_cpu_ms", "postgresql_cpu_ms")}}


def _run(port, calls, answers, first, stride):
    """Make every `stride`-th call from `first` on one connection, storing the answers (None where it failed)."""
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    for n in range(first, len(calls), stride):
        method, path, token, body, ok = calls[n]
        status, answer, _seconds = _call(connection, method, path, token, body)
        try:
            _expect(f"{method} {path}", status, answer, ok)
        except RuntimeError as error:
            print(error, file=sys.stderr, flush=True)
            return
        answers[n] = answer


def closed_loop(port: int, tokens: dict, seconds: int, clients: int, pids, backends) -> dict:
    """The closed loop under wrk (see the module docstring, 4)."""
    with tempfile.NamedTemporaryFile("w", suffix=".plan") as plan:
        plan.write(f"report {tokens['intake']} {json.dumps(REPORT)}\n")
        plan.writelines(f"step {step} {tokens[role]} {json.dumps({'data': data})}\n" for step, role, data, _ in STEPS)
        plan.flush()
        command = ["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "30s"]
        command += ["-s", str(LOOP), f"http://127.0.0.1:{port}", "--", plan.name]
        server, database = cpu_seconds(pids), cpu_seconds(backends)
        client = resource.getrusage(resource.RUSAGE_CHILDREN)
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        server, database = cpu_seconds(pids) - server, cpu_seconds(backends) - database
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk = json.loads(output.strip().splitlines()[-1])
    if wrk["errors"] or wrk["non_2xx"] or wrk["socket_errors"]:
        raise RuntimeError(f"wrk met unexpected answers: {wrk}")
    appeals = wrk["requests"] / REQUESTS_PER_APPEAL  # appeals' worth of requests, the ones still open included
    client = after.ru_utime + after.ru_stime - client.ru_utime - client.ru_stime
    return {
        "appeals_per_second": round(wrk["closed"] / wrk["seconds"], 2),
        "requests_per_second": round(wrk["requests"] / wrk["seconds"], 1),
        "latency_ms": {"p50": wrk["p50_ms"], "p99": wrk["p99_ms"], "max": wrk["max_ms"]},
        "cpu_ms_per_appeal": {
            "server": round(1000 * server / appeals, 1),
            "postgresql": round(1000 * database / appeals, 1),
            "wrk": round(1000 * client / appeals, 2),
        },
        "wrk": wrk,
    }


# -- the run --------------------------------------------------------------------------------------------


def measure(side: dict, database: str, args) -> dict:
    with demo_database(database, side["tree"]) as (url, tokens):
        with serving(side["server"], side["tree"], url, args.workers, APPS[args.app]) as (port, main):
            pids = tree_pids(main)
            by_kind(port, tokens, args.clients, args.clients, pids, [])  # warm-up: every worker reads the package
            backends = database_backends(url)  # the workers' pooled connections, kept for the whole run
            return {
                "by_kind": by_kind(port, tokens, args.appeals, args.clients, pids, backends),
                "closed_loop": closed_loop(port, tokens, args.seconds, args.clients, pids, backends),
                "load_average": os.getloadavg()[0],
            }


def summary(results: dict) -> list[str]:
    """One line per side and figure, the rounds side by side."""
    figures = {
        "appeals/s (wrk)": lambda r: r["closed_loop"]["appeals_per_second"],
        "server CPU ms per appeal (wrk)": lambda r: r["closed_loop"]["cpu_ms_per_appeal"]["server"],
        "PostgreSQL CPU ms per appeal (wrk)": lambda r: r["closed_loop"]["cpu_ms_per_appeal"]["postgresql"],
        "wrk CPU ms per appeal": lambda r: r["closed_loop"]["cpu_ms_per_appeal"]["wrk"],
        "latency p50 / p99 ms (wrk)": lambda r: "{p50}/{p99}".format(**r["closed_loop"]["latency_ms"]),
        "server CPU ms per appeal (by kind)": lambda r: r["by_kind"]["per_appeal"]["server_cpu_ms"],
        **{
            f"server CPU ms per {kind}": lambda r, kind=kind: r["by_kind"]["per_request"][kind]["server_cpu_ms"]
            for kind in ("report", "list_tasks", "complete")
        },
    }
    lines = []
    for database, sides in results["runs"].items():
        for side, rounds in sides.items():
            for name, figure in figures.items():
                lines.append(f"{database:10} {side:28} {name:36} " + "  ".join(str(figure(r)) for r in rounds))
    return lines


def _options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="postgresql", help="postgresql, sqlite or both, comma-separated")
    parser.add_argument("--servers", default="granian", help=f"of {', '.join(SERVERS)}, comma-separated")
    parser.add_argument("--compare", metavar="REF", help="run REF's code too, alternately with this tree's")
    parser.add_argument("--app", default="real", choices=APPS, help="bare: the HTTP stack alone (bare_app.py)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--appeals", type=int, default=60, help="appeals taken through by kind")
    parser.add_argument("--seconds", type=int, default=20, help="how long wrk runs the closed loop")
    return parser.parse_args()


def main():
    args = _options()
    results = {"command": " ".join(["python", *sys.argv]), "cpus": os.cpu_count(), "runs": {}}
    with checked_out(args.compare) if args.compare else _this_tree() as other:
        trees = {"this tree": ROOT, **({args.compare: other} if args.compare else {})}
        sides = [
            {"name": f"{name}, {server}", "tree": tree, "server": server}
            for (name, tree), server in product(trees.items(), args.servers.split(","))
        ]
        for database in args.databases.split(","):
            runs = results["runs"][database] = {side["name"]: [] for side in sides}
            for round_ in range(args.rounds):
                for side in sides if round_ % 2 == 0 else sides[::-1]:
                    run = measure(side, database, args)
                    runs[side["name"]].append(run)
                    print(f"{database} round {round_ + 1} {side['name']}: {json.dumps(run['closed_loop'])}", flush=True)
    results["summary"] = summary(results)
    print("\n".join(results["summary"]))
    write_result("server_bench.json", json.dumps(results, indent=2, default=str) + "\n")


@contextmanager
def _this_tree():
    yield None


if __name__ == "__main__":
    main()
