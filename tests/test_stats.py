"""Statistics on the seeded November 2026 of tests/november.py, whose right answers are worked out by hand
below, one appeal at a time."""

import pytest

from .november import NOVEMBER


def _card(
    unit, level, rank, score, collected, settled, duplicates, due, on_time, verdicts, reopened, days, late=0, replied=0
):
    """A scorecard as worked out by hand: verdicts are (satisfied, basically satisfied, dissatisfied);
    `replied` counts the unit's own appeals that had a reply (the redo rate's denominator)."""
    evaluated = sum(verdicts)
    return {
        "unit": unit,
        "level": level,
        "rank": rank,
        "score": score,
        "collected": collected,
        "duplicates": duplicates,
        "settled": settled,
        "settlement_rate": round(settled / (collected - duplicates), 4) if collected - duplicates else None,
        "replies_due": due,
        "replied_on_time": on_time,
        "on_time_rate": round(on_time / due, 4) if due else None,
        "evaluated": evaluated,
        "satisfied": verdicts[0],
        "basically_satisfied": verdicts[1],
        "dissatisfied": verdicts[2],
        "satisfaction_rate": round((verdicts[0] + verdicts[1]) / evaluated, 4) if evaluated else None,
        "unreachable": 0,
        "unreachable_rate": 0.0 if evaluated else None,
        "reopened": reopened,
        "reopenings": reopened,
        "replied": replied,
        "redo_rate": round(reopened / replied, 4) if replied else None,
        "reminded": 0,
        "reminder_rate": 0.0 if collected else None,
        "handling_days": {
            "count": len(days),
            "mean": round(sum(days) / len(days), 2) if days else None,
            "p90": sorted(days)[-1] if days else None,
        },
        "times_late": late,
    }


def test_every_statistic_of_the_month_matches_the_hand_worked_answers(as_, november):
    response = as_("leader").get(f"/api/v1/stats?{NOVEMBER}")
    assert response.status_code == 200, response.json
    stats = response.json

    assert stats["period"] == {
        "since": "2026-11-01T00:00:00+08:00",
        "until": "2026-12-01T00:00:00+08:00",
        "as_of": "2026-12-02T02:00:00+00:00",
    }
    assert stats["filters"] == {"unit": "D01", "category": None, "channel": None}  # a leader's own unit by default
    # A1..A9; A10 (October) and A11 (December) are outside the period.
    assert stats["collected"] == 9
    assert stats["duplicates"] == 1  # A6
    assert stats["settled"] == 4  # A1, A2, A3, A9 (A4 and A5 are open; A6 is a duplicate)
    assert stats["settlement_rate"] == 0.5  # 4 / (9 - 1)
    # Due: A2, A3, A4, A5, A9 replied, A8 past its deadline; not A1 (no deadline), A6 (duplicate), A7 (not yet).
    assert (stats["replies_due"], stats["replied_on_time"], stats["on_time_rate"]) == (6, 4, 0.6667)
    assert (stats["evaluated"], stats["satisfied"], stats["basically_satisfied"], stats["dissatisfied"]) == (5, 3, 1, 1)
    assert stats["satisfaction_rate"] == 0.8  # (A1, A3, A9 satisfied + A2 basically) / 5
    assert (stats["unreachable"], stats["unreachable_rate"]) == (0, 0.0)  # every citizen was reached
    assert (stats["reopened"], stats["reopenings"]) == (2, 2)  # A3 and A5, once each
    # Replied: A1, A2, A3, A4, A5, A9; redo (重办) = reopened / replied; nobody reminded by hand.
    assert (stats["replied"], stats["redo_rate"], stats["reminded"], stats["reminder_rate"]) == (6, 0.3333, 0, 0.0)
    # Working days from report to close: A1 0, A9 2 (30 Nov, 1 Dec), A2 3 (3-5 Nov), A3 11 (4-18 Nov).
    assert stats["handling_days"] == {"count": 4, "mean": 4.0, "p90": 11}

    assert stats["late_units"] == [{"unit": "V01", "times_late": 1, "longest_late_seconds": 9 * 3600 + 1}]
    cards = [{k: v for k, v in card.items() if k != "name"} for card in stats["units"]]
    # The fair rule (docs/statistics.md): A5's late reply is V01's, whose limit lapsed, not T01's, which
    # holds A5 now; A5's verdict judged T01's disposition ("explained") and stays T01's. (The old rule
    # charged T01 with the late reply too: T01 0.5, V01 0.75.)
    assert cards == [
        _card("D01", "district", 1, 1.0, 1, 1, 0, 1, 1, (1, 0, 0), 0, [2], replied=1),
        # own A3, A4, A5 (settled 1/3); replies A3, A4 on time (2/2); verdicts A3 satisfied, A5 not (1/2)
        _card("T01", "town", 1, 0.6111, 3, 1, 0, 2, 2, (1, 0, 1), 2, [11], replied=3),
        # own A1, A6, A7 (settled 1 of 2 not duplicates); replies A5, late (0/1); verdict A1 satisfied
        _card("V01", "village", 1, 0.5, 3, 1, 1, 1, 0, (1, 0, 0), 0, [0], late=1, replied=1),
        _card("G01", "grid", 1, 1.0, 1, 1, 0, 1, 1, (0, 1, 0), 0, [3], replied=1),
        _card("G02", "grid", 2, 0.0, 1, 0, 0, 1, 0, (0, 0, 0), 0, []),  # A8: nothing settled, late
    ]
    assert [card["name"] for card in stats["units"]][:2] == ["离石区", "滨河街道"]

    assert stats["top_demands"] == {
        "categories": [
            {"category": "livelihood", "count": 5},  # A2, A3, A5, A6, A7
            {"category": "complex", "count": 2},  # A4, A9
            {"category": "consultation", "count": 2},  # A1, A8
        ],
        "places": [
            {"place": "Binhe Road 12", "count": 4},  # A1, A2, A3 (spelt otherwise), A6
            {"place": "Fenghuang market", "count": 2},  # A4, A9
            {"place": "Houwa east gate", "count": 2},  # A5, A8
        ],
        "words": [
            {"word": "market", "count": 3},  # A3, A4, A9
            # "out" (A2, A3, A6) is a stop word: it says nothing of what is asked for
            {"word": "streetlight", "count": 3},  # A2, A3, A6
            {"word": "water", "count": 2},  # A7, A8
            {"word": "路灯", "count": 2},  # A5, A9
        ],
    }
    assert [(w["since"][:10], w["collected"], w["settled"]) for w in stats["weekly"]] == [
        ("2026-11-01", 0, 0),  # Sunday 1 November
        ("2026-11-02", 4, 3),  # A1-A4; A1, A2, A3 settled
        ("2026-11-09", 2, 0),  # A5, A6
        ("2026-11-16", 0, 0),
        ("2026-11-23", 3, 1),  # A7, A8, A9; A9 settled
        ("2026-11-30", 0, 0),  # Monday 30 November
    ]


