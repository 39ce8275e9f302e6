"""Site-wide pages: the role-aware home page, the health check and the two statements."""

from __future__ import annotations

import sys
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learners.selectors import participant_home
from notifications.selectors import failed_count
from programmes.selectors import programmes_by_role, programmes_of_organisation

from .health import broker_status, database_status

# The day the accessibility and privacy statements were last reviewed against the site.
STATEMENTS_REVIEWED_ON = date(2026, 11, 25)


def home(request: HttpRequest) -> HttpResponse:
    """What this person does here: a section per role they hold; a welcome when signed out."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home_anonymous.html")
    by_role = programmes_by_role(user)
    context = {
        "by_role": by_role,
        "participant_home": participant_home(user, by_role.participating) if by_role.participating else None,
        "organisation_programmes": programmes_of_organisation(user)
        if user.has_perm("accounts.manage_organisation")
        else None,
        "failed_notifications": failed_count(user) if user.has_perm("notifications.view_failed") else 0,
    }
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker health for load balancers: 200 when both answer, 503 otherwise."""
    checks = {"database": database_status(connection), "broker": broker_status()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The toegankelijkheidsverklaring after the Dutch model, readable without signing in."""
    context = {"reviewed_on": STATEMENTS_REVIEWED_ON, "contact_email": settings.CONTACT_EMAIL}
    return render(request, "legal/accessibility.html", context)


def privacy_statement(request: HttpRequest) -> HttpResponse:
    """What is stored about whom, why, for how long and who sees it; readable without signing in."""
    context = {"reviewed_on": STATEMENTS_REVIEWED_ON, "contact_email": settings.CONTACT_EMAIL}
    return render(request, "legal/privacy.html", context)


# Retry-After of the page shown while the database cannot be reached: a restart takes seconds.
DATABASE_DOWN_RETRY_AFTER = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, except while the database cannot be reached: then a 503 that says the
    site is briefly unavailable, with Retry-After, so people (and load balancers) wait and try again
    instead of reading that something broke. Rendered without a request context, which would
    query the database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
        return response
    return defaults.server_error(request)
