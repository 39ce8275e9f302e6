"""Celery tasks: thin wrappers around the services."""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import feedback


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
    acks_late=True,
)
def send_feedback_ask_task(feedback_ask_id: int, reminder: bool = False) -> bool:
    return feedback.send(feedback_ask_id, reminder=reminder)


@shared_task
def remind_unanswered_feedback_task() -> int:
    return feedback.remind_unanswered()


@shared_task
def send_unsent_feedback_task() -> int:
    return feedback.send_unsent()
