"""A small city to try the product with: one district, two towns, villages, grids, and a user per role."""

from functools import cache

from sqlalchemy import select

from ..domain import passwords, units
from ..domain.models import Unit, User
from . import users

UNITS = (
    ("D01", "离石区", "district", None),
    ("T01", "滨河街道", "town", "D01"),
    ("T02", "凤凰镇", "town", "D01"),
    ("V01", "后洼村", "village", "T01"),
    ("V02", "新华社区", "village", "T01"),
    ("G01", "后洼村第一网格", "grid", "V01"),
    ("G02", "后洼村第二网格", "grid", "V01"),
)
USERS = (
    ("intake", "intake", "V01"),
    ("station", "station", "V01"),
    ("grid", "grid", "G01"),
    ("village", "village", "V01"),
    ("town", "town", "T01"),
    ("district", "district", "D01"),
    ("callback", "callback", "V01"),
    ("leader", "leader", "D01"),
    ("auditor", "auditor", None),
    ("designer", "designer", None),
    ("admin", "admin", None),
)

#: Every demo user signs in to the console with their name and this password (README). Not for real use.
DEMO_PASSWORD = "appealflow-demo"


@cache
def _demo_password_hash() -> str:
    """Hashed once per process: argon2 takes tens of milliseconds, and tests load the demo per test."""
    return passwords.hash_password(DEMO_PASSWORD)


def load_demo(runtime):
    """Create the demo units and users that do not exist yet; yields one line per user with its token.

    The users also get DEMO_PASSWORD, so that a newcomer can sign in to the console."""
    for code, name, level, parent in UNITS:
        with runtime.uow() as uow:
            exists = uow.session.get(Unit, code) is not None
        if not exists:
            units.add_unit(runtime.uow(), code=code, name=name, level=level, parent=parent)
    for name, role, unit in USERS:
        with runtime.uow() as uow:
            exists = uow.session.scalar(select(User.id).where(User.name == name)) is not None
        if exists:
            yield f"{name:9} {role:9} {unit or '-':4} (exists; token not shown again)"
            continue
        _, token = users.add_user(runtime.uow(), name=name, role=role, unit=unit, password_hash=_demo_password_hash())
        yield f"{name:9} {role:9} {unit or '-':4} {token}"
