"""The app factory's care for the long-running process it is built in."""

import gc
import sqlite3.dbapi2

import pytest

from app import create_app


def _collected(obj) -> bool:
    """Whether the garbage collector's passes look at `obj` (a frozen object is in none of its generations)."""
    return any(candidate is obj for candidate in gc.get_objects())


def test_an_app_built_to_serve_is_kept_out_of_full_collections(tmp_path):
    """Outside TESTING, what the app is built from is frozen, so a full collection no longer walks it."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    try:
        served = create_app({"DATABASE_URL": url})
        assert gc.is_tracked(served) and not _collected(served)
        tested = create_app({"DATABASE_URL": url, "TESTING": True})
        assert gc.is_tracked(tested) and _collected(tested)
    finally:
        gc.unfreeze()


def test_an_sqlite_without_returning_is_refused_at_once_with_what_is_needed(tmp_path, monkeypatch):
    """The engine's writes use RETURNING (SQLite 3.35 or newer): an older SQLite is named when the app is
    built, not met as a syntax error in the first completion."""
    monkeypatch.setattr(sqlite3.dbapi2, "sqlite_version_info", (3, 31, 1))  # what SQLAlchemy imports
    with pytest.raises(RuntimeError, match=r"SQLite 3\.31\.1 is too old: Appealflow needs SQLite 3\.35\.0 or newer"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "TESTING": True})
