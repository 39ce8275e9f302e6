"""Notifications in the browser: a participant sees the unread count, follows a notification (it is
read, the count goes down), switches the weekly reflection off in the settings; the unsubscribe link
from a mail works without signing in; HR tries a failed message again. Every page accessible."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications import outbox
from notifications.models import Category, Notification, Preference
from tests.conftest import World
from tests.factories import NotificationFactory

from .conftest import assert_accessible


def test_a_participant_reads_a_notification_and_switches_a_category_off(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    programme = world.programme
    earlier = timezone.now() - timedelta(days=3)
    NotificationFactory(
        recipient=world.alice,
        context={"programme": "Eerder traject"},
        status=Notification.Status.SENT,
        created_at=earlier - timedelta(days=4),
        read_at=earlier,
    )
    NotificationFactory(
        recipient=world.alice,
        context={"programme": "Gebiedsnetwerkers"},
        status=Notification.Status.SENT,
        created_at=earlier,
        link=f"/programmes/{programme.pk}/",
    )
    NotificationFactory(
        recipient=world.alice,
        kind="phase_reminder",
        category=Category.PROGRAMME,
        context={"programme": "Gebiedsnetwerkers", "kind": "kick_off"},
        status=Notification.Status.MUTED,
    )

    login(world.alice)
    badge = page.get_by_role("link", name="Meldingen 2 ongelezen")
    expect(badge).to_be_visible()
    assert_accessible(page)

    badge.click()
    expect(page.get_by_role("heading", name="Meldingen", level=1)).to_be_visible()
    unread = page.get_by_role("main").get_by_role("listitem").filter(has_text="Ongelezen")
    expect(unread).to_have_count(2)
    expect(page.get_by_text("niet gemaild: u heeft deze uitgezet")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Wat heeft u deze week geleerd? (Gebiedsnetwerkers)").click()
    page.wait_for_url(f"{live_server.url}/programmes/{programme.pk}/")
    expect(page.get_by_role("link", name="Meldingen 1 ongelezen")).to_be_visible()

    page.get_by_role("link", name="Meldingen 1 ongelezen").click()
    page.get_by_role("link", name="Instellingen voor meldingen").click()
    expect(page.get_by_role("heading", name="Instellingen voor meldingen", level=1)).to_be_visible()
    expect(page.get_by_role("switch", name="Uitnodigingen en toegang altijd aan")).to_be_disabled()
    assert_accessible(page)
    reflection = page.get_by_role("switch", name="Wekelijkse reflectievraag")
    expect(reflection).to_be_checked()
    reflection.uncheck()
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw instellingen voor meldingen zijn opgeslagen.")
    expect(page.get_by_role("switch", name="Wekelijkse reflectievraag")).not_to_be_checked()
    assert_accessible(page)
    preference = Preference.objects.for_organisation(world.rotterdam).get(user=world.alice)
    assert (preference.category, preference.mail) == (Category.REFLECTION, False)

    page.get_by_role("link", name="Terug naar mijn meldingen").click()
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    expect(page.get_by_role("status")).to_contain_text("1 melding als gelezen gemarkeerd.")
    expect(page.get_by_role("link", name="Meldingen", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_unsubscribe_link_from_a_mail_works_without_signing_in(live_server: Any, page: Page, world: World) -> None:
    token = outbox.unsubscribe_token(world.bob.pk, Category.DIGESTS)

    page.goto(f"{live_server.url}/notifications/stop/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Afmelden voor “Overzichten (forum, stilgevallen deelnemers)”?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Ja, afmelden").click()
    expect(page.get_by_role("heading", name="U bent afgemeld")).to_be_visible()
    assert_accessible(page)
    preference = Preference.objects.for_organisation(world.rotterdam).get(user=world.bob)
    assert (preference.category, preference.mail) == (Category.DIGESTS, False)

    page.goto(f"{live_server.url}/notifications/stop/{token[:-2]}xx/")
    expect(page.get_by_role("heading", name="Deze link is niet geldig")).to_be_visible()
    assert_accessible(page)


def test_hr_tries_a_failed_message_again(live_server: Any, login: Any, page: Page, world: World) -> None:
    NotificationFactory(
        recipient=world.alice,
        status=Notification.Status.FAILED,
        attempts=6,
        last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
    )

    login(world.hr)
    page.get_by_role("link", name="Bekijken en opnieuw proberen").click()
    expect(page.get_by_role("heading", name="Berichten die niet bezorgd konden worden", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=world.alice.email)).to_contain_text("Wekelijkse reflectievraag")
    assert_accessible(page)

    page.get_by_role("button", name="Opnieuw proberen").click()
    expect(page.get_by_role("status")).to_contain_text("wordt opnieuw verstuurd")
    expect(page.get_by_text("Alle berichten zijn bezorgd")).to_be_visible()
    assert_accessible(page)
