"""Run public BPMN models two ways, raw in SpiffWorkflow and through the designer API, and say which complete.

    python tools/conformance.py DIR [DIR ...] [--json FILE]

Each .bpmn file under the folders is one package: the file, the .bpmn files that define the processes its
call activities name (transitively) and the .dmn files that define its decisions, all from its own folder.
Its first executable process that no other process of the file calls is the one run. Both ways drive it
alike, for at most `ROUNDS` rounds: complete every ready user or manual task with empty data, else deliver
one message it waits for with an empty payload, else push the clock a day forward.

Raw means SpiffWorkflow as its own tests run it (BpmnParser for models under a `bpmn` folder,
SpiffBpmnParser otherwise; its default script engine, full Python) with the wall clock replaced by one this
script moves. Through the API means POST /processes, a trial instance, the tasks, messages and timer
sweeps over HTTP, on a fresh SQLite database and the service's injectable clock.

The models are not part of this repository: SpiffWorkflow's own (tests/SpiffWorkflow/bpmn/data and
spiff/data in sartography/SpiffWorkflow) are LGPL-3.0, fetched beside it when wanted.
"""

import argparse
import io
import json
import signal
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROUNDS = 60
SECONDS = 30  # each way, per model: a model that loops for ever is "timed out", not the end of the run
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
DMN_DECISION = "{*}decision"
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


# -- packages ----------------------------------------------------------------------------------------


def _tree(path: Path):
    try:
        return etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError:
        return None


class Folder:
    """The processes and decisions defined by the files of one folder."""

    def __init__(self, folder: Path):
        self.processes, self.decisions = {}, {}
        for path in sorted(folder.iterdir()):
            tree = _tree(path) if path.suffix in (".bpmn", ".dmn") else None
            if tree is None:
                continue
            if path.suffix == ".bpmn":
                for process in tree.iter(f"{BPMN}process"):
                    self.processes.setdefault(process.get("id"), path)
            else:
                for decision in tree.iter(DMN_DECISION):
                    self.decisions.setdefault(decision.get("id"), path)

    def package(self, path: Path) -> list[Path]:
        """`path` and the files defining what it calls and decides, transitively."""
        files, queue, folder = [path], [path], path.parent
        while queue:
            tree = _tree(queue.pop())
            if tree is None:
                continue
            wanted = [self.processes.get(c.get("calledElement")) for c in tree.iter(f"{BPMN}callActivity")]
            wanted += [self.decisions.get(ref.text) for ref in tree.iter("{*}calledDecisionId") if ref.text]
            wanted += [self.decisions.get(t.get("decisionRef")) for t in tree.iter(f"{BPMN}businessRuleTask")]
            forms = [folder / v for v in _properties(tree, "formJsonSchemaFilename", "formUiSchemaFilename")]
            wanted += [form for form in forms if form.is_file()]
            for found in filter(None, wanted):
                if found not in files:
                    files.append(found)
                    queue.append(found)
        return files


def _properties(tree, *names) -> list[str]:
    """The values of the SpiffWorkflow extension properties `names` in a BPMN tree."""
    return [p.get("value") for p in tree.iter("{*}property") if p.get("name") in names and p.get("value")]


def top_process(path: Path) -> str | None:
    """The file's first executable process that no process in it calls."""
    tree = _tree(path)
    if tree is None:
        return None
    called = {c.get("calledElement") for c in tree.iter(f"{BPMN}callActivity")}
    executable = [p.get("id") for p in tree.iter(f"{BPMN}process") if p.get("isExecutable", "true") != "false"]
    return next((p for p in executable if p not in called), executable[0] if executable else None)


# -- raw SpiffWorkflow ------------------------------------------------------------------------------


class _MovedClock:
    offset = timedelta()


