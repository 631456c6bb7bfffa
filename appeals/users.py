"""Users and their API tokens. Tokens are random, shown once, and stored only as a SHA-256 hash."""

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from .errors import InvalidData, Unauthorized
from .models import Unit, User
from .vocabulary import ROLES, UNIT_ROLES


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


def add_user(uow, *, name: str, role: str, unit: str | None) -> tuple[dict, str]:
    """Create a user; returns the user and their token, which is not kept and cannot be shown again."""
    with uow:
        if role not in ROLES:
            raise InvalidData(f"unknown role '{role}'", fields={"role": f"one of {', '.join(ROLES)}"})
        if role in UNIT_ROLES and not unit:
            raise InvalidData(f"a {role} user needs a unit", fields={"unit": "required for this role"})
        if unit and uow.session.get(Unit, unit) is None:
            raise InvalidData(f"no unit '{unit}'", fields={"unit": "unknown unit code"})
        if uow.session.scalar(select(User).where(User.name == name)) is not None:
            raise InvalidData(f"user '{name}' exists already", fields={"name": "already taken"})
        token = secrets.token_urlsafe(32)
        user = User(
            name=name,
            role=role,
            unit_code=unit if role in UNIT_ROLES else None,
            token_hash=_hash(token),
            created_at=uow.clock.now(),
        )
        uow.session.add(user)
        uow.commit()
        return {"id": user.id, "name": user.name, "role": user.role, "unit": user.unit_code}, token


def authenticate(uow, token: str | None) -> Actor:
    """The actor a bearer token belongs to."""
    if not token:
        raise Unauthorized("an Authorization: Bearer token is required")
    with uow:
        row = uow.session.execute(
            select(User, Unit.path).outerjoin(Unit, Unit.code == User.unit_code).where(User.token_hash == _hash(token))
        ).first()
        if row is None:
            raise Unauthorized("the token is not valid")
        user, path = row
        return Actor(user.id, user.name, user.role, user.unit_code, path)
