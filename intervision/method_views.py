"""The method library: read by everyone of the organisation, kept by its HR admins."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leertraject.access import get_object_for_user, require_perm

from . import methods, selectors
from .method_forms import MethodForm, StepFormSet
from .models import Method

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _method(request: HttpRequest, method_pk: int, *, perm: str | None = None) -> Method:
    return get_object_for_user(request.user, Method.objects.all(), perm=perm, pk=method_pk)


@login_required
def method_list(request: HttpRequest) -> HttpResponse:
    """The library in the chosen language, else the user's, falling back to Dutch."""
    organisation_id = request.user.organisation_id
    if organisation_id is None:
        raise Http404
    asked = request.GET.get("language")
    language = asked if asked in LANGUAGES else (get_language() or "nl")[:2]
    library = selectors.method_library(organisation_id, language)
    if not library and not asked and language != "nl":
        language = "nl"
        library = selectors.method_library(organisation_id, language)
    context = {
        "methods": library,
        "language": language,
        "languages": settings.LANGUAGES,
        "can_add": request.user.has_perm("intervision.add_method"),
    }
    return render(request, "intervision/methods/list.html", context)


@login_required
def method_detail(request: HttpRequest, method_pk: int) -> HttpResponse:
    method = _method(request, method_pk)
    steps = list(method.steps.all())
    context = {
        "method": method,
        "steps": steps,
        "total_minutes": sum(step.minutes for step in steps),
        "can_change": request.user.has_perm("intervision.change_method", method),
    }
    return render(request, "intervision/methods/detail.html", context)


def _edit(request: HttpRequest, method: Method) -> HttpResponse:
    data = request.POST or None
    form = MethodForm(data, instance=method, organisation_id=request.user.organisation_id)
    steps = StepFormSet(data, instance=method, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        created = method.pk is None
        method = methods.save_method(form, steps)
        messages.success(request, _("Method added to the library.") if created else _("Changes saved."))
        return redirect("intervision_methods:detail", method.pk)
    return render(request, "intervision/methods/form.html", {"method": method, "form": form, "steps": steps})


@require_perm("intervision.add_method")
def method_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, Method(organisation_id=request.user.organisation_id, language=(get_language() or "nl")[:2]))


@login_required
def method_edit(request: HttpRequest, method_pk: int) -> HttpResponse:
    return _edit(request, _method(request, method_pk, perm="intervision.change_method"))


@login_required
def method_delete(request: HttpRequest, method_pk: int) -> HttpResponse:
    method = _method(request, method_pk, perm="intervision.change_method")
    in_use = method.sessions.exists()
    if request.method == "POST":
        try:
            methods.delete_method(method)
        except methods.MethodInUse:
            messages.error(request, _("Sessions use this method, so it cannot be deleted."))
            return redirect("intervision_methods:detail", method.pk)
        messages.success(request, _("Method deleted."))
        return redirect("intervision_methods:list")
    return render(request, "intervision/methods/delete.html", {"method": method, "in_use": in_use})


@require_perm("intervision.add_method")
@require_POST
def method_seed(request: HttpRequest) -> HttpResponse:
    """HR loads the standard methods (Dutch and English) into the organisation's library."""
    created = methods.seed_library(request.user.organisation)
    if created:
        messages.success(request, _("The standard methods are in your library."))
    else:
        messages.info(request, _("Your library already has all standard methods."))
    return redirect("intervision_methods:list")
