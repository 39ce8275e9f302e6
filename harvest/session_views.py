"""The harvest session's pages: initiatives and the room screen, managers' answers, recognition.

Everyone in the programme proposes initiatives and signs up; the room screen follows by
itself (static/js/harvest-live.js polls the state). Only the programme's managers answer
and recognise: 403 for the others in the programme, 404 for everyone else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leertraject.access import get_object_for_user
from programmes.models import Programme
from programmes.permissions import access_programme

from . import answers, initiatives, recognition, session_selectors
from .models import Contribution, Initiative
from .session_forms import AnswerForm, InitiativeForm, ParticipantChoiceForm, RecognitionForm

POLL_SECONDS = 5

# --- Initiatives and the room ----------------------------------------------------------------


def _initiatives_page(request: HttpRequest, programme: Programme, form: InitiativeForm, status: int = 200) -> Any:
    context = {
        "programme": programme,
        "rows": session_selectors.initiative_rows(programme, request.user),
        "form": form,
    }
    return render(request, "harvest/initiatives.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_list(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        programme = access_programme(request.user, pk, perm="harvest.view_harvest")
        return _initiatives_page(request, programme, InitiativeForm(programme=programme))
    programme = access_programme(request.user, pk, perm="harvest.propose_initiative")
    form = InitiativeForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            initiative = initiatives.initiative_propose(
                programme=programme,
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                sign_up=form.cleaned_data["sign_up"],
            )
        except initiatives.DuplicateInitiative:
            form.add_error(
                "title",
                _("There is already an initiative called “%(title)s”: sign up for that one instead.")
                % {"title": form.cleaned_data["title"]},
            )
        else:
            messages.success(request, _("Initiative “%(title)s” is on the list.") % {"title": initiative.title})
            return redirect(_anchor(initiative))
    return _initiatives_page(request, programme, form, status=400)


def _anchor(initiative: Initiative) -> str:
    return reverse("harvest:initiatives", args=[initiative.programme_id]) + f"#initiative-{initiative.pk}"


def _initiative(request: HttpRequest, pk: int, initiative_pk: int) -> Initiative:
    queryset = Initiative.objects.filter(programme_id=pk).select_related("programme")
    return get_object_for_user(request.user, queryset, perm="harvest.sign_up_initiative", pk=initiative_pk)


@login_required
@require_POST
def sign_up(request: HttpRequest, pk: int, initiative_pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, initiative_pk)
    if initiatives.signup_create(initiative=initiative, user=request.user):
        messages.success(request, _("You are signed up for “%(title)s”.") % {"title": initiative.title})
    else:
        messages.info(request, _("You were already signed up for “%(title)s”.") % {"title": initiative.title})
    return redirect(_anchor(initiative))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, initiative_pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, initiative_pk)
    if initiatives.signup_withdraw(initiative=initiative, user=request.user):
        messages.success(request, _("You are no longer signed up for “%(title)s”.") % {"title": initiative.title})
    else:
        messages.info(request, _("You were not signed up for “%(title)s”.") % {"title": initiative.title})
    return redirect(_anchor(initiative))


@login_required
@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="harvest.view_harvest")
    context = {
        "programme": programme,
        "rows": session_selectors.initiative_rows(programme),
        "version": session_selectors.room_version(programme),
        "state_url": reverse("harvest:initiatives_state", args=[programme.pk]),
        "sign_up_url": request.build_absolute_uri(reverse("harvest:initiatives", args=[programme.pk])),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "harvest/room.html", context)


@never_cache
@login_required
@require_GET
def initiatives_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's state as JSON; 304 without the lists when the screen already shows this version."""
    programme = access_programme(request.user, pk, perm="harvest.view_harvest")
    version = session_selectors.room_version(programme)
    etag = f'"{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = JsonResponse(session_selectors.room_state(programme, version))
    response["ETag"] = etag
    return response


# --- Answers ---------------------------------------------------------------------------------


