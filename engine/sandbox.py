"""Where scripts, conditions, DMN cells and timer expressions run: RestrictedPython, not bare eval/exec.

The process files come from designers, so what they write is code from outside. It is compiled with
`compile_restricted` (no imports, no names or attributes starting with an underscore) and runs with
guarded attribute, item and iteration access and a short list of builtins and helpers. SpiffWorkflow's
own `TaskDataEnvironment(safe_globals)` is not enough: it leaves `().__class__.__base__.__subclasses__()`
open, which `compile_restricted` refuses.
"""

import ast
import operator
import sys
import time as clocks
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from . import provisional

#: Bounds on what one evaluation may do: CPU time, and the size of what `range`, `**` and `*` may build.
MAX_SECONDS = 1.0
SCRIPT_FILENAME = "<process script>"  # what code compiled from a process is named in its frames
MAX_ITEMS = 1_000_000
MAX_EXPONENT_BITS = 100_000


class SandboxLimit(Exception):
    """A script or expression went past one of the sandbox's bounds."""


def _limited_range(*args):
    produced = range(*args)
    if len(produced) > MAX_ITEMS:
        raise SandboxLimit(f"range of {len(produced)} items: the sandbox allows {MAX_ITEMS}")
    return produced


def _guarded_pow(base, exponent, modulo=None):
    if modulo is None and isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        if abs(base) > 1 and abs(base).bit_length() * exponent > MAX_EXPONENT_BITS:
            raise SandboxLimit("a power that large is not computed in the sandbox")
    return pow(base, exponent, modulo) if modulo is not None else pow(base, exponent)


def _guarded_mul(left, right):
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int):
            if len(sequence) * count > MAX_ITEMS:
                raise SandboxLimit(f"a sequence of {len(sequence) * count} items: the sandbox allows {MAX_ITEMS}")
    return left * right


_EXTRA_BUILTINS = {
    name: getattr(__builtins__, name, None) if not isinstance(__builtins__, dict) else __builtins__[name]
    for name in ("all", "any", "dict", "enumerate", "list", "max", "min", "reversed", "sorted", "sum", "map", "filter")
}

_INPLACE = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": _guarded_mul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": _guarded_pow,
}
_UNSAFE = ("__build_class__", "setattr", "delattr")

_GUARDS = {
    "__builtins__": {
        **{name: value for name, value in safe_builtins.items() if name not in _UNSAFE},
        **_EXTRA_BUILTINS,
        "range": _limited_range,
        "pow": _guarded_pow,
    },
    "_pow_": _guarded_pow,
    "_mul_": _guarded_mul,
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": lambda op, x, y: _INPLACE[op](x, y),
}


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's rules; no import statements at all (refused when the package is deployed); and
    `**` and `*` through guards, so that one expression cannot build a number or string too large."""

    def visit_Import(self, node):
        self.error(node, "import statements are not allowed; use the helpers the engine provides")
        return node

    visit_ImportFrom = visit_Import

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        guard = {ast.Pow: "_pow_", ast.Mult: "_mul_"}.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(id=guard, ctx=ast.Load()), args=[node.left, node.right], keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, node))


@lru_cache(maxsize=4096)
def compile_expression(source: str):
    """Compile an expression under the sandbox rules; raises SyntaxError naming what is refused."""
    return _checked(compile_restricted_eval(source.strip(), filename=SCRIPT_FILENAME, policy=_Policy), source)


@lru_cache(maxsize=4096)
def compile_script(source: str):
    """Compile a script under the sandbox rules; raises SyntaxError naming what is refused."""
    return _checked(compile_restricted_exec(source, filename=SCRIPT_FILENAME, policy=_Policy), source)


def _checked(result, source):
    if result.errors:
        raise SyntaxError("; ".join(result.errors))
    return result.code


class TimeHelpers:
    """The date and time functions a process may call; they read the engine's clock and calendar.

    A time computed on a provisional calendar year, or derived from such a time, is noted in the ledger
    of `workflow`, the workflow whose expression is running (set by the script engine; see provisional.py).
    """

    def __init__(self, clock, zone: str, calendar):
        self.clock = clock
        self.zone = ZoneInfo(zone)
        self.calendar = calendar  # a callable returning the WorkingCalendar, loaded on first use
        self.workflow = None

    def functions(self) -> dict:
        return {
            "now": self.now,
            "add_duration": self.add_duration,
            "add_hours": self.add_hours,
            "add_limit": self.add_limit,
            "add_working_days": self.add_working_days,
            "is_workday": self.is_workday,
            "start_of_day": self.start_of_day,
        }

    def now(self) -> str:
        """The current time as an ISO 8601 string in UTC."""
        return self.clock.now().isoformat()

    def add_duration(self, start: str, duration: str) -> str:
        """`start` (ISO 8601 date-time) plus an ISO 8601 duration such as "P7D" or "PT4H"."""
        return self._derived(start, {"duration": duration})

    def add_hours(self, start: str, hours: float) -> str:
        """`start` plus (or, negative, minus) a number of hours."""
        return self._derived(start, {"hours": hours})

    def add_working_days(self, start: str, days: int) -> str:
        """The end of the `days`-th working day after the day of `start` (Chinese statutory calendar)."""
        return self.add_limit(start, days, "working_days")

    def add_limit(self, start: str, amount: float, unit: str) -> str:
        """`start` plus a limit in "working_days", "calendar_days" (both to the end of the day) or "hours"."""
        limit = self.calendar().limit(datetime.fromisoformat(start), amount, unit)
        value = limit.at.isoformat()
        if self.workflow is not None and (limit.provisional or start in provisional.ledger(self.workflow)):
            provisional.note(self.workflow, value, {"start": start, "amount": amount, "unit": unit})
        return value

    def _derived(self, base: str, how: dict) -> str:
        value = provisional.derive(base, how)
        if self.workflow is not None and base in provisional.ledger(self.workflow):
            provisional.note(self.workflow, value, {"base": base, **how})
        return value

    def is_workday(self, day: str) -> bool:
        """Whether `day` (YYYY-MM-DD) is a working day."""
        return self.calendar().is_workday(date.fromisoformat(day))

    def start_of_day(self, day: str) -> str:
        """Midnight at the start of `day` (YYYY-MM-DD) in the engine's time zone, as ISO 8601."""
        return datetime.combine(date.fromisoformat(day), time(), self.zone).isoformat()


