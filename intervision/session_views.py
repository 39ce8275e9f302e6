"""Intervision sessions: a group's sessions, planning one, the session page and the case form.

The session page and the case go through ``get_object_for_user`` with the session's view
permission, which only the group's members have: HR, managers, coaches and other groups get a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leertraject.access import get_object_for_user

from . import selectors, sessions
from .models import IntervisionGroup, IntervisionSession
from .rules import is_group_member
from .session_forms import CaseForm, PlanForm


def _group(request: HttpRequest, pk: int, group_pk: int, *, perm: str | None = None) -> IntervisionGroup:
    queryset = IntervisionGroup.objects.filter(programme_id=pk).select_related("programme__organisation")
    return get_object_for_user(request.user, queryset, perm=perm, pk=group_pk)


def _session(request: HttpRequest, pk: int, session_pk: int, *, perm: str | None = None) -> IntervisionSession:
    queryset = IntervisionSession.objects.filter(group__programme_id=pk).select_related(
        "group__programme__organisation", "method", "case_bringer", "facilitator", "timekeeper"
    )
    return get_object_for_user(request.user, queryset, perm=perm, pk=session_pk)


def _plan(form: PlanForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in sessions.PLAN_FIELDS}


@login_required
def group_sessions(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    """The group's sessions: members see roles and whether the case is in; others only that they took place."""
    group = _group(request, pk, group_pk)
    context = {
        "programme": group.programme,
        "group": group,
        "sessions": selectors.group_sessions(group),
        "is_member": is_group_member.test(request.user, group),
        "can_plan": request.user.has_perm("intervision.plan_session", group),
    }
    return render(request, "intervision/sessions/list.html", context)


@login_required
def session_create(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    group = _group(request, pk, group_pk, perm="intervision.plan_session")
    form = PlanForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.plan_session(group, **_plan(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Session planned. %(name)s brings in the case and can submit it on the session's page.")
                % {"name": session.case_bringer.get_full_name()},
            )
            if request.user.has_perm("intervision.view_intervisionsession", session):
                return redirect("intervision:session_detail", pk, session.pk)
            return redirect("intervision:group_sessions", pk, group.pk)
    context = {"programme": group.programme, "group": group, "form": form}
    return render(request, "intervision/sessions/plan_form.html", context)


@login_required
def session_detail(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    steps = list(session.method.steps.all())
    context = {
        "programme": session.group.programme,
        "group": session.group,
        "session": session,
        "steps": steps,
        "total_minutes": sum(step.minutes for step in steps),
        "case": sessions.read_case(session, request.user),
        "can_submit": request.user.has_perm("intervision.submit_case", session) and sessions.can_change_case(session),
        "can_change": request.user.has_perm("intervision.change_intervisionsession", session)
        and sessions.is_changeable(session),
    }
    return render(request, "intervision/sessions/detail.html", context)


@login_required
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """Move a planned session, or change its method, place or roles."""
    session = _session(request, pk, session_pk, perm="intervision.change_intervisionsession")
    if not sessions.is_changeable(session):
        messages.error(request, sessions.NOT_CHANGEABLE)
        return redirect("intervision:session_detail", pk, session.pk)
    form = PlanForm(request.POST or None, instance=session, group=session.group)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.change_session(session, **_plan(form))
        except ValidationError as error:
            form.add_error(None, error)
        except sessions.SessionError as error:
            messages.error(request, str(error))
            return redirect("intervision:session_detail", pk, session.pk)
        else:
            messages.success(request, _("Session changed. The group's reminders follow the new time."))
            return redirect("intervision:session_detail", pk, session.pk)
    context = {"programme": session.group.programme, "group": session.group, "session": session, "form": form}
    return render(request, "intervision/sessions/plan_form.html", context)


@login_required
def session_cancel(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """Ask whether to cancel a planned session; the POST cancels it."""
    session = _session(request, pk, session_pk, perm="intervision.change_intervisionsession")
    group = session.group
    if request.method == "POST":
        try:
            sessions.cancel_session(session, by=request.user)
        except sessions.SessionError as error:
            messages.error(request, str(error))
            return redirect("intervision:session_detail", pk, session.pk)
        when = date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        messages.success(request, _("The session of %(when)s is cancelled.") % {"when": when})
        return redirect("intervision:group_sessions", pk, group.pk)
    if not sessions.is_changeable(session):
        messages.error(request, sessions.NOT_CHANGEABLE)
        return redirect("intervision:session_detail", pk, session.pk)
    context = {
        "programme": group.programme,
        "group": group,
        "session": session,
        "has_case": bool(sessions.case_of(session)),
    }
    return render(request, "intervision/sessions/cancel.html", context)


@login_required
def case_form(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk, perm="intervision.submit_case")
    if not sessions.can_change_case(session):
        messages.error(request, _("The session has started; the case can no longer be changed."))
        return redirect("intervision:session_detail", pk, session.pk)
    case = sessions.case_of(session)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.submit_case(session, request.user, **form.cleaned_data)
        except sessions.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your case is submitted. Only the members of your group can read it."))
        return redirect("intervision:session_detail", pk, session.pk)
    context = {"programme": session.group.programme, "group": session.group, "session": session, "form": form}
    return render(request, "intervision/sessions/case_form.html", context)
