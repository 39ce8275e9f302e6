"""The coach dashboard and coaching sessions: planning, asking, recording, cancelling, the .ics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leertraject.access import get_object_for_user
from programmes.permissions import access_programme

from . import selectors, sessions
from .models import CoachingSession
from .session_forms import CancelForm, FollowUpFormSet, SessionForm, SessionRecordForm, SessionRequestForm


def _session(request: HttpRequest, pk: int, session_pk: int, *, perm: str | None = None) -> CoachingSession:
    """The session if the user is its participant or its coach (404 for anyone else)."""
    queryset = CoachingSession.objects.filter(membership__programme_id=pk).select_related(
        "membership__user", "membership__programme__organisation", "coach"
    )
    return get_object_for_user(request.user, queryset, perm=perm, pk=session_pk)


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="coaching.view_coach_dashboard")
    context = {
        "programme": programme,
        "board": selectors.coach_dashboard(programme, request.user),
        "can_plan": request.user.has_perm("coaching.plan_session", programme),
    }
    return render(request, "coaching/dashboard.html", context)


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The coach plans a session; ``?member=`` (a participation) fills in the participant."""
    programme = access_programme(request.user, pk, perm="coaching.plan_session")
    initial = {"membership": request.GET.get("member")} if request.GET.get("member", "").isdigit() else {}
    form = SessionForm(request.POST or None, programme=programme, coach=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        session = sessions.plan(form.save(commit=False), coach=request.user)
        messages.success(
            request,
            _("Coaching session with %(name)s planned; they receive an invitation by mail.")
            % {"name": session.membership.user.get_full_name()},
        )
        return redirect("coaching_sessions:detail", pk, session.pk)
    return render(request, "coaching/sessions/session_form.html", {"programme": programme, "form": form})


@login_required
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """The coach plans a requested session, or moves a planned one."""
    session = _session(request, pk, session_pk, perm="coaching.change_coachingsession")
    if session.status not in sessions.OPEN:
        messages.error(request, _("This session can no longer be changed."))
        return redirect("coaching_sessions:detail", pk, session.pk)
    was_requested = session.status == CoachingSession.Status.REQUESTED
    form = SessionForm(
        request.POST or None, instance=session, programme=session.membership.programme, coach=request.user
    )
    if request.method == "POST" and form.is_valid():
        sessions.plan(form.save(commit=False), coach=request.user)
        if was_requested:
            message = _("Coaching session planned; %(name)s receives an invitation by mail.")
        else:
            message = _("Changes saved; %(name)s receives the new invitation by mail.")
        messages.success(request, message % {"name": session.membership.user.get_full_name()})
        return redirect("coaching_sessions:detail", pk, session.pk)
    context = {
        "programme": session.membership.programme,
        "session": session,
        "form": form,
        "was_requested": was_requested,
    }
    return render(request, "coaching/sessions/session_form.html", context)


@login_required
def session_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant asks a learning coach for a session."""
    programme = access_programme(request.user, pk, perm="coaching.request_session")
    membership = selectors.own_participation(request.user, programme)
    if membership is None:
        raise Http404
    waiting = sessions.open_request(membership)
    if waiting is not None:
        messages.info(request, _("You have already asked for a coaching session; your coach will plan it."))
        return redirect("coaching_sessions:detail", pk, waiting.pk)
    community = selectors.community_of(membership)
    community_coach = community.coaches.order_by("first_name", "last_name").first() if community else None
    form = SessionRequestForm(request.POST or None, programme=programme, community_coach=community_coach)
    if request.method == "POST" and form.is_valid():
        session = sessions.request(
            membership, coach=form.cleaned_data["coach"], message=form.cleaned_data["request_message"]
        )
        messages.success(
            request,
            _("Your request is on its way to %(name)s, who will plan the session with you.")
            % {"name": session.coach.get_full_name()},
        )
        return redirect("coaching_sessions:detail", pk, session.pk)
    return render(request, "coaching/sessions/request_form.html", {"programme": programme, "form": form})


@login_required
def session_detail(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    is_coach = request.user.has_perm("coaching.keep_session_notes", session)
    is_open = session.status in sessions.OPEN
    context = {
        "programme": session.membership.programme,
        "session": session,
        "is_coach": is_coach,
        # The confidential notes are read for the session's coach only: nobody else's page loads them.
        "note": sessions.read_note(session, request.user) if is_coach else None,
        "follow_ups": selectors.session_follow_ups(session),
        "can_change": is_open and request.user.has_perm("coaching.change_coachingsession", session),
        "can_record": is_coach and session.status in (CoachingSession.Status.PLANNED, CoachingSession.Status.HELD),
        "can_cancel": is_open and request.user.has_perm("coaching.cancel_coachingsession", session),
        "has_calendar_file": sessions.has_calendar_file(session),
    }
    return render(request, "coaching/sessions/session_detail.html", context)


@login_required
def session_record(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """The coach keeps the summary, the confidential notes and the agreed follow-up actions."""
    session = _session(request, pk, session_pk, perm="coaching.change_coachingsession")
    if session.status not in (CoachingSession.Status.PLANNED, CoachingSession.Status.HELD):
        messages.error(request, _("Only a planned or held session can be recorded."))
        return redirect("coaching_sessions:detail", pk, session.pk)
    note = sessions.read_note(session, request.user) if request.method == "GET" else selectors.session_note(session)
    data = request.POST or None
    form = SessionRecordForm(data, instance=session, initial={"notes": note.text if note else ""})
    follow_ups = FollowUpFormSet(
        data, instance=session, organisation_id=session.membership.programme.organisation_id, prefix="follow_ups"
    )
    if request.method == "POST" and form.is_valid() and follow_ups.is_valid():
        sessions.record(
            session, summary=form.cleaned_data["summary"], notes=form.cleaned_data["notes"], follow_ups=follow_ups
        )
        messages.success(request, _("Session recorded. The participant sees the summary and the agreed actions."))
        return redirect("coaching_sessions:detail", pk, session.pk)
    context = {"programme": session.membership.programme, "session": session, "form": form, "follow_ups": follow_ups}
    return render(request, "coaching/sessions/record_form.html", context)


@login_required
def session_cancel(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk, perm="coaching.cancel_coachingsession")
    if session.status not in sessions.OPEN:
        messages.error(request, _("This session can no longer be cancelled."))
        return redirect("coaching_sessions:detail", pk, session.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.cancel(session, by=request.user, message=form.cleaned_data["message"])
        except sessions.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The session is cancelled; the other person receives your message by mail."))
        return redirect("coaching_sessions:detail", pk, session.pk)
    context = {"programme": session.membership.programme, "session": session, "form": form}
    return render(request, "coaching/sessions/cancel_form.html", context)


@login_required
def session_calendar(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    if not sessions.has_calendar_file(session):
        raise Http404
    response = HttpResponse(
        sessions.calendar_file(session, for_user=request.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{sessions.calendar_filename(session)}"'
    return response
