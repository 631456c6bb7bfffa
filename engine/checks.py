"""Checks a package must pass beyond parsing: decision cells under the sandbox, timer expressions on
sample data, gateway flows that say where every token goes, call activities that do not call back, scripts
that call only what the sandbox offers. Each returns Problems or messages; package.py collects them with
the rest, so a designer sees every problem at once."""

import ast
import difflib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask

from . import plain
from .calendar import WorkingCalendar
from .clock import FixedClock
from .messages import MESSAGES
from .sandbox import RestrictedEnvironment, TimeHelpers, compile_expression

#: The moment timer expressions are tried at when a package is checked (a Monday morning in Beijing).
SAMPLE_MOMENT = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def decision_cells(parser, located, problem, used) -> list:
    """Every input expression, input cell and output cell of every decision compiles under the sandbox.

    An input column with no expression is an error in a decision the package uses (`used`), and only a
    warning (key `decision_unused_input_empty`) in one it does not: SpiffWorkflow runs such a package.
    """
    found = []
    for decision_id, dmn in parser.dmn_parsers.items():
        try:
            dmn.parse()
        except Exception as error:  # SpiffWorkflow's refusal, whatever it raises, is this decision's problem
            message = plain.spiff_text(str(error).strip() or type(error).__name__)
            found.append(problem(getattr(error, "id", None) or dmn.bpmn_id, message, located))
            continue
        for table in dmn.decision.decisionTables:
            found += _table(table, located, problem, decision_id in used)
    return found


def _table(table, located, problem, used: bool) -> list:
    found = []
    for column in table.inputs:
        if not (column.expression or "").strip():
            key = "decision_input_empty" if used else "decision_unused_input_empty"
            found.append(problem(column.id, MESSAGES.text(key), located))
            continue
        found += _compiles(column.expression, located, problem, column.id, "input_expression_refused")
    for rule in table.rules:
        for entry in rule.inputEntries:
            for cell in filter(None, entry.lhs):
                found += _compiles_cell(cell, located, problem, rule.id)
        for entry in rule.outputEntries:
            if entry.text and entry.text.strip():
                found += _compiles(entry.text, located, problem, rule.id, "output_cell_refused")
    return found


def _compiles(source, located, problem, element, key) -> list:
    """[] when `source` compiles under the sandbox, else the problem `key` (a message) with the reason."""
    try:
        compile_expression(source)
        return []
    except SyntaxError as error:
        return [problem(element, MESSAGES.text(key, source=source, problem=plain.compile_words(error)), located)]


#: SpiffWorkflow rewrites each `?` of an input cell at every evaluation, in time that grows with the square
#: of their number (6,001 took seconds): more than a person writes in a cell is refused at deploy.
MOST_PLACEHOLDERS = 50


def _compiles_cell(cell, located, problem, element) -> list:
    """An input cell is a value ("x"), a comparison (> 5) or an expression over `?` (4 < ? < 6)."""
    if cell.count("?") > MOST_PLACEHOLDERS:
        message = MESSAGES.text("input_cell_too_many_placeholders", count=cell.count("?"), most=MOST_PLACEHOLDERS)
        return [problem(element, message, located)]
    source = cell.replace("?", "dmninputexpr")
    for candidate in (f"dmninputexpr == ({source})", f"dmninputexpr {source}", source):
        try:
            compile_expression(candidate)
            return []
        except SyntaxError:
            continue
    return [problem(element, MESSAGES.text("input_cell_refused", cell=cell), located)]


#: The local names of the elements a sequence flow may connect (tasks, events, gateways, sub-processes).
_FLOW_NODE_ENDINGS = ("task", "Task", "Event", "Gateway", "Process", "callActivity", "transaction")


