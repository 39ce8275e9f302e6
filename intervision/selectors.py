"""Reads about intervision: a fixed number of queries per page, whatever the number of people."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from programmes.models import Membership, Programme

from .models import GroupMember, IntervisionGroup, IntervisionSession, LearningPoint, MethodStep, StepNote


def programme_groups(programme: Programme) -> QuerySet[IntervisionGroup]:
    """The programme's groups with their members (names, functions, departments)."""
    members = (
        GroupMember.objects.unscoped()
        .select_related("membership__user")
        .order_by("membership__user__first_name", "membership__user__last_name")
    )
    return (
        programme.intervision_groups.annotate(member_count=Count("members"))
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name")
    )


def group_of(user: Any, programme: Programme) -> IntervisionGroup | None:
    member = (
        GroupMember.objects.for_organisation(programme.organisation_id)
        .filter(membership__programme=programme, membership__user=user, membership__role=Membership.Role.PARTICIPANT)
        .select_related("group")
        .first()
    )
    return member.group if member else None


def sessions_that_took_place(programme: Programme) -> QuerySet[IntervisionSession]:
    """Sessions of the programme's groups: date, group, method and status only (never the case)."""
    return (
        IntervisionSession.objects.for_organisation(programme.organisation_id)
        .filter(group__programme=programme)
        .select_related("group", "method")
        .only("starts_at", "status", "group__name", "method__name", "ended_at")
        .order_by("-starts_at")
    )


# --- The live session guide (intervision/live.py) ---------------------------------------------


def live_sessions(programme_pk: int) -> QuerySet[IntervisionSession]:
    """Sessions of one programme with what the guide shows of them in the same query."""
    return IntervisionSession.objects.filter(group__programme_id=programme_pk).select_related(
        "group__programme", "method", "case", "case_bringer", "facilitator", "timekeeper"
    )


def seconds_left(session: IntervisionSession, step: MethodStep | None) -> int | None:
    """Seconds left for the current step (0 when its time is up); None when no step runs."""
    if session.status != IntervisionSession.Status.RUNNING or step is None or session.step_started_at is None:
        return None
    passed = (timezone.now() - session.step_started_at).total_seconds()
    return max(0, int(step.minutes * 60 - passed))


def live_version(session: IntervisionSession) -> str:
    """Changes whenever the facilitator starts, moves or ends: members' pages re-render then."""
    started = int(session.step_started_at.timestamp() * 1000) if session.step_started_at else 0
    return f"{session.status}-{session.current_step or 0}-{started}"


@dataclass
class GuideStep:
    step: MethodStep
    number: int
    is_current: bool
    is_done: bool
    notes: list[StepNote] = field(default_factory=list)


@dataclass
class Guide:
    """Everything the guide page shows of one session: three queries, whatever the size."""

    session: IntervisionSession
    steps: list[GuideStep]
    current: GuideStep | None
    seconds_left: int | None
    version: str
    learning_points: list[LearningPoint]
    my_point: LearningPoint | None

    @property
    def step_count(self) -> int:
        return len(self.steps)

    @property
    def clock(self) -> str:
        """The seconds left as mm:ss, as the countdown shows them."""
        left = self.seconds_left or 0
        return f"{left // 60:02d}:{left % 60:02d}"

    @property
    def minutes_left(self) -> int:
        return -(-(self.seconds_left or 0) // 60)

    @property
    def is_first(self) -> bool:
        return bool(self.current and self.current.number == 1)

    @property
    def is_last(self) -> bool:
        return bool(self.current and self.current.number == len(self.steps))


def guide(session: IntervisionSession, user: Any) -> Guide:
    steps = list(session.method.steps.order_by("position", "pk"))
    notes: dict[int, list[StepNote]] = defaultdict(list)
    for note in session.notes.select_related("author").order_by("created_at", "pk"):
        notes[note.position].append(note)
    rows, current = [], None
    for number, step in enumerate(steps, start=1):
        is_current = session.status == IntervisionSession.Status.RUNNING and step.position == session.current_step
        is_done = session.status == IntervisionSession.Status.ENDED or (
            session.current_step is not None and step.position < session.current_step
        )
        row = GuideStep(step=step, number=number, is_current=is_current, is_done=is_done, notes=notes[step.position])
        rows.append(row)
        if is_current:
            current = row
    points = list(
        session.learning_points.select_related("user", "reflection__goal__membership").order_by("created_at", "pk")
    )
    return Guide(
        session=session,
        steps=rows,
        current=current,
        seconds_left=seconds_left(session, current.step if current else None),
        version=live_version(session),
        learning_points=points,
        my_point=next((point for point in points if point.user_id == user.pk), None),
    )


def current_step(session: IntervisionSession) -> tuple[MethodStep | None, int, int]:
    """The running step, its number and the number of steps (one query), for the state endpoint."""
    steps = list(session.method.steps.order_by("position", "pk"))
    for number, step in enumerate(steps, start=1):
        if session.status == IntervisionSession.Status.RUNNING and step.position == session.current_step:
            return step, number, len(steps)
    return None, 0, len(steps)


# --- Method library and the sessions of a group (method_views, session_views) ---------------------


def method_library(organisation_id: int, language: str) -> list[Any]:
    """The organisation's methods in ``language`` with their number of steps and total minutes."""
    from django.db.models import Sum

    from .models import Method

    return list(
        Method.objects.for_organisation(organisation_id)
        .filter(language=language)
        .annotate(step_count=Count("steps"), minutes=Sum("steps__minutes"))
        .order_by("name")
    )


def group_sessions(group: IntervisionGroup) -> QuerySet[IntervisionSession]:
    """The group's sessions, newest first, with method, roles and whether a case was submitted."""
    from django.db.models import Exists, OuterRef

    from .models import Case

    return (
        IntervisionSession.objects.for_organisation(group.programme.organisation_id)
        .filter(group=group)
        .select_related("method", "case_bringer", "facilitator", "timekeeper")
        .annotate(has_case=Exists(Case.objects.unscoped().filter(session=OuterRef("pk"))))
        .order_by("-starts_at", "-pk")
    )
