"""Coaching in the outbox: the session reminder a day before, and the coach's weekly digest of
stalled participants (on Mondays, to each coach about the participants their dashboard shows:
names and reasons only, never what a goal says)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from coaching import reminders
from coaching.models import CoachingSession, Community, CommunityMember
from learners.models import Goal
from notifications import outbox
from notifications.models import Category, Notification
from programmes.models import Membership, Programme
from tests.conftest import World
from tests.factories import MembershipFactory, PreferenceFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

COACH_DIGESTS = "coaching.reminders.plan_coach_digests"


def participation(world: World, user: User | None = None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


def a_session(world: World, *, hours: float = 12, membership: Membership | None = None, **fields) -> CoachingSession:
    starts_at = timezone.now() + timedelta(hours=hours)
    return CoachingSession.objects.create(
        membership=membership or participation(world),
        coach=world.bob,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        location="Stadhuis, kamer 4.12",
        **fields,
    )


def reminder_rows() -> list[Notification]:
    return list(Notification.objects.unscoped().filter(kind="coaching_session_reminder").order_by("pk"))


# --- The session reminder ------------------------------------------------------------------------


def test_the_participant_is_reminded_once_when_the_planner_runs_twice(world: World) -> None:
    session = a_session(world, agenda="Hoe krijgt u uw leerplan op gang?")

    outbox.plan_hourly(timezone.now())
    outbox.plan_hourly(timezone.now() + timedelta(minutes=30))

    [message] = mail.outbox
    assert message.to == [world.alice.email]
    assert message.subject.startswith("[Leertraject] Herinnering: coachgesprek op ")
    assert "Stadhuis, kamer 4.12" in message.body and "Hoe krijgt u uw leerplan op gang?" in message.body
    assert f"http://testserver/programmes/{world.programme.pk}/coaching/sessions/{session.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "Open het coachgesprek" in html and "Deze berichten stoppen" in html
    [(filename, _content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    [row] = reminder_rows()
    assert (row.key, row.status) == (f"coaching_session:{session.pk}", "sent")


def test_a_session_moved_before_the_reminder_went_out_voids_it_and_reminds_of_the_new_time(world: World) -> None:
    session = a_session(world, hours=12)
    reminders.plan_session_reminders(timezone.now())  # recorded, not yet sent
    CoachingSession.objects.unscoped().filter(pk=session.pk).update(
        starts_at=session.starts_at + timedelta(hours=6), ends_at=session.ends_at + timedelta(hours=6)
    )

    outbox.plan_hourly(timezone.now())

    [message] = mail.outbox
    first, second = reminder_rows()
    assert (first.status, second.status) == ("void", "sent")
    assert datetime.fromisoformat(second.occurrence) == session.starts_at + timedelta(hours=6)
    assert timezone.localtime(session.starts_at + timedelta(hours=6)).strftime("%H:%M") in message.body


def test_a_session_moved_after_the_reminder_reminds_again(world: World) -> None:
    session = a_session(world, hours=20)
    outbox.plan_hourly(timezone.now())
    CoachingSession.objects.unscoped().filter(pk=session.pk).update(
        starts_at=session.starts_at - timedelta(hours=4), ends_at=session.ends_at - timedelta(hours=4)
    )

    outbox.plan_hourly(timezone.now())
    outbox.plan_hourly(timezone.now())

    assert len(mail.outbox) == 2
    assert [row.status for row in reminder_rows()] == ["sent", "sent"]


def test_a_reminder_of_a_cancelled_session_is_voided(world: World) -> None:
    session = a_session(world)
    reminders.plan_session_reminders(timezone.now())
    CoachingSession.objects.unscoped().filter(pk=session.pk).update(status=CoachingSession.Status.CANCELLED)

    outbox.enqueue_due(timezone.now())

    assert not mail.outbox
    assert [row.status for row in reminder_rows()] == ["void"]


def test_no_reminder_for_sessions_not_due_cancelled_or_of_inactive_people(world: World) -> None:
    a_session(world, hours=30)
    a_session(world, hours=6, status=CoachingSession.Status.CANCELLED)
    a_session(world, hours=6, status=CoachingSession.Status.REQUESTED)
    a_session(world, hours=-1)
    gone = MembershipFactory(programme=world.programme, user__is_active=False)
    a_session(world, hours=6, membership=gone)

    assert reminders.plan_session_reminders(timezone.now()) == 0


def test_a_participant_who_switched_session_mails_off_is_not_mailed(world: World) -> None:
    PreferenceFactory(user=world.alice, category=Category.SESSIONS, mail=False)
    a_session(world)

    outbox.plan_hourly(timezone.now())

    assert not mail.outbox
    assert [row.status for row in reminder_rows()] == ["muted"]


def test_the_reminder_is_in_the_participants_language(world: World) -> None:
    world.alice.language = User.Language.ENGLISH
    world.alice.save(update_fields=["language"])
    a_session(world)

    outbox.plan_hourly(timezone.now())

    [message] = mail.outbox
    assert message.subject.startswith("[Leertraject] Reminder: coaching session on ")
    assert "Can you not come after all?" in message.body and 'lang="en"' in message.alternatives[0][0]


def test_the_in_app_subject_needs_no_query(world: World, django_assert_num_queries: Callable) -> None:
    a_session(world)
    reminders.plan_session_reminders(timezone.now())
    row = Notification.objects.unscoped().select_related("recipient").get()

    with django_assert_num_queries(0):
        subject = outbox.subject_of(row)

    assert subject.startswith("Herinnering: coachgesprek op ")


def test_planning_reminders_takes_the_same_queries_for_5_and_60_sessions(
    world: World, django_assert_num_queries: Callable
) -> None:
    def sessions(count: int) -> None:
        for _ in range(count):
            a_session(world, membership=MembershipFactory(programme=world.programme))

    sessions(5)
    with CaptureQueriesContext(connection) as five:
        assert reminders.plan_session_reminders(timezone.now()) == 5
    sessions(55)

    with django_assert_num_queries(len(five.captured_queries)):
        assert reminders.plan_session_reminders(timezone.now()) == 60


# --- The coach's weekly digest -------------------------------------------------------------------


def next_monday() -> datetime:
    """Seven in the morning of the coming Monday: everything the tests make now lies before it."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.combine(monday, time(7)))


