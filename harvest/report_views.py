"""The managers' harvest report: the page, and the same report as PDF, CSV and Excel."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from privacy import audit
from programmes.permissions import access_programme

from . import exports
from .models import MIN_GROUP_SIZE
from .report import HarvestReport, community_in, harvest_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest, pk: int) -> HarvestReport:
    programme = access_programme(request.user, pk, perm="harvest.view_report")
    communities = list(programme.communities.order_by("name", "pk"))
    community = community_in(communities, request.GET.get("community"))
    return harvest_report(programme, community, communities=communities)


def _context(report: HarvestReport, **extra: Any) -> dict[str, Any]:
    return {"programme": report.programme, "report": report, "min_group": MIN_GROUP_SIZE, **extra}


def _download(
    request: HttpRequest, harvest: HarvestReport, content: bytes, content_type: str, extension: str
) -> HttpResponse:
    """Hand out the report file; every download is recorded in the audit trail."""
    summary = _("Harvest report (%(format)s)") % {"format": extension.upper()}
    audit.record(request.user, audit.Action.EXPORTED, harvest.programme, summary)
    filename = exports.filename(harvest, extension)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    harvest = _report(request, pk)
    query = f"?community={harvest.community.pk}" if harvest.community else ""
    context = _context(
        harvest, can_answer=request.user.has_perm("harvest.answer", harvest.programme), export_query=query
    )
    return render(request, "harvest/report.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    harvest = _report(request, pk)
    return _download(request, harvest, exports.report_pdf(_context(harvest)), "application/pdf", "pdf")


@login_required
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    harvest = _report(request, pk)
    return _download(request, harvest, exports.report_csv(harvest), "text/csv; charset=utf-8", "csv")


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    harvest = _report(request, pk)
    return _download(request, harvest, exports.report_xlsx(harvest), XLSX, "xlsx")
