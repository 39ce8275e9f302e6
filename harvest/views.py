"""Preparing the harvest: the hub, contributions with quotes, goal outcomes, the story, and the
closing session's view of the stories participants chose to share."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.models import Community
from learners.selectors import own_membership
from leertraject.access import get_object_for_user
from programmes.models import Phase, Programme
from programmes.permissions import access_programme

from . import contributions, selectors, session_selectors, stories
from .forms import ContributionForm, GoalOutcomeForm, StoryForm
from .models import Contribution, Quote


@login_required
def hub(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="harvest.view_harvest")
    context = {
        "programme": programme,
        "hub": selectors.hub(request.user, programme),
        "can_contribute": request.user.has_perm("harvest.contribute", programme),
        "can_read_report": request.user.has_perm("harvest.view_report", programme),
        "answers": session_selectors.programme_answers(programme),
        "can_change": request.user.has_perm("harvest.answer", programme),
    }
    return render(request, "harvest/hub.html", context)


@login_required
def contribution(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's own contribution."""
    programme = access_programme(request.user, pk, perm="harvest.contribute")
    return _contribution_page(request, programme, selectors.own_contribution(request.user, programme))


@login_required
def community_contribution(request: HttpRequest, pk: int, community_pk: int) -> HttpResponse:
    """A community's contribution, written together by its members and coaches."""
    programme = access_programme(request.user, pk, perm="harvest.view_harvest")
    community = get_object_for_user(
        request.user,
        Community.objects.filter(programme=programme).select_related("programme"),
        perm="harvest.contribute_for_community",
        pk=community_pk,
    )
    current = selectors.community_contribution(community)
    return _contribution_page(request, programme, current, community=community)


def _contribution_page(
    request: HttpRequest, programme: Programme, current: Contribution | None, *, community: Community | None = None
) -> HttpResponse:
    initial = {name: getattr(current, name) for name in contributions.CONTRIBUTION_FIELDS} if current else {}
    initial["seen"] = contributions.version_of(current)
    form = ContributionForm(request.POST or None, initial=initial, for_community=community is not None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            contributions.contribution_save(
                programme=programme,
                writer=request.user,
                community=community,
                fields=form.contribution_fields,
                seen=form.cleaned_data["seen"],
                quote=form.offered_quote,
            )
        except contributions.StaleContribution as stale:
            # Keep the writer's text and show the newer one; saving again overwrites it knowingly.
            conflict = current = stale.current
            data = request.POST.copy()
            data["seen"] = contributions.version_of(conflict)
            form = ContributionForm(data, for_community=community is not None)
        else:
            if form.offered_quote:
                messages.success(request, _("Your contribution and your quote are saved. Thank you."))
            else:
                messages.success(request, _("Your contribution is saved. Thank you."))
            return redirect("harvest:hub", programme.pk)
    context = {
        "programme": programme,
        "community": community,
        "form": form,
        "current": current,
        "conflict": conflict,
        "quotes": selectors.quotes_of(request.user, [current]) if current else [],
    }
    return render(request, "harvest/contribution_form.html", context)


@login_required
@require_POST
def quote_withdraw(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    quote = get_object_for_user(
        request.user,
        Quote.objects.filter(contribution__programme_id=pk),
        perm="harvest.change_quote",
        pk=quote_pk,
    )
    contributions.quote_withdraw(quote)
    messages.success(request, _("Your consent is withdrawn: the quote is no longer shown in the harvest report."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("harvest:hub", pk)


@login_required
def outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="harvest.contribute")
    membership = own_membership(request.user, programme)
    goals = list(selectors.goals_for_outcomes(membership))
    forms = [GoalOutcomeForm(request.POST or None, goal=goal) for goal in goals]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        for form in forms:
            if form.has_changed():
                contributions.goal_outcome_set(
                    form.goal, outcome=form.cleaned_data["outcome"], why=form.cleaned_data["outcome_why"]
                )
        messages.success(request, _("The outcomes of your goals are saved."))
        return redirect("harvest:hub", pk)
    context = {"programme": programme, "forms": forms, "has_errors": any(form.errors for form in forms)}
    return render(request, "harvest/outcomes.html", context)


@login_required
def story(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="harvest.contribute")
    membership = own_membership(request.user, programme)
    current = selectors.story_of(membership)
    form = StoryForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = stories.story_save(membership, text=form.cleaned_data["text"], shared=form.cleaned_data["shared"])
        if saved.shared:
            messages.success(request, _("Your story is saved and will be shown at the closing session."))
        else:
            messages.success(request, _("Your story is saved. Only you can read it."))
        return redirect("harvest:hub", pk)
    return render(request, "harvest/story_form.html", {"programme": programme, "form": form, "story": current})


@login_required
def closing(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="harvest.view_harvest")
    membership = selectors.participation(request.user, programme)
    context = {
        "programme": programme,
        "closing": selectors.phase_of(programme, Phase.Kind.CLOSING),
        "stories": selectors.shared_stories(programme),
        "my_story": selectors.story_of(membership) if membership else None,
        "can_contribute": request.user.has_perm("harvest.contribute", programme),
    }
    return render(request, "harvest/closing.html", context)
