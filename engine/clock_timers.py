"""Timer event definitions that ask the engine's clock instead of `datetime.now`, and parsers that use them.

SpiffWorkflow's own timer definitions read the wall clock inside `has_fired`; these read
`task.workflow.script_engine.clock`, the clock the workflow was loaded with. Due times are stored, as
SpiffWorkflow does, in the waiting task's `internal_data['event_value']` once it starts waiting.

An event-based gateway, and a catch event with several definitions, wait on all their events in one task,
so each timer keeps its due time under a key of its own, `event_value:<catch event id or position>`
(`slot`): under the one key SpiffWorkflow uses, the first timer's due time would be every timer's, and the
first to fire would fire them all.
"""

from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import EventBasedGateway
from SpiffWorkflow.spiff.parser.event_parsers import (
    SpiffBoundaryEventParser,
    SpiffIntermediateCatchEventParser,
    SpiffStartEventParser,
)


def _now(my_task) -> datetime:
    return my_task.workflow.script_engine.clock.now()


def _evaluate(my_task, expression):
    return my_task.workflow.script_engine.evaluate(my_task, expression)


def part(definition, task_spec) -> str | None:
    """Which of a task's several events `definition` is: the catch event's id after an event-based gateway,
    its position in a catch event with several definitions; None when it is the task's only event."""
    owner = getattr(task_spec, "event_definition", None)
    if not isinstance(owner, MultipleEventDefinition) or owner is definition:
        return None
    index = next(i for i, d in enumerate(owner.event_definitions) if d is definition)
    return task_spec.outputs[index].bpmn_id if isinstance(task_spec, EventBasedGateway) else str(index)


def slot(definition, task_spec, name: str = "event_value") -> str:
    """The internal-data key under which `definition`, waited on by a task of `task_spec`, keeps `name`:
    `name` itself, or `name:<part>` for one of several (see `part`)."""
    which = part(definition, task_spec)
    return name if which is None else f"{name}:{which}"


class _Slots:
    """Due time and fired flag of one timer on its waiting task (see `slot`)."""

    def _get(self, my_task, name, default=None):
        return my_task.internal_data.get(slot(self, my_task.task_spec, name), default)

    def _set(self, my_task, name, value):
        my_task.internal_data[slot(self, my_task.task_spec, name)] = value


class ClockTimeDate(_Slots, TimeDateEventDefinition):
    def has_fired(self, my_task):
        if self._get(my_task, "event_value") is None:
            self._set(my_task, "event_value", _evaluate(my_task, self.expression))
        value = self._get(my_task, "event_value")
        try:
            due = TimerEventDefinition.parse_time_or_duration(value)
        except (ValueError, OverflowError) as error:  # e.g. the year 1 in a zone east of UTC
            raise WorkflowTaskException(f"the timer's date {value!r} cannot be used: {error}", task=my_task) from error
        if due <= _now(my_task):
            self._set(my_task, "event_fired", True)
        return self._get(my_task, "event_fired", False)


class ClockDuration(_Slots, DurationTimerEventDefinition):
    def has_fired(self, my_task):
        if self._get(my_task, "event_value") is None:
            start = _now(my_task)
            parsed = TimerEventDefinition.parse_iso_duration(_evaluate(my_task, self.expression))
            due = start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
            self._set(my_task, "event_value", due.isoformat())
        if TimerEventDefinition.get_datetime(self._get(my_task, "event_value")) <= _now(my_task):
            self._set(my_task, "event_fired", True)
        return self._get(my_task, "event_fired", False)


class ClockCycle(_Slots, CycleTimerEventDefinition):
    def cycle_complete(self, my_task):
        now = _now(my_task)
        event_value = self._get(my_task, "event_value")
        if event_value is None:
            cycles, start, duration = _parse_cycle(_evaluate(my_task, self.expression), now)
            event_value = {"cycles": cycles, "next": start.isoformat(), "duration": duration.total_seconds()}
        ready = False
        if event_value["cycles"] != 0:
            next_event = datetime.fromisoformat(event_value["next"])
            if next_event <= now:
                event_value["next"] = (next_event + timedelta(seconds=event_value["duration"])).isoformat()
                event_value["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data.pop(slot(self, my_task.task_spec), None)
            self._set(my_task, "event_fired", True)
        self._set(my_task, "event_value", event_value)
        return ready


def _parse_cycle(expression: str, now: datetime):
    """Like SpiffWorkflow's recurring-interval parsing, but "R3/P1D" (no start) counts from our clock."""
    components = expression.upper().replace("--", "/").strip("R").split("/")
    if len(components) == 2 and components[1].startswith("P"):
        parsed = TimerEventDefinition.parse_iso_duration(components[1])
        duration = TimerEventDefinition.get_timedelta_from_start(parsed, now)
        return (int(components[0]) if components[0] else -1), now + duration, duration
    return TimerEventDefinition.parse_iso_recurring_interval(expression)


CLOCK_TIMERS = {
    TimeDateEventDefinition: ClockTimeDate,
    DurationTimerEventDefinition: ClockDuration,
    CycleTimerEventDefinition: ClockCycle,
}


class _ClockTimerParsing:
    """Parse a timer event as SpiffWorkflow does, then swap in the clock-aware definition."""

    def parse_timer_event(self, event):
        parsed = super().parse_timer_event(event)
        return CLOCK_TIMERS[type(parsed)](parsed.name, parsed.expression, description=parsed.description)


class StartEventParser(_ClockTimerParsing, SpiffStartEventParser):
    pass


class IntermediateCatchEventParser(_ClockTimerParsing, SpiffIntermediateCatchEventParser):
    pass


class BoundaryEventParser(_ClockTimerParsing, SpiffBoundaryEventParser):
    pass
