"""A sandbox worker: a process of its own that runs designers' code for the engine (isolation.py).

It runs under limits the kernel enforces and no script can catch or lift: an address-space limit
(`RLIMIT_AS`: past it, allocations fail with MemoryError), and for each piece of code a CPU-time timer
(`ITIMER_PROF`, whose signal ends the process) backed by `RLIMIT_CPU`. Whatever the code raises,
`SystemExit` and `KeyboardInterrupt` included, is answered as an error; a worker that overruns dies, and
the engine starts another.

It is started by path, not as `engine.sandbox_worker`: importing the engine package would load the
database layer and SpiffWorkflow (0.6 s, 65 MB). It imports guards.py and the standard library alone,
and is started with an empty environment, so the database's address is not within reach either.

One JSON document a line, each way, over stdin and stdout:
- request: {"op": "eval" | "exec", "source", "context", "external", "helpers": [names], "cpu": seconds}
- while it runs, a call of an engine helper: {"call": name, "args": [...]}, answered {"value": ...} or
  {"error": type name, "message": ...}: the helpers read the engine's clock and calendar, which stay there;
- answer: {"value": ...} (eval), {"context": {...}} (exec), or {"error", "message", "line"}, and for a
  refusal of the sandbox's own (guards.Refused) its message's "key" and "params", for the engine to word.
"""

import builtins
import json
import math
import os
import resource
import signal
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guards import GUARDS, SCRIPT_FILENAME, Refused, compile_expression, compile_script, refused_data  # noqa: E402


class _Channel:
    """The line protocol over the worker's stdin and (a copy of) its stdout."""

    def __init__(self):
        self.incoming = sys.stdin.buffer
        self.outgoing = os.fdopen(os.dup(1), "wb")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # whatever else writes to stdout cannot break the protocol

    def send(self, message: dict) -> None:
        self.outgoing.write(json.dumps(message, allow_nan=False).encode() + b"\n")
        self.outgoing.flush()

    def receive(self):
        line = self.incoming.readline()
        return json.loads(line) if line else None


def _limit_memory(max_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _arm(cpu: float) -> None:
    """Allow `cpu` more seconds of CPU: the timer's signal (default action: end the process) comes then;
    `RLIMIT_CPU`, counted in whole seconds, is the backstop a second later."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(usage.ru_utime + usage.ru_stime + cpu) + 1, hard))
    signal.setitimer(signal.ITIMER_PROF, cpu)


def _disarm() -> None:
    signal.setitimer(signal.ITIMER_PROF, 0)


def _helper(name: str, channel: _Channel):
    def call(*args):
        channel.send({"call": name, "args": list(args)})
        reply = channel.receive()
        if reply is None:
            raise SystemExit(0)  # the engine went away
        if "error" in reply:
            raise _builtin(reply["error"])(reply["message"])
        return reply["value"]

    call.__name__ = name
    return call


def _builtin(name: str):
    """The built-in exception a helper's refusal names, raised in the code as it would be in the engine."""
    found = getattr(builtins, name, None)
    return found if isinstance(found, type) and issubclass(found, Exception) else RuntimeError


def _run(request: dict, channel: _Channel) -> dict:
    helpers = {name: _helper(name, channel) for name in request["helpers"]}
    context, external = request["context"], request.get("external") or {}
    scope = {**context, **external, **GUARDS, **helpers}
    if request["op"] == "eval":
        return {"value": _plain(eval(compile_expression(request["source"]), scope))}
    exec(compile_script(request["source"]), scope)
    hidden = set(GUARDS) | set(helpers) | set(external)
    left = {key: value for key, value in scope.items() if key not in hidden and not callable(value)}
    return {"context": {key: _plain(value, key) for key, value in left.items()}}


def _plain(value, name: str | None = None):
    """`value` if process data can hold it (JSON without NaN or infinities), else its refusal naming it."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise refused_data(name, None if isinstance(error, ValueError) else type(value).__name__) from None
    return value


def _failure(error: BaseException) -> dict:
    lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == SCRIPT_FILENAME]
    message = str(error.args[0]) if len(error.args) == 1 else str(error)
    answer = {"error": type(error).__name__, "message": message, "line": lines[-1] if lines else None}
    if isinstance(error, Refused):
        answer.update(key=error.key, params=error.params)
    return answer


def main() -> None:
    _limit_memory(int(sys.argv[1]))
    channel = _Channel()
    while (request := channel.receive()) is not None:
        try:
            _arm(request["cpu"])
            try:
                answer = _run(request, channel)
            finally:
                _disarm()
        except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt and all: the engine's to report
            answer = _failure(error)
        channel.send(answer)


if __name__ == "__main__":
    main()
