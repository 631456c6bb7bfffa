"""One-time set-password links: how an administrator gives a person their first (or a forgotten) password
without ever knowing it.

The administrator creates a link for a user; the link's token is shown once and kept only as its SHA-256
hash, like API tokens and session cookies. Whoever opens the link within LINK_HOURS may set the user's
password, once: that ends the user's other browser sessions (as `users set-password` does) and opens a
new one, in the same transaction. Unknown tokens count as failed authentications, so guessing them is
slowed down like guessing tokens.
"""

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from ..domain import access, passwords
from ..domain.errors import Gone, NotFound
from ..domain.messages import MESSAGES
from ..domain.models import PasswordLink, User, UserSession
from . import auth_failures, sessions, users
from .users import Actor, token_digest, user_named

LINK_HOURS = 72


def create(uow, *, actor: Actor, name: str) -> dict:
    """A new link for user `name` (administrators only); the token is in the answer and nowhere else."""
    access.require_role(actor, "admin")
    with uow:
        link = _new_link(uow, user_named(uow.session, name), actor)
        uow.commit()
        return link


def invite(uow, *, actor: Actor, name: str, role: str, unit: str | None) -> dict:
    """A new user and a link with which they set their first password, in one change (administrators
    only): the user and the link. The user's API token is not shown: a person signs in with the password,
    and an administrator who needs a token for a machine gives one with `users token`."""
    access.require_role(actor, "admin")
    with uow:
        user, _token = users.new_user(uow, name=name, role=role, unit=unit)
        link = _new_link(uow, user, actor)
        invited = {"user": users.shown(uow.session, user), "link": link}
        uow.commit()
        return invited


def _new_link(uow, user: User, actor: Actor) -> dict:
    """A link for `user`, added to the open unit of work; the token is in the answer and nowhere else."""
    now, token = uow.clock.now(), secrets.token_urlsafe(32)
    link = PasswordLink(
        token_hash=token_digest(token),
        user_id=user.id,
        created_by=actor.name,
        created_at=now,
        expires_at=now + timedelta(hours=LINK_HOURS),
    )
    uow.session.add(link)
    return {"user": user.name, "token": token, "path": f"/set-password/{token}", "expires_at": link.expires_at}


def check(uow, *, token: str, client: str) -> dict:
    """Whom a live link is for and until when (the page asks before the person types a password)."""
    with uow:
        link, user = _live(uow, token, client)
        uow.end_read()
        return {"user": user.name, "expires_at": link.expires_at}


def use(uow, *, token: str, password: str, client: str) -> tuple[dict, str]:
    """Set the password through the link, once; returns the new session (as sessions.sign_in does)."""
    password_hash = passwords.hash_password(password)
    with uow:
        link, user = _live(uow, token, client)
        link.used_at = uow.clock.now()
        user.password_hash = password_hash
        uow.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
        session, cookie = sessions.open_session(uow, user)
        uow.commit()
        return session, cookie


def _live(uow, token: str, client: str) -> tuple[PasswordLink, User]:
    """The link and its user; 404 for an unknown token (a failed authentication), 410 for one used or
    expired, or whose user was revoked."""
    now, prefix = uow.clock.now(), auth_failures.secret("link", token)
    auth_failures.refuse_if_blocked(uow, prefix, now)
    row = uow.session.execute(
        select(PasswordLink, User)
        .join(User, User.id == PasswordLink.user_id)
        .where(PasswordLink.token_hash == token_digest(token))
    ).first()
    if row is None:
        raise auth_failures.refuse(
            uow,
            NotFound(MESSAGES.text("password_link_unknown"), fields={"token": MESSAGES.text("field_link_unknown")}),
            subjects=[prefix, auth_failures.address(client)],
            now=now,
        )
    link, user = row
    if link.used_at is not None:
        raise Gone(MESSAGES.text("password_link_used"), fields={"token": MESSAGES.text("field_link_used")})
    if link.expires_at <= now or user.revoked_at is not None:
        raise Gone(MESSAGES.text("password_link_expired"), fields={"token": MESSAGES.text("field_link_expired")})
    return link, user
