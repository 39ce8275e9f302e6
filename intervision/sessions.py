"""Intervision sessions: planning with rotating roles, the case brought in beforehand, reminders.

Roles rotate: whoever held a role least recently (or never) is proposed for it. The case
bringer submits the case before the session starts; only the group's members ever see it, and
no mail contains it. A day before the session every member gets a reminder; three days before,
a case bringer who has not submitted a case yet is reminded to do so. Each reminder locks the
session's row and is marked sent in the same transaction, so a task that runs twice mails once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from leertraject.mail import send_templated

from .models import Case, GroupMember, IntervisionGroup, IntervisionSession, Method

REMIND_BEFORE = timedelta(hours=24)
CASE_REMIND_BEFORE = timedelta(days=3)
ROLES = ("case_bringer", "facilitator", "timekeeper")


class SessionError(Exception):
    """A change the session's state does not allow; the message says why."""


def session_url(session: IntervisionSession) -> str:
    return settings.SITE_URL + reverse("intervision:session_detail", args=[session.group.programme_id, session.pk])


def group_users(group: IntervisionGroup) -> list[User]:
    """The group's members as people, by name."""
    members = (
        GroupMember.objects.for_organisation(group.programme.organisation_id)
        .filter(group=group)
        .select_related("membership__user")
        .order_by("membership__user__first_name", "membership__user__last_name", "pk")
    )
    return [member.membership.user for member in members]


def suggest_roles(group: IntervisionGroup) -> dict[str, User | None]:
    """Propose case bringer, facilitator and timekeeper: for each role whoever held it least recently.

    Members who never held a role come first (by name); three different people when the group
    has at least three members. Planned sessions count, so planning ahead keeps rotating.
    """
    people = group_users(group)
    sessions = IntervisionSession.objects.for_organisation(group.programme.organisation_id).filter(group=group)
    last: dict[str, dict[int, datetime]] = {}
    for role in ROLES:
        rows = sessions.filter(**{f"{role}__isnull": False}).values(role).annotate(last=Max("starts_at"))
        last[role] = {row[role]: row["last"] for row in rows}
    never = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    suggestion: dict[str, User | None] = {}
    taken: set[int] = set()
    for role in ROLES:
        free = [person for person in people if person.pk not in taken] or people
        ranked = sorted(free, key=lambda person: last[role].get(person.pk, never))  # stable: by name
        suggestion[role] = ranked[0] if ranked else None
        if ranked:
            taken.add(ranked[0].pk)
    return suggestion


def plan_errors(
    group: IntervisionGroup,
    *,
    starts_at: datetime | None,
    location: str,
    online_url: str,
    case_bringer: Any,
    facilitator: Any,
    timekeeper: Any,
) -> dict[str, str]:
    """What is wrong with a plan, by field (empty when it is fine)."""
    errors: dict[str, str] = {}
    if starts_at and starts_at <= timezone.now():
        errors["starts_at"] = _("The session must start in the future.")
    if not location and not online_url:
        errors["location"] = _("Give a place or an online link (or both).")
    member_pks = {person.pk for person in group_users(group)}
    chosen: dict[str, Any] = {"case_bringer": case_bringer, "facilitator": facilitator, "timekeeper": timekeeper}
    for role, person in chosen.items():
        if person is None or person.pk not in member_pks:
            errors[role] = _("Choose a member of the group.")
    if errors.keys() & set(ROLES):
        return errors
    if len(member_pks) >= 3:
        if facilitator.pk == case_bringer.pk:
            errors["facilitator"] = _("The facilitator must be someone other than the case bringer.")
        if timekeeper.pk in (case_bringer.pk, facilitator.pk):
            errors["timekeeper"] = _("The timekeeper must be someone other than the case bringer and the facilitator.")
    elif facilitator.pk == case_bringer.pk and len(member_pks) > 1:
        errors["facilitator"] = _("The facilitator must be someone other than the case bringer.")
    return errors


def plan_session(
    group: IntervisionGroup,
    *,
    method: Method,
    starts_at: datetime,
    location: str = "",
    online_url: str = "",
    case_bringer: Any,
    facilitator: Any,
    timekeeper: Any,
) -> IntervisionSession:
    """Plan a session of ``group``; raises ``ValidationError`` (by field) when the plan is not valid."""
    errors = plan_errors(
        group,
        starts_at=starts_at,
        location=location,
        online_url=online_url,
        case_bringer=case_bringer,
        facilitator=facilitator,
        timekeeper=timekeeper,
    )
    if method.organisation_id != group.programme.organisation_id:
        errors["method"] = _("Choose a method of your organisation's library.")
    if errors:
        raise ValidationError(errors)
    return IntervisionSession.objects.create(
        group=group,
        method=method,
        starts_at=starts_at,
        location=location,
        online_url=online_url,
        case_bringer=case_bringer,
        facilitator=facilitator,
        timekeeper=timekeeper,
    )


