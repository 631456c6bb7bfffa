"""The API documentation at /api/v1/docs: Swagger UI bundled into web/dist and served by the service, with
nothing fetched from another host, reading the service's own OpenAPI document."""

from urllib.parse import urlsplit

import requests
from playwright.sync_api import expect


def test_the_docs_page_and_everything_it_loads_come_from_the_service_itself(page, live_server, screenshot):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(live_server + "/api/v1/docs")
    expect(page.get_by_role("heading", name="Appealflow")).to_be_visible()
    for path in ("/health", "/ready", "/open311/v2/requests.{fmt}", "/api/v1/session/password-link"):
        expect(page.get_by_text(path, exact=True).first).to_be_visible()
    screenshot("api-docs", full_page=False)

    here = urlsplit(live_server).netloc
    assert {urlsplit(url).netloc for url in fetched if url.startswith("http")} == {here}
    assert any(url.endswith("/api/v1/openapi.json") for url in fetched)
    assert any(url.endswith(".js") for url in fetched) and any(url.endswith(".css") for url in fetched)

    html = requests.get(live_server + "/api/v1/docs", timeout=10)
    assert html.headers["Cache-Control"] == "no-cache"
    assert "http://" not in html.text and "https://" not in html.text
    for url in fetched:
        if "/assets/" in url:  # hashed, cached for a year like the console's
            assert "immutable" in requests.get(url, timeout=10).headers["Cache-Control"]
