"""The console's editors deploy a new version as the newest version's package with some files replaced
(POST /processes/{id}/versions), through the same checks as any package."""

import threading
from pathlib import Path

from .helpers import complete, report

ROOT = Path(__file__).resolve().parent.parent
LIVELIHOOD_7 = '<outputEntry id="reply_livelihood_out0"><text>7</text></outputEntry>'


def _edit(as_, files, base_version=1, role="designer", process="appeal"):
    return as_(role).post(
        f"/api/v1/processes/{process}/versions",
        json={"base_version": base_version, "files": files},
        headers={"Accept-Language": "en"},
    )


def _dmn(limit: str) -> str:
    """time_limits.dmn with the livelihood reply limit's cell holding `limit`."""
    cell = f'<outputEntry id="reply_livelihood_out0"><text>{limit}</text></outputEntry>'
    return (ROOT / "processes" / "time_limits.dmn").read_text().replace(LIVELIHOOD_7, cell)


def test_an_edited_time_limit_becomes_a_new_version_that_new_appeals_use(as_):
    deployed = _edit(as_, {"time_limits.dmn": _dmn("10")})
    assert deployed.status_code == 201, deployed.json
    assert {(v["process_id"], v["version"]) for v in deployed.json["versions"]} == {("appeal", 2), ("escalation", 2)}

    designer = as_("designer")
    versions = designer.get("/api/v1/processes/appeal/versions").json
    assert versions[1]["files"] == versions[0]["files"]  # every other file of the package came along
    assert _dmn("10") == designer.get("/api/v1/processes/appeal/versions/2/files/time_limits.dmn").text
    form = "/api/v1/processes/appeal/versions/{}/files/register.schema.json"
    assert designer.get(form.format(2)).data == designer.get(form.format(1)).data

    fresh = report(as_)
    assert fresh["process"] == {"id": "appeal", "version": 2}
    complete(as_, "intake", fresh["id"], "resolve_on_site", {"resolved": False})
    registered = complete(as_, "intake", fresh["id"], "register", {"category": "livelihood", "summary": "x"})
    assert registered["deadline"] == "2026-11-16T15:59:59+00:00"  # Monday 2 November + 10 working days


def test_an_edit_that_changes_nothing_gives_the_same_version_back(as_):
    unchanged = _edit(as_, {"time_limits.dmn": _dmn("7")})
    assert unchanged.status_code == 200, unchanged.json
    assert unchanged.json["created"] is False
    assert [v["version"] for v in unchanged.json["versions"]] == [1, 1]


def test_a_refused_edit_names_file_element_and_line_and_deploys_nothing(as_):
    broken = _edit(as_, {"time_limits.dmn": _dmn("7 +")})
    assert broken.status_code == 422, broken.json
    (problem,) = broken.json["error"]["details"]
    assert (problem["file"], problem["element"]) == ("time_limits.dmn", "reply_livelihood_out0")
    assert problem["line"] > 0 and "7 +" in problem["message"]
    assert as_("designer").get("/api/v1/processes/appeal/versions").json[-1]["version"] == 1


def test_only_the_newest_version_is_edited_and_only_files_its_package_holds(as_):
    assert _edit(as_, {"time_limits.dmn": _dmn("10")}).status_code == 201

    stale = _edit(as_, {"time_limits.dmn": _dmn("5")})
    assert stale.status_code == 409, stale.json
    assert stale.json["error"]["fields"] == {"base_version": "newest is 2"}

    unknown = _edit(as_, {"time_limit.dmn": "<definitions/>"}, base_version=2)
    assert unknown.status_code == 422, unknown.json
    assert unknown.json["error"]["fields"] == {"files": "time_limit.dmn"}

    assert _edit(as_, {"time_limits.dmn": "x"}, base_version=9).status_code == 404
    assert _edit(as_, {"time_limits.dmn": "x"}, process="no_such_process").status_code == 404
    assert _edit(as_, {}, base_version=2).json["error"]["fields"] == {"files": "1 to 100 items"}
    assert as_("designer").get("/api/v1/processes/appeal/versions").json[-1]["version"] == 2


def test_only_designers_edit(as_):
    assert _edit(as_, {"time_limits.dmn": _dmn("10")}, role="admin").status_code == 403
    assert as_("designer").get("/api/v1/processes/appeal/versions").json[-1]["version"] == 1


def test_two_designers_saving_edits_of_one_version_at_once_make_one_version_and_a_409(app, as_, tokens):
    barrier, statuses = threading.Barrier(2), []

    def save(limit):
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/api/v1/processes/appeal/versions",
            json={"base_version": 1, "files": {"time_limits.dmn": _dmn(limit)}},
            headers={"Authorization": f"Bearer {tokens['designer']}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(limit,)) for limit in ("9", "10")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [201, 409]
    assert [v["version"] for v in as_("designer").get("/api/v1/processes/appeal/versions").json] == [1, 2]
