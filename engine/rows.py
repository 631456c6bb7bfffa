"""What people see, held against the history: the open work items and the due timers a replay derives,
compared with the stored rows that task lists and timer sweeps read.

The history can be whole and still disagree with these rows (a work item moved to another unit, a timer
put off): replay names the first such difference instead of calling the instance consistent.
"""

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from .messages import MESSAGES
from .models import DueTimer, WorkItem
from .texts import Text


def first_difference(session, instance_id: int, tasks, timers) -> Text | None:
    """The first open work item or due timer whose stored row differs from `tasks` / `timers` (what the
    replay gives), said in words; None when they agree."""
    items = session.scalars(
        select(WorkItem).where(WorkItem.instance_id == instance_id, WorkItem.closed_at.is_(None))
    ).all()
    due = session.scalars(select(DueTimer).where(DueTimer.instance_id == instance_id)).all()
    return _differs(
        MESSAGES.text("open_work_item"),
        [{"step": t.step, "unit": t.candidate_group, "lane": t.lane, "due_at": t.due_at} for t in tasks],
        [{"step": i.step, "unit": i.candidate_group, "lane": i.lane, "due_at": i.due_at} for i in items],
    ) or _differs(
        MESSAGES.text("due_timer"),
        [{"step": t.step, "due_at": t.due_at} for t in timers],
        [{"step": t.step, "due_at": t.due_at} for t in due],
    )


def postponed(timers, events) -> list:
    """The replayed waiting timers as the due-timer table should hold them: a failure recorded after the
    last operation (`process_error` with `retry_at`, Engine.record_failure) put off those already due."""
    last_change = max((i for i, e in enumerate(events) if e.change is not None), default=-1)
    result = list(timers)
    for event in events[last_change + 1 :]:
        retry_at = event.data.get("retry_at") if event.type == "process_error" else None
        if retry_at:
            retry = datetime.fromisoformat(retry_at)
            result = [replace(t, due_at=retry) if t.due_at <= event.at else t for t in result]
    return result


def _differs(kind: Text, derived: list[dict], stored: list[dict]) -> Text | None:
    """Pair rows step by step (in order of due time) and say the first that is missing, extra or changed."""
    derived, stored = sorted(derived, key=_order), sorted(stored, key=_order)
    for step in sorted({row["step"] for row in derived + stored}):
        want = [row for row in derived if row["step"] == step]
        have = [row for row in stored if row["step"] == step]
        for expected, found in zip(want, have, strict=False):
            for name, value in expected.items():
                if found[name] != value:
                    return MESSAGES.text(
                        "row_differs", kind=kind, step=step, field=name, stored=_said(found[name]), derived=_said(value)
                    )
        if len(have) > len(want):
            return MESSAGES.text("row_only_stored", kind=kind, step=step)
        if len(want) > len(have):
            return MESSAGES.text("row_only_derived", kind=kind, step=step)
    return None


def _order(row: dict):
    return row["step"], row["due_at"].timestamp() if row["due_at"] else 0.0


def _said(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)
