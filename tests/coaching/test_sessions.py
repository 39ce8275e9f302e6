"""Coaching sessions: a coach plans one or a participant asks for one; an .ics invitation and
one reminder a day before; cancelling with a message; a summary both see, follow-up actions in
the participant's plan, and confidential notes that only the session's coach ever sees."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from accounts.models import User
from coaching import sessions
from coaching.models import CoachingNote, CoachingSession, Community, CommunityMember, FollowUp
from notifications import outbox
from notifications.models import Notification
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory

SECRET = "Vertrouwelijk: twijfelt of ze deze functie wel wil"


def participation(world: World, user: User | None = None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


def base(world: World) -> str:
    return f"/programmes/{world.programme.pk}/coaching"


def local_at(days: int, hour: int) -> datetime:
    """A whole hour ``days`` from now, in the Dutch time zone the forms use."""
    return timezone.localtime(timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def field(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def plan_data(world: World, **overrides: object) -> dict[str, object]:
    data = {
        "membership": participation(world).pk,
        "starts_at": field(local_at(3, 10)),
        "ends_at": field(local_at(3, 11)),
        "location": "Stadhuis, kamer 4.12",
        "online_url": "",
        "agenda": "Hoe krijgt u uw leerplan op gang?",
    }
    data.update(overrides)
    return data


def a_session(world: World, *, days: float = 3, **fields: object) -> CoachingSession:
    starts_at = (timezone.now() + timedelta(days=days)).replace(microsecond=0)  # as precise as a calendar
    values = {
        "membership": participation(world),
        "coach": world.bob,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "location": "Stadhuis",
        **fields,
    }
    return CoachingSession.objects.create(**values)


def calendar_event(content: str | bytes):
    return next(component for component in Calendar.from_ical(content).walk() if component.name == "VEVENT")


@pytest.fixture
def yvonne(world: World) -> User:
    """Another learning coach of the same programme."""
    return MembershipFactory(programme=world.programme, role="coach", user__first_name="Yvonne").user


# --- Planning ------------------------------------------------------------------------------------


def test_coach_plans_a_session_and_the_participant_gets_an_ics_invitation(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    client = login_client(world.bob)
    form = client.get(f"{base(world)}/sessions/new/?member={participation(world).pk}").content.decode()
    assert re.search(rf'<option value="{participation(world).pk}" selected>', form)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base(world)}/sessions/new/", plan_data(world), follow=True)

    session = CoachingSession.objects.unscoped().get()
    assert (session.status, session.coach, session.starts_at) == ("planned", world.bob, local_at(3, 10))
    assert response.redirect_chain[-1][0] == f"{base(world)}/sessions/{session.pk}/"
    assert "gepland; de deelnemer krijgt een uitnodiging per e-mail" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [world.alice.email]
    assert message.subject.startswith("[Leertraject] Coachgesprek op ")
    assert "Stadhuis, kamer 4.12" in message.body and "Hoe krijgt u uw leerplan op gang?" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    event = calendar_event(content)
    assert event.decoded("dtstart") == local_at(3, 10)
    assert event.decoded("dtend") == local_at(3, 11)
    assert str(event["summary"]) == f"Coachgesprek met {world.bob.get_full_name()}"
    assert str(event["location"]) == "Stadhuis, kamer 4.12"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": field(local_at(3, 9))}, "Het einde moet na het begin liggen."),
        ({"starts_at": field(local_at(-1, 10)), "ends_at": field(local_at(-1, 11))}, "in het verleden beginnen"),
        ({"location": "", "online_url": ""}, "Geef een plaats of een online link op (of allebei)."),
        ({"ends_at": ""}, "Dit veld is verplicht."),
    ],
)
def test_an_invalid_plan_is_refused_with_a_dutch_message(world: World, overrides: dict, message: str) -> None:
    response = login_client(world.bob).post(f"{base(world)}/sessions/new/", plan_data(world, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="error-summary"' in response.content.decode()
    assert not CoachingSession.objects.unscoped().exists()


def test_an_online_session_needs_no_place(world: World) -> None:
    data = plan_data(world, location="", online_url="teams.example/coach")
    assert login_client(world.bob).post(f"{base(world)}/sessions/new/", data).status_code == 302
    assert CoachingSession.objects.unscoped().get().online_url == "https://teams.example/coach"


def test_only_participants_of_the_programme_can_be_chosen(world: World) -> None:
    coach_role = Membership.objects.unscoped().get(programme=world.programme, user=world.bob)
    haarlem = Membership.objects.unscoped().get(user=world.charlie)
    for membership in (coach_role, haarlem):
        response = login_client(world.bob).post(
            f"{base(world)}/sessions/new/", plan_data(world, membership=membership.pk)
        )
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert not CoachingSession.objects.unscoped().exists()


def test_participants_of_the_coachs_communities_come_first(world: World) -> None:
    zara = MembershipFactory(programme=world.programme, user__first_name="Aaron", user__last_name="Aalders")
    community = Community.objects.create(programme=world.programme, name="Kennis delen")
    community.coaches.add(world.bob)
    CommunityMember.objects.create(community=community, membership=participation(world))

    form = login_client(world.bob).get(f"{base(world)}/sessions/new/").content.decode()

    assert form.index(f"{world.alice.get_full_name()} · Kennis delen") < form.index(zara.user.get_full_name())


def test_only_the_programmes_coaches_plan_sessions(world: World) -> None:
    url = f"{base(world)}/sessions/new/"
    for user in (world.alice, world.hr, world.manager):
        client = login_client(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, plan_data(world)).status_code == 403, user
    for user in (world.colleague, world.charlie):
        assert login_client(user).post(url, plan_data(world)).status_code == 404, user
    assert not CoachingSession.objects.unscoped().exists()


def test_moving_a_session_sends_a_new_invitation_and_a_fresh_reminder(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    session = a_session(world, days=0.5)
    outbox.plan_hourly(timezone.now())
    assert len(mail.outbox) == 1  # the reminder of the first date
    moved_to = timezone.localtime(timezone.now() + timedelta(hours=20)).replace(minute=0, second=0, microsecond=0)
    data = plan_data(world, starts_at=field(moved_to), ends_at=field(moved_to + timedelta(hours=1)))
    del data["membership"]

    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(world.bob).post(f"{base(world)}/sessions/{session.pk}/edit/", data)
    outbox.plan_hourly(timezone.now())

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == moved_to
    _first_reminder, invitation, reminder = mail.outbox
    assert "verplaatst" in invitation.subject
    assert calendar_event(invitation.attachments[0][1]).decoded("dtstart") == moved_to
    assert reminder.subject.startswith("[Leertraject] Herinnering: coachgesprek op ")
    assert calendar_event(reminder.attachments[0][1]).decoded("dtstart") == moved_to


# --- Asking for a session --------------------------------------------------------------------


def test_a_participant_asks_and_the_coach_plans_the_request(
    world: World, yvonne: User, django_capture_on_commit_callbacks: Callable
) -> None:
    community = Community.objects.create(programme=world.programme, name="Kennis delen")
    community.coaches.add(world.bob)
    CommunityMember.objects.create(community=community, membership=participation(world))
    alice = login_client(world.alice)
    plan = alice.get(f"/programmes/{world.programme.pk}/plan/").content.decode()
    assert f'href="{base(world)}/sessions/request/"' in plan
    form = alice.get(f"{base(world)}/sessions/request/").content.decode()
    assert re.search(rf'<option value="{world.bob.pk}" selected>', form) and escape(yvonne.get_full_name()) in form
    assert alice.post(f"{base(world)}/sessions/request/", {"coach": world.bob.pk}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(
            f"{base(world)}/sessions/request/", {"coach": world.bob.pk, "request_message": "Ik loop vast."}
        )

    session = CoachingSession.objects.unscoped().get()
    assert response.url == f"{base(world)}/sessions/{session.pk}/"
    assert (session.status, session.coach, session.request_message) == ("requested", world.bob, "Ik loop vast.")
    [to_coach] = mail.outbox
    assert to_coach.to == [world.bob.email]
    assert f"{world.alice.get_full_name()} vraagt om een coachgesprek" in to_coach.subject
    assert "Ik loop vast." in to_coach.body
    again = alice.get(f"{base(world)}/sessions/request/", follow=True)
    assert "U hebt al om een coachgesprek gevraagd" in again.content.decode()

    bob = login_client(world.bob)
    assert "Ik loop vast." in bob.get(f"{base(world)}/").content.decode()
    data = plan_data(world)
    del data["membership"]
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(f"{base(world)}/sessions/{session.pk}/edit/", data)

    session.refresh_from_db()
    assert session.status == "planned" and session.starts_at == local_at(3, 10)
    assert mail.outbox[-1].to == [world.alice.email] and mail.outbox[-1].attachments
    assert "Coachgesprek met" in alice.get("/").content.decode()  # under "Binnenkort" on her home


def test_a_request_goes_to_a_coach_of_the_programme_only(world: World) -> None:
    url = f"{base(world)}/sessions/request/"
    for not_a_coach in (world.manager, world.hr, world.charlie):
        response = login_client(world.alice).post(url, {"coach": not_a_coach.pk, "request_message": "Hallo"})
        assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    for user in (world.bob, world.hr, world.manager):
        assert login_client(user).get(url).status_code == 403, user
    assert login_client(world.charlie).get(url).status_code == 404
    assert not CoachingSession.objects.unscoped().exists()


def test_another_coach_cannot_plan_a_request_made_to_a_colleague(world: World, yvonne: User) -> None:
    session = CoachingSession.objects.create(membership=participation(world), coach=world.bob, status="requested")
    data = plan_data(world)

    assert login_client(yvonne).post(f"{base(world)}/sessions/{session.pk}/edit/", data).status_code == 404
    assert login_client(world.alice).post(f"{base(world)}/sessions/{session.pk}/edit/", data).status_code == 403
    session.refresh_from_db()
    assert session.status == "requested"


# --- Reminders -----------------------------------------------------------------------------


def test_the_reminder_goes_once_a_day_before(world: World) -> None:
    soon = a_session(world, days=0.5)
    a_session(world, days=2)  # not yet
    a_session(world, days=0.25, status="cancelled")
    a_session(world, days=-0.1)  # started already

    outbox.plan_hourly(timezone.now())
    outbox.plan_hourly(timezone.now() + timedelta(hours=1))

    [message] = mail.outbox
    assert message.to == [world.alice.email]
    assert message.subject.startswith("[Leertraject] Herinnering: coachgesprek op ")
    assert calendar_event(message.attachments[0][1]).decoded("dtstart") == soon.starts_at


def test_the_beat_task_plans_the_reminders_every_hour(world: World, settings) -> None:
    from notifications.tasks import plan_hourly_task

    entry = settings.CELERY_BEAT_SCHEDULE["plan-hourly-notifications"]
    assert entry["task"] == plan_hourly_task.name
    assert len(entry["schedule"].hour) == 24
    a_session(world, days=0.5)

    plan_hourly_task.delay().get()
    plan_hourly_task.delay().get()

    assert [message.to for message in mail.outbox] == [[world.alice.email]]


def test_mails_are_in_the_recipients_language(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    world.alice.language = "en"
    world.alice.save(update_fields=["language"])
    a_session(world, days=0.5)

    outbox.plan_hourly(timezone.now())

    assert mail.outbox[0].subject.startswith("[Leertraject] Reminder: coaching session on ")
    assert "Coaching session with" in str(calendar_event(mail.outbox[0].attachments[0][1])["summary"])


# --- Cancelling ----------------------------------------------------------------------------


def test_either_side_cancels_with_a_message_to_the_other(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    first, second = a_session(world), a_session(world, days=4)
    alice = login_client(world.alice)
    assert alice.post(f"{base(world)}/sessions/{first.pk}/cancel/", {"message": ""}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        alice.post(f"{base(world)}/sessions/{first.pk}/cancel/", {"message": "Ik ben ziek; volgende week?"})
        login_client(world.bob).post(
            f"{base(world)}/sessions/{second.pk}/cancel/", {"message": "Ik moet naar de raad."}
        )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "cancelled"
    to_bob, to_alice = mail.outbox
    assert to_bob.to == [world.bob.email] and "Ik ben ziek; volgende week?" in to_bob.body
    assert to_alice.to == [world.alice.email] and "Ik moet naar de raad." in to_alice.body
    again = alice.post(f"{base(world)}/sessions/{first.pk}/cancel/", {"message": "Nog eens"}, follow=True)
    assert "Dit coachgesprek kan niet meer worden afgezegd." in again.content.decode()
    assert len(mail.outbox) == 2


def test_the_agenda_follows_a_moved_and_then_cancelled_session(
    world: World, django_capture_on_commit_callbacks: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each later file has the same UID and a higher SEQUENCE, or the calendar ignores it; the
    cancellation's file removes the appointment (METHOD:CANCEL, STATUS:CANCELLED)."""
    real_now = timezone.now
    bob = login_client(world.bob)
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(f"{base(world)}/sessions/new/", plan_data(world))
    session = CoachingSession.objects.unscoped().get()
    data = plan_data(world, starts_at=field(local_at(4, 14)), ends_at=field(local_at(4, 15)))
    del data["membership"]
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(f"{base(world)}/sessions/{session.pk}/edit/", data)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(f"{base(world)}/sessions/{session.pk}/cancel/", {"message": "Ik moet naar de raad."})

    invited, moved, cancelled = mail.outbox
    assert cancelled.to == [world.alice.email]
    calendars = [Calendar.from_ical(message.attachments[0][1]) for message in (invited, moved, cancelled)]
    entries = [calendar_event(message.attachments[0][1]) for message in (invited, moved, cancelled)]
    assert len({str(entry["uid"]) for entry in entries}) == 1
    assert entries[0]["sequence"] < entries[1]["sequence"] < entries[2]["sequence"]
    assert [str(calendar["method"]) for calendar in calendars] == ["PUBLISH", "PUBLISH", "CANCEL"]
    assert "status" not in entries[1] and str(entries[2]["status"]) == "CANCELLED"
    assert entries[1].decoded("dtstart") == entries[2].decoded("dtstart") == local_at(4, 14)

    # Bob, who cancelled it and got no mail, takes it out of his own agenda from the session's page.
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=15))
    page = bob.get(f"{base(world)}/sessions/{session.pk}/").content.decode()
    assert "Uit mijn agenda halen (.ics)" in page and "In mijn agenda zetten (.ics)" not in page
    own = bob.get(f"{base(world)}/sessions/{session.pk}/session.ics")
    assert own.status_code == 200
    assert str(Calendar.from_ical(own.content)["method"]) == "CANCEL"
    assert str(calendar_event(own.content)["uid"]) == str(entries[0]["uid"])
    assert calendar_event(own.content)["sequence"] > entries[2]["sequence"]


