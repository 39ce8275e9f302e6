"""What the intervision app puts in the notifications outbox: the session and case reminders.

- A day before a planned session every member of its group is reminded.
- Three days before, a case bringer who has not submitted a case yet is asked to do so.

Both are planned hourly under the session's start as occurrence: a session that moves reminds
again, and a reminder of a session that ended or moved before it went out is voided, as is a
case reminder when the case arrived meanwhile. No context or mail holds the case's text.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse

from notifications.models import Notification
from notifications.outbox import Planned, key_pk, moment, record

from .models import Case, IntervisionSession

REMIND_BEFORE = timedelta(hours=24)
CASE_REMIND_BEFORE = timedelta(days=3)


def _planned(now: datetime, remind_before: timedelta) -> Any:
    return IntervisionSession.objects.unscoped().filter(
        status=IntervisionSession.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + remind_before
    )


def _reminder(row: dict[str, Any], recipient_id: int) -> Planned:
    return Planned(
        recipient_id=recipient_id,
        organisation_id=row["group__programme__organisation_id"],
        key=f"intervision_session:{row['pk']}",
        occurrence=moment(row["starts_at"]),
        context={"group": row["group__name"], "method": row["method__name"], "starts_at": moment(row["starts_at"])},
        link=reverse("intervision:session_detail", args=[row["group__programme_id"], row["pk"]]),
    )


_FIELDS = ("pk", "starts_at", "group__name", "method__name", "group__programme_id", "group__programme__organisation_id")


def plan_session_reminders(now: datetime) -> int:
    """Record a reminder to every member of each planned session that starts within a day."""
    rows = (
        _planned(now, REMIND_BEFORE)
        .filter(group__members__membership__user__is_active=True)
        .order_by("starts_at", "pk")
        .values(*_FIELDS, "group__members__membership__user_id")
    )
    planned = [_reminder(row, row["group__members__membership__user_id"]) for row in rows]
    return record("intervision_session_reminder", planned, now=now)


def plan_case_reminders(now: datetime) -> int:
    """Record a reminder to the case bringer of each planned session within three days without a case."""
    rows = (
        _planned(now, CASE_REMIND_BEFORE)
        .filter(case__isnull=True, case_bringer__isnull=False, case_bringer__is_active=True)
        .order_by("starts_at", "pk")
        .values(*_FIELDS, "case_bringer_id")
    )
    planned = [_reminder(row, row["case_bringer_id"]) for row in rows]
    return record("intervision_case_reminder", planned, now=now)


def _session(notification: Notification) -> IntervisionSession | None:
    """The planned session a reminder is about, unless it ended or moved meanwhile."""
    pk = key_pk(notification)
    session = (
        IntervisionSession.objects.unscoped()
        .filter(pk=pk, status=IntervisionSession.Status.PLANNED)
        .select_related("group", "method")
        .first()
    )
    if session is None or session.starts_at != datetime.fromisoformat(notification.occurrence):
        return None
    return session


def prepare_session_reminder(notification: Notification) -> dict[str, Any] | None:
    """The session (place, online link); None when it ended or moved."""
    session = _session(notification)
    return {"session": session} if session else None


def prepare_case_reminder(notification: Notification) -> dict[str, Any] | None:
    """The session; None when it ended or moved, the case arrived or the recipient no longer
    brings it."""
    session = _session(notification)
    if session is None or session.case_bringer_id != notification.recipient_id:
        return None
    if Case.objects.unscoped().filter(session=session).exists():
        return None
    return {"session": session}
