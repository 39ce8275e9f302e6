"""The harvest session in the browser: a manager answers a harvest item from the report and
changes the answer; the participant reads it, with its history, on their home page. And the
screen in the room follows by itself when someone signs up in another browser. Every page
state is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from harvest.models import Answer, AnswerVersion, InitiativeSignup
from tests.conftest import World
from tests.factories import (
    TEST_PASSWORD,
    CommunityFactory,
    ContributionFactory,
    InitiativeFactory,
    InitiativeSignupFactory,
    MembershipFactory,
)

from .conftest import assert_accessible
from .test_learning_plan import required


def sign_in(page: Page, live_server: Any, user: User) -> Page:
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_a_manager_answers_a_harvest_item_and_the_participant_sees_it_with_its_history(
    live_server: Any, login: Any, page: Page, browser: Browser, browser_context_args: dict[str, Any], world: World
) -> None:
    programme = world.programme
    community = CommunityFactory(programme=programme, name="Functieprofiel")
    item = ContributionFactory(
        programme=programme,
        author=world.alice,
        community=community,
        not_achieved="Geen reactie van HR op ons functieprofiel.",
        why_not="De schrijvers van het profiel waren niet bereikbaar.",
    )
    act_by = timezone.localdate() + timedelta(days=30)

    # The manager reads the report and follows the item's answer link.
    login(world.manager)
    page.goto(f"{live_server.url}/programmes/{programme.pk}/harvest/report/")
    page.locator(f'a[href$="/harvest/answers/new/?contribution={item.pk}"]').click()
    expect(page.get_by_role("heading", name="De oogst beantwoorden", level=1)).to_be_visible()
    expect(page.get_by_text("Geen reactie van HR op ons functieprofiel.")).to_be_visible()
    assert_accessible(page)

    # Without a date "we will act on it" is refused, with the reason.
    page.get_by_label("Wij gaan ermee aan de slag").check()
    required(page, "Uw antwoord").fill("HR nodigt de groep uit.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Geef aan wanneer u uiterlijk in actie komt.")
    assert_accessible(page)

    page.get_by_label("Wij komen in actie uiterlijk op").fill(act_by.isoformat())
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw antwoord is opgeslagen.")
    expect(page.get_by_role("heading", name="Wat deelnemers nu zien")).to_be_visible()
    assert_accessible(page)

    # The manager changes the answer: the page then says so and keeps the earlier version.
    page.get_by_label("Akkoord").check()
    required(page, "Uw antwoord").fill("Akkoord: de groep zit volgende week met HR aan tafel.")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw antwoord is gewijzigd.")
    expect(page.get_by_text("gewijzigd op")).to_be_visible()
    page.get_by_text("De eerdere versie", exact=True).click()
    expect(page.get_by_text("HR nodigt de groep uit.")).to_be_visible()
    assert_accessible(page)
    answer = Answer.objects.unscoped().get()
    assert (answer.contribution, answer.decision) == (item, "agreed")
    assert AnswerVersion.objects.unscoped().get().decision == "will_act"

    # Back in the report the item shows its answer.
    page.get_by_role("link", name="Terug naar het oogstrapport").click()
    expect(page.get_by_text("Akkoord: de groep zit volgende week met HR aan tafel.")).to_be_visible()

    # The participant reads the answer and its history on her home page.
    context = browser.new_context(**browser_context_args)
    alice = sign_in(context.new_page(), live_server, world.alice)
    answers = alice.locator(f"#answers-{programme.pk}")
    expect(answers.get_by_role("heading", name="Antwoorden van het management")).to_be_visible()
    expect(answers.get_by_text("De oogst van Functieprofiel")).to_be_visible()
    expect(answers.get_by_text("Akkoord: de groep zit volgende week met HR aan tafel.")).to_be_visible()
    expect(answers.get_by_text("gewijzigd op")).to_be_visible()
    assert_accessible(alice)
    answers.get_by_text("De eerdere versie", exact=True).click()
    expect(answers.get_by_text("HR nodigt de groep uit.")).to_be_visible()
    expect(answers.get_by_text("Wij gaan ermee aan de slag")).to_be_visible()
    assert_accessible(alice)
    context.close()


def test_the_room_follows_by_itself_when_people_sign_up_elsewhere(
    live_server: Any, login: Any, page: Page, browser: Browser, browser_context_args: dict[str, Any], world: World
) -> None:
    programme = world.programme
    tour = InitiativeFactory(programme=programme, title="Wijkreizen", proposed_by=world.bob)
    InitiativeSignupFactory(initiative=tour, user=world.bob)
    lotte = MembershipFactory(programme=programme, user__first_name="Lotte").user
    base = f"{live_server.url}/programmes/{programme.pk}/harvest"

    # The coach puts the list on the screen in the room.
    login(world.bob)
    page.goto(f"{base}/room/")
    expect(page.get_by_role("heading", name="Nieuwe initiatieven", level=1)).to_be_visible()
    room_item = page.locator(f'[data-initiative-id="{tour.pk}"]')
    expect(room_item).to_contain_text("1 aanmelding")
    assert_accessible(page)
    page.evaluate("window.stillTheSamePage = true")

    # Alice signs up on her phone and proposes a training module on the spot.
    context = browser.new_context(**browser_context_args)
    alice = sign_in(context.new_page(), live_server, world.alice)
    alice.goto(f"{base}/initiatives/")
    assert_accessible(alice)
    alice.get_by_role("button", name="Inschrijven · Wijkreizen").click()
    expect(alice.get_by_role("status").first).to_contain_text("U bent ingeschreven voor “Wijkreizen”.")
    assert_accessible(alice)
    required(alice, "Naam van het initiatief").fill("Wijkreizen")
    alice.get_by_role("button", name="Op de lijst zetten").click()
    expect(alice.get_by_role("alert")).to_contain_text("Er is al een initiatief met de naam “Wijkreizen”")
    assert_accessible(alice)
    required(alice, "Naam van het initiatief").fill("Lastige gesprekken met bewoners")
    alice.get_by_label("Waar het over gaat").fill("Oefenen met een acteur.")
    alice.get_by_role("button", name="Op de lijst zetten").click()
    expect(alice.get_by_role("status").first).to_contain_text(
        "Initiatief “Lastige gesprekken met bewoners” staat op de lijst."
    )

    # The screen in the room follows without a reload and announces only the new initiative.
    expect(room_item).to_contain_text("2 aanmeldingen", timeout=12000)
    expect(room_item).to_contain_text("Bob, Alice")
    new_item = page.locator(".harvest-room-item", has_text="Lastige gesprekken met bewoners")
    expect(new_item).to_contain_text("1 aanmelding")
    expect(new_item).to_contain_text("Oefenen met een acteur.")
    expect(page.locator("[data-room-announcer]")).to_have_text("Nieuw initiatief: Lastige gesprekken met bewoners")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # A count that changes again is updated in place, without a new announcement.
    InitiativeSignup.objects.create(initiative=tour, user=lotte)
    expect(room_item).to_contain_text("3 aanmeldingen", timeout=12000)
    expect(page.locator("[data-room-announcer]")).to_have_text("Nieuw initiatief: Lastige gesprekken met bewoners")
    assert page.locator(".harvest-room-item").count() == 2
    context.close()
