"""Demo notifications for Rotterdam: what the outbox sent Fatima and her coach Joost in the past weeks
(the start day, her coaching session, the weekly reflection, an overdue action, Joost's weekly overview),
and one reminder that could not be delivered, which HR sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.demo import DemoWorld
from accounts.models import User
from coaching.models import CoachingSession
from coaching.selectors import stalled_by_coach
from learners.models import Action
from programmes.models import Phase, Programme

from .models import Notification
from .outbox import Planned, record

REFUSED = "The mail server refused the address."


@dataclass
class DemoMessage:
    kind: str
    planned: Planned
    at: datetime
    status: str = Notification.Status.SENT
    read: bool = False


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def seed(world: DemoWorld) -> None:
    rotterdam = world["rotterdam"]
    people = rotterdam.people
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam.organisation, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    fatima, joost = people["participant"], people["coach"]
    now = timezone.now()
    messages = [
        *_start_day(networkers, [(fatima, Notification.Status.SENT), (people["p7"], Notification.Status.FAILED)]),
        *_session_reminder(networkers, fatima),
        *_overdue_action(networkers, fatima, now),
        *_coach_digest(networkers, joost, now),
        DemoMessage(
            "reflection_prompt",
            Planned(
                fatima.pk,
                networkers.organisation_id,
                f"programme:{networkers.pk}",
                (timezone.localdate(now) - timedelta(days=2)).isoformat(),
                {"programme": networkers.title},
                reverse("learners:plan", args=[networkers.pk]),
            ),
            now - timedelta(days=2),
        ),
    ]
    for message in messages:
        if message.at < now:
            _record(message)


def _record(message: DemoMessage) -> None:
    """Record one message as the outbox would have, once: a person who has any message under its
    key (from an earlier run, or from the real planners) gets none from the demo."""
    planned = message.planned
    rows = Notification.objects.for_organisation(planned.organisation_id).filter(
        recipient_id=planned.recipient_id, kind=message.kind, key=planned.key
    )
    if rows.exists():
        return
    record(message.kind, [planned], now=message.at)
    failed = message.status == Notification.Status.FAILED
    rows.update(
        status=message.status,
        attempts=1,
        sent_at=None if failed else message.at,
        last_error=REFUSED if failed else "",
        read_at=message.at + timedelta(hours=3) if message.read else None,
    )


def _start_day(programme: Programme, recipients: list[tuple[User, str]]) -> list[DemoMessage]:
    """The reminder the day before the start day: read by Fatima, refused by Wouter's mail server."""
    phase = Phase.objects.unscoped().filter(programme=programme, kind=Phase.Kind.KICK_OFF).first()
    if phase is None:
        return []
    day = timezone.localtime(phase.starts_at).date()
    context = {
        "programme": programme.title,
        "phase": phase.title,
        "kind": phase.kind,
        "starts_at": _moment(phase.starts_at),
        "ends_at": _moment(phase.ends_at) if phase.ends_at else "",
        "location": phase.location,
        "online_url": phase.online_url,
    }
    link = reverse("programmes:detail", args=[programme.pk])
    return [
        DemoMessage(
            "phase_reminder",
            Planned(user.pk, programme.organisation_id, f"phase:{phase.pk}", f"day-before-{day}", context, link),
            _at(day - timedelta(days=1), 7),
            status=status,
            read=status == Notification.Status.SENT,
        )
        for user, status in recipients
    ]


def _session_reminder(programme: Programme, participant: User) -> list[DemoMessage]:
    """The reminder a day before Fatima's coaching session with Joost, which has taken place."""
    session = (
        CoachingSession.objects.unscoped()
        .filter(membership__programme=programme, membership__user=participant, status=CoachingSession.Status.HELD)
        .select_related("coach")
        .first()
    )
    if session is None or session.starts_at is None:
        return []
    context = {
        "starts_at": _moment(session.starts_at),
        "ends_at": _moment(session.ends_at) if session.ends_at else "",
        "coach": session.coach.get_full_name(),
    }
    link = reverse("coaching_sessions:detail", args=[programme.pk, session.pk])
    planned = Planned(
        participant.pk,
        programme.organisation_id,
        f"coaching_session:{session.pk}",
        _moment(session.starts_at),
        context,
        link,
    )
    return [DemoMessage("coaching_session_reminder", planned, session.starts_at - timedelta(days=1), read=True)]


def _overdue_action(programme: Programme, participant: User, now: datetime) -> list[DemoMessage]:
    """This morning's reminder of an action in Fatima's plan that is still open after its date."""
    today = timezone.localdate(now)
    action = (
        Action.objects.unscoped()
        .filter(
            goal__membership__programme=programme,
            goal__membership__user=participant,
            done_at__isnull=True,
            due_on__lt=today,
        )
        .select_related("goal")
        .order_by("due_on", "pk")
        .first()
    )
    if action is None:
        return []
    days = (today - action.due_on).days
    context = {
        "action": action.description,
        "due_on": action.due_on.isoformat(),
        "days": days,
        "goal": action.goal.title,
        "programme": programme.title,
    }
    link = reverse("learners:goal", args=[programme.pk, action.goal_id])
    planned = Planned(
        participant.pk,
        programme.organisation_id,
        f"action:{action.pk}",
        f"overdue-{days}-{action.due_on}",
        context,
        link,
    )
    return [DemoMessage("action_overdue", planned, min(_at(today, 7), now - timedelta(minutes=5)))]


def _coach_digest(programme: Programme, coach: User, now: datetime) -> list[DemoMessage]:
    """Joost's overview of Monday morning: the participants he follows who have stalled."""
    today = timezone.localdate(now)
    monday = _at(today - timedelta(days=today.weekday()), 7)
    if monday > now:
        monday -= timedelta(weeks=1)
    year, week, _weekday = monday.date().isocalendar()
    return [
        DemoMessage(
            "coach_digest",
            Planned(
                coach.pk,
                programme.organisation_id,
                f"programme:{programme.pk}",
                f"{year}-W{week:02d}",
                {
                    "programme": programme.title,
                    "members": [
                        {
                            "name": member.name,
                            "idle_days": member.idle_days if member.stalled_inactive else None,
                            "no_plan_days": member.no_plan_days,
                        }
                        for member in digest.members
                    ],
                },
                reverse("coaching_sessions:dashboard", args=[programme.pk]),
            ),
            monday,
        )
        for digest in stalled_by_coach([programme], now=monday)
        if digest.coach_id == coach.pk
    ]
