"""The HTTP API under /api/v1: thin flask-smorest resources over the service layer in `appeals/services/`."""

from .appeals.routes import blp as appeals
from .attachments.routes import blp as attachments
from .bulletins.routes import blp as bulletins
from .calendar.routes import blp as calendar
from .claims.routes import blp as claims
from .console import blp as console
from .errors import register as register_errors
from .extension_requests.routes import blp as extension_requests
from .framework import Api, IdConverter
from .health import blp as health
from .instances.routes import blp as instances
from .language import vary
from .notifications.routes import blp as notifications
from .open311.routes import blp as open311
from .plain_routes import document as document_plain_routes
from .processes.routes import blp as processes
from .reports.routes import blp as reports
from .session.routes import blp as session
from .stats.routes import blp as stats
from .tasks.routes import blp as tasks
from .transparency.routes import blp as transparency
from .units.routes import blp as units
from .users.routes import blp as users
from .vocabulary.routes import blp as vocabulary

#: session last: its failed sign-ins (the fuzz test makes many) must not block the tokens the others check first
BLUEPRINTS = (
    appeals,
    attachments,
    tasks,
    extension_requests,
    notifications,
    claims,
    bulletins,
    stats,
    reports,
    processes,
    instances,
    calendar,
    vocabulary,
    users,
    units,
    transparency,
    session,
)


LANGUAGE_NOTE = (
    "Texts for people (error `message`s, notification `message`s, task `name`s) follow the request's "
    "`Accept-Language`: zh-CN (the default) or en, with times in the service's zone (Asia/Shanghai by "
    "default). Codes and JSON times (ISO 8601 with offsets) do not change; GET /api/v1/vocabulary names "
    "every code in either language."
)


def init_app(app) -> None:
    app.config.setdefault("API_TITLE", "Appealflow")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.url_map.converters["id"] = IdConverter
    api = Api(
        app,
        spec_kwargs={
            "info": {"description": LANGUAGE_NOTE},
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}],
        },
    )
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1/{blueprint.name}")
    app.register_blueprint(health)  # /health and /ready: outside /api/v1, no token
    app.register_blueprint(open311, url_prefix="/open311/v2")  # GeoReport v2: its own keys and error format
    app.register_blueprint(console)  # the browser console (web/dist) at /, and the API's docs page
    document_plain_routes(api, app)
    register_errors(app)
    app.after_request(vary)  # texts for people follow Accept-Language
