"""Events in the browser: HR plans a small workshop, participants sign up until it is full, the
waiting list moves up when someone cancels; every page accessible."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from programmes import events
from programmes.models import Event, Registration
from tests.conftest import World
from tests.factories import MembershipFactory

from .conftest import assert_accessible


def test_hr_plans_an_event_and_participants_fill_it_and_its_waiting_list(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    programme = world.programme
    today = programme.starts_on.today()
    programme.starts_on, programme.ends_on = today - timedelta(days=30), today + timedelta(days=180)
    programme.save()
    day = (today + timedelta(days=7)).isoformat()
    login(world.hr)

    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    page.get_by_role("link", name="Nieuwe bijeenkomst").click()
    page.get_by_label("Soort").select_option(label="Workshop")
    page.get_by_label("Titel").fill("Workshop: afspraken nakomen")
    page.get_by_label("Begint op").fill(f"{day}T16:00")
    page.get_by_label("Eindigt op").fill(f"{day}T14:00")
    page.get_by_label("Plekken").fill("1")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Het einde moet na het begin liggen.")
    assert_accessible(page)
    page.get_by_label("Eindigt op").fill(f"{day}T18:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Bijeenkomst “Workshop: afspraken nakomen” opgeslagen.")
    expect(page.get_by_text("Nog niemand heeft zich ingeschreven.")).to_be_visible()
    assert_accessible(page)
    event = Event.objects.for_organisation(world.rotterdam).get()

    # Someone else takes the only place; Alice joins the waiting list.
    other = MembershipFactory(programme=programme, user__first_name="Mohamed").user
    Registration.objects.create(event=event, user=other, status=Registration.Status.REGISTERED)
    page.context.clear_cookies()
    login(world.alice)
    page.goto(f"{live_server.url}/programmes/{programme.pk}/events/")
    expect(page.get_by_text("Vol", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Workshop: afspraken nakomen").click()
    page.get_by_role("button", name="Op de wachtlijst").click()
    expect(page.get_by_text("U bent nummer 1 op de wachtlijst.")).to_be_visible()
    assert_accessible(page)

    # The place frees up: Alice moves up by herself.
    events.cancel(event, other)
    page.reload()
    expect(page.get_by_text("U bent ingeschreven", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="In mijn agenda zetten (.ics)")).to_be_visible()
    page.get_by_role("button", name="Mijn plek annuleren").click()
    expect(page.locator(".alert-success")).to_contain_text("U bent niet meer ingeschreven")
    assert_accessible(page)


def test_hr_removes_an_event_after_seeing_who_will_be_told(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    event = Event.objects.create(
        programme=world.programme,
        kind=Event.Kind.WORKSHOP,
        title="Workshop: afspraken nakomen",
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=2),
        location="Stadhuis",
        capacity=10,
    )
    Registration.objects.create(event=event, user=world.alice, status=Registration.Status.REGISTERED)
    login(world.hr)

    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/events/{event.pk}/")
    page.get_by_role("link", name="Bijeenkomst verwijderen").click()
    expect(page.get_by_role("heading", name="Bijeenkomst verwijderen", level=1)).to_be_visible()
    expect(page.get_by_text("1 persoon heeft zich aangemeld of wacht op een plaats.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Bijeenkomst verwijderen").click()
    expect(page.locator(".alert-success")).to_contain_text("1 persoon die zich aanmeldde krijgt een bericht.")
    assert_accessible(page)
    assert not Event.objects.unscoped().filter(pk=event.pk).exists()
