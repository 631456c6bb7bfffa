"""The engine's exceptions: a small hierarchy with structured fields, turned into HTTP errors elsewhere.

Each class carries the HTTP status it stands for (`status`), so that the one error base says both what
went wrong and how a web front answers it, and no table elsewhere has to agree with the classes. The
engine itself never reads it."""

from .texts import Text


class EngineError(Exception):
    """Base of every error the engine raises on purpose; `code` is stable, `message` is for people.

    Given as a `Text`, the message is worded in each reader's language (`text`); `message` is its English.
    `fields` maps each field at fault to what is wrong with it: a `Text`, worded for the reader like the
    message, or a plain value a program reads (`retry_after`).
    `facts` are what a program reading the refusal needs beside the words (who completed a task, when).
    """

    code = "engine_error"
    status = 400

    def __init__(
        self, message: str | Text, *, fields: dict | None = None, details: list | None = None, facts: dict | None = None
    ):
        super().__init__(str(message))
        self.message = str(message)
        self.text = message if isinstance(message, Text) else None
        self.fields = fields or {}
        self.details = details or []
        self.facts = facts or {}


class NotFound(EngineError):
    code = "not_found"
    status = 404


class Conflict(EngineError):
    """The thing changed under the caller: a task no longer open, or a concurrent write that lost."""

    code = "conflict"
    status = 409


class InvalidData(EngineError):
    """Submitted data fails the task's form; `fields` maps each field at fault to what is wrong."""

    code = "invalid_data"
    status = 422


class InvalidPackage(EngineError):
    """A process package that cannot be deployed; `details` lists every problem found."""

    code = "invalid_package"
    status = 422


class ProcessError(EngineError):
    """The process itself failed while running (a script, expression or decision raised).

    `instance_id` and `step` say where, so that the failure can be recorded once the failed
    transaction has been rolled back.
    """

    code = "process_error"
    status = 422

    def __init__(self, message: str | Text, *, instance_id: int | None = None, step: str | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.instance_id, self.step = instance_id, step