def test_filters_narrow_every_figure(as_, november):
    consultation = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}&category=consultation").json
    assert (consultation["collected"], consultation["settled"], consultation["replies_due"]) == (2, 1, 1)  # A1, A8
    assert consultation["late_units"] == []  # V01's late record is A5's, a livelihood matter

    board = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}&channel=message_board").json
    assert (board["collected"], board["settled"], board["satisfaction_rate"]) == (1, 1, 1.0)  # A9

    village = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}&unit=V01").json  # V01, G01, G02: A1, A2, A6, A7, A8
    assert (village["collected"], village["settled"], village["settlement_rate"]) == (5, 2, 0.5)
    assert [card["unit"] for card in village["units"]] == ["V01", "G01", "G02"]
    assert village["late_units"] == [{"unit": "V01", "times_late": 1, "longest_late_seconds": 32401}]

    everything = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}").json
    assert everything["filters"]["unit"] is None and everything["collected"] == 9


def test_who_may_read_statistics_and_how_far(as_, november):
    station = as_("station").get(f"/api/v1/stats?{NOVEMBER}")  # the station of V01 sees V01 and below
    assert station.status_code == 200 and station.json["collected"] == 5
    assert as_("station").get(f"/api/v1/stats?{NOVEMBER}&unit=T01").status_code == 403
    assert as_("village").get(f"/api/v1/stats?{NOVEMBER}").status_code == 403
    assert as_("designer").get(f"/api/v1/stats?{NOVEMBER}").status_code == 403
    assert as_("leader").client.get(f"/api/v1/stats?{NOVEMBER}").status_code == 401


def test_bad_periods_and_filters_are_refused(as_):
    assert as_("leader").get("/api/v1/stats").status_code == 422
    backwards = as_("leader").get("/api/v1/stats?since=2026-12-01T00:00:00Z&until=2026-11-01T00:00:00Z")
    assert backwards.status_code == 422 and "until" in backwards.json["error"]["fields"]
    unknown = as_("leader").get(f"/api/v1/stats?{NOVEMBER}&unit=NOPE")
    assert unknown.status_code == 422 and unknown.json["error"]["fields"] == {"unit": "没有这个单位编码"}
    assert as_("leader").get(f"/api/v1/stats?{NOVEMBER}&category=weather").status_code == 422


