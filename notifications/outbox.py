"""Recording, queueing and delivering notifications: exactly once, never lost.

1. A planner (or a service, for a message a person triggers) *records* each message under
   its natural key with one bulk insert that ignores rows already there: running it twice
   records nothing twice. A person who switched the category off gets the row as MUTED:
   it shows in their notification list but is not mailed.
2. ``enqueue_due`` hands the due PENDING rows to Celery in batches. A row is marked queued
   first; when Redis is down the mark is undone, and the periodic sweep (every minute)
   offers it again once Redis is back, as it does for a row whose task was lost.
3. ``deliver`` locks the row, skips it unless it is still PENDING, mails it and marks it
   SENT in the same transaction. A worker killed halfway leaves the row PENDING (the lock
   dies with its connection) and its task unacknowledged (late acknowledgement), so the
   task runs again or the sweep finds the row. An SMTP failure schedules another attempt
   with exponential backoff; after ``MAX_ATTEMPTS`` the row is FAILED, which HR sees.

The one window left: a worker killed after the SMTP server accepted the mail but before
the commit sends that one mail again. Mail cannot be taken back, so this is at least once
for that instant and exactly once otherwise.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerError

from leertraject.mail import send_templated

from .kinds import DAILY_PLANNERS, HOURLY_PLANNERS, KINDS
from .models import Category, Notification, Preference

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_RETRY_AFTER = timedelta(minutes=2)
# A queued row that is still PENDING this long after is offered to the workers again.
REQUEUE_AFTER = timedelta(minutes=15)
BATCH_SIZE = 100
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class Planned:
    """One message to record. ``context`` holds JSON values only; keys ending in ``_on`` (ISO
    dates) and ``_at`` (ISO date-times) are turned back into dates when rendered."""

    recipient_id: int
    organisation_id: int
    key: str
    occurrence: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""


def moment(value: datetime | None) -> str:
    """A moment as the outbox keeps it in keys and contexts: ISO 8601 in UTC ("" for none), the
    same whatever the database returned."""
    return value.astimezone(UTC).isoformat() if value else ""


def key_pk(notification: Notification) -> int:
    """The primary key in a key such as "action:12"."""
    return int(notification.key.rsplit(":", 1)[1])


def _muted(category: str) -> set[int]:
    if category == Category.ESSENTIAL:
        return set()
    return set(Preference.objects.unscoped().filter(category=category, mail=False).values_list("user_id", flat=True))


def record(kind: str, planned: Iterable[Planned], *, now: datetime | None = None) -> int:
    """Record messages of ``kind``; those already recorded under their key stay as they are.

    Two queries whatever the number of messages (on PostgreSQL): the muted people of the
    category and one insert. Returns how many messages were offered.
    """
    spec = KINDS[kind]
    rows = list(planned)
    if not rows:
        return 0
    now = now or timezone.now()
    muted = _muted(spec.category)
    Notification.objects.bulk_create(
        [
            Notification(
                organisation_id=row.organisation_id,
                recipient_id=row.recipient_id,
                kind=kind,
                category=spec.category,
                key=row.key,
                occurrence=row.occurrence,
                context=row.context,
                link=row.link,
                status=Notification.Status.MUTED if row.recipient_id in muted else Notification.Status.PENDING,
                created_at=now,
                next_attempt_at=now,
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )
    return len(rows)


def send_now(kind: str, planned: Planned) -> None:
    """Record one message a person's action triggers and queue it once the transaction commits."""
    record(kind, [planned])
    transaction.on_commit(enqueue_due)


