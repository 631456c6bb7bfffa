"""The engine's tables. Every change to an instance is written in the caller's transaction; the engine
never commits.

- `package` / `package_file` / `process_version`: deployed packages, immutable, identified by content hash;
  specs are stored once here, never per instance.
- `instance`: one running workflow, its state without specs, and `revision` for optimistic concurrency.
- `work_item`: the open user tasks, so that task lists are indexed queries, not workflow loads.
- `due_timer`: each waiting timer and when it is due, indexed, so a sweep loads only what is due.
- `history_event`: what happened to an instance, in order.
- `calendar_load`: the official working-day schedules administrators loaded, every load kept.
- `transparency_*`: every history event as a leaf of one append-only Merkle tree (transparency_log.py).
"""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator):
    """A zone-aware UTC datetime on every database (SQLite keeps no zone: store UTC, read it back as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing a naive datetime: pass a zone-aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


TYPE_MAP = {datetime: UtcDateTime, dict: JSON}


class EngineBase(DeclarativeBase):
    type_annotation_map = TYPE_MAP


class Package(EngineBase):
    __tablename__ = "package"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(120))


class PackageFile(EngineBase):
    __tablename__ = "package_file"

    package_id: Mapped[int] = mapped_column(ForeignKey("package.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ProcessVersion(EngineBase):
    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("process_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[int]
    package_id: Mapped[int] = mapped_column(ForeignKey("package.id"), index=True)
    created_at: Mapped[datetime]


class Instance(EngineBase):
    """A process instance's row. The engine writes it by Core statements only, with the revision check in
    their WHERE (engine/store.py); the mapped class is for reading it."""

    __tablename__ = "instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # running | completed | error
    state: Mapped[dict]
    error: Mapped[str | None] = mapped_column(Text)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # some time in its state was reckoned on a provisional calendar year: re-planned when the year is loaded
    has_provisional_times: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class WorkItem(EngineBase):
    """A user task, open while `closed_at` is empty; closed ones stay as the record of who did what."""

    __tablename__ = "work_item"
    __table_args__ = (
        Index("ix_work_item_open", "closed_at", "lane", "candidate_group"),
        # open items oldest first: an inbox reads its first page in order instead of sorting them all
        Index(
            "ix_work_item_open_by_age",
            "created_at",
            "id",
            postgresql_where=text("closed_at IS NULL"),
            sqlite_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the SpiffWorkflow task id
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id"), index=True)
    step: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    lane: Mapped[str | None] = mapped_column(String(64))
    candidate_group: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[datetime | None]
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(16))  # completed | cancelled
    context: Mapped[dict | None]  # process data the task shows its user (the `showData` property)
    opened_seq: Mapped[int | None]  # the history event after which the task was open ...
    closed_seq: Mapped[int | None]  # ... and after which it was not: what state-at-SEQ shows


class DueTimer(EngineBase):
    __tablename__ = "due_timer"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the waiting timer task's id
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id"), index=True)
    step: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(index=True)


class HistoryEvent(EngineBase):
    """One thing that happened to an instance. Append-only and hash-chained per instance.

    `change` is set on the event that records an operation (see operations.py): what a replay feeds
    back, and `state_hash` the digest of the state that operation produced. `hash` covers every other
    column and `prev_hash`, the previous event's hash, so changing any stored byte breaks the chain.
    """

    __tablename__ = "history_event"
    __table_args__ = (UniqueConstraint("instance_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id"))
    seq: Mapped[int]
    at: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(120))
    step: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict]
    change: Mapped[dict | None]
    state_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class CalendarLoad(EngineBase):
    """One load of a year's official schedule by an administrator: its holidays and its weekends worked in
    lieu (ISO dates). Append-only: a reload adds a row, so that a replay can take the calendar as it stood
    at each event (engine/calendar.py, `CalendarRevisions`)."""

    __tablename__ = "calendar_load"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    holidays: Mapped[list] = mapped_column(JSON)
    workdays: Mapped[list] = mapped_column(JSON)
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str | None] = mapped_column(String(120))


class TransparencyLeaf(EngineBase):
    """A history event's place in the transparency log: leaf `position` (0, 1, ...), in order of sealing."""

    __tablename__ = "transparency_leaf"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(ForeignKey("history_event.id"), unique=True)


class TransparencyNode(EngineBase):
    """A perfect subtree of the log: the hash of leaves [position * 2**level, (position + 1) * 2**level).
    Level 0 holds the leaf hashes; a node is written once, when its last leaf is appended."""

    __tablename__ = "transparency_node"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class TransparencyPending(EngineBase):
    """An event not yet in the log: a database trigger queues every new event here (migration 0019), and
    sealing takes the committed ones, so that the writers of events never wait on the log."""

    __tablename__ = "transparency_pending"

    event_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class TransparencyTree(EngineBase):
    """The log's one row: its size, and the lock that lets one sealing append at a time."""

    __tablename__ = "transparency_tree"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)
