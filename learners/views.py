"""A participant's own learning: start assessment, SWOT, learning plan; and HR's view of the demand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coaching import selectors as coaching_selectors
from coaching import sessions as coaching_sessions
from coaching.models import FollowUp
from leertraject.access import get_object_for_user
from privacy import audit
from programmes.models import Membership
from programmes.permissions import access_programme

from . import feedback, selectors, services
from .export import plan_context, plan_pdf_filename, render_plan_pdf
from .forms import (
    ActionDoneForm,
    ActionFormSet,
    ActivityFormSet,
    AssessmentForm,
    FeedbackAnswerForm,
    FeedbackRequestForm,
    GoalForm,
    ReflectionForm,
    SwotForm,
)
from .models import AssessmentResponse, Goal

NEXT_STEP_URLS = {"assessment": "learners:assessment", "swot": "learners:swot", "goal": "learners:goal_create"}


def _own(request: HttpRequest, pk: int) -> Membership:
    """The signed-in participant's membership of programme ``pk`` (404 otherwise)."""
    programme = access_programme(request.user, pk, perm="learners.keep_plan")
    return selectors.own_membership(request.user, programme)


def _goal(request: HttpRequest, pk: int, goal_pk: int, *, perm: str | None = None) -> Goal:
    queryset = Goal.objects.filter(membership__programme_id=pk).select_related("membership__programme")
    return get_object_for_user(request.user, queryset, perm=perm, pk=goal_pk)


def _next(membership: Membership) -> HttpResponse:
    step = selectors.onboarding(membership).next_step
    return redirect(NEXT_STEP_URLS[step] if step else "learners:plan", membership.programme_id)


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own(request, pk)
    swot = selectors.swot_of(membership, with_competencies=False)  # the page shows its four texts
    context = {
        "programme": membership.programme,
        "onboarding": selectors.onboarding(membership, swot),
        "swot": swot,
        "goals": selectors.plan_overview(membership),
        "coaching": coaching_selectors.plan_coaching(membership),
    }
    return render(request, "learners/plan.html", context)


@login_required
def assessment(request: HttpRequest, pk: int, moment: str = AssessmentResponse.Moment.START) -> HttpResponse:
    membership = _own(request, pk)
    is_end = moment == AssessmentResponse.Moment.END
    if is_end and not selectors.end_assessment_is_open(membership.programme):
        messages.info(request, _("The end assessment opens four weeks before the harvest session."))
        return redirect("learners:plan", pk)
    items = list(selectors.assessment_items(membership.programme))
    response = selectors.assessment_response(membership, moment)
    form = AssessmentForm(request.POST or None, items=items, response=response)
    if request.method == "POST" and form.is_valid():
        services.save_assessment(membership, moment, form.answers(), submit=form.submitting)
        if form.submitting and is_end:
            messages.success(request, _("End assessment handed in. Here is how you grew."))
            return redirect("learners:growth", pk)
        if form.submitting:
            messages.success(request, _("Self-assessment handed in. Next: your personal SWOT."))
            return _next(membership)
        messages.success(request, _("Saved. You can carry on later where you left off."))
        return redirect("learners:plan", pk)
    context = {"programme": membership.programme, "form": form, "response": response, "is_end": is_end}
    return render(request, "learners/assessment_form.html", context)


