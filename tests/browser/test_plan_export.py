"""A participant takes her plan along: from the plan to the print page (accessible, clean on paper)
and the PDF download."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Page, expect

from learners.models import Action, Goal, Reflection
from programmes.models import Membership
from tests.conftest import World

from .conftest import assert_accessible


def test_the_participant_prints_her_plan_and_downloads_it_as_pdf(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    membership = Membership.objects.unscoped().get(programme=world.programme, user=world.alice)
    goal = Goal.objects.create(membership=membership, title="Initiatief nemen in het wijkoverleg", why="Bewoners")
    Action.objects.create(goal=goal, description="Voorstel speeltuin inbrengen", due_on=date(2026, 12, 15))
    Reflection.objects.create(goal=goal, tried="Zelf het overleg geopend")

    login(world.alice)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/plan/")
    page.get_by_role("link", name="Afdrukvriendelijke pagina").click()

    expect(page.get_by_role("heading", name="Leerplan", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Initiatief nemen in het wijkoverleg", level=3)).to_be_visible()
    expect(page.get_by_text("uiterlijk 15 december 2026")).to_be_visible()
    assert_accessible(page)

    # The print button opens the browser's print dialogue (replaced here, as headless has none).
    page.evaluate("window.print = () => { window.printAsked = true; }")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.printAsked") is True

    # On paper: the plan only, without navigation, footer or buttons.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
    expect(page.get_by_role("link", name="Terug naar mijn leerplan")).to_be_hidden()
    expect(page.get_by_role("heading", name="Initiatief nemen in het wijkoverleg", level=3)).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als pdf").click()
    assert download.value.suggested_filename == "leerplan-gebiedsnetwerkers.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.get_by_role("link", name="Terug naar mijn leerplan").click()
    expect(page.get_by_role("heading", name="Mijn leerplan", level=1)).to_be_visible()
