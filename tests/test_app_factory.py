"""The app factory's care for the long-running process it is built in."""

import gc

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
