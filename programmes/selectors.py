"""Reads about programmes, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from accounts.models import Organisation
from learners.models import AssessmentResponse
from leertraject import sql

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


# The enrolment funnel of a programme's participants (enrolled, invited, accepted their code,
# signed in lately), how many handed in the start assessment (``handed_in_sql``: a draft does
# not count) and wrote a goal, and the latest sign-in. "Handed in"
# and "wrote a goal" are EXISTS tests per participant rather than joins counted distinct: the
# joins made PostgreSQL read every assessment in the database.
_FUNNEL = """
    SELECT COUNT(*),
        COUNT(i.sent_at),
        COUNT(i.accepted_at),
        COUNT(CASE WHEN i.accepted_at IS NOT NULL AND u.last_login >= %(active_since)s THEN 1 END),
        COUNT(CASE WHEN EXISTS (
            SELECT 1 FROM learners_assessmentresponse r
            WHERE r.membership_id = m.id AND r.moment = %(start)s AND {handed_in}) THEN 1 END),
        COUNT(CASE WHEN EXISTS (SELECT 1 FROM learners_goal g WHERE g.membership_id = m.id) THEN 1 END),
        MAX(u.last_login)
    FROM programmes_membership m
    JOIN accounts_user u ON u.id = m.user_id
    LEFT JOIN programmes_invitation i ON i.membership_id = m.id
    WHERE m.programme_id = %(programme)s AND m.role = %(participant)s"""


def _funnel(programme: Programme) -> tuple[Any, ...]:
    """The row of ``_FUNNEL`` for ``programme`` (read scoped): one statement (``leertraject.sql``;
    the ORM took three times as long to build it as the database to answer)."""
    (row,) = sql.fetch(
        _FUNNEL.format(handed_in=AssessmentResponse.objects.handed_in_sql("r")),
        programme=programme.pk,
        participant=Membership.Role.PARTICIPANT,
        active_since=timezone.now() - timedelta(days=Invitation.ACTIVE_DAYS),
        start=AssessmentResponse.Moment.START,
    )
    return row


def enrolment_funnel(programme: Programme) -> Funnel:
    """How far participants got: enrolled, invited, accepted their code, active lately (one query)."""
    return Funnel(*_funnel(programme)[:4])


# The events of a programme, {which} ones, with their places taken, waiting list and the user's own
# place (registered or waiting; none when cancelled).
_EVENTS = """
    SELECT e.*,
        (SELECT COUNT(*) FROM programmes_registration r
            WHERE r.event_id = e.id AND r.status = %(registered)s) AS taken,
        (SELECT COUNT(*) FROM programmes_registration r
            WHERE r.event_id = e.id AND r.status = %(waiting)s) AS waiting,
        (SELECT MIN(r.status) FROM programmes_registration r
            WHERE r.event_id = e.id AND r.user_id = %(user)s AND r.status <> %(cancelled)s) AS my_status
    FROM programmes_event e
    WHERE e.programme_id = %(programme)s {which}
    ORDER BY {order}"""
_WHICH_EVENTS = {
    None: ("", "e.starts_at, e.id"),
    True: ("AND e.ends_at >= %(now)s", "e.starts_at, e.id"),
    False: ("AND e.ends_at < %(now)s", "e.starts_at DESC, e.id DESC"),
}


def programme_events(
    programme: Programme, user: Any, *, upcoming: bool | None = None, limit: int | None = None
) -> list[Event]:
    """The programme's events (those to come or past, when ``upcoming`` says; at most ``limit``)
    with places taken (``taken``), waiting list length (``waiting``) and the user's own status
    (``my_status``), and their competencies: one statement, and a query for the competencies
    when there are events. SQL (``leertraject.sql``): the ORM took six times as long to build it
    as the database to answer. The programme was read scoped."""
    which, order = _WHICH_EVENTS[upcoming]
    return _events(programme.pk, user, which, order, limit=limit)


def event_with_places(event: Event, user: Any) -> Event:
    """``event`` (read scoped) as ``programme_events`` gives it: with places taken, waiting list
    length, the user's own status and its competencies."""
    (found,) = _events(event.programme_id, user, "AND e.id = %(event)s", "e.id", event=event.pk)
    return found


def _events(
    programme: int, user: Any, which: str, order: str, *, limit: int | None = None, event: int | None = None
) -> list[Event]:
    events = sql.objects(
        Event,
        _EVENTS.format(which=which, order=order) + (" LIMIT %(limit)s" if limit else ""),
        event=event,
        programme=programme,
        user=user.pk,
        registered=Registration.Status.REGISTERED,
        waiting=Registration.Status.WAITING,
        cancelled=Registration.Status.CANCELLED,
        now=timezone.now(),
        limit=limit,
    )
    prefetch_related_objects(events, Prefetch("competencies", queryset=Competency.objects.unscoped().order_by("name")))
    return events


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
    (its timeline, which the page reads anyway). One statement (``_funnel``)."""
    counts = _funnel(programme)
    now = timezone.now()
    return Dashboard(
        funnel=Funnel(*counts[:4]),
        assessed=counts[4],
        planned=counts[5],
        last_activity=sql.moment(counts[6]),
        next_phase=min(
            (phase for phase in phases if phase.starts_at >= now), key=lambda phase: phase.starts_at, default=None
        ),
    )
