"""What the coaching app puts in the notifications outbox: session reminders and two digests.

- A coaching session's participant is reminded a day before it starts (hourly planner), with
  the .ics attached. The occurrence is the start, so a moved session reminds again, and a
  reminder of a session that was cancelled or moved before it went out is voided.
- Every morning each member and coach of a community gets one digest of the forum posts of
  others the day before (``forum.digests_for``).
- On Mondays each coach of an active programme gets the participants who have stalled among
  those their dashboard shows (``selectors.stalled_by_coach``): names and reasons only.

Planners take a fixed number of queries, however many sessions, posts and participants there
are. No context or mail holds a coaching note.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.outbox import Planned, key_pk, moment, record
from programmes.models import Programme

from . import forum, selectors, sessions
from .models import CoachingSession

REMIND_BEFORE = timedelta(hours=24)


def _coach_name(row: dict[str, Any]) -> str:
    name = f"{row['coach__first_name'] or ''} {row['coach__last_name'] or ''}".strip()
    return name or row["coach__email"] or ""


# --- Session reminders -------------------------------------------------------------------------


def plan_session_reminders(now: datetime) -> int:
    """Record a reminder to the participant of each planned session that starts within a day."""
    due = (
        CoachingSession.objects.unscoped()
        .filter(
            status=CoachingSession.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + REMIND_BEFORE,
            membership__user__is_active=True,
        )
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "starts_at",
            "ends_at",
            "membership__user_id",
            "membership__programme_id",
            "membership__programme__organisation_id",
            "coach__first_name",
            "coach__last_name",
            "coach__email",
        )
    )
    planned = [
        Planned(
            recipient_id=row["membership__user_id"],
            organisation_id=row["membership__programme__organisation_id"],
            key=f"coaching_session:{row['pk']}",
            occurrence=moment(row["starts_at"]),
            context={
                "starts_at": moment(row["starts_at"]),
                "ends_at": moment(row["ends_at"]) if row["ends_at"] else "",
                "coach": _coach_name(row),
            },
            link=reverse("coaching_sessions:detail", args=[row["membership__programme_id"], row["pk"]]),
        )
        for row in due
    ]
    return record("coaching_session_reminder", planned, now=now)


def prepare_session_reminder(notification: Notification) -> dict[str, Any] | None:
    """The session (place, link, agenda) and its .ics; None when it was cancelled or moved."""
    session = (
        sessions.with_people(CoachingSession.objects.unscoped())
        .filter(pk=key_pk(notification), status=CoachingSession.Status.PLANNED)
        .first()
    )
    if session is None or session.starts_at != datetime.fromisoformat(notification.occurrence):
        return None
    return {"session": session, "attachments": [sessions.calendar_attachment(session, notification.recipient)]}


# --- The daily forum digest ----------------------------------------------------------------------


def plan_forum_digests(now: datetime) -> int:
    """Record each person's digest of yesterday's forum posts by others: one per person per day."""
    day = timezone.localdate(now) - timedelta(days=1)
    digests = forum.digests_for(day)
    if not digests:
        return 0
    people = User.objects.filter(pk__in=list(digests), is_active=True).values_list("pk", "organisation_id")
    planned = []
    for user_id, organisation_id in people.order_by("pk"):
        entries = digests[user_id]
        first = entries[0].community
        planned.append(
            Planned(
                recipient_id=user_id,
                organisation_id=organisation_id,
                key="forum",
                occurrence=day.isoformat(),
                context={
                    "day_on": day.isoformat(),
                    "post_count": sum(entry.count for entry in entries),
                    "communities": [
                        {
                            "name": entry.community.name,
                            "programme": entry.community.programme.title,
                            "threads": [
                                {"title": thread.title, "count": thread.count, "link": thread.link}
                                for thread in entry.threads
                            ],
                        }
                        for entry in entries
                    ],
                },
                link=reverse("coaching:forum", args=[first.programme_id, first.pk]),
            )
        )
    return record("forum_digest", planned, now=now)


# --- The coach's weekly digest -------------------------------------------------------------------


def _iso_week(day: date) -> str:
    """The ISO week of a day, e.g. "2026-W48"."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def plan_coach_digests(now: datetime) -> int:
    """On Mondays: record for each coach of an active programme the participants who stalled
    among those they follow, one digest per coach, programme and week."""
    today = timezone.localdate(now)
    if today.weekday() != 0:
        return 0
    programmes = Programme.objects.unscoped().filter(status=Programme.Status.ACTIVE)
    planned = [
        Planned(
            recipient_id=digest.coach_id,
            organisation_id=digest.programme.organisation_id,
            key=f"programme:{digest.programme.pk}",
            occurrence=_iso_week(today),
            context={
                "programme": digest.programme.title,
                "members": [
                    {
                        "name": member.name,
                        "idle_days": member.idle_days if member.stalled_inactive else None,
                        "no_plan_days": member.no_plan_days,
                    }
                    for member in digest.members
                ],
            },
            link=reverse("coaching_sessions:dashboard", args=[digest.programme.pk]),
        )
        for digest in selectors.stalled_by_coach(programmes, now=now)
    ]
    return record("coach_digest", planned, now=now)