def test_a_started_session_cannot_be_cancelled(world: World) -> None:
    session = a_session(world, days=-0.01)
    response = login_client(world.alice).post(
        f"{base(world)}/sessions/{session.pk}/cancel/", {"message": "Te laat"}, follow=True
    )
    assert "al begonnen" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "planned"


def test_others_cannot_cancel(world: World, yvonne: User) -> None:
    session = a_session(world)
    for user in (yvonne, world.hr, world.manager, world.charlie):
        response = login_client(user).post(f"{base(world)}/sessions/{session.pk}/cancel/", {"message": "Weg"})
        assert response.status_code == 404, user
    session.refresh_from_db()
    assert session.status == "planned"


# --- After the session: summary, notes, follow-ups ------------------------------------------


def test_coach_records_summary_notes_and_follow_ups_that_land_in_the_plan(world: World) -> None:
    session = a_session(world, days=-1)
    due = timezone.localdate() + timedelta(days=7)
    data = {
        "summary": "We spraken over het wijkoverleg.",
        "notes": SECRET,
        "follow_ups-TOTAL_FORMS": "2",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
        "follow_ups-0-description": "Lotte vragen om mee te lopen",
        "follow_ups-0-due_on": due.isoformat(),
        "follow_ups-1-description": "",
        "follow_ups-1-due_on": "",
    }

    response = login_client(world.bob).post(f"{base(world)}/sessions/{session.pk}/record/", data, follow=True)

    assert "Verslag opgeslagen." in response.content.decode()
    assert SECRET in response.content.decode()  # the coach's own page
    session.refresh_from_db()
    assert session.status == "held" and session.summary == "We spraken over het wijkoverleg."
    assert CoachingNote.objects.unscoped().get(session=session).text == SECRET
    follow_up = FollowUp.objects.unscoped().get()

    alice = login_client(world.alice)
    plan = alice.get(f"/programmes/{world.programme.pk}/plan/").content.decode()
    assert "Afspraken uit coachgesprekken" in plan and "Lotte vragen om mee te lopen" in plan
    done_url = f"/programmes/{world.programme.pk}/plan/follow-ups/{follow_up.pk}/done/"
    assert login_client(world.bob).post(done_url).status_code == 403
    for user in (world.hr, world.manager, world.charlie):
        assert login_client(user).post(done_url).status_code == 404, user
    assert FollowUp.objects.unscoped().get().done_at is None
    done = alice.post(done_url, follow=True).content.decode()
    assert "is klaar" in done and "Geen openstaande afspraken uit coachgesprekken." in done
    assert FollowUp.objects.unscoped().get().done_at is not None


