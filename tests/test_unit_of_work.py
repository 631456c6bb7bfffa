"""One request is one unit of work: what it read before an operation shows what the operation wrote."""

from .helpers import report, task


def test_a_work_item_read_before_its_completion_shows_it_closed_afterwards(as_, runtime):
    appeal = report(as_)
    open_task = task(as_, "intake", appeal["id"], "resolve_on_site")
    with runtime.uow() as uow:
        item = uow.engine.open_work_item(open_task["id"])
        assert item.closed_at is None
        view = uow.engine.complete(open_task["id"], {"resolved": False}, actor="intake")
        assert (item.outcome, item.closed_by) == ("completed", "intake") and item.closed_at is not None
        assert [t.step for t in view.tasks] == ["register"]
        # not committed: the appeal stays where it was
    assert task(as_, "intake", appeal["id"], "resolve_on_site")["id"] == open_task["id"]
