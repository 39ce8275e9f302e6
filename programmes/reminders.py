"""Reminders about the programme's own days: the day before the start day or the harvest session,
the invitation to the harvest session with its .ics file, and its cancellation when the session
is removed.

Both planners run once a day and reach everyone in the programme (participants, learning
coaches, managers) of active programmes, with a fixed number of queries however many people
there are. A phase's start moment is part of the occurrence, so a moved day reminds and invites
again while an unchanged one never does twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from leertraject.calendar import calendar_file, current_sequence
from notifications.models import Notification
from notifications.outbox import Planned, key_pk, moment, record

from . import cancellations
from .models import Phase, Programme

REMINDED_KINDS = (Phase.Kind.KICK_OFF, Phase.Kind.HARVEST_SESSION)
# The harvest invitation goes out this many days ahead, or later for whoever joins after that.
HARVEST_INVITATION_DAYS = 21
HARVEST_CALENDAR_FILE = "oogstsessie.ics"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _phases_with_people(phases: Any) -> Any:
    """One row per phase and active person in its programme (an inactive or absent one: no user)."""
    return phases.filter(programme__status=Programme.Status.ACTIVE).values(
        "pk",
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "location",
        "online_url",
        "programme_id",
        "programme__title",
        "programme__organisation_id",
        "programme__memberships__user_id",
        "programme__memberships__user__is_active",
    )


def _recipients(rows: Any) -> list[tuple[dict[str, Any], int]]:
    """Each (phase row, person) once: someone with two roles in the programme gets one message."""
    seen: set[tuple[int, int]] = set()
    pairs = []
    for row in rows:
        user_id = row["programme__memberships__user_id"]
        if user_id is None or not row["programme__memberships__user__is_active"] or (row["pk"], user_id) in seen:
            continue
        seen.add((row["pk"], user_id))
        pairs.append((row, user_id))
    return pairs


def _about(phase: dict[str, Any], user_id: int, *, occurrence: str) -> Planned:
    """A message to ``user_id`` about ``phase`` (a row of ``_phases_with_people``)."""
    return Planned(
        recipient_id=user_id,
        organisation_id=phase["programme__organisation_id"],
        key=f"phase:{phase['pk']}",
        occurrence=occurrence,
        context={
            "programme": phase["programme__title"],
            "phase": phase["title"],
            "kind": phase["kind"],
            "starts_at": moment(phase["starts_at"]),
            "ends_at": moment(phase["ends_at"]),
            "location": phase["location"],
            "online_url": phase["online_url"],
        },
        link=reverse("programmes:detail", args=[phase["programme_id"]]),
    )


def plan_phase_reminders(now: datetime) -> int:
    """``phase_reminder`` the day before a start day or harvest session begins (local date) to
    everyone in its programme. Three queries."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    phases = Phase.objects.unscoped().filter(
        kind__in=REMINDED_KINDS,
        starts_at__gte=_start_of(tomorrow),
        starts_at__lt=_start_of(tomorrow + timedelta(days=1)),
    )
    planned = [
        _about(phase, user_id, occurrence=f"day-before-{timezone.localtime(phase['starts_at']).date().isoformat()}")
        for phase, user_id in _recipients(_phases_with_people(phases))
    ]
    return record("phase_reminder", planned, now=now)


def plan_harvest_invitations(now: datetime) -> int:
    """``harvest_invitation`` from 21 days before a harvest session until it starts, to everyone
    in its programme: whoever joins late, or a session planned late, is invited on the next run.
    The start moment is the occurrence, so a moved session invites again. Three queries."""
    last_day = timezone.localdate(now) + timedelta(days=HARVEST_INVITATION_DAYS)
    phases = Phase.objects.unscoped().filter(
        kind=Phase.Kind.HARVEST_SESSION,
        starts_at__gt=now,
        starts_at__lt=_start_of(last_day + timedelta(days=1)),
    )
    planned = [
        _about(phase, user_id, occurrence=moment(phase["starts_at"]))
        for phase, user_id in _recipients(_phases_with_people(phases))
    ]
    return record("harvest_invitation", planned, now=now)


def prepare_harvest_invitation(notification: Notification) -> dict[str, Any] | None:
    """The session in the recipient's calendar; void when it was removed or moved since (the
    planner then invites for its new moment)."""
    phase = (
        Phase.objects.unscoped()
        .select_related("programme")
        .filter(pk=key_pk(notification), kind=Phase.Kind.HARVEST_SESSION)
        .first()
    )
    if phase is None or phase.starts_at != datetime.fromisoformat(notification.occurrence):
        return None
    with translation.override(notification.recipient.language):
        summary = f"{phase.display_title} – {phase.programme.title}"
    content = calendar_file(
        uid=f"phase-{phase.pk}",
        summary=summary,
        starts_at=phase.starts_at,
        ends_at=phase.ends_at,
        sequence=current_sequence(),
        description=phase.description,
        location=", ".join(part for part in (phase.location, phase.online_url) if part),
        url=settings.SITE_URL + phase.programme.get_absolute_url(),
    )
    return {"attachments": [(HARVEST_CALENDAR_FILE, content, "text/calendar")]}


def remove_phase(phase: Phase) -> int:
    """Delete ``phase``. When it is a harvest session, everyone who was sent its invitation (and
    so has it in their agenda) is told by mail, with a file that takes it out again
    (``cancellations``); invitations not sent yet are voided when their turn comes. Returns how
    many people are told."""
    invited = (
        Notification.objects.for_organisation(phase.programme.organisation_id)
        .filter(kind="harvest_invitation", key=f"phase:{phase.pk}", status=Notification.Status.SENT)
        .filter(recipient__is_active=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        if phase.kind == Phase.Kind.HARVEST_SESSION
        else []
    )
    return cancellations.remove_and_tell(
        phase,
        kind="harvest_session_cancelled",
        people=invited,
        context={"programme": phase.programme.title, "phase": phase.display_title},
        link=reverse("programmes:detail", args=[phase.programme_id]),
    )


def prepare_harvest_cancellation(notification: Notification) -> dict[str, Any]:
    """The file that takes the removed harvest session out of the recipient's agenda."""
    context = notification.context
    with translation.override(notification.recipient.language):
        summary = f"{context['phase']} – {context['programme']}"
    content = cancellations.cancellation_file(notification, uid_prefix="phase", summary=summary)
    return {"attachments": [(HARVEST_CALENDAR_FILE, content, "text/calendar")]}