def test_the_plan_lists_the_participants_sessions_with_their_coach_requests_first(world: World, yvonne: User) -> None:
    """Requests (no time yet) on top, then the newest first; cancelled sessions and other
    participants' sessions are not listed."""
    a_session(world, days=-10, status=CoachingSession.Status.HELD)
    a_session(world, days=5, coach=yvonne)
    a_session(world, days=8, status=CoachingSession.Status.CANCELLED, location="Afgezegd")
    a_session(world, starts_at=None, ends_at=None, status=CoachingSession.Status.REQUESTED)
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte")
    a_session(world, days=2, membership=other)

    plan = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/").content.decode()
    listed = plan[plan.index("Mijn coachgesprekken") :]
    listed = listed[: listed.index("</ul>")]

    assert re.findall(r"· (Aangevraagd|Gepland|Gehouden|Geannuleerd)</li>", listed) == [
        "Aangevraagd",
        "Gepland",
        "Gehouden",
    ]
    assert f"· {yvonne.get_full_name()} ·" in listed and f"· {world.bob.get_full_name()} ·" in listed


def test_only_the_sessions_coach_records_it(world: World, yvonne: User) -> None:
    session = a_session(world, days=-1)
    url = f"{base(world)}/sessions/{session.pk}/record/"
    assert login_client(world.alice).get(url).status_code == 403
    for user in (yvonne, world.hr, world.manager, world.charlie):
        assert login_client(user).post(url, {"summary": "x", "notes": "y"}).status_code == 404, user
    assert not CoachingNote.objects.unscoped().exists()


