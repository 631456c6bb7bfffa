"""A unit's reach is its own subtree, whatever characters its code holds: codes with `_` or `%` (LIKE's
wildcards) or `/` (the old path's separator) reach exactly their own appeals and tasks, and so do the
units whose codes such patterns would match."""

import pytest

from appeals.domain.units import add_unit
from appeals.services.users import add_user

from .helpers import REPORT, RoleClient

#: (code, level, parent): V_1 would match VX1 and V% all the villages under LIKE; "A/B" and grid B below
#: village A had the same path of codes.
UNITS = [
    ("V_1", "village", "T01"),
    ("VX1", "village", "T01"),
    ("V%", "village", "T01"),
    ("A/B", "village", "T01"),
    ("A", "village", "T01"),
    ("B", "grid", "A"),
]
#: The units each reaches: its own, and for village A its grid B.
REACH = {code: {code} for code, _, _ in UNITS} | {"A": {"A", "B"}}
PERIOD = "since=2026-11-01&until=2026-11-30"


@pytest.fixture
def clients(app, runtime, tokens):
    """Per unit code: an intake user there, who has reported one appeal (titled with the code), and a
    station user there."""
    made = {}
    for code, level, parent in UNITS:
        add_unit(runtime.uow(), code=code, name=f"unit {code}", level=level, parent=parent)
    for code, _, _ in UNITS:
        _, intake = add_user(runtime.uow(), name=f"intake {code}", role="intake", unit=code)
        _, station = add_user(runtime.uow(), name=f"station {code}", role="station", unit=code)
        made[code] = RoleClient(app.test_client(), intake), RoleClient(app.test_client(), station)
        reported = made[code][0].post("/api/v1/appeals", json={**REPORT, "title": f"appeal of {code}"})
        assert reported.status_code == 201, reported.json
    return made


@pytest.mark.parametrize("code", [code for code, _, _ in UNITS])
def test_each_unit_reads_and_works_on_its_own_appeals_only(clients, code):
    intake, station = clients[code]
    mine = sorted(f"appeal of {unit}" for unit in REACH[code])
    assert sorted(appeal["title"] for appeal in intake.get("/api/v1/appeals").json) == mine
    assert sorted(task["appeal"]["title"] for task in intake.get("/api/v1/tasks").json) == mine
    for other, (client, _) in clients.items():
        if other not in REACH[code]:
            (appeal,) = [a for a in client.get("/api/v1/appeals").json if a["title"] == f"appeal of {other}"]
            assert intake.get(f"/api/v1/appeals/{appeal['id']}").status_code == 404
            assert intake.get(f"/api/v1/tasks?appeal={appeal['id']}").status_code == 404
    assert station.get(f"/api/v1/stats?{PERIOD}").json["collected"] == len(REACH[code])


def test_a_unit_asks_for_no_statistics_of_a_unit_its_pattern_would_match(clients):
    _, station = clients["V%"]
    for other in ("V_1", "VX1", "V01"):
        assert station.get(f"/api/v1/stats?{PERIOD}&unit={other}").status_code == 403
    _, above = clients["A"]
    assert above.get(f"/api/v1/stats?{PERIOD}&unit=B").json["collected"] == 1
    assert above.get(f"/api/v1/stats?{PERIOD}&unit=A%2FB").status_code == 403
