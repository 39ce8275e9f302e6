"""Placeholder views, replaced by the notification screens."""

from django.http import HttpRequest, HttpResponse


def inbox(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def preferences(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse()


def failed(request: HttpRequest) -> HttpResponse:
    return HttpResponse()
