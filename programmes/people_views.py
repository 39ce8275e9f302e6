"""HR pages for the people of a programme: enrol, import, invite, assign roles, export."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from privacy import audit

from . import enrolment, exports, invitations, selectors
from .forms import AddPersonForm, ImportForm, RoleForm
from .models import Membership, Programme
from .permissions import access_programme

CHANGE = "programmes.change_programme"
SESSION_KEY = "enrolment-import"


def _people_page(request: HttpRequest, programme: Programme, **forms: object) -> HttpResponse:
    context = {
        "programme": programme,
        "participants": selectors.programme_participants(programme),
        "staff": selectors.programme_staff(programme),
        "funnel": selectors.enrolment_funnel(programme),
        "add_form": forms.get("add_form") or AddPersonForm(),
        "import_form": forms.get("import_form") or ImportForm(),
        "role_form": forms.get("role_form") or RoleForm(organisation=programme.organisation),
    }
    return render(request, "programmes/people/people.html", context)


@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    return _people_page(request, access_programme(request.user, pk, perm=CHANGE))


@login_required
@require_POST
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    form = AddPersonForm(request.POST)
    if form.is_valid():
        row = enrolment.EnrolmentRow(line=1, **form.cleaned_data)
        check = enrolment.check_rows(programme, [row])
        if check.can_apply:
            enrolment.apply_rows(programme, check.rows, by=request.user)
            messages.success(request, _("%(name)s is enrolled.") % {"name": row.full_name})
            return redirect("programmes:people", pk=programme.pk)
        for error in row.errors:
            form.add_error(None, error)
    return _people_page(request, programme, add_form=form)


@login_required
@require_POST
def people_import(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _people_page(request, programme, import_form=form)
    upload = form.cleaned_data["file"]
    try:
        rows = enrolment.read_rows(upload.read(), upload.name)
    except enrolment.ImportFileError as error:
        form.add_error("file", str(error))
        return _people_page(request, programme, import_form=form)
    check = enrolment.check_rows(programme, rows)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "programme": programme.pk,
        "filename": upload.name,
        "rows": [row.as_dict() for row in rows],
    }
    return render(
        request,
        "programmes/people/preview.html",
        {"programme": programme, "check": check, "token": token, "filename": upload.name},
    )


@login_required
@require_POST
def people_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    stored = request.session.get(SESSION_KEY) or {}
    if stored.get("token") != request.POST.get("token") or stored.get("programme") != programme.pk:
        messages.error(request, _("This import has expired or was already done. Upload the file again."))
        return redirect("programmes:people", pk=programme.pk)
    rows = enrolment.rows_from_dicts(stored["rows"])
    try:
        result = enrolment.apply_rows(programme, rows, by=request.user)
    except ValidationError:
        check = enrolment.check_rows(programme, rows)
        messages.error(request, _("The file has problems; nothing was saved. Correct them and upload it again."))
        context = {"programme": programme, "check": check, "token": stored["token"], "filename": stored["filename"]}
        return render(request, "programmes/people/preview.html", context)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Import done: %(enrolled)d enrolled, %(created)d new accounts, %(updated)d people updated.")
        % {"enrolled": result.enrolled, "created": result.created, "updated": result.updated},
    )
    return redirect("programmes:people", pk=programme.pk)


@login_required
@require_POST
def people_invite(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    count = invitations.invite_everyone_not_invited(programme)
    if count:
        messages.success(request, _("%(count)d invitations are being sent.") % {"count": count})
    else:
        messages.info(request, _("Everyone has been invited already."))
    return redirect("programmes:people", pk=programme.pk)


def _participant(programme: Programme, membership_pk: int) -> Membership:
    return get_object_or_404(programme.memberships, pk=membership_pk, role=Membership.Role.PARTICIPANT)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    membership = _participant(programme, membership_pk)
    if invitations.invite(programme, [membership]):
        messages.success(request, _("A new invitation is being sent to %(name)s.") % {"name": membership.user})
    else:
        messages.info(request, _("%(name)s has already accepted the invitation.") % {"name": membership.user})
    return redirect("programmes:people", pk=programme.pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    membership = _participant(programme, membership_pk)
    invitation = getattr(membership, "invitation", None)
    if invitation and not invitation.accepted_at:
        invitations.revoke(invitation)
        messages.success(request, _("The access code of %(name)s no longer works.") % {"name": membership.user})
    return redirect("programmes:people", pk=programme.pk)


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    form = RoleForm(request.POST, organisation=programme.organisation)
    if not form.is_valid():
        return _people_page(request, programme, role_form=form)
    membership, created = Membership.objects.for_organisation(programme.organisation).get_or_create(
        programme=programme, user=form.cleaned_data["user"], role=form.cleaned_data["role"]
    )
    if created:
        audit.record(
            request.user,
            audit.Action.ROLE_CHANGED,
            membership,
            _("Role added: %(role)s") % {"role": membership.get_role_display()},
        )
        messages.success(
            request, _("%(name)s is now %(role)s.") % {"name": membership.user, "role": membership.get_role_display()}
        )
    else:
        messages.info(request, _("%(name)s already has this role.") % {"name": membership.user})
    return redirect("programmes:people", pk=programme.pk)


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    membership = get_object_or_404(
        programme.memberships, pk=membership_pk, role__in=[Membership.Role.COACH, Membership.Role.MANAGER]
    )
    audit.record(
        request.user,
        audit.Action.ROLE_CHANGED,
        membership,
        _("Role removed: %(role)s") % {"role": membership.get_role_display()},
    )
    membership.delete()
    messages.success(
        request, _("%(name)s is no longer %(role)s.") % {"name": membership.user, "role": membership.get_role_display()}
    )
    return redirect("programmes:people", pk=programme.pk)


@login_required
def people_export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    programme = access_programme(request.user, pk, perm=CHANGE)
    if extension not in ("csv", "xlsx"):
        raise Http404
    rows = exports.participant_rows(programme)
    filename = f"{slugify(programme.title)[:60] or 'leertraject'}-{_('participants')}.{extension}"
    if extension == "xlsx":
        content = exports.as_xlsx(rows, title=_("Participants"))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = exports.as_csv(rows)
        content_type = "text/csv; charset=utf-8"
    audit.record(
        request.user,
        audit.Action.EXPORTED,
        programme,
        _("Participant list (%(format)s)") % {"format": extension.upper()},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def invitation(request: HttpRequest, code: str) -> HttpResponse:
    """The public page behind a personal access code: choose a password and join."""
    found = invitations.find_invitation(code)
    if found is None:
        return render(request, "programmes/people/invitation_invalid.html", status=404)
    user = found.membership.user
    programme = found.membership.programme
    if request.user.is_authenticated and request.user != user:
        messages.warning(request, _("This invitation is for someone else. Sign out first to accept it."))
        return redirect("home")
    if user.has_usable_password():
        invitations.accept(found)
        message = _("You are enrolled in %(programme)s. Sign in with your account.") % {"programme": programme}
        messages.success(request, message)
        return redirect("account_login")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitations.accept(found, password=form.cleaned_data["new_password1"])
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Welcome! You have joined %(programme)s.") % {"programme": programme})
        return redirect(found.membership.programme)
    return render(request, "programmes/people/invitation.html", {"form": form, "invitation": found, "invitee": user})
