"""Lists read what they show in one query per kind of thing, not one per row (no N+1)."""

from .helpers import report, statements, to_handling


def test_listing_appeals_takes_as_many_statements_for_six_appeals_as_for_two(as_, runtime):
    list_them = lambda: as_("station").get("/api/v1/appeals")  # noqa: E731
    for _ in range(2):
        report(as_)
    list_them()  # warm: the first request of a user may read more (its token)
    few, listed = statements(runtime, list_them)
    assert len(listed.json) == 2
    for _ in range(3):
        report(as_)
    to_handling(as_, report(as_)["id"], unit="V01")
    many, listed = statements(runtime, list_them)
    assert len(listed.json) == 6 and len(many) == len(few)
    handled = next(a for a in listed.json if a["stage"] == "handle_village")
    assert [t["step"] for t in handled["tasks"]] == ["handle_village"]
    assert all(a["process"] == {"id": "appeal", "version": 1} for a in listed.json)
