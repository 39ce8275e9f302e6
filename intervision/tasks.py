"""Celery tasks of the intervision app: thin wrappers around the services."""

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
def send_session_reminder_task(session_id: int) -> bool:
    return sessions.send_reminder(session_id)


@shared_task(**_MAIL_RETRIES)
def send_case_reminder_task(session_id: int) -> bool:
    return sessions.send_case_reminder(session_id)


@shared_task
def remind_intervision_sessions_task() -> int:
    """Every hour: members a day before a session, case bringers without a case three days before."""
    return sessions.remind_upcoming()
