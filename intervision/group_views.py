"""Pages for intervision groups: compose (preview, save), a group, moving people, "not with" wishes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leertraject.access import get_object_for_user
from programmes.models import Membership
from programmes.permissions import access_programme

from . import groups as services
from .composition import CompositionError
from .group_forms import ComposeForm, MoveForm, WishForm
from .models import IntervisionGroup


def _overview(programme) -> str:
    return reverse("intervision:overview", args=[programme.pk])


@login_required
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    """HR and coaches: a proposal from a group size or count and a variant; saved only on request."""
    programme = access_programme(request.user, pk, perm="intervision.compose_groups")
    participants = services.participants(programme)
    form = ComposeForm(request.POST or None, participant_count=len(participants))
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preview = services.compose_for_programme(
                programme, size=data["size"], count=data["count"], seed=data["seed"], memberships=participants
            )
        except CompositionError:
            form.add_error(None, _("These settings cannot divide the participants into groups."))
        else:
            if request.POST.get("action") == "save":
                try:
                    services.save_composition(
                        programme, [[m.pk for m in group] for group in preview.groups], preview.names
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d intervision group saved.",
                            "%(count)d intervision groups saved.",
                            len(preview.groups),
                        )
                        % {"count": len(preview.groups)},
                    )
                    return redirect(_overview(programme))
    current_groups, loose = services.saved_groups(programme, participants)
    context = {
        "programme": programme,
        "form": form,
        "preview": preview,
        "preview_rows": list(zip(preview.names, preview.groups, strict=True)) if preview else [],
        "participant_count": len(participants),
        "current_groups": current_groups,
        "current_score": services.current_score(current_groups, participants),
        "loose": loose,
    }
    return render(request, "intervision/groups/compose.html", context)


@login_required
def group_detail(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk)
    group = get_object_for_user(
        request.user, IntervisionGroup.objects.filter(programme=programme).select_related("programme"), pk=group_pk
    )
    can_compose = request.user.has_perm("intervision.compose_groups", programme)
    context = {"programme": programme, "group": group, "can_compose": can_compose}
    if can_compose:
        groups, _loose, result = services.current(programme)
        this = next(g for g in groups if g.pk == group.pk)
        context.update(
            members=this.people,
            other_groups=[g for g in groups if g.pk != group.pk],
            result=result,
            manager_pairs=_manager_pairs(result, this.people + [m for g in groups for m in g.people]),
            wishes_not_met=sum(1 for issue in result.unmet if issue.code != "manager_together"),
        )
    else:
        context["members"] = sorted(
            (member.membership for member in group.members.select_related("membership__user")),
            key=services._name_key,
        )
    return render(request, "intervision/groups/detail.html", context)


def _manager_pairs(result, memberships: list[Membership]) -> list[tuple[Membership, Membership]]:
    by_pk = {m.pk: m for m in memberships}
    return [(by_pk[i.a], by_pk[i.b]) for i in result.unmet if i.code == "manager_together"]


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """HR and coaches move one participant to another group; the new mix score is shown."""
    programme = access_programme(request.user, pk, perm="intervision.compose_groups")
    participants = services.participants(programme)
    form = MoveForm(request.POST, participants=participants, groups=programme.intervision_groups.all())
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("intervision:compose", args=[programme.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a participant and a group."))
        return redirect(target)
    before = services.current(programme, participants)[2]
    membership = form.participants[form.cleaned_data["membership"]]
    group = form.cleaned_data["group"]
    try:
        services.move(membership, group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    after = services.current(programme, participants)[2]
    messages.success(
        request,
        _("%(person)s is now in %(group)s. Mix score: %(before)s → %(after)s.")
        % {
            "person": membership.user.get_full_name(),
            "group": group.name,
            "before": number_format(before.score, 1),
            "after": number_format(after.score, 1),
        },
    )
    wishes_before = sum(1 for i in before.unmet if i.code != "manager_together")
    wishes_after = sum(1 for i in after.unmet if i.code != "manager_together")
    if wishes_after > wishes_before:
        messages.warning(request, _("This move goes against a participant's “not with” wish."))
    return redirect(target)


@login_required
def wishes(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's private "not with" wishes (at most three): only the algorithm uses them."""
    programme = access_programme(request.user, pk, perm="intervision.state_wish")
    participants = services.participants(programme)
    mine = next(m for m in participants if m.user_id == request.user.pk)
    stated = services.wishes_of(mine)
    taken = {wish.other_id for wish in stated} | {mine.pk}
    form = WishForm(request.POST or None, choices=[m for m in participants if m.pk not in taken])
    if request.method == "POST":
        if request.POST.get("remove"):
            if services.remove_wish(mine, int(request.POST["remove"]) if request.POST["remove"].isdigit() else 0):
                messages.success(request, _("Wish removed."))
            return redirect("intervision:wishes", pk=programme.pk)
        if form.is_valid():
            try:
                services.state_wish(mine, form.memberships[form.cleaned_data["other"]])
            except ValidationError as error:
                form.add_error("other", error)
            else:
                messages.success(request, _("Wish saved. Only the group composition uses it."))
                return redirect("intervision:wishes", pk=programme.pk)
    context = {
        "programme": programme,
        "form": form,
        "stated": stated,
        "max_wishes": services.MAX_WISHES,
        "can_add": len(stated) < services.MAX_WISHES,
    }
    return render(request, "intervision/groups/wishes.html", context)
