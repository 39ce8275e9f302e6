"""An incident-method intervision session in the browser, from the case to the learning points.

The case bringer submits the case, the facilitator runs the live guide step by step with a
countdown and notes, another member's screen follows by itself (no reload), and after the end
each member writes a learning point; one adds it to her plan. Every page state is checked
with axe-core.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from intervision.models import GroupMember, IntervisionGroup, IntervisionSession, LearningPoint, Method, MethodStep
from learners.models import Goal, Reflection
from programmes.models import Membership
from tests.conftest import World
from tests.factories import TEST_PASSWORD, MembershipFactory

from .conftest import assert_accessible
from .test_learning_plan import required

STEPS = [
    ("Incidenten inbrengen", "Iedereen noemt kort een incident.", MethodStep.Speaker.EVERYONE),
    ("Een incident kiezen", "De groep kiest één incident.", MethodStep.Speaker.GROUP),
    ("Informatieve vragen", "Vragen naar de feiten, nog geen adviezen.", MethodStep.Speaker.GROUP),
    ("Adviezen", "Ieder geeft een advies.", MethodStep.Speaker.GROUP),
    ("Afronding", "De inbrenger zegt wat hij meeneemt.", MethodStep.Speaker.CASE_BRINGER),
]


def sign_in(page: Page, live_server: Any, user: User) -> Page:
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_an_incident_method_session_from_case_to_learning_points(
    live_server: Any, login: Any, page: Page, browser: Browser, browser_context_args: dict[str, Any], world: World
) -> None:
    programme = world.programme
    group = IntervisionGroup.objects.create(programme=programme, name="Groep Noord")
    alice = world.alice
    GroupMember.objects.create(
        group=group, membership=Membership.objects.unscoped().get(programme=programme, user=alice)
    )
    dirk = MembershipFactory(programme=programme, user__first_name="Dirk", user__last_name="de Vries").user
    fatima = MembershipFactory(programme=programme, user__first_name="Fatima", user__last_name="El Amrani").user
    for user in (dirk, fatima):
        GroupMember.objects.create(
            group=group, membership=Membership.objects.unscoped().get(programme=programme, user=user)
        )
    method = Method.objects.create(organisation=world.rotterdam, name="Incidentmethode")
    for position, (title, purpose, speaker) in enumerate(STEPS, start=1):
        MethodStep.objects.create(
            method=method, position=position, title=title, purpose=purpose, minutes=position + 1, speaker=speaker
        )
    session = IntervisionSession.objects.create(
        group=group,
        method=method,
        starts_at=programme_start(),
        location="Stadhuis, zaal 2.14",
        case_bringer=alice,
        facilitator=dirk,
        timekeeper=fatima,
    )
    goal = Goal.objects.create(
        membership=Membership.objects.unscoped().get(programme=programme, user=alice), title="Initiatief tonen"
    )
    base = f"{live_server.url}/programmes/{programme.pk}/intervision/sessions/{session.pk}"

    # The case bringer submits the case, then opens the guide from the session page.
    login(alice)
    page.goto(f"{base}/case/")
    assert_accessible(page)
    required(page, "Titel").fill("De corporatie komt niet naar het wijkoverleg")
    required(page, "De situatie").fill("Drie keer op rij bleef de corporatie weg.")
    required(page, "Mijn vraag aan de groep").fill("Hoe spreek ik hen aan zonder de relatie te schaden?")
    page.get_by_role("button", name="Dien de casus in").click()
    page.get_by_role("link", name="Open de sessiegids").click()
    expect(page.get_by_role("heading", name="Sessiegids", level=1)).to_be_visible()
    expect(page.get_by_text("De corporatie komt niet naar het wijkoverleg")).to_be_visible()
    expect(page.get_by_text("De sessie is nog niet begonnen. Dirk de Vries start haar")).to_be_visible()
    expect(page.get_by_role("button", name="Start")).to_have_count(0)
    assert_accessible(page)

    # A second member keeps the guide open in her own browser.
    fatima_context = browser.new_context(**browser_context_args)
    fatima_page = sign_in(fatima_context.new_page(), live_server, fatima)
    fatima_page.goto(f"{base}/live/")
    fatima_page.evaluate("window.stillTheSamePage = true")

    # The facilitator starts: the first step with its countdown.
    dirk_context = browser.new_context(**browser_context_args)
    dirk_page = sign_in(dirk_context.new_page(), live_server, dirk)
    dirk_page.goto(f"{base}/live/")
    assert_accessible(dirk_page)
    dirk_page.get_by_role("button", name="Start").click()
    expect(dirk_page.get_by_role("status").first).to_contain_text("De sessie is gestart.")
    current = dirk_page.locator('[aria-current="step"]')
    expect(current).to_contain_text("Incidenten inbrengen")
    timer = dirk_page.get_by_role("timer")
    expect(timer).to_contain_text(re.compile(r"0[12]:[0-5]\d"))
    first = timer.locator("[data-live-clock]").inner_text()
    expect(timer.locator("[data-live-clock]")).not_to_have_text(first, timeout=3000)  # it ticks
    assert_accessible(dirk_page)

    # Fatima's screen follows by itself and she adds a note to the first step.
    expect(fatima_page.get_by_role("heading", name="Incidenten inbrengen", level=2)).to_be_visible(timeout=12000)
    fatima_page.get_by_label("Notitie bij deze stap").fill("Drie incidenten: corporatie, buurthuis, wijkagent.")
    fatima_page.get_by_role("button", name="Notitie toevoegen").click()
    expect(fatima_page.get_by_text("Uw notitie is bij de stap gezet.")).to_be_visible()
    assert_accessible(fatima_page)

    # The facilitator goes through the steps; a double click still moves one step.
    dirk_page.get_by_label("Notitie bij deze stap").fill("We kiezen het incident van Alice.")
    dirk_page.get_by_role("button", name="Notitie toevoegen").click()
    dirk_page.get_by_role("button", name="Volgende stap").dblclick()
    expect(dirk_page.locator('[aria-current="step"]')).to_contain_text("Een incident kiezen")
    dirk_page.get_by_role("button", name="Volgende stap").click()
    expect(dirk_page.locator('[aria-current="step"]')).to_contain_text("Informatieve vragen")
    assert IntervisionSession.objects.unscoped().get(pk=session.pk).current_step == 3
    assert_accessible(dirk_page)

    # Fatima reloaded after her note; her page now follows again without reloading.
    fatima_page.evaluate("window.stillTheSamePage = true")
    expect(fatima_page.get_by_role("heading", name="Informatieve vragen", level=2)).to_be_visible(timeout=12000)
    assert fatima_page.evaluate("window.stillTheSamePage") is True
    expect(fatima_page.locator("[data-live-announcer]")).to_have_text("Nu stap 3 van 5: Informatieve vragen")
    assert_accessible(fatima_page)

    dirk_page.get_by_role("button", name="Volgende stap").click()
    dirk_page.get_by_role("button", name="Vorige stap").click()
    expect(dirk_page.locator('[aria-current="step"]')).to_contain_text("Informatieve vragen")
    dirk_page.get_by_role("button", name="Volgende stap").click()
    dirk_page.get_by_role("button", name="Volgende stap").click()
    expect(dirk_page.locator('[aria-current="step"]')).to_contain_text("Afronding")
    expect(dirk_page.get_by_role("button", name="Volgende stap")).to_have_count(0)
    dirk_page.get_by_role("button", name="Sessie beëindigen").click()
    expect(dirk_page.get_by_text("De sessie is afgelopen. Iedereen kan nu")).to_be_visible()
    assert_accessible(dirk_page)

    # Everyone writes a learning point; Fatima's page shows the form by itself.
    expect(fatima_page.get_by_role("heading", name="Leerpunten", level=2)).to_be_visible(timeout=12000)
    required(fatima_page, "Mijn leerpunt").fill("Stiltes laten vallen.")
    fatima_page.get_by_role("button", name="Mijn leerpunt opslaan").click()
    expect(fatima_page.get_by_text("Uw leerpunt is opgeslagen.")).to_be_visible()
    expect(fatima_page.get_by_role("link", name="Schrijf een eerste doel")).to_be_visible()
    assert_accessible(fatima_page)

    required(dirk_page, "Mijn leerpunt").fill("Minder snel adviseren.")
    dirk_page.get_by_role("button", name="Mijn leerpunt opslaan").click()
    expect(dirk_page.get_by_text("Uw leerpunt is opgeslagen.")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Drie incidenten: corporatie, buurthuis, wijkagent.")).to_be_visible()
    required(page, "Mijn leerpunt").fill("Eerst vragen wat de ander nodig heeft.")
    page.get_by_role("button", name="Mijn leerpunt opslaan").click()
    expect(page.get_by_text("Stiltes laten vallen.")).to_be_visible()
    expect(page.get_by_text("Minder snel adviseren.")).to_be_visible()
    assert_accessible(page)
    required(page, "Toevoegen aan mijn doel").select_option(label="Initiatief tonen")
    page.get_by_role("button", name="Als reflectie aan mijn leerplan toevoegen").click()
    expect(page.get_by_text("Uw leerpunt staat nu in uw leerplan")).to_be_visible()
    assert_accessible(page)

    reflection = Reflection.objects.unscoped().get(goal=goal)
    assert reflection.tried == "De corporatie komt niet naar het wijkoverleg"
    assert reflection.learned == "Eerst vragen wat de ander nodig heeft."
    assert LearningPoint.objects.unscoped().filter(session=session).count() == 3
    page.get_by_role("link", name="Bekijk het doel").click()
    expect(page.get_by_text("Eerst vragen wat de ander nodig heeft.")).to_be_visible()

    fatima_context.close()
    dirk_context.close()


def programme_start() -> Any:
    """The session is about to start: the case can still be submitted."""
    return timezone.now().replace(microsecond=0) + timedelta(hours=1)
