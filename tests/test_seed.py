"""The demo city a test starts from is the one the services load, copied (tests/seed.py): the same rows but
for the tokens' hashes, tokens that work, and a city loaded anew when the test's clock reads another time."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from appeals.domain.models import User
from engine import FixedClock

from .conftest import START
from .helpers import RoleClient, load_city
from .seed import Snapshot, empty

#: Per table, the columns that differ between two loads.
VARYING = {
    "package": {"id"},
    "package_file": {"package_id"},
    "process_version": {"id", "package_id"},
    "app_user": {"id", "token_hash"},
}


def _rows(snapshot: Snapshot) -> dict[str, list[dict]]:
    """The snapshot's rows by table, without what differs between two loads: the users' tokens, and the
    numbers the database gave rows (PostgreSQL's sequences go on counting after a TRUNCATE)."""
    kept = {}
    for table, rows in snapshot.rows:
        varying = VARYING.get(table.name, set())
        kept[table.name] = [{key: value for key, value in row.items() if key not in varying} for row in rows]
    return kept


def test_the_copied_city_is_the_city_the_services_load(runtime, tokens, clean_database, clock):
    copied = Snapshot.take(clean_database, clock.now())
    empty(clean_database)
    loaded_tokens = load_city(runtime)
    loaded = Snapshot.take(clean_database, clock.now())
    assert _rows(copied) == _rows(loaded)
    assert {table.name for table, _ in loaded.rows} >= {"package", "process_version", "unit", "app_user"}
    assert sorted(tokens) == sorted(loaded_tokens)


def test_the_copied_tokens_are_the_users_tokens(app, as_, tokens):
    assert RoleClient(app.test_client(), "not-a-token").get("/api/v1/tasks").status_code == 401
    for role in tokens:
        assert as_(role).get("/api/v1/tasks").status_code != 401, role


class TestAnotherTime:
    """A clock past a year after START: a city copied from START would have expired tokens."""

    @pytest.fixture
    def clock(self):
        return FixedClock(START + timedelta(days=400))

    def test_the_city_is_loaded_at_the_tests_time_and_its_tokens_work(self, as_, runtime, clock):
        with runtime.uow() as uow:
            created = set(uow.session.scalars(select(User.created_at)))
        assert created == {clock.now()}
        assert as_("intake").get("/api/v1/tasks").status_code == 200