def flow_ends(tree) -> list[tuple]:
    """(message, flow id, line) for each end of a sequence flow that names no step beside the flow.

    SpiffWorkflow looks a flow's target up in the flow's own process or sub-process only; one that names
    an element elsewhere in the file (a diagram shape, a step of another pool or inside a sub-process) it
    reports at the flow's source task, as "perhaps a form has the same ID?". Here it is named at the flow,
    with its line, and a typo gets the nearest step's id.
    """
    ids = {e.get("id"): e for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
    found = []
    for flow in tree.iter(full_tag("sequenceFlow")):
        steps = [e.get("id") for e in flow.getparent() if isinstance(e.tag, str) and _is_flow_node(e) and e.get("id")]
        for end in ("sourceRef", "targetRef"):
            target = flow.get(end)
            if target is None or target in steps:
                continue
            if target in ids:
                message = MESSAGES.text("flow_end_elsewhere", end=end, target=target, line=ids[target].sourceline)
            else:
                near = difflib.get_close_matches(target, steps, n=1)
                message = (
                    MESSAGES.text("flow_end_unknown_near", end=end, target=target, near=near[0])
                    if near
                    else MESSAGES.text("flow_end_unknown", end=end, target=target)
                )
            found.append((message, flow.get("id"), flow.sourceline))
    return found


def _is_flow_node(element) -> bool:
    return etree.QName(element).localname.endswith(_FLOW_NODE_ENDINGS)


def timer(task_spec, sample: dict | None, zone: str) -> tuple:
    """(error, warning) for a timer's expression evaluated on the process's sample data.

    Without sample data a name the expression needs cannot be known: that is a warning; with sample
    data it is an error (often a literal duration written without quotes: P3D instead of "P3D").
    """
    definition = getattr(task_spec, "event_definition", None)
    if not isinstance(definition, TimerEventDefinition):
        return None, None
    if not (definition.expression or "").strip():
        return MESSAGES.text("timer_empty", kind=_kind(definition)), None
    helpers = TimeHelpers(FixedClock(SAMPLE_MOMENT), zone, lambda: WorkingCalendar(ZoneInfo(zone))).functions()
    try:
        value = RestrictedEnvironment(helpers).evaluate(definition.expression, dict(sample or {}))
    except NameError as error:
        if sample is None:
            return None, MESSAGES.text("timer_needs_sample", expression=definition.expression, problem=str(error))
        return MESSAGES.text("timer_needs_name", expression=definition.expression, problem=str(error)), None
    except Exception as error:  # the expression itself fails: that is the designer's error to see
        return MESSAGES.text("timer_fails", expression=definition.expression, problem=plain.problem(error)), None
    try:
        _parse_timer(definition, value)
    except Exception as error:
        shown = plain.cleaned(repr(value))[:200]
        return MESSAGES.text(
            "timer_invalid_value",
            expression=definition.expression,
            value=shown,
            kind=_kind(definition),
            problem=str(error),
        ), None
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
    return "ISO 8601 cycle" if isinstance(definition, CycleTimerEventDefinition) else "ISO 8601 date-time"


def gateway(task_spec) -> list:
    """Warnings for an exclusive or inclusive gateway that splits with no default flow.

    (A flow that has neither a condition nor is the default is refused by SpiffWorkflow's parser.)
    """
    if not isinstance(task_spec, ExclusiveGateway | InclusiveGateway) or len(task_spec.outputs) < 2:
        return []
    if getattr(task_spec, "default_task_spec", None):
        return []
    return [MESSAGES.text("gateway_no_default")]


def is_service_task(task_spec) -> bool:
    return isinstance(task_spec, ServiceTask)


def decisions_used(trees: dict) -> set[str]:
    """The decision ids the package's business rule tasks call (SpiffWorkflow's or Camunda's attribute)."""
    used = set()
    for tree in trees.values():
        used |= {ref.text.strip() for ref in tree.iter("{*}calledDecisionId") if ref.text}
        for task in tree.iter(full_tag("businessRuleTask")):
            used |= {value for key, value in task.attrib.items() if key.endswith("decisionRef")}
    return used


def call_cycles(trees: dict, located: dict, problem) -> list:
    """A problem for every call activity that is part of a cycle of processes calling each other.

    Such a process never ends: each turn starts another instance of the cycle, and starting one would
    hold the request (and the service's worker) until it ran out of memory.
    """
    calls: dict[str, list] = {}
    for tree in trees.values():
        for process in tree.iter(full_tag("process")):
            calls.setdefault(process.get("id"), []).extend(process.iter(full_tag("callActivity")))
    found = []
    for process_id, activities in calls.items():
        for activity in activities:
            path = _path_back(activity.get("calledElement"), process_id, calls)
            if path is not None:
                cycle = " -> ".join([process_id, *path])
                found.append(problem(activity.get("id"), MESSAGES.text("call_cycle", cycle=cycle), located))
    return found


def _path_back(start: str, target: str, calls: dict) -> list[str] | None:
    """The processes from `start` back to `target` through call activities, or None if there is no way."""
    seen, queue = {start}, [[start]]
    while queue:
        path = queue.pop(0)
        if path[-1] == target:
            return path
        for activity in calls.get(path[-1], []):
            following = activity.get("calledElement")
            if following not in seen:
                seen.add(following)
                queue.append([*path, following])
    return None


#: Python functions a script may reach for that the sandbox does not offer (it offers print() and locals()).
_NOT_OFFERED = ("globals", "vars")


def missing_functions(script: str) -> list:
    """A message for each call in `script` of a function in `_NOT_OFFERED`.

    Only calls of these few names: a bare name may be process data (a field named `id` or `type`).
    """
    try:
        tree = ast.parse(script)
    except SyntaxError:
        return []  # the sandbox's compilation reports it
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    return [MESSAGES.text("sandbox_lacks", name=name) for name in sorted(called & set(_NOT_OFFERED))]
