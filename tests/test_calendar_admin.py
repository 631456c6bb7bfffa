"""Administrators read the calendar's years and load a year's official schedule over HTTP and the CLI;
a schedule that is wrong is refused naming the field, with nothing written."""

import json

import pytest

from engine.models import CalendarLoad


def _loads(runtime) -> int:
    with runtime.uow().reading() as uow:
        return uow.session.query(CalendarLoad).count()


def test_the_status_lists_each_year_around_today_as_official_or_provisional(as_):
    status = as_("admin").get("/api/v1/calendar")  # Monday 2 November 2026: next year's schedule is due
    assert status.status_code == 200, status.json
    assert [(y["year"], y["status"], y["source"]) for y in status.json["years"]] == [
        (2025, "official", "package"),
        (2026, "official", "package"),
        (2027, "provisional", "rule"),
    ]
    assert status.json["missing"] == [2027] and "2027" in status.json["warning"]


def test_a_year_s_days_come_with_their_source(as_):
    official = as_("admin").get("/api/v1/calendar/2026").json
    assert official["source"] == "package" and "2026-10-01" in official["holidays"]
    assert {"2026-09-20", "2026-10-10"} <= set(official["workdays"])  # the Sunday and Saturday worked in lieu
    provisional = as_("admin").get("/api/v1/calendar/2027").json
    assert provisional["status"] == "provisional" and provisional["workdays"] == [] and provisional["revisions"] == []
    assert {"2027-01-01", "2027-02-08", "2027-10-01"} <= set(provisional["holidays"])


def test_each_load_of_a_year_is_kept_as_a_revision(as_, clock):
    first = as_("admin").put("/api/v1/calendar/2027", json={"holidays": ["2027-01-01"]})
    assert first.status_code == 200, first.json
    clock.advance(hours=1)
    second = as_("admin").put("/api/v1/calendar/2027", json={"holidays": ["2027-01-01", "2027-01-04"]})
    year = as_("admin").get("/api/v1/calendar/2027").json
    assert (year["source"], year["holidays"], year["loaded_by"]) == ("loaded", ["2027-01-01", "2027-01-04"], "admin")
    assert [r["revision"] for r in year["revisions"]] == [first.json["revision"], second.json["revision"]]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"holidays": ["2028-01-01"]}, "holidays.0"),  # outside its year
        ({"holidays": ["2027-01-01", "2027-05-03", "2027-01-01"]}, "holidays.2"),  # twice in one list
        ({"holidays": ["2027-01-09"], "workdays": ["2027-01-09"]}, "workdays.0"),  # in both lists
        ({"holidays": ["2027-02-30"]}, "holidays.0"),  # no such day
        ({"holidays": ["next friday"]}, "holidays.0"),
        ({"holidays": "2027-01-01"}, "holidays"),
        ({"workdays": []}, "holidays"),
        ({"holidays": [], "weekends": []}, "weekends"),
    ],
)
def test_a_wrong_schedule_is_refused_naming_the_field_and_nothing_is_written(as_, runtime, body, field):
    refused = as_("admin").put("/api/v1/calendar/2027", json=body)
    assert refused.status_code == 422, refused.json
    assert field in refused.json["error"]["fields"]
    assert _loads(runtime) == 0


def test_a_refused_day_is_explained_in_the_readers_language(as_):
    admin = as_("admin")
    body = {"holidays": ["2027-01-01", "2028-01-01"]}
    chinese = admin.put("/api/v1/calendar/2027", json=body).json["error"]
    assert chinese["fields"] == {"holidays.1": "2028年1月1日不在 2027 年内"}
    assert chinese["message"] == "holidays.1：2028年1月1日不在 2027 年内"
    english = admin.client.put("/api/v1/calendar/2027", json=body, headers={**admin.headers, "Accept-Language": "en"})
    assert english.json["error"]["fields"] == {"holidays.1": "2028-01-01 is not in 2027"}
    assert english.json["error"]["message"] == "holidays.1: 2028-01-01 is not in 2027"


def test_an_absurd_year_is_refused_naming_the_year(as_, runtime):
    for method in ("get", "put"):
        refused = getattr(as_("admin"), method)("/api/v1/calendar/3000", json={"holidays": []})
        assert refused.status_code == 422 and "year" in refused.json["error"]["fields"], refused.json
    assert _loads(runtime) == 0


def test_only_administrators_read_and_load_the_calendar(as_, runtime):
    assert as_("station").get("/api/v1/calendar").status_code == 403
    assert as_("leader").put("/api/v1/calendar/2027", json={"holidays": []}).status_code == 403
    assert _loads(runtime) == 0


def test_a_wrong_schedule_file_is_refused_by_the_cli_naming_the_day(app, runtime, tmp_path):
    schedule = tmp_path / "2027.json"
    schedule.write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01", "2026-12-31"]}))
    refused = app.test_cli_runner().invoke(args=["calendar", "load", str(schedule)])
    assert refused.exit_code != 0 and "holidays.1：2026年12月31日不在 2027 年内" in refused.output
    assert _loads(runtime) == 0


def test_the_openapi_document_shows_provisional_times_and_the_calendar(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert "due_provisional" in schemas["AppealTask"]["properties"]
    assert "deadline_provisional" in schemas["Appeal"]["properties"]
    assert {"get", "put"} <= set(spec["paths"]["/api/v1/calendar/{year}"])
