"""Users and their API tokens. Tokens are random, shown once, and stored only as a SHA-256 hash."""

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from engine.texts import Text

from .errors import InvalidData, TooManyAttempts, Unauthorized
from .messages import MESSAGES
from .models import AuthFailure, Unit, User
from .vocabulary import ROLES, UNIT_ROLES

TOKEN_DAYS = 365
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)


#: How long a worker trusts a token it checked: a revocation reaches every worker within this time.
TRUST_SECONDS = 10


class TokenCache:
    """Tokens this worker checked recently, so that a request does not cost a transaction to authenticate.

    Keyed by the token's hash; an entry is trusted for TRUST_SECONDS and never past the token's expiry.
    A revocation in this process forgets the user at once; other workers follow within TRUST_SECONDS.
    """

    def __init__(self):
        self._entries: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def get(self, digest: str, now):
        entry = self._entries.get(digest)
        if entry is None:
            return None
        actor, trusted_until, expires_at = entry
        if now >= trusted_until or (expires_at is not None and now >= expires_at):
            return None
        return actor

    def put(self, digest: str, actor, now, expires_at) -> None:
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[digest] = (actor, now + timedelta(seconds=TRUST_SECONDS), expires_at)

    def forget(self, name: str) -> None:
        with self._lock:
            self._entries = {d: e for d, e in self._entries.items() if e[0].name != name}


@dataclass(frozen=True)
class Actor:
    """The caller of a service: who they are, their role, and where their reach in the unit tree begins."""

    id: int
    name: str
    role: str
    unit: str | None
    unit_path: str | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(uow, *, name: str, role: str, unit: str | None, days: int = TOKEN_DAYS) -> tuple[dict, str]:
    """Create a user; returns the user and their token, which is not kept, cannot be shown again and
    expires after `days`."""
    with uow:
        if role not in ROLES:
            raise InvalidData(MESSAGES.text("role_unknown", role=role), fields={"role": f"one of {', '.join(ROLES)}"})
        if role in UNIT_ROLES and not unit:
            raise InvalidData(MESSAGES.text("unit_required", role=role), fields={"unit": "required for this role"})
        if unit and uow.session.get(Unit, unit) is None:
            raise InvalidData(MESSAGES.text("unit_unknown", unit=unit), fields={"unit": "unknown unit code"})
        if uow.session.scalar(select(User).where(User.name == name)) is not None:
            raise InvalidData(MESSAGES.text("user_exists", name=name), fields={"name": "already taken"})
        token = secrets.token_urlsafe(32)
        user = User(
            name=name,
            role=role,
            unit_code=unit if role in UNIT_ROLES else None,
            token_hash=_hash(token),
            created_at=uow.clock.now(),
            expires_at=uow.clock.now() + timedelta(days=days),
        )
        uow.session.add(user)
        uow.commit()
        return {"id": user.id, "name": user.name, "role": user.role, "unit": user.unit_code}, token


def revoke(uow, *, name: str) -> None:
    """Revoke a user's token at once."""
    with uow:
        user = uow.session.scalar(select(User).where(User.name == name))
        if user is None:
            raise InvalidData(MESSAGES.text("user_unknown", name=name), fields={"name": "unknown user"})
        user.revoked_at = uow.clock.now()
        uow.commit()
    uow.runtime.tokens.forget(name)


def authenticate(uow, token: str | None, *, client: str = "unknown") -> Actor:
    """The actor a bearer token belongs to.

    A client (an address) that keeps failing is refused for a while before its tokens are even looked
    at, so that guessing tokens is slowed down to a few tries per window.
    """
    if not token:
        raise Unauthorized(MESSAGES.text("token_required"))
    digest, now = _hash(token), uow.clock.now()
    known = uow.runtime.tokens.get(digest, now)
    if known is not None:
        return known
    with uow:
        failure = uow.session.get(AuthFailure, client)
        if failure is not None and failure.failures >= MAX_FAILURES and now < failure.window_start + FAILURE_WINDOW:
            retry = int((failure.window_start + FAILURE_WINDOW - now).total_seconds()) + 1
            raise TooManyAttempts(MESSAGES.text("too_many_attempts", seconds=retry), fields={"retry_after": retry})
        row = uow.session.execute(
            select(User, Unit.path).outerjoin(Unit, Unit.code == User.unit_code).where(User.token_hash == digest)
        ).first()
        user, path = row if row is not None else (None, None)
        problem = _refusal(user, now)
        if problem is not None:
            _count_failure(uow, failure, client, now)
            raise Unauthorized(problem)
        actor, expires_at = Actor(user.id, user.name, user.role, user.unit_code, path), user.expires_at
        uow.end_read()
    uow.runtime.tokens.put(digest, actor, now, expires_at)
    return actor


def _refusal(user, now) -> Text | None:
    if user is None:
        return MESSAGES.text("token_invalid")
    if user.revoked_at is not None:
        return MESSAGES.text("token_revoked")
    if user.expires_at is not None and user.expires_at <= now:
        return MESSAGES.text("token_expired")
    return None


def _count_failure(uow, failure, client, now) -> None:
    if failure is None:
        uow.session.add(AuthFailure(client=client, window_start=now, failures=1))
    elif now >= failure.window_start + FAILURE_WINDOW:
        failure.window_start, failure.failures = now, 1
    else:
        failure.failures += 1
    uow.commit()
