"""A community's actions board: see the actions, add and edit one, join or leave, record the outcome.

Everyone who may see the community reads the board; its members and coaches change it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leertraject.access import get_object_for_user

from . import actions, selectors
from .action_forms import ActionFilterForm, ActionForm, OutcomeForm
from .models import Community, CommunityAction

# The board's columns, in the order people look for them: what is coming first.
BOARD_COLUMNS = [
    (CommunityAction.Status.PLANNED, "text-bg-primary"),
    (CommunityAction.Status.IDEA, "text-bg-info"),
    (CommunityAction.Status.DONE, "text-bg-success"),
    (CommunityAction.Status.CANCELLED, "text-bg-secondary"),
]


def _community(request: HttpRequest, pk: int, community_pk: int, *, perm: str | None = None) -> Community:
    queryset = Community.objects.filter(programme_id=pk).select_related("programme__organisation")
    return get_object_for_user(request.user, queryset, perm=perm, pk=community_pk)


def _action(
    request: HttpRequest, pk: int, community_pk: int, action_pk: int, *, perm: str | None = None
) -> CommunityAction:
    queryset = CommunityAction.objects.filter(community_id=community_pk, community__programme_id=pk).select_related(
        "community__programme__organisation", "owner"
    )
    return get_object_for_user(request.user, queryset, perm=perm, pk=action_pk)


def _board_url(action: CommunityAction) -> str:
    community = action.community
    return reverse("coaching:actions", args=[community.programme_id, community.pk]) + f"#action-{action.pk}"


@login_required
def board(request: HttpRequest, pk: int, community_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk)
    filters = ActionFilterForm(request.GET)
    kind, mine = "", False
    if filters.is_valid():
        kind, mine = filters.cleaned_data["kind"], filters.cleaned_data["mine"]
    rows = list(selectors.community_actions(community, request.user, kind=kind, mine=mine))
    columns = [
        {
            "status": status,
            "label": CommunityAction.Status(status).label,
            "badge": badge,
            "actions": [action for action in rows if action.status == status],
        }
        for status, badge in BOARD_COLUMNS
    ]
    context = {
        "programme": community.programme,
        "community": community,
        "columns": columns,
        "action_count": len(rows),
        "filters": filters,
        "filtered": bool(kind or mine),
        "can_take_part": request.user.has_perm("coaching.contribute", community),
    }
    return render(request, "coaching/actions/board.html", context)


@login_required
def action_edit(request: HttpRequest, pk: int, community_pk: int, action_pk: int | None = None) -> HttpResponse:
    if action_pk:
        action = _action(request, pk, community_pk, action_pk, perm="coaching.change_communityaction")
        community = action.community
        initial = {}
    else:
        community = _community(request, pk, community_pk, perm="coaching.contribute")
        action = CommunityAction(community=community)
        initial = {"owner": request.user.pk}
    form = ActionForm(
        request.POST or None,
        instance=action,
        initial=initial,
        community=community,
        people=selectors.community_people(community),
    )
    if request.method == "POST" and form.is_valid():
        created = action.pk is None
        saved = actions.save_action(form.save(commit=False), by=request.user)
        if created:
            messages.success(request, _("Action “%(title)s” added to the board.") % {"title": saved.title})
        else:
            messages.success(request, _("Action “%(title)s” saved.") % {"title": saved.title})
        return redirect(_board_url(saved))
    context = {
        "programme": community.programme,
        "community": community,
        "action": action if action.pk else None,
        "form": form,
    }
    return render(request, "coaching/actions/action_form.html", context)


@login_required
@require_POST
def join(request: HttpRequest, pk: int, community_pk: int, action_pk: int) -> HttpResponse:
    action = _action(request, pk, community_pk, action_pk, perm="coaching.change_communityaction")
    try:
        actions.join(action, request.user)
    except actions.ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You join “%(title)s”.") % {"title": action.title})
    return redirect(_board_url(action))


@login_required
@require_POST
def leave(request: HttpRequest, pk: int, community_pk: int, action_pk: int) -> HttpResponse:
    action = _action(request, pk, community_pk, action_pk, perm="coaching.change_communityaction")
    actions.leave(action, request.user)
    messages.success(request, _("You no longer join “%(title)s”.") % {"title": action.title})
    return redirect(_board_url(action))


@login_required
def outcome(request: HttpRequest, pk: int, community_pk: int, action_pk: int) -> HttpResponse:
    action = _action(request, pk, community_pk, action_pk, perm="coaching.change_communityaction")
    form = OutcomeForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        actions.record_outcome(action, form.cleaned_data["outcome"], form.cleaned_data["outcome_reason"])
        messages.success(
            request,
            _("Outcome of “%(title)s” recorded: %(outcome)s.")
            % {"title": action.title, "outcome": action.get_outcome_display().lower()},
        )
        return redirect(_board_url(action))
    context = {"programme": action.community.programme, "community": action.community, "action": action, "form": form}
    return render(request, "coaching/actions/outcome_form.html", context)
