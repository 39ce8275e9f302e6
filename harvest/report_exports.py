"""The harvest report's PDF, made in the background: WeasyPrint takes seconds for a large
programme, too long for a web worker that other people are waiting for.

``request_pdf`` records the request (with the requester's language) and queues the task once
the transaction commits; ``render_export`` makes the PDF as the requester would see the
report and stores it in the database. A PDF is a snapshot, so it lives only an hour
(``REPORT_EXPORT_LIFETIME``) and is deleted at once when a quote is withdrawn.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from coaching.models import Community
from programmes.models import Programme

from . import exports
from .models import REPORT_EXPORT_LIFETIME, Quote, ReportExport
from .report import harvest_report

logger = logging.getLogger(__name__)


def request_pdf(programme: Programme, user: Any, community: Community | None) -> ReportExport:
    """Record a request for the report's PDF and have a worker make it after the commit."""
    export = ReportExport.objects.create(
        programme=programme,
        requested_by=user,
        community=community,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda pk=export.pk: _enqueue(pk))
    return export


def _enqueue(export_id: int) -> None:
    """Queue the task; when the broker is unreachable, say so on the status page at once
    rather than leave the requester waiting for a PDF that nobody makes."""
    from .tasks import render_report_export_task

    try:
        render_report_export_task.delay(export_id)
    except BrokerError:
        logger.warning("Could not queue the harvest report PDF %s", export_id, exc_info=True)
        _finish(export_id, ReportExport.Status.FAILED)


def _finish(export_id: int, status: str, pdf: bytes | None = None) -> bool:
    """Store the outcome, only on a row that is still pending: a second run of the task
    changes nothing, and a row deleted meanwhile (a quote was withdrawn) stays deleted."""
    updated = (
        ReportExport.objects.unscoped()
        .filter(pk=export_id, status=ReportExport.Status.PENDING)
        .update(status=status, pdf=pdf, finished_at=timezone.now())
    )
    return updated == 1


def render_export(export_id: int) -> str | None:
    """Make the PDF of a pending export; its status afterwards (None: it no longer exists)."""
    export = (
        ReportExport.objects.unscoped()
        .select_related("programme", "community", "requested_by")
        .defer("pdf")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status != ReportExport.Status.PENDING:
        return export.status if export else None
    try:
        with translation.override(export.language):
            # Rights can change between request and rendering: the requester's view, as now.
            if not export.requested_by.has_perm("harvest.view_report", export.programme):
                raise PermissionDenied
            report = harvest_report(export.programme, export.community)
            pdf = exports.report_pdf(exports.report_context(report))
    except Exception:
        logger.exception("The harvest report PDF %s could not be made", export_id)
        return ReportExport.Status.FAILED if _finish(export_id, ReportExport.Status.FAILED) else None
    return ReportExport.Status.READY if _finish(export_id, ReportExport.Status.READY, pdf) else None


def forget_exports_quoting(quote: Quote) -> int:
    """Delete the PDFs of the quote's programme (one query): they may hold the quote, whose
    consent is gone."""
    return ReportExport.objects.unscoped().filter(programme__contributions=quote.contribution_id).delete()[0]


def delete_expired(now: datetime | None = None) -> int:
    """Delete the PDFs older than ``REPORT_EXPORT_LIFETIME``; how many went."""
    cutoff = (now or timezone.now()) - REPORT_EXPORT_LIFETIME
    return ReportExport.objects.unscoped().filter(created_at__lt=cutoff).delete()[0]
