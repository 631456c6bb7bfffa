"""The transparency log: every history event of every instance is also a leaf of one append-only Merkle
tree (merkle.py) kept in the database, so that a head signed once (outside the database) pins every event
before it: rewriting an event, even with its whole chain and the instance's `last_hash`, no longer gives
the signed root.

Writers of events never wait on the log: a trigger queues each new event (`transparency_pending`), and
`seal` appends the committed ones in batches, one sealing at a time (the tree row's lock). A leaf costs
a queue row, a leaf row and about two node rows (the leaf's hash and, amortized, one parent).

A leaf is `appealflow-event/1 INSTANCE SEQ HASH`: the event's SHA-256 (hash_chain.event_hash) with its place
in its instance's chain, which tools/verify_bundle.py rebuilds from a bundle.
"""

from dataclasses import dataclass

from sqlalchemy import and_, insert, or_, select, update

from . import hash_chain, merkle
from .errors import Conflict
from .messages import MESSAGES
from .models import HistoryEvent, TransparencyLeaf, TransparencyNode, TransparencyPending, TransparencyTree
from .store import UPSERTS
from .texts import Text

LEAF_FORMAT = "appealflow-event/1"
#: Events appended per statement batch while sealing.
BATCH = 5_000


def leaf(instance_id: int, seq: int, event_hash: str) -> bytes:
    return f"{LEAF_FORMAT} {instance_id} {seq} {event_hash}".encode()


def seal(session) -> int:
    """Append every committed event waiting for the log, in the order they were written; returns the
    tree's size. Takes the tree row's lock, so that sealings append one after another."""
    size = _locked_size(session)
    while True:
        waiting = session.execute(
            select(HistoryEvent.id, HistoryEvent.instance_id, HistoryEvent.seq, HistoryEvent.hash)
            .join(TransparencyPending, TransparencyPending.event_id == HistoryEvent.id)
            .order_by(HistoryEvent.id)
            .limit(BATCH)
        ).all()
        if not waiting:
            return size
        size = _append(session, size, waiting)


def _append(session, size: int, events) -> int:
    """Append `events` (id, instance_id, seq, hash) after leaf `size`: their leaves, the nodes they
    complete, the queue emptied of them and the tree's new size; returns that size."""
    frontier = merkle.Frontier(size, _hashes(session, merkle.perfect_keys(0, size)))
    made = []

    def keep(level, position, value):
        made.append({"level": level, "position": position, "hash": value})

    for event in events:
        frontier.append(merkle.leaf_hash(leaf(event.instance_id, event.seq, event.hash)), keep)
    ids = [event.id for event in events]
    connection = session.connection()
    connection.execute(insert(TransparencyLeaf), [{"position": size + i, "event_id": id_} for i, id_ in enumerate(ids)])
    connection.execute(insert(TransparencyNode), made)
    connection.execute(TransparencyPending.__table__.delete().where(TransparencyPending.event_id.in_(ids)))
    connection.execute(update(TransparencyTree).where(TransparencyTree.id == 1).values(size=frontier.size))
    return frontier.size


def size(session) -> int:
    return session.scalar(select(TransparencyTree.size).where(TransparencyTree.id == 1)) or 0


def root(session, tree_size: int) -> bytes:
    """The root of the first `tree_size` leaves, from the stored nodes."""
    return merkle.range_hash(0, tree_size, _hashes_by_key(session, merkle.perfect_keys(0, tree_size)))


def inclusion(session, index: int, tree_size: int) -> list[bytes]:
    """The audit path of leaf `index` in the tree of `tree_size` leaves (RFC 9162's order)."""
    return _proof(session, merkle.inclusion_ranges(index, tree_size))


def consistency(session, old: int, new: int) -> list[bytes]:
    """The proof that the tree of `old` leaves is a prefix of the one of `new` (empty when `old` is 0)."""
    return _proof(session, merkle.consistency_ranges(old, new)) if 0 < old < new else []


def position(session, event_id: int) -> int | None:
    """The event's leaf, or None while it waits to be sealed."""
    return session.scalar(select(TransparencyLeaf.position).where(TransparencyLeaf.event_id == event_id))


