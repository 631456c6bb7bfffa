"""Issue 26, point 7: what a red team sent, each of which answered 500, now gets its 4xx naming the field
or the limit, and writes nothing."""

import io
import json
import time
from pathlib import Path

import pytest

from .helpers import REPORT, report, task, to_handling

MODELS = Path(__file__).resolve().parent / "models"
EN = {"Accept-Language": "en"}
#: How gunicorn and werkzeug's server pass a body sent in chunks: no Content-Length, the input terminated.
CHUNKED = {"Transfer-Encoding": "chunked", "Content-Type": "application/json"}
TERMINATED = {"wsgi.input_terminated": True}


@pytest.fixture
def written(as_):
    """What the API shows of everything written: appeals, their histories, processes and trial tasks."""

    def snapshot():
        auditor, designer = as_("auditor"), as_("designer")
        appeals = auditor.get("/api/v1/appeals").json
        histories = [auditor.get(f"/api/v1/appeals/{a['id']}/history").json for a in appeals]
        return appeals, histories, designer.get("/api/v1/processes").json, designer.get("/api/v1/tasks").json

    return snapshot


def _error(response, status, code="invalid_data"):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.json["error"]["code"] == code and response.json["error"]["message"]
    return response.json["error"]


def _open311_error(response, status) -> list[tuple[int, str]]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return [(problem["code"], problem["description"]) for problem in response.json]


def _chunked(as_, body: bytes):
    return as_("intake").post(
        "/api/v1/appeals", input_stream=io.BytesIO(body), headers=CHUNKED, environ_overrides=TERMINATED
    )


def test_a_chunked_body_nested_100000_levels_deep_is_422_before_any_parser_recurses(as_, written):
    before = written()
    error = _error(_chunked(as_, b"[" * 100_000 + b"]" * 100_000), 422)
    assert error["fields"] == {"body": "嵌套 100000 层"}
    assert written() == before


def test_a_chunked_body_is_held_to_the_size_limit_and_one_within_it_is_read_whole(app, as_, written):
    before = written()
    limit = app.config["MAX_CONTENT_LENGTH"]
    too_big = json.dumps({**REPORT, "description": "x" * limit}).encode()
    assert _error(_chunked(as_, too_big), 413, "too_large")["fields"] == {"body": f"达到或超过 {limit} 字节"}
    assert written() == before
    created = _chunked(as_, json.dumps(REPORT).encode())
    assert created.status_code == 201 and created.json["title"] == REPORT["title"]


def test_an_unpaired_surrogate_in_json_is_422_naming_the_field_and_a_real_pair_is_kept(as_, written):
    """ "\\ud800" is valid JSON, but no character: it cannot be encoded to reach either database."""
    before = written()
    intake = as_("intake")

    def sent(body: dict):
        return intake.post("/api/v1/appeals", data=json.dumps(body), content_type="application/json", headers=EN)

    for body, field in (
        ({**REPORT, "title": "light \ud800 out"}, "title"),
        ({**REPORT, "reporter": {"name": "Zh\udfffang"}}, "reporter.name"),
        ({**REPORT, "\udc00": "key"}, "body"),
    ):
        error = _error(sent(body), 422)
        assert error["fields"] == {field: "an unpaired surrogate"}
        assert error["message"].startswith(f"{field}: the text is not valid Unicode")
    raw = json.dumps({**REPORT, "title": "light out"}).encode().replace(b"out", b"\xed\xa0\x80")
    assert _error(intake.post("/api/v1/appeals", data=raw, content_type="application/json"), 400, "malformed")
    assert written() == before
    emoji = sent({**REPORT, "title": "light out \ud83d\udca1"})  # a surrogate pair: one character, 💡
    assert emoji.status_code == 201 and emoji.json["title"] == "light out 💡"


def test_an_unpaired_surrogate_in_task_data_is_422_and_the_task_stays_open(as_, written):
    appeal = report(as_)
    to_handling(as_, appeal["id"])
    open_task = task(as_, "village", appeal["id"], "handle_village")
    before = written()
    body = json.dumps({"data": {"outcome": "resolved", "note": "fixed \ud800"}})
    response = as_("village").post(
        f"/api/v1/tasks/{open_task['id']}/complete", data=body, content_type="application/json"
    )
    assert _error(response, 422)["fields"] == {"data.note": "含有未配对的代理项（U+D800–U+DFFF）"}
    assert written() == before


