"""Two writers of one task at the engine level: exactly one wins, the other gets a conflict, nothing is lost
or doubled. The same races through the API, many times over, are in test_races.py."""

import threading

import pytest

from engine import Conflict

from .helpers import report, task, to_handling


@pytest.mark.tampers  # engine-level completions, without the service's sync: the record is left behind
def test_a_writer_that_read_the_old_revision_loses_when_the_other_commits_first(runtime, as_):
    """The engine-level race: both load the instance before either commits (optimistic concurrency)."""
    appeal = report(as_)
    to_handling(as_, appeal["id"], unit="V01")
    task_id = task(as_, "village", appeal["id"], "handle_village")["id"]
    first_in, loaded, committed, outcome = threading.Event(), threading.Event(), threading.Event(), {}

    def first():
        with runtime.uow() as uow:
            uow.engine.complete(task_id, {"outcome": "resolved", "note": "first"}, actor="a")
            first_in.set()  # its write is flushed, not committed
            loaded.wait(timeout=30)
            uow.commit()
        committed.set()

    def second():
        first_in.wait(timeout=30)
        try:
            with runtime.uow() as uow:
                uow.engine.open_work_item(task_id)  # reads before the first commits (SQLite: waits for its lock)
                loaded.set()
                uow.engine.complete(task_id, {"outcome": "escalate", "note": "second"}, actor="b")
                uow.commit()
            outcome["second"] = "committed"
        except Conflict:
            outcome["second"] = "conflict"

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in.wait(timeout=30)
    loaded.wait(timeout=1)
    loaded.set()  # on SQLite the second reader waits for the first writer: release the first anyway
    for thread in threads:
        thread.join(timeout=60)
    assert committed.is_set()
    assert outcome == {"second": "conflict"}
    instance_id = task(as_, "station", appeal["id"], "feedback")["instance_id"]
    with runtime.uow() as uow:
        view = uow.engine.view(instance_id)
        notes = [event.data.get("note") for event in uow.engine.history(view.id) if event.type == "task_completed"]
    assert view.data["outcome"] == "resolved" and notes[-1] == "first"
