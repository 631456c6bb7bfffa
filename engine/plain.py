"""The BPMN schema validator's, SpiffWorkflow's and the sandbox's messages, said in plain words in the
catalog's languages.

What they say is written for programmers: namespaces in braces, Python reprs (`<Element ... at 0x7f...>`),
XML Schema types (`xs:ID`), an empty list (`Available DMN ids are: .`). A designer reads these in the
console, so the ones we know are translated into a catalog message that says what to do, and any other is
passed on without reprs or namespaces.
"""

import re

from lxml import etree
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .guards import IMPORT_REFUSED
from .messages import MESSAGES
from .texts import Text

_NAMESPACE = re.compile(r"\{[^}]*\}")
_ELEMENT_REPR = re.compile(r"<Element (?:\{[^}]*\})?([\w.-]+) at 0x[0-9a-fA-F]+>")
_ANY_REPR = re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>")

_INVALID_ID = re.compile(r"attribute 'id': '(.*)' is not a valid value of the atomic type 'xs:ID'")
_REQUIRED = re.compile(r"Element '(?:\{[^}]*\})?(\w+)': The attribute '(\w+)' is required but missing")
_UNKNOWN_DMN = re.compile(r'No DMN Diagram available with id "(.*?)", Available DMN ids are: ?(.*?)\.?$')
_UNKNOWN_PROCESS = re.compile(r"The process '(.*?)' was not found")
#: Where the sandbox's compiler joins its refusals ("Line 3: ...; Line 5: ..."): not at the "; " inside one.
_BETWEEN_REFUSALS = re.compile(r"; (?=Line \d+: )")
_REFUSAL_AT_LINE = re.compile(r"Line (\d+): (.*)", re.DOTALL)
#: The compiler's refusals a designer meets, as catalog keys: the import refusal is the sandbox's own words
#: (guards.py), the others RestrictedPython's (its transformer); a refusal not listed is passed on as said.
_COMPILE_REFUSALS = (
    (re.compile(re.escape(IMPORT_REFUSED)), "sandbox_import"),
    (re.compile(r'"(?P<name>.+)" is an invalid variable name because it starts with "_"'), "sandbox_private_name"),
    (
        re.compile(r'"(?P<name>.+)" is an invalid attribute name because it starts with "_"\.'),
        "sandbox_private_attribute",
    ),
    (
        re.compile(r'"(?P<name>.+)" is a restricted name, that is forbidden to access in RestrictedPython\.'),
        "sandbox_restricted_name",
    ),
    (re.compile(r'"(?P<name>.+)" is a reserved name\.'), "sandbox_reserved_name"),
    (re.compile(r"(?P<name>Exec|Eval) calls are not allowed\."), "sandbox_call_refused"),
    (re.compile(r"(?P<name>\w+) statements are not allowed\."), "sandbox_statement_refused"),
)


def cleaned(message: str) -> str:
    """`message` without Python reprs and XML namespaces, on one line."""
    message = _ELEMENT_REPR.sub(lambda m: f"'{m.group(1)}'", message)
    message = _ANY_REPR.sub("(?)", message)
    return " ".join(_NAMESPACE.sub("", message).split()).strip()


def schema_errors(tree, errors) -> list[tuple[Text, str | None, int | None]]:
    """(message, element id, line) for each error of the BPMN schema validator's `error_log`."""
    ids = [element.get("id") for element in tree.iter() if isinstance(element.tag, str) and element.get("id")]
    found = []
    for error in errors:
        element = _element_at(tree, error.path)
        found.append((_schema_text(error.message, ids), element, error.line))
    return found


def _element_at(tree, path):
    try:
        matches = tree.getroottree().xpath(path, namespaces={k: v for k, v in tree.nsmap.items() if k})
    except (etree.XPathError, TypeError):
        return None
    element = matches[0] if matches and isinstance(matches[0], etree._Element) else None
    return element.get("id") if element is not None else None


