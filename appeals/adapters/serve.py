"""`python app.py`: the service as it is deployed, on one machine. granian's worker processes answer HTTP and
one timer worker (`flask --app app timers run`, the command a deployment runs) fires due timers beside them;
the two start together and stop together (docs/deployment.md).

granian rather than gunicorn's sync workers: measured in alternation (bench/server_bench.py, docs/performance.md
"The server (issue 28)"), the HTTP stack alone cost about half the server's CPU per request, and granian
keeps connections open, which halves the client's cost too.
"""

import argparse
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from granian import Granian

from ..services.processes import deploy_folders
from . import db

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when the thread that started it ends
STOP_SECONDS = 30  # how long a request under way or a timer sweep is given to finish when told to stop


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve Appealflow: the API on granian, with a timer worker")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="API worker processes (default: one per core; on SQLite they take turns to write)",
    )
    parser.add_argument(
        "--dev", action="store_true", help="Flask's development server with its debugger, in one process"
    )
    return parser.parse_args()


def main(create_app) -> None:
    """Migrate, deploy the bundled processes if they changed, then serve with a timer worker beside."""
    args = options()
    app = create_app()
    db.upgrade(app.config["DATABASE_URL"], owner_url=app.config["MIGRATION_DATABASE_URL"])
    runtime = app.extensions["appealflow"]
    deploy_folders(runtime.uow())
    timers, stopping = start_timer_worker(app.config["TIMER_INTERVAL"]), threading.Event()
    threading.Thread(target=stop_service_if_it_ends, args=(timers, stopping), daemon=True).start()
    try:
        if args.dev:
            app.run(host=args.host, port=args.port, threaded=True, debug=True, use_reloader=False)
        else:
            runtime.database.dispose()  # no connection of this process may reach the workers it forks
            production_server(args.host, args.port, args.workers).serve()
    finally:
        lost = timers.poll() is not None
        stopping.set()
        stop(timers)
    if lost:
        raise SystemExit("the timer worker ended unasked; the service stopped with it")


def production_server(host: str, port: int, workers: int) -> Granian:
    """granian serving `app:create_app()` (through `worker_app`) from `workers` processes, one request at a
    time each (the app is CPU-bound and holds the GIL: more threads would only take turns), keeping
    connections open."""
    return Granian(
        "appeals.adapters.serve:worker_app",
        factory=True,
        interface="wsgi",
        address=host,
        port=port,
        workers=workers,
        blocking_threads=1,
        workers_kill_timeout=STOP_SECONDS,
        respawn_failed_workers=True,
        working_dir=ROOT,
    )


def worker_app():
    """The app of one of granian's workers, which stops at once if told to while it loads.

    A worker is forked with its server's signal handlers, which only note a stop in the server's memory,
    and sets its own once the app is loaded: a stop sent in between was lost, and the server killed the
    worker STOP_SECONDS later (measured: a service stopped while starting took 30 s to end). A worker
    still loading has no request to finish, so the default handlers, which end it, are the right ones.
    """
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, signal.SIG_DFL)
    from app import create_app  # here, not at the top: app.py imports this module

    return create_app()


def start_timer_worker(interval: float) -> subprocess.Popen:
    """One `timers run` process: exactly one is right on SQLite (a second would only queue for its write
    lock); on PostgreSQL more may be started beside it. It has a session of its own, so that a Ctrl-C at the
    terminal reaches this process only, which then stops it once; and it is sent SIGTERM should this
    process die without stopping it."""
    command = [sys.executable, "-m", "flask", "--app", "app", "timers", "run", "--interval", str(interval)]
    orphan_signal = lambda: ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # noqa: E731
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True, preexec_fn=orphan_signal)


def stop_service_if_it_ends(worker: subprocess.Popen, stopping: threading.Event) -> None:
    """Stop the service should the timer worker end unasked (killed, out of memory): the API would otherwise
    go on with no timer firing and no one told. Stopped, the service is restarted whole by its process
    manager (docs/deployment.md)."""
    status = worker.wait()
    if not stopping.is_set():
        log.error("the timer worker ended (status %s); stopping the service", status)
        os.kill(os.getpid(), signal.SIGTERM)


def stop(worker: subprocess.Popen) -> None:
    """SIGTERM: the worker ends after the sweep under way; killed if it is not done in STOP_SECONDS."""
    worker.terminate()
    try:
        worker.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
