"""Celery tasks of the coaching app: thin wrappers around the services."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from . import forum, sessions


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
    acks_late=True,
)
def send_forum_digests_task(day: str | None = None) -> int:
    """The daily forum digest of ``day`` (ISO date; default: yesterday); safe to run twice."""
    digest_day = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    return forum.send_daily_digests(digest_day)


# --- Coaching sessions ---------------------------------------------------------------------------

_MAIL_RETRIES = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 6,
    "acks_late": True,
}


@shared_task(**_MAIL_RETRIES)
def send_session_invitation_task(session_id: int, changed: bool = False) -> bool:
    return sessions.send_invitation(session_id, changed=changed)


@shared_task(**_MAIL_RETRIES)
def send_session_request_task(session_id: int) -> bool:
    return sessions.send_request(session_id)


@shared_task(**_MAIL_RETRIES)
def send_session_cancelled_task(session_id: int, cancelled_by_id: int, message: str) -> bool:
    return sessions.send_cancelled(session_id, cancelled_by_id, message)


@shared_task(**_MAIL_RETRIES)
def send_session_reminder_task(session_id: int) -> bool:
    return sessions.send_reminder(session_id)


@shared_task
def remind_coaching_sessions_task() -> int:
    """Every hour: one reminder for each planned session that starts within a day."""
    return sessions.remind_upcoming()