def test_url_bytes_that_are_not_utf8_are_422_naming_the_parameter_or_the_path(as_, written):
    """A surrogate's bytes (ED A0 80) %-escaped: werkzeug leaves them escaped in a query, and a server
    such as gunicorn passes a path's bytes on as they came."""
    before = written()
    village, not_utf8 = as_("village"), "不是 UTF-8 编码"
    assert _error(village.get("/api/v1/appeals?unit=%ED%A0%80"), 422)["fields"] == {"unit": not_utf8}
    assert _error(village.get("/api/v1/appeals?%ED%A0%80=V01"), 422)["fields"] == {"\ufffd\ufffd\ufffd": not_utf8}
    raw_path = "/api/v1/processes/\xed\xa0\x80/versions"  # WSGI's PATH_INFO: the bytes as latin-1
    response = as_("designer").get(raw_path, environ_overrides={"PATH_INFO": raw_path})
    assert _error(response, 422)["fields"] == {"path": not_utf8}
    assert village.get("/api/v1/appeals?unit=%E5%90%8E").status_code == 200  # 后: UTF-8, and no such unit
    assert written() == before


def test_open311_pages_beyond_any_offset_and_bytes_not_utf8_are_refused_in_the_spec_format(app, written):
    """A page of 10^20 overflowed the database's OFFSET; the last page keeps its offset within the ids
    /api/v1's `offset` allows."""
    before = written()
    client = app.test_client()
    for query, field in (("page=100000000000000000000", "page"), ("page_size=100000000000000000000", "page_size")):
        [(code, description)] = _open311_error(client.get(f"/open311/v2/requests.json?{query}"), 400)
        assert code == 400 and description.startswith(f"{field}: from 1 to")
    assert client.get("/open311/v2/requests.json?page=2147483").json == []  # the last page: empty
    assert client.get("/open311/v2/requests.json?page=2147484").status_code == 400
    for field, moment in (("start_date", "0001-01-01T00:00:00+14:00"), ("end_date", "9999-12-31T23:59:59-14:00")):
        edge = client.get("/open311/v2/requests.json", query_string={field: moment})
        assert _open311_error(edge, 400) == [(400, f"{field}: the year must lie between 2000 and 2099")]
    not_utf8 = client.get("/open311/v2/requests.json?service_code=%ED%A0%80", headers=EN)
    assert _open311_error(not_utf8, 400) == [
        (
            400,
            "service_code: the text is not valid Unicode (an unpaired surrogate U+D800–U+DFFF, or bytes not in UTF-8)",
        )
    ]
    assert written() == before


@pytest.mark.parametrize(
    "query",
    [
        "since=0001-01-01&until=0001-01-02",
        "since=9999-12-31T00:00:00-14:00&until=9999-12-31T23:00:00-14:00",
        "since=0001-01-01T00:00:00%2B14:00&until=9999-12-31",
    ],
)
def test_bulletins_at_the_years_edges_are_422_naming_both_ends(as_, query):
    error = _error(as_("leader").get(f"/api/v1/bulletins/late-units?{query}"), 422)
    problem = "年份须在 2000 至 2099 年之间"
    assert error["fields"] == {"since": problem, "until": problem}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2100-01-01"])
def test_a_claim_or_an_extension_to_a_day_at_the_years_edges_is_422(as_, written, day):
    """An extension to 9999-12-31 was stored, and its approval would have set a limit no one could reach."""
    appeal = report(as_)
    to_handling(as_, appeal["id"])
    open_task = task(as_, "village", appeal["id"], "handle_village")
    before = written()
    claimed = as_("leader").post(f"/api/v1/appeals/{appeal['id']}/claim", json={"until": day})
    extended = as_("village").post(
        f"/api/v1/tasks/{open_task['id']}/extensions", json={"until": day, "reason": "parts on order"}
    )
    for response in (claimed, extended):
        assert _error(response, 422)["fields"] == {"until": "年份须在 2000 至 2099 年之间"}
    assert written() == before
    assert as_("leader").get("/api/v1/extensions").json == []