def test_the_ics_download_is_for_the_two_of_them(world: World, yvonne: User) -> None:
    session = a_session(world)
    url = f"{base(world)}/sessions/{session.pk}/session.ics"

    response = login_client(world.alice).get(url)

    assert response["Content-Type"].startswith("text/calendar")
    assert calendar_event(response.content).decoded("dtstart") == session.starts_at
    assert login_client(world.bob).get(url).status_code == 200
    for user in (yvonne, world.hr, world.manager, world.charlie):
        assert login_client(user).get(url).status_code == 404, user


# --- Confidentiality -----------------------------------------------------------------------


@pytest.fixture
def held(world: World) -> CoachingSession:
    session = a_session(world, days=-2, status="held", summary="Samen het plan doorgenomen.", agenda="Het plan")
    CoachingNote.objects.create(session=session, text=SECRET)
    FollowUp.objects.create(session=session, description="Eerste doel opschrijven")
    a_session(world, days=2)  # and one still to come, on everyone's pages
    return session


def test_the_session_is_for_its_participant_and_coach_and_the_notes_for_the_coach(
    world: World, held: CoachingSession
) -> None:
    url = f"{base(world)}/sessions/{held.pk}/"

    coach_page = login_client(world.bob).get(url).content.decode()
    participant_page = login_client(world.alice).get(url).content.decode()

    assert SECRET in coach_page and "Vertrouwelijke aantekeningen" in coach_page
    assert "Samen het plan doorgenomen." in participant_page and "Eerste doel opschrijven" in participant_page
    assert SECRET not in participant_page and "Vertrouwelijke aantekeningen" not in participant_page


