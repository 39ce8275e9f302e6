"""A person's own data (AVG art. 15) and HR's erasure of a person's data (art. 17)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from leertraject.access import get_object_for_user, require_perm

from . import audit, erasure, selectors
from .access_export import personal_data, readable
from .forms import EraseForm

MANAGE = "accounts.manage_organisation"


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    sections = readable(personal_data(request.user))
    return render(request, "privacy/my_data.html", {"sections": sections})


@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    content = json.dumps(personal_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    audit.record(request.user, audit.Action.EXPORTED, request.user, _("Own personal data (JSON)"))
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response


@require_perm(MANAGE)
def people(request: HttpRequest) -> HttpResponse:
    rows = [(person, erasure.is_erased(person)) for person in selectors.organisation_people(request.user)]
    return render(request, "privacy/people.html", {"rows": rows})


@require_perm(MANAGE)
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_user(request.user, User.objects.all(), perm="accounts.erase_user", pk=pk)
    if erasure.is_erased(person):
        return redirect("privacy:people")
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        name = str(person)
        erasure.erase(person, by=request.user)
        messages.success(request, _("The personal data of %(name)s is erased.") % {"name": name})
        return redirect("privacy:people")
    return render(request, "privacy/erase.html", {"person": person, "form": form})
