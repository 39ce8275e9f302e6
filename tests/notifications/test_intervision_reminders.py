"""Intervision in the outbox: every member is reminded a day before a session, the case bringer
three days before when no case is in yet; once each, in their own language, never with the case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from intervision import reminders
from intervision.models import GroupMember, IntervisionGroup, IntervisionSession
from notifications import outbox
from notifications.models import Category, Notification
from programmes.models import Membership
from tests.conftest import World
from tests.factories import (
    CaseFactory,
    GroupMemberFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    MembershipFactory,
    PreferenceFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "De wethouder schoof mijn advies terzijde"


@pytest.fixture
def group(world: World) -> IntervisionGroup:
    """Groep Noord: Alice, Dirk and Eva; Dirk reads his mail in English."""
    group = IntervisionGroupFactory(programme=world.programme, name="Groep Noord")
    GroupMember.objects.create(
        group=group, membership=Membership.objects.unscoped().get(user=world.alice, programme=world.programme)
    )
    for name, language in (("Dirk", "en"), ("Eva", "nl")):
        GroupMemberFactory(group=group, membership__user__first_name=name, membership__user__language=language)
    return group


def member(group: IntervisionGroup, first_name: str) -> User:
    return User.objects.get(first_name=first_name, memberships__intervision_member__group=group)


def a_session(group: IntervisionGroup, *, hours: float, case_bringer: User | None = None) -> IntervisionSession:
    return IntervisionSessionFactory(
        group=group, starts_at=timezone.now() + timedelta(hours=hours), case_bringer=case_bringer
    )


def rows(kind: str) -> list[Notification]:
    return list(Notification.objects.unscoped().filter(kind=kind).order_by("pk"))


# --- The members' reminder -----------------------------------------------------------------------


def test_every_member_is_reminded_once_in_their_own_language(world: World, group: IntervisionGroup) -> None:
    session = a_session(group, hours=20)
    CaseFactory(session=session, title=SECRET, situation=SECRET, question=SECRET)
    a_session(group, hours=30)  # not yet

    outbox.plan_hourly(timezone.now())
    outbox.plan_hourly(timezone.now() + timedelta(minutes=30))

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in (world.alice, member(group, "Dirk"), member(group, "Eva"))
    )
    by_address = {message.to[0]: message for message in mail.outbox}
    to_dirk, to_alice = by_address[member(group, "Dirk").email], by_address[world.alice.email]
    assert to_dirk.subject.startswith("[Leertraject] Reminder: intervision session on ")
    assert to_alice.subject.startswith("[Leertraject] Herinnering: intervisiesessie op ")
    assert "Groep Noord" in to_alice.body and session.method.name in to_alice.body
    assert f"/programmes/{world.programme.pk}/intervision/sessions/{session.pk}/" in to_alice.body
    assert "Open de intervisiesessie" in to_alice.alternatives[0][0]
    for message in mail.outbox:
        assert SECRET not in message.body and SECRET not in message.alternatives[0][0]
    assert all(SECRET not in str(row.context) for row in rows("intervision_session_reminder"))


def test_a_session_moved_before_the_reminder_went_out_reminds_of_the_new_time(group: IntervisionGroup) -> None:
    session = a_session(group, hours=10)
    reminders.plan_session_reminders(timezone.now())
    IntervisionSession.objects.unscoped().filter(pk=session.pk).update(starts_at=session.starts_at + timedelta(hours=5))

    outbox.plan_hourly(timezone.now())

    assert len(mail.outbox) == 3
    statuses = [(datetime.fromisoformat(row.occurrence), row.status) for row in rows("intervision_session_reminder")]
    assert sorted(set(statuses)) == [(session.starts_at, "void"), (session.starts_at + timedelta(hours=5), "sent")]


def test_a_reminder_of_a_session_that_ended_is_voided(group: IntervisionGroup) -> None:
    session = a_session(group, hours=10)
    reminders.plan_session_reminders(timezone.now())
    IntervisionSession.objects.unscoped().filter(pk=session.pk).update(status=IntervisionSession.Status.ENDED)

    outbox.enqueue_due(timezone.now())

    assert not mail.outbox
    assert {row.status for row in rows("intervision_session_reminder")} == {"void"}


def test_a_member_who_switched_session_mails_off_is_not_mailed(world: World, group: IntervisionGroup) -> None:
    PreferenceFactory(user=world.alice, category=Category.SESSIONS, mail=False)
    a_session(group, hours=10)

    outbox.plan_hourly(timezone.now())

    assert world.alice.email not in [message.to[0] for message in mail.outbox]
    assert len(mail.outbox) == 2
    assert Notification.objects.unscoped().get(recipient=world.alice).status == "muted"


# --- The case reminder ---------------------------------------------------------------------------


def test_the_case_bringer_without_a_case_is_reminded_once_three_days_before(
    world: World, group: IntervisionGroup
) -> None:
    dirk = member(group, "Dirk")
    without = a_session(group, hours=60, case_bringer=dirk)
    with_case = a_session(group, hours=50, case_bringer=world.alice)
    CaseFactory(session=with_case)
    a_session(group, hours=80, case_bringer=world.alice)  # not yet

    outbox.plan_hourly(timezone.now())
    outbox.plan_hourly(timezone.now() + timedelta(minutes=30))

    [message] = mail.outbox
    assert message.to == [dirk.email]
    assert message.subject == "[Leertraject] Please submit your case for the intervision session"
    assert "Groep Noord" in message.body and "Submit your case" in message.alternatives[0][0]
    [row] = rows("intervision_case_reminder")
    assert (row.key, row.status) == (f"intervision_session:{without.pk}", "sent")


def test_the_case_reminder_is_voided_when_the_case_arrived_meanwhile(world: World, group: IntervisionGroup) -> None:
    session = a_session(group, hours=60, case_bringer=world.alice)
    reminders.plan_case_reminders(timezone.now())
    CaseFactory(session=session, situation=SECRET)

    outbox.enqueue_due(timezone.now())

    assert not mail.outbox
    assert [row.status for row in rows("intervision_case_reminder")] == ["void"]


def test_the_case_reminder_is_in_dutch_by_default(world: World, group: IntervisionGroup) -> None:
    a_session(group, hours=60, case_bringer=world.alice)

    outbox.plan_hourly(timezone.now())

    [message] = mail.outbox
    assert message.subject == "[Leertraject] Wilt u uw casus voor de intervisiesessie indienen?"
    assert "Dien uw casus in" in message.alternatives[0][0]


def test_another_case_bringer_voids_the_first_ones_reminder(world: World, group: IntervisionGroup) -> None:
    session = a_session(group, hours=60, case_bringer=world.alice)
    reminders.plan_case_reminders(timezone.now())
    IntervisionSession.objects.unscoped().filter(pk=session.pk).update(case_bringer=member(group, "Eva"))

    outbox.plan_hourly(timezone.now())

    assert [message.to for message in mail.outbox] == [[member(group, "Eva").email]]


# --- A fixed number of queries -------------------------------------------------------------------


def test_planning_takes_the_same_queries_for_5_and_60_members(
    world: World, group: IntervisionGroup, django_assert_num_queries: Callable
) -> None:
    other = IntervisionGroupFactory(programme=world.haarlem_programme)
    a_session(group, hours=10, case_bringer=world.alice)
    a_session(other, hours=20)
    GroupMemberFactory(group=other)
    GroupMemberFactory(group=other)  # 5 members in all
    with CaptureQueriesContext(connection) as five:
        assert reminders.plan_session_reminders(timezone.now()) == 5
    with CaptureQueriesContext(connection) as one_case:
        assert reminders.plan_case_reminders(timezone.now()) == 1
    for number in range(55):
        GroupMemberFactory(group=group if number % 2 else other, membership__user__first_name=f"P{number}")
    a_session(other, hours=30, case_bringer=MembershipFactory(programme=world.haarlem_programme).user)

    with django_assert_num_queries(len(five.captured_queries)):
        assert reminders.plan_session_reminders(timezone.now()) == 60
    with django_assert_num_queries(len(one_case.captured_queries)):
        assert reminders.plan_case_reminders(timezone.now()) == 2
