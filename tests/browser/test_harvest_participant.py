"""A participant prepares the harvest in the browser: from the programme page to the harvest hub,
a contribution with a quote and explicit consent, a goal's outcome (refused first without a why),
a learning story shared with the closing session, which then shows it. Every page accessible."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from harvest.models import Contribution, LearningStory, Quote
from learners.models import Goal
from tests.conftest import World
from tests.harvest.prepare import harvest_world

from .conftest import assert_accessible
from .test_learning_plan import required


def test_a_participant_prepares_the_harvest_and_shares_her_story(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    harvest = harvest_world(world)
    goal = Goal.objects.create(membership=harvest.alice, title="Zelf het initiatief nemen in het wijkoverleg")
    alice = world.alice.get_full_name()

    login(world.alice)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/")
    page.get_by_role("link", name="De oogst", exact=True).click()
    expect(page.get_by_role("heading", name="De oogst", level=1)).to_be_visible()
    expect(page.get_by_text("Stadhuis, raadzaal")).to_be_visible()
    expect(page.get_by_role("link", name="Mijn groei: begin en eind naast elkaar")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Mijn bijdrage schrijven").click()
    expect(page.get_by_role("heading", name="Mijn bijdrage", level=1)).to_be_visible()
    page.get_by_label("Wat ik bereikte").fill("Een wijkreis door Charlois met twaalf collega's.")
    page.get_by_label("Wat ik niet bereikte").fill("Intervisie in gemengde groepjes.")
    page.get_by_label("Waarom niet").fill("Geen ruimte in de teamplanning; de managers waren er niet bij.")
    page.get_by_label("Wat ik leerde").fill("Als ik zelf begin, sluiten anderen aan.")
    page.get_by_label("Een citaat dat letterlijk wordt getoond").fill("Leren doe je in de wijk, niet in een lokaal.")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vink dit vakje aan om toestemming te geven")
    assert_accessible(page)
    assert not Contribution.objects.unscoped().exists()

    page.get_by_label(re.compile("Ik geef toestemming om mijn citaat letterlijk te tonen")).check()
    page.get_by_label("Toon mijn naam bij het citaat").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Uw bijdrage en uw citaat zijn opgeslagen.")
    expect(page.get_by_text("Leren doe je in de wijk, niet in een lokaal.")).to_be_visible()
    expect(page.get_by_text("Staat in het oogstrapport")).to_be_visible()
    assert_accessible(page)
    quote = Quote.objects.unscoped().get()
    assert quote.named and quote.consented_at and quote.author == world.alice

    page.get_by_role("link", name="Mijn doelen een resultaat geven").click()
    card = page.get_by_role("region", name=goal.title)
    card.get_by_label("Niet bereikt").check()
    page.get_by_role("button", name="Resultaten opslaan").click()
    expect(page.locator("#error-summary")).to_contain_text("Vertel waarom het doel niet (helemaal) is bereikt.")
    assert_accessible(page)
    goal.refresh_from_db()
    assert goal.outcome == ""

    card = page.get_by_role("region", name=goal.title)
    card.get_by_label("Waarom").fill("Er was geen tijd in de teamplanning.")
    page.get_by_role("button", name="Resultaten opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("De resultaten van uw doelen zijn opgeslagen.")
    expect(page.get_by_text("Resultaat gegeven voor 1 van de 1 doelen.")).to_be_visible()
    goal.refresh_from_db()
    assert goal.outcome == Goal.Outcome.NOT_ACHIEVED

    page.get_by_role("link", name="Mijn verhaal schrijven").click()
    expect(page.get_by_role("heading", name="Mijn leerverhaal", level=1)).to_be_visible()
    assert_accessible(page)
    required(page, "Mijn leerverhaal").fill("Eerst wachtte ik af. Nu breng ik zelf voorstellen in.")
    page.get_by_label("Toon het bij de slotbijeenkomst").check()
    page.get_by_role("button", name="Mijn verhaal opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("wordt getoond bij de slotbijeenkomst")
    expect(page.get_by_text("Gedeeld bij de slotbijeenkomst")).to_be_visible()
    assert LearningStory.objects.unscoped().get(membership=harvest.alice).shared

    page.get_by_role("link", name="De slotbijeenkomst: gedeelde leerverhalen").click()
    expect(page.get_by_role("heading", name="De slotbijeenkomst", level=1)).to_be_visible()
    story = page.get_by_role("article", name=alice)
    expect(story).to_contain_text("Nu breng ik zelf voorstellen in.")
    expect(page.get_by_text("Uw verhaal staat ertussen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="De oogst", exact=True).click()
    page.get_by_role("button", name=re.compile("Mijn toestemming intrekken")).click()
    expect(page.locator(".alert-success")).to_contain_text("Uw toestemming is ingetrokken")
    expect(page.get_by_text(re.compile("Toestemming ingetrokken op"))).to_be_visible()
    assert_accessible(page)
    assert not Quote.objects.unscoped().shown().exists()