@pytest.mark.parametrize(
    "period",
    [
        "period=2026-11",  # the month in Beijing
        "since=2026-11-01&until=2026-11-30",  # plain dates: whole days in Beijing, until to the end of its day
        "since=2026-11-01T00:00:00+08:00&until=2026-12-01T00:00:00+08:00",  # '+' unencoded: it arrives as a space
        "since=2026-11-01 00:00:00 08:00&until=2026-12-01T00:00:00.000 08:00",  # typed with spaces
    ],
)
def test_a_month_plain_dates_and_unencoded_offsets_give_the_same_period(as_, november, period):
    expected = as_("leader").get(f"/api/v1/stats?{NOVEMBER}").json
    response = as_("leader").get(f"/api/v1/stats?{period}")
    assert response.status_code == 200, response.json
    assert response.json["period"]["since"] == "2026-11-01T00:00:00+08:00"
    assert response.json == {**expected, "period": response.json["period"]}
    assert response.json["collected"] == 9
    bulletin = as_("leader").get(f"/api/v1/bulletins/late-units?{period}")
    assert bulletin.status_code == 200 and bulletin.json == expected["late_units"]


@pytest.mark.parametrize("endpoint", ["/api/v1/stats", "/api/v1/bulletins/late-units"])
@pytest.mark.parametrize(
    "query, field, problem",
    [
        ("since=1026-12-01&until=2026-12-01", "since", "the year must lie between 2000 and 2099"),  # a thousand years
        ("since=2026-01-01&until=3026-01-01", "until", "the year must lie between 2000 and 2099"),
        ("since=0001-01-01T00:00:00%2B08:00&until=2026-12-01", "since", "the year must lie between 2000 and 2099"),
        ("since=2026-11-01&until=9999-12-31", "until", "the year must lie between 2000 and 2099"),
        ("period=0001-01", "period", "the year must lie between 2000 and 2099"),
        ("period=9999-12", "period", "the year must lie between 2000 and 2099"),
        ("since=2000-01-01&until=2099-12-31", "until", "a period is at most 5 years long"),
        ("period=2026-13", "period", "a month is YYYY-MM, e.g. 2026-11"),
        ("period=2026-11&since=2026-11-01", "period", "give period, or since and until, not both"),
        ("since=2026-11-01", "until", "give since and until, or period"),
        ("since=2026-11-30&until=2026-11-01", "until", "must be after since"),
        (
            "since=2026-11-01T00:00:00&until=2026-12-01",
            "since",
            "give the offset, e.g. 2026-11-01T00:00:00+08:00, or a plain date",
        ),
        (
            "since=1 November&until=2026-12-01",
            "since",
            "not a date (2026-12-01) or a date-time with its offset (2026-12-01T00:00:00+08:00)",
        ),
    ],
)
def test_an_unbounded_or_unreadable_period_is_422_naming_the_field(as_, endpoint, query, field, problem):
    response = as_("leader").get(f"{endpoint}?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"] == {field: problem}


@pytest.mark.parametrize(
    "query, field, problem",
    [
        ("period=9999-12", "period", "年份须在 2000 至 2099 年之间"),
        ("period=2026-13", "period", "月份的格式为 YYYY-MM，例如 2026-11"),
        ("since=2026-11-30&until=2026-11-01", "until", "须晚于起始时间（since）"),
        (
            "since=2026-11-01T00:00:00&until=2026-12-01",
            "since",
            "请给出时区偏移，例如 2026-11-01T00:00:00+08:00，或只给日期",
        ),
    ],
)
def test_a_period_s_problem_is_said_in_chinese_by_default(as_, query, field, problem):
    response = as_("leader").get(f"/api/v1/stats?{query}")
    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"] == {field: problem}


def test_an_empty_period_has_counts_of_zero_and_no_rates(as_):
    stats = as_("admin").get(f"/api/v1/stats?{NOVEMBER}").json
    assert stats["collected"] == 0 and stats["units"] == [] and stats["late_units"] == []
    assert stats["settlement_rate"] is None and stats["on_time_rate"] is None and stats["satisfaction_rate"] is None
    assert stats["handling_days"] == {"count": 0, "mean": None, "p90": None}
    assert "/api/v1/stats" in as_("admin").get("/api/v1/openapi.json").json["paths"]
