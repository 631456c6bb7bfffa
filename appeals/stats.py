"""Assessment statistics: the rates leaders are judged by, per period, unit, category and channel.

Every figure is defined in docs/statistics.md, and each is computed here in one place, so that the
stats endpoint, the monthly study and any later report can never disagree. The figures describe the
appeals *collected* in the period (a cohort) as they stand at the moment of the query (`as_of`), plus
the late records *recorded* in the period (the name-call bulletin).
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from engine import InvalidData, WorkItem

from . import access, units
from .errors import Forbidden
from .keywords import keywords
from .messages import MESSAGES
from .models import Appeal, LateRecord, Unit
from .vocabulary import LEVELS

#: Who reads statistics: leaders and stations for their unit and below it, auditors and admins for all.
READERS = ("leader", "station", "auditor", "admin")
SATISFIED = ("satisfied", "basically_satisfied")
HANDLING_STEPS = tuple(f"handle_{level}" for level in LEVELS)
TOP = 10
_CHUNK = 500


@dataclass(frozen=True)
class Facts:
    """What one appeal of the cohort contributes to each statistic (see docs/statistics.md)."""

    unit: str
    created_at: datetime
    duplicate: bool
    settled: bool
    reply_due: bool
    replied_on_time: bool
    satisfaction: str | None
    reopen_count: int
    handling_days: int | None


def compute(uow, *, actor, since: datetime, until: datetime, unit=None, category=None, channel=None) -> dict:
    """The statistics of the appeals collected in [since, until), within the actor's reach."""
    access.require_role(actor, *READERS)
    if until <= since:
        raise InvalidData(MESSAGES.text("period_empty"), fields={"until": "must be after since"})
    with uow.reading():
        session, now, zone = uow.session, uow.clock.now(), ZoneInfo(uow.runtime.zone)
        scope = _scope(session, actor, unit)
        appeals = session.scalars(
            select(Appeal).where(*_filters(since, until, category, channel)).order_by(Appeal.created_at, Appeal.id)
        ).all()
        responsible = responsible_units(session, appeals)
        tree = dict(session.execute(select(Unit.code, Unit.path)).all())
        if scope is not None:
            appeals = [a for a in appeals if tree.get(responsible[a.id], "").startswith(scope.path)]
        replies = _first_replies(session, appeals)
        calendar = uow.engine.calendar()
        facts = [
            _facts(a, responsible[a.id], replies.get(a.instance_id), now=now, calendar=calendar, zone=zone)
            for a in appeals
        ]
        late = _late_units(session, since, until, category, channel, scope)
        return {
            "period": {"since": since, "until": until, "as_of": now},
            "filters": {"unit": scope.code if scope else None, "category": category, "channel": channel},
            **summarize(facts),
            "units": _scorecards(session, facts, late),
            "late_units": late,
            "top_demands": _top_demands(appeals),
            "weekly": _weekly(facts, since, until, zone),
        }


def responsible_units(session, appeals) -> dict[int, str]:
    """Appeal id -> the unit answerable for it: the unit of its latest handling step (`handle_<level>`,
    open or completed, not cancelled), or its intake unit while it was never dispatched."""
    latest: dict[int, tuple] = {}
    for chunk in _chunks([a.instance_id for a in appeals]):
        rows = session.execute(
            select(WorkItem.instance_id, WorkItem.candidate_group, WorkItem.created_at, WorkItem.closed_at).where(
                WorkItem.instance_id.in_(chunk),
                WorkItem.step.in_(HANDLING_STEPS),
                (WorkItem.outcome.is_(None)) | (WorkItem.outcome == "completed"),
            )
        )
        for instance_id, unit, created_at, closed_at in rows:
            key = (closed_at is None, closed_at or created_at, created_at, unit)
            if instance_id not in latest or key > latest[instance_id]:
                latest[instance_id] = key
    return {a.id: latest[a.instance_id][3] if a.instance_id in latest else a.intake_unit for a in appeals}


