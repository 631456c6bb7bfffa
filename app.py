"""Appealflow: the app factory, and `python app.py` to serve it as deployed (appeals/adapters/serve.py)."""

import gc
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import api
from appeals.adapters import cli, db, log_privacy, serve
from appeals.adapters.filestore import FileStore
from appeals.adapters.uow import Runtime
from appeals.services.tree_heads import Transparency
from engine import PackageLibrary, SystemClock


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings; `CLOCK` injects the time (tests, replays),
    `PACKAGE_LIBRARY` the parsed packages (tests, which build an app per test, parse each package once)."""
    log_privacy.install()  # before anything logs: no token, password or citizen's data in any log line
    app = Flask(__name__)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{os.path.join(app.instance_path, 'appealflow.db')}"),
        TIMEZONE="Asia/Shanghai",
        TIMER_INTERVAL=5.0,
        # the transparency log (docs/transparency.md): its signing key and signed heads, outside the database
        TRANSPARENCY_KEY=os.environ.get("TRANSPARENCY_KEY", os.path.join(app.instance_path, "transparency.key")),
        TRANSPARENCY_HEADS=os.environ.get(
            "TRANSPARENCY_HEADS", os.path.join(app.instance_path, "transparency-heads.jsonl")
        ),
        TRANSPARENCY_INTERVAL=60.0,  # seconds between heads the timer loop publishes
        TRANSPARENCY_CHECK_INTERVAL=3600.0,  # seconds between its rebuilds of the whole log from the history
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        # data a request hands a process (api/limits.py, ProcessData): its keys at every depth, its JSON's bytes
        PROCESS_DATA_MAX_KEYS=1000,
        PROCESS_DATA_MAX_BYTES=256 * 1024,
        # where clients reach the service: the URLs it hands out (Open311's) start here, not at a Host header
        PUBLIC_URL=os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000"),
        CLOCK=SystemClock(),
        # parsed packages by content hash; injectable so that the apps of a test session share one
        PACKAGE_LIBRARY=PackageLibrary(),
        ATTACHMENT_DIR=os.environ.get("ATTACHMENT_DIR", os.path.join(app.instance_path, "attachments")),
        ATTACHMENT_MAX_BYTES=10 * 2**20,
        ATTACHMENT_MAX_PIXELS=50_000_000,
        # how many reverse proxies stand in front (docs/deployment.md): the client's address is then read
        # from their X-Forwarded-For, which no one else may set
        TRUSTED_PROXIES=int(os.environ.get("TRUSTED_PROXIES", "0")),
    )
    app.config.update(config or {})
    # migrations run as the schema's owner, the service as a role that owns nothing (docs/deployment.md)
    app.config.setdefault("MIGRATION_DATABASE_URL", os.environ.get("MIGRATION_DATABASE_URL"))
    app.extensions["appealflow"] = Runtime(
        database=db.connect(app.config["DATABASE_URL"]),
        clock=app.config["CLOCK"],
        library=app.config["PACKAGE_LIBRARY"],
        zone=app.config["TIMEZONE"],
        files=FileStore(app.config["ATTACHMENT_DIR"]),
        transparency=Transparency(
            app.config["TRANSPARENCY_KEY"],
            app.config["TRANSPARENCY_HEADS"],
            publish_every=app.config["TRANSPARENCY_INTERVAL"],
            check_every=app.config["TRANSPARENCY_CHECK_INTERVAL"],
        ),
    )
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    api.init_app(app)
    cli.init_app(app)
    if not app.testing:
        freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """Keep what the app is built from out of the garbage collector's full passes.

    The modules, mappers, schemas and the app itself, ~135,000 objects, live as long as the process, yet
    every full collection walked them all: about 100 ms, once every ~30 closed-loop appeals, which made a
    worker's slowest requests (measured in process over 60 appeals: 2 full passes, 185 ms in all; frozen,
    4 passes, 7 ms). Not under TESTING, where an app is built per test and the collection that must come
    first (so that no garbage is frozen with them) would cost ~70 ms each time.
    """
    gc.collect()
    gc.freeze()


def main() -> None:
    """Migrate, deploy the bundled processes if they changed, and serve with a timer worker (adapters/serve.py)."""
    serve.main(create_app)


if __name__ == "__main__":
    main()
