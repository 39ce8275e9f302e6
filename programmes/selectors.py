"""Reads about programmes, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Organisation

from .models import BehaviourIndicator, Competency, Event, Invitation, Membership, Phase, Programme, Registration

_ROLES_CACHE = "_programme_roles_cache"


def roles_by_programme(user: Any) -> dict[int, frozenset[str]]:
    """The user's roles per programme id, read once and kept on the user for this request."""
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        rows = (
            Membership.objects.for_organisation(user.organisation_id)
            .filter(user=user)
            .values_list("programme_id", "role")
        )
        roles: dict[int, set[str]] = {}
        for programme_id, role in rows:
            roles.setdefault(programme_id, set()).add(role)
        cached = {pk: frozenset(values) for pk, values in roles.items()}
        setattr(user, _ROLES_CACHE, cached)
    return cached


def _with_counts(queryset: QuerySet[Programme]) -> QuerySet[Programme]:
    return queryset.annotate(
        participant_count=Count("memberships", filter=Q(memberships__role=Membership.Role.PARTICIPANT)),
        coach_count=Count("memberships", filter=Q(memberships__role=Membership.Role.COACH)),
    )


def programmes_of_organisation(user: Any, *, archived: bool = False) -> QuerySet[Programme]:
    """Every current (or every archived) programme of the user's organisation, with head counts."""
    queryset = Programme.objects.for_organisation(user.organisation_id).filter(archived_at__isnull=not archived)
    return _with_counts(queryset).order_by("status", "-starts_on")


@dataclass
class ProgrammesByRole:
    """The programmes a person takes part in, coaches and manages."""

    participating: list[Programme] = field(default_factory=list)
    coaching: list[Programme] = field(default_factory=list)
    managing: list[Programme] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.participating or self.coaching or self.managing)


def programmes_by_role(user: Any) -> ProgrammesByRole:
    """The programmes the user may see, per role they hold there, in one query."""
    roles = roles_by_programme(user)
    programmes = _with_counts(
        Programme.objects.for_organisation(user.organisation_id).filter(pk__in=list(roles), archived_at__isnull=True)
    ).order_by("-starts_on", "title")
    result = ProgrammesByRole()
    for programme in programmes:
        if not user.has_perm("programmes.view_programme", programme):
            continue
        held = roles[programme.pk]
        if Membership.Role.PARTICIPANT in held:
            result.participating.append(programme)
        if Membership.Role.COACH in held:
            result.coaching.append(programme)
        if Membership.Role.MANAGER in held:
            result.managing.append(programme)
    return result


def programme_people(programme: Programme) -> QuerySet[Membership]:
    """Everyone with a role in the programme, with their names, in one query."""
    return programme.memberships.select_related("user").order_by("role", "user__last_name", "user__first_name")


def programmes_visible_to(user: Any, *, archived: bool = False) -> list[Programme]:
    """Every programme the user may open, with their own roles in ``my_roles``."""
    roles = roles_by_programme(user)
    queryset = programmes_of_organisation(user, archived=archived)
    if not user.has_perm("accounts.manage_organisation"):
        queryset = queryset.filter(pk__in=list(roles))
    visible = [programme for programme in queryset if user.has_perm("programmes.view_programme", programme)]
    for programme in visible:
        programme.my_roles = role_labels(user, programme)
    return visible


def role_labels(user: Any, programme: Programme) -> list[str]:
    """The names of the user's roles in the programme, in a fixed order."""
    held = roles_by_programme(user).get(programme.pk, ())
    return [label for role, label in Membership.Role.choices if role in held]


def programme_phases(programme: Programme) -> QuerySet[Phase]:
    """The programme's timeline in date order."""
    return programme.phases.order_by("starts_at", "pk")


def phases_outside(programme: Programme, starts_on: date, ends_on: date) -> list[Phase]:
    """The programme's phases that would not fit in the period ``starts_on`` – ``ends_on`` (local days)."""
    return [
        phase
        for phase in programme_phases(programme)
        if timezone.localtime(phase.starts_at).date() < starts_on
        or timezone.localtime(phase.ends_at or phase.starts_at).date() > ends_on
    ]


def programme_competencies(programme: Programme) -> QuerySet[Competency]:
    """The competencies the programme works on, with their behaviour indicators (two queries)."""
    # The prefetch only reads indicators of competencies already scoped through the programme.
    indicators = BehaviourIndicator.objects.unscoped().order_by("position", "pk")
    return programme.competencies.prefetch_related(Prefetch("indicators", queryset=indicators))


