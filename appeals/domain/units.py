"""The unit tree: adding units, reading a unit's chain of ancestors, and the subtree under a unit."""

from sqlalchemy import bindparam, func, select

from .errors import InvalidData
from .messages import MESSAGES
from .models import Unit
from .vocabulary import LEVELS, PARENT_LEVEL


def add_unit(uow, *, code: str, name: str, level: str, parent: str | None) -> dict:
    """Add a unit below `parent`; each level sits directly below the one above it.

    Its id is the next after the largest: units are added by an administrator now and then, and two added
    at the same moment on PostgreSQL make the second fail on the id's uniqueness, never share an id."""
    with uow:
        if level not in LEVELS:
            raise InvalidData(
                MESSAGES.text("level_unknown", level=level),
                fields={"level": MESSAGES.text("field_one_of_levels", levels=list(LEVELS))},
            )
        if uow.session.get(Unit, code) is not None:
            raise InvalidData(MESSAGES.text("unit_exists", unit=code), fields={"code": MESSAGES.text("field_taken")})
        parent_unit = None
        if level in PARENT_LEVEL:
            parent_unit = uow.session.get(Unit, parent) if parent else None
            if parent_unit is None or parent_unit.level != PARENT_LEVEL[level]:
                raise InvalidData(
                    MESSAGES.text("parent_required", level=level, parent=PARENT_LEVEL[level]),
                    fields={"parent": MESSAGES.text("field_parent_of_level", level=PARENT_LEVEL[level])},
                )
        elif parent:
            raise InvalidData(
                MESSAGES.text("district_has_no_parent"),
                fields={"parent": MESSAGES.text("field_no_parent_for_district")},
            )
        unit_id = (uow.session.scalar(select(func.max(Unit.id))) or 0) + 1
        unit = Unit(
            code=code,
            id=unit_id,
            name=name,
            level=level,
            parent_code=parent,
            id_path=f"{parent_unit.id_path if parent_unit else '/'}{unit_id}/",
            path=(parent_unit.path if parent_unit else "") + code + "/",
        )
        uow.session.add(unit)
        uow.commit()
        return _described(unit)


def list_units(uow) -> list[dict]:
    """Every unit in tree order, each after its parent (by `id_path`): what a unit is chosen from."""
    with uow:
        units = uow.session.scalars(select(Unit).order_by(Unit.id_path)).all()
        uow.end_read()
        return [_described(unit) for unit in units]


def _described(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level, "parent": unit.parent_code}


def get_unit(session, code: str, *, field: str = "unit") -> Unit:
    unit = session.get(Unit, code) if code else None
    if unit is None:
        raise InvalidData(MESSAGES.text("unit_unknown", unit=code), fields={field: MESSAGES.text("field_unit_unknown")})
    return unit


def chain(session, unit: Unit) -> dict:
    """The unit and its ancestors by level: what the escalation chain passes the appeal up through."""
    ids = [int(part) for part in unit.id_path.strip("/").split("/")]
    return {u.level: u.code for u in session.scalars(UNITS_BY_ID, {"ids": ids})}


#: Units by `ids` (built once, see engine/store.py on why).
UNITS_BY_ID = select(Unit).where(Unit.id.in_(bindparam("ids", expanding=True)))


#: Units by `codes` (built once, see engine/store.py on why).
UNITS = select(Unit).where(Unit.code.in_(bindparam("codes", expanding=True)))


def by_code(session, codes) -> dict[str, Unit]:
    """Units by code: those the session holds already, the rest in one query (a request has often
    read the unit it needs already: completing a task reads the task's unit, usually the appeal's)."""
    found, missing = {}, []
    for code in set(codes):
        unit = session.identity_map.get(session.identity_key(Unit, code))
        if unit is None:
            missing.append(code)
        else:
            found[code] = unit
    if missing:
        found.update((unit.code, unit) for unit in session.scalars(UNITS, {"codes": missing}))
    return found


def reach(unit_path):
    """The codes of the unit at `unit_path` (an id path) and of every unit below it, as a subquery;
    `unit_path` is a value or a bound parameter (in a statement built once).

    The prefix is compared as a string, not with LIKE: a bound parameter cannot be escaped for LIKE, and
    then no character of any path could ever act as a wildcard."""
    return select(Unit.code).where(func.substr(Unit.id_path, 1, func.length(unit_path)) == unit_path)


def within(user_unit_path: str | None, unit: Unit | None) -> bool:
    """Whether `unit` is the user's unit or lies below it; `user_unit_path` is the user's unit's id path."""
    return bool(user_unit_path and unit is not None and unit.id_path.startswith(user_unit_path))
