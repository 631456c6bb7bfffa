"""A process package: BPMN, DMN and JSON Schema forms parsed into SpiffWorkflow specs, with every problem.

Parsing is where a designer learns what is wrong, so nothing stops at the first problem: each problem
names the file, the element id and line where there is one, and what to do.
"""

import copy
import hashlib
import io
import json
import posixpath
import zipfile
from dataclasses import asdict, dataclass, field

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent, IntermediateCatchEvent, StartEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ScriptTask

from . import checks, form_refs, plain
from .clock_timers import BoundaryEventParser, IntermediateCatchEventParser
from .errors import InvalidPackage
from .event_subprocesses import ProcessParser, StartEventParser
from .messages import MESSAGES
from .patterns import backtracking, patterns_in
from .sandbox import compile_expression, compile_script
from .texts import Text

FORM_PROPERTY = "formJsonSchemaFilename"
UI_PROPERTY = "formUiSchemaFilename"
GROUP_PROPERTY = "candidateGroups"
SHOW_PROPERTY = "showData"
#: A boundary timer whose `timerKind` property is "limit" is its task's time limit: the task's due time,
#: whether the timer takes the task away when it fires (interrupting) or lets the limit lapse (not).
TIMER_KIND_PROPERTY, LIMIT_KIND = "timerKind", "limit"
MAX_FILES = 200
MAX_PACKAGE_BYTES = 20 * 1024 * 1024
#: The longest file name, element id, element name and lane name, in characters: what the columns that
#: store them hold (a file's name, a task's name: 255; a lane: 64). An id becomes a step, which callers
#: keep in narrower columns of their own, so it is held to 64: far more than the ids modellers generate.
#: A task's candidate group is reckoned at run time, and held to its column there (state.py).
MAX_LENGTHS = {"file": 255, "id": 64, "name": 255, "lane": 64, "group": 255}
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=False)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a package; `message` is worded in each reader's language."""

    file: str
    message: Text
    element: str | None = None
    line: int | None = None

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None} | {"message": self.message}


@dataclass
class ParsedPackage:
    """A package ready to run: the specs of each executable process and the forms by file name."""

    files: dict[str, bytes]
    content_hash: str
    specs: dict[str, tuple] = field(default_factory=dict)
    forms: dict[str, dict] = field(default_factory=dict)
    samples: dict[str, dict] = field(default_factory=dict)  # process id -> data its timers are tried on
    decisions: dict[str, object] = field(default_factory=dict)  # decision id -> its table, for engine/decisions.py
    warnings: list[Problem] = field(default_factory=list)

    def form_for(self, task_spec) -> dict:
        """The form of a user task as {"schema", "ui"}; a task without a form has no fields."""
        properties = task_spec.extensions.get("properties", {})
        schema = self.forms.get(properties.get(FORM_PROPERTY), {"type": "object", "properties": {}})
        return {"schema": schema, "ui": self.forms.get(properties.get(UI_PROPERTY), {})}


class _Parser(SpiffBpmnParser):
    """SpiffWorkflow's parser with clock-aware timers and event subprocesses that may interrupt."""

    PROCESS_PARSER_CLASS = ProcessParser
    OVERRIDE_PARSER_CLASSES = {
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        full_tag("startEvent"): (StartEventParser, StartEvent),
        full_tag("intermediateCatchEvent"): (IntermediateCatchEventParser, IntermediateCatchEvent),
        full_tag("boundaryEvent"): (BoundaryEventParser, BoundaryEvent),
    }


