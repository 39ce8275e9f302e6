"""Retention: personal data of closed programmes is erased after the organisation's retention period.

An organisation sets ``retention_months`` (empty: keep until HR erases on request). A programme
counts as closed once its status is CLOSED, from its end date (there is no separate closing
date); its personal data is due for erasure ``retention_months`` after that end date.

- ``plan_retention`` (daily) warns the organisation's HR admins from 30 days before the due
  date, once per programme (key "programme:<pk>", occurrence "warning"). Should the daily run
  miss the exact day, the next run still warns, as long as the due date has not passed.
- ``apply_retention`` (daily) erases, as ``erasure.erase`` does on request, the participants of
  programmes past their due date. Someone who also takes part in another programme that is
  not yet due (a draft, a running one, a closed one still within its period, or a closed one of
  an organisation without a retention period) is kept: their data is still in use. Coaches,
  managers and HR admins are staff who keep working with the platform and are not erased by
  retention; HR erases them on request when they leave.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.outbox import Planned, record
from programmes.models import Membership, Programme

from .erasure import erase, is_erased

WARNING_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _closed_programmes() -> list[dict]:
    """Closed programmes of organisations with a retention period, with their due date (one query)."""
    rows = list(
        Programme.objects.unscoped()
        .filter(status=Programme.Status.CLOSED, organisation__retention_months__isnull=False)
        .values("pk", "title", "ends_on", "organisation_id", "organisation__retention_months")
    )
    for row in rows:
        row["due_on"] = add_months(row["ends_on"], row["organisation__retention_months"])
    return rows


def plan_retention(now: datetime) -> int:
    """Record ``retention_warning`` for every HR admin of an organisation with a programme due for
    erasure within 30 days (two queries and one insert)."""
    today = timezone.localdate(now)
    due = [row for row in _closed_programmes() if row["due_on"] - timedelta(days=WARNING_DAYS) <= today < row["due_on"]]
    if not due:
        return 0
    admins: dict[int, list[int]] = defaultdict(list)
    for pk, organisation in User.objects.filter(
        organisation__in={row["organisation_id"] for row in due}, is_hr_admin=True, is_active=True
    ).values_list("pk", "organisation_id"):
        admins[organisation].append(pk)
    planned = [
        Planned(
            recipient_id=admin,
            organisation_id=row["organisation_id"],
            key=f"programme:{row['pk']}",
            occurrence="warning",
            context={
                "programme": row["title"],
                "ends_on": row["ends_on"].isoformat(),
                "due_on": row["due_on"].isoformat(),
                "months": row["organisation__retention_months"],
            },
            link=reverse("programmes:detail", args=[row["pk"]]),
        )
        for row in due
        for admin in admins[row["organisation_id"]]
    ]
    return record("retention_warning", planned, now=now)


def people_due(today: date) -> list[User]:
    """Participants of programmes past their due date who are in no programme still in use."""
    past = {row["pk"] for row in _closed_programmes() if row["due_on"] <= today}
    if not past:
        return []
    candidates = Membership.objects.unscoped().filter(programme__in=past, role=Membership.Role.PARTICIPANT)
    still_in_use = Membership.objects.unscoped().filter(user__in=candidates.values("user")).exclude(programme__in=past)
    return list(
        User.objects.filter(pk__in=candidates.values("user"), is_hr_admin=False, is_staff=False)
        .exclude(pk__in=still_in_use.values("user"))
        .order_by("pk")
    )


def apply_retention(now: datetime) -> int:
    """Erase everyone ``people_due`` finds; returns how many people were erased."""
    erased = 0
    for person in people_due(timezone.localdate(now)):
        if is_erased(person):
            continue
        erase(person, by=None)
        erased += 1
    return erased
