"""Limits in Chinese working days: statutory holidays, weekends worked in lieu, and years without data."""

import json
from datetime import datetime

import pytest

from .helpers import complete, report, task, to_handling


def _register_at(as_, clock, moment, category):
    clock.set(datetime.fromisoformat(moment))
    appeal = report(as_)
    complete(as_, "intake", appeal["id"], "resolve_on_site", {"resolved": False})
    return complete(as_, "intake", appeal["id"], "register", {"category": category, "summary": "x"})


@pytest.mark.parametrize(
    "registered, category, deadline",
    [
        # Friday 25 September 2026 is the Mid-Autumn holiday (25-27 Sep). 7 working days: 28, 29, 30 September,
        # then National Day (1-7 October) is off, then 8, 9 October, Saturday 10 October (worked in lieu), 12 October.
        ("2026-09-25T10:00:00+08:00", "livelihood", "2026-10-12T23:59:59+08:00"),
        # Wednesday 30 September, the last working day before it: 8, 9, 10 (Sat), 12, 13, 14, 15 October.
        ("2026-09-30T10:00:00+08:00", "livelihood", "2026-10-15T23:59:59+08:00"),
        # Friday 9 October: the adjusted working Saturday 10 October counts as the first of 3 working days.
        ("2026-10-09T16:00:00+08:00", "consultation", "2026-10-13T23:59:59+08:00"),
        # Registered on that Saturday itself (a working day): counting starts the next day, Sunday is off.
        ("2026-10-10T09:00:00+08:00", "consultation", "2026-10-14T23:59:59+08:00"),
        # Sunday 20 September 2026 is worked in lieu as well; registered on it, 3 working days are 21, 22, 23.
        ("2026-09-20T09:00:00+08:00", "consultation", "2026-09-23T23:59:59+08:00"),
    ],
)
def test_reply_deadlines_follow_the_official_2026_schedule(as_, clock, registered, category, deadline):
    appeal = _register_at(as_, clock, registered, category)
    assert datetime.fromisoformat(appeal["deadline"]) == datetime.fromisoformat(deadline)


def test_level_limits_are_working_days_too(as_, clock):
    clock.set(datetime.fromisoformat("2026-09-30T10:00:00+08:00"))
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="G01")  # grid: 2 working days, 8 and 9 October
    assert task(as_, "grid", appeal["id"], "handle_grid")["due_at"] == "2026-10-09T15:59:59+00:00"


def test_a_year_without_its_schedule_is_reckoned_by_rule_until_the_schedule_is_loaded(app, as_, clock, tmp_path):
    appeal = _register_at(as_, clock, "2026-12-28T10:00:00+08:00", "consultation")  # 3 working days stay in 2026
    assert (appeal["deadline"], appeal["deadline_provisional"]) == ("2026-12-31T15:59:59+00:00", False)

    # 7 working days from Tuesday 29 December: 30, 31 December, (1 January off by rule), 4, 5, 6, 7, 8 January.
    late = _register_at(as_, clock, "2026-12-29T10:00:00+08:00", "livelihood")
    assert (late["deadline"], late["deadline_provisional"]) == ("2027-01-08T15:59:59+00:00", True)

    cli = app.test_cli_runner()
    before = cli.invoke(args=["calendar", "status"])
    assert before.exit_code == 0, before.output
    assert "2026 年：官方安排（chinesecalendar 软件包）" in before.output
    assert "2027 年：暂定（周末和法定节假日按规则推算）；缺失：官方安排应已发布" in before.output

    schedule = tmp_path / "2027.json"
    schedule.write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01"], "workdays": []}))
    loaded = cli.invoke(args=["calendar", "load", str(schedule)])
    assert loaded.exit_code == 0, loaded.output
    assert "2027 年：1 个节假日，0 个调休上班的周末日；1 个流程已重新计算时限" in loaded.output
    settled = as_("intake").get(f"/api/v1/appeals/{late['id']}").json
    assert (settled["deadline"], settled["deadline_provisional"]) == ("2027-01-08T15:59:59+00:00", False)

    after = cli.invoke(args=["calendar", "status"]).output
    assert "2027 年：官方安排（由 system 于 2026年12月29日 10:00 导入）" in after and "缺失" not in after
