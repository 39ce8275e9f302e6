"""A community's actions board in the browser: a member plans a knowledge café, another member
joins it, and the owner records that it was partly achieved, which needs a why; every page
accessible."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from coaching.models import Community, CommunityAction, CommunityMember
from programmes.models import Membership
from tests.conftest import World
from tests.factories import MembershipFactory

from .conftest import assert_accessible
from .test_learning_plan import required


def test_members_plan_join_and_close_an_action_with_its_why(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    community = Community.objects.create(
        programme=world.programme, name="Kennis delen", question="Hoe delen wij kennis en ervaring?"
    )
    community.coaches.add(world.bob)
    alice = Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")
    CommunityMember.objects.create(community=community, membership=alice)
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__last_name="van Dijk")
    CommunityMember.objects.create(community=community, membership=lotte)
    day = timezone.localdate() + timedelta(days=14)

    # Alice plans a knowledge café from her community's page.
    login(world.alice)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/communities/{community.pk}/")
    expect(page.get_by_text("Nog geen acties gepland: wat gaat de groep organiseren?")).to_be_visible()
    page.get_by_role("link", name="Naar het actiebord").click()
    expect(page.get_by_role("heading", name="Acties van “Kennis delen”", level=1)).to_be_visible()
    expect(page.get_by_text("Nog geen acties.", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe actie").click()
    expect(required(page, "Trekker")).to_have_value(str(world.alice.pk))
    required(page, "Soort").select_option(label="Kenniscafé")
    required(page, "Titel").fill("Kenniscafé over bewonersinitiatieven")
    required(page, "Status").select_option(label="Gepland")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert").first).to_contain_text("Een geplande actie heeft een datum nodig.")
    assert_accessible(page)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("staat op het actiebord")
    card = page.locator("article", has=page.get_by_role("heading", name="Kenniscafé over bewonersinitiatieven"))
    expect(card).to_contain_text("Trekker: Alice")
    expect(card).to_contain_text("Doen mee: nog niemand")
    assert_accessible(page)

    # Lotte joins it with one click.
    page.context.clear_cookies()
    login(lotte.user)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/communities/{community.pk}/actions/")
    card.get_by_role("button", name="Doe mee").click()
    expect(page.locator(".alert-success")).to_contain_text("U doet mee aan “Kenniscafé over bewonersinitiatieven”.")
    expect(card).to_contain_text("Doen mee: Lotte van Dijk")
    expect(card.get_by_role("button", name="Afmelden")).to_be_visible()
    assert_accessible(page)

    # Alice records that it was partly achieved: first without the why, which is refused.
    page.context.clear_cookies()
    login(world.alice)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/communities/{community.pk}/actions/")
    card.get_by_role("link", name="Resultaat vastleggen").click()
    expect(page.get_by_role("heading", name="Resultaat vastleggen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Deels bereikt").check()
    page.get_by_role("button", name="Resultaat opslaan").click()
    expect(page.get_by_role("alert").first).to_contain_text("Vertel waarom")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Waarom\?")).fill(
        "De helft van de gebieden kwam: de uitnodiging ging te laat uit."
    )
    page.get_by_role("button", name="Resultaat opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("vastgelegd: deels bereikt")
    done = page.get_by_role("region", name=re.compile("Klaar"))
    expect(done).to_contain_text("Kenniscafé over bewonersinitiatieven")
    expect(done).to_contain_text("Deels bereikt")
    expect(done).to_contain_text("Waarom: De helft van de gebieden kwam: de uitnodiging ging te laat uit.")
    assert_accessible(page)

    action = CommunityAction.objects.unscoped().get()
    assert (action.status, action.outcome, action.owner) == ("done", "partly", world.alice)
    assert list(action.joiners.all()) == [lotte.user]