def _trial_package(**replace) -> dict[str, bytes]:
    """tests/models/refusals/trial_form.bpmn, with texts in it replaced (an id, a name, a lane)."""
    bpmn = (MODELS / "refusals" / "trial_form.bpmn").read_text()
    for old, new in replace.items():
        bpmn = bpmn.replace(old, new)
    form = {"type": "object", "properties": {"code": {"type": "string"}}}
    return {"trial_form.bpmn": bpmn.encode(), "code.json": json.dumps(form).encode()}


def _deploy(as_, files: dict[str, bytes]):
    uploads = [(io.BytesIO(content), name) for name, content in files.items()]
    return as_("designer").post(
        "/api/v1/processes", data={"files": uploads}, content_type="multipart/form-data", headers=EN
    )


@pytest.mark.parametrize(
    "old, new, element, problem",
    [
        ('"trial_form"', f'"{"p" * 65}"', "p" * 60 + "…", "this element's id is longer than 64 characters"),
        ('"enter_code"', f'"{"t" * 65}"', "t" * 60 + "…", "this element's id is longer than 64 characters"),
        ('"Enter the code"', f'"{"n" * 256}"', "enter_code", "this element's name is longer than 255 characters"),
        ('"reviewer"', f'"{"r" * 65}"', "lane_reviewer", "this element's name is longer than 64 characters"),
    ],
)
def test_an_id_name_or_lane_longer_than_its_column_is_refused_at_deploy_naming_it(
    as_, written, old, new, element, problem
):
    before = written()
    refused = _deploy(as_, _trial_package(**{old: new}))
    error = _error(refused, 422, "invalid_package")
    found = [d for d in error["details"] if d["message"] == problem]
    assert [(d["file"], d["element"]) for d in found] == [("trial_form.bpmn", element)] and found[0]["line"] > 0
    assert written() == before


def test_ids_names_and_lanes_at_their_limits_deploy_and_run(as_):
    """The limits are the columns': at them, a trial instance's work item is written (on PostgreSQL too,
    which holds a column to its length)."""
    process, step, lane, name = "p" * 64, "t" * 64, "r" * 64, "名" * 255
    files = _trial_package(**{'"trial_form"': f'"{process}"', "enter_code": step, '"reviewer"': f'"{lane}"'})
    files["trial_form.bpmn"] = files["trial_form.bpmn"].replace(b"Enter the code", name.encode())
    assert _deploy(as_, files).status_code == 201
    started = as_("designer").post(f"/api/v1/processes/{process}/instances", json={"data": {}})
    assert started.status_code == 201, started.json
    [work] = started.json["tasks"]
    assert (work["step"], work["lane"], work["name"]) == (step, lane, name)


def test_a_file_name_longer_than_its_column_is_refused_naming_the_limit(as_, written):
    before = written()
    files = _trial_package()
    files["c" * 251 + ".json"] = files.pop("code.json")
    error = _error(_deploy(as_, files), 422, "invalid_package")
    assert error["fields"] == {"files": "a name longer than 255 characters"}
    assert error["message"] == f"file name '{'c' * 60}…' is longer than 255 characters"
    assert written() == before


@pytest.mark.parametrize("instance_id", [2**70, 2**63, 2**31, 0, -1])
def test_a_migration_naming_ids_no_column_holds_is_422(as_, written, instance_id):
    assert _deploy(as_, _trial_package()).status_code == 201
    before = written()
    response = as_("designer").post(
        "/api/v1/processes/trial_form/versions/1/migration", json={"instances": [1, instance_id]}
    )
    error = _error(response, 422)
    assert error["fields"] == {"instances.1": "须在 1 至 2147483647 之间"}
    assert written() == before


def _open311_post(client, tokens, **fields):
    form = {"api_key": tokens["intake"], "service_code": "livelihood", "description": "The drain is blocked."}
    return client.post("/open311/v2/requests.json", data={**form, "address_string": "Binhe Road", **fields})


def test_an_open311_reporter_name_longer_than_the_record_holds_is_refused_naming_the_part(app, tokens, as_, written):
    """first_name and last_name are joined into the reporter's name (100 characters): 50 and 50 made 101."""
    before = written()
    client = app.test_client()
    for part in ("first_name", "last_name"):
        refused = _open311_post(client, tokens, **{part: "x" * 50})
        assert _open311_error(refused, 400) == [(400, f"{part}: at most 49 characters")]
    assert written() == before
    longest = _open311_post(client, tokens, first_name="名" * 49, last_name="姓" * 49, email="e" * 300 + "@x.org")
    assert longest.status_code == 201, longest.json
    [appeal] = as_("auditor").get("/api/v1/appeals").json
    assert as_("intake").get(f"/api/v1/appeals/{appeal['id']}").json["reporter"]["name"] == "名" * 49 + " " + "姓" * 49


