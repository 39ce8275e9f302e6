"""The outbox: recorded once under the natural key, mailed once, retried with backoff, never lost.

Mail goes over real SMTP to a local server (``mail_to_sink``) where the test needs the server's
answer (a refused address, a server that is down); elsewhere to Django's locmem outbox.
"""

from __future__ import annotations

import logging
import math
import smtplib
import time
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications import outbox, preferences
from notifications.kinds import KINDS
from notifications.models import Category, Notification
from tests.factories import OrganisationFactory, PreferenceFactory, UserFactory

from .conftest import free_port

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=timezone.get_fixed_timezone(60))


def planned(user: User, occurrence: str = "2026-W48") -> outbox.Planned:
    return outbox.Planned(
        recipient_id=user.pk,
        organisation_id=user.organisation_id,
        key="programme:7",
        occurrence=occurrence,
        context={"programme": "Samen leren in de wijk"},
        link="/learners/reflections/",
    )


def recorded(user: User) -> Notification:
    outbox.record("reflection_prompt", [planned(user)], now=NOW)
    return Notification.objects.unscoped().get(recipient=user)


class DisconnectingBackend(BaseEmailBackend):
    """A mail server that hangs up in the middle of the conversation."""

    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def no_longer_applies(notification: Notification) -> None:
    return None


def query_fails(notification: Notification) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


# --- Recording ---------------------------------------------------------------------------------


def test_recording_twice_records_one_row_under_the_natural_key() -> None:
    user = UserFactory()
    outbox.record("reflection_prompt", [planned(user)], now=NOW)
    outbox.record("reflection_prompt", [planned(user)], now=NOW + timedelta(hours=1))
    outbox.record("reflection_prompt", [planned(user, occurrence="2026-W49")], now=NOW)

    rows = Notification.objects.unscoped().filter(recipient=user).order_by("occurrence")
    assert [(row.kind, row.key, row.occurrence, row.status) for row in rows] == [
        ("reflection_prompt", "programme:7", "2026-W48", Notification.Status.PENDING),
        ("reflection_prompt", "programme:7", "2026-W49", Notification.Status.PENDING),
    ]
    assert rows[0].created_at == NOW
    assert rows[0].category == Category.REFLECTION


def test_a_muted_person_gets_the_row_but_no_mail_until_they_switch_it_on_again() -> None:
    user = UserFactory()
    PreferenceFactory(user=user, category=Category.REFLECTION, mail=False)
    other = UserFactory(organisation=user.organisation)

    outbox.record("reflection_prompt", [planned(user), planned(other)], now=NOW)
    notification = Notification.objects.unscoped().get(recipient=user)
    assert notification.status == Notification.Status.MUTED
    assert outbox.enqueue_due(NOW) == 1
    assert outbox.deliver(notification.pk) is False
    assert [message.to for message in mail.outbox] == [[other.email]]

    preferences.set_mail(user, Category.REFLECTION, True)
    assert outbox.enqueue_due(NOW) == 1

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert [message.to for message in mail.outbox] == [[other.email], [user.email]]


def test_an_essential_message_is_mailed_whatever_the_preferences(monkeypatch: pytest.MonkeyPatch) -> None:
    user = UserFactory()
    PreferenceFactory(user=user, category=Category.ESSENTIAL, mail=False)
    essential = replace(KINDS["reflection_prompt"], name="test_essential", category=Category.ESSENTIAL)
    monkeypatch.setitem(KINDS, "test_essential", essential)

    outbox.record("test_essential", [planned(user)], now=NOW)

    assert Notification.objects.unscoped().get(recipient=user).status == Notification.Status.PENDING


