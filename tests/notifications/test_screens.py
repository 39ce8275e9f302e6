"""The notification screens: a person's own list, their mail settings, the one-click unsubscribe
link that works without signing in, and HR's list of messages that could not be delivered."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from leertraject.context_processors import layout
from notifications import outbox
from notifications.models import Category, Notification, Preference
from programmes import invitations
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import NotificationFactory, PreferenceFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"
SETTINGS = "/notifications/settings/"
FAILED = "/notifications/failed/"
TZ = timezone.get_default_timezone()


def prompt(user: User, **fields: Any) -> Notification:
    """A weekly reflection prompt for ``user`` (its subject names the programme)."""
    fields.setdefault("context", {"programme": "Gebiedsnetwerkers"})
    fields.setdefault("status", Notification.Status.SENT)
    return NotificationFactory(recipient=user, **fields)


def failed(user: User, **fields: Any) -> Notification:
    return prompt(user, status=Notification.Status.FAILED, attempts=6, last_error="SMTPRecipientsRefused", **fields)


def unread_badge(html: str) -> str | None:
    """The number on the navigation's notifications link, or None without a badge."""
    found = re.search(r'href="/notifications/"[^>]*>Meldingen <span class="badge[^"]*">(\d+)', html)
    return found.group(1) if found else None


# --- The in-app list ---------------------------------------------------------------------------


def test_the_list_shows_ones_own_notifications_newest_first_in_dutch(world: World) -> None:
    prompt(world.alice, context={"programme": "Oud traject"}, created_at=datetime(2026, 11, 20, 8, tzinfo=TZ))
    prompt(world.alice, context={"programme": "Nieuw traject"}, created_at=datetime(2026, 11, 27, 8, tzinfo=TZ))
    prompt(world.bob, context={"programme": "Bobs traject"})
    prompt(world.charlie, context={"programme": "Haarlems traject"})
    prompt(world.alice, context={"programme": "Vervallen traject"}, status=Notification.Status.VOID)

    html = login_client(world.alice).get(INBOX).content.decode()

    assert html.index("Wat heeft u deze week geleerd? (Nieuw traject)") < html.index(
        "Wat heeft u deze week geleerd? (Oud traject)"
    )
    assert "27 november 2026" in html and "20 november 2026" in html
    for other in ("Bobs traject", "Haarlems traject", "Vervallen traject"):
        assert other not in html


def test_subjects_follow_the_viewers_language(world: World) -> None:
    world.alice.language = User.Language.ENGLISH
    world.alice.save(update_fields=["language"])
    prompt(world.alice)

    html = login_client(world.alice).get(INBOX).content.decode()

    assert "What did you learn this week? (Gebiedsnetwerkers)" in html


def test_unread_ones_are_marked_in_text_and_the_mail_status_shows(world: World) -> None:
    prompt(world.alice, context={"programme": "Gelezen"}, read_at=timezone.now())
    prompt(world.alice, context={"programme": "Uitgezet"}, status=Notification.Status.MUTED)
    prompt(world.alice, context={"programme": "Mislukt"}, status=Notification.Status.FAILED)

    html = login_client(world.alice).get(INBOX).content.decode()

    assert html.count(">Ongelezen</span>") == 2
    assert "ook per e-mail verstuurd" in html
    assert "niet gemaild: u heeft deze uitgezet" in html
    assert "de e-mail kon niet worden bezorgd" in html
    assert unread_badge(html) == "2"
    assert '2<span class="visually-hidden"> ongelezen</span>' in html


def test_an_empty_list_says_what_will_appear(world: World) -> None:
    html = login_client(world.alice).get(INBOX).content.decode()

    assert "Nog geen meldingen" in html
    assert unread_badge(html) is None
    assert "Alles als gelezen markeren" not in html
    assert 'href="/notifications/settings/"' in html


