"""Liveness and readiness: /health needs nothing but the process; /ready names whichever check fails."""

import psycopg
import pytest

from app import create_app


def test_health_answers_without_a_token_or_a_database(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/folder/x.db"})
    response = app.test_client().get("/health")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_ready_once_migrated_and_deployed(app, tokens):
    response = app.test_client().get("/ready")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"
    assert {name for name, check in response.json["checks"].items() if check["ok"]} == {
        "database",
        "migrations",
        "processes",
        "calendar",
    }


def test_not_ready_before_the_processes_are_deployed(app):
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert response.json["checks"]["processes"] == {"ok": False, "missing": ["appeal", "escalation"]}


def test_not_ready_before_the_migrations_ran(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"})
    checks = app.test_client().get("/ready").json["checks"]
    assert checks["database"]["ok"] and not checks["migrations"]["ok"] and checks["migrations"]["current"] is None
    assert not checks["processes"]["ok"]


def test_not_ready_when_the_database_is_unreachable(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/folder/x.db"})
    response = app.test_client().get("/ready")
    assert response.status_code == 503 and response.json["status"] == "unavailable"
    assert response.json["checks"]["database"]["ok"] is False


def test_a_connection_the_server_dropped_costs_one_request(as_, runtime):
    """Connections are not pinged before use (a round trip per request): after PostgreSQL drops them,
    one request meets a dead connection and fails cleanly, the worker's pool is discarded, the next
    request reconnects (docs/deployment.md, "When a process dies")."""
    bind = runtime.database
    if bind.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    assert as_("village").get("/api/v1/tasks").status_code == 200  # a pooled connection now exists
    with psycopg.connect(bind.url.set(drivername="postgresql", database="postgres").render_as_string(False)) as admin:
        dropped = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
            (bind.url.database,),
        ).fetchone()[0]
    assert dropped >= 1
    failed = as_("village").get("/api/v1/tasks")
    assert failed.status_code == 500 and failed.json["error"]["code"] == "internal"
    assert as_("village").get("/api/v1/tasks").status_code == 200