def _within_time(run):
    """Run with a budget of the thread's CPU time, checked on every line of the process's own code (loops
    included); raises SandboxLimit.

    CPU time, not elapsed time: the budget stops runaway code, and a script that waits (its calendar is
    read from the database on first use) or a worker that the machine does not schedule for a while is
    not running away. Under load, an elapsed-time budget failed legitimate completions with 422 when the
    machine stalled for over a second (seen in bench/http_bench.py). Only frames of code compiled from
    the process are traced: the helpers and guards it calls are ours and bounded, and tracing every line
    of them (the calendar walks days one by one) made scripts about a sixth of the engine's time.
    """
    budget_end = clocks.thread_time() + MAX_SECONDS

    def tracer(frame, event, arg):
        if frame.f_code.co_filename != SCRIPT_FILENAME:
            return None
        if clocks.thread_time() > budget_end:
            raise SandboxLimit(f"the script used more than {MAX_SECONDS} s of CPU")
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return run()
    finally:
        sys.settrace(previous)


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """A SpiffWorkflow script environment that evaluates and executes under RestrictedPython."""

    def __init__(self, helpers: dict):
        super().__init__({**_GUARDS, **helpers})

    def evaluate(self, expression, context, external_context=None):
        scope = {**context, **(external_context or {}), **self.globals}
        return _within_time(lambda: eval(compile_expression(expression), scope))

    def execute(self, script, context, external_context=None):
        clashes = set(context) & (set(self.globals) | set(external_context or {}))
        if clashes:
            raise ValueError(f"task data would hide the helper(s) {sorted(clashes)}: rename the field(s)")
        scope = {**context, **(external_context or {}), **self.globals}
        _within_time(lambda: exec(compile_script(script), scope))
        hidden = set(self.globals) | set(external_context or {})
        context.clear()
        context.update({key: value for key, value in scope.items() if key not in hidden and not callable(value)})
        return True


class SandboxedScriptEngine(PythonScriptEngine):
    """The script engine every workflow runs with; it also carries the clock that timers read."""

    def __init__(self, clock, zone: str, calendar):
        self.helpers = TimeHelpers(clock, zone, calendar)
        super().__init__(environment=RestrictedEnvironment(self.helpers.functions()))
        self.clock = clock

    def evaluate(self, task, expression, external_context=None):
        self.helpers.workflow = getattr(task, "workflow", None)
        return super().evaluate(task, expression, external_context)

    def execute(self, task, script, external_context=None):
        self.helpers.workflow = getattr(task, "workflow", None)
        return super().execute(task, script, external_context)

    def validate(self, expression):
        compile_expression(expression)
