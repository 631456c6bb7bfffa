"""Workflow state without its specs.

SpiffWorkflow's serializer writes the spec and every subprocess spec into each workflow's dict. Specs
belong to a deployed version and are stored once with it, so this serializer leaves them out and puts
the cached, already-parsed spec objects back when it restores a workflow.
"""

from copy import deepcopy
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.specs.control import BpmnStartTask
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from . import jsondata
from .clock_timers import CLOCK_TIMERS
from .event_subprocesses import EventSubprocessStartEvent, ProcessStartTask

FORMAT_VERSION = "spiff-1.5/state-1"


class _StateConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None, script_engine=None):
        workflow = self.target_class(spec, subprocess_specs, script_engine=script_engine, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _configure():
    config = deepcopy(SPIFF_CONFIG)
    for original, ours in CLOCK_TIMERS.items():
        config[ours] = config[original]
    config[ProcessStartTask] = config[BpmnStartTask]
    # a start event with a `cancel_activity` (isInterrupting): the boundary event converter keeps it
    config[EventSubprocessStartEvent] = config[BoundaryEvent]
    config[BpmnWorkflow] = _StateConverter
    return BpmnWorkflowSerializer.configure(config)


class StateSerializer:
    """Turns a running workflow into a JSON-ready dict and back, given the specs of its version."""

    def __init__(self):
        self._serializer = BpmnWorkflowSerializer(_configure())

    @property
    def registry(self):
        """SpiffWorkflow's converter registry: what its spec comparisons (SpecDiff) need."""
        return self._serializer.registry

    def dump(self, workflow: BpmnWorkflow) -> dict:
        dct = self._serializer.to_dict(workflow)
        dct["format"] = FORMAT_VERSION
        return dct

    def load(self, state: dict, *, spec, subprocess_specs, script_engine) -> BpmnWorkflow:
        """Restore a workflow from a copy of `state`: SpiffWorkflow's converters keep the dicts they are
        given as task data and change them as the workflow runs, so restoring from the caller's own dict
        would let a run (or a check that is thrown away) rewrite the stored state it came from. A JSON
        round trip is the cheapest deep copy of JSON data."""
        state = jsondata.copy(state)
        if state.pop("format", None) != FORMAT_VERSION:
            raise ValueError(f"stored workflow state is not in format {FORMAT_VERSION}")
        return self._serializer.registry.restore(
            state, spec=spec, subprocess_specs=subprocess_specs, script_engine=script_engine
        )
