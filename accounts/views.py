"""Account-level pages that allauth does not provide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from leertraject.access import get_object_for_user

from .forms import OrganisationSettingsForm
from .models import Organisation
from .services import save_organisation_settings, user_set_language


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice in their profile."""
    response = set_language(request)
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
def organisation_logo(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(request.user, Organisation.objects.all(), slug=slug)
    if not organisation.logo:
        raise Http404
    response = FileResponse(organisation.logo.open("rb"))
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """HR sets its own organisation's logo, colour, retention period and sign-in domains."""
    organisation = get_object_for_user(
        request.user, Organisation.objects.all(), perm="accounts.change_organisation", pk=request.user.organisation_id
    )
    form = OrganisationSettingsForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        save_organisation_settings(form, by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect("organisation_settings")
    return render(request, "accounts/organisation_settings.html", {"form": form, "organisation": organisation})
