"""Where scripts, conditions, DMN cells, timer expressions and `candidateGroups` run.

All of it is compiled under the sandbox's rules (guards.py: RestrictedPython, no imports, no private
names, size guards). Code that cannot run away (bounded.py: a comparison, a lookup, straight-line
assignments) then runs here, in process, where it costs microseconds; anything else (a loop, a
comprehension, a call of anything but a few builtins and the engine's helpers) runs in a sandbox worker
(isolation.py), a process of its own under CPU-time and memory limits that the kernel enforces: a
runaway there ends its worker, not the request or the timer loop that asked, and what it raised, even
`SystemExit`, comes back here as an ordinary exception. Either way, process data leaves the sandbox only
as JSON data: NaN, infinities and objects are refused there, with the name they were given.

What the sandbox refuses is named by a message key where it is refused (guards.py, isolation.py, a
worker), and given its words from the catalog here, as it leaves the environment: a designer reads it in
their language where it is shown as a message (`text`), and `str()` of it is the English.
"""

import functools
import math
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from . import isolation, provisional
from .bounded import is_bounded
from .guards import GUARDS, DataRefused, Refused, SandboxLimit, compile_expression, compile_script, refused_data
from .messages import MESSAGES
from .texts import Text

#: The CPU time one piece of code may use in a sandbox worker.
MAX_SECONDS = 1.0

#: What the rest of the engine takes from here (the compilers, Refused and SandboxLimit are guards.py's).
__all__ = [
    "MAX_SECONDS",
    "Refused",
    "RestrictedEnvironment",
    "SandboxLimit",
    "SandboxedScriptEngine",
    "ScriptFailed",
    "TimeHelpers",
    "compile_expression",
    "compile_script",
]


class ScriptFailed(Refused):
    """The code raised something that is no ordinary error here (`SystemExit`, `KeyboardInterrupt`, an
    exception of its own): it is reported with the name of what it raised."""


def _worded(refused: Refused, line: int | None = None) -> Refused:
    """`refused` with its message from the catalog, at `line` of the code when that is known."""
    if refused.text is None:
        text = MESSAGES.text(refused.key, **refused.params)
        refused.text = text if line is None else MESSAGES.text("sandbox_at_line", problem=text, line=line)
        refused.args = (str(refused.text),)  # what SpiffWorkflow quotes of an error (its first argument)
    return refused


