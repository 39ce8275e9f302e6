"""Learning communities: the overview with proposed questions, a community's page, setting up, joining."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leertraject.access import get_object_for_user
from programmes.models import Membership, Programme
from programmes.permissions import access_programme
from programmes.selectors import member_of_communities

from . import communities, selectors
from .forms import CommunityForm, ProposalForm
from .models import Community


def _community(request: HttpRequest, pk: int, community_pk: int, *, perm: str | None = None) -> Community:
    queryset = Community.objects.filter(programme_id=pk).select_related("programme__organisation")
    return get_object_for_user(request.user, queryset, perm=perm, pk=community_pk)


def _participation(request: HttpRequest, programme: Programme) -> Membership | None:
    return selectors.own_participation(request.user, programme)


@login_required
def community_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk)
    participation = _participation(request, programme)
    can_propose = request.user.has_perm("coaching.propose_community", programme)
    context = {
        "programme": programme,
        "communities": selectors.programme_communities(programme, request.user),
        "proposals": selectors.programme_proposals(programme),
        "my_community": selectors.community_of(participation) if participation else None,
        "can_join": bool(participation) and can_propose,
        "can_propose": can_propose,
        "can_change": request.user.has_perm("coaching.change_community", Community(programme=programme)),
        "proposal_form": ProposalForm() if can_propose else None,
    }
    return render(request, "coaching/community_list.html", context)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="coaching.propose_community")
    form = ProposalForm(request.POST)
    if form.is_valid():
        communities.propose(_participation(request, programme), form.cleaned_data["question"])
        messages.success(request, _("Thank you: everyone in the programme now sees your question."))
    else:
        messages.error(request, " ".join(form.errors["question"]))
    return redirect("coaching:list", pk)


@login_required
def community_edit(request: HttpRequest, pk: int, community_pk: int | None = None) -> HttpResponse:
    if community_pk:
        community = _community(request, pk, community_pk, perm="coaching.change_community")
        programme = community.programme
    else:
        programme = access_programme(request.user, pk)
        community = Community(programme=programme, created_by=request.user)
        if not request.user.has_perm("coaching.change_community", community):
            raise PermissionDenied
    proposals = []
    initial = {}
    if not community.pk and request.GET.get("proposal"):
        proposal = programme.community_proposals.filter(pk=request.GET["proposal"], community__isnull=True).first()
        if proposal:
            proposals = [proposal]
            initial = {"question": proposal.question}
    form = CommunityForm(request.POST or None, instance=community, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        from_proposal = programme.community_proposals.filter(pk=request.POST.get("proposal") or 0, community=None)
        communities.save_community(
            form.save(commit=False),
            coaches=list(form.cleaned_data["coaches"]),
            proposals=list(from_proposal),
            by=request.user,
        )
        messages.success(request, _("Community “%(name)s” saved.") % {"name": community.name})
        return redirect("coaching:detail", pk, community.pk)
    context = {"programme": programme, "community": community if community.pk else None, "form": form}
    context["proposal"] = proposals[0] if proposals else None
    return render(request, "coaching/community_form.html", context)


@login_required
def community_detail(request: HttpRequest, pk: int, community_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk)
    context = {
        "programme": community.programme,
        "community": community,
        "coaches": community.coaches.order_by("first_name", "last_name"),
        "members": selectors.community_members(community),
        "is_member": community.pk in member_of_communities(request.user),
        "can_join": request.user.has_perm("coaching.join_community", community),
        "can_change": request.user.has_perm("coaching.change_community", community),
        "can_take_part": request.user.has_perm("coaching.take_part", community),
        "planned_actions": selectors.next_planned_actions(community),
        "recent_threads": selectors.forum_threads(community)[:3],
    }
    return render(request, "coaching/community_detail.html", context)


@login_required
@require_POST
def join(request: HttpRequest, pk: int, community_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk, perm="coaching.join_community")
    try:
        communities.join(community, _participation(request, community.programme))
    except communities.CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Welcome to “%(name)s”.") % {"name": community.name})
    return redirect("coaching:detail", pk, community.pk)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int, community_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk, perm="coaching.join_community")
    try:
        communities.leave(_participation(request, community.programme))
    except communities.CommunityError as error:
        messages.error(request, str(error))
        return redirect("coaching:detail", pk, community.pk)
    messages.success(request, _("You left “%(name)s”.") % {"name": community.name})
    return redirect("coaching:list", pk)