def _patch_wall_clock():
    """SpiffWorkflow's timers read `datetime.now`; give them one this script moves."""
    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    class Moved(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + _MovedClock.offset

    timer.datetime = Moved


def run_raw(files: list[Path], process_id: str) -> str:
    from SpiffWorkflow.bpmn.parser import BpmnParser
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser import SpiffBpmnParser

    parser = BpmnParser() if "bpmn" in files[0].parts[-3:-1] else SpiffBpmnParser()
    try:
        for path in files:
            (parser.add_dmn_file if path.suffix == ".dmn" else parser.add_bpmn_file)(str(path))
        workflow = BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    except Exception as error:  # a model SpiffWorkflow itself cannot load: not run, either way
        return f"not loaded: {_first_line(error)}"
    _MovedClock.offset = timedelta()
    try:
        for _ in range(ROUNDS):
            workflow.do_engine_steps()
            workflow.refresh_timers()
            workflow.do_engine_steps()
            if workflow.is_completed():
                return "completed"
            if not _raw_step(workflow):
                return "stuck"
        return "stuck"
    except Exception as error:
        return f"failed: {_first_line(error)}"


def _raw_step(workflow) -> bool:
    """One round: tasks, else messages, else a day later. False when nothing is left to try."""
    from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
    from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
    from SpiffWorkflow.bpmn.util.event import BpmnEvent
    from SpiffWorkflow.util.task import TaskState

    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    for task in ready:
        task.run()
    if ready:
        return True
    messages = {}
    for task in workflow.event_manager.tasks.values():
        definition = task.task_spec.event_definition
        inner = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
        messages.update({d.name: d for d in inner if isinstance(d, MessageEventDefinition)})
    for definition in list(messages.values())[:1]:  # one a round: the first may end the wait for the others
        workflow.send_event(BpmnEvent(definition, {}))
    if messages:
        return True
    if workflow.event_manager.tasks:
        _MovedClock.offset += timedelta(days=1)
        return True
    return False


# -- through the API --------------------------------------------------------------------------------


class Service:
    """The app on a fresh SQLite database, with the demo users and a clock this script moves."""

    def __init__(self, folder: Path):
        from app import create_app
        from appeals.adapters import db
        from appeals.services.demo import load_demo
        from appeals.services.processes import deploy_folders
        from engine import FixedClock

        url = f"sqlite:///{folder / 'conformance.db'}"
        db.upgrade(url)
        self.clock = FixedClock(START)
        self.app = create_app({"DATABASE_URL": url, "CLOCK": self.clock, "TESTING": True})
        self.runtime = self.app.extensions["appealflow"]
        deploy_folders(self.runtime.uow())
        token = next(line.split()[-1] for line in load_demo(self.runtime) if line.split()[0] == "designer")
        self.client = self.app.test_client()
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def call(self, method, url, **kwargs):
        return self.client.open(f"/api/v1{url}", method=method, headers=self.headers, **kwargs)

    def safely(self, files: list[Path], process_id: str) -> str:
        """`run`, with what would have been an HTTP 500 said as one (the test app raises instead)."""
        try:
            return self.run(files, process_id)
        except Exception as error:
            return f"500: {type(error).__name__}: {_first_line(error)}"

    def run(self, files: list[Path], process_id: str) -> str:
        uploads = [(io.BytesIO(path.read_bytes()), path.name) for path in files]
        deployed = self.call("POST", "/processes", data={"files": uploads}, content_type="multipart/form-data")
        if deployed.status_code not in (200, 201):
            return f"refused {deployed.status_code}: {_refusal(deployed.json)}"
        started = self.call("POST", f"/processes/{process_id}/instances", json={"data": {}})
        if started.status_code != 201:
            return f"not started {started.status_code}: {_refusal(started.json)}"
        return self._drive(started.json["id"])

    def _drive(self, instance_id: int) -> str:
        from appeals.services.timers import fire_due

        for _ in range(ROUNDS):
            instance = self.call("GET", f"/instances/{instance_id}").json
            if instance["status"] != "running":
                return instance["status"] if instance["status"] == "completed" else f"failed: {instance['error']}"
            tasks = self.call("GET", f"/tasks?instance={instance_id}").json
            for task in tasks:
                done = self.call("POST", f"/tasks/{task['id']}/complete", json={"data": {}})
                if done.status_code == 409:  # completing another one closed it: read the instance again
                    break
                if done.status_code != 200:
                    return f"task {task['step']} {done.status_code}: {_refusal(done.json)}"
            for name in [] if tasks else instance["messages"][:1]:
                sent = self.call("POST", f"/instances/{instance_id}/messages/{name}", json={"payload": {}})
                if sent.status_code != 200:
                    return f"message {name} {sent.status_code}: {_refusal(sent.json)}"
            if not tasks and not instance["messages"]:
                if not instance["timers"]:
                    return "stuck"
                self.clock.advance(days=1)
                fire_due(self.runtime)
        return "stuck"


class _TimedOut(BaseException):
    pass


def _bounded(run) -> str:
    def stop(signum, frame):
        raise _TimedOut

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(SECONDS)
    try:
        return run()
    except _TimedOut:
        return f"timed out after {SECONDS} s"
    finally:
        signal.alarm(0)


def _refusal(body) -> str:
    error = (body or {}).get("error", {})
    details = "; ".join(d.get("message", "") for d in error.get("details", [])[:3])
    return f"{error.get('message')} {details}".strip()


def _first_line(error) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("folders", nargs="+", type=Path)
    options.add_argument("--json", type=Path, help="write every model's outcome here")
    args = options.parse_args(argv)
    _patch_wall_clock()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        service = Service(Path(scratch))
        for folder in args.folders:
            for path, files, process_id in _models(folder):
                raw = _bounded(lambda: run_raw(files, process_id))  # noqa: B023 (called at once)
                api = _bounded(lambda: service.safely(files, process_id))  # noqa: B023
                results.append({"model": str(path), "process": process_id, "raw": raw, "api": api})
                print(f"{path.relative_to(folder)}: raw {raw} | api {api}", flush=True)
    _summarize(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


def _models(folder: Path):
    """(path, package files, process to run) for every .bpmn file under `folder` that has a process."""
    for directory in sorted({p.parent for p in folder.rglob("*.bpmn")}):
        known = Folder(directory)
        for path in sorted(directory.glob("*.bpmn")):
            process_id = top_process(path)
            if process_id is not None:
                yield path, known.package(path), process_id


def _summarize(results):
    raw = [r for r in results if r["raw"] == "completed"]
    lost = [r for r in raw if r["api"] != "completed"]
    print(f"\n{len(results)} models: raw completes {len(raw)}, the API {len(raw) - len(lost)} of them")
    print(f"the API completes {sum(r['api'] == 'completed' for r in results)} in all")
    for r in lost:
        print(f"  lost: {r['model']}: {r['api']}")
    print(Counter(r["api"].split(":")[0] for r in results).most_common())


if __name__ == "__main__":
    sys.exit(main())
