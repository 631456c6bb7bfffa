"""Open311 GeoReport v2 over real HTTP, read with the `georeport` client from PyPI and checked against the
spec (wiki.open311.org/GeoReport_v2): its field lists and their order, its formats and its error documents."""

import re
from datetime import datetime

import pytest
import requests
import xmltodict
from georeport import GeoReport

from .helpers import complete, served, to_handling

# The spec's response fields, in the order its tables and examples give them.
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
CREATED_FIELDS = ["service_request_id", "service_notice", "account_id"]
DISCOVERY_FIELDS = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]
W3 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
REPORTER = {"first_name": "Li", "last_name": "Wang", "phone": "13912345678", "email": "wang.li@example.org"}


@pytest.fixture
def base(app, tokens, monkeypatch):
    """The app served on a loopback port for the length of a test: the Open311 root URL."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with served(app) as root:
        app.config["PUBLIC_URL"] = root
        yield f"{root}/open311/v2"


def _post(base, tokens, fmt="json", role="intake", **fields):
    form = {"api_key": tokens[role], "service_code": "livelihood", "description": "The drain is blocked."}
    return requests.post(f"{base}/requests.{fmt}", data={**form, **fields}, timeout=10)


def _xml(response) -> dict:
    assert response.headers["Content-Type"] == CONTENT_TYPES["xml"]
    assert response.text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    return xmltodict.parse(response.content)


def _errors(response, fmt) -> list[tuple[int, str]]:
    """The spec's error document, in either format, as (code, description) pairs."""
    if fmt == "xml":
        found = _xml(response)["errors"]["error"]
        found = found if isinstance(found, list) else [found]
        return [(int(e["code"]), e["description"]) for e in found]
    assert response.headers["Content-Type"] == CONTENT_TYPES["json"]
    assert all(list(e) == ["code", "description"] for e in response.json())
    return [(e["code"], e["description"]) for e in response.json()]


def _personal_data_absent(text: str) -> None:
    for value in ("Wang", "13912345678", "wang.li@example.org", "Zhang San", "13812345678"):
        assert value not in text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_services_and_definitions_follow_the_spec(base, fmt):
    client = GeoReport(base, output_format=fmt)
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == ["consultation", "livelihood", "complex"]
    assert all(list(s) == SERVICE_FIELDS for s in services)
    assert {str(s["metadata"]).lower() for s in services} == {"false"} and {s["type"] for s in services} == {"realtime"}

    definition = client.get_service_definition("livelihood")
    assert list(definition) == ["service_code", "attributes"] and definition["service_code"] == "livelihood"
    attributes = definition["attributes"]["attribute"] if fmt == "xml" else definition["attributes"]
    attribute = attributes if fmt == "xml" else attributes[0]
    assert list(attribute) == ATTRIBUTE_FIELDS and attribute["code"] == "title"
    assert str(attribute["required"]).lower() == "false" and attribute["datatype"] == "string"

    response = requests.get(f"{base}/discovery.{fmt}", timeout=10)
    assert response.status_code == 200
    discovery = _xml(response)["discovery"] if fmt == "xml" else response.json()
    assert list(discovery) == DISCOVERY_FIELDS
    endpoint = discovery["endpoints"]["endpoint"] if fmt == "xml" else discovery["endpoints"][0]
    assert list(endpoint) == ENDPOINT_FIELDS
    assert endpoint["url"] == base and endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    formats = endpoint["formats"]["format"] if fmt == "xml" else endpoint["formats"]
    assert formats == ["text/xml", "application/json"]