def content_hash(files: dict[str, bytes]) -> str:
    """The identity of a package: the same files give the same hash, whatever their order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def files_from_upload(uploads: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """The package's files by base name, from uploaded files or one zip; limits against zip bombs."""
    files: dict[str, bytes] = {}
    total = 0
    for filename, content in uploads:
        entries = _zip_entries(filename, content) if filename.lower().endswith(".zip") else [(filename, content)]
        for name, data in entries:
            name = posixpath.basename(name.replace("\\", "/"))
            total += len(data)
            if len(name) > MAX_LENGTHS["file"]:
                raise InvalidPackage(
                    MESSAGES.text("file_name_too_long", name=_shortened(name), limit=MAX_LENGTHS["file"]),
                    fields={"files": MESSAGES.text("field_name_longer_than", limit=MAX_LENGTHS["file"])},
                )
            if not name or name in files:
                problem = MESSAGES.text("field_file_twice", name=name) if name else MESSAGES.text("field_name_empty")
                raise InvalidPackage(MESSAGES.text("package_file_twice", name=name), fields={"files": problem})
            if len(files) >= MAX_FILES or total > MAX_PACKAGE_BYTES:
                raise InvalidPackage(
                    MESSAGES.text("package_too_large", files=MAX_FILES, size=MAX_PACKAGE_BYTES),
                    fields={"files": MESSAGES.text("field_package_too_large")},
                )
            files[name] = data
    return files


def _shortened(text: str, length: int = 60) -> str:
    """The start of an over-long name or id, enough to find it by, to be named in a problem."""
    return text if len(text) <= length else text[:length] + "…"


def _zip_entries(filename, content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in infos) > MAX_PACKAGE_BYTES:
            raise InvalidPackage(
                MESSAGES.text("zip_too_large", name=filename, size=MAX_PACKAGE_BYTES),
                fields={"files": MESSAGES.text("field_unpacks_too_large", name=filename)},
            )
        return [(info.filename, archive.read(info)) for info in infos]
    except zipfile.BadZipFile as error:
        raise InvalidPackage(
            MESSAGES.text("not_a_zip", name=filename, problem=str(error)),
            fields={"files": MESSAGES.text("field_not_a_zip", name=filename)},
        ) from error


def check_package(
    files: dict[str, bytes], *, zone: str | None, lanes=None, forms_required=()
) -> tuple[ParsedPackage, list[Problem]]:
    """Parse and check a package as far as it goes: it, with its warnings, and every error (each once).

    `zone` is the engine's time zone, in which timers are tried on their process's sample data (the first
    day of the year 1 is a moment in UTC, not in Beijing); None tries none (`load_package`).

    `lanes`, when given, is the set of lane names allowed; `forms_required` names the processes in which
    a user task without a form, or in a lane that is no known role, is an error rather than a warning (the
    caller's production processes; any other is a trial process, which a designer works whatever its lanes).
    """
    checker = _Checker(files, lanes, set(forms_required), zone)
    package = checker.run()
    package.warnings = _once(package.warnings)
    return package, _once(checker.errors)


def parse_package(files: dict[str, bytes], *, zone: str | None, lanes=None, forms_required=()) -> ParsedPackage:
    """Parse and check a package (see check_package); raise InvalidPackage listing every error."""
    package, errors = check_package(files, zone=zone, lanes=lanes, forms_required=forms_required)
    if errors:
        raise InvalidPackage(MESSAGES.text("package_errors", count=len(errors)), details=[p.as_dict() for p in errors])
    return package


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once: several checks may find the same thing at the same element."""
    return list({(p.file, p.element, str(p.message)): p for p in problems}.values())


def load_package(files: dict[str, bytes]) -> ParsedPackage:
    """Parse a package that was checked when it was deployed. Its timers are not tried again: that verdict
    depends on the engine's zone, and a package that runs must still load after the zone is changed."""
    return parse_package(files, zone=None)


