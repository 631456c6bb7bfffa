"""Unit scorecards under the fair rule (docs/statistics.md, "Who answers for what"): lateness goes to the
unit whose limit lapsed, a verdict to the unit whose disposition the citizen judged. The data set below
is one where the old rule (everything to the unit that holds the appeal) and the fair one differ.

November 2026 has no holidays: its working days are Monday to Friday.
"""

from datetime import datetime

from appeals.services.timers import fire_due

from .helpers import complete, report, to_handling

NOVEMBER = "since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"


def _at(clock, moment: str) -> None:
    clock.set(datetime.fromisoformat(f"{moment}+08:00"))


def seed(as_, runtime, clock) -> dict:
    """Three livelihood appeals dispatched to the village V01 on Monday 2 November (reply due by the end
    of Wednesday 11 November; the village's limit is the end of Thursday 5 November).

    | appeal | what happened                                                                 | answers  |
    |--------|-------------------------------------------------------------------------------|----------|
    | B1     | V01 lets its limit lapse; T01 resolves it; the reply comes a day late; satisfied | T01      |
    | B2     | V01 explains, replied on time; dissatisfied: back to V01, which escalates to T01 | T01      |
    | B3     | V01 resolves it, replied on time; satisfied                                     | V01      |
    """
    ids = {name: report(as_, title=name)["id"] for name in ("B1", "B2", "B3")}
    for appeal_id in ids.values():
        to_handling(as_, appeal_id, unit="V01")
    _at(clock, "2026-11-03T09:00")
    complete(as_, "village", ids["B2"], "handle_village", {"outcome": "explained", "note": "not the village's"})
    complete(as_, "village", ids["B3"], "handle_village", {"outcome": "resolved", "note": "lamp replaced"})
    complete(as_, "station", ids["B2"], "feedback", {"message": "explained"})
    _at(clock, "2026-11-04T09:00")
    assert complete(as_, "callback", ids["B2"], "evaluate", {"satisfaction": "dissatisfied"})["stage"] == (
        "handle_village"
    )
    complete(as_, "station", ids["B3"], "feedback", {"message": "lamp replaced"})
    _at(clock, "2026-11-05T09:00")
    complete(as_, "village", ids["B2"], "handle_village", {"outcome": "escalate", "note": "for the street office"})
    complete(as_, "callback", ids["B3"], "evaluate", {"satisfaction": "satisfied"})
    _at(clock, "2026-11-06T09:00")
    fire_due(runtime)  # B1's village limit: a late record against V01, and B1 goes up to T01
    _at(clock, "2026-11-11T16:00")
    complete(as_, "town", ids["B1"], "handle_town", {"outcome": "resolved", "note": "wiring repaired"})
    _at(clock, "2026-11-12T09:00")
    complete(as_, "station", ids["B1"], "feedback", {"message": "wiring repaired"})  # a day after the deadline
    complete(as_, "callback", ids["B1"], "evaluate", {"satisfaction": "satisfied"})
    _at(clock, "2026-11-12T10:00")
    return ids


def test_lateness_goes_to_the_unit_whose_limit_lapsed_and_a_verdict_to_the_unit_judged(as_, runtime, clock):
    ids = seed(as_, runtime, clock)
    appeals = {name: as_("auditor").get(f"/api/v1/appeals/{i}").json for name, i in ids.items()}
    assert {name: a["status"] for name, a in appeals.items()} == {"B1": "closed", "B2": "open", "B3": "closed"}
    assert appeals["B2"]["stage"] == "handle_town"
    stats = as_("leader").get(f"/api/v1/stats?{NOVEMBER}").json
    assert stats["late_units"] == [{"unit": "V01", "times_late": 1, "longest_late_seconds": 9 * 3600 + 1}]
    cards = {card["unit"]: card for card in stats["units"]}
    figures = ("collected", "settled", "replies_due", "replied_on_time", "evaluated", "dissatisfied", "times_late")
    rates = ("settlement_rate", "on_time_rate", "satisfaction_rate", "score")
    assert {code: tuple(cards[code][f] for f in figures + rates) for code in cards} == {
        # T01 holds B1 and B2 (settled: B1) and judged by B1's citizen (satisfied). The late reply of B1
        # is V01's, and B2's reply carried V01's answer: T01 answers for no reply.
        "T01": (2, 1, 0, 0, 1, 0, 0, 0.5, None, 1.0, 0.75),  # mean(1/2, 1)
        # V01 holds B3 (settled); answers for three replies: B1 (late: its limit lapsed), B2 and B3 (on
        # time); and for two verdicts on its own answers: B2 dissatisfied, B3 satisfied.
        "V01": (1, 1, 3, 2, 2, 1, 1, 1.0, 0.6667, 0.5, 0.7222),  # mean(1, 2/3, 1/2)
    }
    # Under the old rule T01 had both replies (B1 late, B2 on time: 0.5) and both verdicts (0.5), a score
    # of 0.5, and V01 only B3's (1.0 each): the village that let its limit lapse came out best.
    assert cards["V01"]["rank"] == 1 and cards["T01"]["rank"] == 1  # each the only one of its level


def test_a_units_card_is_the_same_whoever_reads_it(as_, runtime, clock):
    seed(as_, runtime, clock)
    district = {c["unit"]: c for c in as_("leader").get(f"/api/v1/stats?{NOVEMBER}").json["units"]}
    village = as_("leader").get(f"/api/v1/stats?{NOVEMBER}&unit=V01").json
    assert [c["unit"] for c in village["units"]] == ["V01"]
    assert village["units"][0] == district["V01"]
    assert village["collected"] == 1  # the cohort still counts the appeals V01 holds: B3
