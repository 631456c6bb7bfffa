"""Live workflows (engine/live.py): what is kept, under which key, and what goes first."""

from types import SimpleNamespace

from engine import LiveWorkflows


def _row(instance_id, revision, last_hash="h"):
    return SimpleNamespace(id=instance_id, revision=revision, last_hash=last_hash)


def test_a_kept_workflow_is_taken_once_and_only_at_the_revision_and_hash_it_was_kept_with():
    live, workflow = LiveWorkflows(), object()
    live.keep(_row(1, 5), workflow)
    assert live.take(_row(1, 6)) is None  # another writer moved the instance on
    assert live.take(_row(1, 5, last_hash="other")) is None  # a deleted row's id come back
    assert live.take(_row(1, 5)) is workflow
    assert live.take(_row(1, 5)) is None  # an operation works on its workflow alone


def test_the_least_recently_kept_go_first_past_the_bound():
    live = LiveWorkflows(size=2)
    for instance_id in (1, 2, 3):
        live.keep(_row(instance_id, 1), f"workflow {instance_id}")
    assert [live.take(_row(instance_id, 1)) for instance_id in (1, 2, 3)] == [None, "workflow 2", "workflow 3"]
