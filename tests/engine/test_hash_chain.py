"""The state digest is part of the audit format: a digest stored today must still verify tomorrow."""

from engine.hash_chain import state_digest

ROOT, CHILD, SUB = (
    "0b7c5a52-6f0e-4a47-9a54-0d0c4a0b9f01",
    "5d2e9c3a-1b7f-4c8e-8a6d-2f4b1c9e7a02",
    "9a1f3e5c-7d2b-4e6a-b8c0-4d6f8a2c1e03",
)
STRANGER = "ffffffff-0000-4000-8000-000000000000"  # looks like a task id, names none


def state(root=ROOT, child=CHILD, sub=SUB) -> dict:
    """A serialized workflow in SpiffWorkflow's shape: tasks by id, a subprocess named after its task."""
    return {
        "root": root,
        "last_task": child,
        "tasks": {
            root: {"id": root, "parent": None, "children": [child], "last_state_change": 1.5, "data": {}},
            child: {"id": child, "parent": root, "children": [], "last_state_change": 2.5, "data": {"n": 1.5e16}},
        },
        "subprocesses": {
            child: {"tasks": {sub: {"id": sub, "parent": None, "data": {"who": "张三", "ref": STRANGER}}}},
        },
        "data": {"list": [root, "t0", None, True, 3]},
    }


def test_the_digest_is_the_one_stored_before():
    assert state_digest(state()) == "5b5227c68bf65c97372c210bdb13654a7369a2d5ba66bc94c95944b14b4f905d"


def test_the_digest_does_not_depend_on_random_ids_or_clock_stamps():
    renamed = state(
        "11111111-1111-4111-8111-111111111111",
        "22222222-2222-4222-8222-222222222222",
        "33333333-3333-4333-8333-333333333333",
    )
    renamed["tasks"]["11111111-1111-4111-8111-111111111111"]["last_state_change"] = 99.0
    assert state_digest(renamed) == state_digest(state())
