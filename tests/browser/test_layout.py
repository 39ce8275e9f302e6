"""The shared layout in a real browser: sign-in page, phone-sized menu, skip link, language switch."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import World

from .conftest import assert_accessible


def test_sign_in_page_is_dutch_and_accessible(live_server: Any, page: Page, transactional_db: None) -> None:
    page.goto(f"{live_server.url}/account/login/")

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    assert_accessible(page)


def test_wrong_password_shows_an_error_and_keeps_the_email(live_server: Any, page: Page, world: World) -> None:
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("E-mail").fill(world.alice.email)
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()

    expect(page.get_by_role("alert").or_(page.locator(".alert-danger, .invalid-feedback")).first).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value(world.alice.email)
    assert page.url.endswith("/account/login/")
    assert_accessible(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(live_server: Any, page: Page, world: World) -> None:
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")


def test_phone_sized_menu_opens_from_the_toggler(login: Any, page: Page, world: World) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    login(world.alice)

    programmes_link = page.get_by_role("link", name="Leertrajecten", exact=True)
    expect(programmes_link).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(programmes_link).to_be_visible()
    assert_accessible(page)


def test_language_switch_changes_the_page_and_is_remembered(login: Any, page: Page, world: World) -> None:
    login(world.alice)
    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My learning programmes")).to_be_visible()
    world.alice.refresh_from_db()
    assert world.alice.language == "en"
    assert_accessible(page)


def test_password_reset_page_is_dutch_and_accessible(live_server: Any, page: Page, transactional_db: None) -> None:
    page.goto(f"{live_server.url}/account/password/reset/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord")
    assert_accessible(page)


def test_account_settings_pages_are_in_the_layout_and_accessible(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    login(world.hr)
    for path, heading in (
        ("/account/email/", "E-mailadressen"),
        ("/account/password/change/", "Wachtwoord wijzigen"),
        ("/account/2fa/", "Twee-factor-authenticatie"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name="Naar de inhoud")).to_have_count(1)
        assert_accessible(page)
