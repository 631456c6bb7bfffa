"""One-time set-password links: an administrator creates one (API or command line), the person sets their
password through it once within LINK_HOURS and is signed in; the token is kept only as its hash."""

from datetime import timedelta

from sqlalchemy import select

from appeals.domain.models import PasswordLink
from appeals.services.demo import DEMO_PASSWORD
from appeals.services.password_links import LINK_HOURS
from appeals.services.users import token_digest

LINK = "/api/v1/session/password-link"
NEW_PASSWORD = "晨光路灯2026"


def create_link(as_, name="village") -> dict:
    response = as_("admin").post(f"/api/v1/users/{name}/password-link")
    assert response.status_code == 201, response.json
    return response.json


def test_an_admin_link_sets_the_password_once_signs_the_person_in_and_ends_their_other_sessions(app, as_, runtime):
    old = app.test_client()
    assert old.post("/api/v1/session", json={"name": "village", "password": DEMO_PASSWORD}).status_code == 201
    link = create_link(as_)
    assert link["user"] == "village" and link["path"] == f"/set-password/{link['token']}"
    with runtime.uow() as uow:
        stored = uow.session.scalars(select(PasswordLink)).one()
        assert stored.token_hash == token_digest(link["token"]) and link["token"] not in stored.token_hash
        assert stored.created_by == "admin" and stored.expires_at - stored.created_at == timedelta(hours=LINK_HOURS)

    client = app.test_client()
    assert client.post(f"{LINK}/check", json={"token": link["token"]}).json["user"] == "village"
    used = client.post(LINK, json={"token": link["token"], "password": NEW_PASSWORD})
    assert used.status_code == 201, used.json
    assert used.json["user"]["name"] == "village" and "appealflow_session=" in used.headers["Set-Cookie"]
    assert client.get("/api/v1/session").json["user"]["name"] == "village"  # signed in by the link
    assert old.get("/api/v1/session").status_code == 401  # the session opened before the change ended

    again = app.test_client().post(LINK, json={"token": link["token"], "password": "another password"})
    assert again.status_code == 410 and again.json["error"]["fields"] == {"token": "链接已使用过"}
    signed_in = app.test_client().post("/api/v1/session", json={"name": "village", "password": NEW_PASSWORD})
    assert signed_in.status_code == 201  # the password from the link, not the refused second one


def test_a_link_expires_after_its_hours_on_the_clock(app, as_, clock):
    link = create_link(as_)
    clock.advance(hours=LINK_HOURS)
    client = app.test_client()
    for response in (
        client.post(f"{LINK}/check", json={"token": link["token"]}),
        client.post(LINK, json={"token": link["token"], "password": NEW_PASSWORD}),
    ):
        assert response.status_code == 410 and response.json["error"]["fields"] == {"token": "链接已过期"}
        assert "过期" in response.json["error"]["message"]
    assert client.post("/api/v1/session", json={"name": "village", "password": NEW_PASSWORD}).status_code == 401


def test_an_unknown_token_is_a_404_and_a_short_password_a_422_on_its_field_with_the_link_still_usable(app, as_):
    client = app.test_client()
    unknown = client.post(LINK, json={"token": "guessed", "password": NEW_PASSWORD})
    assert unknown.status_code == 404 and unknown.json["error"]["fields"] == {"token": "链接无效"}
    link = create_link(as_)
    short = client.post(LINK, json={"token": link["token"], "password": "short"})
    assert short.status_code == 422 and set(short.json["error"]["fields"]) == {"password"}
    assert client.post(LINK, json={"token": link["token"], "password": NEW_PASSWORD}).status_code == 201
    missing = client.post(LINK, json={"password": NEW_PASSWORD})
    assert missing.status_code == 422 and set(missing.json["error"]["fields"]) == {"token"}


def test_only_an_admin_creates_links_and_only_for_a_user_who_exists(as_):
    refused = as_("leader").post("/api/v1/users/village/password-link")
    assert refused.status_code == 403
    unknown = as_("admin").post("/api/v1/users/nobody/password-link")
    assert unknown.status_code == 422 and unknown.json["error"]["fields"] == {"name": "没有这个用户"}


def test_the_command_line_prints_the_link_path_last_and_it_works(app, tokens):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["users", "password-link", "village"])
    assert created.exit_code == 0, created.output
    path = created.output.strip().splitlines()[-1]
    assert path.startswith("/set-password/") and "2026年11月5日 09:00 前有效" in created.output
    used = app.test_client().post(LINK, json={"token": path.rsplit("/", 1)[-1], "password": NEW_PASSWORD})
    assert used.status_code == 201
    refused = runner.invoke(args=["users", "password-link", "nobody"])
    assert refused.exit_code != 0 and "没有用户“nobody”" in refused.output