def test_the_notes_never_reach_anyone_else(world: World, yvonne: User, held: CoachingSession) -> None:
    community = Community.objects.create(programme=world.programme, name="Kennis delen")
    community.coaches.add(yvonne)
    CommunityMember.objects.create(community=community, membership=participation(world))
    programme = world.programme.pk
    session_urls = [f"{base(world)}/sessions/{held.pk}/{suffix}" for suffix in ("", "session.ics", "edit/", "record/")]
    session_urls.append(f"{base(world)}/sessions/{held.pk}/cancel/")
    pages = [
        "/",
        f"/programmes/{programme}/",
        f"/programmes/{programme}/plan/",
        f"/programmes/{programme}/plan/print/",
        f"{base(world)}/",
        f"/programmes/{programme}/communities/{community.pk}/",
        *session_urls,
    ]
    for user in (world.alice, yvonne, world.hr, world.manager, world.colleague, world.charlie, world.haarlem_hr):
        client = login_client(user)
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert SECRET not in response.content.decode(), (user, url)
            assert not any("coaching_coachingnote" in query["sql"] for query in queries.captured_queries), (user, url)
            if url in session_urls and user != world.alice:
                assert response.status_code == 404, (user, url)


def test_the_notes_are_in_no_mail(world: World, held: CoachingSession) -> None:
    upcoming = CoachingSession.objects.unscoped().get(status="planned")
    CoachingNote.objects.create(session=upcoming, text=SECRET)
    CoachingSession.objects.unscoped().filter(pk=upcoming.pk).update(starts_at=timezone.now() + timedelta(hours=12))

    sessions.send_invitation(upcoming.pk)
    outbox.plan_hourly(timezone.now())
    sessions.cancel(upcoming, by=world.bob, message="Helaas")

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert SECRET not in message.body
        assert all(SECRET not in content for content, _mimetype in message.alternatives)
        assert all(SECRET not in str(attachment[1]) for attachment in message.attachments)
    reminder = Notification.objects.unscoped().get(kind="coaching_session_reminder")
    assert reminder.status == "sent" and SECRET not in str(reminder.context)


def test_the_participants_home_lists_upcoming_sessions_in_one_query(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)
    a_session(world, days=1)
    with django_assert_max_num_queries(40) as one:
        first = client.get("/").content.decode()
    for days in range(2, 12):
        a_session(world, days=days)
    a_session(world, days=-3, status="held")

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/").content.decode()
    assert first.count(f"Coachgesprek met {escape(world.bob.get_full_name())}") == 1
    assert page.count(f"Coachgesprek met {escape(world.bob.get_full_name())}") == 11
