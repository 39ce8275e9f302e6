"""Celery tasks of the coaching app: thin wrappers around the services.

Session reminders and the digests go through the notifications outbox (``coaching.reminders``).
"""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import sessions

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
