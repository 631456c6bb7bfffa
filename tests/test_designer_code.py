"""Nothing a designer writes can hurt the service: each escape of issue 25 fails safely, through the API.

A script, condition or timer expression that runs away, raises SystemExit or builds something huge makes
its instance record a `process_error`; the request answers within a bound, and other requests are
answered while it runs (measured: a second thread's requests complete while the runaway is in flight).
Runaways are stopped by a short CPU limit set here, not by any wait on the wall clock.
"""

import io
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import select

from appeals.services.timers import fire_due, run_forever
from engine import HistoryEvent, bounds, isolation, sandbox

MODELS = Path(__file__).resolve().parent / "models"
RUNAWAY = "x = sum(map(sum, [range(10**6)] * 400))"  # C-level work, past any check between Python lines
#: How long any of these requests may take, on a loaded machine, for a runaway stopped after 0.3 s of CPU.
ANSWER_WITHIN_SECONDS = 60


@pytest.fixture(autouse=True)
def small_limits(monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    monkeypatch.setattr(isolation, "MAX_MEMORY_BYTES", 200 * 1024 * 1024)


def _process(process_id: str, script: str, *, timer: str | None = None, condition: str = "True") -> bytes:
    """A process: start, an optional timer (its expression), a script, a gateway on `condition`, end."""
    wait = (
        f'<bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>'
        f"<bpmn:timerEventDefinition><bpmn:timeDuration>{escape(timer)}</bpmn:timeDuration>"
        f"</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
        if timer
        else '<bpmn:exclusiveGateway id="wait"><bpmn:incoming>f1</bpmn:incoming>'
        "<bpmn:outgoing>f2</bpmn:outgoing></bpmn:exclusiveGateway>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="{process_id}_d"
    targetNamespace="http://appealflow.org/tests">
  <bpmn:process id="{process_id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    {wait}
    <bpmn:scriptTask id="designer_code"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="choose" default="f5"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f4</bpmn:outgoing><bpmn:outgoing>f5</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="designer_code" />
    <bpmn:sequenceFlow id="f3" sourceRef="designer_code" targetRef="choose" />
    <bpmn:sequenceFlow id="f4" sourceRef="choose" targetRef="end">
      <bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="choose" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>""".encode()


def _deploy(as_, process_id: str, script: str, **options) -> None:
    files = [(io.BytesIO(_process(process_id, script, **options)), f"{process_id}.bpmn")]
    deployed = as_("designer").post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data")
    assert deployed.status_code == 201, deployed.json


def _errors(runtime, instance_id) -> list[str]:
    with runtime.uow() as uow:
        return uow.session.scalars(
            select(HistoryEvent.data).where(
                HistoryEvent.instance_id == instance_id, HistoryEvent.type == "process_error"
            )
        ).all()


def _while_answering(app, request):
    """Run `request` in a thread and, while it is in flight, GET /health and the process list from this
    one; returns (its response, its seconds, how many of ours completed while it was still running)."""
    outcome = {}

    def run():
        started = time.monotonic()
        outcome["response"] = request()
        outcome["seconds"] = time.monotonic() - started

    runaway = threading.Thread(target=run)
    runaway.start()
    client, answered = app.test_client(), 0
    while runaway.is_alive():
        assert client.get("/health").status_code == 200
        answered += runaway.is_alive()
    runaway.join()
    return outcome["response"], outcome["seconds"], answered


@pytest.mark.parametrize(
    "script, said, runs_long",
    [
        (RUNAWAY, "more than 0.3 s of CPU", True),
        ("while True:\n    try:\n        x = sum(range(10**6))\n    except BaseException:\n        pass", "CPU", True),
        ("x = [b'x' * 999999 for _ in range(1000)]", "memory", False),
        ("y = [1 for _ in [0]]\nraise SystemExit", "raised SystemExit", False),
        ("y = [1 for _ in [0]]\nraise KeyboardInterrupt", "raised KeyboardInterrupt", False),
        ("raise GeneratorExit", "raised GeneratorExit", False),
        ("x = ('x' * 1000).replace('x', 'y' * 100000)", "sandbox allows", False),
        ("x = 'a'.ljust(10**8)", "sandbox allows", False),
        ("x = f'{1:>{10**8}}'", "sandbox allows", False),
        ("x = '%99999999d' % 1", "sandbox allows", False),
        ("x = ''.join(['y' * 999999] * 101)", "sandbox allows", False),
        ("x = ('\\t' * 100).expandtabs(10**6)", "sandbox allows", False),
        ("x = 1 << 10**8", "bits", False),
        ("x = float('nan')", "finite numbers only", False),
    ],
)
def test_each_escape_in_a_script_fails_safely_and_the_service_answers_meanwhile(
    app, as_, runtime, script, said, runs_long
):
    _deploy(as_, "escape", script)
    designer = as_("designer")
    response, seconds, answered = _while_answering(
        app, lambda: designer.post("/api/v1/processes/escape/instances", json={"data": {}})
    )
    assert response.status_code == 201, response.json
    assert response.json["status"] == "error" and said in response.json["error"]
    assert seconds < ANSWER_WITHIN_SECONDS
    assert [said in error["message"] for error in _errors(runtime, response.json["id"])] == [True]
    if runs_long:
        assert answered >= 1, "no other request was answered while the runaway ran"
    assert designer.get("/api/v1/processes").status_code == 200


def test_a_runaway_condition_is_a_process_error_too(app, as_, runtime):
    _deploy(as_, "runaway_condition", "x = 1", condition="sum(map(sum, [range(10**6)] * 400)) > 0")
    response, _, answered = _while_answering(
        app, lambda: as_("designer").post("/api/v1/processes/runaway_condition/instances", json={"data": {}})
    )
    assert response.json["status"] == "error" and "CPU" in response.json["error"] and answered >= 1


def test_a_timer_whose_code_escapes_is_recorded_and_the_sweep_fires_the_others(as_, runtime, clock, app):
    """The timer expression runs when the timer starts waiting; the script after it when it fires."""
    _deploy(as_, "timer_exit", "y = [1 for _ in [0]]\nraise SystemExit", timer='"PT1H"')
    _deploy(as_, "timer_ok", "done = True", timer='"PT1H"')
    designer = as_("designer")
    failing = designer.post("/api/v1/processes/timer_exit/instances", json={"data": {}}).json["id"]
    fine = designer.post("/api/v1/processes/timer_ok/instances", json={"data": {}}).json["id"]
    clock.advance(hours=1, seconds=1)

    failed = []
    assert fire_due(runtime, failed=failed) == 1
    assert [instance_id for instance_id, _ in failed] == [failing] and "SystemExit" in str(failed[0][1])
    assert designer.get(f"/api/v1/instances/{fine}").json["status"] == "completed"
    assert [("SystemExit" in error["message"]) for error in _errors(runtime, failing)] == [True]

    clock.advance(hours=2)
    runner = app.test_cli_runner()
    swept = runner.invoke(args=["timers", "run", "--once", "--now", clock.now().isoformat()])
    assert swept.exit_code == 1 and f"流程实例 {failing}：计时未触发" in swept.output


def test_the_timer_loop_outlives_a_script_that_raises_system_exit_and_fires_the_rest(as_, runtime, clock):
    """`python app.py`'s loop (run_forever) used to end for good, without a log line."""
    _deploy(as_, "loop_exit", "y = [1 for _ in [0]]\nraise SystemExit", timer='"PT1H"')
    _deploy(as_, "loop_ok", "done = True", timer='"PT1H"')
    designer = as_("designer")
    failing = designer.post("/api/v1/processes/loop_exit/instances", json={"data": {}}).json["id"]
    clock.advance(minutes=1)
    fine = designer.post("/api/v1/processes/loop_ok/instances", json={"data": {}}).json["id"]
    clock.advance(hours=1)
    stop = threading.Event()
    loop = threading.Thread(target=run_forever, args=(runtime,), kwargs={"interval": 0.01, "stop": stop})
    loop.start()
    try:
        deadline = time.monotonic() + ANSWER_WITHIN_SECONDS
        while designer.get(f"/api/v1/instances/{fine}").json["status"] != "completed":
            assert time.monotonic() < deadline and loop.is_alive()
            time.sleep(0.05)
        assert loop.is_alive() and _errors(runtime, failing)
    finally:
        stop.set()
        loop.join()


def test_a_runaway_timer_expression_is_refused_at_deploy_and_a_process_error_at_run_time(app, as_):
    """At deploy the expression is tried on the sample moment; with a name the sample lacks, at start."""
    files = [(io.BytesIO(_process("timer_spin", "x = 1", timer=f"str({RUNAWAY[4:]})")), "timer_spin.bpmn")]
    designer = as_("designer")
    refused, _, answered = _while_answering(
        app,
        lambda: designer.post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data"),
    )
    assert refused.status_code == 422 and "CPU" in refused.json["error"]["details"][0]["message"] and answered >= 1

    _deploy(as_, "timer_data", "x = 1", timer="str(sum(map(sum, [range(10**6)] * n)))")
    started = designer.post("/api/v1/processes/timer_data/instances", json={"data": {"n": 400}})
    assert started.json["status"] == "error" and "CPU" in started.json["error"]


def test_a_loop_in_the_diagram_that_hits_the_bound_is_an_error_never_completed(as_, runtime, monkeypatch):
    """The depth bound made small, so that the loop reaches it quickly (SpiffWorkflow's walk of a deep tree
    is slow: tests/engine/test_bounds.py runs it to the real bound), and the time bound out of the way."""
    monkeypatch.setattr(bounds, "MAX_DEPTH", 200)
    monkeypatch.setattr(bounds, "MAX_SECONDS", 600.0)
    files = [(io.BytesIO((MODELS / "long_loop.bpmn").read_bytes()), "long_loop.bpmn")]
    designer = as_("designer")
    assert (
        designer.post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data").status_code == 201
    )
    short = designer.post("/api/v1/processes/long_loop/instances", json={"data": {"counted": 0, "turns": 3}}).json
    assert short["status"] == "completed" and short["data"]["counted"] == 3
    endless = designer.post("/api/v1/processes/long_loop/instances", json={"data": {"counted": 0, "turns": 10**6}})
    assert endless.json["status"] == "error" and "went round a loop too many times" in endless.json["error"]
    assert ["loop" in error["message"] for error in _errors(runtime, endless.json["id"])] == [True]


@pytest.mark.parametrize(
    "body, field",
    [
        ('{"data": {"ratio": NaN}}', "data.ratio"),
        ('{"data": {"a": [1, -Infinity]}}', "data.a.1"),
        ('{"data": {"b": 1e999}}', "data.b"),
    ],
)
def test_nan_and_infinities_are_refused_as_process_data_naming_the_field(as_, body, field):
    _deploy(as_, "takes_data", "x = 1")
    refused = as_("designer").post(
        "/api/v1/processes/takes_data/instances", data=body, headers={"Content-Type": "application/json"}
    )
    assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == [field]


def test_a_runaway_candidate_groups_expression_is_recorded_on_the_instance(as_, runtime):
    """The unit owning the next task is computed when the step before it is completed."""
    process = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="groups_d"
    targetNamespace="http://appealflow.org/tests">
  <bpmn:process id="groups" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="first"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="second"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="candidateGroups" value="str(sum(map(sum, [range(10**6)] * n)))" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second" />
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""
    designer = as_("designer")
    files = [(io.BytesIO(process), "groups.bpmn")]
    assert (
        designer.post("/api/v1/processes", data={"files": files}, content_type="multipart/form-data").status_code == 201
    )
    started = designer.post("/api/v1/processes/groups/instances", json={"data": {"n": 400}}).json
    completed = designer.post(f"/api/v1/tasks/{started['tasks'][0]['id']}/complete", json={"data": {}})
    assert completed.status_code == 422 and "CPU" in completed.json["error"]["message"]
    assert ["CPU" in error["message"] for error in _errors(runtime, started["id"])] == [True]
    assert designer.get(f"/api/v1/instances/{started['id']}").json["tasks"][0]["step"] == "first"