def case_of(session: IntervisionSession) -> Case | None:
    return Case.objects.for_organisation(session.group.programme.organisation_id).filter(session=session).first()


def can_change_case(session: IntervisionSession) -> bool:
    return session.status == IntervisionSession.Status.PLANNED and session.starts_at > timezone.now()


def submit_case(session: IntervisionSession, user: Any, *, title: str, situation: str, question: str) -> Case:
    """The case bringer submits (or changes) the case, until the session starts."""
    if not user.is_authenticated or session.case_bringer_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = IntervisionSession.objects.unscoped().select_for_update().get(pk=session.pk)
        if not can_change_case(locked):
            raise SessionError(_("The session has started; the case can no longer be changed."))
        case = Case.objects.unscoped().filter(session=locked).first() or Case(session=locked, submitted_by=user)
        case.title, case.situation, case.question = title, situation, question
        case.save()
    return case


# --- Reminders -----------------------------------------------------------------------------------


def _mail(recipient: Any, template: str, session: IntervisionSession) -> None:
    """Mail ``recipient`` in their own language; never with the case's text."""
    context = {"recipient": recipient, "session": session, "link": session_url(session)}
    # A refused address counts as sent: a retry will not help.
    send_templated(f"intervision/email/{template}", context, to=recipient.email, language=recipient.language)


def _planned(now: datetime) -> Any:
    return IntervisionSession.objects.unscoped().filter(status=IntervisionSession.Status.PLANNED, starts_at__gt=now)


def sessions_to_remind(now: datetime | None = None) -> list[int]:
    """Planned sessions that start within a day and whose members have had no reminder yet."""
    now = now or timezone.now()
    queryset = _planned(now).filter(reminder_sent_at__isnull=True, starts_at__lte=now + REMIND_BEFORE)
    return list(queryset.order_by("starts_at", "pk").values_list("pk", flat=True))


def cases_to_remind(now: datetime | None = None) -> list[int]:
    """Planned sessions within three days without a case, whose case bringer has not been reminded."""
    now = now or timezone.now()
    queryset = _planned(now).filter(
        case_reminder_sent_at__isnull=True,
        starts_at__lte=now + CASE_REMIND_BEFORE,
        case__isnull=True,
        case_bringer__isnull=False,
    )
    return list(queryset.order_by("starts_at", "pk").values_list("pk", flat=True))


def remind_upcoming(now: datetime | None = None) -> int:
    """Queue the reminders that are due; returns how many sessions got one queued."""
    from .tasks import send_case_reminder_task, send_session_reminder_task

    session_pks, case_pks = sessions_to_remind(now), cases_to_remind(now)
    for pk in session_pks:
        send_session_reminder_task.delay(pk)
    for pk in case_pks:
        send_case_reminder_task.delay(pk)
    return len(session_pks) + len(case_pks)


def _locked(session_id: int, now: datetime, **unsent: Any) -> IntervisionSession | None:
    return (
        _planned(now)
        .select_for_update(of=("self",))
        .select_related("group__programme", "method")
        .filter(pk=session_id, **unsent)
        .first()
    )


def send_reminder(session_id: int) -> bool:
    """Remind every member of tomorrow's session, once."""
    now = timezone.now()
    with transaction.atomic():
        session = _locked(session_id, now, reminder_sent_at__isnull=True)
        if session is None:
            return False
        for person in group_users(session.group):
            _mail(person, "session_reminder", session)
        session.reminder_sent_at = now
        session.save(update_fields=["reminder_sent_at"])
    return True


def send_case_reminder(session_id: int) -> bool:
    """Remind the case bringer to submit the case, once, and only while there is none."""
    now = timezone.now()
    with transaction.atomic():
        session = _locked(session_id, now, case_reminder_sent_at__isnull=True)
        if session is None or session.case_bringer_id is None:
            return False
        if Case.objects.unscoped().filter(session=session).exists():
            return False
        _mail(User.objects.get(pk=session.case_bringer_id), "case_reminder", session)
        session.case_reminder_sent_at = now
        session.save(update_fields=["case_reminder_sent_at"])
    return True
