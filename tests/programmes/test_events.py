"""Events planned on demand: sign up, cancel, a waiting list that moves up by itself, .ics files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from notifications import outbox
from programmes import events
from programmes.models import Competency, Event, Membership, Programme, Registration
from tests.conftest import World, login_client
from tests.factories import MembershipFactory


@pytest.fixture
def programme(world: World) -> Programme:
    """The Rotterdam programme, running from a month ago until half a year from now."""
    today = timezone.localdate()
    world.programme.starts_on = today - timedelta(days=30)
    world.programme.ends_on = today + timedelta(days=180)
    world.programme.save()
    return world.programme


def soon(days: int = 7, hour: int = 15) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_event(programme: Programme, *, capacity: int = 2, days: int = 7, **fields: object) -> Event:
    defaults = {
        "kind": Event.Kind.WORKSHOP,
        "title": "Workshop: afspraken nakomen",
        "starts_at": soon(days),
        "ends_at": soon(days, 17),
        "location": "Stadhuis, zaal 2.14",
    }
    defaults.update(fields)
    return Event.objects.create(programme=programme, capacity=capacity, **defaults)


def participants(programme: Programme, count: int, **user_fields: object) -> list[User]:
    return [
        MembershipFactory(programme=programme, user__first_name=f"Deelnemer{n}", **user_fields).user
        for n in range(count)
    ]


def status_of(event: Event, user: User) -> str:
    return Registration.objects.unscoped().get(event=event, user=user).status


def event_data(**overrides: object) -> dict[str, object]:
    data = {
        "kind": "knowledge_cafe",
        "title": "Kenniscafé: initiatief tonen",
        "description": "Wat werkte, wat niet?",
        "starts_at": soon().strftime("%Y-%m-%dT%H:%M"),
        "ends_at": soon(hour=17).strftime("%Y-%m-%dT%H:%M"),
        "location": "Wijkcentrum De Larenkamp",
        "online_url": "",
        "capacity": "12",
    }
    data.update(overrides)
    return data


# --- The waiting list -------------------------------------------------------------


def test_places_go_first_come_first_served_then_the_waiting_list(programme: Programme) -> None:
    event = make_event(programme, capacity=2)
    first, second, third, fourth = participants(programme, 4)

    for person in (first, second, third, fourth):
        events.sign_up(event, person)

    assert [status_of(event, p) for p in (first, second, third, fourth)] == [
        "registered",
        "registered",
        "waiting",
        "waiting",
    ]


def test_a_freed_place_goes_to_the_first_on_the_waiting_list_who_hears_so_in_their_language(
    programme: Programme, django_capture_on_commit_callbacks: Callable
) -> None:
    event = make_event(programme, capacity=1)
    holder, english, last = participants(programme, 3)
    english.language = "en"
    english.save()
    for person in (holder, english, last):
        events.sign_up(event, person)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        events.cancel(event, holder)

    assert status_of(event, holder) == "cancelled"
    assert status_of(event, english) == "registered"
    assert status_of(event, last) == "waiting"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [english.email]
    assert "You have a place at Workshop: afspraken nakomen" in mail.outbox[0].subject
    assert f"/programmes/{programme.pk}/events/{event.pk}/" in mail.outbox[0].body


def test_signing_up_twice_keeps_one_place_and_signing_up_again_joins_the_back_of_the_queue(
    programme: Programme,
) -> None:
    event = make_event(programme, capacity=1)
    holder, waiting = participants(programme, 2)
    events.sign_up(event, holder)
    events.sign_up(event, holder)
    events.sign_up(event, waiting)

    events.cancel(event, waiting)
    again = events.sign_up(event, waiting)

    assert Registration.objects.unscoped().filter(event=event).count() == 2
    assert status_of(event, holder) == "registered"
    assert again.status == "waiting"


def test_nothing_changes_once_an_event_has_started(programme: Programme) -> None:
    event = make_event(programme, capacity=1, starts_at=timezone.now() - timedelta(hours=1))
    holder, waiting = participants(programme, 2)
    Registration.objects.create(event=event, user=holder, status="registered")
    Registration.objects.create(event=event, user=waiting, status="waiting")

    with pytest.raises(ValidationError):
        events.cancel(event, holder)
    with pytest.raises(ValidationError):
        events.sign_up(event, participants(programme, 1)[0])

    assert status_of(event, holder) == "registered"
    assert status_of(event, waiting) == "waiting"


# --- Participants in the browser's place ------------------------------------------


def test_participant_signs_up_and_cancels_with_feedback(world: World, programme: Programme) -> None:
    event = make_event(programme, capacity=1)
    client = login_client(world.alice)

    signed_up = client.post(f"/programmes/{programme.pk}/events/{event.pk}/sign-up/", follow=True)
    assert "U bent ingeschreven voor “Workshop: afspraken nakomen”." in signed_up.content.decode()
    assert "Mijn plek annuleren" in signed_up.content.decode()
    assert status_of(event, world.alice) == "registered"

    cancelled = client.post(f"/programmes/{programme.pk}/events/{event.pk}/cancel/", follow=True)
    assert "U bent niet meer ingeschreven voor “Workshop: afspraken nakomen”." in cancelled.content.decode()
    assert status_of(event, world.alice) == "cancelled"


def test_a_full_event_offers_the_waiting_list_and_tells_the_position(world: World, programme: Programme) -> None:
    event = make_event(programme, capacity=1)
    for person in participants(programme, 2):
        events.sign_up(event, person)
    client = login_client(world.alice)

    page = client.get(f"/programmes/{programme.pk}/events/{event.pk}/").content.decode()
    assert "Op de wachtlijst" in page
    joined = client.post(f"/programmes/{programme.pk}/events/{event.pk}/sign-up/", follow=True).content.decode()

    assert "Alle plekken zijn bezet: u staat op de wachtlijst" in joined
    assert "U bent nummer 2 op de wachtlijst." in joined
    assert status_of(event, world.alice) == "waiting"


def test_event_offers_a_calendar_file_with_its_time_and_place(world: World, programme: Programme) -> None:
    event = make_event(programme, online_url="https://teams.example/kenniscafe")

    response = login_client(world.alice).get(f"/programmes/{programme.pk}/events/{event.pk}/event.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="workshop-afspraken-nakomen.ics"' in response["Content-Disposition"]
    entry = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == "Workshop: afspraken nakomen"
    assert entry.decoded("DTSTART") == event.starts_at
    assert entry.decoded("DTEND") == event.ends_at
    assert str(entry["LOCATION"]) == "Stadhuis, zaal 2.14, https://teams.example/kenniscafe"


def test_a_moved_event_updates_the_appointment_already_in_the_agenda(
    world: World, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same UID, higher SEQUENCE: otherwise Outlook and Google keep the old time."""
    event = make_event(programme)
    url = f"/programmes/{programme.pk}/events/{event.pk}/event.ics"
    client = login_client(world.alice)
    before = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    event.starts_at, event.ends_at = soon(8, 9), soon(8, 11)
    event.save()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=5))

    after = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]

    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == soon(8, 9)


