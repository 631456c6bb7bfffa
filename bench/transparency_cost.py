"""What the transparency log costs per event (issue 26).

    python bench/transparency_cost.py [--databases sqlite,postgresql] [--events 20000] [--batch 20]

Events are written as the engine writes them (one INSERT of `--batch` events per transaction, the size of
a busy operation's write), onto a log that already holds `--events` of them, and measured four ways:
- writing: the queueing trigger's share of writing an event (the same inserts with the trigger disabled);
- sealing: appending the queued events to the tree (leaf, node rows, queue emptied), per event;
- proofs: an inclusion proof and a consistency proof at that size (medians), and publishing a signed
  head (sealing nothing, proving it extends the last, signing, appending to the file with fsync);
- checking: rebuilding the whole log from the history (`transparency check`), per event.
Results go to bench/results/transparency_cost.json.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from appeals.services import appeals  # noqa: E402
from appeals.services.tree_heads import Transparency  # noqa: E402
from bench.common import START, city, fresh_database, write_result  # noqa: E402
from engine import FixedClock, HistoryEvent, hash_chain  # noqa: E402
from engine import transparency_log as log  # noqa: E402

REPORT = {"title": "Street light out", "description": "Dark at the bus stop.", "channel": "hotline"}
TRIGGER = {"sqlite": "history_event_to_seal", "postgresql": "history_event_to_seal"}


def _events(instance_id: int, first_seq: int, count: int) -> list[dict]:
    """`count` events of one instance as the engine writes them (hashed, chained)."""
    rows, previous = [], hash_chain.GENESIS
    for seq in range(first_seq, first_seq + count):
        event = HistoryEvent(
            instance_id=instance_id, seq=seq, at=START, type="note", actor="bench", step=None,
            data={"text": f"event {seq}"}, change=None, state_hash=None, prev_hash=previous,
        )  # fmt: skip
        event.hash = previous = hash_chain.event_hash(event)
        rows.append({c.key: getattr(event, c.key) for c in HistoryEvent.__table__.columns if c.key != "id"})
    return rows


def _write(runtime, rows, batch: int) -> float:
    """Seconds to write `rows`, `batch` a transaction."""
    started = time.perf_counter()
    for at in range(0, len(rows), batch):
        with runtime.uow() as uow:
            uow.session.execute(insert(HistoryEvent), rows[at : at + batch])
            uow.commit()
    return time.perf_counter() - started


def _without_trigger(runtime, kind: str, rows, batch: int) -> float:
    """The same writes with the queueing trigger away (dropped and made again on SQLite, which cannot
    disable one), their events queued by hand afterwards so that the log stays whole."""
    with runtime.database.begin() as connection:
        if kind == "postgresql":
            connection.execute(text(f"ALTER TABLE history_event DISABLE TRIGGER {TRIGGER[kind]}"))
        else:
            definition = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": TRIGGER[kind]})
            connection.execute(text(f"DROP TRIGGER {TRIGGER[kind]}"))
    seconds = _write(runtime, rows, batch)
    with runtime.database.begin() as connection:
        if kind == "postgresql":
            connection.execute(text(f"ALTER TABLE history_event ENABLE TRIGGER {TRIGGER[kind]}"))
        else:
            connection.execute(text(definition))
        connection.execute(
            text(
                "INSERT INTO transparency_pending (event_id) SELECT id FROM history_event WHERE id NOT IN "
                "(SELECT event_id FROM transparency_leaf) AND id NOT IN (SELECT event_id FROM transparency_pending)"
            )
        )
    return seconds


def _timed(call, *args):
    started = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - started, result


def _typical(call, *args, times: int = 21) -> float:
    """The median seconds of `times` calls (the first pays for compiling the statement)."""
    return sorted(_timed(call, *args)[0] for _ in range(times))[times // 2]


def _seal(runtime) -> int:
    with runtime.uow() as uow:
        size = log.seal(uow.session)
        uow.commit()
    return size


def run(kind: str, events: int, batch: int) -> dict:
    with fresh_database(kind) as url, tempfile.TemporaryDirectory() as folder:
        runtime, actors = city(url, FixedClock(START))
        runtime.transparency = Transparency(f"{folder}/log.key", f"{folder}/heads.jsonl")
        appeal = appeals.report(runtime.uow(), actor=actors["intake"], fields=REPORT)
        with runtime.uow() as uow:
            instance_id = uow.session.scalar(select(HistoryEvent.instance_id).limit(1))
        base = _events(instance_id, 1_000, events)
        _write(runtime, base, 500)
        _seal(runtime)
        runtime.transparency.publish(runtime)

        measured = max(events // 10, batch)
        with_trigger = _write(runtime, _events(instance_id, 1_000 + events, measured), batch)
        without = _without_trigger(runtime, kind, _events(instance_id, 1_000 + events + measured, measured), batch)
        sealing, size = _timed(_seal, runtime)
        with runtime.uow() as uow:
            inclusion = _typical(log.inclusion, uow.session, size // 3, size)
            consistency = _typical(log.consistency, uow.session, size // 3, size)
        publishing, head = _timed(runtime.transparency.publish, runtime)
        checking, problems = _timed(runtime.transparency.check, runtime)
        assert problems == [] and head.size == size, problems
        return {
            "appeal": appeal["number"],
            "log_size": size,
            "write_per_event_ms_with_trigger": round(with_trigger / measured * 1000, 4),
            "write_per_event_ms_without_trigger": round(without / measured * 1000, 4),
            "seal_per_event_ms": round(sealing / (2 * measured) * 1000, 4),
            "inclusion_proof_ms": round(inclusion * 1000, 2),
            "consistency_proof_ms": round(consistency * 1000, 2),
            "publish_head_ms": round(publishing * 1000, 2),
            "check_per_event_ms": round(checking / size * 1000, 4),
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--events", type=int, default=20_000, help="events in the log before measuring")
    parser.add_argument("--batch", type=int, default=20, help="events written per transaction")
    args = parser.parse_args()
    results = {kind: run(kind, args.events, args.batch) for kind in args.databases.split(",")}
    print(json.dumps(results, indent=2))
    write_result("transparency_cost.json", json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
