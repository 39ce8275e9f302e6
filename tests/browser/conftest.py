"""Browser tests: Debian's headless Chromium driven by Playwright, checked with axe-core.

A failing test leaves a screenshot under test-results/browser/ (pytest-playwright's
``--screenshot=only-on-failure``, set in pyproject.toml).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from accounts.models import User
from tests.conftest import totp_code
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET

# Playwright runs an event loop in this thread; Django's ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL_PATH = "/__browser-tests__/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.1 A/AA violations that axe-core finds on the page."""
    # Injected from a same-origin URL that the browser answers itself: the site's
    # Content-Security-Policy blocks inline scripts, which add_script_tag(path=) would add.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    axe_url = f"{origin}{AXE_URL_PATH}"
    page.route(axe_url, lambda route: route.fulfill(path=str(AXE_SCRIPT), content_type="text/javascript"))
    page.add_script_tag(url=axe_url)
    page.unroute(axe_url)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page: Page) -> None:
    """Fail with a readable list when the page has serious or critical WCAG 2.1 AA problems."""
    violations = accessibility_violations(page)
    if violations:
        lines = [f"{page.url} has {len(violations)} accessibility violation(s):"]
        for violation in violations:
            targets = [node["target"] for node in violation["nodes"][:5]]
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} at {json.dumps(targets)}")
        pytest.fail("\n".join(lines))


@pytest.fixture
def login(live_server: Any, page: Page) -> Callable[[User], Page]:
    """``login(user)`` signs ``user`` in through the real login form (and TOTP for HR admins).

    Demo users pass the demo password and TOTP secret.
    """

    def sign_in(user: User, *, password: str = TEST_PASSWORD, totp_secret: str = TEST_TOTP_SECRET) -> Page:
        page.goto(f"{live_server.url}/account/login/")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_url(lambda url: "/account/login/" not in url)
        if "/account/2fa/authenticate" in page.url:
            page.get_by_label("Code").fill(totp_code(totp_secret))
            page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in
