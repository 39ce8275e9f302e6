"""Celery tasks of the notifications: thin wrappers around the outbox."""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task(acks_late=True)
def deliver_batch_task(ids: list[int]) -> int:
    return outbox.deliver_batch(ids)


@shared_task
def enqueue_due_task() -> int:
    """Every minute: queue what is due, retries included, and what a lost task left behind."""
    return outbox.enqueue_due()


@shared_task
def plan_daily_task() -> int:
    return outbox.plan_daily()


@shared_task
def plan_hourly_task() -> int:
    return outbox.plan_hourly()
