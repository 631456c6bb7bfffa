"""Writing a mapped object's changes by a Core statement instead of a session flush.

A session flush costs several times the UPDATE it sends, and it writes every pending object of the
session in an order of its own. The writers on the hot path (the instance's claim, a caller's own record)
send their own UPDATE of what `of` gives and then mark the object `written`, so that the session has
nothing left to flush for it: not at the next query (autoflush), not at commit.
"""

from sqlalchemy import inspect


def of(obj) -> dict:
    """The attributes of `obj` set to another value since it was read or last written, with their new
    values (one set to the value it had is no change, as in a flush)."""
    state = inspect(obj)
    return {key: state.dict[key] for key, stored in state.committed_state.items() if state.dict[key] != stored}


def written(obj) -> None:
    """Mark `obj` as stored as it now is, with no changes left to flush, as a flush does when done with it.

    SQLAlchemy's public `set_committed_value` records one value but leaves the object flagged as modified,
    so the session still ran a flush (with nothing to write) at commit, which cost as much as the statement
    had saved (measured with callgrind). `InstanceState._commit_all` is the session's own step at the end of
    a flush; tests/engine/test_changes.py checks that the pinned SQLAlchemy still behaves so.
    """
    state = inspect(obj)
    state._commit_all(state.dict, state.session.identity_map)