@login_required
def growth(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own(request, pk)
    context = {
        "programme": membership.programme,
        "rows": selectors.growth(membership),
        "end_open": selectors.end_assessment_is_open(membership.programme),
    }
    return render(request, "learners/growth.html", context)


@login_required
def swot(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own(request, pk)
    form = SwotForm(request.POST or None, instance=selectors.swot_of(membership), programme=membership.programme)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("strengths", "weaknesses", "opportunities", "threats")}
        services.save_swot(membership, fields, list(form.cleaned_data["strong_in"]))
        messages.success(request, _("Your SWOT is saved."))
        return _next(membership)
    return render(request, "learners/swot_form.html", {"programme": membership.programme, "form": form})


@login_required
def goal_edit(request: HttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    membership = _own(request, pk)
    goal = _goal(request, pk, goal_pk, perm="learners.change_goal") if goal_pk else Goal(membership=membership)
    data = request.POST or None
    form = GoalForm(data, instance=goal, programme=membership.programme)
    organisation_id = membership.programme.organisation_id
    formsets = [
        ActivityFormSet(data, instance=goal, organisation_id=organisation_id, prefix="activities"),
        ActionFormSet(data, instance=goal, organisation_id=organisation_id, prefix="actions"),
    ]
    if request.method == "POST" and form.is_valid() and all(formset.is_valid() for formset in formsets):
        saved = services.save_goal(
            form.save(commit=False),
            competencies=list(form.cleaned_data["competencies"]),
            indicators=list(form.cleaned_data["indicators"]),
            formsets=formsets,
        )
        messages.success(request, _("Goal “%(title)s” saved.") % {"title": saved})
        return redirect(saved)
    context = {
        "programme": membership.programme,
        "form": form,
        "activities": formsets[0],
        "actions": formsets[1],
        "goal": goal if goal.pk else None,
    }
    return render(request, "learners/goal_form.html", context)


@login_required
def goal_detail(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    goal = _goal(request, pk, goal_pk)
    detailed = selectors.goals_with_details(Goal.objects.for_organisation(request.user.organisation_id)).get(pk=goal.pk)
    is_owner = request.user.has_perm("learners.change_goal", goal)
    context = {
        "programme": goal.membership.programme,
        "goal": detailed,
        "is_owner": is_owner,
        "reflection_form": ReflectionForm() if is_owner else None,
        "done_form": ActionDoneForm() if is_owner else None,
        "feedback_requests": selectors.feedback_requests(detailed) if is_owner else [],
    }
    return render(request, "learners/goal_detail.html", context)


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int, goal_pk: int, action_pk: int) -> HttpResponse:
    goal = _goal(request, pk, goal_pk, perm="learners.change_goal")
    action = get_object_or_404(goal.actions.all(), pk=action_pk)
    if action.done_at:
        services.reopen_action(action)
        messages.success(request, _("“%(action)s” is open again.") % {"action": action})
        return redirect(goal)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        services.complete_action(action, form.cleaned_data["note"])
        messages.success(request, _("Well done: “%(action)s” is done.") % {"action": action})
    else:
        messages.error(request, " ".join(form.errors["note"]))
    return redirect(goal)


@login_required
def reflection_add(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    goal = _goal(request, pk, goal_pk, perm="learners.change_goal")
    form = ReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_reflection(goal, **form.cleaned_data)
        messages.success(request, _("Reflection added to your journal."))
        return redirect(goal)
    context = {"programme": goal.membership.programme, "goal": goal, "form": form}
    return render(request, "learners/reflection_form.html", context)


@login_required
def demand(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="learners.view_demand")
    context = {
        "programme": programme,
        "rows": selectors.demand(programme),
        "low_score": selectors.LOW_SCORE,
        "can_plan": request.user.has_perm("programmes.change_programme", programme),
    }
    return render(request, "learners/demand.html", context)


@login_required
def feedback_ask(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    goal = _goal(request, pk, goal_pk, perm="learners.change_goal")
    form = FeedbackRequestForm(
        request.POST or None, colleagues=selectors.feedback_colleagues(goal.membership), owner=request.user
    )
    if request.method == "POST" and form.is_valid():
        feedback_request = feedback.ask(
            goal,
            question=form.cleaned_data["question"],
            colleagues=list(form.cleaned_data["colleagues"]),
            emails=form.cleaned_data["emails"],
        )
        count = feedback_request.asks.count()
        messages.success(
            request,
            ngettext(
                "Your question is on its way to %(count)d person.",
                "Your question is on its way to %(count)d people.",
                count,
            )
            % {"count": count},
        )
        return redirect(goal)
    context = {"programme": goal.membership.programme, "goal": goal, "form": form}
    return render(request, "learners/feedback_form.html", context)


def feedback_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the signed link in a feedback mail: no account needed, the link is the key."""
    feedback_ask = feedback.find(token)
    if feedback_ask is None:
        return render(request, "learners/feedback_link_invalid.html", status=404)
    context = {
        "ask": feedback_ask,
        "asker": feedback_ask.request.goal.membership.user,
        "goal": feedback_ask.request.goal,
        "organisation": feedback_ask.request.goal.membership.programme.organisation,
    }
    if feedback_ask.answered_at:
        return render(request, "learners/feedback_thanks.html", context)
    form = FeedbackAnswerForm(request.POST or None, initial={"name": feedback_ask.name})
    if request.method == "POST" and form.is_valid():
        feedback.answer(feedback_ask, text=form.cleaned_data["answer"], name=form.cleaned_data["name"])
        return redirect("feedback_answer", token)
    return render(request, "learners/feedback_answer.html", {**context, "form": form})


@login_required
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's whole plan on one page, laid out for paper."""
    membership = _own(request, pk)
    return render(request, "learners/plan_print.html", plan_context(membership))


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same plan as a PDF download."""
    membership = _own(request, pk)
    audit.record(request.user, audit.Action.EXPORTED, membership, _("Learning plan (PDF)"))
    response = HttpResponse(render_plan_pdf(membership), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan_pdf_filename(membership.programme)}"'
    return response


@login_required
def who_can_help(request: HttpRequest, pk: int) -> HttpResponse:
    """Colleagues strong in what the participant wants to develop, and colleagues they can help."""
    membership = _own(request, pk)
    context = {"programme": membership.programme, "help": selectors.who_can_help(membership)}
    return render(request, "learners/who_can_help.html", context)


@login_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's own learning in time, newest first."""
    membership = _own(request, pk)
    context = {"programme": membership.programme, "entries": selectors.timeline(membership)}
    return render(request, "learners/timeline.html", context)


@login_required
def goal_versions(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    goal = _goal(request, pk, goal_pk, perm="learners.change_goal")
    context = {"programme": goal.membership.programme, "goal": goal, "versions": goal.versions.order_by("-number")}
    return render(request, "learners/goal_versions.html", context)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    """The participant marks an action agreed in a coaching session done."""
    queryset = FollowUp.objects.filter(session__membership__programme_id=pk).select_related("session__membership")
    follow_up = get_object_for_user(request.user, queryset, perm="coaching.complete_followup", pk=follow_up_pk)
    coaching_sessions.complete_follow_up(follow_up)
    messages.success(request, _("Well done: “%(action)s” is done.") % {"action": follow_up})
    return redirect("learners:plan", pk)
