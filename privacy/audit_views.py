"""The audit trail page for the organisation's HR admins."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from leertraject.access import require_perm

from . import audit
from .audit_forms import AuditFilterForm

EVENTS_PER_PAGE = 50


@require_perm("privacy.view_audit")
def audit_trail(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit.audit_events(request.user.organisation_id, form.filters())
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(event, audit.target_label(event.target_type)) for event in page.object_list],
        "filter_query": query.urlencode(),
        "filtered": form.is_bound,
    }
    return render(request, "privacy/audit.html", context)
