"""Browser tests: the built console (web/dist) on a live server on a free loopback port, driven by
Debian's chromium through Playwright (never a downloaded browser).

Without /usr/bin/chromium, Playwright or web/dist they skip, unless REQUIRE_BROWSER is set (as in
.ci/run): then their absence fails. Set SCREENSHOT_DIR (e.g. docs/screenshots) to keep screenshots.
"""

import os
from pathlib import Path

import pytest

from engine import SystemClock

from ..helpers import served

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DIST = ROOT / "web" / "dist" / "index.html"


def _missing() -> list[str]:
    missing = [f"{path} (see README)" for path in (CHROMIUM, DIST) if not path.is_file()]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    return missing


@pytest.fixture(scope="session")
def browser():
    missing = _missing()
    if missing:
        reason = "browser tests need " + ", ".join(missing)
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason + " (REQUIRE_BROWSER is set)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def clock():
    """The real clock: the browser keeps the session cookie until its expiry, which it reads on its own clock."""
    return SystemClock()


@pytest.fixture
def live_server(app, tokens):
    """The app (fresh database, demo city with its users and their demo password) served over HTTP."""
    with served(app) as root:
        yield root


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # actions and assertions wait alike: a busy CI machine may take more than expect's default 5 s to fetch
    # and draw a lazily loaded diagram
    page.set_default_timeout(15_000)
    from playwright.sync_api import expect  # imported where used: without playwright the tests are skipped

    expect.set_options(timeout=15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """`screenshot("name")` keeps a PNG of the page in SCREENSHOT_DIR when it is set, once nothing on it is
    still loading; `full_page=False` keeps only the window (a drawer, or a very long page)."""
    folder = os.environ.get("SCREENSHOT_DIR")

    def take(name: str, *, full_page: bool = True) -> None:
        if folder:
            from playwright.sync_api import expect

            expect(page.locator(".ant-spin-spinning, .ant-spin-blur")).to_have_count(0)
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page, animations="disabled")

    return take
