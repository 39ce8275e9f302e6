"""Communities in the browser: a participant proposes a question, a coach turns it into a
community, the participant joins it; every page accessible."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from coaching.models import CommunityMember
from tests.conftest import World

from .conftest import assert_accessible
from .test_learning_plan import required


def test_a_proposed_question_becomes_a_community_that_a_participant_joins(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    base = f"{live_server.url}/programmes/{world.programme.pk}/communities/"
    login(world.alice)
    page.goto(base)
    expect(page.get_by_text("Nog geen leergemeenschappen.", exact=False)).to_be_visible()
    assert_accessible(page)
    required(page, "Uw vraag voor een leergemeenschap").fill("Hoe delen wij kennis en ervaring?")
    page.get_by_role("button", name="Voorstellen").click()
    expect(page.locator(".alert-success")).to_contain_text("iedereen in het leertraject ziet nu uw vraag")

    page.context.clear_cookies()
    login(world.bob)
    page.goto(base)
    page.get_by_role("link", name="Maak er een leergemeenschap van").click()
    expect(required(page, "Centrale vraag")).to_have_value("Hoe delen wij kennis en ervaring?")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    required(page, "Naam").fill("Kennis delen")
    page.get_by_label("Plekken").fill("12")
    page.get_by_label(world.bob.get_full_name()).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Leergemeenschap “Kennis delen” opgeslagen.")
    assert_accessible(page)

    page.context.clear_cookies()
    login(world.alice)
    page.goto(base)
    page.get_by_role("link", name="Kennis delen", exact=True).click()
    page.get_by_role("button", name="Lid worden van deze leergemeenschap").click()
    expect(page.locator(".alert-success")).to_contain_text("Welkom bij “Kennis delen”.")
    expect(page.get_by_role("button", name="Deze leergemeenschap verlaten")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Leergemeenschappen", exact=True).click()
    expect(page.get_by_text("U bent lid van “Kennis delen”.")).to_be_visible()
    assert CommunityMember.objects.unscoped().filter(membership__user=world.alice).count() == 1