def summarize(facts: list[Facts]) -> dict:
    """The cohort's figures: counts, the three rates, reopenings and handling time."""
    collected, duplicates = len(facts), sum(f.duplicate for f in facts)
    settled = sum(f.settled for f in facts)
    due, on_time = sum(f.reply_due for f in facts), sum(f.replied_on_time for f in facts)
    verdicts = Counter(f.satisfaction for f in facts if f.satisfaction)
    evaluated = sum(verdicts.values())
    days = sorted(f.handling_days for f in facts if f.handling_days is not None)
    return {
        "collected": collected,
        "duplicates": duplicates,
        "settled": settled,
        "settlement_rate": _rate(settled, collected - duplicates),
        "replies_due": due,
        "replied_on_time": on_time,
        "on_time_rate": _rate(on_time, due),
        "evaluated": evaluated,
        "satisfied": verdicts["satisfied"],
        "basically_satisfied": verdicts["basically_satisfied"],
        "dissatisfied": verdicts["dissatisfied"],
        "satisfaction_rate": _rate(verdicts["satisfied"] + verdicts["basically_satisfied"], evaluated),
        "reopened": sum(f.reopen_count > 0 for f in facts),
        "reopenings": sum(f.reopen_count for f in facts),
        "handling_days": {
            "count": len(days),
            "mean": round(sum(days) / len(days), 2) if days else None,
            "p90": days[math.ceil(0.9 * len(days)) - 1] if days else None,
        },
    }


def working_days_between(calendar, zone, start: datetime, end: datetime) -> int:
    """Working days after the day of `start` up to and including the day of `end` (local dates): the
    count the time limits use, so an appeal closed within a 7-working-day limit took at most 7."""
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return sum(calendar.is_workday(first + timedelta(days=n)) for n in range(1, (last - first).days + 1))


def _facts(appeal: Appeal, unit: str, first_reply, *, now, calendar, zone) -> Facts:
    duplicate = appeal.disposition == "duplicate"
    settled = appeal.status == "closed" and appeal.disposition is not None and not duplicate
    reply_due = appeal.deadline is not None and not duplicate and (first_reply is not None or appeal.deadline <= now)
    return Facts(
        unit=unit,
        created_at=appeal.created_at,
        duplicate=duplicate,
        settled=settled,
        reply_due=reply_due,
        replied_on_time=reply_due and first_reply is not None and first_reply <= appeal.deadline,
        satisfaction=appeal.satisfaction,
        reopen_count=appeal.reopen_count or 0,
        handling_days=working_days_between(calendar, zone, appeal.created_at, appeal.closed_at) if settled else None,
    )


def _scope(session, actor, unit_code):
    """The unit whose subtree the figures cover: the one asked for (within the actor's reach), else the
    actor's own unit; None (everything) for auditors and admins who ask for no unit."""
    if unit_code is None:
        return session.get(Unit, actor.unit) if actor.unit else None
    unit = units.get_unit(session, unit_code)
    if actor.unit_path and not unit.path.startswith(actor.unit_path):
        raise Forbidden(MESSAGES.text("unit_outside", unit=unit_code), fields={"unit": "not your unit or below it"})
    return unit


def _filters(since, until, category, channel) -> list:
    conditions = [Appeal.created_at >= since, Appeal.created_at < until]
    if category:
        conditions.append(Appeal.category == category)
    if channel:
        conditions.append(Appeal.channel == channel)
    return conditions


def _first_replies(session, appeals) -> dict:
    """Instance id -> when its first `feedback` step (the reply to the citizen) was completed."""
    replies = {}
    for chunk in _chunks([a.instance_id for a in appeals]):
        replies.update(
            session.execute(
                select(WorkItem.instance_id, func.min(WorkItem.closed_at))
                .where(WorkItem.instance_id.in_(chunk), WorkItem.step == "feedback", WorkItem.outcome == "completed")
                .group_by(WorkItem.instance_id)
            ).all()
        )
    return replies


