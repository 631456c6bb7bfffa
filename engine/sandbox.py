"""Where scripts, conditions, DMN cells and timer expressions run: RestrictedPython, not bare eval/exec.

The process files come from designers, so what they write is code from outside. It is compiled with
`compile_restricted` (no imports, no names or attributes starting with an underscore) and runs with
guarded attribute, item and iteration access and a short list of builtins and helpers. SpiffWorkflow's
own `TaskDataEnvironment(safe_globals)` is not enough: it leaves `().__class__.__base__.__subclasses__()`
open, which `compile_restricted` refuses.
"""

import operator
from datetime import date, datetime, time, timedelta
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
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

_EXTRA_BUILTINS = {
    name: getattr(__builtins__, name, None) if not isinstance(__builtins__, dict) else __builtins__[name]
    for name in ("all", "any", "dict", "enumerate", "list", "max", "min", "reversed", "sorted", "sum", "map", "filter")
}

_INPLACE = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
}

_GUARDS = {
    "__builtins__": {**safe_builtins, **_EXTRA_BUILTINS},
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": lambda op, x, y: _INPLACE[op](x, y),
}


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's rules, and no import statements at all (refused when the package is deployed)."""

    def visit_Import(self, node):
        self.error(node, "import statements are not allowed; use the helpers the engine provides")
        return node

    visit_ImportFrom = visit_Import


@lru_cache(maxsize=4096)
def compile_expression(source: str):
    """Compile an expression under the sandbox rules; raises SyntaxError naming what is refused."""
    return _checked(compile_restricted_eval(source.strip(), policy=_Policy), source)


@lru_cache(maxsize=4096)
def compile_script(source: str):
    """Compile a script under the sandbox rules; raises SyntaxError naming what is refused."""
    return _checked(compile_restricted_exec(source, policy=_Policy), source)


def _checked(result, source):
    if result.errors:
        raise SyntaxError("; ".join(result.errors))
    return result.code


class TimeHelpers:
    """The date and time functions a process may call; they read the engine's clock and calendar."""

    def __init__(self, clock, zone: str, calendar):
        self.clock = clock
        self.zone = ZoneInfo(zone)
        self.calendar = calendar  # a callable returning the WorkingCalendar, loaded on first use

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
        begin = datetime.fromisoformat(start)
        parsed = TimerEventDefinition.parse_iso_duration(duration)
        return (begin + TimerEventDefinition.get_timedelta_from_start(parsed, begin)).isoformat()

    def add_hours(self, start: str, hours: float) -> str:
        """`start` plus (or, negative, minus) a number of hours."""
        return (datetime.fromisoformat(start) + timedelta(hours=hours)).isoformat()

    def add_working_days(self, start: str, days: int) -> str:
        """The end of the `days`-th working day after the day of `start` (Chinese statutory calendar)."""
        return self.calendar().add_working_days(datetime.fromisoformat(start), days).isoformat()

    def add_limit(self, start: str, amount: float, unit: str) -> str:
        """`start` plus a limit in "working_days", "calendar_days" (both to the end of the day) or "hours"."""
        return self.calendar().add_limit(datetime.fromisoformat(start), amount, unit).isoformat()

    def is_workday(self, day: str) -> bool:
        """Whether `day` (YYYY-MM-DD) is a working day."""
        return self.calendar().is_workday(date.fromisoformat(day))

    def start_of_day(self, day: str) -> str:
        """Midnight at the start of `day` (YYYY-MM-DD) in the engine's time zone, as ISO 8601."""
        return datetime.combine(date.fromisoformat(day), time(), self.zone).isoformat()


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """A SpiffWorkflow script environment that evaluates and executes under RestrictedPython."""

    def __init__(self, helpers: dict):
        super().__init__({**_GUARDS, **helpers})

    def evaluate(self, expression, context, external_context=None):
        scope = {**context, **(external_context or {}), **self.globals}
        return eval(compile_expression(expression), scope)

    def execute(self, script, context, external_context=None):
        clashes = set(context) & (set(self.globals) | set(external_context or {}))
        if clashes:
            raise ValueError(f"task data would hide the helper(s) {sorted(clashes)}: rename the field(s)")
        scope = {**context, **(external_context or {}), **self.globals}
        exec(compile_script(script), scope)
        hidden = set(self.globals) | set(external_context or {})
        context.clear()
        context.update({key: value for key, value in scope.items() if key not in hidden and not callable(value)})
        return True


class SandboxedScriptEngine(PythonScriptEngine):
    """The script engine every workflow runs with; it also carries the clock that timers read."""

    def __init__(self, clock, zone: str, calendar):
        super().__init__(environment=RestrictedEnvironment(TimeHelpers(clock, zone, calendar).functions()))
        self.clock = clock

    def validate(self, expression):
        compile_expression(expression)
