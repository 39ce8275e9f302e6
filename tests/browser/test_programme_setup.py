"""An HR admin sets up a programme in the browser: competency, programme, phases; every page accessible."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from programmes.models import Programme
from tests.conftest import World

from .conftest import assert_accessible


def test_hr_admin_sets_up_a_programme_with_phases_and_competencies(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    login(world.hr)

    page.get_by_role("link", name="Leertrajecten", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Competenties").click()
    expect(page.get_by_text("Uw organisatie heeft nog geen competenties.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe competentie").click()
    page.get_by_label("Naam").fill("Initiatief tonen")
    page.get_by_label("Gedrag").first.fill("Zet zelf een eerste stap.")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_contain_text("opgeslagen")
    assert_accessible(page)

    page.get_by_role("link", name="Leertrajecten", exact=True).first.click()
    page.get_by_role("link", name="Nieuw leertraject").click()
    page.get_by_label("Titel").fill("Gebiedsnetwerkers 2027")
    page.get_by_label("Startdatum").fill("2027-03-01")
    page.get_by_label("Einddatum").fill("2026-09-01")
    page.get_by_label("Initiatief tonen").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("De einddatum kan niet voor de startdatum liggen.")
    assert_accessible(page)
    page.get_by_label("Einddatum").fill("2027-09-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebiedsnetwerkers 2027")
    assert_accessible(page)

    for kind, when in (("Startdag", "2027-03-08T09:00"), ("Oogstsessie", "2027-08-30T13:00")):
        page.get_by_role("link", name="Fase toevoegen").click()
        page.get_by_label("Soort").select_option(label=kind)
        page.get_by_label("Begint op").fill(when)
        page.get_by_label("Plaats").fill("Stadhuis Rotterdam")
        assert_accessible(page)
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator(".timeline")).to_contain_text(kind)

    expect(page.locator(".timeline-item")).to_have_count(2)
    expect(page.get_by_role("heading", name="Initiatief tonen")).to_be_visible()
    assert_accessible(page)

    # A phase out of order is refused with a clear message; nothing is saved.
    page.get_by_role("link", name="Fase toevoegen").click()
    page.get_by_label("Soort").select_option(label="Bouwsessie")
    page.get_by_label("Begint op").fill("2027-08-31T10:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Bouwsessie kan niet na")
    assert_accessible(page)
    page.get_by_role("link", name="Annuleren").click()

    # The self-assessment: one statement about a behaviour of the chosen competency.
    page.get_by_role("link", name="Zelfbeoordeling").click()
    assert_accessible(page)
    first_item = page.get_by_role("group", name="Onderdeel 1")
    first_item.get_by_label("Tekst").fill("Ik zet zelf een eerste stap.")
    first_item.get_by_label("Gedragsindicator").select_option(label="Initiatief tonen: Zet zelf een eerste stap.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Zelfbeoordeling opgeslagen")
    assert_accessible(page)
    programme = Programme.objects.for_organisation(world.rotterdam).get(title="Gebiedsnetwerkers 2027")
    assert [phase.kind for phase in programme.phases.order_by("starts_at")] == ["kick_off", "harvest_session"]
    statement = programme.assessment_items.get()
    assert (statement.competency.name, statement.indicator.text) == ("Initiatief tonen", "Zet zelf een eerste stap.")
