"""Nothing personal, nothing secret in the logs (issue 26): a whole scenario over real HTTP with every logger at
DEBUG, then every line written is searched for the reporters' names and phones, the tokens, the passwords and
the api keys; and gunicorn's access log, written by a real gunicorn, searched the same way."""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select, text

from appeals.adapters.log_privacy import redacted
from appeals.services.demo import DEMO_PASSWORD
from appeals.services.timers import fire_due
from engine import HistoryEvent

from .helpers import free_port, served

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
NAME, PHONE = "乔伟依", "13699887766"
OPEN311 = {
    "first_name": "Mingyue",
    "last_name": "Shangguan",
    "phone": "15800001111",
    "email": "mingyue@example.org",
    "address_string": "滨河路12号",
}
#: A reporter the database refuses (see `database_refuses`): the error it raises carries their row.
REFUSED_NAME, REFUSED_PHONE = "Ximen Refused", "13711112222"
WRONG_PASSWORD, NEW_PASSWORD = "wrong-horse-battery-staple", "new-secret-pass-42"
WRONG_TOKEN = "guessed-token-Zq81vXk3"
#: What a LogRecord has of its own; anything else on it came as `extra` and a structured formatter writes it.
OWN_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


@pytest.fixture
def database_refuses(clean_database):
    """The database refuses any appeal reported with REFUSED_PHONE, as a database refuses a row it cannot
    store: PostgreSQL by a CHECK constraint (its error shows the failing row), SQLite by a trigger. Made
    before the test raises the log levels, so that this statement is not among the lines searched."""
    database = create_engine(clean_database)
    postgres = database.dialect.name == "postgresql"
    add = (
        f"ALTER TABLE appeal ADD CONSTRAINT test_refused CHECK (reporter_phone IS DISTINCT FROM '{REFUSED_PHONE}')"
        if postgres
        else f"CREATE TRIGGER test_refused BEFORE INSERT ON appeal WHEN NEW.reporter_phone = '{REFUSED_PHONE}' "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with database.begin() as connection:
        connection.execute(text(add))
    yield
    with database.begin() as connection:
        connection.execute(
            text("ALTER TABLE appeal DROP CONSTRAINT test_refused" if postgres else "DROP TRIGGER test_refused")
        )
    database.dispose()


@pytest.fixture
def server(app, tokens, monkeypatch):
    """The app on a loopback port, served by werkzeug's server (as `python app.py --dev` serves it): its root URL."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with served(app) as root:
        yield root


def _forms(value: str) -> set[str]:
    """The value as written plainly and as an escaped string would write it (a JSON dump, a repr)."""
    return {value, value.encode("unicode_escape").decode()}


def _lines(records) -> list[str]:
    """Each record as a handler writes it, with its traceback and any attributes it came with as `extra`."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [
        formatter.format(record) + "".join(f" {k}={v!r}" for k, v in vars(record).items() if k not in OWN_ATTRIBUTES)
        for record in records
    ]


def _leaks(lines: list[str], secrets: dict) -> dict:
    return {
        what: [line for line in lines if any(form in line for form in _forms(value))] for what, value in secrets.items()
    }


