"""Every kind of message the platform sends: its category and templates.

A kind's templates are ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html``
(extending ``notifications/email/base.txt`` and ``base.html``, which add the footer with
the unsubscribe link). ``prepare`` names a function called just before sending with the
notification; it returns extra context (an ``attachments`` list of (filename, content,
mimetype) included) or None when the message no longer applies (a cancelled session, an
accepted invitation), which voids it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Category


@dataclass(frozen=True)
class Kind:
    name: str
    category: Category
    template: str
    prepare: str = ""


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "invitation",
            Category.ESSENTIAL,
            "programmes/email/invitation",
            prepare="programmes.invitations.prepare_notification",
        ),
        Kind("phase_reminder", Category.PROGRAMME, "programmes/email/phase_reminder"),
        Kind(
            "harvest_invitation",
            Category.PROGRAMME,
            "programmes/email/harvest_invitation",
            prepare="programmes.reminders.prepare_harvest_invitation",
        ),
        Kind("action_due", Category.PLAN, "learners/email/action_due", prepare="learners.reminders.prepare_action"),
        Kind(
            "action_overdue",
            Category.PLAN,
            "learners/email/action_overdue",
            prepare="learners.reminders.prepare_action",
        ),
        Kind("plan_missing", Category.PLAN, "learners/email/plan_missing", prepare="learners.reminders.prepare_plan"),
        Kind("reflection_prompt", Category.REFLECTION, "learners/email/reflection_prompt"),
        Kind(
            "coaching_session_reminder",
            Category.SESSIONS,
            "coaching/email/session_reminder",
            prepare="coaching.reminders.prepare_session_reminder",
        ),
        Kind(
            "intervision_session_reminder",
            Category.SESSIONS,
            "intervision/email/session_reminder",
            prepare="intervision.reminders.prepare_session_reminder",
        ),
        Kind(
            "intervision_case_reminder",
            Category.SESSIONS,
            "intervision/email/case_reminder",
            prepare="intervision.reminders.prepare_case_reminder",
        ),
        Kind("coach_digest", Category.DIGESTS, "coaching/email/coach_digest"),
        Kind("forum_digest", Category.DIGESTS, "coaching/email/forum_digest"),
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
]
HOURLY_PLANNERS = [
    "coaching.reminders.plan_session_reminders",
    "intervision.reminders.plan_session_reminders",
    "intervision.reminders.plan_case_reminders",
]
