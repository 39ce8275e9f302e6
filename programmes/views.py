"""Programme pages. Views check access, call one selector or service, and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .permissions import access_programme
from .selectors import programme_people, programmes_visible_to, role_labels


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/programme_list.html", {"programmes": programmes_visible_to(request.user)})


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk)
    can_view_people = request.user.has_perm("programmes.view_people", programme)
    context = {
        "programme": programme,
        "my_roles": role_labels(request.user, programme),
        "people": programme_people(programme) if can_view_people else None,
        "can_change": request.user.has_perm("programmes.change_programme", programme),
    }
    return render(request, "programmes/programme_detail.html", context)