def test_a_request_posted_and_read_back_in_both_formats(base, tokens, as_, clock):
    created = _post(
        base,
        tokens,
        **REPORTER,
        lat="37.52",
        long="111.14",
        address_string="Houwa east gate",
        **{"attribute[title]": "Blocked drain", "media_url": "http://example.org/drain.jpg"},
    )
    assert created.status_code == 201 and created.headers["Content-Type"] == CONTENT_TYPES["json"]
    assert [list(item) for item in created.json()] == [CREATED_FIELDS]
    number = created.json()[0]["service_request_id"]
    assert re.fullmatch(r"20261102-\d{6}", number) and created.json()[0]["account_id"] is None
    _personal_data_absent(created.text)

    listed = as_("intake").get("/api/v1/appeals").json[0]  # the service behind it: an ordinary online appeal
    appeal = as_("intake").get(f"/api/v1/appeals/{listed['id']}").json  # (lists always mask the reporter)
    assert (appeal["number"], appeal["channel"], appeal["category"], appeal["title"]) == (
        number,
        "online",
        "livelihood",
        "Blocked drain",
    )
    assert appeal["reporter"] == {"name": "Li Wang", "phone": "13912345678"} and appeal["intake_unit"] == "V01"

    as_json = GeoReport(base).get_service_request(number)
    as_xml = GeoReport(base, output_format="xml").get_service_request(number)
    assert list(as_json) == REQUEST_FIELDS and list(as_xml) == REQUEST_FIELDS
    assert as_json == {
        "service_request_id": number,
        "status": "open",
        "status_notes": "Received; the intake desk is trying to settle it on the spot.",
        "service_name": "Livelihood matter",
        "service_code": "livelihood",
        "description": "The drain is blocked.",
        "agency_responsible": "后洼村",
        "service_notice": None,
        "requested_datetime": "2026-11-02T09:00:00+08:00",
        "updated_datetime": "2026-11-02T09:00:00+08:00",
        "expected_datetime": None,
        "address": "Houwa east gate",
        "address_id": None,
        "zipcode": None,
        "lat": 37.52,
        "long": 111.14,
        "media_url": None,
    }
    # XML carries the same values as text (Spark convention), empty elements for nulls.
    assert as_xml == {
        k: None if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in as_json.items()
    }

    clock.set(datetime.fromisoformat("2026-11-02T10:00:00+08:00"))
    to_handling(as_, appeal["id"], unit="G01")
    handled = GeoReport(base).get_service_request(number)
    assert handled["status_notes"] == "Being handled by the grid." and handled["agency_responsible"] == "后洼村第一网格"
    assert handled["expected_datetime"] == "2026-11-11T23:59:59+08:00"  # 7 working days: the reply deadline
    assert handled["updated_datetime"] == "2026-11-02T10:00:00+08:00"

    clock.set(datetime.fromisoformat("2026-11-03T10:00:00+08:00"))
    complete(as_, "grid", appeal["id"], "handle_grid", {"outcome": "resolved", "note": "cleared"})
    complete(as_, "station", appeal["id"], "feedback", {"message": "cleared"})
    complete(as_, "callback", appeal["id"], "evaluate", {"satisfaction": "satisfied"})
    closed = GeoReport(base, output_format="xml").get_service_request(number)
    assert closed["status"] == "closed" and closed["updated_datetime"] == "2026-11-03T10:00:00+08:00"
    assert closed["status_notes"] == "Closed; a look-back inspection is scheduled. Disposition: resolved."
    assert closed["agency_responsible"] == "后洼村第一网格"
    _personal_data_absent(requests.get(f"{base}/requests/{number}.xml", timeout=10).text)


