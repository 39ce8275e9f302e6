"""The programme's intervision page: its groups and, for everyone with a role, that sessions took place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programmes.permissions import access_programme

from . import selectors


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="intervision.view_intervision")
    context = {
        "programme": programme,
        "groups": selectors.programme_groups(programme),
        "my_group": selectors.group_of(request.user, programme),
        "sessions": selectors.sessions_that_took_place(programme),
        "can_compose": request.user.has_perm("intervision.compose_groups", programme),
    }
    return render(request, "intervision/overview.html", context)
