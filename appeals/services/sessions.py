"""Browser sessions: a person signs in with name and password and gets a session cookie and a CSRF token.

The cookie value is random and kept only as its SHA-256 hash, like a token. Every write made with the
cookie must carry the session's CSRF token in a header: a page on another site can make the browser send
the cookie, but cannot read the token. Sessions end at sign-out, after SESSION_HOURS, when the user is
revoked, or when their password changes. Failed sign-ins and unknown cookies count as failed
authentications, like bad tokens (auth_failures).
"""

import secrets
from datetime import timedelta
from hmac import compare_digest

from sqlalchemy import delete, select

from ..domain import passwords
from ..domain.errors import Forbidden, Unauthorized
from ..domain.messages import MESSAGES
from ..domain.models import Unit, User, UserSession
from . import auth_failures
from .users import Actor, token_digest

SESSION_HOURS = 12


def sign_in(uow, *, name: str, password: str, client: str) -> tuple[dict, str]:
    """Open a session; returns what the browser may read (user, CSRF token, expiry) and the cookie value."""
    now, guesses = uow.clock.now(), auth_failures.password(name, client)
    with uow:
        auth_failures.refuse_if_blocked(uow, guesses, now)
        user = uow.session.scalar(select(User).where(User.name == name))
        known = passwords.matches(user.password_hash if user else None, password)
        if not known or user.password_hash is None or user.revoked_at is not None:
            raise auth_failures.refuse(
                uow,
                Unauthorized(
                    MESSAGES.text("wrong_password"), fields={"password": MESSAGES.text("field_wrong_name_or_password")}
                ),
                subjects=[guesses, auth_failures.address(client)],
                now=now,
            )
        uow.session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now))
        view, cookie = open_session(uow, user)
        uow.commit()
        return view, cookie


def open_session(uow, user: User) -> tuple[dict, str]:
    """Add a session for `user` in the caller's transaction (sign-in, a password set by link); returns
    what the browser may read and the cookie value."""
    now = uow.clock.now()
    cookie = secrets.token_urlsafe(32)
    session = UserSession(
        token_hash=token_digest(cookie),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(hours=SESSION_HOURS),
    )
    uow.session.add(session)
    return _view(session, user), cookie


def current(uow, *, cookie: str | None, client: str) -> dict:
    """The signed-in user, their CSRF token and when the session ends (a page reloaded asks this)."""
    with uow:
        session, user, _ = _open_session(uow, cookie, client)
        uow.end_read()
        return _view(session, user)


def authenticate(uow, *, cookie: str | None, csrf: str | None, writing: bool, client: str) -> Actor:
    """The actor a session cookie belongs to; a write without the session's CSRF token is refused (403)."""
    with uow:
        session, user, path = _open_session(uow, cookie, client)
        uow.end_read()
    if writing and not compare_digest((csrf or "").encode(), session.csrf_token.encode()):
        raise Forbidden(
            MESSAGES.text("csrf_required"), fields={"X-CSRF-Token": MESSAGES.text("field_missing_or_wrong")}
        )
    return Actor(user.id, user.name, user.role, user.unit_code, path)


def sign_out(uow, *, cookie: str | None, csrf: str | None, client: str) -> None:
    """End the session (a write: it needs the CSRF token too)."""
    authenticate(uow, cookie=cookie, csrf=csrf, writing=True, client=client)
    with uow:
        uow.session.execute(delete(UserSession).where(UserSession.token_hash == token_digest(cookie)))
        uow.commit()


def _open_session(uow, cookie: str | None, client: str):
    """(session, user, unit path) of a live session; a 401 for anything else, counted as a failure when
    the cookie is unknown (a guess; an ended session is not)."""
    ended = Unauthorized(MESSAGES.text("session_ended"))
    if not cookie:
        raise ended
    now, prefix = uow.clock.now(), auth_failures.secret("session", cookie)
    auth_failures.refuse_if_blocked(uow, prefix, now)
    row = uow.session.execute(
        select(UserSession, User, Unit.id_path)
        .join(User, User.id == UserSession.user_id)
        .outerjoin(Unit, Unit.code == User.unit_code)
        .where(UserSession.token_hash == token_digest(cookie))
    ).first()
    if row is None:
        raise auth_failures.refuse(uow, ended, subjects=[prefix, auth_failures.address(client)], now=now)
    if row[0].expires_at <= now or row[1].revoked_at is not None:
        raise ended
    return row


def _view(session: UserSession, user: User) -> dict:
    return {
        "user": {"name": user.name, "role": user.role, "unit": user.unit_code},
        "csrf_token": session.csrf_token,
        "expires_at": session.expires_at,
    }
