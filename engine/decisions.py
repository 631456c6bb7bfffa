"""Evaluating a deployed decision table on plain data, outside any instance: a domain asks a package's DMN
for a value that no process step computes (a limit the domain itself keeps), so that the value stays in
the DMN that administrators edit, with the same cells, sandbox and matching as a business rule task.

SpiffWorkflow's DMNEngine evaluates cells against a task: it reads `task.data` and uses
`task.workflow.script_engine.evaluate(task, expression)`. `_Data` is that much of a task, and `_Cells`
that much of a script engine; the matching of each cell (`?`, comparisons, plain values) stays
SpiffWorkflow's own (`DMNEngine.evaluate`, `Rule.output_as_dict`).
"""

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine

from . import plain
from .errors import NotFound, ProcessError
from .messages import MESSAGES


class _Cells:
    """The script engine DMNEngine sees: the sandbox's evaluation of a cell on the data, without the
    wrapping of errors in a task's trace (there is no task)."""

    def __init__(self, script_engine):
        self.script_engine = script_engine

    def evaluate(self, data, expression, external_context=None):
        return self.script_engine.environment.evaluate(expression, data.data, external_context)

    def validate(self, expression):
        self.script_engine.validate(expression)


class _Data:
    """The data a decision is evaluated on, shaped as the task DMNEngine expects."""

    def __init__(self, data: dict, cells: _Cells):
        self.data = dict(data)
        self.workflow = self
        self.script_engine = cells


def decide(tables: dict, decision_id: str, data: dict, script_engine) -> dict:
    """The outputs of the first rule of decision `decision_id` that matches `data` (the UNIQUE hit policy,
    which every table evaluated this way must use); ProcessError when none matches or a cell fails."""
    table = tables.get(decision_id)
    if table is None:
        raise NotFound(
            MESSAGES.text("decision_missing", decision=decision_id),
            fields={"decision": MESSAGES.text("field_decision_unknown")},
        )
    task, engine = _Data(data, _Cells(script_engine)), DMNEngine(table)
    try:
        for rule in table.rules:
            if all(
                engine.evaluate(entry.input.expression, cell, task) for entry in rule.inputEntries for cell in entry.lhs
            ):
                return dict(rule.output_as_dict(task))
    except Exception as error:  # a cell that fails in the sandbox: the designer's to fix, not a crash
        raise ProcessError(
            MESSAGES.text("decision_failed", decision=decision_id, problem=plain.problem(error))
        ) from error
    raise ProcessError(MESSAGES.text("decision_no_rule_matches", decision=decision_id, names=", ".join(sorted(data))))