def competencies_of_organisation(organisation: Organisation) -> QuerySet[Competency]:
    """The organisation's competency framework, with how many indicators and programmes use each."""
    return (
        Competency.objects.for_organisation(organisation)
        .annotate(
            indicator_count=Count("indicators", distinct=True),
            programme_count=Count("programmes", distinct=True),
        )
        .order_by("name")
    )


def programme_participants(programme: Programme) -> QuerySet[Membership]:
    """Participants with their manager and invitation, in one query."""
    return (
        programme.memberships.filter(role=Membership.Role.PARTICIPANT)
        .select_related("user", "reports_to", "invitation")
        .order_by("user__last_name", "user__first_name")
    )


def programme_staff(programme: Programme) -> QuerySet[Membership]:
    """Learning coaches and managers of the programme."""
    return (
        programme.memberships.exclude(role=Membership.Role.PARTICIPANT)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )


@dataclass
class Funnel:
    enrolled: int
    invited: int
    accepted: int
    active: int


def enrolment_funnel(programme: Programme) -> Funnel:
    """How far participants got: enrolled, invited, accepted their code, active lately (one query)."""
    since = timezone.now() - timedelta(days=Invitation.ACTIVE_DAYS)
    counts = programme.memberships.filter(role=Membership.Role.PARTICIPANT).aggregate(
        enrolled=Count("pk"),
        invited=Count("pk", filter=Q(invitation__sent_at__isnull=False)),
        accepted=Count("pk", filter=Q(invitation__accepted_at__isnull=False)),
        active=Count("pk", filter=Q(invitation__accepted_at__isnull=False, user__last_login__gte=since)),
    )
    return Funnel(**counts)


def programme_events(programme: Programme, user: Any, *, upcoming: bool | None = None) -> QuerySet[Event]:
    """The programme's events with places taken, waiting list length and the user's own status.

    A fixed number of queries however many events and people: counts and the user's status
    are annotations, competencies one prefetch.
    """
    mine = (
        Registration.objects.unscoped()
        .filter(event=OuterRef("pk"), user=user)
        .exclude(status=Registration.Status.CANCELLED)
    )
    queryset = programme.events.annotate(
        taken=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        my_status=Subquery(mine.values("status")[:1]),
    ).prefetch_related(Prefetch("competencies", queryset=Competency.objects.unscoped().order_by("name")))
    now = timezone.now()
    if upcoming is True:
        queryset = queryset.filter(ends_at__gte=now)
    elif upcoming is False:
        queryset = queryset.filter(ends_at__lt=now).order_by("-starts_at")
    return queryset


def event_registrations(event: Event) -> QuerySet[Registration]:
    """Who has a place and who waits, in the order they signed up."""
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "signed_up_at", "pk")
    )


def waiting_position(event: Event, user: Any) -> int | None:
    """The user's place in the event's waiting list (1 is next), or None when not waiting."""
    mine = event.registrations.filter(user=user, status=Registration.Status.WAITING).first()
    if mine is None:
        return None
    return (
        event.registrations.filter(status=Registration.Status.WAITING)
        .filter(Q(signed_up_at__lt=mine.signed_up_at) | Q(signed_up_at=mine.signed_up_at, pk__lt=mine.pk))
        .count()
        + 1
    )


@dataclass
class Dashboard:
    funnel: Funnel
    assessed: int
    planned: int
    last_activity: Any
    next_phase: Phase | None


def programme_dashboard(programme: Programme) -> Dashboard:
    """What HR sees first: the enrolment funnel, how many handed in the start assessment and
    wrote a goal, the latest sign-in of a participant, the next phase."""
    progress = programme.memberships.filter(role=Membership.Role.PARTICIPANT).aggregate(
        assessed=Count(
            "pk", distinct=True, filter=Q(assessments__moment="start", assessments__submitted_at__isnull=False)
        ),
        planned=Count("pk", distinct=True, filter=Q(goals__isnull=False)),
        last=Max("user__last_login"),
    )
    return Dashboard(
        funnel=enrolment_funnel(programme),
        assessed=progress["assessed"],
        planned=progress["planned"],
        last_activity=progress["last"],
        next_phase=programme.phases.filter(starts_at__gte=timezone.now()).order_by("starts_at").first(),
    )
