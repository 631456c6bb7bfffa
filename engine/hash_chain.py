"""What makes a history trustworthy: canonical hashes chained event to event, a digest of workflow state
that does not depend on random task ids or wall-clock stamps, and the check of a chain.

The same canonical form is written out in tools/verify_bundle.py (standard library only), so an auditor
can check an exported bundle without this code; keep the two in step.
"""

import hashlib
import json
import re

from .messages import MESSAGES
from .texts import Text

GENESIS = "0" * 64
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_fields(event) -> dict:
    """The hashed content of an event: everything but its own hash and row id."""
    return {
        "instance_id": event.instance_id,
        "seq": event.seq,
        "at": event.at.isoformat(),
        "type": event.type,
        "actor": event.actor,
        "step": event.step,
        "data": event.data,
        "change": event.change,
        "state_hash": event.state_hash,
        "prev_hash": event.prev_hash,
    }


def event_hash(event) -> str:
    return hashlib.sha256(canonical(event_fields(event)).encode()).hexdigest()


def first_broken_link(events) -> tuple[int, Text] | None:
    """(seq, why) of the first event whose hash or link does not hold, or None for an intact chain."""
    previous = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return event.seq, MESSAGES.text("event_missing", seq=expected_seq)
        if event.prev_hash != previous:
            return event.seq, MESSAGES.text("event_unlinked")
        if event.hash != event_hash(event):
            return event.seq, MESSAGES.text("event_hash_differs")
        previous = event.hash
    return None


def tail_mismatch(events, last_seq: int, last_hash: str | None) -> tuple[int, Text] | None:
    """(seq, why) when the history does not end where the instance says it does: a last event removed (or
    one added behind its back) leaves the instance's `last_seq` and `last_hash` pointing elsewhere."""
    last = events[-1] if events else None
    ends = last.seq if last is not None else 0
    if ends != last_seq:
        return ends, MESSAGES.text("history_ends_early", ends=ends, last=last_seq)
    if (last.hash if last is not None else None) != last_hash:
        return ends, MESSAGES.text("last_hash_differs", seq=ends)
    return None


def state_digest(state: dict) -> str:
    """A digest of a serialized workflow that two runs of the same history agree on.

    SpiffWorkflow names tasks with random UUIDs and stamps state changes with the wall clock; both are
    replaced (ids by their order of creation, stamps dropped) before hashing.
    """
    names: dict[str, str] = {}

    def collect(workflow):
        for task_id in workflow.get("tasks", {}):
            names.setdefault(task_id, f"t{len(names)}")

    collect(state)
    pending = dict(state.get("subprocesses", {}))
    while pending:  # a subprocess is named after the task that runs it, so take them in that order
        named = [key for key in pending if key in names]
        if not named:
            break
        collect(pending.pop(min(named, key=lambda key: int(names[key][1:]))))

    def normal(value):
        if isinstance(value, str):  # the commonest value, so asked first; the pattern only on a known id
            named = names.get(value)
            return named if named is not None and _UUID.match(value) else value
        if isinstance(value, dict):
            return {names.get(k, k): normal(v) for k, v in value.items() if k != "last_state_change"}
        if isinstance(value, list):
            return [normal(v) for v in value]
        return value

    return hashlib.sha256(canonical(normal(state)).encode()).hexdigest()
