"""A participant finds who can help them and whom they can help, and reads the timeline of their learning;
both pages accessible, empty or filled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from learners.models import Action, Goal, Reflection, Swot
from programmes.models import Competency, Membership
from tests.conftest import World
from tests.factories import MembershipFactory

from .conftest import assert_accessible


def test_a_participant_finds_help_and_reads_their_timeline(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    initiative = Competency.objects.create(organisation=world.rotterdam, name="Initiatief tonen")
    responsibility = Competency.objects.create(organisation=world.rotterdam, name="Verantwoordelijkheid nemen")
    world.programme.competencies.add(initiative, responsibility)
    plan_url = f"{live_server.url}/programmes/{world.programme.pk}/plan/"

    # Nothing yet: both pages explain what to do.
    login(world.alice)
    page.goto(f"{plan_url}help/")
    expect(page.get_by_role("heading", name="Wie kan mij helpen?", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Stel uw eerste leerdoel op")).to_be_visible()
    expect(page.get_by_role("link", name="Vink uw sterktes aan in uw SWOT")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{plan_url}timeline/")
    expect(page.get_by_text("Hier staat nog niets.")).to_be_visible()
    assert_accessible(page)

    # Alice's plan, and Lotte, who is strong in what Alice wants to develop and shares a goal.
    alice = Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")
    swot = Swot.objects.create(membership=alice, strengths="Ik ken de wijk.")
    swot.strong_in.add(responsibility)
    now = timezone.now()
    goal = Goal.objects.create(
        membership=alice,
        title="Initiatief nemen in het wijkoverleg",
        visibility="programme",
        created_at=now - timedelta(days=9),
    )
    goal.competencies.add(initiative)
    Action.objects.create(
        goal=goal, description="Voorstel inbrengen", done_at=now - timedelta(days=3), done_note="Gelukt."
    )
    Reflection.objects.create(goal=goal, tried="Zelf beginnen", learned="Anderen sluiten aan.", created_at=now)
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__last_name="van Dijk")
    Swot.objects.create(membership=lotte, strengths="Bewonersinitiatieven.").strong_in.add(initiative)
    lottes = Goal.objects.create(membership=lotte, title="Toezeggingen bewaken", visibility="programme")
    lottes.competencies.add(responsibility)

    page.goto(plan_url)
    page.get_by_role("link", name="Wie kan mij helpen?").click()
    helpers = page.get_by_role("region", name="Wie is sterk in wat ik wil ontwikkelen")
    expect(helpers).to_contain_text("Lotte van Dijk")
    expect(helpers).not_to_contain_text("Bewonersinitiatieven")
    helping = page.get_by_role("region", name="Wie ik kan helpen")
    expect(helping.get_by_role("link", name="Toezeggingen bewaken")).to_be_visible()
    assert_accessible(page)

    page.goto(plan_url)
    page.get_by_role("link", name="Tijdlijn van mijn leren").click()
    expect(page.get_by_role("heading", name="Tijdlijn van mijn leren", level=1)).to_be_visible()
    items = page.get_by_role("listitem").filter(has=page.locator("time"))
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("Reflectie")
    expect(items.nth(0)).to_contain_text("Anderen sluiten aan.")
    expect(items.nth(1)).to_contain_text("Actie afgerond")
    expect(items.nth(2)).to_contain_text("Doel gesteld")
    assert_accessible(page)
    items.nth(2).get_by_role("link", name="Initiatief nemen in het wijkoverleg").click()
    expect(page.get_by_role("heading", name="Initiatief nemen in het wijkoverleg", level=1)).to_be_visible()