def _scenario(base: str, tokens: dict) -> dict:
    """Intake, Open311 with the api_key in the query, sign-in, dispatch, completion, hostile requests and a
    password link: what was secret or personal in them, by what it is."""
    api, bearer = f"{base}/api/v1", {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}
    reporter = {"name": NAME, "phone": PHONE}
    appeal = requests.post(
        f"{api}/appeals",
        headers=bearer["intake"],
        json={"title": "路灯坏了", "description": "公交站的路灯一周没亮。", "channel": "hotline", "reporter": reporter},
        timeout=10,
    )
    assert appeal.status_code == 201, appeal.text
    appeal_id = appeal.json()["id"]

    filed = requests.post(
        f"{base}/open311/v2/requests.json?api_key={tokens['intake']}",
        data={"service_code": "livelihood", "description": "The drain is blocked.", **OPEN311},
        timeout=10,
    )
    assert filed.status_code == 201, filed.text
    listed = requests.get(f"{base}/open311/v2/requests.json?api_key={tokens['station']}&status=open", timeout=10)
    assert listed.status_code == 200

    wrong = requests.post(f"{api}/session", json={"name": "intake", "password": WRONG_PASSWORD}, timeout=10)
    assert wrong.status_code == 401
    signed_in = requests.post(f"{api}/session", json={"name": "intake", "password": DEMO_PASSWORD}, timeout=10)
    assert signed_in.status_code == 201, signed_in.text
    cookie = signed_in.headers["Set-Cookie"].split(";")[0]  # requests' jar keeps no cookie of a bare IP address
    assert requests.get(f"{api}/session", headers={"Cookie": cookie}, timeout=10).status_code == 200
    guessed = {"Authorization": f"Bearer {WRONG_TOKEN}"}
    assert requests.get(f"{api}/tasks", headers=guessed, timeout=10).status_code == 401
    guessed = requests.post(f"{base}/open311/v2/requests.json?api_key={WRONG_TOKEN}", data=OPEN311, timeout=10)
    assert guessed.status_code == 403

    for role, step, data in (
        ("intake", "resolve_on_site", {"resolved": False}),
        ("intake", "register", {"category": "livelihood", "summary": "路灯不亮"}),
        ("station", "collate", {"unit": "V01"}),
        ("village", "handle_village", {"outcome": "resolved", "note": "灯已换"}),
    ):
        (task,) = requests.get(f"{api}/tasks?appeal={appeal_id}", headers=bearer[role], timeout=10).json()
        assert task["step"] == step
        done = requests.post(
            f"{api}/tasks/{task['id']}/complete", headers=bearer[role], json={"data": data}, timeout=10
        )
        assert done.status_code == 200, done.text

    # hostile: an over-long Open311 name (whatever it is answered), a token in the wrong place, and reports
    # the database itself refuses, through the API and through Open311: unexpected errors, answered 500
    long_name = {
        **OPEN311,
        "first_name": (OPEN311["first_name"] * 8)[:50],
        "last_name": (OPEN311["last_name"] * 6)[:50],
    }
    requests.post(
        f"{base}/open311/v2/requests.json?api_key={tokens['intake']}&token={tokens['admin']}",
        data={"service_code": "livelihood", "description": "Again the drain.", **long_name},
        timeout=10,
    )
    answer = requests.post(
        f"{api}/appeals",
        headers=bearer["intake"],
        json={
            "title": "噪音",
            "description": "夜里施工。",
            "channel": "hotline",
            "reporter": {"name": REFUSED_NAME, "phone": REFUSED_PHONE},
        },
        timeout=10,
    )
    assert answer.status_code == 500, answer.text
    answer = requests.post(
        f"{base}/open311/v2/requests.json?access_token={tokens['intake']}&api_key={tokens['intake']}",
        data={
            "service_code": "livelihood",
            "description": "Noise.",
            **OPEN311,
            "first_name": REFUSED_NAME,
            "phone": REFUSED_PHONE,
        },
        timeout=10,
    )
    assert answer.status_code == 500, answer.text

    link = requests.post(f"{api}/users/village/password-link", headers=bearer["admin"], timeout=10).json()
    page = requests.get(f"{base}{link['path']}", headers={"Referer": f"{base}/?api_key={tokens['town']}"}, timeout=10)
    assert page.status_code in (200, 503)  # 503 where the console is not built
    checked = requests.post(f"{api}/session/password-link/check", json={"token": link["token"]}, timeout=10)
    assert checked.status_code == 200, checked.text
    used = requests.post(
        f"{api}/session/password-link", json={"token": link["token"], "password": NEW_PASSWORD}, timeout=10
    )
    assert used.status_code == 201, used.text
    return {
        "reporter's name": NAME,
        "reporter's phone": PHONE,
        "refused reporter's name": REFUSED_NAME,
        "refused reporter's phone": REFUSED_PHONE,
        "Open311 reporter's name": OPEN311["last_name"],
        "Open311 reporter's phone": OPEN311["phone"],
        "Open311 reporter's email": OPEN311["email"],
        **{f"{role}'s token": tokens[role] for role in ("intake", "station", "admin", "town")},
        "wrong password": WRONG_PASSWORD,
        "wrong token": WRONG_TOKEN,
        "demo password": DEMO_PASSWORD,
        "password set through the link": NEW_PASSWORD,
        "password link's token": link["token"],
        "session cookie": cookie.split("=", 1)[1],
        "CSRF token": signed_in.json()["csrf_token"],
    }


def test_a_whole_scenario_logged_at_debug_leaves_no_personal_data_and_no_secret_in_any_line(
    server, tokens, database_refuses, caplog
):
    for name in ("", "werkzeug", "sqlalchemy", *logging.root.manager.loggerDict):  # SQLAlchemy's says WARNING
        caplog.set_level(logging.DEBUG, logger=name)
    secrets = _scenario(server, tokens)
    lines = _lines(caplog.records)

    access = [line for line in lines if line.startswith("werkzeug ")]
    assert len(access) >= 20, "the scenario's requests were not logged"
    assert any(line.startswith("sqlalchemy.engine") and "INSERT INTO appeal" in line for line in lines)
    # the two refused reports; and, until a name longer than its column is refused with a 400, the long name
    assert sum("database error" in line or "open311 request failed" in line for line in lines) >= 2
    assert _leaks(lines, secrets) == {what: [] for what in secrets}
    assert any("POST /open311/v2/requests.json?api_key=[redacted] HTTP/1.1" in line for line in access)
    assert any("/set-password/[redacted] HTTP/1.1" in line for line in access)