def _contribution(request: HttpRequest, programme: Programme, value: str | None) -> Contribution | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    queryset = Contribution.objects.filter(programme=programme).select_related("community")
    return get_object_for_user(request.user, queryset, pk=int(value))


@login_required
@require_http_methods(["GET", "POST"])
def answer_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="harvest.answer")
    contribution = _contribution(request, programme, request.GET.get("contribution"))
    if contribution is not None and (existing := contribution.answers.first()) is not None:
        messages.info(request, _("This harvest item has an answer already; you can change it here."))
        return redirect("harvest:answer_edit", programme.pk, existing.pk)
    today = timezone.localdate()
    form = AnswerForm(request.POST or None, programme=programme, today=today, about_theme=contribution is None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = answers.answer_create(
                programme=programme,
                by=request.user,
                contribution=contribution,
                theme=form.cleaned_data.get("theme", ""),
                decision=form.cleaned_data["decision"],
                act_by=form.cleaned_data["act_by"],
                text=form.cleaned_data["text"],
            )
        except answers.AlreadyAnswered as error:
            messages.info(request, _("This harvest item has an answer already; you can change it here."))
            return redirect("harvest:answer_edit", programme.pk, error.answer.pk)
        messages.success(request, _("Your answer is saved. Every participant of the programme is notified."))
        return redirect("harvest:answer_edit", programme.pk, answer.pk)
    context = {"programme": programme, "contribution": contribution, "form": form, "answer": None}
    return render(request, "harvest/answer_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    queryset = session_selectors.answers_of_programme(request.user.organisation_id, pk)
    answer = get_object_for_user(request.user, queryset, perm="harvest.change_answer", pk=answer_pk)
    form = AnswerForm(
        request.POST or None,
        programme=answer.programme,
        today=timezone.localdate(),
        about_theme=False,
        answer=answer,
    )
    if request.method == "POST" and form.is_valid():
        changed = answers.answer_change(
            answer=answer,
            by=request.user,
            decision=form.cleaned_data["decision"],
            act_by=form.cleaned_data["act_by"],
            text=form.cleaned_data["text"],
        )
        if changed:
            messages.success(
                request, _("Your answer is changed. The earlier version stays visible and participants are notified.")
            )
        else:
            messages.info(request, _("Nothing changed, so nothing was saved and nobody was notified."))
        return redirect("harvest:answer_edit", answer.programme_id, answer.pk)
    context = {
        "programme": answer.programme,
        "contribution": answer.contribution,
        "form": form,
        "answer": answer,
    }
    return render(request, "harvest/answer_form.html", context, status=400 if form.errors else 200)


# --- Recognition -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def recognise(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm="harvest.give_recognition")
    direct, others = session_selectors.recognisable_participants(programme, request.user)
    posted = request.method == "POST"
    chosen = request.POST if posted else (request.GET if "participant" in request.GET else None)
    chooser = ParticipantChoiceForm(chosen, direct=direct, others=others)
    form = None
    membership = chooser.cleaned_data["participant"] if chooser.is_valid() else None
    if membership is not None:
        goals = session_selectors.visible_goals(membership, request.user)
        form = RecognitionForm(
            request.POST if posted else None,
            organisation_id=programme.organisation_id,
            goals=goals,
            actions=session_selectors.actions_of(goals),
        )
        if posted and form.is_valid():
            recognition.recognition_give(
                membership=membership,
                by=request.user,
                message=form.cleaned_data["message"],
                goal=form.cleaned_data.get("goal"),
                action=form.cleaned_data.get("action"),
            )
            messages.success(
                request,
                _("Your recognition is sent to %(name)s.") % {"name": membership.user.get_full_name()},
            )
            return redirect("harvest:recognise", programme.pk)
    context = {
        "programme": programme,
        "chooser": chooser,
        "membership": membership,
        "form": form,
        "given": session_selectors.given_recognitions(programme, request.user),
        "has_participants": bool(direct or others),
    }
    invalid = chooser.errors or (form is not None and form.errors)
    return render(request, "harvest/recognise.html", context, status=400 if invalid else 200)
