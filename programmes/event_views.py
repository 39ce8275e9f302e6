"""Event pages: HR plans events, participants sign up, cancel and take them into their agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leertraject.access import get_object_for_user

from . import events, selectors
from .forms import EventForm
from .models import Event, Programme, Registration
from .permissions import access_programme

CHANGE = "programmes.change_event"


def _event(request: HttpRequest, pk: int, event_pk: int, *, perm: str | None = None) -> Event:
    queryset = Event.objects.filter(programme_id=pk).select_related("programme")
    return get_object_for_user(request.user, queryset, perm=perm, pk=event_pk)


@login_required
def event_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk)
    context = {
        "programme": programme,
        "upcoming": selectors.programme_events(programme, request.user, upcoming=True),
        "past": selectors.programme_events(programme, request.user, upcoming=False),
        "can_change": request.user.has_perm("programmes.change_programme", programme),
    }
    return render(request, "programmes/events/event_list.html", context)


@login_required
def event_detail(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    event = _event(request, pk, event_pk)
    annotated = selectors.event_with_places(event, request.user)
    can_view_registrations = request.user.has_perm("programmes.view_registrations", event)
    context = {
        "programme": event.programme,
        "event": annotated,
        "free": max(annotated.capacity - annotated.taken, 0),
        "waiting_position": selectors.waiting_position(event, request.user),
        "registrations": selectors.event_registrations(event) if can_view_registrations else None,
        "can_sign_up": request.user.has_perm("programmes.sign_up_event", event),
        "can_change": request.user.has_perm(CHANGE, event),
    }
    return render(request, "programmes/events/event_detail.html", context)


@login_required
def event_edit(request: HttpRequest, pk: int, event_pk: int | None = None) -> HttpResponse:
    programme: Programme = access_programme(request.user, pk, perm="programmes.change_programme")
    event = _event(request, pk, event_pk, perm=CHANGE) if event_pk else None
    form = EventForm(request.POST or None, instance=event, programme=programme)
    if request.method == "POST" and form.is_valid():
        saved = events.save_event(form.save(commit=False), form.cleaned_data["competencies"])
        messages.success(request, _("Event “%(title)s” saved.") % {"title": saved})
        return redirect(saved)
    context = {"form": form, "programme": programme, "event": event}
    return render(request, "programmes/events/event_form.html", context)


@login_required
def event_delete(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    """Ask whether to remove the event, saying who will be told; the POST removes it."""
    event = _event(request, pk, event_pk, perm=CHANGE)
    if request.method != "POST":
        context = {"programme": event.programme, "event": event, "signed_up": selectors.signed_up_count(event)}
        return render(request, "programmes/events/event_delete.html", context)
    title = event.title
    told = events.remove(event)
    messages.success(
        request,
        ngettext(
            "Event “%(title)s” removed; %(count)s person who signed up gets a message.",
            "Event “%(title)s” removed; %(count)s people who signed up get a message.",
            told,
        )
        % {"title": title, "count": told}
        if told
        else _("Event “%(title)s” removed.") % {"title": title},
    )
    return redirect("programmes:events", pk)


@login_required
@require_POST
def event_sign_up(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    event = _event(request, pk, event_pk, perm="programmes.sign_up_event")
    try:
        registration = events.sign_up(event, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, _("You are signed up for “%(title)s”.") % {"title": event})
    else:
        messages.info(
            request,
            _("All places are taken: you are on the waiting list and will move up by yourself when a place frees."),
        )
    return redirect(event)


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    event = _event(request, pk, event_pk, perm="programmes.sign_up_event")
    try:
        registration = events.cancel(event, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    if registration is not None:
        messages.success(request, _("You are no longer signed up for “%(title)s”.") % {"title": event})
    return redirect(event)


@login_required
def event_calendar(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    event = _event(request, pk, event_pk)
    content = events.calendar_file(event, url=request.build_absolute_uri(event.get_absolute_url()))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(event.title) or "event"}.ics"'
    return response
