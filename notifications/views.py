"""The notification screens: a person's list and settings, the one-click unsubscribe link, HR's failed messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from leertraject.access import get_object_for_user, require_perm

from . import inbox as reading
from . import outbox, preferences, selectors
from .forms import ESSENTIAL_HELP, PreferencesForm
from .kinds import KINDS
from .models import Category, Notification

PER_PAGE = 20
FAILED_PER_PAGE = 50


@require_perm("notifications.view_inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "items": outbox.subjects_in(page.object_list, translation.get_language()),
    }
    return render(request, "notifications/inbox.html", context)


@require_perm("notifications.view_inbox")
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link: it is read from now on."""
    notification = get_object_for_user(
        request.user, selectors.inbox(request.user), perm="notifications.open_notification", pk=pk
    )
    reading.mark_read(notification)
    return redirect(reading.local_path(notification.link) or "notifications:inbox")


@require_perm("notifications.view_inbox")
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = reading.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("You had no unread notifications."))
    return redirect("notifications:inbox")


@require_perm("notifications.view_inbox")
def preferences_edit(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial=preferences.mail_settings(request.user))
    if request.method == "POST" and form.is_valid():
        for category in form.changed_data:
            preferences.set_mail(request.user, category, form.cleaned_data[category])
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "essential": Category.ESSENTIAL.label, "essential_help": ESSENTIAL_HELP}
    return render(request, "notifications/preferences.html", context)


# Mail clients confirm the link from a mail (RFC 8058) with a POST without cookies or a CSRF
# token: the signature of the link is the authority, so no sign-in and no CSRF check.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    target = selectors.unsubscribe_target(token)
    if target is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    user, category = target
    context = {"category": category.label}
    if request.method == "POST":
        preferences.set_mail(user, category, False)
        return render(request, "notifications/unsubscribed.html", context)
    return render(request, "notifications/unsubscribe.html", context)


@require_perm("notifications.view_failed")
def failed(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.failed_notifications(request.user), FAILED_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(notification, KINDS[notification.kind].label) for notification in page.object_list]
    return render(request, "notifications/failed.html", {"page": page, "rows": rows})


@require_perm("notifications.view_failed")
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_for_user(
        request.user, Notification.objects.select_related("recipient"), perm="notifications.retry_notification", pk=pk
    )
    outbox.retry(notification)
    messages.success(
        request,
        _("The message to %(name)s is being sent again.") % {"name": notification.recipient},
    )
    return redirect("notifications:failed")
