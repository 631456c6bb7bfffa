"""Scripts and expressions from process files run under RestrictedPython, with only whitelisted helpers;
code that could run away runs in a sandbox worker under the kernel's CPU and memory limits.

No test here waits on the wall clock: a runaway is stopped by its CPU time, which the tests make short
(`MAX_SECONDS`), and what they assert is which limit stopped it, not how long the machine took.
"""

import threading
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engine import FixedClock, WorkingCalendar, isolation, sandbox
from engine.bounded import is_bounded
from engine.plain import compile_words
from engine.sandbox import RestrictedEnvironment, SandboxLimit, ScriptFailed, TimeHelpers

CALENDAR = WorkingCalendar(ZoneInfo("Asia/Shanghai"))
ENV = RestrictedEnvironment(
    TimeHelpers(FixedClock(datetime(2026, 11, 2, 1, tzinfo=UTC)), "Asia/Shanghai", lambda: CALENDAR).functions()
)
RUNAWAY = "x = sum(map(sum, [range(10**6)] * 400))"  # C-level work: no Python line to stop it between


@pytest.fixture
def short_cpu(monkeypatch):
    """Runaways stopped after 0.3 s of CPU, so that each test of one costs little."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)


@pytest.mark.parametrize(
    "escape",
    [
        "().__class__.__base__.__subclasses__()",
        "__import__('os').system('true')",
        "[c for c in ().__class__.__bases__]",
        "getattr((), '__class__')",
        "open('/etc/passwd').read()",
        "eval('1')",
        "exec('x = 1')",
        "globals()",
    ],
)
def test_known_escapes_fail(escape):
    with pytest.raises((SyntaxError, NameError, AttributeError, TypeError)):
        ENV.evaluate(escape, {})


def test_import_in_a_script_is_refused():
    with pytest.raises(SyntaxError):
        ENV.execute("import os\nx = os.getcwd()", {})


def test_scripts_read_and_write_task_data_with_comprehensions_and_augmented_assignment():
    data = {"lines": [{"amount": 5}, {"amount": 20}], "minimum": 10, "count": 1}
    ENV.execute("big = [l['amount'] for l in lines if l['amount'] > minimum]\ncount += len(big)\ndel minimum", data)
    assert data == {"lines": [{"amount": 5}, {"amount": 20}], "big": [20], "count": 2}


def test_time_helpers_read_the_engine_clock_and_zone():
    assert ENV.evaluate("now()", {}) == "2026-11-02T01:00:00+00:00"
    assert ENV.evaluate("add_duration(now(), 'P7D')", {}) == "2026-11-09T01:00:00+00:00"
    assert ENV.evaluate("start_of_day('2026-11-20')", {}) == "2026-11-20T00:00:00+08:00"


def test_code_in_a_worker_calls_back_for_the_helpers_on_the_engines_clock():
    """A loop goes to a worker; its helpers still read this process's clock and calendar."""
    assert ENV.evaluate("[add_working_days(now(), n) for n in range(1, 3)]", {}) == [
        "2026-11-03T23:59:59+08:00",
        "2026-11-04T23:59:59+08:00",
    ]
    with pytest.raises(ValueError, match="Invalid isoformat"):
        ENV.evaluate("[is_workday(d) for d in ['tomorrow']]", {})


def test_task_data_may_not_hide_a_helper():
    with pytest.raises(ValueError, match="now"):
        ENV.execute("x = 1", {"now": "noon"})


@pytest.mark.parametrize(
    "mode, source, bounded",
    [
        ("eval", "score >= 4 and outcome == 'escalate'", True),
        ("exec", "level = {'grid': 'village'}.get(level, 'supervise')", True),
        ("exec", "deadline = add_limit(now(), limit, unit)", True),
        ("exec", "count = count + 1\nif count > 2:\n    closed = True", True),
        ("eval", "[x for x in items]", False),
        ("exec", "while True:\n    pass", False),
        ("eval", "sum(items)", False),
        ("eval", "2 ** 10", False),
        ("eval", "'%d' % n", False),
        ("eval", "f'{n:>5}'", False),
        ("eval", "n << 3", False),
        ("eval", "items * 3", False),
        ("eval", "12345678901234567890123 > n", False),
        ("eval", "'" + "x" * 2000 + "' == s", False),
    ],
)
def test_only_code_that_cannot_run_away_runs_in_process(mode, source, bounded):
    assert is_bounded(source, mode, frozenset({"now", "add_limit"})) is bounded