def enqueue_due(now: datetime | None = None) -> int:
    """Hand the due PENDING messages to the workers in batches; returns how many were queued."""
    from .tasks import deliver_batch_task

    now = now or timezone.now()
    due = (
        Notification.objects.unscoped()
        .filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        .exclude(queued_at__gt=now - REQUEUE_AFTER)
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.unscoped().filter(pk__in=ids).update(queued_at=now)
    queued = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        try:
            deliver_batch_task.delay(batch)
        except BrokerError:
            # The broker is unreachable: undo the mark so that the next sweep offers these again.
            logger.warning("Could not queue %d notifications; the sweep offers them again", len(ids) - start)
            Notification.objects.unscoped().filter(pk__in=ids[start:]).update(queued_at=None)
            break
        queued += len(batch)
    return queued


def run_planners(dotted_paths: list[str], now: datetime | None = None) -> int:
    now = now or timezone.now()
    recorded = sum(import_string(path)(now) for path in dotted_paths)
    enqueue_due(now)
    return recorded


def plan_daily(now: datetime | None = None) -> int:
    return run_planners(DAILY_PLANNERS, now)


def plan_hourly(now: datetime | None = None) -> int:
    return run_planners(HOURLY_PLANNERS, now)


# --- Rendering and delivery ----------------------------------------------------------------------


def _decoded(context: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(context)
    for name, value in context.items():
        if isinstance(value, str) and value and name.endswith("_on"):
            decoded[name] = date.fromisoformat(value)
        elif isinstance(value, str) and value and name.endswith("_at"):
            decoded[name] = datetime.fromisoformat(value)
    return decoded


def unsubscribe_token(user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": category}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The (user id, category) a link was made for, or None when it was forged or altered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") not in Category.values or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["c"]


def unsubscribe_url(notification: Notification) -> str:
    token = unsubscribe_token(notification.recipient_id, notification.category)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def context_of(notification: Notification, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    context = _decoded(notification.context)
    context.update(
        {
            "recipient": notification.recipient,
            "notification": notification,
            "link": settings.SITE_URL + notification.link if notification.link else "",
            "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
            "unsubscribe_url": "" if notification.category == Category.ESSENTIAL else unsubscribe_url(notification),
        }
    )
    # Last, so that ``prepare`` can give a link made only at sending (an invitation's fresh code).
    context.update(extra or {})
    return context


def subject_of(notification: Notification) -> str:
    """The subject line in the active language, for the in-app list (no database query)."""
    spec = KINDS[notification.kind]
    return render_to_string(f"{spec.template}_subject.txt", context_of(notification)).strip()


def subjects_in(notifications: Iterable[Notification], language: str) -> list[tuple[Notification, str]]:
    with translation.override(language):
        return [(notification, subject_of(notification)) for notification in notifications]


def _send(notification: Notification) -> bool | None:
    """Mail one notification; None when it no longer applies, False when the address is refused."""
    spec = KINDS[notification.kind]
    extra: dict[str, Any] = {}
    if spec.prepare:
        prepared = import_string(spec.prepare)(notification)
        if prepared is None:
            return None
        extra = dict(prepared)
    attachments = extra.pop("attachments", ())
    context = context_of(notification, extra)
    headers = {}
    if context["unsubscribe_url"]:
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    recipient = notification.recipient
    return send_templated(
        spec.template,
        context,
        to=recipient.email,
        language=recipient.language,
        html=True,
        attachments=attachments,
        headers=headers,
    )


def deliver(notification_id: int, now: datetime | None = None) -> bool:
    """Mail one PENDING notification, once; True when it was sent now."""
    with transaction.atomic():
        notification = (
            Notification.objects.unscoped()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        now = now or timezone.now()
        try:
            # A savepoint: a database error while preparing must not leave the transaction
            # unusable for recording the failed attempt (on PostgreSQL).
            with transaction.atomic():
                sent = _send(notification)
        except Exception as error:  # any failure is retried, then shown to HR
            if not isinstance(error, smtplib.SMTPException | OSError):
                logger.exception("Notification %s could not be sent", notification.pk)
            _failed_attempt(notification, now, repr(error))
            return False
        if sent is None:
            notification.status = Notification.Status.VOID
        elif sent:
            notification.status = Notification.Status.SENT
            notification.sent_at = now
        else:
            notification.last_error = "The mail server refused the address."
            _give_up(notification)
        notification.attempts += 1
        notification.save(update_fields=["status", "sent_at", "last_error", "attempts"])
    return bool(sent)


def _failed_attempt(notification: Notification, now: datetime, error: str) -> None:
    notification.attempts += 1
    notification.last_error = error[:500]
    notification.queued_at = None
    if notification.attempts >= MAX_ATTEMPTS:
        _give_up(notification)
    else:
        notification.next_attempt_at = now + FIRST_RETRY_AFTER * 2 ** (notification.attempts - 1)
    notification.save(update_fields=["attempts", "last_error", "queued_at", "status", "next_attempt_at"])


def _give_up(notification: Notification) -> None:
    notification.status = Notification.Status.FAILED
    spec = KINDS[notification.kind]
    if spec.failed:
        import_string(spec.failed)(notification)


def deliver_batch(ids: list[int]) -> int:
    return sum(1 for pk in ids if deliver(pk))


def retry(notification: Notification) -> None:
    """HR asks for another try of a FAILED message."""
    Notification.objects.unscoped().filter(pk=notification.pk, status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), queued_at=None, last_error=""
    )
    transaction.on_commit(enqueue_due)