@dataclass
class Recomputed:
    """The log rebuilt from the history as it is now: roots at the sizes asked for, and what is amiss
    (worded when read, in its reader's language)."""

    roots: dict[int, bytes]
    problems: list[Text]


def recompute(session, sizes) -> Recomputed:
    """Rebuild every leaf from its event's content (hashed again, not the stored hash), in the log's order,
    and the roots at `sizes`; name each leaf that is not what the log holds, each leaf whose event is
    gone, and each event that is neither in the log nor waiting for it. Reads the whole history."""
    wanted, roots, problems = set(sizes), {}, []
    frontier = merkle.Frontier(0, [])
    stored_leaf = TransparencyNode.__table__.alias("stored_leaf")
    rows = session.execute(
        select(TransparencyLeaf.position, TransparencyLeaf.event_id, stored_leaf.c.hash, HistoryEvent)
        .outerjoin(HistoryEvent, HistoryEvent.id == TransparencyLeaf.event_id)
        .outerjoin(stored_leaf, (stored_leaf.c.level == 0) & (stored_leaf.c.position == TransparencyLeaf.position))
        .order_by(TransparencyLeaf.position)
        .execution_options(yield_per=2_000)
    )
    for at, event_id, stored, event in rows:
        if at != frontier.size:
            problems.append(MESSAGES.text("log_leaf_missing", position=frontier.size))
            break
        if event is None:
            problems.append(MESSAGES.text("log_event_gone", position=at, event=event_id))
            value = stored or b""
        else:
            value = merkle.leaf_hash(leaf(event.instance_id, event.seq, hash_chain.event_hash(event)))
            if value != stored:
                problems.append(
                    MESSAGES.text("log_leaf_differs", position=at, seq=event.seq, instance=event.instance_id)
                )
        frontier.append(value, lambda *_: None)
        if frontier.size in wanted:
            roots[frontier.size] = frontier.root()
    unlogged = session.execute(
        select(HistoryEvent.instance_id, HistoryEvent.seq)
        .outerjoin(TransparencyLeaf, TransparencyLeaf.event_id == HistoryEvent.id)
        .outerjoin(TransparencyPending, TransparencyPending.event_id == HistoryEvent.id)
        .where(TransparencyLeaf.event_id.is_(None), TransparencyPending.event_id.is_(None))
        .order_by(HistoryEvent.id)
        .limit(10)
    ).all()
    problems += [MESSAGES.text("log_event_unlogged", seq=seq, instance=instance) for instance, seq in unlogged]
    return Recomputed(roots, problems)


def _locked_size(session) -> int:
    """The tree's size, its row locked until the transaction ends (made on first use)."""
    locked = select(TransparencyTree.size).where(TransparencyTree.id == 1).with_for_update()
    found = session.scalar(locked)
    if found is None:
        dialect = session.get_bind().dialect.name
        session.connection().execute(UPSERTS[dialect](TransparencyTree).values(id=1, size=0).on_conflict_do_nothing())
        found = session.scalar(locked)
    return found


def _proof(session, ranges) -> list[bytes]:
    nodes = _hashes_by_key(session, merkle.keys_of(ranges))
    return [merkle.range_hash(start, length, nodes) for start, length in ranges]


def _hashes(session, keys) -> list[bytes]:
    nodes = _hashes_by_key(session, keys)
    return [nodes[key] for key in keys]


def _hashes_by_key(session, keys) -> dict:
    """The stored nodes at `keys` (level, position), in one query: an IN list per level, each of which the
    primary key's index answers (a row-value IN made SQLite scan the whole table)."""
    by_level: dict[int, list[int]] = {}
    for level, at in keys:
        by_level.setdefault(level, []).append(at)
    if not by_level:
        return {}
    rows = session.execute(
        select(TransparencyNode.level, TransparencyNode.position, TransparencyNode.hash).where(
            or_(
                *(
                    and_(TransparencyNode.level == level, TransparencyNode.position.in_(ats))
                    for level, ats in by_level.items()
                )
            )
        )
    ).all()
    found = {(level, at): value for level, at, value in rows}
    if len(found) < len(set(keys)):  # deleted behind the log's back: say so, rather than fail on a KeyError
        raise Conflict(MESSAGES.text("log_nodes_missing", count=len(set(keys)) - len(found)))
    return found
