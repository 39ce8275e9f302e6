"""Intervision sessions: planning with rotating roles and the case brought in beforehand.

Roles rotate: whoever held a role least recently (or never) is proposed for it. The case
bringer submits the case before the session starts; only the group's members ever see it, and
no mail contains it. The reminders (every member a day before, a case bringer without a case
three days before) go through the notifications outbox: see ``intervision.reminders``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from privacy import audit

from .models import Case, GroupMember, IntervisionGroup, IntervisionSession, Method

ROLES = ("case_bringer", "facilitator", "timekeeper")


class SessionError(Exception):
    """A change the session's state does not allow; the message says why."""


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


# What a plan holds besides its group: the fields a session is planned and changed with.
PLAN_FIELDS = ("method", "starts_at", "location", "online_url", "case_bringer", "facilitator", "timekeeper")


def _check_plan(group: IntervisionGroup, plan: dict[str, Any]) -> None:
    """Raise ``ValidationError`` (by field) when ``plan`` is not a valid plan for ``group``."""
    errors = plan_errors(group, **{name: value for name, value in plan.items() if name != "method"})
    if plan["method"].organisation_id != group.programme.organisation_id:
        errors["method"] = _("Choose a method of your organisation's library.")
    if errors:
        raise ValidationError(errors)


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
    plan = {
        "method": method,
        "starts_at": starts_at,
        "location": location,
        "online_url": online_url,
        "case_bringer": case_bringer,
        "facilitator": facilitator,
        "timekeeper": timekeeper,
    }
    _check_plan(group, plan)
    return IntervisionSession.objects.create(group=group, **plan)


def change_session(session: IntervisionSession, **plan: Any) -> IntervisionSession:
    """Move a planned session or change its method, place or roles (``PLAN_FIELDS``), by the rules
    of planning one.

    Raises ``SessionError`` once it has started and ``ValidationError`` (by field) for a plan that
    is not valid. Reminders already recorded for the old time are not sent (they check the time).
    """
    _refuse_unless_planned(session)
    plan = {name: plan[name] for name in PLAN_FIELDS}
    _check_plan(session.group, plan)
    for name, value in plan.items():
        setattr(session, name, value)
    session.save(update_fields=list(PLAN_FIELDS))
    return session


def cancel_session(session: IntervisionSession, *, by: Any) -> None:
    """Take a planned session off the agenda, with the case submitted for it (which the audit
    trail records, as it does any change to a case); refused once it started. Its reminders are
    not sent (they find no session)."""
    _refuse_unless_planned(session)
    with transaction.atomic():
        case = case_of(session)
        if case is not None:
            audit.record(by, audit.Action.CHANGED, case, _("Deleted with its cancelled session"))
        session.delete()


NOT_CHANGEABLE = gettext_lazy("The session has started; it can no longer be changed or cancelled.")


def is_changeable(session: IntervisionSession) -> bool:
    """Whether the session may still be moved or cancelled: until it starts."""
    return session.status == IntervisionSession.Status.PLANNED


def _refuse_unless_planned(session: IntervisionSession) -> None:
    if not is_changeable(session):
        raise SessionError(str(NOT_CHANGEABLE))


def case_of(session: IntervisionSession) -> Case | None:
    return Case.objects.for_organisation(session.group.programme.organisation_id).filter(session=session).first()


def read_case(session: IntervisionSession, user: Any) -> Case | None:
    """The session's case for a page that shows it; reading it is recorded in the audit trail."""
    case = case_of(session)
    if case is not None:
        audit.record(user, audit.Action.VIEWED, case)
    return case


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
        audit.record(user, audit.Action.CHANGED, case)
    return case