@pytest.mark.parametrize("count", [10, 300])
def test_recording_many_messages_takes_a_fixed_number_of_queries(count: int) -> None:
    organisation = OrganisationFactory()
    users = User.objects.bulk_create(
        User(email=f"deelnemer{number}@fanout.example", organisation=organisation) for number in range(count)
    )
    PreferenceFactory(user=users[0], category=Category.REFLECTION, mail=False)
    rows = [planned(user) for user in users]

    with CaptureQueriesContext(connection) as queries:
        outbox.record("reflection_prompt", rows, now=NOW)
    with CaptureQueriesContext(connection) as again:
        outbox.record("reflection_prompt", rows, now=NOW)

    inserts = [query for query in queries if query["sql"].startswith("INSERT")]
    if connection.vendor == "sqlite":
        # SQLite allows 999 parameters per statement, so Django inserts in batches of that size.
        fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
        batch = connection.ops.bulk_batch_size(fields, users)
        assert batch < 300
        assert len(inserts) == math.ceil(count / batch)
    else:
        # One insert of every row, whether 10 or 300: the muted people plus the insert.
        assert len(inserts) == 1
        assert len(queries) == 2
    assert len(again) == len(queries)
    assert Notification.objects.unscoped().filter(kind="reflection_prompt").count() == count
    assert Notification.objects.unscoped().filter(status=Notification.Status.MUTED).count() == 1


# --- Delivering --------------------------------------------------------------------------------


def test_deliver_sends_once_and_a_second_deliver_sends_nothing() -> None:
    user = UserFactory(first_name="Fatima")
    notification = recorded(user)

    assert outbox.deliver(notification.pk, now=NOW) is True
    assert outbox.deliver(notification.pk, now=NOW) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Samen leren in de wijk" in message.subject
    assert "Fatima" in message.body
    assert "http://testserver/learners/reflections/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/notifications/stop/")
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == (Notification.Status.SENT, 1, NOW)


