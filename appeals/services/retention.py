"""Retention: the personal data of appeals closed long ago is removed, their attachments with it; what
statistics and the audit chain need stays (dates, units, category, channel, outcome, and every history
event, which never held it: an attachment's event keeps its SHA-256, not its name)."""

from datetime import timedelta

from sqlalchemy import select

from ..domain.models import Appeal
from . import attachments

REMOVED = "[removed]"


def anonymise(runtime, *, years: int) -> int:
    """Anonymise every appeal closed more than `years` years ago; returns how many. Each is recorded."""
    with runtime.uow() as uow:
        cutoff = uow.clock.now() - timedelta(days=round(365.25 * years))
        ids = uow.session.scalars(
            select(Appeal.id).where(Appeal.closed_at < cutoff, Appeal.anonymised_at.is_(None)).order_by(Appeal.id)
        ).all()
    for appeal_id in ids:
        with runtime.uow() as uow:
            appeal = uow.session.get(Appeal, appeal_id)
            appeal.reporter_name = appeal.reporter_phone = appeal.address = appeal.lat = appeal.lon = None
            appeal.title = appeal.description = REMOVED
            appeal.anonymised_at = uow.clock.now()
            files = attachments.remove_all(uow, appeal)
            uow.engine.record(appeal.instance_id, "anonymised", actor=None, data={"years": years})
            uow.commit()
        attachments.forget(runtime, files)
    return len(ids)