@pytest.mark.parametrize(
    "script",
    [
        "while True:\n    pass",
        "def spin():\n    while True:\n        pass\nspin()",
        "x = sorted([1, 2], key=lambda v: len([0 for _ in range(10**6) for _ in range(10**6)]))",
        RUNAWAY,
        "while True:\n    try:\n        x = sum(range(10**6))\n    except BaseException:\n        pass",
    ],
)
def test_a_runaway_is_stopped_by_its_cpu_time_wherever_it_runs_and_however_it_catches(script, short_cpu):
    with pytest.raises(SandboxLimit, match="more than 0.3 s of CPU"):
        ENV.execute(script, {})
    assert ENV.evaluate("[n + 1 for n in [1]]", {}) == [2]  # a fresh worker took its place


@pytest.mark.slow
def test_a_runaway_holds_up_no_other_thread():
    """While a worker burns its CPU, this process's threads go on: cheap code in process, and other code
    in other workers (the runaway has its full second of CPU here, several times what starting another
    worker takes)."""
    running, outcome = threading.Event(), []
    environment = RestrictedEnvironment({"started": running.set})

    def run_away():
        try:
            environment.execute(f"started()\n{RUNAWAY}", {})
        except SandboxLimit as error:
            outcome.append(error)

    runaway = threading.Thread(target=run_away)
    runaway.start()
    assert running.wait(timeout=60)
    meanwhile = [ENV.evaluate("n > 3", {"n": n}) for n in range(100)]
    meanwhile.append(ENV.evaluate("[n for n in [1, 2]]", {}))
    assert runaway.is_alive(), "the runaway should still be running"
    runaway.join()
    assert meanwhile[-2:] == [True, [1, 2]] and "CPU" in str(outcome[0])


@pytest.mark.parametrize("raised", ["SystemExit", "KeyboardInterrupt", "GeneratorExit", "SystemExit(0)"])
def test_whatever_a_script_raises_is_an_ordinary_error_here(raised):
    with pytest.raises(ScriptFailed, match=f"raised {raised.split('(')[0]}"):
        ENV.execute(f"x = [1 for _ in [0]]\nraise {raised}", {})


@pytest.mark.parametrize(
    "script",
    [
        "x = ('x' * 999).replace('', 'y' * 9999)",
        "x = ('x' * 999).replace('x', 'y' * 999999)",
        "x = ','.join(['y' * 999999] * 2)",
        "x = 'a'.ljust(10**8)",
        "x = 'a'.rjust(10**8)",
        "x = 'a'.center(10**8)",
        "x = 'a'.zfill(10**8)",
        "x = '%99999999d' % 1",
        "x = '%*d' % (10**8, 1)",
        "x = f'{1:>99999999}'",
        "w = 10**8\nx = f'{1:>{w}}'",
        "x = f'{1.5:.99999999f}'",
        "x = ('\\t' * 10).expandtabs(10**7)",
        "x = 1 << 10**8",
        "x = 1\nx <<= 10**8",
        "x = 'ab' * 10**7",
        "x = ('y' * 999999) + 'yy'",
        "x = ['y']\nfor _ in range(30):\n    x += x",
        "x = [0] * 10**7",
        "x = 10 ** 10**6",
        "x = range(10**7)",
        "x = '{:>99999999}'.format_map({})",
    ],
)
def test_strings_lists_and_integers_stay_within_their_limits_on_every_path(script):
    with pytest.raises((SandboxLimit, NotImplementedError)):
        ENV.execute(script, {})


def test_memory_is_limited_by_the_kernel_and_the_worker_is_replaced(monkeypatch):
    monkeypatch.setattr(isolation, "MAX_MEMORY_BYTES", 200 * 1024 * 1024)
    with pytest.raises(SandboxLimit, match="more memory"):
        ENV.execute("x = [b'x' * 999999 for _ in range(1000)]", {})
    assert ENV.evaluate("[len(s) for s in ['ab']]", {}) == [2]


@pytest.mark.parametrize(
    "script, field",
    [("ratio = 1e308 * 10", "ratio"), ("x = float('nan')", "x"), ("y = [float(v) for v in ['inf']]", "y")],
)
def test_nan_and_infinities_are_refused_as_process_data_naming_the_field(script, field):
    with pytest.raises(ValueError, match=f"'{field}'.*finite numbers only"):
        ENV.execute(script, {})


