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

from engine import HistoryEvent, InvalidData, WorkItem

from ..domain import access, units
from ..domain.errors import Forbidden
from ..domain.keywords import keywords
from ..domain.messages import MESSAGES
from ..domain.models import Appeal, LateRecord, Unit
from ..domain.vocabulary import LEVELS, MANUAL_REMINDER

#: Who reads statistics: leaders and stations for their unit and below it, auditors and admins for all.
READERS = ("leader", "station", "auditor", "admin")
SATISFIED = ("satisfied", "basically_satisfied")
HANDLING_STEPS = tuple(f"handle_{level}" for level in LEVELS)
TOP = 10
_CHUNK = 500


@dataclass(frozen=True)
class Facts:
    """What one appeal of the cohort contributes to each statistic (see docs/statistics.md), and to which
    units' scorecards: `unit` (the responsible unit) takes all but its reply, which `reply_units` take,
    and its verdict, which `verdict_unit` takes (the fair rule)."""

    unit: str
    created_at: datetime
    duplicate: bool
    settled: bool
    reply_due: bool
    replied: bool
    replied_on_time: bool
    satisfaction: str | None
    unreachable: bool
    reopen_count: int
    reminded: bool
    handling_days: int | None
    reply_units: tuple[str, ...]
    verdict_unit: str


def compute(uow, *, actor, since: datetime, until: datetime, unit=None, category=None, channel=None) -> dict:
    """The statistics of the appeals collected in [since, until), within the actor's reach (GET /stats)."""
    access.require_role(actor, *READERS)
    asked = {"since": since, "until": until, "unit": unit, "category": category, "channel": channel}
    result = figures(uow, actor=actor, **asked)
    access.log_query(uow, actor, "stats", **asked)
    return result


