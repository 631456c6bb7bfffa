"""Possible duplicates at intake (POST /appeals/similar): open appeals alike the call being typed, by phone,
address, title or map point; only those the caller may read, the reporter masked, the phone never echoed."""

from appeals.services.users import add_user

from .helpers import REPORT, complete, report, to_handling

SIMILAR = "/api/v1/appeals/similar"


def _similar(client, **call) -> list[dict]:
    response = client.post(SIMILAR, json=call)
    assert response.status_code == 200, response.json
    return response.json


def test_each_way_of_being_alike_is_found_and_named(as_):
    alike = report(as_)
    report(as_, title="Noise from a karaoke bar", reporter={"phone": "13900000000"}, location={"address": "Xinhua 3"})
    intake = as_("intake")
    assert [(a["id"], a["reasons"]) for a in _similar(intake, phone="13812345678")] == [(alike["id"], ["phone"])]
    assert [a["reasons"] for a in _similar(intake, address="binhe road 12, by the bus stop")] == [["address"]]
    assert [a["reasons"] for a in _similar(intake, address="Binhe Road")] == [["address"]]  # contains what is typed
    assert [a["reasons"] for a in _similar(intake, title="broken street light")] == [["title"]]
    assert [a["reasons"] for a in _similar(intake, lat=37.521, lon=111.141)] == [["nearby"]]  # about 140 m away
    both = _similar(intake, phone="13812345678", lat=37.52, lon=111.14, title="Street light")
    assert [a["reasons"] for a in both] == [["phone", "title", "nearby"]]


def test_what_is_not_alike_is_not_offered(as_):
    report(as_)
    intake = as_("intake")
    assert _similar(intake, phone="13812345670") == []
    assert _similar(intake, lat=37.53, lon=111.14) == []  # over a kilometre north
    assert _similar(intake, title="Water pipe leaking near Binhe") == []  # one word in common of four is not enough
    assert _similar(intake, address="12") == []  # contained, yet too short to mean a place
    assert _similar(intake) == []  # nothing typed yet


def test_the_phone_is_matched_but_never_echoed_and_the_reporter_is_masked(as_):
    alike = report(as_)
    hidden = report(as_, title="Street light broken again", confidential=True)
    response = as_("station").post(SIMILAR, json={"phone": "13812345678"})
    assert "13812345678" not in response.get_data(as_text=True) and "Zhang San" not in response.get_data(as_text=True)
    reporters = {a["id"]: a["reporter"] for a in response.json}
    assert reporters == {hidden["id"]: None, alike["id"]: {"name": "Z********", "phone": "*******5678"}}


def test_only_open_appeals_the_caller_may_read_are_offered(as_, runtime, app):
    original = report(as_)
    repeat = report(as_)
    to_handling(as_, repeat["id"])  # dispatched to V01 ...
    _, token = add_user(runtime.uow(), name="intake-v02", role="intake", unit="V02")
    elsewhere = app.test_client()
    found = elsewhere.post(SIMILAR, json={"phone": "13812345678"}, headers={"Authorization": f"Bearer {token}"})
    assert found.status_code == 200 and found.json == []  # V02 reads neither
    closing = report(as_)
    complete(as_, "intake", closing["id"], "resolve_on_site", {"resolved": False})
    complete(as_, "intake", closing["id"], "register", {"category": "livelihood", "summary": "again"})
    complete(as_, "station", closing["id"], "collate", {"unit": "V01", "duplicate_of": original["number"]})
    offered = [a["id"] for a in _similar(as_("intake"), phone=REPORT["reporter"]["phone"])]
    assert offered == [repeat["id"], original["id"]]  # the closed duplicate is not offered; newest first


def test_at_most_ten_are_offered(as_):
    for _ in range(12):
        report(as_)
    assert len(_similar(as_("intake"), phone="13812345678")) == 10


def test_only_those_who_take_calls_may_ask_and_bad_input_names_its_field(as_):
    refused = as_("village").post(SIMILAR, json={"phone": "13812345678"})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    half = as_("intake").post(SIMILAR, json={"lat": 37.5})
    assert half.status_code == 422 and half.json["error"]["fields"] == {"lon": "给出 lat 时须同时给出 lon"}
    cases = [
        ({"lat": 91, "lon": 1}, "lat"),
        ({"phone": "call me"}, "phone"),
        ({"title": ""}, "title"),
        ({"nmae": "x"}, "nmae"),
    ]
    for body, field in cases:
        bad = as_("intake").post(SIMILAR, json=body)
        assert bad.status_code == 422 and list(bad.json["error"]["fields"]) == [field], bad.json
