"""Possible duplicates at intake: the open appeals alike the call being typed, offered to the operator
so that one problem is not registered twice (the station may still mark a duplicate at collation).

Alike means any of: the same reporter phone (compared exactly and never echoed back: the reporter shows
as in every list, masked, or not at all when confidential), an address that contains the one typed or is
contained in it, a title sharing at least half of its words (keywords.py), a map point within
NEARBY_METRES. Only appeals the caller may read are offered, at most LIMIT, those alike in more ways
first, then the newest. Nothing here logs what was typed.
"""

import math

from sqlalchemy import func, literal, or_, select

from ..domain import access, units
from ..domain.keywords import keywords
from ..domain.models import Appeal

#: How an appeal can be alike a call (codes the vocabulary names, kind "likeness").
LIKENESS = ("phone", "address", "title", "nearby")
#: Who takes calls, and so is offered possible duplicates.
ROLES = ("intake", "station")
#: The most suggestions given, and the most candidates weighed to find them (newest first).
LIMIT, CANDIDATES = 10, 200
#: Addresses shorter than this (in characters) match too much to mean anything ("村", "1号").
MIN_ADDRESS = 4
#: Title words searched for: the longest ones, which say most.
MAX_WORDS = 6
#: A map point this close is "nearby"; a degree of latitude is this long.
NEARBY_METRES, METRES_PER_DEGREE = 300, 111_320


def similar(uow, *, actor, title=None, address=None, phone=None, lat=None, lon=None) -> list[dict]:
    """The open appeals the actor may read that are alike the call typed so far (see the module)."""
    access.require_role(actor, *ROLES)
    words = sorted(keywords(title), key=lambda word: (-len(word), word))[:MAX_WORDS] if title else []
    address = address.strip() if address and len(address.strip()) >= MIN_ADDRESS else None
    phone = phone.strip() if phone else None
    point = (lat, lon) if lat is not None and lon is not None else None
    conditions = _conditions(words=words, address=address, phone=phone, point=point)
    if not conditions:
        return []
    with uow.reading():
        query = select(Appeal).where(Appeal.status == "open", or_(*conditions))
        scope = access.appeal_scope(actor)
        if scope is not None:
            query = query.where(scope)
        candidates = uow.session.scalars(query.order_by(Appeal.id.desc()).limit(CANDIDATES)).all()
        found = [
            (appeal, reasons)
            for appeal in candidates
            if (reasons := _reasons(appeal, words=words, address=address, phone=phone, point=point))
        ]
        found.sort(key=lambda pair: (len(pair[1]), pair[0].id), reverse=True)
        found = found[:LIMIT]
        intake_units = units.by_code(uow.session, [appeal.intake_unit for appeal, _ in found])
        return [
            _view(
                appeal,
                reasons,
                reporter=access.reporter_for(actor, appeal, intake_units.get(appeal.intake_unit), listing=True),
            )
            for appeal, reasons in found
        ]


def _conditions(*, words, address, phone, point) -> list:
    """What narrows the candidates in SQL; `_reasons` then decides each one in Python."""
    conditions = [Appeal.title.icontains(word, autoescape=True) for word in words]
    if address:
        conditions.append(
            or_(
                Appeal.address.icontains(address, autoescape=True),
                (func.length(Appeal.address) >= MIN_ADDRESS)
                & literal(address.lower()).contains(func.lower(Appeal.address)),
            )
        )
    if phone:
        conditions.append(Appeal.reporter_phone == phone)
    if point:
        lat, lon = point
        dlat = NEARBY_METRES / METRES_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        conditions.append(Appeal.lat.between(lat - dlat, lat + dlat) & Appeal.lon.between(lon - dlon, lon + dlon))
    return conditions


def _reasons(appeal: Appeal, *, words, address, phone, point) -> list[str]:
    """Why `appeal` is alike the call: "phone", "address", "title", "nearby" (none: it is not)."""
    reasons = []
    if phone and appeal.reporter_phone == phone:
        reasons.append("phone")
    stored = (appeal.address or "").lower()
    if address and len(stored) >= MIN_ADDRESS and (address.lower() in stored or stored in address.lower()):
        reasons.append("address")
    if words and 2 * sum(word in appeal.title.lower() for word in words) >= len(words):
        reasons.append("title")
    if point and appeal.lat is not None and appeal.lon is not None:
        if _metres(point, (appeal.lat, appeal.lon)) <= NEARBY_METRES:
            reasons.append("nearby")
    return reasons


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance between two points on the earth (haversine; a sphere is close enough for 300 m)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def _view(appeal: Appeal, reasons: list[str], *, reporter) -> dict:
    return {
        "id": appeal.id,
        "number": appeal.number,
        "title": appeal.title,
        "address": appeal.address,
        "stage": appeal.stage,
        "unit": appeal.unit,
        "created_at": appeal.created_at,
        "reporter": reporter,
        "reasons": reasons,
    }
