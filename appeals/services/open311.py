"""Open311 GeoReport v2 over the appeal service: what third-party 311 apps see of appeals, and how they file one.

The categories are the service codes. A filed request is an appeal reported through `appeals.report` with
channel `online` by the intake user whose API token is the `api_key`, so it follows the same closed loop
as any other appeal. What comes back is public: it never carries the reporter's name, phone or e-mail.
Field mapping and its reasons: docs/open311.md.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine import Instance, InvalidData, NotFound

from ..domain import access
from ..domain.errors import Unauthorized
from ..domain.models import Appeal, Unit
from ..reports.stats import responsible_units
from . import users
from .appeals import report
from .attachments import first_report_photos

#: When the service list or a service definition last changed (the discovery document's changeset).
CHANGESET = "2026-11-22T00:00:00+08:00"
#: GeoReport v2: "a span of 90 days or first 1000 requests returned, whichever is smallest".
MAX_SPAN = timedelta(days=90)
LIMIT = 1000
TITLE_LENGTH = 60


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    keywords: str


SERVICES = {
    s.code: s
    for s in (
        Service(
            "consultation",
            "Consultation",
            "A question about a policy, a procedure or a public service.",
            "question, policy, procedure, 咨询",
        ),
        Service(
            "livelihood",
            "Livelihood matter",
            "A problem in daily life: water, power, roads, lighting, sanitation, noise, neighbours.",
            "water, power, road, street light, sanitation, noise, 民生",
        ),
        Service(
            "complex",
            "Complex matter",
            "A matter that involves several departments or needs investigation.",
            "dispute, several departments, investigation, 复杂",
        ),
    )
}

#: The one attribute a request may carry besides the standard fields (optional, so `metadata` is false).
TITLE_ATTRIBUTE = {
    "variable": True,
    "code": "title",
    "datatype": "string",
    "required": False,
    "datatype_description": f"Up to 200 characters; default: the first {TITLE_LENGTH} of the description",
    "order": 1,
    "description": "A short title for the request",
    "values": [],
}

STAGE_NOTES = {
    "resolve_on_site": "Received; the intake desk is trying to settle it on the spot.",
    "register": "Received; being registered.",
    "collate": "Registered; being dispatched to the unit that will handle it.",
    "handle_grid": "Being handled by the grid.",
    "handle_village": "Being handled by the village (community).",
    "handle_town": "Being handled by the town (street) office.",
    "handle_district": "Being handled by the district office.",
    "supervise": "Under a leader's supervision.",
    "feedback": "Handled; the reply to the citizen is being prepared.",
    "await_promised_date": "Deferred: it will be taken up again on the promised date.",
    "evaluate": "Replied; waiting for the citizen's evaluation.",
    "await_look_back": "Closed; a look-back inspection is scheduled.",  # appeals on process versions before issue 23
    "look_back": "Closed; a look-back inspection is scheduled.",
    "closed": "Closed.",
}


def discovery(*, url: str) -> dict:
    """The service discovery document: this one GeoReport v2 endpoint, in both formats."""
    return {
        "changeset": CHANGESET,
        "contact": "The administrators of this appeal service, at the 12345 hotline office.",
        "key_service": "An api_key is the API token of an intake user: ask an administrator for one "
        "(flask --app app users add NAME --role intake --unit CODE).",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def services() -> list[dict]:
    """GET services: the categories, as service codes."""
    return [_service_view(service) for service in SERVICES.values()]


def service_definition(*, service_code: str) -> dict:
    """GET a service definition: the optional `title` attribute."""
    _service(service_code)
    return {"service_code": service_code, "attributes": [TITLE_ATTRIBUTE]}


def authorize(uow, *, api_key: str | None, client: str = "unknown"):
    """The intake user whose API token is `api_key` (GeoReport v2 answers 403 when it is missing or bad).

    `client` (the caller's address) lets repeated failures be slowed down as for bearer tokens.
    """
    if not api_key:
        raise Unauthorized("api_key was not provided")
    try:
        actor = users.authenticate(uow, api_key, client=client)
    except Unauthorized as error:
        raise Unauthorized(f"api_key refused: {error.message}") from error
    access.require_role(actor, "intake")
    return actor


def create_request(uow, *, actor, service_code: str, fields: dict) -> dict:
    """POST a request: report an appeal through the online channel; returns its id (the appeal number)."""
    _service(service_code)
    description = fields["description"]
    appeal = report(
        uow,
        actor=actor,
        fields={
            "title": fields.get("title") or _title(description),
            "description": description,
            "channel": "online",
            "category": service_code,
            "reporter": fields.get("reporter") or {},
            "location": fields.get("location") or {},
        },
    )
    return {
        "service_request_id": appeal["number"],
        "service_notice": f"Received as appeal {appeal['number']}; "
        f"you will be answered within the time limit for a {SERVICES[service_code].name.lower()}.",
        "account_id": None,
    }


def list_requests(
    uow,
    *,
    media: str,
    request_ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    statuses: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    page: int = 1,
    page_size: int = LIMIT,
) -> list[dict]:
    """GET requests, newest first. `request_ids` overrides every other argument (as the spec says);
    otherwise the requests made in [start, end], at most 90 days (default: the last 90), one page.
    `media` is the URL of the media resource (`media_url` is `{media}/{number}.jpg`)."""
    with uow.reading():
        query = _public(select(Appeal, Instance.updated_at).join(Instance, Instance.id == Appeal.instance_id))
        if request_ids:
            if len(request_ids) > LIMIT:
                raise InvalidData(f"at most {LIMIT} service_request_id at once")
            query = query.where(Appeal.number.in_(request_ids))
        else:
            start, end = _window(start, end, now=uow.clock.now())
            query = query.where(Appeal.created_at >= start, Appeal.created_at <= end)
            for code in service_codes or ():
                _service(code, missing=InvalidData)
            if service_codes:
                query = query.where(Appeal.category.in_(service_codes))
            if statuses:
                query = query.where(Appeal.status.in_(statuses))
            query = query.limit(page_size).offset((page - 1) * page_size)
        rows = uow.session.execute(query.order_by(Appeal.created_at.desc(), Appeal.id.desc())).all()
        return _request_views(uow, rows, media=media)


def get_request(uow, *, request_id: str, media: str) -> list[dict]:
    """GET a request, as the one-element list the spec returns."""
    with uow.reading():
        rows = uow.session.execute(
            _public(select(Appeal, Instance.updated_at).join(Instance, Instance.id == Appeal.instance_id)).where(
                Appeal.number == request_id
            )
        ).all()
        if not rows:
            raise NotFound(f"service_request_id '{request_id}' was not found")
        return _request_views(uow, rows, media=media)


def request_photo(uow, *, request_id: str) -> bytes:
    """The `media_url` of a public request: its report's first photo as a thumbnail, re-encoded, so that
    what is published carries none of the photo's metadata (EXIF: where and with what it was taken)."""
    with uow.reading():
        appeal = uow.session.scalar(_public(select(Appeal)).where(Appeal.number == request_id))
        photo = first_report_photos(uow.session, [appeal.id]).get(appeal.id) if appeal else None
        if photo is None:
            raise NotFound(f"service_request_id '{request_id}' has no photo")
        return uow.runtime.files.get(photo.thumbnail_sha256)


def status_notes(appeal: Appeal) -> str:
    if appeal.disposition == "duplicate":
        return "Closed as a duplicate of an earlier request."
    note = STAGE_NOTES.get(appeal.stage or "", appeal.stage or "")
    if appeal.status == "closed" and appeal.disposition:
        return f"{note} Disposition: {appeal.disposition.replace('_', ' ')}."
    return note


def _public(query):
    """Only what may be published: a confidential appeal (its reporter protected even from handlers) is
    not listed at all, since its description alone may tell who reported it."""
    return query.where(Appeal.confidential.is_(False))


def _request_views(uow, rows, *, media: str) -> list[dict]:
    zone = ZoneInfo(uow.runtime.zone)
    appeals = [appeal for appeal, _ in rows]
    agencies = responsible_units(uow.session, appeals)
    photos = first_report_photos(uow.session, [appeal.id for appeal in appeals])
    names = dict(uow.session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(set(agencies.values())))).all())
    return [
        _request_view(
            appeal,
            updated_at,
            agency=names.get(agencies[appeal.id], agencies[appeal.id]),
            zone=zone,
            media_url=f"{media}/{appeal.number}.jpg" if appeal.id in photos else None,
        )
        for appeal, updated_at in rows
    ]


