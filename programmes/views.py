"""Programme pages. Views check access, call one selector or service, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leertraject.access import get_object_for_user, require_perm

from . import reminders, selectors, services
from .forms import AssessmentFormSet, CompetencyForm, CopyProgrammeForm, IndicatorFormSet, PhaseForm, ProgrammeForm
from .models import Competency
from .permissions import access_programme

CHANGE = "programmes.change_programme"


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1" and request.user.has_perm("programmes.add_programme")
    context = {
        "programmes": selectors.programmes_visible_to(request.user, archived=archived),
        "archived": archived,
        "can_add": request.user.has_perm("programmes.add_programme"),
    }
    return render(request, "programmes/programme_list.html", context)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk)
    can_view_people = request.user.has_perm("programmes.view_people", programme)
    phases = list(selectors.programme_phases(programme))
    can_change = request.user.has_perm(CHANGE, programme)
    context = {
        "programme": programme,
        "my_roles": selectors.role_labels(request.user, programme),
        "people": selectors.programme_people(programme) if can_view_people else None,
        "phases": phases,
        "competencies": selectors.programme_competencies(programme),
        "assessment_count": programme.assessment_items.count(),
        "upcoming_events": selectors.programme_events(programme, request.user, upcoming=True, limit=3),
        "dashboard": selectors.programme_dashboard(programme, phases) if can_change else None,
        "can_change": can_change,
        "can_keep_plan": request.user.has_perm("learners.keep_plan", programme),
        "can_view_demand": request.user.has_perm("learners.view_demand", programme),
        "can_view_coach_dashboard": request.user.has_perm("coaching.view_coach_dashboard", programme),
        "can_view_harvest_report": request.user.has_perm("harvest.view_report", programme),
    }
    return render(request, "programmes/programme_detail.html", context)


@require_perm("programmes.add_programme")
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        messages.success(request, _("Programme “%(title)s” created. Add its phases next.") % {"title": programme})
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form})


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    form = ProgrammeForm(request.POST or None, instance=programme, organisation=programme.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@login_required
@require_POST
def programme_archive(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    if programme.archived_at:
        services.restore_programme(programme)
        messages.success(request, _("Programme “%(title)s” is back in the lists.") % {"title": programme})
    else:
        services.archive_programme(programme)
        messages.success(request, _("Programme “%(title)s” archived.") % {"title": programme})
    return redirect(programme)


@login_required
def programme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    initial = {"title": _("%(title)s (copy)") % {"title": programme.title}}
    form = CopyProgrammeForm(request.POST or None, initial=initial, organisation=programme.organisation)
    if request.method == "POST" and form.is_valid():
        copy = services.copy_programme(programme, **form.cleaned_data)
        messages.success(request, _("Copied as draft “%(title)s”. Check the dates of its phases.") % {"title": copy})
        return redirect(copy)
    return render(request, "programmes/programme_copy.html", {"form": form, "programme": programme})


@login_required
def phase_edit(request: HttpRequest, pk: int, phase_pk: int | None = None) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    phase = get_object_or_404(programme.phases, pk=phase_pk) if phase_pk else None
    form = PhaseForm(request.POST or None, instance=phase, programme=programme)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Phase “%(title)s” saved.") % {"title": saved.display_title})
        return redirect(programme)
    return render(request, "programmes/phase_form.html", {"form": form, "programme": programme, "phase": phase})


@login_required
@require_POST
def phase_delete(request: HttpRequest, pk: int, phase_pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    phase = get_object_or_404(programme.phases, pk=phase_pk)
    told = reminders.remove_phase(phase)
    if told:
        messages.success(
            request,
            ngettext(
                "Phase “%(title)s” removed; the %(count)s person who was invited is told.",
                "Phase “%(title)s” removed; the %(count)s people who were invited are told.",
                told,
            )
            % {"title": phase.display_title, "count": told},
        )
    else:
        messages.success(request, _("Phase “%(title)s” removed.") % {"title": phase.display_title})
    return redirect(programme)


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    formset = AssessmentFormSet(request.POST or None, instance=programme, prefix="items")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("Self-assessment saved."))
        return redirect(programme)
    return render(request, "programmes/assessment_form.html", {"formset": formset, "programme": programme})


@require_perm("programmes.add_programme")
def competency_list(request: HttpRequest) -> HttpResponse:
    competencies = selectors.competencies_of_organisation(request.user.organisation)
    return render(request, "programmes/competency_list.html", {"competencies": competencies})


@require_perm("programmes.add_programme")
def competency_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    competency = (
        get_object_for_user(request.user, Competency.objects.all(), perm="programmes.change_competency", pk=pk)
        if pk
        else None
    )
    form = CompetencyForm(request.POST or None, instance=competency, organisation=request.user.organisation)
    formset = IndicatorFormSet(request.POST or None, instance=form.instance, prefix="indicators")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            saved = form.save()
            formset.instance = saved
            formset.save()
        messages.success(request, _("Competency “%(name)s” saved.") % {"name": saved})
        return redirect("programmes:competencies")
    return render(
        request, "programmes/competency_form.html", {"form": form, "formset": formset, "competency": competency}
    )
