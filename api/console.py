"""The browser console: web/dist (built by `npm ci && npm run build` in web/) served at `/`.

Assets have content hashes in their names, so they are cached for a year; index.html is revalidated
every time, so a new build reaches the browser on its next load. Any other path without a file extension
is one of the console's own routes (/tasks, /appeals/7): the browser gets index.html and the app routes.
The API's documentation, /api/v1/docs, is the build's second page (docs.html: Swagger UI, bundled).
"""

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

blp = Blueprint("console", __name__)

YEAR = 365 * 24 * 3600
NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Appealflow</title>
<p>控制台尚未构建。The console is not built yet: run <code>npm ci &amp;&amp; npm run build</code> in
<code>web/</code>, then reload. The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></html>
"""
API_PREFIXES = ("api/", "open311/")


def _dist() -> Path:
    return Path(current_app.config.get("WEB_DIST") or Path(current_app.root_path) / "web" / "dist")


@blp.get("/assets/<path:name>")
def asset(name):
    """A hashed asset of the build, cached for a year."""
    response = send_from_directory(_dist() / "assets", name, max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


@blp.get("/api/v1/docs")
def docs():
    """The API documentation: Swagger UI (bundled from npm) reading /api/v1/openapi.json."""
    return _page("docs.html")


@blp.get("/", defaults={"path": ""})
@blp.get("/<path:path>")
def page(path):
    """index.html for the console's routes; a file of the build's root (favicon) by its name."""
    if path.startswith(API_PREFIXES):
        abort(404)
    last = path.rsplit("/", 1)[-1]
    return _page(last if "." in last else "index.html")


#: A page sends no Referer: a set-password page's would carry its link's token into every request it makes.
PAGE_HEADERS = {"Cache-Control": "no-cache", "Referrer-Policy": "no-referrer"}


def _page(name: str):
    """A file of the build's root, revalidated on every load (it names the hashed assets of its build)."""
    dist = _dist()
    if not (dist / "index.html").is_file():
        return NOT_BUILT, 503, {"Content-Type": "text/html; charset=utf-8", **PAGE_HEADERS}
    response = send_from_directory(dist, name, max_age=0)
    response.headers.update(PAGE_HEADERS)
    return response
