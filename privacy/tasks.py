"""Celery tasks of the privacy app: thin wrappers."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import retention


@shared_task
def apply_retention_task() -> int:
    """Daily: erase the personal data of programmes closed longer than the retention period."""
    return retention.apply_retention(timezone.now())
