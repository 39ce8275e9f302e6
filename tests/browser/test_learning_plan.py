"""A new participant in the browser: from the invitation link through the start assessment and
the SWOT to a first goal shared with the programme and a reflection; every page accessible.
A colleague then reads the shared goal, and HR sees the demand without private names."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from learners.models import Goal
from programmes import invitations
from programmes.models import AssessmentItem, BehaviourIndicator, Competency, Membership
from tests.conftest import World

from .conftest import assert_accessible


def required(page: Page, label: str) -> Locator:
    """The field whose label is exactly ``label``, followed by crispy's asterisk when required."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_a_new_participant_writes_a_plan_and_shares_a_goal(
    live_server: Any, login: Any, page: Page, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    programme = world.programme
    initiative = Competency.objects.create(organisation=world.rotterdam, name="Initiatief tonen")
    BehaviourIndicator.objects.create(competency=initiative, text="Doet zelf voorstellen in overleg")
    programme.competencies.add(initiative)
    AssessmentItem.objects.create(programme=programme, competency=initiative, text="Ik neem initiatief", position=1)
    AssessmentItem.objects.create(programme=programme, competency=initiative, text="Ik zoek partners op", position=2)
    sem = User.objects.create(email="sem@rotterdam.example", first_name="Sem", organisation=world.rotterdam)
    sem.set_unusable_password()
    sem.save()
    membership = Membership.objects.create(programme=programme, user=sem, role=Membership.Role.PARTICIPANT)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(programme, [membership])
    link = re.search(r"http://[^/\s]+(/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)

    page.goto(f"{live_server.url}{link}")
    required(page, "Nieuw wachtwoord").fill("wijkreis-2026-noord")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("wijkreis-2026-noord")
    page.get_by_role("button", name="Doe mee aan het leertraject").click()
    page.get_by_role("link", name="Mijn leerplan").first.click()
    expect(page.get_by_role("heading", name="Mijn leerplan", level=1)).to_be_visible()
    expect(page.get_by_text("Nog geen doelen.", exact=False)).to_be_visible()
    assert_accessible(page)

    # Start assessment: handing in half of it is refused, with the reason at the statement.
    page.get_by_role("link", name="Vul de startmeting in").click()
    page.get_by_role("group", name="Ik neem initiatief").get_by_label("2 – een beetje").check()
    page.get_by_role("button", name="Inleveren").click()
    expect(page.get_by_text("Kies een score van 1 tot 5 voordat u hem inlevert.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Ik zoek partners op").get_by_label("4 – grotendeels").check()
    page.get_by_role("button", name="Inleveren").click()

    # SWOT, then the first goal.
    expect(page.get_by_role("heading", name="Mijn SWOT", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Sterktes").fill("Ik ken de wijk en haar partners.")
    page.get_by_label("Bedreigingen").fill("De waan van de dag.")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", name="Nieuw doel", level=1)).to_be_visible()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    required(page, "Doel").fill("Initiatief nemen in het wijkoverleg")
    page.get_by_label("Doet zelf voorstellen in overleg", exact=False).check()
    page.get_by_label("Iedereen in het leertraject").check()
    page.get_by_label("Soort").first.select_option(value="70")
    required(page, "Activiteit").first.fill("Elk overleg een eigen voorstel inbrengen")
    required(page, "Actie").first.fill("Voorstel speeltuin inbrengen")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", name="Initiatief nemen in het wijkoverleg", level=1)).to_be_visible()
    expect(page.get_by_text("Wie kan dit doel zien: Iedereen in het leertraject")).to_be_visible()
    expect(page.get_by_text("Initiatief tonen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Notitie (optioneel)").fill("De wijkagent sloot aan.")
    page.get_by_role("button", name="Markeren als klaar").click()
    expect(page.locator(".alert-success")).to_contain_text("is klaar")
    page.get_by_role("link", name="Nieuwe reflectie").click()
    assert_accessible(page)
    page.get_by_label("Wat ik probeerde").fill("Zelf een voorstel doen voor de speeltuin.")
    page.get_by_label("Wat ik leerde").fill("Als ik begin, sluiten anderen aan.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Als ik begin, sluiten anderen aan.")).to_be_visible()
    goal_url = page.url
    page.get_by_role("link", name="Eerdere versies").click()
    expect(page.get_by_text("Versie 1, opgeslagen op", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mijn leerplan").click()
    page.get_by_role("link", name="Mijn groei").click()
    expect(page.get_by_role("row", name=re.compile("Ik zoek partners op"))).to_contain_text("4")
    assert_accessible(page)

    # A colleague in the programme reads the shared goal; HR sees it in the demand, with Sem's name.
    page.context.clear_cookies()
    login(world.alice)
    page.goto(goal_url)
    expect(page.get_by_text("Een leerdoel van Sem")).to_be_visible()
    expect(page.get_by_role("link", name="Doel bewerken")).to_have_count(0)
    page.context.clear_cookies()
    login(world.hr)
    page.goto(f"{live_server.url}/programmes/{programme.pk}/demand/")
    expect(page.get_by_role("row", name=re.compile("Initiatief tonen"))).to_contain_text("Sem")
    assert_accessible(page)


def test_an_outsider_answers_a_feedback_question_without_an_account(
    live_server: Any, login: Any, page: Page, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    membership = Membership.objects.unscoped().get(programme=world.programme, user=world.alice)
    goal = Goal.objects.create(membership=membership, title="Initiatief nemen in het wijkoverleg")
    login(world.alice)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    expect(page.get_by_text("Nog geen feedback gevraagd.", exact=False)).to_be_visible()
    page.get_by_role("link", name="Feedback vragen").click()
    page.get_by_role("button", name="Vraag versturen").click()
    expect(page.get_by_role("alert").first).to_contain_text("Kies minstens één collega of vul een e-mailadres in.")
    assert_accessible(page)
    required(page, "Uw vraag").fill("Wat zie je mij doen als ik het initiatief neem?")
    page.get_by_label("Anderen, via hun e-mailadres").fill("wijkagent@politie.example")
    with django_capture_on_commit_callbacks(execute=True):
        page.get_by_role("button", name="Vraag versturen").click()
        expect(page.locator(".alert-success")).to_contain_text("Uw vraag is onderweg naar 1 persoon.")
    expect(page.get_by_text("Wacht op antwoord")).to_be_visible()
    assert_accessible(page)
    link = re.search(r"http://[^/\s]+(/feedback/[^/\s]+/)", mail.outbox[-1].body).group(1)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("vraagt om uw feedback")
    assert_accessible(page)
    required(page, "Uw naam").fill("Bram, wijkagent")
    required(page, "Uw antwoord").fill("Je zet de eerste stap; vraag eerder hulp.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw feedback")).to_be_visible()
    assert_accessible(page)

    login(world.alice)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    expect(page.get_by_text("Je zet de eerste stap; vraag eerder hulp.")).to_be_visible()
    expect(page.get_by_text("Beantwoord", exact=True)).to_be_visible()
