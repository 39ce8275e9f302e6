"""A learning coach in the browser: from the programme to the coach dashboard, where a member
has stalled; one click offers her a coaching session, a wrong end time is refused, and the
planned session shows on its page and on the dashboard. Every page accessible."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from coaching.models import CoachingSession, Community, CommunityMember
from programmes.models import Membership, Phase
from tests.conftest import World

from .conftest import assert_accessible
from .test_learning_plan import required


def test_a_coach_offers_a_stalled_member_a_coaching_session(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    programme = world.programme
    programme.starts_on = timezone.localdate() - timedelta(days=40)
    programme.ends_on = timezone.localdate() + timedelta(days=140)
    programme.save()
    Phase.objects.create(programme=programme, kind=Phase.Kind.KICK_OFF, starts_at=timezone.now() - timedelta(days=20))
    membership = Membership.objects.unscoped().get(programme=programme, user=world.alice, role="participant")
    Membership.objects.unscoped().filter(programme=programme).update(created_at=timezone.now() - timedelta(days=40))
    world.alice.last_login = timezone.now() - timedelta(days=18)
    world.alice.save(update_fields=["last_login"])
    community = Community.objects.create(programme=programme, name="Kennis delen")
    community.coaches.add(world.bob)
    CommunityMember.objects.create(community=community, membership=membership)
    alice = world.alice.get_full_name()

    login(world.bob)
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    page.get_by_role("link", name="Coachdashboard").click()
    expect(page.get_by_role("heading", name="Coachdashboard", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile(re.escape(alice)))
    expect(row).to_contain_text("Stilgevallen")
    expect(row).to_contain_text("Al 18 dagen geen activiteit")
    expect(row).to_contain_text("Geen leerplan, 20 dagen na de startdag")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile("Bied een coachgesprek aan")).click()
    expect(page.get_by_role("heading", name="Coachgesprek plannen", level=1)).to_be_visible()
    expect(required(page, "Deelnemer")).to_have_value(str(membership.pk))
    assert_accessible(page)

    day = timezone.localdate() + timedelta(days=3)
    required(page, "Begint op").fill(f"{day.isoformat()}T10:00")
    required(page, "Eindigt op").fill(f"{day.isoformat()}T09:30")
    page.get_by_label("Plaats").fill("Stadhuis, kamer 4.12")
    page.get_by_label("Agenda").fill("Hoe krijgt u uw leerplan op gang?")
    page.get_by_role("button", name="Inplannen en uitnodiging versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Het einde moet na het begin liggen.")
    assert_accessible(page)
    assert not CoachingSession.objects.unscoped().exists()

    required(page, "Eindigt op").fill(f"{day.isoformat()}T11:00")
    page.get_by_role("button", name="Inplannen en uitnodiging versturen").click()
    expect(page.get_by_role("heading", name=f"Coachgesprek met {alice}", level=1)).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("gepland")
    expect(page.get_by_text("Stadhuis, kamer 4.12")).to_be_visible()
    expect(page.get_by_role("link", name="In mijn agenda zetten (.ics)")).to_be_visible()
    expect(page.get_by_role("heading", name="Vertrouwelijke aantekeningen")).to_be_visible()
    assert_accessible(page)
    session = CoachingSession.objects.unscoped().get()
    assert timezone.localtime(session.starts_at).hour == 10 and session.status == "planned"
    assert [message.to for message in mail.outbox] == [[world.alice.email]]

    page.get_by_role("link", name="Coachdashboard").click()
    row = page.get_by_role("row", name=re.compile(re.escape(alice)))
    expect(row.get_by_role("link", name=re.compile(str(day.day)))).to_be_visible()
    expect(page.get_by_role("heading", name="Mijn coachgesprekken")).to_be_visible()


def test_after_the_session_the_participant_sees_the_summary_and_ticks_off_the_agreements(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    programme = world.programme
    membership = Membership.objects.unscoped().get(programme=programme, user=world.alice, role="participant")
    starts_at = timezone.now() - timedelta(hours=2)
    session = CoachingSession.objects.create(
        membership=membership, coach=world.bob, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
        location="Stadhuis", agenda="Het leerplan",
    )  # fmt: skip
    session_url = f"{live_server.url}/programmes/{programme.pk}/coaching/sessions/{session.pk}/"

    login(world.bob)
    page.goto(session_url)
    page.get_by_role("link", name="Samenvatting, aantekeningen en vervolgacties").click()
    assert_accessible(page)
    page.get_by_label("Samenvatting").fill("We maakten het eerste doel concreet.")
    page.get_by_label("Vertrouwelijke aantekeningen").fill("Twijfelt over haar rol.")
    page.get_by_label("Afgesproken actie").first.fill("Eerste doel opschrijven")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Verslag opgeslagen")
    expect(page.get_by_text("Twijfelt over haar rol.")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    login(world.alice)
    page.goto(session_url)
    expect(page.get_by_text("We maakten het eerste doel concreet.")).to_be_visible()
    expect(page.get_by_text("Twijfelt over haar rol.")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Mijn leerplan").click()
    agreements = page.get_by_role("region", name="Afspraken uit coachgesprekken")
    expect(agreements).to_contain_text("Eerste doel opschrijven")
    assert_accessible(page)
    agreements.get_by_role("button", name=re.compile("Klaar")).click()
    expect(page.get_by_text("Geen openstaande afspraken uit coachgesprekken.")).to_be_visible()

    page.get_by_role("link", name="Vraag een coachgesprek aan").click()
    expect(page.get_by_role("heading", name="Vraag een coachgesprek aan", level=1)).to_be_visible()
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Waarover wilt u praten?")
    assert_accessible(page)
    required(page, "Waarover wilt u praten?").fill("Hoe houd ik het vol naast mijn werk?")
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.locator(".alert-success")).to_contain_text("Uw verzoek is onderweg")
    page.get_by_role("link", name="Gesprek afzeggen").click()
    assert_accessible(page)
    page.get_by_label("Bericht").fill("Het lukt inmiddels zelf.")
    page.get_by_role("button", name="Gesprek afzeggen").click()
    expect(page.locator(".alert-success")).to_contain_text("afgezegd")
