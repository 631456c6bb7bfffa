"""Open311 GeoReport v2 under /open311/v2: a plain Flask blueprint, outside /api/v1 and its bearer tokens.

Its errors are the spec's ({code, description} lists, in the format the URL asked for), from handlers
registered on this blueprint only, so /api/v1 keeps the contract's error document. A catch-all route
answers unknown paths here in the spec's format too.
"""

import io
import logging

from flask import Blueprint, current_app, request, send_file, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from appeals.domain.media import THUMBNAIL_TYPE
from appeals.services import open311 as service
from engine import EngineError

from ..auth import client_address
from ..framework import runtime
from ..limits import check_request
from .formats import errors, render
from .schemas import RequestsQuerySchema, ServiceRequestFormSchema, ServicesQuerySchema

log = logging.getLogger(__name__)
blp = Blueprint("open311", __name__)
blp.before_request(check_request)
FMT = "<any(json, xml):fmt>"
_EVERY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]
#: The spec's status for each status a refusal carries (engine/errors.py): 403 for any api_key problem (it
#: has no 401), 404 for the unknown, 413 for a body beyond the limit, 429 while a client that kept failing
#: must wait, and 400 for everything else.
GEOREPORT_STATUS = {401: 403, 403: 403, 404: 404, 413: 413, 429: 429}


@blp.get(f"/discovery.{FMT}")
def discovery(fmt):
    """Service discovery: where this endpoint is and which formats it speaks"""
    url = _public(url_for("open311.discovery", fmt=fmt)).rsplit("/discovery.", 1)[0]
    return render(service.discovery(url=url), fmt, root="discovery")


@blp.get(f"/services.{FMT}")
def services(fmt):
    """The service list: appeal categories as service codes"""
    ServicesQuerySchema().load(request.args)
    return render(service.services(), fmt, root="services")


@blp.get(f"/services/<service_code>.{FMT}")
def service_definition(service_code, fmt):
    """A service definition: the attributes a request of this service may carry"""
    return render(service.service_definition(service_code=service_code), fmt, root="service_definition")


@blp.get(f"/requests.{FMT}")
def requests(fmt):
    """Service requests, newest first, filtered as the spec says and paged with page and page_size"""
    args = RequestsQuerySchema().load(request.args)
    return render(service.list_requests(runtime().uow(), media=_media(), **args), fmt, root="service_requests")


@blp.post(f"/requests.{FMT}")
def create_request(fmt):
    """File a service request: an online appeal reported by the intake user whose token is the api_key"""
    actor = service.authorize(runtime().uow(), api_key=request.values.get("api_key"), client=client_address())
    fields = ServiceRequestFormSchema().load(request.form.to_dict())
    created = service.create_request(
        runtime().uow(), actor=actor, service_code=fields.pop("service_code"), fields=fields
    )
    return render([created], fmt, root="service_requests", status=201)


@blp.get(f"/requests/<request_id>.{FMT}")
def request_by_id(request_id, fmt):
    """One service request"""
    return render(
        service.get_request(runtime().uow(), request_id=request_id, media=_media()), fmt, root="service_requests"
    )


@blp.get("/media/<request_id>.jpg")
def request_photo(request_id):
    """A public request's `media_url`: its report's first photo, small and without its metadata"""
    photo = service.request_photo(runtime().uow(), request_id=request_id)
    return send_file(io.BytesIO(photo), mimetype=THUMBNAIL_TYPE, max_age=300)


def _media() -> str:
    """Where the media of requests are: their `media_url`s start with it."""
    return _public(url_for("open311.request_photo", request_id="x")).rsplit("/", 1)[0]


def _public(path: str) -> str:
    """`path` at the service's PUBLIC_URL: a URL built from the request's Host header would send clients
    wherever a forged header, or a proxy's cache of one answer, pointed them."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


@blp.route("/", defaults={"rest": ""}, methods=_EVERY_METHOD)
@blp.route("/<path:rest>", methods=_EVERY_METHOD)
def unknown(rest):
    """Anything else under /open311/v2: 405 for a known path, else 404"""
    adapter = current_app.create_url_adapter(request)
    allowed = []
    for method in ("GET", "POST"):
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != "open311.unknown":
            allowed.append(method)
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise NotFound(f"no such resource: {request.path} (resources end in .json or .xml)")


def _fmt() -> str:
    fmt = (request.view_args or {}).get("fmt")
    return fmt or ("xml" if request.path.endswith(".xml") else "json")


@blp.errorhandler(ValidationError)
def _invalid(error: ValidationError):
    messages = error.normalized_messages()
    problems = [
        (400, f"{field}: {'; '.join(map(str, text)) if isinstance(text, list) else text}")
        for field, text in messages.items()
    ]
    return errors(problems, _fmt(), 400)


@blp.errorhandler(EngineError)
def _refused(error: EngineError):
    status = GEOREPORT_STATUS.get(error.status, 400)
    response = errors([(status, error.message)], _fmt(), status)
    if status == 429:
        response.headers["Retry-After"] = str(error.fields.get("retry_after", 60))
    return response


@blp.errorhandler(HTTPException)
def _http(error: HTTPException):
    response = errors([(error.code, error.description)], _fmt(), error.code)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


@blp.errorhandler(Exception)
def _failed(error: Exception):
    log.exception("open311 request failed")
    return errors([(500, "internal error: the request was not carried out")], _fmt(), 500)
