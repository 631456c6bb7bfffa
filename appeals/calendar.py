"""The administrators' calendar service: load a year's official schedule of holidays and worked weekends."""

from datetime import date

from engine.calendar import save_year

from . import access
from .errors import InvalidData


def load_year(uow, *, actor, year: int, holidays: list[str], workdays: list[str]) -> dict:
    """Load (or replace) `year`'s schedule; limits that reach into that year then use it."""
    access.require_role(actor, "admin")
    with uow:
        try:
            off, on = [date.fromisoformat(d) for d in holidays], [date.fromisoformat(d) for d in workdays]
        except (TypeError, ValueError) as error:
            raise InvalidData("days are ISO dates, YYYY-MM-DD", fields={"days": str(error)}) from error
        save_year(uow.session, year=year, holidays=off, workdays=on, actor=actor.name, at=uow.clock.now())
        uow.commit()
        return {"year": year, "holidays": sorted(map(str, off)), "workdays": sorted(map(str, on))}
