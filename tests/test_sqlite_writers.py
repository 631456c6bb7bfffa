"""On SQLite, writers take turns through a file lock beside the database (appeals/adapters/sqlite_writers.py)."""

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import make_url

from appeals.domain.models import Unit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def turns_file(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL queues writers itself")
    return make_url(database_url).database + ".writers"


def taken(path: str) -> bool:
    """Whether some connection holds the writers' turn (asked from a file of our own, without waiting)."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_a_write_holds_the_turn_until_it_ends_and_a_read_never_takes_it(runtime, turns_file):
    with runtime.uow().reading() as reader:
        reader.session.get(Unit, "X01")
        assert not taken(turns_file)
    with runtime.uow() as writer:
        writer.session.add(Unit(code="X01", name="Turn", level="grid", id=901, id_path="/901/", path="X01/"))
        writer.session.flush()
        assert taken(turns_file)
        writer.commit()
        assert not taken(turns_file)
    with runtime.uow() as writer:  # left without a commit, it rolls back and gives the turn up too
        writer.session.get(Unit, "X01")
        assert taken(turns_file)
    assert not taken(turns_file)


def test_a_second_write_in_the_same_thread_fails_at_once_instead_of_waiting_for_itself(runtime, turns_file):
    with runtime.uow() as first:
        first.session.add(Unit(code="X02", name="First", level="grid", id=902, id_path="/902/", path="X02/"))
        first.session.flush()
        with pytest.raises(RuntimeError, match="already has a write transaction open"):
            with runtime.uow() as second:
                second.session.get(Unit, "X02")
        first.commit()
    with runtime.uow().reading() as reader:
        assert reader.session.get(Unit, "X02").name == "First"


def test_a_writer_that_dies_holding_the_turn_gives_it_up(runtime, turns_file, database_url):
    holder = textwrap.dedent(
        f"""
        import sys, time
        from sqlalchemy import text
        from appeals.adapters.db import connect
        with connect({database_url!r}).connect() as connection:
            connection.begin()
            connection.execute(text("SELECT 1"))
            print("holding", flush=True)
            time.sleep(60)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout.readline().strip() == "holding"
        assert taken(turns_file)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert not taken(turns_file)
    with runtime.uow() as writer:
        writer.session.add(Unit(code="X03", name="After", level="grid", id=903, id_path="/903/", path="X03/"))
        writer.commit()
