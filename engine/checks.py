"""Checks a package must pass beyond parsing: decision cells under the sandbox, timer expressions on
sample data, and gateway flows that say where every token goes. Each returns Problems; package.py
collects them with the rest, so a designer sees every problem at once."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway

from .calendar import WorkingCalendar
from .clock import FixedClock
from .sandbox import RestrictedEnvironment, TimeHelpers, compile_expression

#: The moment timer expressions are tried at when a package is checked (a Monday morning in Beijing).
SAMPLE_MOMENT = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def decision_cells(parser, located, problem) -> list:
    """Every input expression, input cell and output cell of every decision compiles under the sandbox."""
    found = []
    for dmn in parser.dmn_parsers.values():
        try:
            dmn.parse()
        except ValidationException as error:
            found.append(problem(getattr(error, "id", None) or dmn.bpmn_id, str(error).strip(), located))
            continue
        for table in dmn.decision.decisionTables:
            for column in table.inputs:
                found += _compiles(column.expression, located, problem, column.id, "input expression")
            for rule in table.rules:
                for entry in rule.inputEntries:
                    for cell in filter(None, entry.lhs):
                        found += _compiles_cell(cell, located, problem, rule.id)
                for entry in rule.outputEntries:
                    if entry.text and entry.text.strip():
                        found += _compiles(entry.text, located, problem, rule.id, "output cell")
    return found


def _compiles(source, located, problem, element, what) -> list:
    try:
        compile_expression(source)
        return []
    except SyntaxError as error:
        return [problem(element, f"{what} '{source}' is refused by the sandbox: {error}", located)]


def _compiles_cell(cell, located, problem, element) -> list:
    """An input cell is a value ("x"), a comparison (> 5) or an expression over `?` (4 < ? < 6)."""
    source = cell.replace("?", "dmninputexpr")
    for candidate in (f"dmninputexpr == ({source})", f"dmninputexpr {source}", source):
        try:
            compile_expression(candidate)
            return []
        except SyntaxError:
            continue
    return [problem(element, f"input cell '{cell}' is neither a value nor a comparison the sandbox accepts", located)]


def timer(task_spec, sample: dict | None, zone: str) -> tuple[str | None, str | None]:
    """(error, warning) for a timer's expression evaluated on the process's sample data.

    Without sample data a name the expression needs cannot be known: that is a warning; with sample
    data it is an error (often a literal duration written without quotes: P3D instead of "P3D").
    """
    definition = getattr(task_spec, "event_definition", None)
    if not isinstance(definition, TimerEventDefinition):
        return None, None
    helpers = TimeHelpers(FixedClock(SAMPLE_MOMENT), zone, lambda: WorkingCalendar(ZoneInfo(zone))).functions()
    try:
        value = RestrictedEnvironment(helpers).evaluate(definition.expression, dict(sample or {}))
    except NameError as error:
        hint = f"'{definition.expression}' needs a name that is not defined ({error})"
        if sample is None:
            return None, f"{hint}: add <process>.sample.json with it so the timer can be checked"
        return f'{hint}: quote a literal ("P3D") or add the name to the sample data', None
    except Exception as error:  # the expression itself fails: that is the designer's error to see
        return f"'{definition.expression}' fails on the sample data: {error}", None
    try:
        _parse_timer(definition, value)
    except Exception as error:
        return f"'{definition.expression}' gives {value!r}, which is not a valid {_kind(definition)}: {error}", None
    return None, None


def _parse_timer(definition, value):
    if not isinstance(value, str):
        raise ValueError("a timer needs a string")
    if isinstance(definition, DurationTimerEventDefinition):
        TimerEventDefinition.parse_iso_duration(value)
    elif isinstance(definition, CycleTimerEventDefinition):
        TimerEventDefinition.parse_iso_recurring_interval(value)
    else:
        TimerEventDefinition.parse_time_or_duration(value)


def _kind(definition) -> str:
    if isinstance(definition, DurationTimerEventDefinition):
        return "ISO 8601 duration"
    return "ISO 8601 cycle" if isinstance(definition, CycleTimerEventDefinition) else "date-time"


def gateway(task_spec) -> list[str]:
    """Warnings for an exclusive or inclusive gateway that splits with no default flow.

    (A flow that has neither a condition nor is the default is refused by SpiffWorkflow's parser.)
    """
    if not isinstance(task_spec, ExclusiveGateway | InclusiveGateway) or len(task_spec.outputs) < 2:
        return []
    if getattr(task_spec, "default_task_spec", None):
        return []
    return ["no default flow: when no condition holds, the process stops with an error"]
