"""The live session guide (issue 6): the facilitator runs the method one step at a time.

Every state change takes a row lock on the session, so two clicks on "Next step" at the
same moment cannot skip two steps. The step buttons also say from which step they were
pressed (``from_step``): a second click that arrives after the first one moved on is ignored.
Members add notes to a step and, after the session, one learning point each, which they may
add to their own learning plan as a reflection on one of their own goals.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learners import services as learner_services
from learners.models import Goal
from privacy import audit
from programmes.models import Membership

from .models import IntervisionSession, LearningPoint, MethodStep, StepNote


class LiveError(Exception):
    """A state change that does not fit the session's state (shown to the user as a message)."""


def _require(user: Any, perm: str, session: IntervisionSession) -> None:
    if not user.has_perm(perm, session):
        raise PermissionDenied


def _locked(session: IntervisionSession) -> IntervisionSession:
    """The session row, locked until the end of the transaction, copied back onto ``session``."""
    fresh = IntervisionSession.objects.unscoped().select_for_update().get(pk=session.pk)
    for name in ("status", "current_step", "step_started_at", "ended_at"):
        setattr(session, name, getattr(fresh, name))
    return session


def _positions(session: IntervisionSession) -> list[int]:
    return list(
        MethodStep.objects.unscoped()
        .filter(method_id=session.method_id)
        .order_by("position")
        .values_list("position", flat=True)
    )


def _save_state(session: IntervisionSession) -> None:
    session.save(update_fields=["status", "current_step", "step_started_at", "ended_at"])


def _stale(session: IntervisionSession, from_step: int | None) -> bool:
    """True when the click was made on a page that showed another step than the current one."""
    return from_step is not None and from_step != session.current_step


@transaction.atomic
def start(session: IntervisionSession, by: Any) -> bool:
    """Start the session at its first step; False when it was already started."""
    _require(by, "intervision.run_session", session)
    _locked(session)
    if session.status != IntervisionSession.Status.PLANNED:
        return False
    positions = _positions(session)
    if not positions:
        raise LiveError(_("This method has no steps yet."))
    session.status = IntervisionSession.Status.RUNNING
    session.current_step = positions[0]
    session.step_started_at = timezone.now()
    _save_state(session)
    return True


def _move(session: IntervisionSession, by: Any, direction: int, from_step: int | None) -> bool:
    _require(by, "intervision.run_session", session)
    _locked(session)
    if session.status != IntervisionSession.Status.RUNNING:
        raise LiveError(_("The session is not running."))
    if _stale(session, from_step):
        return False
    positions = _positions(session)
    if direction > 0:
        candidates = [position for position in positions if position > (session.current_step or 0)]
        target = candidates[0] if candidates else None
    else:
        candidates = [position for position in positions if position < (session.current_step or 0)]
        target = candidates[-1] if candidates else None
    if target is None:
        return False
    session.current_step = target
    session.step_started_at = timezone.now()
    _save_state(session)
    return True


@transaction.atomic
def next_step(session: IntervisionSession, by: Any, *, from_step: int | None = None) -> bool:
    """Go to the next step; False when there is none or the click came from an old page."""
    return _move(session, by, +1, from_step)


@transaction.atomic
def previous_step(session: IntervisionSession, by: Any, *, from_step: int | None = None) -> bool:
    """Go back one step; False when this is the first step or the click came from an old page."""
    return _move(session, by, -1, from_step)


@transaction.atomic
def end(session: IntervisionSession, by: Any) -> bool:
    """End the session; False when it had already ended."""
    _require(by, "intervision.run_session", session)
    _locked(session)
    if session.status == IntervisionSession.Status.ENDED:
        return False
    if session.status != IntervisionSession.Status.RUNNING:
        raise LiveError(_("Start the session before you end it."))
    session.status = IntervisionSession.Status.ENDED
    session.ended_at = timezone.now()
    _save_state(session)
    return True


def add_note(session: IntervisionSession, user: Any, position: int, text: str) -> StepNote:
    """A member's note on one step of a session that has started."""
    _require(user, "intervision.view_intervisionsession", session)
    if session.status == IntervisionSession.Status.PLANNED:
        raise LiveError(_("Notes can be added once the session has started."))
    if position not in _positions(session):
        raise LiveError(_("This method has no such step."))
    return StepNote.objects.create(session=session, position=position, text=text.strip(), author=user)


def add_learning_point(session: IntervisionSession, user: Any, text: str) -> LearningPoint:
    """A member's learning point after the session: one per member, written again to change it."""
    _require(user, "intervision.view_intervisionsession", session)
    if session.status != IntervisionSession.Status.ENDED:
        raise LiveError(_("Learning points are written when the session has ended."))
    point, _created = LearningPoint.objects.unscoped().update_or_create(
        session=session, user=user, defaults={"text": text.strip()}
    )
    return point


def own_goals(user: Any, session: IntervisionSession) -> Any:
    """The member's own goals in the session's programme: those a learning point may go to."""
    return (
        Goal.objects.for_organisation(user.organisation_id)
        .filter(
            membership__user=user,
            membership__role=Membership.Role.PARTICIPANT,
            membership__programme_id=session.group.programme_id,
        )
        .order_by("created_at", "pk")
    )


@transaction.atomic
def add_to_plan(learning_point: LearningPoint, goal: Goal) -> LearningPoint:
    """Add the learning point to its author's plan as a reflection on one of their own goals."""
    session = learning_point.session
    if not own_goals(learning_point.user, session).filter(pk=goal.pk).exists():
        raise PermissionDenied
    if learning_point.reflection_id:
        raise LiveError(_("This learning point is already in your plan."))
    case = session.case if _has_case(session) else None
    tried = (
        case.title
        if case
        else _("Intervision %(date)s") % {"date": date_format(timezone.localtime(session.starts_at), "DATE_FORMAT")}
    )
    learning_point.reflection = learner_services.add_reflection(goal, tried=tried, learned=learning_point.text)
    learning_point.save(update_fields=["reflection"])
    return learning_point


def record_case_read(session: IntervisionSession, user: Any) -> None:
    """The live guide shows the session's case: opening it is recorded in the audit trail."""
    if _has_case(session):
        audit.record(user, audit.Action.VIEWED, session.case)


def _has_case(session: IntervisionSession) -> bool:
    try:
        session.case  # noqa: B018 - reaching the reverse one-to-one tells whether there is one
    except IntervisionSession.case.RelatedObjectDoesNotExist:
        return False
    return True