MONDAY = next_monday()


def stalled(programme: Programme, first_name: str, community: Community | None = None) -> Membership:
    """A participant who signed in 30 days before Monday, once, and wrote no plan."""
    membership = MembershipFactory(programme=programme, user__first_name=first_name, user__last_name="Test")
    Membership.objects.unscoped().filter(pk=membership.pk).update(created_at=MONDAY - timedelta(days=60))
    User.objects.filter(pk=membership.user_id).update(last_login=MONDAY - timedelta(days=30))
    if community:
        CommunityMember.objects.create(community=community, membership=membership)
    return membership


def coach(programme: Programme, first_name: str, *communities: Community) -> User:
    user = MembershipFactory(programme=programme, role="coach", user__first_name=first_name).user
    for community in communities:
        community.coaches.add(user)
    return user


@pytest.fixture
def rotterdam(world: World) -> dict[str, Community]:
    """The programme started 60 days before Monday. Bob coaches "Kennis delen" (Alice, on track,
    and Dirk, stalled); Yvonne coaches "Functieprofiel" (Kees, stalled)."""
    programme = world.programme
    programme.starts_on = MONDAY.date() - timedelta(days=60)
    programme.save(update_fields=["starts_on"])
    Membership.objects.unscoped().filter(programme=programme).update(created_at=MONDAY - timedelta(days=60))
    sharing = Community.objects.create(programme=programme, name="Kennis delen")
    sharing.coaches.add(world.bob)
    CommunityMember.objects.create(community=sharing, membership=participation(world))
    Goal.objects.create(membership=participation(world), title="Initiatief nemen in het wijkoverleg")
    stalled(programme, "Dirk", sharing)
    profile = Community.objects.create(programme=programme, name="Functieprofiel")
    coach(programme, "Yvonne", profile)
    stalled(programme, "Kees", profile)
    return {"sharing": sharing, "profile": profile}


def digests() -> dict[int, Notification]:
    """The latest coach digest of each coach."""
    rows = Notification.objects.unscoped().filter(kind="coach_digest").order_by("created_at", "pk")
    return {row.recipient_id: row for row in rows}


def mail_to(user: User):
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    return message


def test_on_monday_each_coach_gets_only_their_own_stalled_participants(world: World, rotterdam) -> None:
    haarlem_coach = coach(world.haarlem_programme, "Henk")
    Membership.objects.unscoped().filter(programme=world.haarlem_programme).update(
        created_at=MONDAY - timedelta(days=60)
    )
    User.objects.filter(pk=world.charlie.pk).update(last_login=MONDAY - timedelta(days=30))

    outbox.run_planners([COACH_DIGESTS], MONDAY)

    yvonne = User.objects.get(first_name="Yvonne")
    assert set(digests()) == {world.bob.pk, yvonne.pk, haarlem_coach.pk}
    to_bob = mail_to(world.bob)
    assert to_bob.subject == "[Leertraject] 1 deelnemer van “Gebiedsnetwerkers” is stilgevallen"
    assert "Dirk Test" in to_bob.body and "Al 30 dagen geen activiteit" in to_bob.body
    assert "Geen leerplan, 60 dagen na de startdag" in to_bob.body
    assert f"http://testserver/programmes/{world.programme.pk}/coaching/" in to_bob.body
    assert "Dirk Test" in to_bob.alternatives[0][0] and "Open het coachdashboard" in to_bob.alternatives[0][0]
    for elsewhere in ("Kees", world.alice.first_name, "Charlie"):
        assert elsewhere not in to_bob.body
    to_yvonne = mail_to(yvonne)
    assert "Kees Test" in to_yvonne.body and "Dirk" not in to_yvonne.body
    to_henk = mail_to(haarlem_coach)
    assert world.charlie.get_full_name() in to_henk.body and "Dirk" not in to_henk.body and "Kees" not in to_henk.body
    assert "Charlie" not in to_yvonne.body
    digest = digests()[world.bob.pk]
    year, week, _day = MONDAY.isocalendar()
    assert (digest.key, digest.occurrence) == (f"programme:{world.programme.pk}", f"{year}-W{week:02d}")
    assert digest.organisation_id == world.rotterdam.pk


