"""URLs for the page benchmark: the site's own, plus the floor page measured against."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}')


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """A signed-in person's page with nothing of its own: middleware, session, user, base template."""
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("leertraject.urls")),
]
