"""A seeded November 2026 whose statistics are worked out by hand (tests/test_stats.py), one appeal at a time.

The appeals are driven through the real API and processes with the clock moved between steps. November
2026 has no holidays and no weekend worked in lieu, so its working days are Monday to Friday.
"""

from datetime import datetime

from appeals.services.timers import fire_due

from .helpers import complete, report, to_handling

NOVEMBER = "since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"
AS_OF = "2026-12-02T10:00:00+08:00"


def _at(clock, moment: str) -> None:
    clock.set(datetime.fromisoformat(f"{moment}+08:00"))


def _appeal(as_, clock, moment, title, description, address=None, **fields):
    _at(clock, moment)
    location = {"location": {"address": address}} if address else {"location": {}}
    return report(as_, title=title, description=description, **location, **fields)["id"]


def seed_november(as_, runtime, clock) -> dict:
    """Eleven appeals: nine reported in November 2026 (A1..A9), one before it and one after it.

    | appeal | unit at the end | fate                                                           |
    |--------|-----------------|----------------------------------------------------------------|
    | A1     | V01 (intake)    | consultation settled on the spot, satisfied, 0 working days     |
    | A2     | G01             | livelihood, replied on time, basically satisfied, 3 working days |
    | A3     | T01             | escalated, replied on time, dissatisfied, reopened, then satisfied, 11 days |
    | A4     | T01             | complex, deferred: replied on time, waits for its promised date  |
    | A5     | T01             | V01 let its limit run out (late record), replied late, dissatisfied, reopened |
    | A6     | V01 (intake)    | duplicate of A2                                                 |
    | A7     | V01 (intake)    | waits for collation; its reply is due 4 December, not yet        |
    | A8     | G02             | consultation never replied; its deadline (1 December) has passed |
    | A9     | D01             | complex via the message board, replied on time, satisfied, 2 days |
    """
    ids = {}
    ids["A10"] = _appeal(as_, clock, "2026-10-30T10:00", "Old question", "Asked in October.", category="consultation")
    complete(as_, "intake", ids["A10"], "resolve_on_site", {"resolved": True, "reply": "Answered."})
    complete(as_, "station", ids["A10"], "feedback", {"message": "Answered."})
    complete(as_, "callback", ids["A10"], "evaluate", {"satisfaction": "satisfied"})

    ids["A1"] = _appeal(
        as_, clock, "2026-11-02T09:00", "Night bus", "Asking when the last night bus leaves.", "Binhe Road 12",
        category="consultation",
    )  # fmt: skip
    complete(as_, "intake", ids["A1"], "resolve_on_site", {"resolved": True, "reply": "At 22:30."})
    _at(clock, "2026-11-02T09:30")
    complete(as_, "station", ids["A1"], "feedback", {"message": "At 22:30."})
    _at(clock, "2026-11-02T10:00")
    complete(as_, "callback", ids["A1"], "evaluate", {"satisfaction": "satisfied"})

    ids["A2"] = _appeal(
        as_, clock, "2026-11-02T11:00", "Streetlight out", "The streetlight at the school gate is out.", "Binhe Road 12"
    )
    to_handling(as_, ids["A2"], unit="G01")  # reply due by the end of 11 November
    _at(clock, "2026-11-03T09:00")
    complete(as_, "grid", ids["A2"], "handle_grid", {"outcome": "resolved", "note": "Bulb replaced"})

    ids["A3"] = _appeal(
        as_, clock, "2026-11-03T10:00", "Streetlight out again", "Streetlight outside the market flickers.",
        "  binhe  road 12 ",
    )  # fmt: skip
    to_handling(as_, ids["A3"], unit="V01")  # reply due by the end of 12 November
    _at(clock, "2026-11-04T09:00")
    complete(as_, "station", ids["A2"], "feedback", {"message": "Bulb replaced."})
    complete(as_, "village", ids["A3"], "handle_village", {"outcome": "escalate", "note": "Street office"})
    complete(as_, "station", ids["A10"], "look_back", {"recurred": False, "note": "No new questions."})
    complete(as_, "station", ids["A1"], "look_back", {"recurred": False, "note": "No new questions."})
    _at(clock, "2026-11-05T09:00")
    complete(as_, "callback", ids["A2"], "evaluate", {"satisfaction": "basically_satisfied"})

    ids["A4"] = _appeal(
        as_, clock, "2026-11-05T10:00", "Market drainage", "Drainage blocked behind the market.", "Fenghuang market"
    )
    to_handling(as_, ids["A4"], unit="T01", category="complex")  # reply due by the end of 26 November
    _at(clock, "2026-11-06T09:00")
    complete(
        as_, "town", ids["A4"], "handle_town",
        {"outcome": "deferred", "note": "Needs a contractor", "promised_date": "2026-11-20"},
    )  # fmt: skip
    _at(clock, "2026-11-06T10:00")
    complete(as_, "station", ids["A4"], "feedback", {"message": "A contractor comes by 20 November."})

    ids["A5"] = _appeal(as_, clock, "2026-11-09T09:00", "路灯不亮", "东门路灯不亮", "Houwa east gate")
    to_handling(as_, ids["A5"], unit="V01")  # village limit: end of 12 November; reply due end of 18 November

    _at(clock, "2026-11-10T09:00")
    complete(as_, "town", ids["A3"], "handle_town", {"outcome": "resolved", "note": "Wiring fixed"})
    ids["A6"] = _appeal(
        as_, clock, "2026-11-10T10:00", "Streetlight out", "Same streetlight as before.", "Binhe Road 12"
    )
    a2_number = as_("auditor").get(f"/api/v1/appeals/{ids['A2']}").json["number"]
    complete(as_, "intake", ids["A6"], "resolve_on_site", {"resolved": False})
    complete(as_, "intake", ids["A6"], "register", {"category": "livelihood", "summary": "same light"})
    complete(as_, "station", ids["A6"], "collate", {"unit": "V01", "duplicate_of": a2_number})

    _at(clock, "2026-11-12T15:00")
    complete(as_, "station", ids["A3"], "feedback", {"message": "Wiring fixed."})  # on time, the last day
    _at(clock, "2026-11-13T09:00")
    # A5's village reminder and limit (9 h 1 s late, recorded against V01); every other step is in time
    assert fire_due(runtime) == 2
    _at(clock, "2026-11-13T10:00")
    complete(as_, "callback", ids["A3"], "evaluate", {"satisfaction": "dissatisfied"})
    _at(clock, "2026-11-16T09:00")
    complete(as_, "town", ids["A3"], "handle_town", {"outcome": "resolved", "note": "New lamp"})
    complete(as_, "town", ids["A5"], "handle_town", {"outcome": "explained", "note": "Scheduled repair"})
    _at(clock, "2026-11-17T09:00")
    complete(as_, "station", ids["A3"], "feedback", {"message": "New lamp."})
    _at(clock, "2026-11-18T09:00")
    complete(as_, "callback", ids["A3"], "evaluate", {"satisfaction": "satisfied"})
    _at(clock, "2026-11-23T09:00")
    complete(as_, "station", ids["A5"], "feedback", {"message": "Repair scheduled."})  # late
    _at(clock, "2026-11-24T09:00")
    complete(as_, "callback", ids["A5"], "evaluate", {"satisfaction": "dissatisfied"})

    ids["A7"] = _appeal(as_, clock, "2026-11-25T09:00", "Water pressure low", "Water pressure drops every evening.")
    complete(as_, "intake", ids["A7"], "resolve_on_site", {"resolved": False})
    complete(as_, "intake", ids["A7"], "register", {"category": "livelihood", "summary": "pressure"})

    ids["A8"] = _appeal(
        as_, clock, "2026-11-26T09:00", "Water bill", "Question about the water bill.", "Houwa East Gate"
    )
    to_handling(as_, ids["A8"], unit="G02", category="consultation")  # reply due by the end of 1 December

    ids["A9"] = _appeal(
        as_, clock, "2026-11-27T09:00", "Market stalls", "路灯 near the market stalls", "Fenghuang market",
        channel="message_board",
    )  # fmt: skip
    to_handling(as_, ids["A9"], unit="D01", category="complex")
    _at(clock, "2026-11-30T09:00")
    complete(as_, "district", ids["A9"], "handle_district", {"outcome": "resolved", "note": "Stalls moved"})
    _at(clock, "2026-11-30T10:00")
    complete(as_, "station", ids["A9"], "feedback", {"message": "Stalls moved."})
    _at(clock, "2026-12-01T09:00")
    complete(as_, "callback", ids["A9"], "evaluate", {"satisfaction": "satisfied"})
    ids["A11"] = _appeal(as_, clock, "2026-12-01T09:00", "December", "Reported in December.", category="complex")

    _at(clock, AS_OF[:-6])
    return ids
