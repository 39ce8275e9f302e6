"""Celery tasks of the harvest: thin wrappers around ``report_exports``."""

from __future__ import annotations

from celery import shared_task

from . import report_exports


@shared_task(acks_late=True)
def render_report_export_task(export_id: int) -> str | None:
    return report_exports.render_export(export_id)


@shared_task
def delete_expired_report_exports_task() -> int:
    """Hourly: delete the report PDFs older than an hour."""
    return report_exports.delete_expired()
