"""The auditor's service: verify histories by replay, show an appeal as it was after any event, export a
bundle that verifies offline. Nothing here changes an appeal; auditors' reads go to the access log.

Leaders and administrators may also verify; only auditors' reads are logged (access.LOGGED_READERS)."""

import base64

from sqlalchemy import select

from engine import Conflict, Instance, Package, PackageFile, ProcessVersion, hash_chain, worded_items

from ..domain import access
from ..domain.messages import MESSAGES, word
from ..domain.models import Appeal
from .appeals import readable, record_fields
from .views import open_task_view

AUDIT_ROLES = ("auditor", "admin")
BUNDLE_FORMAT = "appealflow-audit-bundle/2"
#: How often a bundle publishes a head before giving up on an appeal that changes all the while.
PUBLISHING_ATTEMPTS = 3


def verify(uow, *, actor, appeal_id: int) -> dict:
    """Replay one appeal's history and say whether it produces the stored state and record (or where not:
    `reason` is a Text, for the reader's side to word)."""
    access.require_role(actor, *AUDIT_ROLES)
    with uow:
        appeal = readable(uow, actor, appeal_id)
        verdict = _verdict(uow, appeal)
        access.log_read(uow, actor, appeal, "replay")
        return {"appeal_id": appeal.id, "number": appeal.number, **verdict}


def verify_all(runtime) -> list[dict]:
    """Verify every appeal, one transaction each (for `flask --app app replay --all`)."""
    with runtime.uow() as uow:
        ids = uow.session.scalars(select(Appeal.id).order_by(Appeal.id)).all()
    results = []
    for appeal_id in ids:
        with runtime.uow() as uow:
            appeal = uow.session.get(Appeal, appeal_id)
            results.append({"appeal_id": appeal.id, "number": appeal.number, **_verdict(uow, appeal)})
    return results


def _verdict(uow, appeal) -> dict:
    """The engine's verdict on the appeal's instance, and then the appeal record held against what its
    history gives: the first field that differs makes the appeal inconsistent."""
    verdict = uow.engine.replayer().verify(appeal.instance_id)
    if verdict.consistent:
        events = uow.engine.history(appeal.instance_id)
        derived = derived_record(appeal, events, verdict.snapshot)
        for name, value in derived.items():
            if getattr(appeal, name) != value:
                verdict.consistent, verdict.first_bad_seq = False, events[-1].seq
                verdict.reason = MESSAGES.text(
                    "record_differs", field=name, stored=repr(getattr(appeal, name)), derived=repr(value)
                )
                break
    return verdict.as_dict()


def derived_record(appeal, events, snapshot) -> dict:
    """The appeal record's fields as `events` (its history up to `snapshot`) give them."""
    handed = [e.data["to"] for e in events if e.type == "handed_over"]
    fields = record_fields(snapshot, unit_before=handed[-1] if handed else appeal.intake_unit, category_before=None)
    closed_events = [e.at for e in events if e.type == "closed"]
    claims = [e.actor if e.type == "claimed" else None for e in events if e.type in ("claimed", "claim_released")]
    closed = fields.pop("closed")
    return {
        "status": "closed" if closed else "open",
        "closed_at": closed_events[-1] if closed and closed_events else None,
        "claimed_by": claims[-1] if claims else None,
        **fields,
    }


def state_at(uow, *, actor, appeal_id: int, seq: int) -> dict:
    """The appeal, its open tasks and its process data just after event `seq`."""
    access.require_role(actor, *AUDIT_ROLES)
    with uow:
        appeal = readable(uow, actor, appeal_id)
        snapshot = uow.engine.replayer().state_at(appeal.instance_id, seq)
        events = uow.engine.history(appeal.instance_id)[:seq]
        access.log_read(uow, actor, appeal, f"state_at:{seq}")
        return {
            "seq": seq,
            "at": snapshot.at,
            "appeal": {
                "id": appeal.id,
                "number": appeal.number,
                "instructions": [
                    {"author": e.actor, "text": e.data["text"], "created_at": e.at}
                    for e in events
                    if e.type == "instruction"
                ],
                **derived_record(appeal, events, snapshot),
            },
            "tasks": [open_task_view(t, context=t.context or {}) for t in snapshot.tasks],
            "data": snapshot.data,
        }


def bundle(uow, *, actor, appeal_id: int, language: str) -> dict:
    """The appeal's history with its hashes, its process version's files, the replay's verdict (its reason
    in `language`: what is signed is words, as the auditor reads them), and what puts it in the transparency
    log: a signed tree head, the last event's inclusion proof and the head's consistency with the one before;
    the rest is signed with the log's key. One JSON document.

    tools/verify_bundle.py checks it offline. Personal data stays out. A head is published first (the
    last event must be in its tree); an event written meanwhile means publishing once more.
    """
    access.require_role(actor, *AUDIT_ROLES)
    transparency = uow.runtime.transparency
    for _attempt in range(PUBLISHING_ATTEMPTS):
        head = transparency.publish(uow.runtime)
        with uow:
            appeal = readable(uow, actor, appeal_id)
            events = uow.engine.history(appeal.instance_id)
            proofs = transparency.proofs(uow.session, head, events[-1])
            if proofs is None:
                continue
            document = _bundle_document(uow, appeal, events, proofs, language)
            document["signature"] = transparency.sign(signed_statement(document))
            access.log_read(uow, actor, appeal, "audit_bundle")
            return document
    raise Conflict(MESSAGES.text("concurrent_write"))


def _bundle_document(uow, appeal, events, proofs, language: str) -> dict:
    zone = uow.runtime.zone
    version = uow.session.scalar(
        select(ProcessVersion)
        .join(Instance, Instance.process_version_id == ProcessVersion.id)
        .where(Instance.id == appeal.instance_id)
    )
    package = uow.session.get(Package, version.package_id)
    files = uow.session.scalars(select(PackageFile).where(PackageFile.package_id == package.id)).all()
    return {
        "format": BUNDLE_FORMAT,
        "appeal": {
            "id": appeal.id,
            "number": appeal.number,
            "channel": appeal.channel,
            "category": appeal.category,
            "status": appeal.status,
        },
        "process": {
            "id": version.process_id,
            "version": version.version,
            "package_hash": package.content_hash,
            "files": {f.name: base64.b64encode(f.content).decode() for f in files},
        },
        "events": [{**hash_chain.event_fields(e), "hash": e.hash} for e in events],
        "replay": worded_items([_verdict(uow, appeal)], lambda text: word(text, language=language, zone=zone))[0],
        "transparency": proofs,
    }


def signed_statement(document: dict) -> bytes:
    """What the log's key signs of a bundle besides its history (tools/verify_bundle.py's `statement`)."""
    events, process = document["events"], document["process"]
    return hash_chain.canonical(
        {
            "format": document["format"],
            "appeal": document["appeal"],
            "process": {key: process[key] for key in ("id", "version", "package_hash")},
            "replay": document["replay"],
            "events": len(events),
            "last_hash": events[-1]["hash"],
            "head": {key: document["transparency"]["head"][key] for key in ("size", "root")},
        }
    ).encode()
