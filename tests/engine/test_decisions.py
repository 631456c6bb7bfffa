"""A deployed decision table evaluated on plain data, outside any instance, as a business rule task would."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engine import FixedClock, NotFound, ProcessError, WorkingCalendar
from engine.decisions import decide
from engine.package import parse_package
from engine.sandbox import SandboxedScriptEngine

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLED = {p.name: p.read_bytes() for folder in ("processes", "forms") for p in (ROOT / folder).iterdir()}
ZONE = "Asia/Shanghai"
CALENDAR = WorkingCalendar(ZoneInfo(ZONE))


@pytest.fixture
def script_engine():
    return SandboxedScriptEngine(FixedClock(datetime(2026, 11, 2, 1, tzinfo=UTC)), ZONE, lambda: CALENDAR)


def _tables(**replacements):
    dmn = BUNDLED["time_limits.dmn"].decode()
    for old, new in replacements.items():
        dmn = dmn.replace(old, new)
    return parse_package({**BUNDLED, "time_limits.dmn": dmn.encode()}, zone=ZONE).decisions


def test_the_first_matching_rule_gives_the_outputs_as_in_a_process(script_engine):
    tables = _tables()
    assert decide(tables, "claim_limit", {"category": "complex"}, script_engine) == {
        "claim_limit": 15,
        "claim_unit": "working_days",
        "claim_remind_hours_before": 48,
    }
    assert decide(tables, "claim_limit", {"category": None}, script_engine)["claim_limit"] == 7  # the catch-all
    level = decide(tables, "level_limit", {"category": "livelihood", "level": "village"}, script_engine)
    assert (level["limit"], level["remind_hours_before"]) == (3, 24)


def test_an_unknown_decision_a_failing_cell_and_no_match_are_refused_by_name(script_engine):
    with pytest.raises(NotFound) as unknown:
        decide(_tables(), "no_such_decision", {}, script_engine)
    assert unknown.value.text.render("zh-CN") == "流程包中没有决策“no_such_decision”"
    assert unknown.value.message == "the package has no decision 'no_such_decision'"  # str(): the English
    assert {field: text.render("zh-CN") for field, text in unknown.value.fields.items()} == {"decision": "没有这个决策"}

    failing = _tables(
        **{
            '<text>"complex"</text></inputEntry>\n        <outputEntry id="claim_complex_out0"><text>15': (
                '<text>"complex"</text></inputEntry>\n        <outputEntry id="claim_complex_out0"><text>1 / 0'
            )
        }
    )
    with pytest.raises(ProcessError, match="claim_limit") as failed:
        decide(failing, "claim_limit", {"category": "complex"}, script_engine)
    assert failed.value.text.render("zh-CN").startswith("决策“claim_limit”出错：")

    no_catch_all = _tables(
        **{
            '<inputEntry id="claim_other_in0"><text>-</text>': (
                '<inputEntry id="claim_other_in0"><text>"livelihood"</text>'
            )
        }
    )
    with pytest.raises(ProcessError, match="catch-all") as unmatched:
        decide(no_catch_all, "claim_limit", {"category": "consultation"}, script_engine)
    assert "兜底规则" in unmatched.value.text.render("zh-CN")
