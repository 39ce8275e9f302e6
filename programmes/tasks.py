"""Celery tasks: thin wrappers around the services."""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import events


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
    acks_late=True,
)
def send_promotion_task(registration_id: int) -> bool:
    return events.send_promotion(registration_id)