@pytest.mark.slow
def test_gunicorns_access_and_error_logs_hold_no_token(clean_database, tokens, as_, tmp_path):
    """gunicorn as docs/deployment.md runs it, with its access log on: the request line and the referer."""
    port, access, errors = free_port(), tmp_path / "access.log", tmp_path / "error.log"
    environment = {
        **os.environ,
        "DATABASE_URL": clean_database,
        "TRANSPARENCY_KEY": str(tmp_path / "log.key"),
        "TRANSPARENCY_HEADS": str(tmp_path / "heads.jsonl"),
        "ATTACHMENT_DIR": str(tmp_path / "files"),
        "NO_PROXY": "127.0.0.1",
    }
    command = [GUNICORN, "-w", "1", "-b", f"127.0.0.1:{port}", "--access-logfile", str(access)]
    command += ["--error-logfile", str(errors), "--log-level", "debug", "app:create_app()"]
    gunicorn = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base}/health", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        link = as_("admin").post("/api/v1/users/village/password-link").json
        filed = requests.post(
            f"{base}/open311/v2/requests.json?api_key={tokens['intake']}",
            data={"service_code": "livelihood", "description": "The drain is blocked.", **OPEN311},
            timeout=10,
        )
        assert filed.status_code == 201, filed.text
        page = requests.get(
            f"{base}{link['path']}?token={tokens['town']}", headers={"Referer": f"{base}{link['path']}"}, timeout=10
        )
        assert page.status_code in (200, 503)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
    lines = access.read_text().splitlines() + errors.read_text().splitlines()
    secrets = {"intake's token": tokens["intake"], "town's token": tokens["town"], "link's token": link["token"]}
    assert _leaks(lines, secrets) == {what: [] for what in secrets}
    assert any('"POST /open311/v2/requests.json?api_key=[redacted] HTTP/1.1" 201' in line for line in lines), lines
    assert any('"GET /set-password/[redacted]?token=[redacted] HTTP/1.1"' in line for line in lines), lines
    assert page.headers["Referrer-Policy"] == "no-referrer"  # the page's own requests do not carry the link on


def test_credentials_in_query_strings_and_password_links_are_redacted_and_the_rest_kept():
    line = (
        '1.2.3.4 - - "GET /open311/v2/requests.json?jurisdiction_id=lishi&api%5Fkey=S1&Token=S2&page=2 HTTP/1.1" 200 '
        '"https://x/set-password/S3?access_token=S4#top" "/set-password/S5"'
    )
    assert redacted(line) == (
        '1.2.3.4 - - "GET /open311/v2/requests.json?jurisdiction_id=lishi&api%5Fkey=[redacted]&Token=[redacted]&page=2 '
        'HTTP/1.1" 200 "https://x/set-password/[redacted]?access_token=[redacted]#top" "/set-password/[redacted]"'
    )
    assert redacted("GET /api/v1/tasks?appeal=7&step=register") == "GET /api/v1/tasks?appeal=7&step=register"


def test_a_timer_whose_script_fails_on_a_phone_logs_the_error_by_its_kind_and_the_history_keeps_its_words(
    runtime, clock, caplog
):
    model = (ROOT / "tests" / "models" / "timer_then_script.bpmn").read_text()
    failing = model.replace("ratio = 1 / divisor", "ratio = int(divisor)")  # the divisor a phone with a typo
    with runtime.uow() as uow:
        uow.engine.deploy({"timer_then_script.bpmn": failing.encode()}, actor="t")
        view = uow.engine.start("timer_then_script", {"divisor": f"{PHONE}x"}, actor="t")
        uow.commit()
    clock.advance(hours=1)
    caplog.set_level(logging.DEBUG)

    assert fire_due(runtime) == 0
    (warning,) = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert warning.getMessage() == f"timers of instance {view.id} not fired: engine.errors.ProcessError (process_error)"
    assert _leaks(_lines(caplog.records), {"phone": PHONE}) == {"phone": []}
    with runtime.uow() as uow:
        recorded = uow.session.scalars(
            select(HistoryEvent.data).where(HistoryEvent.instance_id == view.id, HistoryEvent.type == "process_error")
        ).one()
    assert PHONE in recorded["message"]
