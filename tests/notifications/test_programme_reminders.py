"""The programme's own days: everyone in it is reminded the day before the start day and the harvest
session, and invited to the harvest three weeks ahead with the session in an .ics file."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from notifications import outbox
from notifications.models import Category, Notification
from programmes import reminders
from programmes.models import Membership, Phase, Programme
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, PhaseFactory, PreferenceFactory, ProgrammeFactory

# Friday 27 November 2026, early morning: the daily planners' run.
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=timezone.get_fixed_timezone(60))


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def day(offset: int) -> datetime:
    return NOW + timedelta(days=offset)


def rows(kind: str) -> list[Notification]:
    return list(Notification.objects.unscoped().filter(kind=kind).order_by("recipient_id", "occurrence"))


def mails_to(email: str, about: str = "") -> list[mail.EmailMessage]:
    """The mails to ``email`` whose subject mentions ``about`` (the daily run sends other kinds too)."""
    return [message for message in mail.outbox if message.to == [email] and about in message.subject]


def everyone(world: World) -> list[int]:
    return sorted([world.alice.pk, world.bob.pk, world.manager.pk])


def start_day(world: World, starts_at: datetime, **fields: object) -> Phase:
    return PhaseFactory(programme=world.programme, kind=Phase.Kind.KICK_OFF, starts_at=starts_at, **fields)


def harvest(world: World, starts_at: datetime, **fields: object) -> Phase:
    return PhaseFactory(programme=world.programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=starts_at, **fields)


# --- The day before --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "recorded"), [(-1, False), (0, True), (1, False)], ids=["2 days", "1 day", "same day"]
)
def test_everyone_in_the_programme_is_reminded_the_day_before_the_start_day(
    world: World, offset: int, recorded: bool
) -> None:
    phase = start_day(world, local(2026, 11, 28, 9, 30), location="Stadhuis, zaal 2.14")

    reminders.plan_phase_reminders(day(offset))

    found = rows("phase_reminder")
    assert sorted(row.recipient_id for row in found) == (everyone(world) if recorded else [])
    for row in found:
        assert (row.key, row.occurrence, row.organisation_id) == (
            f"phase:{phase.pk}",
            "day-before-2026-11-28",
            world.rotterdam.pk,
        )
        assert row.category == Category.PROGRAMME
        assert row.context["kind"] == "kick_off"
        assert row.context["location"] == "Stadhuis, zaal 2.14"
        assert datetime.fromisoformat(row.context["starts_at"]) == phase.starts_at
        assert row.link == f"/programmes/{world.programme.pk}/"


def test_a_session_late_at_night_is_tomorrow_in_the_netherlands(world: World) -> None:
    """23:30 on the 28th in Amsterdam is the 28th, even though it is 22:30 UTC."""
    start_day(world, local(2026, 11, 28, 23, 30))
    harvest(world, local(2026, 11, 29, 0, 30))

    reminders.plan_phase_reminders(NOW)

    assert {row.occurrence for row in rows("phase_reminder")} == {"day-before-2026-11-28"}


def test_the_harvest_session_is_reminded_too_but_other_phases_are_not(world: World) -> None:
    harvest(world, local(2026, 11, 28, 14))
    PhaseFactory(programme=world.programme, kind=Phase.Kind.ACTIVITY_PERIOD, starts_at=local(2026, 11, 28, 9))
    PhaseFactory(programme=world.programme, kind=Phase.Kind.CLOSING, starts_at=local(2026, 11, 28, 16))

    reminders.plan_phase_reminders(NOW)

    assert {row.context["kind"] for row in rows("phase_reminder")} == {"harvest_session"}


def test_a_moved_start_day_is_reminded_again_the_day_before_its_new_date(world: World) -> None:
    phase = start_day(world, local(2026, 11, 28, 9))
    reminders.plan_phase_reminders(NOW)
    Phase.objects.unscoped().filter(pk=phase.pk).update(starts_at=local(2026, 12, 2, 9))

    for offset in range(6):
        reminders.plan_phase_reminders(day(offset))

    assert {row.occurrence for row in rows("phase_reminder")} == {"day-before-2026-11-28", "day-before-2026-12-02"}
    assert len(rows("phase_reminder")) == 6


def test_someone_with_two_roles_is_reminded_once(world: World) -> None:
    MembershipFactory(programme=world.programme, user=world.bob, role=Membership.Role.MANAGER)
    start_day(world, local(2026, 11, 28, 9))

    assert reminders.plan_phase_reminders(NOW) == 3
    assert sorted(row.recipient_id for row in rows("phase_reminder")) == everyone(world)


def test_nobody_outside_the_programme_and_nobody_of_a_programme_not_running_is_reminded(world: World) -> None:
    start_day(world, local(2026, 11, 28, 9))
    for status in (Programme.Status.DRAFT, Programme.Status.CLOSED):
        other = ProgrammeFactory(organisation=world.rotterdam, status=status)
        MembershipFactory(programme=other, user=world.colleague)
        PhaseFactory(programme=other, kind=Phase.Kind.KICK_OFF, starts_at=local(2026, 11, 28, 9))
    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])

    reminders.plan_phase_reminders(NOW)

    recipients = {row.recipient_id for row in rows("phase_reminder")}
    assert recipients == {world.bob.pk, world.manager.pk}
    assert not recipients & {world.charlie.pk, world.haarlem_hr.pk, world.colleague.pk, world.hr.pk}


def test_the_reminder_is_mailed_once_in_each_persons_language(world: World) -> None:
    world.bob.language = "en"
    world.bob.save(update_fields=["language"])
    start_day(world, local(2026, 11, 28, 9, 30), location="Stadhuis, zaal 2.14")

    outbox.plan_daily(NOW)
    outbox.plan_daily(NOW + timedelta(minutes=10))

    [dutch] = mails_to(world.alice.email, about="Morgen")
    assert dutch.subject == "[Leertraject] Morgen: de startdag van Gebiedsnetwerkers"
    assert "Wanneer: zaterdag 28 november 2026, 09:30" in dutch.body
    assert "Stadhuis, zaal 2.14" in dutch.alternatives[0][0]
    [english] = mails_to(world.bob.email, about="Tomorrow")
    assert english.subject == "[Leertraject] Tomorrow: the start day of Gebiedsnetwerkers"
    assert "When: Saturday 28 November 2026, 09:30" in english.body
    assert english.alternatives[0][1] == "text/html"


def test_a_custom_phase_title_is_shown_as_written(world: World) -> None:
    harvest(world, local(2026, 11, 28, 14), title="Oogstfeest in De Doelen")

    outbox.plan_daily(NOW)

    [message] = mails_to(world.alice.email, about="Morgen")
    assert message.subject == "[Leertraject] Morgen: de oogstsessie van Gebiedsnetwerkers"
    assert "Oogstfeest in De Doelen" in message.body


def test_programme_reminders_switched_off_are_kept_but_not_mailed(world: World) -> None:
    PreferenceFactory(user=world.alice, category=Category.PROGRAMME)
    start_day(world, local(2026, 11, 28, 9))

    outbox.plan_daily(NOW)

    statuses = {row.recipient_id: row.status for row in rows("phase_reminder")}
    assert statuses[world.alice.pk] == Notification.Status.MUTED
    assert statuses[world.bob.pk] == Notification.Status.SENT
    assert mails_to(world.alice.email, about="Morgen") == []


# --- The harvest invitation ------------------------------------------------------------------


def test_everyone_is_invited_to_the_harvest_three_weeks_ahead(world: World) -> None:
    session = harvest(world, local(2026, 12, 18, 14), ends_at=local(2026, 12, 18, 17), location="De Doelen")

    reminders.plan_harvest_invitations(day(-1))
    assert rows("harvest_invitation") == []
    reminders.plan_harvest_invitations(NOW)

    found = rows("harvest_invitation")
    assert sorted(row.recipient_id for row in found) == everyone(world)
    assert {(row.key, row.occurrence) for row in found} == {(f"phase:{session.pk}", "2026-12-18T13:00:00+00:00")}
    assert found[0].context == {
        "programme": "Gebiedsnetwerkers",
        "phase": "",
        "starts_at": "2026-12-18T13:00:00+00:00",
        "ends_at": "2026-12-18T16:00:00+00:00",
        "location": "De Doelen",
        "online_url": "",
        "kind": "harvest_session",
    }


def test_someone_who_joins_later_is_invited_on_the_next_run_and_nobody_twice(world: World) -> None:
    harvest(world, local(2026, 12, 18, 14))
    reminders.plan_harvest_invitations(NOW)
    sem = MembershipFactory(programme=world.programme).user

    for offset in range(1, 22):
        reminders.plan_harvest_invitations(day(offset))

    assert sorted(row.recipient_id for row in rows("harvest_invitation")) == sorted([*everyone(world), sem.pk])


def test_a_session_planned_late_is_invited_at_once_and_not_after_it_started(world: World) -> None:
    late = harvest(world, local(2026, 11, 30, 14))
    harvest(world, local(2026, 11, 27, 6, 30))  # began half an hour before the run

    reminders.plan_harvest_invitations(NOW)

    assert {row.key for row in rows("harvest_invitation")} == {f"phase:{late.pk}"}
    assert len(rows("harvest_invitation")) == 3


def test_nobody_outside_a_running_programme_is_invited_to_its_harvest(world: World) -> None:
    harvest(world, local(2026, 12, 1, 14))
    draft = ProgrammeFactory(organisation=world.rotterdam, status=Programme.Status.DRAFT)
    MembershipFactory(programme=draft, user=world.colleague)
    PhaseFactory(programme=draft, kind=Phase.Kind.HARVEST_SESSION, starts_at=local(2026, 12, 1, 14))

    reminders.plan_harvest_invitations(NOW)

    assert sorted(row.recipient_id for row in rows("harvest_invitation")) == everyone(world)


def test_the_invitation_carries_the_session_as_a_calendar_file(world: World) -> None:
    world.manager.language = "en"
    world.manager.save(update_fields=["language"])
    session = harvest(
        world,
        local(2026, 12, 18, 14),
        ends_at=local(2026, 12, 18, 17),
        location="De Doelen",
        online_url="https://meet.example/oogst",
    )

    outbox.plan_daily(NOW)
    outbox.plan_daily(NOW + timedelta(hours=1))

    [message] = mails_to(world.alice.email, about="Uitnodiging")
    assert message.subject == "[Leertraject] Uitnodiging: de oogstsessie van Gebiedsnetwerkers op 18 december"
    assert "Wanneer: vrijdag 18 december 2026, 14:00 – 17:00" in message.body
    assert "https://meet.example/oogst" in message.alternatives[0][0]
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("oogstsessie.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") == session.ends_at
    assert str(event["summary"]) == "Oogstsessie – Gebiedsnetwerkers"
    assert str(event["location"]) == "De Doelen, https://meet.example/oogst"
    assert str(event["uid"]).startswith(f"phase-{session.pk}@")
    [english] = mails_to(world.manager.email, about="Invitation")
    assert english.subject == "[Leertraject] Invitation: the harvest session of Gebiedsnetwerkers on 18 December"
    [english_event] = Calendar.from_ical(english.attachments[0][1]).walk("VEVENT")
    assert str(english_event["summary"]) == "Harvest session – Gebiedsnetwerkers"


def test_a_moved_session_voids_the_waiting_invitation_and_invites_again(world: World) -> None:
    session = harvest(world, local(2026, 12, 18, 14))
    reminders.plan_harvest_invitations(NOW)
    Phase.objects.unscoped().filter(pk=session.pk).update(starts_at=local(2026, 12, 17, 10))

    outbox.plan_daily(NOW + timedelta(minutes=30))

    mine = Notification.objects.unscoped().filter(kind="harvest_invitation", recipient=world.alice)
    by_occurrence = dict(mine.values_list("occurrence", "status"))
    assert by_occurrence == {
        "2026-12-18T13:00:00+00:00": Notification.Status.VOID,
        "2026-12-17T09:00:00+00:00": Notification.Status.SENT,
    }
    [message] = mails_to(world.alice.email, about="Uitnodiging")
    assert "17 december" in message.subject


def test_a_removed_session_voids_the_waiting_invitation(world: World) -> None:
    session = harvest(world, local(2026, 12, 18, 14))
    reminders.plan_harvest_invitations(NOW)
    session.delete()

    outbox.enqueue_due(NOW)

    assert {row.status for row in rows("harvest_invitation")} == {Notification.Status.VOID}
    assert mail.outbox == []


def test_hr_removes_a_harvest_session_and_whoever_was_invited_gets_a_file_that_takes_it_out(world: World) -> None:
    session = harvest(world, local(2026, 12, 18, 14), ends_at=local(2026, 12, 18, 17), location="De Doelen")
    outbox.plan_daily(NOW)
    invitation = Calendar.from_ical(mails_to(world.alice.email, about="Uitnodiging")[0].attachments[0][1])
    late = MembershipFactory(programme=world.programme).user  # joined after the invitations went out
    mail.outbox.clear()

    removed = login_client(world.hr).post(f"/programmes/{world.programme.pk}/phases/{session.pk}/delete/", follow=True)
    outbox.enqueue_due(NOW + timedelta(hours=1))

    assert "de 3 mensen die waren uitgenodigd krijgen een bericht." in removed.text
    assert not Phase.objects.unscoped().filter(pk=session.pk).exists()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.alice.email, world.bob.email, world.manager.email]
    )
    assert mails_to(late.email) == []
    [message] = mails_to(world.alice.email)
    assert message.subject == "[Leertraject] Vervallen: de oogstsessie van Gebiedsnetwerkers"
    assert "gaat niet door" in message.body and "vrijdag 18 december 2026, 14:00 – 17:00" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("oogstsessie.ics", "text/calendar")
    cancellation = Calendar.from_ical(content)
    assert str(cancellation["METHOD"]) == "CANCEL"
    [entry] = cancellation.walk("VEVENT")
    [invited] = invitation.walk("VEVENT")
    assert (entry["UID"], str(entry["STATUS"])) == (invited["UID"], "CANCELLED")
    assert entry["SEQUENCE"] >= invited["SEQUENCE"]  # made later: the same second at most in a test


def test_removing_another_phase_or_an_uninvited_session_mails_nobody(world: World) -> None:
    kick_off = start_day(world, local(2026, 12, 1, 9))
    far = harvest(world, local(2027, 3, 18, 14))  # its invitation is not due yet
    outbox.plan_daily(NOW)
    mail.outbox.clear()
    hr = login_client(world.hr)

    for phase in (kick_off, far):
        removed = hr.post(f"/programmes/{world.programme.pk}/phases/{phase.pk}/delete/", follow=True).text
        assert "verwijderd." in removed
    outbox.enqueue_due(NOW + timedelta(hours=1))

    assert mail.outbox == []
    assert rows("harvest_session_cancelled") == []


# --- A fixed number of queries, however many people ------------------------------------------


def programme_of(count: int) -> Programme:
    """An active programme of ``count`` participants with a start day tomorrow and a harvest in
    three weeks."""
    programme = ProgrammeFactory()
    PhaseFactory(programme=programme, kind=Phase.Kind.KICK_OFF, starts_at=local(2026, 11, 28, 9))
    PhaseFactory(programme=programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=local(2026, 12, 18, 14))
    for _ in range(count):
        MembershipFactory(programme=programme)
    return programme


@pytest.mark.parametrize(
    "planner", [reminders.plan_phase_reminders, reminders.plan_harvest_invitations], ids=["day before", "harvest"]
)
@pytest.mark.parametrize("count", [5, 60])
def test_planners_take_the_same_queries_for_5_or_60_people(
    db: None, django_assert_num_queries, planner, count: int
) -> None:
    programme_of(count)

    with django_assert_num_queries(3):  # phases with their people, muted people, one insert
        assert planner(NOW) == count