def test_a_participant_in_no_community_is_in_every_coachs_digest_as_on_the_dashboard(world: World, rotterdam) -> None:
    stalled(world.programme, "Eva")

    outbox.run_planners([COACH_DIGESTS], MONDAY)

    yvonne = User.objects.get(first_name="Yvonne")
    assert "Eva Test" in mail_to(world.bob).body and "Eva Test" in mail_to(yvonne).body
    assert "2 deelnemers" in mail_to(world.bob).subject


def test_the_digest_goes_only_on_mondays_and_once_a_week(world: World, rotterdam) -> None:
    for days in range(1, 7):
        outbox.run_planners([COACH_DIGESTS], MONDAY + timedelta(days=days))
    assert not digests() and not mail.outbox

    outbox.run_planners([COACH_DIGESTS], MONDAY)
    outbox.run_planners([COACH_DIGESTS], MONDAY + timedelta(hours=5))
    assert len(mail.outbox) == 2

    outbox.run_planners([COACH_DIGESTS], MONDAY + timedelta(days=7))
    assert len(mail.outbox) == 4


def test_coaches_without_stalled_participants_and_other_programmes_get_nothing(world: World, rotterdam) -> None:
    calm = Community.objects.create(programme=world.programme, name="Buurtwerk")
    wim = coach(world.programme, "Wim", calm)
    fleur = MembershipFactory(programme=world.programme, user__first_name="Fleur")
    CommunityMember.objects.create(community=calm, membership=fleur)
    Goal.objects.create(membership=fleur, title="Buurtbewoners betrekken")
    draft = ProgrammeFactory(organisation=world.rotterdam, status=Programme.Status.DRAFT)
    closed = ProgrammeFactory(organisation=world.rotterdam, status=Programme.Status.CLOSED)
    for programme in (draft, closed):
        coach(programme, "Olga")
        stalled(programme, "Piet")

    outbox.run_planners([COACH_DIGESTS], MONDAY)

    assert wim.pk not in digests()
    assert {row.key for row in digests().values()} == {f"programme:{world.programme.pk}"}
    assert all("Piet" not in message.body for message in mail.outbox)


def test_names_and_reasons_only_never_what_a_goal_says(world: World, rotterdam) -> None:
    dirk = Membership.objects.unscoped().get(user__first_name="Dirk")
    goal = Goal.objects.create(membership=dirk, title="Geheim doel van Dirk", visibility="private")
    Goal.objects.filter(pk=goal.pk).update(updated_at=MONDAY - timedelta(days=20))

    outbox.run_planners([COACH_DIGESTS], MONDAY)

    message = mail_to(world.bob)
    assert "Al 20 dagen geen activiteit" in message.body and "Geen leerplan" not in message.body
    assert "Geheim doel" not in message.body and "Geheim doel" not in message.alternatives[0][0]
    assert digests()[world.bob.pk].context == {
        "programme": "Gebiedsnetwerkers",
        "members": [{"name": "Dirk Test", "idle_days": 20, "no_plan_days": None}],
    }


def test_the_digest_is_in_the_coachs_language_and_can_be_switched_off(world: World, rotterdam) -> None:
    world.bob.language = User.Language.ENGLISH
    world.bob.save(update_fields=["language"])
    yvonne = User.objects.get(first_name="Yvonne")
    PreferenceFactory(user=yvonne, category=Category.DIGESTS, mail=False)

    outbox.run_planners([COACH_DIGESTS], MONDAY)

    [message] = mail.outbox
    assert message.to == [world.bob.email]
    assert message.subject == "[Leertraject] 1 participant of “Gebiedsnetwerkers” has stalled"
    assert "No activity for 30 days" in message.body
    assert digests()[yvonne.pk].status == "muted"
    assert escape("Dirk Test") in message.alternatives[0][0]


def test_the_digest_planner_takes_the_same_queries_for_5_and_60_participants(
    world: World, rotterdam, django_assert_num_queries: Callable
) -> None:
    haarlem = Community.objects.create(programme=world.haarlem_programme, name="Adviseren")
    coach(world.haarlem_programme, "Henk", haarlem)

    def participants(count: int) -> None:
        for number in range(count):
            programme, community = [
                (world.programme, rotterdam["sharing"]),
                (world.programme, rotterdam["profile"]),
                (world.programme, None),
                (world.haarlem_programme, haarlem),
            ][number % 4]
            stalled(programme, f"P{number}", community)

    participants(2)  # with Alice, Dirk and Kees: 5
    with CaptureQueriesContext(connection) as five:
        assert reminders.plan_coach_digests(MONDAY) == 3
    participants(55)  # 60

    with django_assert_num_queries(len(five.captured_queries)):
        assert reminders.plan_coach_digests(MONDAY + timedelta(days=7)) == 3
    assert len(digests()[world.bob.pk].context["members"]) > 10