def test_listing_with_the_spec_filters_and_pages(base, tokens, as_, clock):
    clock.set(datetime.fromisoformat("2026-07-01T09:00:00+08:00"))  # more than 90 days before the others
    old = _post(base, tokens, address_string="Old road").json()[0]["service_request_id"]
    numbers = []
    for day, code in enumerate(["consultation", "livelihood", "complex", "livelihood", "livelihood"], start=2):
        clock.set(datetime.fromisoformat(f"2026-11-{day:02d}T09:00:00+08:00"))
        numbers.append(_post(base, tokens, service_code=code, lat="37.5", long="111.1").json()[0]["service_request_id"])
    clock.set(datetime.fromisoformat("2026-11-01T09:00:00+08:00"))
    hotline = (
        as_("intake")
        .post(  # reported by phone: listed too, without its reporter
            "/api/v1/appeals", json={"title": "Noise", "description": "Saw at night", "channel": "hotline"}
        )
        .json
    )
    clock.set(datetime.fromisoformat("2026-11-09T09:00:00+08:00"))
    first = as_("intake").get("/api/v1/appeals").json[-2]  # numbers[0], the consultation
    complete(as_, "intake", first["id"], "resolve_on_site", {"resolved": True, "reply": "Answered."})
    complete(as_, "station", first["id"], "feedback", {"message": "Answered."})
    complete(as_, "callback", first["id"], "evaluate", {"satisfaction": "satisfied"})

    secret = (
        as_("intake")
        .post(  # confidential: never published, not even as a number
            "/api/v1/appeals",
            json={"title": "Threats", "description": "...", "channel": "hotline", "confidential": True},
        )
        .json["number"]
    )
    client = GeoReport(base)
    newest_first = [*reversed(numbers), hotline["number"]]
    listed = client.get_service_requests()  # default: the last 90 days, newest first
    assert sorted(r["service_request_id"] for r in listed) == sorted(newest_first)
    assert [r["service_request_id"] for r in listed][:5] == list(reversed(numbers))
    assert old not in [r["service_request_id"] for r in listed] and secret not in str(listed)
    assert requests.get(f"{base}/requests/{secret}.json", timeout=10).status_code == 404
    assert requests.get(f"{base}/requests.json?service_request_id={secret}", timeout=10).json() == []
    assert all(list(r) == REQUEST_FIELDS and W3.match(r["requested_datetime"]) for r in listed)
    _personal_data_absent(str(listed))

    def ids(**filters):
        return [r["service_request_id"] for r in client.get_service_requests(**filters)]

    assert ids(service_code="livelihood") == [numbers[4], numbers[3], numbers[1]]
    assert ids(service_code="consultation,complex") == [numbers[2], numbers[0]]
    assert ids(status="closed") == [numbers[0]]
    assert ids(status="open", service_code="consultation") == []
    assert ids(start_date="2026-11-03T00:00:00+08:00", end_date="2026-11-04T23:59:59+08:00") == numbers[2:0:-1]
    assert ids(start_date="2026-06-15T00:00:00Z", end_date="2026-07-15T00:00:00Z") == [old]
    assert ids(service_request_id=f"{numbers[1]},{old}", status="closed") == [numbers[1], old]  # overrides the rest

    xml = GeoReport(base, output_format="xml").get_service_requests(service_code="complex")
    assert xml["service_request_id"] == numbers[2]  # one request: one element (xmltodict gives a dict)

    def page(number, size, fmt="json"):
        response = requests.get(f"{base}/requests.{fmt}", params={"page": number, "page_size": size}, timeout=10)
        assert response.status_code == 200
        if fmt == "xml":
            found = (_xml(response)["service_requests"] or {}).get("request", [])
            return [r["service_request_id"] for r in (found if isinstance(found, list) else [found])]
        return [r["service_request_id"] for r in response.json()]

    everything = [r["service_request_id"] for r in listed]
    assert page(1, 2) == everything[:2] and page(2, 2) == everything[2:4] and page(3, 2, "xml") == everything[4:6]
    assert page(4, 2) == [] and page(4, 2, "xml") == []
    assert requests.get(f"{base}/requests.json?page=&status=", timeout=10).json() == listed  # blanks: not sent


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_come_in_the_spec_format(base, tokens, fmt):
    unknown = _post(base, tokens, fmt, service_code="weather", address_string="Binhe Road")
    assert unknown.status_code == 404
    assert _errors(unknown, fmt) == [(404, "service_code 'weather' was not found")]

    nowhere = _post(base, tokens, fmt)
    assert nowhere.status_code == 400
    assert _errors(nowhere, fmt) == [(400, "address_string: a location is required: lat and long, or address_string")]
    half = _post(base, tokens, fmt, lat="37.5")
    assert _errors(half, fmt) == [(400, "long: lat and long must be sent together")]
    only_id = _post(base, tokens, fmt, address_id="545483")
    assert (
        half.status_code == only_id.status_code == 400 and "address_id is not supported" in _errors(only_id, fmt)[0][1]
    )
    missing = requests.post(f"{base}/requests.{fmt}", data={"api_key": tokens["intake"]}, timeout=10)
    assert missing.status_code == 400
    assert sorted(_errors(missing, fmt)) == [
        (400, "description: description was not provided: say what the request is about"),
        (400, "service_code: service_code was not provided"),
    ]

    no_key = requests.post(f"{base}/requests.{fmt}", data={"service_code": "livelihood"}, timeout=10)
    assert no_key.status_code == 403 and _errors(no_key, fmt) == [(403, "api_key was not provided")]
    bad_key = _post(base, {"intake": "not-a-token"}, fmt, address_string="Binhe Road")
    assert bad_key.status_code == 403 and _errors(bad_key, fmt) == [(403, "api_key refused: the token is not valid")]
    not_intake = _post(base, tokens, fmt, role="town", address_string="Binhe Road")
    assert not_intake.status_code == 403 and _errors(not_intake, fmt) == [
        (403, "this needs the role intake; you are town")
    ]

    for path, status in [
        ("requests/20260101-999999", 404),
        ("services/weather", 404),
        ("requests", 400),  # with status=pending below
        ("nothing-here", 404),
    ]:
        query = "?status=pending" if path == "requests" else ""
        response = requests.get(f"{base}/{path}.{fmt}{query}", timeout=10)
        assert response.status_code == status and _errors(response, fmt)[0][0] == status
    too_long = requests.get(
        f"{base}/requests.{fmt}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", timeout=10
    )
    assert too_long.status_code == 400 and "90 days" in _errors(too_long, fmt)[0][1]
    no_zone = requests.get(f"{base}/requests.{fmt}?start_date=2026-01-01T00:00:00", timeout=10)
    assert _errors(no_zone, fmt) == [(400, "start_date: give the time zone, e.g. 2010-01-01T00:00:00Z")]
    wrong_method = requests.put(f"{base}/requests.{fmt}", timeout=10)
    assert wrong_method.status_code == 405 and wrong_method.headers["Allow"] == "GET, POST"
    assert _errors(wrong_method, fmt)[0][0] == 405


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_parameters_the_spec_does_not_know_are_refused_and_year_edges_too(base, tokens, fmt):
    """jurisdiction_id (any call) and api_key (sent along by clients) are the spec's, accepted and ignored;
    a misspelt filter would otherwise list everything."""
    spec_keys = f"jurisdiction_id=lishi&api_key={tokens['intake']}"
    for path in ("requests", "services"):
        assert requests.get(f"{base}/{path}.{fmt}?{spec_keys}", timeout=10).status_code == 200
        unknown = requests.get(f"{base}/{path}.{fmt}?statuss=open", timeout=10)
        assert unknown.status_code == 400 and _errors(unknown, fmt) == [(400, "statuss: unknown parameter")]
    for field, moment in (("start_date", "0001-01-01T00:00:00Z"), ("end_date", "9999-12-31T23:00:00-05:00")):
        edge = requests.get(f"{base}/requests.{fmt}", params={field: moment}, timeout=10)
        assert edge.status_code == 400
        assert _errors(edge, fmt) == [(400, f"{field}: the year must lie between 2000 and 2099")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_text_with_a_nul_character_is_refused_in_the_spec_format(base, tokens, fmt):
    posted = _post(base, tokens, fmt, address_string="Binhe Road\x00")
    listed = requests.get(f"{base}/requests.{fmt}?service_code=livelihood%00", timeout=10)
    for response, field in ((posted, "address_string"), (listed, "service_code")):
        assert response.status_code == 400
        assert _errors(response, fmt) == [(400, f"{field}: no text may hold the NUL character (U+0000)")]


def test_unknown_formats_answer_in_json_and_the_api_keeps_its_own_errors(base, as_):
    response = requests.get(f"{base}/services.csv", timeout=10)
    assert response.status_code == 404 and _errors(response, "json")[0][0] == 404
    assert requests.get(base, timeout=10).status_code == 404
    assert as_("auditor").get("/api/v1/appeals/999").json["error"]["code"] == "not_found"
    paths = as_("auditor").get("/api/v1/openapi.json").json["paths"]
    open311 = [op for path, ops in paths.items() if path.startswith("/open311") for op in ops.values() if "tags" in op]
    assert open311 and all(op["tags"] == ["open311"] and op["security"] == [] for op in open311)  # no bearer


def test_guessing_api_keys_is_slowed_down_in_the_spec_format(base, tokens):
    for _ in range(10):
        assert _post(base, {"intake": "guess"}, address_string="Binhe Road").status_code == 403
    throttled = _post(base, {"intake": "guess"}, "xml", address_string="Binhe Road")  # the same guess, refused
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert _errors(throttled, "xml")[0][0] == 429
    assert _post(base, tokens, address_string="Binhe Road").status_code == 201  # a good key still passes
