"""The domain's tables: the unit tree, users, and the appeal record.

The appeal record mirrors what its process knows (stage, unit, deadline, disposition, ...) so that lists
and filters are plain indexed queries; it is rewritten from the process after every change.
"""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from engine import TYPE_MAP, Instance


class DomainBase(DeclarativeBase):
    type_annotation_map = TYPE_MAP


class Unit(DomainBase):
    """A unit of the tree district > town > village > grid. `id_path` ("/1/4/17/": the ids from the
    district down) makes a subtree a prefix of digits and slashes, which no code can disturb (codes may hold
    `_`, `%` or `/`)."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[int] = mapped_column(unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"))
    id_path: Mapped[str] = mapped_column(String(200), index=True)
    #: The codes' path ("D1/T1/V1/") that the release before migration 0020 reads; kept filled for it during
    #: a rolling restart, read by nothing here, to be dropped by the next release's migration.
    path: Mapped[str] = mapped_column(String(400))


class User(DomainBase):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2; None: signs in by token only


class UserSession(DomainBase):
    """A person signed in from a browser: the cookie's SHA-256 hash and the CSRF token its writes carry."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class PasswordLink(DomainBase):
    """A one-time link to set a user's password: the token's SHA-256 hash, until when, and when it was used."""

    __tablename__ = "password_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class AuthFailure(DomainBase):
    """Failed authentications counted in a window against what they aim at (`subject`: a secret's prefix, a
    user name at an address, an address; see appeals/services/auth_failures.py), so that guessing is slowed down."""

    __tablename__ = "auth_failure"

    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    window_start: Mapped[datetime]
    failures: Mapped[int]


class Appeal(DomainBase):
    __tablename__ = "appeal"
    __table_args__ = (
        Index("ix_appeal_status_created", "status", "created_at"),
        Index("ix_appeal_unit", "unit"),
        Index("ix_appeal_intake_unit", "intake_unit"),
        Index("ix_appeal_duplicate_of", "duplicate_of_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey(Instance.id), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(32))
    reporter_name: Mapped[str | None] = mapped_column(String(100))
    reporter_phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(400))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    intake_unit: Mapped[str] = mapped_column(ForeignKey("unit.code"))
    unit: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(64))
    deadline: Mapped[datetime | None]
    # the deadline was reckoned on a provisional calendar year (engine/calendar.py)
    deadline_provisional: Mapped[bool] = mapped_column(default=False, server_default=false())
    disposition: Mapped[str | None] = mapped_column(String(32))
    satisfaction: Mapped[str | None] = mapped_column(String(32))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    # the evaluation: attempts that did not reach the citizen, and whether it closed without reaching them
    failed_callbacks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    unreachable: Mapped[bool] = mapped_column(default=False, server_default=false())
    # kept with the instructions (supervision.add_instruction), so that a view reads them only when there are some
    instruction_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("appeal.id"))
    # kept with the links (duplicates.link), so that a view reads the duplicates only when there are some
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # for a duplicate: the latest reply given on the appeal it repeats, which its reporter is told too
    original_reply: Mapped[str | None] = mapped_column(Text)
    original_replied_at: Mapped[datetime | None]
    confidential: Mapped[bool] = mapped_column(default=False)
    anonymised_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class Notification(DomainBase):
    """A message for the staff of a role (`lane`) in a unit and the units above it (a reminder that a
    task's limit is near, a reminder sent by hand, an appeal that reached supervision), or, with a
    `recipient`, for one user (a reminder of their claim's limit). Who read it is in NotificationRead."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_unit_lane", "unit", "lane", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    recipient: Mapped[str | None] = mapped_column(String(120), index=True)
    unit: Mapped[str] = mapped_column(String(64))
    lane: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)  # worded in the default language, when stored
    message_key: Mapped[str | None] = mapped_column(String(64))  # the message as a Text, worded for each reader
    message_params: Mapped[dict | None]
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class NotificationRead(DomainBase):
    """That one user read one notification (a notification for a unit is read by each of its staff)."""

    __tablename__ = "notification_read"

    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    read_at: Mapped[datetime]


class Claim(DomainBase):
    """A leader's claim of an appeal (seed 004: 领导认领): to be completed (the appeal closed) by `due_at`,
    with a reminder at `remind_at`. Released claims are kept; an appeal has one claim not released at most."""

    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_leader", "leader", "released_at"), Index("ix_claim_remind", "remind_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id"), index=True)
    leader: Mapped[str] = mapped_column(String(120))
    claimed_at: Mapped[datetime]
    due_at: Mapped[datetime]
    remind_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]


class LateRecord(DomainBase):
    """A unit that let a limit run out (for the name-call bulletins of seed 004)."""

    __tablename__ = "late_record"
    __table_args__ = (Index("ix_late_record_recorded", "recorded_at", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id"), index=True)
    unit: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    late_seconds: Mapped[int]


class Instruction(DomainBase):
    """A leader's instruction (批示) on an appeal, shown to its handlers."""

    __tablename__ = "instruction"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id"), index=True)
    author: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Extension(DomainBase):
    """A handler's request for more time on a task, and a leader's decision on it."""

    __tablename__ = "extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    step: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # pending | approved | refused
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class AccessLog(DomainBase):
    """Who read what about an appeal, for reads that must be accounted for (auditors', personal data).

    Kept apart from the appeal's own history: reading an appeal must not change it.
    """

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeal.id"), index=True)  # none: many appeals
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(400))  # what a read of many appeals asked for
    at: Mapped[datetime]


class Attachment(DomainBase):
    """A photo or file on an appeal: on its report (`task_id` None, step "report") or the proof of a task
    (`task_id`, its `step`). The bytes are in the file store under their SHA-256 (`FileStore`), so the same
    bytes are stored once however often they are attached; an image's thumbnail is stored likewise."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    step: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime]
