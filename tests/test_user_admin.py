"""Administrators manage users over the API, as the console's 用户管理 does: the list, a new user with a
one-time link to set their first password (one change), revoking a user, and the unit tree to choose from."""

import pytest
from sqlalchemy import func, select

from appeals.domain.models import PasswordLink, User

LINK = "/api/v1/session/password-link"


def test_an_admin_lists_users_by_name_with_nothing_secret(as_):
    listed = as_("admin").get("/api/v1/users").json
    assert [user["name"] for user in listed] == sorted(user["name"] for user in listed)
    village = next(user for user in listed if user["name"] == "village")
    assert village == {
        "name": "village",
        "role": "village",
        "unit": "V01",
        "unit_name": "后洼村",
        "created_at": village["created_at"],
        "revoked_at": None,
        "has_password": True,
    }
    assert next(user for user in listed if user["name"] == "auditor")["unit"] is None


@pytest.mark.parametrize("role", ["leader", "village", "auditor", "designer"])
def test_only_administrators_see_add_or_revoke_users(as_, role):
    client = as_(role)
    for response in (
        client.get("/api/v1/users"),
        client.post("/api/v1/users", json={"name": "village-3", "role": "village", "unit": "V01"}),
        client.post("/api/v1/users/village/revoke"),
    ):
        assert response.status_code == 403, response.json
    listed = {user["name"]: user for user in as_("admin").get("/api/v1/users").json}
    assert "village-3" not in listed and listed["village"]["revoked_at"] is None


def test_a_new_user_comes_with_a_link_to_set_their_password_and_signs_in_with_it(app, as_):
    added = as_("admin").post("/api/v1/users", json={"name": "village-3", "role": "village", "unit": "V01"})
    assert added.status_code == 201, added.json
    user, link = added.json["user"], added.json["link"]
    assert user["name"] == "village-3" and user["unit_name"] == "后洼村" and user["has_password"] is False
    assert link["user"] == "village-3" and link["path"] == f"/set-password/{link['token']}"

    person = app.test_client()
    assert person.post(LINK, json={"token": link["token"], "password": "晨光路灯2026"}).status_code == 201
    assert person.get("/api/v1/session").json["user"]["name"] == "village-3"
    listed = {u["name"]: u for u in as_("admin").get("/api/v1/users").json}
    assert listed["village-3"]["has_password"] is True


@pytest.mark.parametrize(
    "body, field, problem",
    [
        ({"name": "village", "role": "village", "unit": "V01"}, "name", "已被占用"),
        ({"name": "village-3", "role": "village"}, "unit", "村级办理人须填写"),
        ({"name": "village-3", "role": "village", "unit": "V99"}, "unit", "没有这个单位编码"),
        ({"name": "village-3", "role": "mayor", "unit": "V01"}, "role", None),
        ({"name": "", "role": "auditor"}, "name", "须为 1 至 120 个字符"),
    ],
)
def test_a_user_refused_names_the_field_and_writes_neither_user_nor_link(as_, runtime, body, field, problem):
    def counts():
        with runtime.uow() as uow:
            return [uow.session.scalar(select(func.count()).select_from(table)) for table in (User, PasswordLink)]

    before = counts()
    refused = as_("admin").post("/api/v1/users", json=body)
    assert refused.status_code == 422, refused.json
    assert list(refused.json["error"]["fields"]) == [field]
    if problem is not None:
        assert refused.json["error"]["fields"][field] == problem
    assert counts() == before


def test_a_revoked_user_loses_token_session_and_unused_link_at_once(app, as_, tokens):
    added = as_("admin").post("/api/v1/users", json={"name": "village-3", "role": "village", "unit": "V01"}).json
    person = app.test_client()
    assert person.post(LINK, json={"token": added["link"]["token"], "password": "晨光路灯2026"}).status_code == 201
    unused = as_("admin").post("/api/v1/users/village/password-link").json

    revoked = as_("admin").post("/api/v1/users/village-3/revoke")
    assert revoked.status_code == 200 and revoked.json["revoked_at"] is not None
    assert person.get("/api/v1/session").status_code == 401
    assert as_("admin").post("/api/v1/users/village/revoke").status_code == 200
    assert (
        app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {tokens['village']}"}).status_code
        == 401
    )
    assert app.test_client().post(f"{LINK}/check", json={"token": unused["token"]}).status_code == 410
    yourself = as_("admin").post("/api/v1/users/admin/revoke")
    assert yourself.status_code == 422 and yourself.json["error"]["fields"] == {"name": "是您自己"}
    assert as_("admin").get("/api/v1/users").status_code == 200
    unknown = as_("admin").post("/api/v1/users/nobody/revoke")
    assert unknown.status_code == 422 and unknown.json["error"]["fields"] == {"name": "没有这个用户"}


@pytest.mark.parametrize("role", ["admin", "intake", "auditor"])
def test_the_unit_tree_lists_every_unit_after_its_parent(as_, role):
    units = as_(role).get("/api/v1/units").json
    seen = set()
    for unit in units:
        assert unit["parent"] is None or unit["parent"] in seen
        seen.add(unit["code"])
    assert {"code": "V01", "name": "后洼村", "level": "village", "parent": "T01"} in units