def test_a_mail_server_that_is_down_is_tried_again_later_doubling_the_wait_then_failed(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there: connection refused
    notification = recorded(UserFactory())

    waits = []
    now = NOW
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        assert outbox.deliver(notification.pk, now=now) is False
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (Notification.Status.PENDING, attempt)
        assert notification.queued_at is None
        waits.append(notification.next_attempt_at - now)
        now = notification.next_attempt_at

    assert waits == [outbox.FIRST_RETRY_AFTER * 2**n for n in range(outbox.MAX_ATTEMPTS - 1)]
    assert waits[0] == timedelta(minutes=2)

    assert outbox.deliver(notification.pk, now=now) is False
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, outbox.MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in notification.last_error
    assert outbox.enqueue_due(now + timedelta(days=1)) == 0


def test_a_server_that_hangs_up_leaves_the_message_waiting_for_the_next_attempt(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DisconnectingBackend"
    notification = recorded(UserFactory())

    assert outbox.deliver(notification.pk, now=NOW) is False

    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at == NOW + outbox.FIRST_RETRY_AFTER
    assert "SMTPServerDisconnected" in notification.last_error
    assert outbox.enqueue_due(NOW + timedelta(minutes=1)) == 0


def test_a_refused_address_fails_at_once_without_retries(mail_to_sink: Any) -> None:
    user = UserFactory()
    mail_to_sink.refused.add(user.email)
    notification = recorded(user)

    assert outbox.deliver(notification.pk, now=NOW) is False

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, 1)
    assert notification.last_error == "The mail server refused the address."
    assert mail_to_sink.messages == []
    assert outbox.enqueue_due(NOW + timedelta(days=1)) == 0


def test_hr_retries_a_failed_message_and_it_is_sent(mail_to_sink: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory()
    mail_to_sink.refused.add(user.email)
    notification = recorded(user)
    outbox.deliver(notification.pk, now=NOW)
    mail_to_sink.refused.clear()  # the address was fixed

    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry(notification)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert [message["To"] for message in mail_to_sink.messages] == [user.email]
    assert mail_to_sink.messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_retry_leaves_a_message_that_did_not_fail_alone(django_capture_on_commit_callbacks: Any) -> None:
    notification = recorded(UserFactory())
    outbox.deliver(notification.pk, now=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry(notification)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)
    assert len(mail.outbox) == 1


def test_a_message_that_no_longer_applies_is_voided(monkeypatch: pytest.MonkeyPatch) -> None:
    kind = replace(KINDS["reflection_prompt"], name="test_gone", prepare=f"{__name__}.no_longer_applies")
    monkeypatch.setitem(KINDS, "test_gone", kind)
    outbox.record("test_gone", [planned(UserFactory())], now=NOW)
    notification = Notification.objects.unscoped().get(kind="test_gone")

    assert outbox.deliver(notification.pk, now=NOW) is False

    notification.refresh_from_db()
    assert notification.status == Notification.Status.VOID
    assert mail.outbox == []
    assert outbox.enqueue_due(NOW) == 0


def test_a_database_error_while_preparing_one_message_does_not_hold_up_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = replace(KINDS["reflection_prompt"], name="test_broken", prepare=f"{__name__}.query_fails")
    monkeypatch.setitem(KINDS, "test_broken", broken)
    user, other = UserFactory(), UserFactory()
    outbox.record("test_broken", [planned(user)], now=NOW)
    outbox.record("reflection_prompt", [planned(other)], now=NOW)
    first = Notification.objects.unscoped().get(recipient=user)
    second = Notification.objects.unscoped().get(recipient=other)

    assert outbox.deliver_batch([first.pk, second.pk]) == 1

    first.refresh_from_db()
    assert (first.status, first.attempts) == (Notification.Status.PENDING, 1)
    assert "no_such_table" in first.last_error
    assert [message.to for message in mail.outbox] == [[other.email]]


# --- Queueing ----------------------------------------------------------------------------------


def test_enqueue_skips_what_was_queued_recently_and_offers_again_what_a_lost_task_left() -> None:
    notification = recorded(UserFactory())
    Notification.objects.unscoped().filter(pk=notification.pk).update(queued_at=NOW - timedelta(minutes=1))

    assert outbox.enqueue_due(NOW) == 0
    assert mail.outbox == []

    later = NOW - timedelta(minutes=1) + outbox.REQUEUE_AFTER + timedelta(seconds=1)
    assert outbox.enqueue_due(later) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.queued_at == later
    assert len(mail.outbox) == 1


def test_enqueue_leaves_what_is_not_due_yet() -> None:
    notification = recorded(UserFactory())

    assert outbox.enqueue_due(NOW - timedelta(seconds=1)) == 0

    notification.refresh_from_db()
    assert (notification.status, notification.queued_at) == (Notification.Status.PENDING, None)


def test_an_unreachable_broker_leaves_the_messages_for_the_next_sweep(
    publish_to: Any, caplog: pytest.LogCaptureFixture
) -> None:
    organisation = OrganisationFactory()
    users = User.objects.bulk_create(
        User(email=f"wachtend{number}@broker.example", organisation=organisation)
        for number in range(outbox.BATCH_SIZE + 5)
    )
    outbox.record("reflection_prompt", [planned(user) for user in users], now=NOW)
    publish_to(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="notifications.outbox"):
        assert outbox.enqueue_due(NOW) == 0
    assert time.monotonic() - started < 5  # the publish retry policy gives up quickly

    assert "Could not queue 105 notifications" in caplog.text
    waiting = Notification.objects.unscoped().filter(status=Notification.Status.PENDING, queued_at=None)
    assert waiting.count() == outbox.BATCH_SIZE + 5
    assert mail.outbox == []


def test_the_sweep_after_the_broker_is_back_sends_what_was_left(publish_to: Any, settings: Any) -> None:
    notification = recorded(UserFactory())
    publish_to(f"redis://127.0.0.1:{free_port()}/0")
    assert outbox.enqueue_due(NOW) == 0

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back (tasks run in process)
    assert outbox.enqueue_due(NOW + timedelta(minutes=1)) == 1

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_a_message_a_person_triggers_is_queued_when_the_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.send_now("reflection_prompt", planned(user))
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert Notification.objects.unscoped().get(recipient=user).status == Notification.Status.SENT
    assert [message.to for message in mail.outbox] == [[user.email]]
