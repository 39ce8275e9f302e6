"""The managers' harvest report: the page, its CSV and Excel, and its PDF, which a worker makes
in the background (``report_exports``) while a status page waits for it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from coaching.models import Community
from leertraject.access import get_object_for_user
from privacy import audit
from programmes.models import Programme
from programmes.permissions import access_programme

from . import exports, report_exports
from .models import ReportExport
from .report import HarvestReport, community_in, harvest_report
from .report_cache import report_body

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _communities(request: HttpRequest, pk: int) -> tuple[Programme, list[Community], Community | None]:
    """The programme (if the user may read its report), its communities, and the one asked for."""
    programme = access_programme(request.user, pk, perm="harvest.view_report")
    communities = list(programme.communities.order_by("name", "pk"))
    return programme, communities, community_in(communities, request.GET.get("community"))


def _report(request: HttpRequest, pk: int) -> HarvestReport:
    programme, communities, community = _communities(request, pk)
    return harvest_report(programme, community, communities=communities)


def _download(
    request: HttpRequest, harvest: HarvestReport | ReportExport, content: bytes, content_type: str, extension: str
) -> HttpResponse:
    """Hand out the report file; every download is recorded in the audit trail."""
    summary = _("Harvest report (%(format)s)") % {"format": extension.upper()}
    audit.record(request.user, audit.Action.EXPORTED, harvest.programme, summary)
    filename = exports.filename(harvest.programme, harvest.community, extension)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _query(community_id: int | None) -> str:
    return f"?community={community_id}" if community_id else ""


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    programme, communities, community = _communities(request, pk)
    can_answer = request.user.has_perm("harvest.answer", programme)
    context = {
        "programme": programme,
        "communities": communities,
        "community": community,
        "body": report_body(programme, community, communities, can_answer=can_answer),
        "export_query": _query(community.pk if community else None),
    }
    return render(request, "harvest/report.html", context)


@login_required
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    harvest = _report(request, pk)
    return _download(request, harvest, exports.report_csv(harvest), "text/csv; charset=utf-8", "csv")


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    harvest = _report(request, pk)
    return _download(request, harvest, exports.report_xlsx(harvest), XLSX, "xlsx")


# --- The PDF, made in the background ----------------------------------------------------------


def _export(request: HttpRequest, pk: int, export_pk: int, *, with_pdf: bool = False) -> ReportExport:
    """The requester's own, still fresh export; 404 for anyone else's or an expired one."""
    queryset = ReportExport.objects.fresh().filter(programme_id=pk).select_related("programme", "community")
    return get_object_for_user(request.user, queryset if with_pdf else queryset.defer("pdf"), pk=export_pk)


@login_required
@require_POST
def export_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme: Programme = access_programme(request.user, pk, perm="harvest.view_report")
    community = community_in(list(programme.communities.all()), request.GET.get("community"))
    export = report_exports.request_pdf(programme, request.user, community)
    return redirect("harvest:report_export", pk, export.pk)


@never_cache
@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    export = _export(request, pk, export_pk)
    context = {"programme": export.programme, "export": export, "export_query": _query(export.community_id)}
    return render(request, "harvest/report_export.html", context)


@never_cache
@login_required
@require_GET
def export_state(request: HttpRequest, pk: int, export_pk: int) -> JsonResponse:
    """What the status page's script asks every few seconds."""
    export = _export(request, pk, export_pk)
    return JsonResponse({"status": export.status})


@login_required
@require_GET
def export_pdf(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    export = _export(request, pk, export_pk, with_pdf=True)
    if export.status != ReportExport.Status.READY:
        return redirect("harvest:report_export", pk, export.pk)
    return _download(request, export, bytes(export.pdf), "application/pdf", "pdf")
