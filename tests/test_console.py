"""The console's files at `/`: index.html for its routes, hashed assets cached long, a hint when unbuilt."""

import pytest

from app import create_app


@pytest.fixture
def built(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><div id="root"></div>')
    (tmp_path / "assets" / "index-3f2a1b.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path / "docs.html").write_text('<!doctype html><main id="swagger-ui"></main>')
    return tmp_path


def console_app(clean_database, clock, dist):
    return create_app({"DATABASE_URL": clean_database, "CLOCK": clock, "TESTING": True, "WEB_DIST": str(dist)})


def test_the_index_is_served_at_the_root_and_for_client_routes_and_is_revalidated(clean_database, clock, built):
    client = console_app(clean_database, clock, built).test_client()
    for path in ("/", "/tasks", "/appeals/7"):
        response = client.get(path)
        assert response.status_code == 200 and b'<div id="root">' in response.data, path
        assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/favicon.svg").data == b"<svg/>"


def test_hashed_assets_are_cached_for_a_year(clean_database, clock, built):
    response = console_app(clean_database, clock, built).test_client().get("/assets/index-3f2a1b.js")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_unknown_api_paths_stay_json_404s_and_the_api_is_untouched(clean_database, clock, built):
    client = console_app(clean_database, clock, built).test_client()
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/assets/missing.js").status_code == 404


def test_without_a_build_the_root_says_how_to_build_it(clean_database, clock, tmp_path):
    response = console_app(clean_database, clock, tmp_path / "nothing").test_client().get("/")
    assert response.status_code == 503 and b"npm ci &amp;&amp; npm run build" in response.data


def test_the_api_documentation_page_is_the_builds_docs_html_revalidated_like_the_index(clean_database, clock, built):
    response = console_app(clean_database, clock, built).test_client().get("/api/v1/docs")
    assert response.status_code == 200 and b'<main id="swagger-ui">' in response.data
    assert response.headers["Cache-Control"] == "no-cache" and response.mimetype == "text/html"
