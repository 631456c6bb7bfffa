"""axe-core (pinned in web/'s dev dependencies) run on the page as it is: `assert_accessible(page)` after
any step of any browser test checks what a screen reader or keyboard user would meet there."""

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
#: Every impact fails a test by default: the console's own pages have no finding at all.
EVERY = ("minor", "moderate", "serious", "critical")
#: For a page whose markup is a third party's (Swagger UI): what keeps people out, not how tidy it is.
SERIOUS = ("serious", "critical")


def violations(page: Page, impacts=EVERY) -> list[dict]:
    """axe's violations of `impacts` on the page now: rule, impact, help, and the first elements at fault."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": found["id"],
            "impact": found["impact"],
            "help": found["help"],
            "at": [node["target"] for node in found["nodes"][:5]],
        }
        for found in result["violations"]
        if found["impact"] in impacts
    ]


def assert_accessible(page: Page, impacts=EVERY) -> None:
    """No axe violation of `impacts` on the page as it is now (wait for what the test wants checked first)."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` in web/"
    found = violations(page, impacts)
    assert found == [], found
