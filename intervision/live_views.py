"""The live session guide's pages: the guide itself, its state as JSON, and the POST buttons.

Only the group's members reach any of them (404 for everyone else); only the session's
facilitator starts, moves and ends it (403 for the other members). Rules live in live.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from leertraject.access import get_object_for_user

from . import live, selectors
from .live_forms import LearningPointForm, NoteForm, StepForm, ToPlanForm
from .models import IntervisionSession, LearningPoint

RUN = "intervision.run_session"


def _session(request: HttpRequest, pk: int, session_pk: int, *, perm: str | None = None) -> IntervisionSession:
    return get_object_for_user(request.user, selectors.live_sessions(pk), perm=perm, pk=session_pk)


def _back(session: IntervisionSession) -> HttpResponse:
    return redirect("intervision:live", session.group.programme_id, session.pk)


def _render(request: HttpRequest, session: IntervisionSession, status: int = 200, **forms: Any) -> HttpResponse:
    data = selectors.guide(session, request.user)
    ended = session.status == IntervisionSession.Status.ENDED
    goals = live.own_goals(request.user, session)
    if not (ended and data.my_point and not data.my_point.reflection_id):
        goals = goals.none()
    context = {
        "programme": session.group.programme,
        "session": session,
        "guide": data,
        "can_run": request.user.has_perm(RUN, session),
        "note_form": forms.get("note_form")
        or NoteForm(initial={"position": data.current.step.position if data.current else None}),
        "point_form": forms.get("point_form")
        or LearningPointForm(initial={"text": getattr(data.my_point, "text", "")}),
        "plan_form": forms.get("plan_form") or ToPlanForm(goals=goals),
        "my_goals": list(goals),
        "state_url": reverse("intervision:live_state", args=[session.group.programme_id, session.pk]),
    }
    return render(request, "intervision/live/guide.html", context, status=status)


@login_required
@require_GET
def guide(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    live.record_case_read(session, request.user)
    return _render(request, session)


@never_cache
@login_required
@require_GET
def state(request: HttpRequest, pk: int, session_pk: int) -> JsonResponse:
    session = _session(request, pk, session_pk)
    step, number, count = selectors.current_step(session)
    payload: dict[str, Any] = {
        "status": session.status,
        "version": selectors.live_version(session),
        "step_count": count,
        "step_number": number,
        "seconds_left": selectors.seconds_left(session, step),
        "step": None,
    }
    if step is not None:
        payload["step"] = {
            "position": step.position,
            "title": step.title,
            "purpose": step.purpose,
            "speaker": step.speaker,
            "speaker_label": step.get_speaker_display(),
            "minutes": step.minutes,
        }
    return JsonResponse(payload)


def _run(request: HttpRequest, pk: int, session_pk: int) -> IntervisionSession:
    return _session(request, pk, session_pk, perm=RUN)


def _from_step(request: HttpRequest) -> int | None:
    form = StepForm(request.POST)
    return form.cleaned_data["from_step"] if form.is_valid() else None


@login_required
@require_POST
def start(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _run(request, pk, session_pk)
    try:
        if live.start(session, request.user):
            messages.success(request, _("The session has started. Everyone in the group now sees the first step."))
    except live.LiveError as error:
        messages.error(request, str(error))
    return _back(session)


def _move(request: HttpRequest, pk: int, session_pk: int, mover: Any, moved: str) -> HttpResponse:
    session = _run(request, pk, session_pk)
    try:
        if mover(session, request.user, from_step=_from_step(request)):
            step, _number, _count = selectors.current_step(session)
            messages.success(request, moved % {"title": step.title if step else ""})
    except live.LiveError as error:
        messages.error(request, str(error))
    return _back(session)


@login_required
@require_POST
def next_step(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    return _move(request, pk, session_pk, live.next_step, _("Next step: %(title)s."))


@login_required
@require_POST
def previous_step(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    return _move(request, pk, session_pk, live.previous_step, _("Back to the step: %(title)s."))


@login_required
@require_POST
def end(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _run(request, pk, session_pk)
    try:
        if live.end(session, request.user):
            messages.success(request, _("The session has ended. Everyone can now write down their learning point."))
    except live.LiveError as error:
        messages.error(request, str(error))
    return _back(session)


@login_required
@require_POST
def add_note(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render(request, session, status=400, note_form=form)
    try:
        live.add_note(session, request.user, form.cleaned_data["position"], form.cleaned_data["text"])
    except live.LiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your note is added to the step."))
    return _back(session)


@login_required
@require_POST
def learning_point(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    form = LearningPointForm(request.POST)
    if not form.is_valid():
        return _render(request, session, status=400, point_form=form)
    try:
        live.add_learning_point(session, request.user, form.cleaned_data["text"])
    except live.LiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your learning point is saved."))
    return _back(session)


@login_required
@require_POST
def to_plan(request: HttpRequest, pk: int, session_pk: int, point_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    point = (
        LearningPoint.objects.for_organisation(request.user.organisation_id)
        .filter(session=session, user=request.user, pk=point_pk)
        .first()
    )
    if point is None:
        raise Http404
    point.session = session
    form = ToPlanForm(request.POST, goals=live.own_goals(request.user, session))
    if not form.is_valid():
        return _render(request, session, status=400, plan_form=form)
    try:
        live.add_to_plan(point, form.cleaned_data["goal"])
    except live.LiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your learning point is added to your plan as a reflection on “%(goal)s”.")
            % {"goal": form.cleaned_data["goal"].title},
        )
    return _back(session)
