"""Reminders about a participant's own learning: actions due and overdue, a plan still empty, the
weekly reflection prompt.

Each planner runs once a day (``notifications.kinds.DAILY_PLANNERS``) and records what is due
*today* in the outbox, under a natural key, with a fixed number of queries however many
participants there are. A reminder belongs to one exact day: when the daily run did not happen
on that day (the beat was down), that reminder is missed rather than sent late, since "due in
two days" or "this week's reflection" is wrong a day later. The next one comes on its own day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from coaching.selectors import plans_overdue
from notifications.models import Notification
from notifications.outbox import Planned, key_pk, record
from programmes.models import Membership, Programme, day_offsets

from .models import Action
from .selectors import has_plan


def _overdue_offsets(value: str) -> list[int]:
    # A value stored around the form's validation must not stop every other programme's reminders.
    try:
        return day_offsets(value)
    except ValueError:
        return []


def plan_action_reminders(now: datetime) -> int:
    """Open actions of participants in active programmes: ``action_due`` when the action is due in
    exactly the programme's ``action_due_soon_days`` (0: none), ``action_overdue`` when it was due
    exactly one of its ``overdue_offsets`` days ago. The due date is part of the occurrence, so an
    action that was moved is reminded of again. A day this did not run is missed, not caught up
    (see the module's docstring). One query, then two per kind recorded."""
    today = timezone.localdate(now)
    actions = (
        Action.objects.unscoped()
        .filter(
            done_at__isnull=True,
            # The furthest any programme may look: 30 days ahead, 60 days back (its validators).
            due_on__range=(today - timedelta(days=60), today + timedelta(days=30)),
            goal__membership__role=Membership.Role.PARTICIPANT,
            goal__membership__programme__status=Programme.Status.ACTIVE,
            goal__membership__user__is_active=True,
        )
        .values(
            "pk",
            "description",
            "due_on",
            "goal_id",
            "goal__title",
            "goal__membership__user_id",
            "goal__membership__programme_id",
            "goal__membership__programme__title",
            "goal__membership__programme__organisation_id",
            "goal__membership__programme__action_due_soon_days",
            "goal__membership__programme__action_overdue_days",
        )
    )
    due: list[Planned] = []
    overdue: list[Planned] = []
    offsets: dict[str, list[int]] = {}
    for action in actions:
        days = (action["due_on"] - today).days
        soon = action["goal__membership__programme__action_due_soon_days"]
        setting = action["goal__membership__programme__action_overdue_days"]
        after = offsets.setdefault(setting, _overdue_offsets(setting))
        if soon and days == soon:
            due.append(_action_reminder(action, f"due-{days}-{action['due_on']}", days))
        elif -days in after:
            overdue.append(_action_reminder(action, f"overdue-{-days}-{action['due_on']}", -days))
    return record("action_due", due, now=now) + record("action_overdue", overdue, now=now)


def _action_reminder(action: dict[str, Any], occurrence: str, days: int) -> Planned:
    programme_id = action["goal__membership__programme_id"]
    return Planned(
        recipient_id=action["goal__membership__user_id"],
        organisation_id=action["goal__membership__programme__organisation_id"],
        key=f"action:{action['pk']}",
        occurrence=occurrence,
        context={
            "action": action["description"],
            "due_on": action["due_on"].isoformat(),
            "days": days,
            "goal": action["goal__title"],
            "programme": action["goal__membership__programme__title"],
        },
        link=reverse("learners:goal", args=[programme_id, action["goal_id"]]),
    )


def plan_missing_plans(now: datetime) -> int:
    """``plan_missing``, once, for participants still without a goal when their plan is due (the
    coach dashboard's definition, ``coaching.selectors.plans_overdue``). Four queries."""
    planned = [
        Planned(
            recipient_id=membership.user_id,
            organisation_id=membership.programme.organisation_id,
            key=f"membership:{membership.pk}",
            occurrence="plan-due",
            context={"programme": membership.programme.title},
            link=reverse("learners:goal_create", args=[membership.programme_id]),
        )
        for membership in plans_overdue(now)
    ]
    return record("plan_missing", planned, now=now)


def plan_reflection_prompts(now: datetime) -> int:
    """``reflection_prompt`` on each active programme's ``reflection_weekday`` (None: never) to its
    participants with at least one goal, once per day. Three queries."""
    today = timezone.localdate(now)
    participants = (
        Membership.objects.unscoped()
        .filter(
            has_plan(),
            role=Membership.Role.PARTICIPANT,
            programme__status=Programme.Status.ACTIVE,
            programme__reflection_weekday=today.weekday(),
            user__is_active=True,
        )
        .values_list("user_id", "programme_id", "programme__title", "programme__organisation_id")
    )
    planned = [
        Planned(
            recipient_id=user_id,
            organisation_id=organisation_id,
            key=f"programme:{programme_id}",
            occurrence=today.isoformat(),
            context={"programme": title},
            link=reverse("learners:plan", args=[programme_id]),
        )
        for user_id, programme_id, title, organisation_id in participants
    ]
    return record("reflection_prompt", planned, now=now)


def prepare_action(notification: Notification) -> dict[str, Any] | None:
    """Void the reminder when the action was done or removed meanwhile (one query)."""
    still_open = Action.objects.unscoped().filter(pk=key_pk(notification), done_at__isnull=True).exists()
    return {} if still_open else None


def prepare_plan(notification: Notification) -> dict[str, Any] | None:
    """Void the reminder when the participant wrote a goal meanwhile, or left the programme."""
    without_plan = Membership.objects.unscoped().filter(pk=key_pk(notification)).exclude(has_plan()).exists()
    return {} if without_plan else None