def _schema_text(message: str, ids: list[str]) -> Text:
    invalid = _INVALID_ID.search(message)
    if invalid:
        value = invalid.group(1)
        return MESSAGES.text("id_twice" if ids.count(value) > 1 else "id_invalid", value=value)
    required = _REQUIRED.search(message)
    if required:
        return MESSAGES.text("attribute_missing", element=required.group(1), attribute=required.group(2))
    return MESSAGES.text("schema_invalid", problem=cleaned(message))


def spiff_text(message: str, *, decisions=(), processes=()) -> Text:
    """A SpiffWorkflow parse error in plain words; `decisions` and `processes` are what the package has."""
    message = cleaned(message)
    unknown = _UNKNOWN_DMN.search(message)
    if unknown:
        return MESSAGES.text("decision_unknown", decision=unknown.group(1), known=_listed(decisions))
    unknown = _UNKNOWN_PROCESS.search(message)
    if unknown:
        return MESSAGES.text("called_process_unknown", process=unknown.group(1), known=_listed(processes))
    return MESSAGES.text("spiff_refuses", problem=message or "?")


#: Names the sandbox's compiler gives what a script wrote, and what the script wrote.
_SANDBOX_NAMES = {"_print_": "print()", "_getattr_": "attribute access", "_write_": "assignment"}


def runtime_words(message: str) -> str:
    """A run-time failure's message without reprs or namespaces, naming what the designer wrote rather
    than the sandbox's internal names (`_print_` is print())."""
    message = cleaned(message)
    for internal, written in _SANDBOX_NAMES.items():
        message = message.replace(f"name '{internal}' is not defined", f"{written} is not available in the sandbox")
    return message


def problem(error: Exception) -> Text | str:
    """What `error` says to a designer: the catalog's words when it carries them (the sandbox's refusal, an
    expression that failed on one), any other message without reprs or namespaces."""
    return error.text if carries_text(error) else cleaned(str(error))


def carries_text(error) -> bool:
    """Whether `error` carries its message as a catalog Text (`text`), to be worded for its reader."""
    return isinstance(getattr(error, "text", None), Text)


def describe(error) -> Text | str:
    """A process failure in plain words: the catalog's Text when the failure carries one
    (what the sandbox refused, which SpiffWorkflow wraps), worded for whoever reads it; else its first line.
    What is stored of it is its English, `str()`."""
    carrier = next((e for e in (error, error.__cause__, error.__context__) if carries_text(e)), None)
    if carrier is not None:
        return problem(carrier)
    words = runtime_words(str(error).splitlines()[0]) if str(error) else ""
    if isinstance(error, SpiffWorkflowException):
        return words or error.__class__.__name__
    return f"{error.__class__.__name__}: {words}" if words else error.__class__.__name__  # a bare TypeError says little


def task_step(error) -> str | None:
    """The element id of the task a process failure names, if it names one."""
    task = getattr(error, "task", None)
    return getattr(task.task_spec, "bpmn_id", None) if task is not None else None


def compile_words(error: SyntaxError) -> Text | str:
    """Why the sandbox's compiler refuses code, each refusal in the catalog's words where it is one designers
    meet (an import, a name starting with "_", exec), any other as the compiler says it."""
    *refusals, last = [_compile_refusal(said) for said in _BETWEEN_REFUSALS.split(str(error))]
    worded = last
    for refusal in reversed(refusals):
        worded = MESSAGES.text("sandbox_refusals", first=refusal, rest=worded)
    return worded


def _compile_refusal(said: str) -> Text | str:
    at_line = _REFUSAL_AT_LINE.fullmatch(said)
    if at_line is None:
        return said
    for pattern, key in _COMPILE_REFUSALS:
        known = pattern.fullmatch(at_line.group(2))
        if known:
            return MESSAGES.text(key, line=int(at_line.group(1)), **known.groupdict())
    return said


def _listed(names) -> str:
    return ", ".join(sorted(names)) or "-"