def figures(uow, *, actor, since: datetime, until: datetime, unit=None, category=None, channel=None) -> dict:
    """`compute`'s figures, for whoever asks on the reader's behalf (the monthly study)."""
    if until <= since:
        raise InvalidData(MESSAGES.text("period_empty"), fields={"until": MESSAGES.text("field_after_since")})
    with uow.reading():
        session, now, zone = uow.session, uow.clock.now(), ZoneInfo(uow.runtime.zone)
        scope = _scope(session, actor, unit)
        appeals = session.scalars(
            select(Appeal).where(*_filters(since, until, category, channel)).order_by(Appeal.created_at, Appeal.id)
        ).all()
        responsible = responsible_units(session, appeals)
        tree = dict(session.execute(select(Unit.code, Unit.id_path)).all())
        calendar = uow.engine.calendar()
        history = _History.read(session, appeals)
        every = [_facts(a, responsible[a.id], history, now=now, calendar=calendar, zone=zone) for a in appeals]
        facts = [f for f in every if scope is None or tree.get(f.unit, "").startswith(scope.id_path)]
        late = _late_units(session, since, until, category, channel, scope)
        return {
            "period": {"since": since, "until": until, "as_of": now},
            "filters": {"unit": scope.code if scope else None, "category": category, "channel": channel},
            **summarize(facts),
            "units": _scorecards(session, every, late, tree, scope),
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
    """The cohort's figures: counts, the rates, reopenings, reminders and handling time."""
    return {**_counts(facts), **_replies(facts), **_verdicts(facts)}


def _counts(facts: list[Facts]) -> dict:
    """The figures of the appeals themselves (on scorecards: the responsible unit's)."""
    collected, duplicates = len(facts), sum(f.duplicate for f in facts)
    settled, replied = sum(f.settled for f in facts), sum(f.replied for f in facts)
    reopened, reminded = sum(f.reopen_count > 0 for f in facts), sum(f.reminded for f in facts)
    days = sorted(f.handling_days for f in facts if f.handling_days is not None)
    return {
        "collected": collected,
        "duplicates": duplicates,
        "settled": settled,
        "settlement_rate": _rate(settled, collected - duplicates),
        "reopened": reopened,
        "reopenings": sum(f.reopen_count for f in facts),
        "replied": replied,
        "redo_rate": _rate(reopened, replied),
        "reminded": reminded,
        "reminder_rate": _rate(reminded, collected),
        "handling_days": {
            "count": len(days),
            "mean": round(sum(days) / len(days), 2) if days else None,
            "p90": days[math.ceil(0.9 * len(days)) - 1] if days else None,
        },
    }


def _replies(facts: list[Facts]) -> dict:
    """The reply figures (on scorecards: of the appeals whose reply the unit answers for)."""
    due, on_time = sum(f.reply_due for f in facts), sum(f.replied_on_time for f in facts)
    return {"replies_due": due, "replied_on_time": on_time, "on_time_rate": _rate(on_time, due)}


def _verdicts(facts: list[Facts]) -> dict:
    """The citizens' verdicts (on scorecards: on the unit's dispositions)."""
    verdicts = Counter(f.satisfaction for f in facts if f.satisfaction)
    evaluated, unreachable = sum(verdicts.values()), sum(f.unreachable for f in facts)
    return {
        "evaluated": evaluated,
        "satisfied": verdicts["satisfied"],
        "basically_satisfied": verdicts["basically_satisfied"],
        "dissatisfied": verdicts["dissatisfied"],
        "satisfaction_rate": _rate(verdicts["satisfied"] + verdicts["basically_satisfied"], evaluated),
        "unreachable": unreachable,
        "unreachable_rate": _rate(unreachable, evaluated + unreachable),
    }


def working_days_between(calendar, zone, start: datetime, end: datetime) -> int:
    """Working days after the day of `start` up to and including the day of `end` (local dates): the
    count the time limits use, so an appeal closed within a 7-working-day limit took at most 7."""
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return sum(calendar.is_workday(first + timedelta(days=n)) for n in range(1, (last - first).days + 1))


def _facts(appeal: Appeal, unit: str, history: "_History", *, now, calendar, zone) -> Facts:
    key = appeal.instance_id
    first_reply = history.first_reply.get(key)
    duplicate = appeal.disposition == "duplicate"
    settled = appeal.status == "closed" and appeal.disposition is not None and not duplicate
    reply_due = appeal.deadline is not None and not duplicate and (first_reply is not None or appeal.deadline <= now)
    on_time = reply_due and first_reply is not None and first_reply <= appeal.deadline
    lapsed = sorted({late_unit for late_unit, at in history.lapses.get(appeal.id, ()) if at <= (first_reply or now)})
    if reply_due and not on_time and lapsed:
        reply_units = tuple(lapsed)  # lateness: to the units whose limits lapsed
    else:
        reply_units = (history.disposer(appeal, first_reply) if first_reply else unit,)
    verdict_at = history.last_verdict.get(key)
    return Facts(
        unit=unit,
        created_at=appeal.created_at,
        duplicate=duplicate,
        settled=settled,
        reply_due=reply_due,
        replied=first_reply is not None,
        replied_on_time=on_time,
        satisfaction=appeal.satisfaction,
        unreachable=appeal.unreachable,
        reopen_count=appeal.reopen_count or 0,
        reminded=key in history.reminded,
        handling_days=working_days_between(calendar, zone, appeal.created_at, appeal.closed_at) if settled else None,
        reply_units=reply_units,
        verdict_unit=history.disposer(appeal, verdict_at) if verdict_at else unit,
    )


@dataclass
class _History:
    """What the cohort's histories say beyond the appeal rows, read in a few queries for them all: by
    instance id, the first reply, the latest evaluation, the handling steps completed (when, which unit)
    and whether a reminder was sent by hand; by appeal id, the limits that lapsed (unit, when recorded)."""

    first_reply: dict
    last_verdict: dict
    handled: dict
    reminded: set
    lapses: dict

    @classmethod
    def read(cls, session, appeals: list[Appeal]) -> "_History":
        found = cls({}, {}, {}, set(), {})
        for chunk in _chunks(appeals):
            instance_ids = [a.instance_id for a in chunk]
            rows = session.execute(
                select(WorkItem.instance_id, WorkItem.step, WorkItem.candidate_group, WorkItem.closed_at)
                .where(
                    WorkItem.instance_id.in_(instance_ids),
                    WorkItem.step.in_((*HANDLING_STEPS, "feedback", "evaluate")),
                    WorkItem.outcome == "completed",
                )
                .order_by(WorkItem.closed_at)
            )
            for instance_id, step, unit, closed_at in rows:
                if step == "feedback":
                    found.first_reply.setdefault(instance_id, closed_at)
                elif step == "evaluate":
                    found.last_verdict[instance_id] = closed_at
                else:
                    found.handled.setdefault(instance_id, []).append((closed_at, unit))
            found.reminded.update(
                session.scalars(
                    select(HistoryEvent.instance_id)
                    .where(HistoryEvent.instance_id.in_(instance_ids), HistoryEvent.type == MANUAL_REMINDER)
                    .distinct()
                )
            )
            lapses = session.execute(
                select(LateRecord.appeal_id, LateRecord.unit, LateRecord.recorded_at).where(
                    LateRecord.appeal_id.in_([a.id for a in chunk])
                )
            )
            for appeal_id, unit, recorded_at in lapses:
                found.lapses.setdefault(appeal_id, []).append((unit, recorded_at))
        return found

    def disposer(self, appeal: Appeal, moment: datetime) -> str:
        """The unit whose disposition stood at `moment`: that of the latest handling step completed by
        then, or the intake unit when none was (settled on the spot)."""
        before = [unit for closed_at, unit in self.handled.get(appeal.instance_id, ()) if closed_at <= moment]
        return before[-1] if before else appeal.intake_unit


def _scope(session, actor, unit_code):
    """The unit whose subtree the figures cover: the one asked for (within the actor's reach), else the
    actor's own unit; None (everything) for auditors and admins who ask for no unit."""
    if unit_code is None:
        return session.get(Unit, actor.unit) if actor.unit else None
    unit = units.get_unit(session, unit_code)
    if actor.unit_path and not units.within(actor.unit_path, unit):
        raise Forbidden(
            MESSAGES.text("unit_outside", unit=unit_code), fields={"unit": MESSAGES.text("field_unit_not_within_yours")}
        )
    return unit


def _filters(since, until, category, channel) -> list:
    conditions = [Appeal.created_at >= since, Appeal.created_at < until]
    if category:
        conditions.append(Appeal.category == category)
    if channel:
        conditions.append(Appeal.channel == channel)
    return conditions


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
        query = query.where(LateRecord.unit.in_(units.reach(scope.id_path)))
    return [
        {"unit": unit, "times_late": count, "longest_late_seconds": longest}
        for unit, count, longest in session.execute(query)
    ]


def _scorecards(session, facts: list[Facts], late: list[dict], tree: dict, scope) -> list[dict]:
    """One card per unit within the scope that answers for something in the period (under the fair rule,
    from every appeal of the period, so a unit's card is the same whatever scope is asked for), ranked
    within its level by `score`: the mean of its defined rates (settlement, on-time, satisfaction); ties
    go to fewer times late, then the code."""
    own, replies, verdicts = defaultdict(list), defaultdict(list), defaultdict(list)
    for fact in facts:
        own[fact.unit].append(fact)
        for code in fact.reply_units:
            replies[code].append(fact)
        verdicts[fact.verdict_unit].append(fact)
    times_late = {row["unit"]: row["times_late"] for row in late}
    codes = {
        code
        for code in own.keys() | replies.keys() | verdicts.keys() | times_late.keys()
        if scope is None or tree.get(code, "").startswith(scope.id_path)
    }
    known = units.by_code(session, codes)
    cards = []
    for code in sorted(codes):
        figures = {**_counts(own.get(code, [])), **_replies(replies.get(code, [])), **_verdicts(verdicts.get(code, []))}
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
