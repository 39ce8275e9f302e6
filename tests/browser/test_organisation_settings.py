"""An HR admin sets the organisation's colour and retention period in the browser, fixes a
mistyped domain, and sees the new colour in the header; every state accessible."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import World

from .conftest import assert_accessible


def test_hr_sets_the_colour_retention_and_sign_in_domains(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    login(world.hr)

    page.get_by_role("link", name="Organisatie-instellingen").click()
    expect(page.get_by_role("heading", name="Organisatie-instellingen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Huiskleur").fill("#154273")
    retention = page.get_by_label("Persoonsgegevens bewaren na het sluiten van een leertraject (maanden)")
    retention.fill("24")
    domains = page.get_by_label("E-maildomeinen die met het eigen account van de organisatie mogen inloggen")
    domains.fill("rotterdam.nl, rotterdam")
    page.get_by_role("button", name="Opslaan").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("“rotterdam” is geen e-maildomein; schrijf het als rotterdam.nl.")
    expect(retention).to_have_value("24")
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(domains).to_be_focused()
    domains.fill("rotterdam.nl, ggd.rotterdam.nl")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.locator(".alert-success")).to_contain_text("Wijzigingen opgeslagen.")
    expect(domains).to_have_value("rotterdam.nl, ggd.rotterdam.nl")
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--lt-primary')")
    assert brand.strip() == "#154273"
    assert_accessible(page)
