"""Everything stored about a person (AVG art. 15): as JSON to download and as a readable page.

One query per section (about thirty) whatever the amount of data, each scoped to the person's
organisation and filtered on the person. What others wrote about them in confidence (the
coach's notes of a coaching session) is not theirs to see and stays out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from coaching.models import CoachingSession, CommunityAction, CommunityMember, CommunityProposal, FollowUp, Post, Thread
from harvest.models import Contribution, Initiative, InitiativeSignup, LearningStory, Quote, Recognition
from intervision.models import Case, GroupMember, LearningPoint, StepNote
from learners.models import (
    Action,
    Activity,
    AssessmentAnswer,
    AssessmentResponse,
    FeedbackAsk,
    Goal,
    GoalVersion,
    Reflection,
    Swot,
)
from notifications.kinds import KINDS
from notifications.models import Notification, Preference
from programmes.models import Membership, Registration

# Labels of values reached through a relation ("programme=membership__programme__title").
RELATED_LABELS: dict[str, Promise] = {
    "programme": _("programme"),
    "goal": _("goal"),
    "community": _("learning community"),
    "thread": _("thread"),
    "event": _("event"),
    "event_starts_at": _("starts at"),
    "group": _("intervision group"),
    "initiative": _("initiative"),
    "statement": _("statement"),
    "moment": _("moment"),
    "submitted_at": _("submitted at"),
    "question": _("question"),
    "asked_at": _("asked at"),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    model: type[Model]
    person: str  # the lookup that leads to the person, e.g. "goal__membership__user"
    fields: tuple[str, ...]  # "name" or "label=lookup"

    def lookups(self) -> dict[str, str]:
        pairs = (field.split("=", 1) if "=" in field else (field, field) for field in self.fields)
        return dict(pairs)


SECTIONS: tuple[Section, ...] = (
    Section(
        "programmes",
        _("Programmes"),
        Membership,
        "user",
        ("programme=programme__title", "role", "created_at"),
    ),
    Section(
        "goals",
        _("Goals"),
        Goal,
        "membership__user",
        (
            "programme=membership__programme__title",
            "title",
            "why",
            "success",
            "visibility",
            "achieved_at",
            "outcome",
            "outcome_why",
            "created_at",
            "updated_at",
        ),
    ),
    Section(
        "goal_versions",
        _("Earlier versions of goals"),
        GoalVersion,
        "goal__membership__user",
        ("goal=goal__title", "number", "saved_at", "data"),
    ),
    Section(
        "activities", _("Activities"), Activity, "goal__membership__user", ("goal=goal__title", "kind", "description")
    ),
    Section(
        "actions",
        _("Actions"),
        Action,
        "goal__membership__user",
        ("goal=goal__title", "description", "due_on", "done_at", "done_note"),
    ),
    Section(
        "reflections",
        _("Reflections"),
        Reflection,
        "goal__membership__user",
        ("goal=goal__title", "tried", "happened", "learned", "next_step", "created_at"),
    ),
    Section(
        "assessments",
        _("Self-assessments"),
        AssessmentAnswer,
        "response__membership__user",
        (
            "programme=response__membership__programme__title",
            "moment=response__moment",
            "submitted_at=response__submitted_at",
            "statement=item__text",
            "score",
            "text",
        ),
    ),
    Section(
        "swot",
        _("SWOT"),
        Swot,
        "membership__user",
        ("programme=membership__programme__title", "strengths", "weaknesses", "opportunities", "threats", "updated_at"),
    ),
    Section(
        "feedback_asked",
        _("Feedback you asked for"),
        FeedbackAsk,
        "request__goal__membership__user",
        (
            "goal=request__goal__title",
            "question=request__question",
            "asked_at=request__created_at",
            "name",
            "email",
            "answered_at",
            "answer",
        ),
    ),
    Section(
        "feedback_given",
        _("Feedback you gave"),
        FeedbackAsk,
        "",
        ("question=request__question", "email", "sent_at", "answered_at", "answer"),
    ),
    Section(
        "community_memberships",
        _("Learning communities"),
        CommunityMember,
        "membership__user",
        ("community=community__name", "joined_at"),
    ),
    Section(
        "community_proposals",
        _("Questions proposed for a learning community"),
        CommunityProposal,
        "proposed_by__user",
        ("question", "created_at"),
    ),
    Section(
        "threads",
        _("Forum threads you started"),
        Thread,
        "author",
        ("community=community__name", "title", "created_at"),
    ),
    Section(
        "posts",
        _("Forum messages"),
        Post,
        "author",
        ("thread=thread__title", "body", "created_at", "edited_at"),
    ),
    Section(
        "community_actions",
        _("Community actions you lead"),
        CommunityAction,
        "owner",
        ("community=community__name", "kind", "title", "description", "due_on", "status", "outcome", "outcome_reason"),
    ),
    Section(
        "community_actions_joined",
        _("Community actions you joined"),
        CommunityAction,
        "joiners",
        ("community=community__name", "title", "due_on", "status"),
    ),
    Section(
        "registrations",
        _("Event registrations"),
        Registration,
        "user",
        ("event=event__title", "event_starts_at=event__starts_at", "status", "signed_up_at", "cancelled_at"),
    ),
    Section(
        "coaching_sessions",
        _("Coaching sessions"),
        CoachingSession,
        "membership__user",
        ("status", "starts_at", "ends_at", "location", "online_url", "agenda", "request_message", "summary"),
    ),
    Section(
        "coaching_follow_ups",
        _("Follow-up actions of coaching sessions"),
        FollowUp,
        "session__membership__user",
        ("description", "due_on", "done_at"),
    ),
    Section("intervision_groups", _("Intervision groups"), GroupMember, "membership__user", ("group=group__name",)),
    Section(
        "intervision_cases",
        _("Cases you brought in"),
        Case,
        "submitted_by",
        ("title", "situation", "question", "submitted_at"),
    ),
    Section("intervision_step_notes", _("Intervision notes"), StepNote, "author", ("position", "text", "created_at")),
    Section("learning_points", _("Learning points"), LearningPoint, "user", ("text", "created_at")),
    Section(
        "harvest_contributions",
        _("Harvest contributions"),
        Contribution,
        "author",
        ("programme=programme__title", "achieved", "not_achieved", "why_not", "learned", "created_at"),
    ),
    Section("quotes", _("Quotes"), Quote, "author", ("text", "named", "consented_at", "withdrawn_at", "created_at")),
    Section(
        "learning_story",
        _("Learning story"),
        LearningStory,
        "membership__user",
        ("programme=membership__programme__title", "text", "shared", "updated_at"),
    ),
    Section(
        "initiatives", _("Initiatives you proposed"), Initiative, "proposed_by", ("title", "description", "created_at")
    ),
    Section(
        "initiative_signups",
        _("Initiatives you signed up for"),
        InitiativeSignup,
        "user",
        ("initiative=initiative__title", "created_at"),
    ),
    Section(
        "recognitions",
        _("Recognitions you received"),
        Recognition,
        "membership__user",
        ("message", "created_at"),
    ),
    Section(
        "notifications",
        _("Notifications"),
        Notification,
        "recipient",
        ("kind", "context", "status", "created_at", "sent_at", "read_at"),
    ),
    Section("preferences", _("Notification settings"), Preference, "user", ("category", "mail", "updated_at")),
)

ACCOUNT_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "job_title",
    "department",
    "language",
    "date_joined",
    "last_login",
)


def _person_filter(section: Section, user: User) -> Q:
    if section.key == "feedback_given":
        return Q(user=user) | Q(email__iexact=user.email)
    return Q(**{section.person: user})


def _rows(section: Section, user: User) -> list[dict[str, Any]]:
    lookups = section.lookups()
    queryset = (
        section.model.objects.for_organisation(user.organisation_id)
        .filter(_person_filter(section, user))
        .order_by("pk")
        .values("pk", *lookups.values())
        .distinct()
    )
    return [{label: row[lookup] for label, lookup in lookups.items()} for row in queryset]


def personal_data(user: User) -> dict[str, Any]:
    """Everything stored about ``user``, per section (see ``SECTIONS``), values as stored."""
    data: dict[str, Any] = {
        "account": {field: getattr(user, field) for field in ACCOUNT_FIELDS}
        | {"organisation": user.organisation.name if user.organisation_id else "", "hr_admin": user.is_hr_admin}
    }
    for section in SECTIONS:
        data[section.key] = _rows(section, user)
    return data


@dataclass(frozen=True)
class Item:
    label: Promise | str
    value: Any


@dataclass(frozen=True)
class ReadableSection:
    title: Promise
    records: list[list[Item]]


def _label(model: type[Model], key: str) -> Promise | str:
    if key in RELATED_LABELS:
        return RELATED_LABELS[key]
    return model._meta.get_field(key).verbose_name


def _shown(model: type[Model], key: str, value: Any) -> Any:
    if key == "moment" and value:
        return AssessmentResponse.Moment(value).label
    if model is Notification and key == "kind" and value in KINDS:
        return KINDS[value].label
    if key in RELATED_LABELS:
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=1)
    field = model._meta.get_field(key)
    if field.choices and value:
        return dict(field.flatchoices).get(value, value)
    return value


def readable(data: dict[str, Any]) -> list[ReadableSection]:
    """``personal_data`` as sections with labelled values, for the page (dates stay dates, so the
    template shows them in the reader's language)."""
    account = [Item(_label(User, key), _shown(User, key, data["account"][key])) for key in ACCOUNT_FIELDS]
    sections = [ReadableSection(_("Your account"), [account])]
    for section in SECTIONS:
        records = [
            [Item(_label(section.model, key), _shown(section.model, key, value)) for key, value in row.items()]
            for row in data[section.key]
        ]
        sections.append(ReadableSection(section.title, records))
    return sections
