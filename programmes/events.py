"""Events and their waiting lists ("trainen zonder training", seed 004).

Places go first come, first served. Every change to an event's places runs with the
event's row locked, so two people can never take the last place at the same moment,
and a freed place goes to the first person on the waiting list straight away.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from leertraject import calendar as ics
from leertraject.celery import queue_after_commit
from leertraject.mail import send_templated
from notifications.models import Notification

from . import cancellations
from .models import Event, Registration


def _locked(event: Event) -> Event:
    return Event.objects.unscoped().select_for_update().select_related("programme").get(pk=event.pk)


def _check_open(event: Event) -> None:
    if event.has_started:
        raise ValidationError(_("This event has already started; its places can no longer change."))


def sign_up(event: Event, user: Any) -> Registration:
    """A place for ``user`` if one is free, else the last place in the waiting list."""
    with transaction.atomic():
        event = _locked(event)
        _check_open(event)
        registration, _created = Registration.objects.unscoped().get_or_create(
            event=event, user=user, defaults={"status": Registration.Status.CANCELLED}
        )
        if registration.status != Registration.Status.CANCELLED:
            return registration
        taken = event.registrations.filter(status=Registration.Status.REGISTERED).count()
        registration.status = Registration.Status.REGISTERED if taken < event.capacity else Registration.Status.WAITING
        registration.signed_up_at = timezone.now()
        registration.promoted_at = None
        registration.cancelled_at = None
        registration.save()
        return registration


def cancel(event: Event, user: Any) -> Registration | None:
    """Give up a place (or a place in the waiting list); the first one waiting moves up."""
    with transaction.atomic():
        event = _locked(event)
        _check_open(event)
        registration = event.registrations.exclude(status=Registration.Status.CANCELLED).filter(user=user).first()
        if registration is None:
            return None
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        fill_from_waiting_list(event)
        return registration


def fill_from_waiting_list(event: Event) -> list[Registration]:
    """Move people up from the waiting list while places are free; each hears so by mail."""
    with transaction.atomic():
        event = _locked(event)
        if event.has_started:
            return []
        free = event.capacity - event.registrations.filter(status=Registration.Status.REGISTERED).count()
        if free <= 0:
            return []
        promoted = list(
            event.registrations.filter(status=Registration.Status.WAITING)
            .select_related("user")
            .order_by("signed_up_at", "pk")[:free]
        )
        now = timezone.now()
        for registration in promoted:
            registration.status = Registration.Status.REGISTERED
            registration.promoted_at = now
        Registration.objects.unscoped().bulk_update(promoted, ["status", "promoted_at"])
    from .tasks import send_promotion_task

    for registration in promoted:
        queue_after_commit(send_promotion_task, registration.pk)
    return promoted


def save_event(event: Event, competencies: list[Any]) -> Event:
    """Store an event with its competencies; a larger capacity lets the waiting list move up."""
    with transaction.atomic():
        event.save()
        event.competencies.set(competencies)
        fill_from_waiting_list(event)
    return event


def send_promotion(registration_id: int) -> bool:
    """Tell someone, in their own language, that they moved up from the waiting list."""
    registration = (
        Registration.objects.unscoped()
        .select_related("user", "event__programme")
        .filter(pk=registration_id, status=Registration.Status.REGISTERED, promoted_at__isnull=False)
        .first()
    )
    if registration is None:
        return False
    user = registration.user
    context = {
        "user": user,
        "event": registration.event,
        "link": settings.SITE_URL + registration.event.get_absolute_url(),
    }
    send_templated("programmes/email/event_promotion", context, to=user.email, language=user.language)
    return True


def calendar_file(event: Event, *, url: str) -> bytes:
    """The event as an iCalendar file, for the participant's own agenda."""
    return ics.calendar_file(
        uid=f"event-{event.pk}",
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        sequence=ics.current_sequence(),
        description=event.description,
        location=", ".join(part for part in (event.location, event.online_url) if part),
        url=url,
    )


def remove(event: Event) -> int:
    """Delete ``event``. Everyone with a place or on its waiting list is told by mail, with a file
    that takes it out of their agenda (``cancellations``). Returns how many people are told."""
    people = (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(user__is_active=True)
        .values_list("user_id", flat=True)
    )
    return cancellations.remove_and_tell(
        event,
        kind="event_cancelled",
        people=people,
        context={"programme": event.programme.title, "event": event.title},
        link=reverse("programmes:events", args=[event.programme_id]),
    )


def prepare_cancellation(notification: Notification) -> dict[str, Any]:
    """The file that takes the removed event out of the recipient's agenda."""
    title = notification.context["event"]
    content = cancellations.cancellation_file(notification, uid_prefix="event", summary=title)
    return {"attachments": [(f"{slugify(title) or 'event'}.ics", content, "text/calendar")]}
