"""The pool of sandbox workers: processes that run designers' code under limits the kernel enforces.

A script, condition, DMN cell, timer expression or `candidateGroups` expression that could run away is
sent to a worker (sandbox_worker.py) with its data, and the calling thread waits on the worker's pipe,
holding neither the GIL nor anything else: requests and the timer loop go on meanwhile. A worker that
overruns its CPU time dies of the kernel's signal; one that stops answering (`WAIT_SECONDS`) is killed;
either way it is replaced by a fresh one, and the code's caller gets SandboxLimit saying which limit
(named by its message's key, as guards.py's refusals are: sandbox.py words them).

The engine's helpers (now(), add_working_days(), ...) stay in this process, with the one injectable clock,
the calendar and the workflow's ledger of provisional times: the worker calls back for them (at most
`MAX_CALLS` times per piece of code), and each call is answered here.

Data crosses as JSON both ways, never as pickles: what comes back from code that ran in a worker is
parsed as data, so even a worker subverted by its code cannot run anything in this process.
"""

import json
import os
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

from .guards import DataRefused, SandboxLimit

WORKER = Path(__file__).with_name("sandbox_worker.py")

#: The pool: at most this many workers per process; code waits this long for one to be free.
WORKERS = 4
WAIT_FOR_WORKER_SECONDS = 30.0
#: What one worker may use: address space, and per piece of code the engine's helper calls and the time
#: it may go without answering (CPU time is the caller's to set, see sandbox.MAX_SECONDS).
MAX_MEMORY_BYTES = 512 * 1024 * 1024
MAX_CALLS = 10_000
WAIT_SECONDS = 30.0


class _Worker:
    """One worker process and its line protocol (see sandbox_worker.py)."""

    def __init__(self, memory: int):
        self.memory = memory
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER), str(memory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={},
            cwd="/",
        )
        self._buffer = b""
        self._cpu = 0.0

    def run(self, request: bytes, cpu: float, helpers: dict) -> dict:
        """Send `request` (a JSON line), answer its helper calls, and return its answer."""
        self._cpu = cpu
        self._send(request)
        for _ in range(MAX_CALLS + 1):
            message = self._receive()
            if "call" not in message:
                return message
            self._send(_encoded(_call(helpers, message)))
        raise SandboxLimit("sandbox_too_many_calls", most=MAX_CALLS)

    def _send(self, line: bytes) -> None:
        try:
            self.process.stdin.write(line)
            self.process.stdin.flush()
        except OSError as error:
            raise self._ending() from error

    def _receive(self) -> dict:
        output = self.process.stdout.fileno()
        waiting = select.poll()
        waiting.register(output, select.POLLIN)
        while b"\n" not in self._buffer:
            if not waiting.poll(WAIT_SECONDS * 1000):
                self.kill()
                raise SandboxLimit("sandbox_no_answer", seconds=WAIT_SECONDS)
            chunk = os.read(output, 1 << 16)
            if not chunk:
                raise self._ending()
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def _ending(self) -> SandboxLimit:
        """Why the worker ended: the kernel's signal for CPU time, or something else."""
        code = self.process.wait()
        if code < 0 and -code in _CPU_SIGNALS:
            return SandboxLimit("sandbox_cpu", seconds=self._cpu)
        return SandboxLimit("sandbox_worker_stopped", code=code)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()


def _encoded(message: dict) -> bytes:
    return json.dumps(message, allow_nan=False).encode() + b"\n"


def _call(helpers: dict, message: dict) -> dict:
    helper = helpers.get(message["call"])
    if helper is None:
        return {"error": "NameError", "message": f"no helper '{message['call']}'"}
    try:
        return {"value": helper(*message["args"])}
    except Exception as error:  # the helper refused its arguments: the code's error, raised in the worker
        return {"error": type(error).__name__, "message": str(error)}


_CPU_SIGNALS = {signal.SIGPROF, signal.SIGXCPU}  # the per-code timer's, RLIMIT_CPU's


class WorkerPool:
    """Up to `WORKERS` workers for the threads of one process, started on first need and replaced when they
    overrun; a process forked from this one (a server's worker) starts a pool of its own."""

    def __init__(self):
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(WORKERS)

    def run(self, request: dict, helpers: dict) -> dict:
        """The worker's answer to `request` (see sandbox_worker.py); SandboxLimit when it overran.

        DataRefused (a ValueError) when the request's data is no JSON (NaN, an object): nothing is sent."""
        try:
            line = json.dumps(request, allow_nan=False).encode() + b"\n"
        except (TypeError, ValueError) as error:
            raise DataRefused("sandbox_data_not_passed", problem=str(error)) from None
        if not self._slots.acquire(timeout=WAIT_FOR_WORKER_SECONDS):
            raise SandboxLimit("sandbox_busy", seconds=WAIT_FOR_WORKER_SECONDS)
        try:
            worker = self._take()
            try:
                answer = worker.run(line, request["cpu"], helpers)
            except BaseException:
                worker.kill()
                raise
            if answer.get("error") == "MemoryError":
                worker.kill()  # it may be short of memory still: start afresh
            else:
                self._give(worker)
            return answer
        finally:
            self._slots.release()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive() and worker.memory == MAX_MEMORY_BYTES:
                    return worker
                worker.kill()
        return _Worker(MAX_MEMORY_BYTES)

    def _give(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)


_pools: dict[int, WorkerPool] = {}


def pool() -> WorkerPool:
    """This process's pool, made on first use (a forked child gets its own, not its parent's workers)."""
    found = _pools.get(os.getpid())
    if found is None:
        found = _pools.setdefault(os.getpid(), WorkerPool())
    return found
