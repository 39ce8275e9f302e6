"""Best practices of the organisation: search and filter them, read one, share one, edit one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leertraject.access import get_object_for_user, require_perm

from . import best_practices, selectors
from .action_forms import BestPracticeForm, BestPracticeSearchForm
from .models import BestPractice

PER_PAGE = 20


def _practice(request: HttpRequest, practice_pk: int, *, perm: str | None = None) -> BestPractice:
    queryset = selectors.organisation_best_practices(request.user)
    return get_object_for_user(request.user, queryset, perm=perm, pk=practice_pk)


@require_perm("coaching.browse_bestpractices")
def practice_list(request: HttpRequest) -> HttpResponse:
    search = BestPracticeSearchForm(request.GET)
    query, tag = "", ""
    if search.is_valid():
        query, tag = search.cleaned_data["q"], search.cleaned_data["tag"]
    practices = best_practices.with_tag(selectors.organisation_best_practices(request.user), tag)
    practices = best_practices.search(practices, query)
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "tag": tag,
        "tags": selectors.best_practice_tags(request.user),
        "searching": bool(query or tag),
        "can_add": request.user.has_perm("coaching.add_bestpractice"),
    }
    return render(request, "coaching/best_practices/list.html", context)


@login_required
def practice_detail(request: HttpRequest, practice_pk: int) -> HttpResponse:
    practice = _practice(request, practice_pk)
    context = {"practice": practice, "can_change": request.user.has_perm("coaching.change_bestpractice", practice)}
    return render(request, "coaching/best_practices/detail.html", context)


@login_required
def practice_edit(request: HttpRequest, practice_pk: int | None = None) -> HttpResponse:
    if practice_pk:
        practice = _practice(request, practice_pk, perm="coaching.change_bestpractice")
    else:
        if not request.user.has_perm("coaching.add_bestpractice"):
            raise PermissionDenied
        practice = BestPractice(organisation_id=request.user.organisation_id, created_by=request.user)
    for_organisation = request.user.has_perm("coaching.share_bestpractice_for_organisation")
    communities = selectors.shareable_communities(request.user, every=for_organisation)
    initial = {}
    if not practice.pk and request.method == "GET":
        chosen = best_practices.suggested_community(
            request.user, communities, request.GET.get("community", ""), only_one=not for_organisation
        )
        initial["community"] = chosen.pk if chosen else None
    form = BestPracticeForm(
        request.POST or None,
        instance=practice,
        initial=initial,
        communities=communities,
        community_required=not for_organisation,
    )
    if request.method == "POST" and form.is_valid():
        saved = best_practices.save_best_practice(form.save(commit=False), by=request.user)
        messages.success(request, _("Best practice “%(title)s” saved.") % {"title": saved.title})
        return redirect("best_practices:detail", saved.pk)
    context = {"practice": practice if practice.pk else None, "form": form}
    return render(request, "coaching/best_practices/form.html", context)