def _keys(count: int) -> dict:
    return {f"k{i}": i for i in range(count)}


def test_trial_data_is_held_to_its_keys_and_bytes_wherever_a_process_takes_it(as_, written):
    """Every operation serializes and hashes an instance's whole state: 200,000 keys took 20 s to start."""
    assert _deploy(as_, _trial_package()).status_code == 201
    designer = as_("designer")
    before = written()
    start = "/api/v1/processes/trial_form/instances"
    too_many = designer.post(start, json={"data": _keys(200_000)})
    assert _error(too_many, 422)["fields"] == {"data": "最多 1000 个键（含嵌套的键），收到 200000 个"}
    nested = {"rows": [{"a": 1, "b": 2}] * 333, "x": 1}  # 1 + 666 + 1 keys: 668
    assert designer.post(start, json={"data": {**nested, **_keys(333)}}).json["error"]["fields"] == {
        "data": "最多 1000 个键（含嵌套的键），收到 1001 个"
    }
    too_big = designer.post(start, json={"data": {"text": "字" * 90_000}})
    assert _error(too_big, 422)["fields"] == {"data": "JSON 最多 262144 字节，收到 270012 字节"}
    assert written() == before

    began = time.perf_counter()
    started = designer.post(start, json={"data": _keys(1000)})
    assert started.status_code == 201 and time.perf_counter() - began < 5
    [work] = started.json["tasks"]
    completed = designer.post(f"/api/v1/tasks/{work['id']}/complete", json={"data": _keys(1001)})
    assert _error(completed, 422)["fields"] == {"data": "最多 1000 个键（含嵌套的键），收到 1001 个"}
    message = designer.post(f"/api/v1/instances/{started.json['id']}/messages/any", json={"payload": _keys(1001)})
    assert _error(message, 422)["fields"] == {"payload": "最多 1000 个键（含嵌套的键），收到 1001 个"}


def test_the_bounds_on_process_data_are_configured(app, as_):
    app.config.update(PROCESS_DATA_MAX_KEYS=3, PROCESS_DATA_MAX_BYTES=40)
    assert _deploy(as_, _trial_package()).status_code == 201
    start = "/api/v1/processes/trial_form/instances"
    assert as_("designer").post(start, json={"data": _keys(3)}).status_code == 201
    assert _error(as_("designer").post(start, json={"data": _keys(4)}), 422)["fields"]["data"].startswith("最多 3 个键")
    assert _error(as_("designer").post(start, json={"data": {"a": "x" * 40}}), 422)["fields"] == {
        "data": "JSON 最多 40 字节，收到 49 字节"
    }


def test_open311_urls_come_from_the_configured_public_url_never_the_host_header(app):
    app.config["PUBLIC_URL"] = "https://appeals.lishi.example/"
    client = app.test_client()
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    url = "https://appeals.lishi.example/open311/v2"
    assert client.get("/open311/v2/discovery.json", headers=forged).json["endpoints"][0]["url"] == url
    as_xml = client.get("/open311/v2/discovery.xml", headers=forged).get_data(as_text=True)
    assert f"<url>{url}</url>" in as_xml and "evil" not in as_xml


def test_a_candidate_group_longer_than_its_column_is_a_process_error_not_a_database_one(as_, written):
    """The group is reckoned from the process's data at run time, so only the run can refuse it."""
    form_property = '<spiffworkflow:property name="formJsonSchemaFilename" value="code.json" />'
    group_property = '<spiffworkflow:property name="candidateGroups" value="unit" />'
    assert _deploy(as_, _trial_package(**{form_property: form_property + group_property})).status_code == 201
    before = written()
    start = "/api/v1/processes/trial_form/instances"
    refused = as_("designer").post(start, json={"data": {"unit": "u" * 256}}, headers=EN)
    assert _error(refused, 422, "process_error")["message"].endswith(
        "candidateGroups gave a group of 256 characters, more than 255."
    )
    assert written() == before
    started = as_("designer").post(start, json={"data": {"unit": "u" * 255}})
    assert started.status_code == 201 and started.json["tasks"][0]["step"] == "enter_code"
