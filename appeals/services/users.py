"""Users and their API tokens. Tokens are random, shown once, and stored only as a SHA-256 hash."""

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from engine import Conflict, Text

from ..domain import access
from ..domain.errors import InvalidData, Unauthorized
from ..domain.messages import MESSAGES
from ..domain.models import Unit, User, UserSession
from ..domain.units import get_unit
from ..domain.vocabulary import ROLES, UNIT_ROLES
from . import auth_failures

TOKEN_DAYS = 365


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
    """The caller of a service: who they are, their role, and where their reach in the unit tree begins
    (`unit_path`: their unit's id path, see models.Unit)."""

    id: int
    name: str
    role: str
    unit: str | None
    unit_path: str | None


def token_digest(token: str) -> str:
    """The SHA-256 of a secret handed out (a token, a session cookie): the only form in which it is kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_named(session, name: str) -> User:
    """The user called `name`; refused naming the `name` field when there is none (every command and
    endpoint that acts on a user by name says it alike)."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise InvalidData(
            MESSAGES.text("user_unknown", name=name), fields={"name": MESSAGES.text("field_user_unknown")}
        )
    return user


def add_user(
    uow, *, name: str, role: str, unit: str | None, days: int = TOKEN_DAYS, password_hash: str | None = None
) -> tuple[dict, str]:
    """Create a user; returns the user and their token, which is not kept, cannot be shown again and
    expires after `days`. With `password_hash` (passwords.hash_password) the user may also sign in from
    a browser; the caller hashes, so that the demo hashes its one password once."""
    with uow:
        user, token = new_user(uow, name=name, role=role, unit=unit, days=days, password_hash=password_hash)
        uow.commit()
        return {"id": user.id, "name": user.name, "role": user.role, "unit": user.unit_code}, token


def new_user(
    uow, *, name: str, role: str, unit: str | None, days: int = TOKEN_DAYS, password_hash: str | None = None
) -> tuple[User, str]:
    """The user row and its token, added to the open unit of work for its caller to commit with whatever
    else the change holds (a set-password link)."""
    if role not in ROLES:
        raise InvalidData(
            MESSAGES.text("role_unknown", role=role),
            fields={"role": MESSAGES.text("field_one_of_roles", roles=list(ROLES))},
        )
    if role in UNIT_ROLES and not unit:
        raise InvalidData(
            MESSAGES.text("unit_required", role=role),
            fields={"unit": MESSAGES.text("field_required_for_role", role=role)},
        )
    if unit:
        get_unit(uow.session, unit)
    if uow.session.scalar(select(User).where(User.name == name)) is not None:
        raise InvalidData(MESSAGES.text("user_exists", name=name), fields={"name": MESSAGES.text("field_taken")})
    token = secrets.token_urlsafe(32)
    user = User(
        name=name,
        role=role,
        unit_code=unit if role in UNIT_ROLES else None,
        token_hash=token_digest(token),
        created_at=uow.clock.now(),
        expires_at=uow.clock.now() + timedelta(days=days),
        password_hash=password_hash,
    )
    uow.session.add(user)
    try:
        uow.session.flush()
    except IntegrityError as error:  # another administrator gave the name meanwhile
        raise Conflict(MESSAGES.text("concurrent_write")) from error
    return user, token


def list_users(uow, *, actor: Actor) -> list[dict]:
    """Every user, by name, as an administrator sees them (nothing secret: no token, no password)."""
    access.require_role(actor, "admin")
    with uow:
        rows = uow.session.execute(
            select(User, Unit.name).outerjoin(Unit, Unit.code == User.unit_code).order_by(User.name)
        ).all()
        uow.end_read()
        return [_shown(user, unit_name) for user, unit_name in rows]


def shown(session, user: User) -> dict:
    """`user` as the administrators' list shows them, their unit's name looked up."""
    unit = session.get(Unit, user.unit_code) if user.unit_code else None
    return _shown(user, unit.name if unit else None)


def _shown(user: User, unit_name: str | None) -> dict:
    return {
        "name": user.name,
        "role": user.role,
        "unit": user.unit_code,
        "unit_name": unit_name,
        "created_at": user.created_at,
        "revoked_at": user.revoked_at,
        "has_password": user.password_hash is not None,
    }


def new_token(uow, *, name: str, days: int = TOKEN_DAYS) -> str:
    """Give a user a fresh token in place of the old one (lost, leaked or revoked); returns it, once.

    Tokens are kept only as hashes, so a lost token cannot be shown again: it can only be replaced."""
    with uow:
        user = user_named(uow.session, name)
        token = secrets.token_urlsafe(32)
        user.token_hash = token_digest(token)
        user.expires_at = uow.clock.now() + timedelta(days=days)
        user.revoked_at = None
        uow.commit()
    uow.runtime.tokens.forget(name)
    return token


def revoke(uow, *, actor: Actor, name: str) -> dict:
    """Revoke a user at once (administrators only): their token, their browser sessions and any
    set-password link they have not used."""
    access.require_role(actor, "admin")
    if name == actor.name:  # the last administrator would lock everyone out of the users page
        raise InvalidData(MESSAGES.text("revoke_yourself"), fields={"name": MESSAGES.text("field_yourself")})
    with uow:
        user = user_named(uow.session, name)
        user.revoked_at = uow.clock.now()
        revoked = shown(uow.session, user)
        uow.commit()
    uow.runtime.tokens.forget(name)
    return revoked


def set_password(uow, *, name: str, password_hash: str) -> None:
    """Give a user a new password (hashed by passwords.hash_password) and end their browser sessions."""
    with uow:
        user = user_named(uow.session, name)
        user.password_hash = password_hash
        uow.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
        uow.commit()


def authenticate(uow, token: str | None, *, client: str = "unknown") -> Actor:
    """The actor a bearer token belongs to.

    Guesses that share a token's prefix are refused for a while before any token is looked at; failures
    from a busy address are told to wait, but a valid token is never refused (auth_failures).
    """
    if not token:
        raise Unauthorized(MESSAGES.text("token_required"))
    digest, now = token_digest(token), uow.clock.now()
    known = uow.runtime.tokens.get(digest, now)
    if known is not None:
        return known
    prefix = auth_failures.secret("token", token)
    with uow:
        auth_failures.refuse_if_blocked(uow, prefix, now)
        row = uow.session.execute(
            select(User, Unit.id_path).outerjoin(Unit, Unit.code == User.unit_code).where(User.token_hash == digest)
        ).first()
        user, path = row if row is not None else (None, None)
        problem = _refusal(user, now)
        if problem is not None:
            raise auth_failures.refuse(
                uow, Unauthorized(problem), subjects=[prefix, auth_failures.address(client)], now=now
            )
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