class _Checker:
    def __init__(self, files, lanes, forms_required, zone: str | None):
        self.files, self.lanes, self.forms_required, self.zone = files, lanes, forms_required, zone
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        # element id -> (file, line); ids may repeat across files (a task named after its decision), so
        # BPMN elements and DMN elements are kept apart
        self.located: dict[str, tuple[str, int]] = {}
        self.located_dmn: dict[str, tuple[str, int]] = {}
        self.trees: dict = {}  # file name -> tree, of every .bpmn file that is well-formed XML

    def run(self) -> ParsedPackage:
        """Every check on every file, whatever the others found: a designer sees every problem at once."""
        package = ParsedPackage(files=self.files, content_hash=content_hash(self.files))
        parser = _Parser(validator=None)  # the schema is checked here, every error of it (_valid)
        for name, content in sorted(self.files.items()):
            if name.endswith(".json"):
                self._add_form(package, name, content)
            elif name.endswith((".bpmn", ".dmn")):
                tree = self._xml(name, content)
                if tree is not None and name.endswith(".bpmn"):
                    self.trees[name] = tree
                if tree is not None and (name.endswith(".dmn") or self._valid(name, tree)):
                    self._add_xml(parser, name, tree)
            else:
                self.errors.append(Problem(name, MESSAGES.text("unknown_file_type")))
        self._add_specs(parser, package)
        if not parser.get_process_ids() and not any(p.file.endswith(".bpmn") for p in self.errors):
            self.errors.append(Problem("", MESSAGES.text("no_executable_process")))
        package.warnings = self.warnings
        return package

    def _xml(self, name, content):
        if b"<!DOCTYPE" in content.upper() or b"<!ENTITY" in content.upper():
            self.errors.append(Problem(name, MESSAGES.text("doctype_refused")))
            return None
        try:
            tree = etree.fromstring(content, _XML)
        except etree.XMLSyntaxError as error:
            self.errors.append(Problem(name, MESSAGES.text("not_xml", problem=error.msg), line=error.lineno))
            return None
        for element in tree.iter():
            if isinstance(element.tag, str) and element.get("id"):
                (self.located_dmn if name.endswith(".dmn") else self.located)[element.get("id")] = (
                    name,
                    element.sourceline,
                )
            if isinstance(element.tag, str) and name.endswith(".bpmn"):
                self._check_lengths(name, element)
        return tree

    def _check_lengths(self, name, element):
        """An id, a name or a lane longer than the column that stores it would fail at the database when
        the package is deployed or an instance reaches the element: refused here instead, naming it."""
        lane = etree.QName(element).localname == "lane"
        for attribute, kind in (("id", "id"), ("name", "lane" if lane else "name")):
            value = element.get(attribute) or ""
            if len(value) > MAX_LENGTHS[kind]:
                problem = MESSAGES.text("too_long", attribute=attribute, limit=MAX_LENGTHS[kind])
                self.errors.append(Problem(name, problem, _shortened(element.get("id") or ""), element.sourceline))

    def _valid(self, name, tree) -> bool:
        """The BPMN schema holds, and every flow's ends exist; each error is a problem (all of them)."""
        VALIDATOR.preprocess(tree)
        valid = VALIDATOR.validator.validate(tree)
        for message, element, line in plain.schema_errors(tree, VALIDATOR.validator.error_log):
            self.errors.append(Problem(name, message, element, line))
        ends = checks.flow_ends(tree)
        self.errors += [Problem(name, message, element, line) for message, element, line in ends]
        self._check_flow_references(name, tree)
        return valid and not ends

    def _add_xml(self, parser, name, tree):
        try:
            if name.endswith(".dmn"):
                for decision in tree.findall("{*}decision"):
                    # SpiffWorkflow reads one decision per document; give it each decision on its own.
                    single = etree.Element(tree.tag, attrib=dict(tree.attrib), nsmap=tree.nsmap)
                    single.append(copy.deepcopy(decision))
                    parser.add_dmn_xml(single, filename=name)
            else:
                parser.add_bpmn_xml(tree, filename=name)
        except Exception as error:  # whatever SpiffWorkflow raises on a file is that file's problem
            self.errors.append(self._problem(error, name, parser))

    def _check_flow_references(self, name, tree):
        """An <incoming> or <outgoing> naming no flow: SpiffWorkflow goes by the flows, so only a warning."""
        flows = {flow.get("id") for flow in tree.iter(full_tag("sequenceFlow"))}
        for ref in tree.iter(full_tag("incoming"), full_tag("outgoing")):
            if ref.text and ref.text.strip() not in flows:
                problem = MESSAGES.text("flow_reference_unknown", flow=ref.text.strip())
                self.warnings.append(Problem(name, problem, ref.getparent().get("id"), ref.sourceline))

    def _add_form(self, package, name, content):
        try:
            form = json.loads(content)
        except ValueError as error:
            self.errors.append(Problem(name, MESSAGES.text("not_json", problem=str(error))))
            return
        if name.endswith(".sample.json"):
            if isinstance(form, dict):
                package.samples[name.removesuffix(".sample.json")] = form
            else:
                self.errors.append(Problem(name, MESSAGES.text("sample_not_object")))
            return
        if name.endswith(".schema.json"):
            problems = _schema_problems(form)
            self.errors += [Problem(name, problem) for problem in problems]
            if problems:
                return
        package.forms[name] = form

    def _add_specs(self, parser, package):
        self._check_called_processes(parser)
        self.errors += checks.call_cycles(self.trees, self.located, self._located_problem)
        for process_id in parser.get_process_ids():
            try:
                spec = parser.get_spec(process_id)
                subprocess_specs = parser.get_subprocess_specs(process_id)
            except Exception as error:  # SpiffWorkflow's refusal of one process leaves the others to check
                problem = self._problem(error, parser.process_parsers[process_id].filename, parser)
                if problem.message.key != "called_process_unknown":  # _check_called_processes said it
                    self.errors.append(problem)
                continue
            package.specs[process_id] = (spec, subprocess_specs)
            process_ids = set(parser.get_process_ids())
            embedded = [sub for name, sub in subprocess_specs.items() if name not in process_ids]
            for part in (spec, *embedded):  # embedded and event subprocesses belong to this process
                for task_spec in part.task_specs.values():
                    self._check_task(package, process_id, task_spec)
        used = checks.decisions_used(self.trees)
        problems = checks.decision_cells(parser, self.located_dmn, self._located_problem, used)
        self.errors += [p for p in problems if p.message.key != "decision_unused_input_empty"]
        self.warnings += [p for p in problems if p.message.key == "decision_unused_input_empty"]
        package.decisions = {
            decision_id: dmn.decision.decisionTables[0]
            for decision_id, dmn in parser.dmn_parsers.items()
            if getattr(dmn, "decision", None) is not None and dmn.decision.decisionTables
        }

    def _located_problem(self, element, message, located):
        file, line = located.get(element, ("", None))
        return Problem(file, message, element, line)

    def _check_called_processes(self, parser):
        """Every call activity names a process in the package (SpiffWorkflow's own error names no element).

        A process of a file with other problems counts as in the package: its file's problems are reported.
        """
        known = {p.get("id") for tree in self.trees.values() for p in tree.iter(full_tag("process"))}
        for name, tree in self.trees.items():
            for call in tree.iter(full_tag("callActivity")):
                if call.get("calledElement") not in known:
                    problem = MESSAGES.text(
                        "called_process_unknown", process=str(call.get("calledElement")), known=", ".join(sorted(known))
                    )
                    self.errors.append(Problem(name, problem, call.get("id"), call.sourceline))

    def _check_task(self, package, process_id, task_spec):
        where = dict(zip(("file", "line"), self.located.get(task_spec.bpmn_id, ("", None)), strict=True))
        element = task_spec.bpmn_id
        if isinstance(task_spec, UserTask):
            self._check_user_task(package, process_id, task_spec, element, where)
        for source in self._expressions(task_spec):
            self._compiles(compile_expression, source, element, where)
        samples = package.samples.get(process_id)
        timer_error, timer_warning = checks.timer(task_spec, samples, self.zone) if self.zone else (None, None)
        if timer_error or timer_warning:
            problem = Problem(where["file"], timer_error or timer_warning, element, where["line"])
            (self.errors if timer_error else self.warnings).append(problem)
        self.warnings += [
            Problem(where["file"], message, element, where["line"]) for message in checks.gateway(task_spec)
        ]
        if checks.is_service_task(task_spec):
            self.errors.append(Problem(where["file"], MESSAGES.text("service_task"), element, where["line"]))
        scripts = [getattr(task_spec, "prescript", None), getattr(task_spec, "postscript", None)]
        if isinstance(task_spec, ScriptTask):
            scripts.append(task_spec.script)
        for script in filter(None, scripts):
            self._compiles(compile_script, script, element, where)
            for message in checks.missing_functions(script):
                self.errors.append(Problem(where["file"], message, element, where["line"]))

    def _check_user_task(self, package, process_id, task_spec, element, where):
        strict = process_id in self.forms_required
        if self.lanes is not None and task_spec.lane is not None and task_spec.lane not in self.lanes:
            if strict:
                problem = MESSAGES.text("lane_not_role", lane=task_spec.lane, roles=", ".join(sorted(self.lanes)))
                self.errors.append(Problem(where["file"], problem, element, where["line"]))
            else:
                problem = MESSAGES.text("trial_lane_not_role", lane=task_spec.lane)
                self.warnings.append(Problem(where["file"], problem, element, where["line"]))
        properties = task_spec.extensions.get("properties", {})
        form = properties.get(FORM_PROPERTY)
        if form is None:
            problem = Problem(
                where["file"], MESSAGES.text("user_task_no_form", property=FORM_PROPERTY), element, where["line"]
            )
            (self.errors if strict else self.warnings).append(problem)
        for name in (form, properties.get(UI_PROPERTY)):
            if name is not None and name not in package.forms:
                problem = MESSAGES.text("form_file_missing", name=name)
                self.errors.append(Problem(where["file"], problem, element, where["line"]))
        if form is not None and form in package.forms and not form.endswith(".schema.json"):
            # a form not named *.schema.json was read as it is: check it now it is used as one
            for problem in _schema_problems(package.forms[form]):
                named = MESSAGES.text("form_file_not_schema", name=form, problem=str(problem))
                self.errors.append(Problem(where["file"], named, element, where["line"]))

    @staticmethod
    def _expressions(task_spec):
        if isinstance(task_spec, ExclusiveGateway | InclusiveGateway):
            yield from (condition.args[0] for condition, _ in task_spec.cond_task_specs if condition is not None)
        definition = getattr(task_spec, "event_definition", None)
        if definition is not None and getattr(definition, "expression", None):
            yield definition.expression
        group = (
            task_spec.extensions.get("properties", {}).get(GROUP_PROPERTY) if hasattr(task_spec, "extensions") else None
        )
        if group:
            yield group

    def _compiles(self, compile_, source, element, where):
        try:
            compile_(source)
        except SyntaxError as error:
            problem = MESSAGES.text("sandbox_refuses", source=source, problem=plain.compile_words(error))
            self.errors.append(Problem(where["file"], problem, element, where["line"]))

    def _problem(self, error: Exception, name, parser) -> Problem:
        """A SpiffWorkflow parse error as a Problem in plain words; where it names no file or line, the
        element's are used."""
        element = getattr(error, "id", None) or None
        file, line = self.located.get(element) or self.located_dmn.get(element) or (None, None)
        given = getattr(error, "line_number", None)
        message = str(error).strip() or type(error).__name__
        if not isinstance(error, SpiffWorkflowException | ValidationException):
            message = f"{type(error).__name__}: {message}"
        return Problem(
            getattr(error, "file_name", None) or file or name or "",
            plain.spiff_text(message, decisions=parser.dmn_parsers, processes=parser.get_process_ids()),
            element,
            given if isinstance(given, int) else line,
        )


def _schema_problems(form) -> list[Text]:
    """What is wrong with a form as a JSON Schema: the schema itself, patterns that backtrack, `$ref`s that
    name nothing in the form."""
    try:
        Draft202012Validator.check_schema(form)
    except SchemaError as error:
        return [MESSAGES.text("not_json_schema", problem=error.message)]
    return [MESSAGES.text("pattern_backtracks", pattern=p) for p in patterns_in(form) if backtracking(p)] + [
        MESSAGES.text("ref_unresolved", ref=ref) for ref in form_refs.unresolved(form)
    ]