def test_what_process_data_cannot_hold_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="'pairs' is a set"):
        ENV.execute("pairs = {1, 2}", {})
    with pytest.raises(ValueError, match="'found' is a map"):
        ENV.execute("found = map(len, [n for n in ['a']])", {})


def test_a_refusal_has_the_catalogs_words_in_either_language_and_its_line_when_a_worker_ran_the_code():
    with pytest.raises(SandboxLimit) as in_worker:
        ENV.execute("x = [1 for _ in [0]]\ny = 'ab' * 10**7", {})
    assert str(in_worker.value) == "a result of 20000000 items: the sandbox allows 1000000 (line 2)"
    assert in_worker.value.text.render("zh-CN") == "结果有 20000000 项：沙箱最多允许 1000000 项（第 2 行）"
    with pytest.raises(ValueError) as in_process:
        ENV.execute("ratio = 1e308 * 10", {})
    assert in_process.value.text.render("zh-CN") == "“ratio”含有 NaN 或无穷大：流程数据只能保存有限的数"
    with pytest.raises(ScriptFailed) as raised:
        ENV.execute("x = [1 for _ in [0]]\nraise SystemExit", {})
    assert raised.value.text.render("zh-CN") == "代码引发了 SystemExit（第 2 行）"


@pytest.mark.parametrize(
    "code, chinese",
    [
        ("_x = 1", "第 1 行：名称“_x”以下划线开头，沙箱中不能使用"),
        ("y = a.__class__", "第 1 行：属性“__class__”以下划线开头，沙箱中不能访问"),
        ("y = a.gi_frame", "第 1 行：沙箱中不能访问“gi_frame”"),
        ("async def f():\n    pass", "第 1 行：沙箱中不能使用 AsyncFunctionDef 语句"),
        (
            "x = 1\nimport os\n_y = 2",
            "第 2 行：不允许使用 import 语句；请使用引擎提供的辅助函数；第 3 行：名称“_y”以下划线开头，沙箱中不能使用",
        ),
    ],
)
def test_what_the_compiler_refuses_is_said_in_chinese_and_as_restrictedpython_says_it_in_english(code, chinese):
    """A designer reads the compiler's refusals in the console: each known one in the catalog's words, in
    the order and with the lines the compiler gives, its English what RestrictedPython said."""
    with pytest.raises(SyntaxError) as refused:
        sandbox.compile_script(code)
    worded = compile_words(refused.value)
    assert worded.render("zh-CN") == chinese
    assert str(worded) == str(refused.value)


def test_a_refusal_the_catalog_does_not_know_is_passed_on_as_the_compiler_said_it():
    refused = SyntaxError("Line 4: Something new is not allowed.")
    assert compile_words(refused) == "Line 4: Something new is not allowed."


def test_waiting_is_not_counted_against_a_script_only_its_cpu_time(monkeypatch):
    """A helper that waits (the calendar is read from the database on first use) is not runaway code: the
    worker waits for its answer without using CPU."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.2)
    environment = RestrictedEnvironment({"slow_read": lambda: time.sleep(0.15) or 1})
    context = {}
    environment.execute("x = sum([slow_read() for _ in range(3)])\ny = x + 1", context)
    assert context == {"x": 3, "y": 4}
    with pytest.raises(SandboxLimit):
        environment.execute("while True:\n    pass", {})


def test_code_calling_the_helpers_without_end_is_stopped(monkeypatch):
    monkeypatch.setattr(isolation, "MAX_CALLS", 5)
    with pytest.raises(SandboxLimit, match="helpers more than 5 times"):
        ENV.evaluate("[now() for _ in range(6)]", {})
    assert ENV.evaluate("[now() for _ in range(5)]", {})[-1] == "2026-11-02T01:00:00+00:00"


def test_a_worker_that_stops_answering_is_killed(monkeypatch):
    """Its silence is bounded too: here shorter than the CPU its code needs (elapsed time is never less)."""
    monkeypatch.setattr(isolation, "WAIT_SECONDS", 0.05)
    with pytest.raises(SandboxLimit, match="no answer within 0.05 s"):
        ENV.execute("x = sum(sum(range(10**6)) for _ in range(40))", {})
    monkeypatch.setattr(isolation, "WAIT_SECONDS", 30.0)
    assert ENV.evaluate("[n for n in [7]]", {}) == [7]


def test_data_that_is_no_json_is_refused_before_any_worker_sees_it():
    with pytest.raises(ValueError, match="cannot be passed to the sandbox"):
        ENV.evaluate("[v for v in values]", {"values": {1, 2}})
