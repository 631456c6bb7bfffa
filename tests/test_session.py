"""Sign-in for people: passwords, the session cookie, its CSRF token, expiry, sign-out, and slowed guessing."""

import pytest

from appeals.services.demo import DEMO_PASSWORD
from appeals.services.sessions import SESSION_HOURS

from .helpers import REPORT, SESSION, sign_in


def test_a_demo_user_signs_in_with_the_demo_password_and_gets_a_strict_http_only_cookie(app, tokens):
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 201, response.json
    assert response.json["user"] == {"name": "intake", "role": "intake", "unit": "V01"}
    cookie = response.headers["Set-Cookie"]
    assert "appealflow_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # plain http on the loopback
    assert client.get(SESSION).json == response.json  # a reloaded page learns who it is and its CSRF token


def test_the_cookie_is_secure_when_the_request_came_over_https(app, tokens):
    response = app.test_client().post(
        SESSION, json={"name": "town", "password": DEMO_PASSWORD}, base_url="https://console.example"
    )
    assert response.status_code == 201 and "Secure" in response.headers["Set-Cookie"]


def test_a_wrong_password_and_an_unknown_name_get_the_same_401_on_the_password_field(app, tokens):
    client = app.test_client()
    wrong, unknown = sign_in(client, password="not the password"), sign_in(client, name="nobody")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["error"] == unknown.json["error"]
    assert wrong.json["error"]["fields"] == {"password": "用户名或密码错误"}
    assert client.get(SESSION).status_code == 401


def actor_of(client, appeal_id, headers=None):
    return client.get(f"/api/v1/appeals/{appeal_id}/history", headers=headers).json[0]["actor"]


def test_a_cookie_write_without_the_csrf_token_is_refused_and_writes_nothing(app, as_):
    client = app.test_client()
    csrf = sign_in(client).json["csrf_token"]
    refused = client.post("/api/v1/appeals", json=REPORT)
    wrong = client.post("/api/v1/appeals", json=REPORT, headers={"X-CSRF-Token": "guessed"})
    assert refused.status_code == wrong.status_code == 403
    assert refused.json["error"]["fields"] == {"X-CSRF-Token": "缺失或不正确"}
    assert client.get("/api/v1/appeals").json == []  # reads need no token
    accepted = client.post("/api/v1/appeals", json=REPORT, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201 and actor_of(client, accepted.json["id"]) == "intake"
    assert [appeal["id"] for appeal in client.get("/api/v1/appeals").json] == [accepted.json["id"]]


def test_a_bearer_token_still_works_and_wins_over_a_cookie(app, tokens, as_):
    client = app.test_client()
    sign_in(client, name="station")
    intake = {"Authorization": f"Bearer {tokens['intake']}"}
    appeal = client.post("/api/v1/appeals", json=REPORT, headers=intake)
    assert appeal.status_code == 201  # no CSRF token needed with a bearer token
    assert actor_of(client, appeal.json["id"], intake) == "intake"


def test_signing_out_needs_the_csrf_token_and_ends_the_session(app, tokens):
    client = app.test_client()
    csrf = sign_in(client).json["csrf_token"]
    assert client.delete(SESSION).status_code == 403
    assert client.get(SESSION).status_code == 200
    out = client.delete(SESSION, headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204 and "appealflow_session=;" in out.headers["Set-Cookie"]
    assert client.get(SESSION).status_code == 401


def test_a_session_ends_after_its_hours(app, tokens, clock):
    client = app.test_client()
    sign_in(client)
    clock.advance(hours=SESSION_HOURS, seconds=-1)
    assert client.get("/api/v1/tasks").status_code == 200
    clock.advance(seconds=1)
    assert client.get("/api/v1/tasks").status_code == 401


@pytest.mark.slow
def test_failed_sign_ins_are_slowed_like_bad_tokens(app, tokens):
    client = app.test_client()
    for _ in range(10):
        assert sign_in(client, password="guess-guess").status_code == 401
    blocked = sign_in(client)  # even the right password, from this address, until the window ends
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    elsewhere = app.test_client().post(
        SESSION, json={"name": "intake", "password": DEMO_PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert elsewhere.status_code == 201


@pytest.mark.slow
def test_users_add_with_a_password_and_set_password_let_a_user_sign_in(app, tokens):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["users", "add", "zhao", "--role", "town", "--unit", "T01", "--password", "s3cret-pw"])
    assert added.exit_code == 0, added.output
    client = app.test_client()
    assert sign_in(client, name="zhao", password="s3cret-pw").status_code == 201
    changed = runner.invoke(args=["users", "set-password", "zhao"], input="new-secret\nnew-secret\n")
    assert changed.exit_code == 0, changed.output
    assert client.get(SESSION).status_code == 401  # a new password ends the sessions opened with the old one
    assert sign_in(client, name="zhao", password="s3cret-pw").status_code == 401
    assert sign_in(client, name="zhao", password="new-secret").status_code == 201


def test_a_password_too_short_or_a_user_unknown_is_refused_by_the_command_line(app, tokens):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "set-password", "town", "--password", "short"])
    assert short.exit_code != 0 and "密码长度须为 8 至 200 个字符" in short.output
    unknown = runner.invoke(args=["users", "set-password", "nobody", "--password", "long-enough"])
    assert unknown.exit_code != 0 and "没有用户“nobody”" in unknown.output
    token_only = runner.invoke(args=["users", "add", "machine", "--role", "auditor"])
    assert token_only.exit_code == 0
    assert sign_in(app.test_client(), name="machine", password="anything at all").status_code == 401