def test_event_list_shows_places_and_an_empty_state(world: World, programme: Programme) -> None:
    client = login_client(world.alice)
    assert (
        "Er zijn nog geen bijeenkomsten gepland." in client.get(f"/programmes/{programme.pk}/events/").content.decode()
    )

    event = make_event(programme, capacity=3)
    events.sign_up(event, participants(programme, 1)[0])
    page = client.get(f"/programmes/{programme.pk}/events/").content.decode()

    assert "Workshop: afspraken nakomen" in page
    assert "1 van 3 plekken bezet" in page


# --- HR plans events ---------------------------------------------------------------


def test_hr_admin_plans_an_event_with_the_programmes_competencies(world: World, programme: Programme) -> None:
    initiative = Competency.objects.create(organisation=world.rotterdam, name="Initiatief tonen")
    programme.competencies.add(initiative)

    response = login_client(world.hr).post(
        f"/programmes/{programme.pk}/events/new/", event_data(competencies=[initiative.pk]), follow=True
    )

    event = Event.objects.for_organisation(world.rotterdam).get()
    assert response.redirect_chain[-1][0] == f"/programmes/{programme.pk}/events/{event.pk}/"
    assert "Bijeenkomst “Kenniscafé: initiatief tonen” opgeslagen." in response.content.decode()
    assert list(event.competencies.all()) == [initiative]
    assert event.capacity == 12


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capacity": "0"}, "Een bijeenkomst heeft minstens één plek."),
        ({"ends_at": soon(hour=14).strftime("%Y-%m-%dT%H:%M")}, "Het einde moet na het begin liggen."),
        (
            {
                "starts_at": soon(days=400).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": soon(days=400, hour=17).strftime("%Y-%m-%dT%H:%M"),
            },
            "Een bijeenkomst moet binnen de periode van het leertraject vallen",
        ),
        ({"title": ""}, "Dit veld is verplicht."),
    ],
)
def test_invalid_event_is_refused_with_a_message_and_nothing_saved(
    world: World, programme: Programme, overrides: dict, message: str
) -> None:
    response = login_client(world.hr).post(f"/programmes/{programme.pk}/events/new/", event_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.unscoped().exists()


def test_hr_cannot_link_a_competency_of_another_organisation(world: World, programme: Programme) -> None:
    foreign = Competency.objects.create(organisation=world.haarlem, name="Adviseren")

    response = login_client(world.hr).post(
        f"/programmes/{programme.pk}/events/new/", event_data(competencies=[foreign.pk])
    )

    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Event.objects.unscoped().exists()


def test_more_places_let_the_waiting_list_move_up(world: World, programme: Programme) -> None:
    event = make_event(programme, capacity=1)
    holder, first, second = participants(programme, 3)
    for person in (holder, first, second):
        events.sign_up(event, person)

    login_client(world.hr).post(
        f"/programmes/{programme.pk}/events/{event.pk}/edit/",
        event_data(title=event.title, capacity="2", starts_at=soon().strftime("%Y-%m-%dT%H:%M")),
    )

    assert status_of(event, first) == "registered"
    assert status_of(event, second) == "waiting"


def test_fewer_places_than_people_signed_up_is_refused(world: World, programme: Programme) -> None:
    event = make_event(programme, capacity=3)
    for person in participants(programme, 3):
        events.sign_up(event, person)

    response = login_client(world.hr).post(
        f"/programmes/{programme.pk}/events/{event.pk}/edit/", event_data(title=event.title, capacity="2")
    )

    assert "3 mensen hebben al een plek" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 3


def test_coach_sees_who_is_coming_and_a_participant_does_not(world: World, programme: Programme) -> None:
    event = make_event(programme, capacity=5)
    events.sign_up(event, participants(programme, 1, user__last_name="Bouzid")[0])
    url = f"/programmes/{programme.pk}/events/{event.pk}/"

    assert "Deelnemer0 Bouzid" in login_client(world.bob).get(url).content.decode()
    assert "Deelnemer0 Bouzid" not in login_client(world.alice).get(url).content.decode()


# --- Denials -------------------------------------------------------------------------


def test_another_organisation_gets_404_on_every_event_page(world: World, programme: Programme) -> None:
    event = make_event(programme)
    base = f"/programmes/{programme.pk}/events/{event.pk}/"
    client = login_client(world.haarlem_hr)

    for url in (f"/programmes/{programme.pk}/events/", base, f"{base}edit/", f"{base}event.ics"):
        assert client.get(url).status_code == 404, url
    for url in (f"{base}sign-up/", f"{base}cancel/", f"{base}delete/", f"/programmes/{programme.pk}/events/new/"):
        assert client.post(url, event_data()).status_code == 404, url
    assert Event.objects.unscoped().filter(pk=event.pk, title="Workshop: afspraken nakomen").exists()
    assert not Registration.objects.unscoped().exists()


def test_an_event_is_not_reachable_through_another_programme(world: World, programme: Programme) -> None:
    event = make_event(programme)
    other = MembershipFactory(programme__organisation=world.rotterdam, user=world.alice).programme

    assert login_client(world.alice).get(f"/programmes/{other.pk}/events/{event.pk}/").status_code == 404


def test_participants_and_coaches_cannot_plan_change_or_remove_events(world: World, programme: Programme) -> None:
    event = make_event(programme)
    base = f"/programmes/{programme.pk}/events/"

    for user in (world.alice, world.bob, world.manager):
        client = login_client(user)
        assert client.post(f"{base}new/", event_data()).status_code == 403
        assert client.post(f"{base}{event.pk}/edit/", event_data(title="Anders")).status_code == 403
        assert client.post(f"{base}{event.pk}/delete/").status_code == 403
    event.refresh_from_db()
    assert event.title == "Workshop: afspraken nakomen"


def test_only_participants_sign_up_and_only_before_the_start(world: World, programme: Programme) -> None:
    event = make_event(programme)
    started = make_event(programme, title="Gestart", starts_at=timezone.now() - timedelta(minutes=5))

    assert login_client(world.manager).post(f"/programmes/{programme.pk}/events/{event.pk}/sign-up/").status_code == 403
    assert login_client(world.alice).post(f"/programmes/{programme.pk}/events/{started.pk}/sign-up/").status_code == 403
    assert not Registration.objects.unscoped().exists()


def test_participants_do_not_see_events_of_a_draft_programme(world: World, programme: Programme) -> None:
    programme.status = Programme.Status.DRAFT
    programme.save()
    event = make_event(programme)

    assert login_client(world.alice).get(f"/programmes/{programme.pk}/events/{event.pk}/").status_code == 404


# --- Query counts ----------------------------------------------------------------------


def test_event_pages_keep_their_query_count_as_events_and_people_grow(
    world: World, programme: Programme, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.bob)
    competencies = [Competency.objects.create(organisation=world.rotterdam, name=f"C{n}") for n in range(3)]

    def add(count: int, people: int) -> Event:
        crowd = participants(programme, people)
        for number in range(count):
            event = make_event(programme, title=f"Bijeenkomst {Event.objects.unscoped().count()}", days=2 + number % 20)
            event.competencies.set(competencies)
            for person in crowd:
                events.sign_up(event, person)
        return event

    event = add(2, 2)
    with django_assert_max_num_queries(25) as small_list:
        client.get(f"/programmes/{programme.pk}/events/")
    with django_assert_max_num_queries(25) as small_detail:
        client.get(f"/programmes/{programme.pk}/events/{event.pk}/")
    event = add(20, 15)

    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get(f"/programmes/{programme.pk}/events/").status_code == 200
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        assert client.get(f"/programmes/{programme.pk}/events/{event.pk}/").status_code == 200


def test_hr_dashboard_keeps_its_query_count_from_10_to_500_participants(
    world: World, programme: Programme, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.hr)
    for number in range(3):
        make_event(programme, title=f"Bijeenkomst {number}", days=3 + number)
    participants(programme, 9)
    assert programme.memberships.filter(role=Membership.Role.PARTICIPANT).count() == 10
    with django_assert_max_num_queries(30) as ten:
        page = client.get(f"/programmes/{programme.pk}/").content.decode()
    assert "In één oogopslag" in page

    participants(programme, 490)

    with django_assert_max_num_queries(len(ten.captured_queries)):
        assert client.get(f"/programmes/{programme.pk}/").status_code == 200


def test_hr_removes_an_event_and_everyone_signed_up_or_waiting_is_told_with_a_cancel_file(
    world: World, programme: Programme
) -> None:
    event = make_event(programme, capacity=2)
    people = [MembershipFactory(programme=programme).user for _ in range(4)]
    for person in people:
        events.sign_up(event, person)  # two places, two waiting
    events.cancel(event, people[0])  # gave up: one waiting moves up, so three are signed up
    mail.outbox.clear()
    hr = login_client(world.hr)
    url = f"/programmes/{programme.pk}/events/{event.pk}/"
    uid = Calendar.from_ical(hr.get(f"{url}event.ics").content).walk("VEVENT")[0]["UID"]

    question = hr.get(f"{url}delete/").text
    removed = hr.post(f"{url}delete/", follow=True).text
    outbox.enqueue_due()

    assert "3 mensen hebben zich aangemeld of wachten op een plaats." in question
    assert (
        "Bijeenkomst “Workshop: afspraken nakomen” verwijderd; 3 mensen die zich aanmeldden krijgen een bericht."
        in removed
    )
    assert not Event.objects.unscoped().filter(pk=event.pk).exists()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in people[1:])
    message = mail.outbox[0]
    assert message.subject == "[Leertraject] Verwijderd: Workshop: afspraken nakomen"
    assert "gaat niet door" in message.body
    (name, content, mimetype) = message.attachments[0]
    entry = Calendar.from_ical(content)
    assert (name, mimetype, str(entry["METHOD"])) == ("workshop-afspraken-nakomen.ics", "text/calendar", "CANCEL")
    cancelled = entry.walk("VEVENT")[0]
    assert (cancelled["UID"], str(cancelled["STATUS"])) == (uid, "CANCELLED")
    assert cancelled.decoded("DTSTART") == event.starts_at


def test_removing_an_event_nobody_signed_up_for_mails_nobody(world: World, programme: Programme) -> None:
    event = make_event(programme)
    hr = login_client(world.hr)

    removed = hr.post(f"/programmes/{programme.pk}/events/{event.pk}/delete/", follow=True).text
    outbox.enqueue_due()

    assert "Bijeenkomst “Workshop: afspraken nakomen” verwijderd." in removed
    assert mail.outbox == []