def _request_view(appeal: Appeal, updated_at: datetime, *, agency: str, zone, media_url: str | None) -> dict:
    """One request. Deliberately absent: the reporter's name and phone (personal data) and the title."""
    service = SERVICES.get(appeal.category or "")
    return {
        "service_request_id": appeal.number,
        "status": appeal.status,
        "status_notes": status_notes(appeal),
        "service_name": service.name if service else None,
        "service_code": appeal.category,
        "description": appeal.description,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _local(appeal.created_at, zone),
        "updated_datetime": _local(appeal.closed_at if appeal.status == "closed" else updated_at, zone),
        "expected_datetime": _local(appeal.deadline, zone),
        "address": appeal.address,
        "address_id": None,
        "zipcode": None,
        "lat": appeal.lat,
        "long": appeal.lon,
        "media_url": media_url,
    }


def _window(start, end, *, now):
    if start is None and end is None:
        return now - MAX_SPAN, now
    start, end = start or end - MAX_SPAN, end or start + MAX_SPAN
    if end < start:
        raise InvalidData("end_date is before start_date", fields={"end_date": "after start_date"})
    if end - start > MAX_SPAN:
        raise InvalidData("start_date and end_date may not span more than 90 days", fields={"end_date": "too far"})
    return start, end


def _service(code: str, *, missing=NotFound) -> Service:
    if code not in SERVICES:
        raise missing(f"service_code '{code}' was not found", fields={"service_code": ", ".join(SERVICES)})
    return SERVICES[code]


def _service_view(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": False,
        "type": "realtime",
        "keywords": service.keywords,
        "group": "appeals",
    }


def _title(description: str) -> str:
    first_line = description.strip().splitlines()[0] if description.strip() else description
    return first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1].rstrip() + "…"


def _local(moment: datetime | None, zone) -> datetime | None:
    return moment.astimezone(zone).replace(microsecond=0) if moment else None