def _wording_refusals(method):
    """`method`, whatever it refuses leaving it worded (see the module docstring)."""

    @functools.wraps(method)
    def worded(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Refused as refused:
            _worded(refused)
            raise

    return worded


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


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """A SpiffWorkflow script environment that evaluates and executes under the sandbox: in process when
    the code cannot run away, in a sandbox worker otherwise (see the module docstring)."""

    def __init__(self, helpers: dict):
        super().__init__({**GUARDS, **helpers})
        self.helpers = helpers
        self._names = frozenset(helpers)

    @_wording_refusals
    def evaluate(self, expression, context, external_context=None):
        code = compile_expression(expression)
        if is_bounded(expression, "eval", self._names):
            return _finite(eval(code, {**context, **(external_context or {}), **self.globals}), None)
        return self._isolated("eval", expression, context, external_context)["value"]

    @_wording_refusals
    def execute(self, script, context, external_context=None):
        clashes = set(context) & (set(self.globals) | set(external_context or {}))
        if clashes:
            raise DataRefused("sandbox_hides_helpers", names=", ".join(sorted(clashes)))
        code = compile_script(script)
        if is_bounded(script, "exec", self._names):
            scope = {**context, **(external_context or {}), **self.globals}
            exec(code, scope)
            hidden = set(self.globals) | set(external_context or {})
            left = {key: value for key, value in scope.items() if key not in hidden and not callable(value)}
            for key, value in left.items():
                if context.get(key) is not value:  # what the script set: the rest was data already
                    _finite(value, key)
        else:
            left = self._isolated("exec", script, context, external_context)["context"]
        context.clear()
        context.update(left)
        return True

    def _isolated(self, op: str, source: str, context: dict, external_context) -> dict:
        """The answer of a sandbox worker that ran `source`; what the code raised is raised here."""
        request = {
            "op": op,
            "source": source,
            "context": context,
            "external": external_context or {},
            "helpers": sorted(self._names),
            "cpu": MAX_SECONDS,
        }
        answer = isolation.pool().run(request, self.helpers)
        if "error" not in answer:
            return answer
        line = answer.get("line")
        if answer["error"] == "MemoryError":
            raise _worded(SandboxLimit("sandbox_memory"), line)
        refusal = _REFUSALS.get(answer["error"]) if "key" in answer else None
        if refusal is not None:
            raise _worded(refusal(answer["key"], **answer["params"]), line)
        kind = _ORDINARY.get(answer["error"])
        if kind is None:
            said = {"message": answer["message"]} if answer["message"] else {}
            raise _worded(
                ScriptFailed("code_raised_saying" if said else "code_raised", kind=answer["error"], **said), line
            )
        raise kind(f"{answer['message']} (line {line})" if line else answer["message"])


#: What code may raise that is raised here as itself (SpiffWorkflow words NameError with a "did you mean").
_ORDINARY = {
    kind.__name__: kind
    for kind in (
        ArithmeticError,
        AssertionError,
        AttributeError,
        IndexError,
        KeyError,
        LookupError,
        NameError,
        NotImplementedError,
        OverflowError,
        RecursionError,
        RuntimeError,
        SyntaxError,
        TypeError,
        UnboundLocalError,
        ValueError,
        ZeroDivisionError,
    )
}
_ORDINARY_TYPES = tuple(_ORDINARY.values())
#: The sandbox's own refusals a worker answers with, by name, made again here from their key and parameters.
_REFUSALS = {kind.__name__: kind for kind in (SandboxLimit, DataRefused)}


def _problem(error: Exception) -> Text | str:
    """What an expression's failure says: the sandbox's refusal in the catalog's words, an ordinary error
    with its type."""
    if isinstance(error, Refused):
        return _worded(error).text
    return f"{type(error).__name__}: {error}" if isinstance(error, _ORDINARY_TYPES) else str(error)


def _shortened(source: str, most: int = 200) -> str:
    return source if len(source) <= most else source[:most] + "..."


def _finite(value, name: str | None):
    """`value`, if process data can hold it: JSON data without NaN or infinities, as from a worker."""
    if isinstance(value, float) and not math.isfinite(value):
        raise refused_data(name)
    if isinstance(value, dict | list | tuple):
        for item in value.values() if isinstance(value, dict) else value:
            _finite(item, name)
    elif not isinstance(value, str | int | float | None):
        raise refused_data(name, type(value).__name__)
    return value


class SandboxedScriptEngine(PythonScriptEngine):
    """The script engine every workflow runs with; it also carries the clock that timers read."""

    def __init__(self, clock, zone: str, calendar):
        self.helpers = TimeHelpers(clock, zone, calendar)
        super().__init__(environment=RestrictedEnvironment(self.helpers.functions()))
        self.clock = clock

    def evaluate(self, task, expression, external_context=None):
        """As SpiffWorkflow's, but its error says what went wrong, not only which expression failed."""
        self.helpers.workflow = getattr(task, "workflow", None)
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException:
            raise
        except Exception as error:
            failed = MESSAGES.text("expression_failed", expression=_shortened(expression), problem=_problem(error))
            wrapped = WorkflowTaskException(str(failed), task=task, exception=error)
            wrapped.text = failed  # for its reader, in their language (engine/plain.py's describe)
            raise wrapped from error

    def execute(self, task, script, external_context=None):
        self.helpers.workflow = getattr(task, "workflow", None)
        return super().execute(task, script, external_context)

    def validate(self, expression):
        compile_expression(expression)