def _late_units(session, since, until, category, channel, scope) -> list[dict]:
    """The name-call bulletin: units that let a limit run out in the period, most often first."""
    query = (
        select(LateRecord.unit, func.count(), func.max(LateRecord.late_seconds))
        .join(Appeal, Appeal.id == LateRecord.appeal_id)
        .where(LateRecord.recorded_at >= since, LateRecord.recorded_at < until)
        .group_by(LateRecord.unit)
        .order_by(func.count().desc(), LateRecord.unit)
    )
    if category:
        query = query.where(Appeal.category == category)
    if channel:
        query = query.where(Appeal.channel == channel)
    if scope is not None:
        query = query.where(LateRecord.unit.in_(units.reach(scope.path)))
    return [
        {"unit": unit, "times_late": count, "longest_late_seconds": longest}
        for unit, count, longest in session.execute(query)
    ]


def _scorecards(session, facts: list[Facts], late: list[dict]) -> list[dict]:
    """One card per responsible unit (and per late unit), ranked within its level by `score`: the mean of
    its defined rates (settlement, on-time, satisfaction); ties go to fewer times late, then the code."""
    by_unit = defaultdict(list)
    for fact in facts:
        by_unit[fact.unit].append(fact)
    times_late = {row["unit"]: row["times_late"] for row in late}
    known = units.by_code(session, by_unit.keys() | times_late.keys())
    cards = []
    for code in sorted(by_unit.keys() | times_late.keys()):
        figures = summarize(by_unit.get(code, []))
        rates = [figures[r] for r in ("settlement_rate", "on_time_rate", "satisfaction_rate") if figures[r] is not None]
        unit = known.get(code)
        cards.append(
            {
                "unit": code,
                "name": unit.name if unit else code,
                "level": unit.level if unit else None,
                **figures,
                "times_late": times_late.get(code, 0),
                "score": round(sum(rates) / len(rates), 4) if rates else None,
                "rank": None,
            }
        )
    for level in {card["level"] for card in cards}:
        ranked = sorted(
            (c for c in cards if c["level"] == level and c["score"] is not None),
            key=lambda c: (-c["score"], c["times_late"], c["unit"]),
        )
        for position, card in enumerate(ranked, start=1):
            card["rank"] = position
    order = {level: n for n, level in enumerate(LEVELS)}
    return sorted(cards, key=lambda c: (order.get(c["level"], len(order)), c["rank"] or math.inf, c["unit"]))


def _top_demands(appeals: list[Appeal]) -> dict:
    """High-frequency demands: every category, and the places and words found in at least two appeals."""
    categories = Counter(a.category for a in appeals)
    places, spelling = Counter(), {}
    for appeal in appeals:
        place = " ".join((appeal.address or "").split())
        if place:
            places[place.casefold()] += 1
            spelling.setdefault(place.casefold(), place)
    words = Counter(word for a in appeals for word in keywords(f"{a.title}\n{a.description}"))
    return {
        "categories": [
            {"category": name, "count": n} for name, n in sorted(categories.items(), key=lambda i: (-i[1], i[0] or ""))
        ],
        "places": [{"place": spelling[key], "count": n} for key, n in _recurring(places)],
        "words": [{"word": word, "count": n} for word, n in _recurring(words)],
    }


def _recurring(counter: Counter) -> list[tuple[str, int]]:
    return sorted(((k, n) for k, n in counter.items() if n >= 2), key=lambda i: (-i[1], i[0]))[:TOP]


def _weekly(facts: list[Facts], since: datetime, until: datetime, zone) -> list[dict]:
    """The period cut at each Monday 00:00 local time: what was collected in each piece, and how much of
    that is settled now."""
    bounds, day = [since], since.astimezone(zone).date()
    while True:
        day += timedelta(days=7 - day.weekday())
        monday = datetime.combine(day, time(), zone)
        if monday >= until:
            break
        bounds.append(monday)
    bounds.append(until)
    weeks = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        inside = [f for f in facts if start <= f.created_at < end]
        weeks.append(
            {"since": start, "until": end, "collected": len(inside), "settled": sum(f.settled for f in inside)}
        )
    return weeks


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _chunks(values: list, size: int = _CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]
