"""The statements in the browser, reached from the footer, and the Content-Security-Policy
enforced by Chromium on the key pages: nothing the site needs is blocked."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.conftest import World
from tests.intervision.test_live import Scene

from .conftest import assert_accessible


def csp_errors(page: Page) -> list[str]:
    """Every Content-Security-Policy violation Chromium reports on ``page`` from now on."""
    errors: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(f"{page.url}: {message.text}")

    page.on("console", collect)
    return errors


def test_the_statements_are_reached_from_the_footer_and_accessible(live_server: Any, page: Page, db: None) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", name="Toegankelijkheidsverklaring", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Klachten")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="Privacyverklaring", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Wie ziet wat")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Privacy statement", level=1)).to_be_visible()
    assert_accessible(page)


def test_the_browser_enforces_the_policy_and_the_key_pages_break_none_of_it(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    scene = Scene(world)
    programme = world.programme.pk
    errors = csp_errors(page)

    # The policy is enforced: an injected inline script is refused and reported.
    page.goto(f"{live_server.url}/toegankelijkheid")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("() => window.x") is None
    assert len(errors) == 1 and "script-src" in errors[0]
    errors.clear()

    for path in ("/", "/account/login/", "/privacyverklaring"):
        page.goto(f"{live_server.url}{path}")
    login(world.alice)
    for path in (f"/programmes/{programme}/", f"/programmes/{programme}/plan/print/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    # The site's colour comes from the nonce'd inline style.
    colour = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--lt-primary')")
    assert colour.strip() == world.rotterdam.primary_colour

    page.context.clear_cookies()
    login(world.manager)
    page.goto(f"{live_server.url}/programmes/{programme}/harvest/room/")
    page.wait_for_load_state("networkidle")

    page.context.clear_cookies()
    login(scene.dirk)
    page.goto(f"{live_server.url}{scene.url('live')}")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)

    assert errors == []