def test_the_list_pages_older_notifications(world: World) -> None:
    start = timezone.now() - timedelta(days=30)
    for day in range(25):
        prompt(world.alice, context={"programme": f"Week {day}"}, created_at=start + timedelta(days=day))
    client = login_client(world.alice)

    first = client.get(INBOX).content.decode()
    second = client.get(INBOX, {"page": 2}).content.decode()

    assert "(Week 24)" in first and "(Week 5)" in first and "(Week 4)" not in first
    assert "(Week 4)" in second and "(Week 0)" in second
    assert "Pagina 1 van 2" in first and 'href="?page=2"' in first


def test_the_query_count_is_the_same_for_3_and_40_notifications(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)
    for number in range(3):
        prompt(world.alice, key=f"programme:{number}")
    with django_assert_max_num_queries(20) as few:
        client.get(INBOX)
    for number in range(3, 40):
        prompt(world.alice, key=f"programme:{number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INBOX)


def test_the_unread_count_is_one_query_and_only_when_a_page_shows_it(
    world: World, rf: RequestFactory, django_assert_max_num_queries: Callable
) -> None:
    prompt(world.alice)
    client = login_client(world.alice)
    request = rf.get("/")
    request.user = world.alice

    with django_assert_max_num_queries(20) as page:
        client.get(INBOX)
    with django_assert_max_num_queries(5) as layout_only:
        context = layout(request)

    def counts(captured: Any) -> list[str]:
        return [query["sql"] for query in captured.captured_queries if '"read_at" IS NULL' in query["sql"]]

    assert len(counts(page)) == 1
    assert counts(layout_only) == []
    assert context["unread_notifications"]() == 1


def test_people_without_an_organisation_have_no_list(world: World) -> None:
    staff = UserFactory(organisation=None, is_staff=True)

    client = login_client(staff)

    assert ">Meldingen" not in client.get("/").content.decode()
    assert client.get(INBOX).status_code == 403


# --- Opening one -------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_follows_its_link(world: World) -> None:
    notification = prompt(world.alice, link=f"/programmes/{world.programme.pk}/")
    other = prompt(world.alice, key="programme:other")
    client = login_client(world.alice)
    assert unread_badge(client.get(INBOX).content.decode()) == "2"

    response = client.get(f"/notifications/{notification.pk}/open/")

    assert response.status_code == 302 and response.url == f"/programmes/{world.programme.pk}/"
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None and other.read_at is None
    assert unread_badge(client.get(INBOX).content.decode()) == "1"


@pytest.mark.parametrize(
    "link", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_a_link_to_elsewhere_is_never_followed(world: World, link: str) -> None:
    notification = prompt(world.alice, link=link)

    response = login_client(world.alice).get(f"/notifications/{notification.pk}/open/")

    assert response.status_code == 302 and response.url == INBOX


@pytest.mark.parametrize("who", ["bob", "hr", "colleague", "charlie", "haarlem_hr"])
def test_only_the_recipient_opens_a_notification(world: World, who: str) -> None:
    notification = failed(world.alice, link="/")

    response = login_client(getattr(world, who)).get(f"/notifications/{notification.pk}/open/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read_gives_feedback(world: World) -> None:
    for number in range(3):
        prompt(world.alice, key=f"programme:{number}")
    bobs = prompt(world.bob)
    client = login_client(world.alice)

    response = client.post("/notifications/read/", follow=True)

    assert "3 meldingen als gelezen gemarkeerd." in response.content.decode()
    assert not Notification.objects.for_organisation(world.rotterdam).filter(recipient=world.alice, read_at=None)
    bobs.refresh_from_db()
    assert bobs.read_at is None
    again = client.post("/notifications/read/", follow=True).content.decode()
    assert "U had geen ongelezen meldingen." in again
    assert client.get("/notifications/read/").status_code == 405


# --- Settings ----------------------------------------------------------------------------------


def test_the_settings_show_every_optional_category_and_the_essential_one_always_on(world: World) -> None:
    PreferenceFactory(user=world.alice, category=Category.REFLECTION, mail=False)

    html = login_client(world.alice).get(SETTINGS).content.decode()

    for label in ("Trajectdagen en de oogst", "Mijn leerplan en acties", "Coachgesprekken en intervisie"):
        assert label in html
    assert re.search(r'name="reflection" id="id_reflection"(?! checked)', html)
    assert re.search(r'name="plan" id="id_plan" checked', html)
    assert "Eén keer per week een korte vraag" in html
    assert "Uitnodigingen en toegang" in html and "altijd aan" in html
    assert 'name="essential"' not in html


def test_switching_a_category_off_saves_and_mutes_what_waits(world: World) -> None:
    waiting = prompt(world.alice, status=Notification.Status.PENDING)
    client = login_client(world.alice)
    on = {"programme": "on", "plan": "on", "sessions": "on", "digests": "on"}

    response = client.post(SETTINGS, on, follow=True)

    assert "Uw instellingen voor meldingen zijn opgeslagen." in response.content.decode()
    assert list(Preference.objects.for_organisation(world.rotterdam).values_list("user", "category", "mail")) == [
        (world.alice.pk, "reflection", False)
    ]
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.MUTED

    client.post(SETTINGS, {**on, "reflection": "on"})

    assert Preference.objects.for_organisation(world.rotterdam).get(user=world.alice).mail is True
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.PENDING


def test_the_essential_category_cannot_be_switched_off(world: World) -> None:
    login_client(world.alice).post(SETTINGS, {"essential": ""})

    assert not Preference.objects.for_organisation(world.rotterdam).filter(category=Category.ESSENTIAL).exists()


# --- One-click unsubscribe ---------------------------------------------------------------------


def stop_url(user: User, category: str = Category.REFLECTION) -> str:
    return f"/notifications/stop/{outbox.unsubscribe_token(user.pk, category)}/"


def test_the_link_asks_first_without_sign_in(world: World, client: Client) -> None:
    response = client.get(stop_url(world.alice))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Afmelden voor “Wekelijkse reflectievraag”?" in html
    assert "Ja, afmelden" in html
    assert not Preference.objects.for_organisation(world.rotterdam).exists()


def test_the_button_switches_the_category_off(world: World) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(stop_url(world.alice))

    html = response.content.decode()
    assert response.status_code == 200
    assert "U bent afgemeld" in html and 'href="/notifications/settings/"' in html
    assert Preference.objects.for_organisation(world.rotterdam).get(user=world.alice).mail is False


def test_a_mail_clients_one_click_post_needs_no_cookie_or_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        stop_url(world.bob, Category.DIGESTS),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    preference = Preference.objects.for_organisation(world.rotterdam).get()
    assert (preference.user, preference.category, preference.mail) == (world.bob, "digests", False)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_altered_link_changes_nothing(world: World, client: Client, method: str) -> None:
    token = outbox.unsubscribe_token(world.alice.pk, Category.REFLECTION)
    altered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    essential = outbox.unsubscribe_token(world.alice.pk, Category.ESSENTIAL)

    for bad in (altered, "forged", essential, outbox.unsubscribe_token(999999, Category.REFLECTION)):
        response = getattr(client, method)(f"/notifications/stop/{bad}/")
        assert response.status_code == 404
        assert "Deze link is niet geldig" in response.content.decode()
    assert not Preference.objects.for_organisation(world.rotterdam).exists()


def test_a_delivered_mail_carries_the_one_click_headers(world: World, client: Client) -> None:
    planned = outbox.Planned(world.alice.pk, world.rotterdam.pk, "programme:1", "2026-W48", {"programme": "Traject"})
    outbox.record("reflection_prompt", [planned])
    notification = Notification.objects.for_organisation(world.rotterdam).get()

    assert outbox.deliver(notification.pk)

    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<http://testserver(/notifications/stop/[^>]+/)>", headers["List-Unsubscribe"]).group(1)
    assert Client(enforce_csrf_checks=True).post(url, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert Preference.objects.for_organisation(world.rotterdam).get().mail is False


def test_an_invitation_mail_has_no_unsubscribe_header(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    membership = Membership.objects.for_organisation(world.rotterdam).get(user=world.alice)

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invite(world.programme, [membership]) == 1

    assert [message.to for message in mail.outbox] == [[world.alice.email]]
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert "List-Unsubscribe-Post" not in mail.outbox[0].extra_headers


# --- HR: messages that could not be delivered --------------------------------------------------


def test_hr_sees_the_failed_messages_of_their_organisation_only(world: World) -> None:
    failed(world.alice, created_at=datetime(2026, 11, 27, 7, tzinfo=TZ))
    prompt(world.bob)
    failed(world.charlie)

    html = login_client(world.hr).get(FAILED).content.decode()

    assert escape(world.alice.get_full_name()) in html and world.alice.email in html
    assert "Wekelijkse reflectievraag" in html and "SMTPRecipientsRefused" in html
    assert "27 november 2026" in html and "Opnieuw proberen" in html
    assert world.bob.email not in html
    assert world.charlie.email not in html


def test_hr_sees_an_empty_state_when_everything_was_delivered(world: World) -> None:
    failed(world.charlie)

    html = login_client(world.hr).get(FAILED).content.decode()

    assert "Alle berichten zijn bezorgd" in html
    assert world.charlie.email not in html


@pytest.mark.parametrize("who", ["alice", "bob", "manager", "colleague", "charlie"])
def test_only_hr_sees_failed_messages(world: World, who: str) -> None:
    notification = failed(world.alice)
    client = login_client(getattr(world, who))

    assert client.get(FAILED).status_code == 403
    assert client.post(f"/notifications/failed/{notification.pk}/retry/").status_code == 403
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED


def test_hr_tries_a_failed_message_again(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    notification = failed(world.alice)
    client = login_client(world.hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/failed/{notification.pk}/retry/", follow=True)

    html = response.content.decode()
    assert f"Het bericht aan {escape(world.alice.get_full_name())} wordt opnieuw verstuurd." in html
    assert "Alle berichten zijn bezorgd" in html
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert [message.to for message in mail.outbox] == [[world.alice.email]]


def test_hr_of_another_organisation_cannot_try_again(world: World) -> None:
    notification = failed(world.alice)

    response = login_client(world.haarlem_hr).post(f"/notifications/failed/{notification.pk}/retry/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED


def test_hr_cannot_retry_a_message_that_did_not_fail(world: World) -> None:
    notification = prompt(world.alice)

    assert login_client(world.hr).post(f"/notifications/failed/{notification.pk}/retry/").status_code == 404


def test_hr_home_links_to_failed_messages_only_when_there_are_any(world: World) -> None:
    client = login_client(world.hr)
    assert FAILED not in client.get("/").content.decode()

    failed(world.alice)
    failed(world.bob)
    failed(world.charlie)

    html = client.get("/").content.decode()
    assert "2 e-mails aan mensen in uw organisatie konden niet worden bezorgd." in html
    assert f'href="{FAILED}"' in html
    assert FAILED not in login_client(world.alice).get("/").content.decode()


# --- The admin site ----------------------------------------------------------------------------


def test_platform_staff_read_the_outbox_in_the_admin(world: World) -> None:
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    notification = failed(world.alice)
    prompt(world.charlie)
    PreferenceFactory(user=world.alice)
    client = login_client(staff)

    listing = client.get("/admin/notifications/notification/", {"q": world.alice.email, "kind": "reflection_prompt"})

    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert client.get("/admin/notifications/notification/", {"status__exact": "failed"}).context["cl"].result_count == 1
    detail = client.get(f"/admin/notifications/notification/{notification.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    assert client.get("/admin/notifications/preference/").status_code == 200
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200
