"""Reads about programmes, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Organisation
from learners.models import AssessmentResponse, Goal

from .models import Competency, Event, Invitation, Membership, Phase, Programme, Registration

_MEMBERSHIPS_CACHE = "_programme_memberships_cache"


def _memberships(user: Any) -> list[tuple[int, int, str, int | None]]:
    """(membership pk, programme pk, role, learning community pk or None) of each of the user's
    memberships, read once and kept on the user for this request."""
    cached = getattr(user, _MEMBERSHIPS_CACHE, None)
    if cached is None:
        cached = list(
            Membership.objects.for_organisation(user.organisation_id)
            .filter(user=user)
            .order_by()  # not Membership's default order, which joins the users
            .values_list("pk", "programme_id", "role", "community_member__community_id")
        )
        setattr(user, _MEMBERSHIPS_CACHE, cached)
    return cached


def roles_by_programme(user: Any) -> dict[int, frozenset[str]]:
    """The user's roles per programme id (no query after the first of the request)."""
    roles: dict[int, set[str]] = {}
    for _pk, programme_id, role, _community_id in _memberships(user):
        roles.setdefault(programme_id, set()).add(role)
    return {pk: frozenset(values) for pk, values in roles.items()}


def participations(user: Any) -> dict[int, int]:
    """The programme of each of the user's participant memberships, by membership pk (no query
    after the first of the request)."""
    participant = Membership.Role.PARTICIPANT
    return {pk: programme_id for pk, programme_id, role, _community in _memberships(user) if role == participant}


def member_of_communities(user: Any) -> frozenset[int]:
    """The pks of the learning communities the user is a member of (no query after the first of
    the request)."""
    return frozenset(community_id for *_membership, community_id in _memberships(user) if community_id)


def _with_counts(queryset: QuerySet[Programme]) -> QuerySet[Programme]:
    return queryset.annotate(
        participant_count=Count("memberships", filter=Q(memberships__role=Membership.Role.PARTICIPANT))
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


@dataclass
class Person:
    """Someone with a role in a programme, as its page lists them."""

    name: str
    role: str


def programme_people(programme: Programme) -> list[Person]:
    """Everyone with a role in the programme, with their names, in one query.

    Only the names and roles are read, not whole memberships and users: the list holds every
    participant, and building two model instances per row cost more than the query itself.
    """
    rows = programme.memberships.order_by("role", "user__last_name", "user__first_name").values_list(
        "role", "user__first_name", "user__last_name", "user__email"
    )
    labels = {value: str(label) for value, label in Membership.Role.choices}  # translated once, not per row
    return [
        Person(name=f"{first} {last}".strip() or email, role=labels.get(role, role))
        for role, first, last, email in rows
    ]


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


@dataclass
class CompetencyOutline:
    """A competency as the programme page lists it: its name and its behaviour indicators' texts."""

    name: str
    indicators: list[str] = field(default_factory=list)


def programme_competencies(programme: Programme) -> list[CompetencyOutline]:
    """The competencies the programme works on, by name, each with its behaviour indicators in
    order: one query (a join) rather than the competencies and a prefetch, since each query costs
    milliseconds of fixed overhead here. The join starts from the programme (scoped already)."""
    rows = programme.competencies.order_by("name", "pk", "indicators__position", "indicators__pk").values_list(
        "pk", "name", "indicators__text"
    )
    outlines: dict[int, CompetencyOutline] = {}
    for pk, name, text in rows:
        outline = outlines.setdefault(pk, CompetencyOutline(name))
        if text is not None:
            outline.indicators.append(text)
    return list(outlines.values())


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


def _funnel_counts() -> dict[str, Count]:
    """The enrolment funnel as aggregates over a programme's participants."""
    since = timezone.now() - timedelta(days=Invitation.ACTIVE_DAYS)
    return {
        "enrolled": Count("pk"),
        "invited": Count("pk", filter=Q(invitation__sent_at__isnull=False)),
        "accepted": Count("pk", filter=Q(invitation__accepted_at__isnull=False)),
        "active": Count("pk", filter=Q(invitation__accepted_at__isnull=False, user__last_login__gte=since)),
    }


def enrolment_funnel(programme: Programme) -> Funnel:
    """How far participants got: enrolled, invited, accepted their code, active lately (one query)."""
    counts = programme.memberships.filter(role=Membership.Role.PARTICIPANT).aggregate(**_funnel_counts())
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


def signed_up_count(event: Event) -> int:
    """How many people have a place or wait for one."""
    return event.registrations.exclude(status=Registration.Status.CANCELLED).count()


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


def programme_dashboard(programme: Programme, phases: Iterable[Phase]) -> Dashboard:
    """What HR sees first: the enrolment funnel, how many handed in the start assessment and
    wrote a goal, the latest sign-in of a participant, the next of the programme's ``phases``
    (its timeline, which the page reads anyway). One query.

    "Handed in" and "wrote a goal" are EXISTS tests per participant rather than joins counted
    distinct: the joins made PostgreSQL read every assessment in the database.
    """
    member = OuterRef("pk")
    handed_in = (
        AssessmentResponse.objects.unscoped().handed_in(AssessmentResponse.Moment.START).filter(membership=member)
    )
    counts = programme.memberships.filter(role=Membership.Role.PARTICIPANT).aggregate(
        **_funnel_counts(),
        assessed=Count("pk", filter=Exists(handed_in)),
        planned=Count("pk", filter=Exists(Goal.objects.unscoped().filter(membership=member))),
        last=Max("user__last_login"),
    )
    assessed, planned, last = counts.pop("assessed"), counts.pop("planned"), counts.pop("last")
    now = timezone.now()
    return Dashboard(
        funnel=Funnel(**counts),
        assessed=assessed,
        planned=planned,
        last_activity=last,
        next_phase=min(
            (phase for phase in phases if phase.starts_at >= now), key=lambda phase: phase.starts_at, default=None
        ),
    )
