"""Lists read what they show in one query per kind of thing, not one per row (no N+1)."""

from sqlalchemy import event

from .helpers import report, to_handling


def _statements(runtime, call) -> tuple[int, object]:
    """How many SQL statements `call` ran, and what it returned."""
    bind, seen = runtime.session_factory.kw["bind"], []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(bind, "before_cursor_execute", count)
    try:
        result = call()
    finally:
        event.remove(bind, "before_cursor_execute", count)
    return len(seen), result


def test_listing_appeals_takes_as_many_statements_for_six_appeals_as_for_two(as_, runtime):
    list_them = lambda: as_("station").get("/api/v1/appeals")  # noqa: E731
    for _ in range(2):
        report(as_)
    list_them()  # warm: the first request of a user may read more (its token)
    few, listed = _statements(runtime, list_them)
    assert len(listed.json) == 2
    for _ in range(3):
        report(as_)
    to_handling(as_, report(as_)["id"], unit="V01")
    many, listed = _statements(runtime, list_them)
    assert len(listed.json) == 6 and many == few
    handled = next(a for a in listed.json if a["stage"] == "handle_village")
    assert [t["step"] for t in handled["tasks"]] == ["handle_village"]
    assert all(a["process"] == {"id": "appeal", "version": 1} for a in listed.json)
