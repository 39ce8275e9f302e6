"""Every kind of message the platform sends: its category and templates.

A kind's templates are ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html``
(extending ``notifications/email/base.txt`` and ``base.html``, which add the footer with
the unsubscribe link). ``prepare`` names a function called just before sending with the
notification; it returns extra context (an ``attachments`` list of (filename, content,
mimetype) included) or None when the message no longer applies (a cancelled session, an
accepted invitation), which voids it. ``failed`` names a function called with the notification
when it is given up as FAILED (an invitation then shows as not delivered).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Category


@dataclass(frozen=True)
class Kind:
    name: str
    category: Category
    template: str
    prepare: str = ""
    failed: str = ""
    label: str | Promise = field(kw_only=True)  # what HR and the admin site call it


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "invitation",
            Category.ESSENTIAL,
            "programmes/email/invitation",
            prepare="programmes.invitations.prepare_notification",
            failed="programmes.invitations.mark_undelivered",
            label=_("Invitation to a programme"),
        ),
        Kind(
            "phase_reminder",
            Category.PROGRAMME,
            "programmes/email/phase_reminder",
            label=_("Reminder of a programme day"),
        ),
        Kind(
            "event_cancelled",
            Category.ESSENTIAL,
            "programmes/email/event_cancelled",
            prepare="programmes.events.prepare_cancellation",
            label=_("An event one signed up for is removed"),
        ),
        Kind(
            "harvest_invitation",
            Category.PROGRAMME,
            "programmes/email/harvest_invitation",
            prepare="programmes.reminders.prepare_harvest_invitation",
            label=_("Invitation to the harvest"),
        ),
        Kind(
            "harvest_session_cancelled",
            Category.ESSENTIAL,
            "programmes/email/harvest_session_cancelled",
            prepare="programmes.reminders.prepare_harvest_cancellation",
            label=_("The harvest session one was invited to is removed"),
        ),
        Kind(
            "action_due",
            Category.PLAN,
            "learners/email/action_due",
            prepare="learners.reminders.prepare_action",
            label=_("Action almost due"),
        ),
        Kind(
            "action_overdue",
            Category.PLAN,
            "learners/email/action_overdue",
            prepare="learners.reminders.prepare_action",
            label=_("Action overdue"),
        ),
        Kind(
            "plan_missing",
            Category.PLAN,
            "learners/email/plan_missing",
            prepare="learners.reminders.prepare_plan",
            label=_("Learning plan still empty"),
        ),
        Kind(
            "reflection_prompt",
            Category.REFLECTION,
            "learners/email/reflection_prompt",
            label=_("Weekly reflection prompt"),
        ),
        Kind(
            "coaching_session_reminder",
            Category.SESSIONS,
            "coaching/email/session_reminder",
            prepare="coaching.reminders.prepare_session_reminder",
            label=_("Coaching session reminder"),
        ),
        Kind(
            "intervision_session_reminder",
            Category.SESSIONS,
            "intervision/email/session_reminder",
            prepare="intervision.reminders.prepare_session_reminder",
            label=_("Intervision session reminder"),
        ),
        Kind(
            "intervision_case_reminder",
            Category.SESSIONS,
            "intervision/email/case_reminder",
            prepare="intervision.reminders.prepare_case_reminder",
            label=_("Reminder to bring a case"),
        ),
        Kind(
            "harvest_answer", Category.PROGRAMME, "harvest/email/answer", label=_("A manager's answer to the harvest")
        ),
        Kind("recognition", Category.PLAN, "harvest/email/recognition", label=_("Positive attention from a manager")),
        Kind(
            "retention_warning",
            Category.ESSENTIAL,
            "privacy/email/retention_warning",
            label=_("Personal data will be erased in 30 days"),
        ),
        Kind("coach_digest", Category.DIGESTS, "coaching/email/coach_digest", label=_("Weekly overview for coaches")),
        Kind("forum_digest", Category.DIGESTS, "coaching/email/forum_digest", label=_("Forum digest")),
    ]
}

# Run by the periodic tasks: each takes ``now`` and records what is due (see outbox.record).
DAILY_PLANNERS = [
    "learners.reminders.plan_action_reminders",
    "learners.reminders.plan_missing_plans",
    "learners.reminders.plan_reflection_prompts",
    "programmes.reminders.plan_phase_reminders",
    "programmes.reminders.plan_harvest_invitations",
    "coaching.reminders.plan_coach_digests",
    "coaching.reminders.plan_forum_digests",
    "privacy.retention.plan_retention",
]
HOURLY_PLANNERS = [
    "coaching.reminders.plan_session_reminders",
    "intervision.reminders.plan_session_reminders",
    "intervision.reminders.plan_case_reminders",
]
