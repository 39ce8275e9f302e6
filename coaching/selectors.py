"""Reads about communities: a fixed number of queries per page, whatever the number of members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from learners.models import Action, FeedbackAsk, FeedbackRequest, Goal, Reflection
from learners.selectors import has_plan
from programmes.models import Membership, Phase, Programme

from .models import (
    BestPractice,
    CoachingNote,
    CoachingSession,
    Community,
    CommunityAction,
    CommunityMember,
    CommunityProposal,
    FollowUp,
    Post,
    Thread,
)


def programme_communities(programme: Programme, user: Any) -> QuerySet[Community]:
    """The programme's communities with their member count, coaches and whether the user is in it."""
    mine = CommunityMember.objects.unscoped().filter(community=OuterRef("pk"), membership__user=user)
    return (
        programme.communities.annotate(member_count=Count("members", distinct=True), is_mine=Exists(mine))
        .prefetch_related(Prefetch("coaches", queryset=User.objects.order_by("first_name", "last_name")))
        .order_by("name")
    )


def community_members(community: Community) -> QuerySet[CommunityMember]:
    return community.members.select_related("membership__user").order_by(
        "membership__user__first_name", "membership__user__last_name"
    )


def programme_proposals(programme: Programme) -> QuerySet[CommunityProposal]:
    return programme.community_proposals.select_related("proposed_by__user", "community").order_by("created_at")


def own_participation(user: Any, programme: Programme) -> Membership | None:
    return (
        programme.memberships.filter(user=user, role=Membership.Role.PARTICIPANT)
        .select_related("programme", "community_member__community")
        .first()
    )


def community_of(membership: Membership) -> Community | None:
    """The community the participant is in (the membership comes with it selected)."""
    member = getattr(membership, "community_member", None)
    return member.community if member else None


# --- Actions board and best practices (issue 5) -------------------------------------------------


def community_actions(
    community: Community, user: Any, *, kind: str = "", mine: bool = False
) -> QuerySet[CommunityAction]:
    """The community's actions with owner and joiners, and whether the user joins: two queries.

    Ordered by date, undated ones last; ``kind`` and ``mine`` (owned or joined by the user) narrow
    the list.
    """
    joining = CommunityAction.joiners.through.objects.filter(communityaction_id=OuterRef("pk"), user_id=user.pk)
    actions = community.actions.select_related("owner").annotate(is_joining=Exists(joining))
    if kind:
        actions = actions.filter(kind=kind)
    if mine:
        actions = actions.filter(Q(owner=user) | Q(is_joining=True))
    return actions.prefetch_related(
        Prefetch("joiners", queryset=User.objects.order_by("first_name", "last_name"))
    ).order_by(F("due_on").asc(nulls_last=True), "pk")


def community_people(community: Community) -> QuerySet[User]:
    """Everyone who takes part in the community: its members and its learning coaches."""
    return (
        User.objects.filter(Q(memberships__community_member__community=community) | Q(coached_communities=community))
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def shareable_communities(user: Any, *, every: bool = False) -> QuerySet[Community]:
    """The communities the user takes part in; ``every`` community of the organisation (for HR)."""
    communities = Community.objects.for_organisation(user.organisation_id).select_related("programme")
    if not every:
        communities = communities.filter(Q(members__membership__user=user) | Q(coaches=user)).distinct()
    return communities.order_by("programme__title", "name")


def organisation_best_practices(user: Any) -> QuerySet[BestPractice]:
    """All best practices of the user's organisation, with community, programme and author."""
    return BestPractice.objects.for_organisation(user.organisation_id).select_related(
        "community__programme", "created_by"
    )


def best_practice_tags(user: Any) -> list[str]:
    """Every tag used in the organisation's best practices, once each, alphabetically (one query)."""
    tags: dict[str, str] = {}
    rows = BestPractice.objects.for_organisation(user.organisation_id).exclude(tags="").values_list("tags", flat=True)
    for row in rows:
        for tag in row.split(","):
            if tag.strip():
                tags.setdefault(tag.strip().lower(), tag.strip())
    return sorted(tags.values(), key=str.lower)


# --- Forum ------------------------------------------------------------------------------------


def forum_threads(community: Community) -> QuerySet[Thread]:
    """The community's threads, newest activity first, with their author and number of replies."""
    return (
        community.threads.select_related("author")
        .annotate(reply_count=Count("posts") - Value(1))
        .order_by("-last_post_at", "-pk")
    )


def next_planned_actions(community: Community, count: int = 3) -> QuerySet[CommunityAction]:
    """The community's first planned actions by date, for its page."""
    return community.actions.filter(status=CommunityAction.Status.PLANNED).order_by("due_on", "pk")[:count]


def thread_posts(thread: Thread) -> QuerySet[Post]:
    """The thread's posts in the order they were written, with their authors."""
    return thread.posts.select_related("author").order_by("created_at", "pk")


def opening_post_id(thread: Thread) -> int | None:
    """The id of the thread's first post (the one that carries its title)."""
    return thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()


# --- Coach dashboard and coaching sessions (issue 5) --------------------------------------------

# What a participant last did, in the words the dashboard uses.
ACTIVITY_LABELS = {
    "login": gettext_lazy("signed in"),
    "goal": gettext_lazy("wrote or changed a learning goal"),
    "action": gettext_lazy("finished an action"),
    "reflection": gettext_lazy("wrote a reflection"),
    "feedback": gettext_lazy("asked for feedback"),
}


@dataclass
class MemberState:
    """One participant as a learning coach sees them: state and counts, never what a goal says.

    Last activity is the latest of: signing in, writing or changing a goal, finishing an action,
    writing a reflection and asking for feedback. A participant has stalled after the
    programme's ``stalled_after_days`` without any (counted from the programme's start or their
    enrolment while they did nothing yet), or without a single goal ``plan_due_days`` after the
    start day.
    """

    membership: Membership
    community: Community | None
    has_plan: bool
    shares_plan: bool
    last_activity: datetime | None
    last_activity_kind: str
    overdue_actions: int
    feedback_waiting: int
    idle_days: int
    stalled_inactive: bool
    no_plan_days: int | None  # days since the start day, when the plan is overdue
    next_session_at: datetime | None = None
    next_session_pk: int | None = None
    next_session_is_mine: bool = False
    next_session_coach: str = ""

    @property
    def name(self) -> str:
        user = self.membership.user
        return user.get_full_name() or user.email

    @property
    def stalled(self) -> bool:
        return self.stalled_inactive or self.no_plan_days is not None

    @property
    def last_activity_label(self) -> str:
        return str(ACTIVITY_LABELS.get(self.last_activity_kind, ""))

    def in_sight_of(self, coached: Collection[int]) -> bool:
        """Whether a coach of the communities ``coached`` (pks) follows this participant: the
        members of their own communities and everyone in none."""
        return self.community is None or self.community.pk in coached


@dataclass
class CommunityState:
    community: Community | None
    members: list[MemberState] = field(default_factory=list)

    @property
    def stalled_count(self) -> int:
        return sum(1 for member in self.members if member.stalled)


@dataclass
class CoachDashboard:
    """A coach's view of a programme: their communities' members, who is in none, their sessions."""

    now: datetime
    kick_off_at: datetime
    plan_due_at: datetime
    communities: list[CommunityState]
    unassigned: CommunityState
    requests: list[CoachingSession]
    planned: list[CoachingSession]
    held: list[CoachingSession]

    @property
    def member_count(self) -> int:
        return len(self.unassigned.members) + sum(len(block.members) for block in self.communities)

    @property
    def stalled_count(self) -> int:
        return self.unassigned.stalled_count + sum(block.stalled_count for block in self.communities)


HELD_ON_DASHBOARD = 10


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def kick_offs(programmes: Iterable[Programme]) -> dict[int, datetime]:
    """Per programme (by pk), when its start day begins; its start date when it has no start day
    phase. One query, however many programmes."""
    programmes = list(programmes)
    first: dict[int, datetime] = {}
    phases = (
        Phase.objects.unscoped()
        .filter(programme__in=[programme.pk for programme in programmes], kind=Phase.Kind.KICK_OFF)
        .order_by("programme_id", "starts_at")
        .values_list("programme_id", "starts_at")
    )
    for programme_id, starts_at in phases:
        first.setdefault(programme_id, starts_at)
    return {programme.pk: first.get(programme.pk) or _start_of(programme.starts_on) for programme in programmes}


def kick_off_at(programme: Programme) -> datetime:
    """When the programme's start day begins; its start date when it has no start day phase."""
    return kick_offs([programme])[programme.pk]


def _plan_due_at(programme: Programme, kick_off: datetime) -> datetime:
    return kick_off + timedelta(days=programme.plan_due_days)


def _latest(queryset: QuerySet, field_name: str) -> Subquery:
    return Subquery(
        queryset.filter(**{f"{field_name}__isnull": False}).order_by(f"-{field_name}").values(field_name)[:1]
    )


def _count(queryset: QuerySet, group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(number=Count("pk")).values("number")[:1]
    return Coalesce(Subquery(counted), 0)


def _with_state(participants: QuerySet[Membership], now: datetime) -> QuerySet[Membership]:
    """The participants, each with what its ``MemberState`` reads: one query, however many."""
    member = OuterRef("pk")
    goals = Goal.objects.unscoped().filter(membership=member)
    actions = Action.objects.unscoped().filter(goal__membership=member)
    waiting = FeedbackAsk.objects.unscoped().filter(request__goal__membership=member, answered_at__isnull=True)
    return (
        participants.filter(role=Membership.Role.PARTICIPANT)
        .select_related("user", "community_member__community")
        .annotate(
            has_plan=Exists(goals),
            shares_plan=Exists(goals.exclude(visibility=Goal.Visibility.PRIVATE)),
            last_goal_at=_latest(goals, "updated_at"),
            last_action_at=_latest(actions, "done_at"),
            last_reflection_at=_latest(Reflection.objects.unscoped().filter(goal__membership=member), "created_at"),
            last_feedback_at=_latest(FeedbackRequest.objects.unscoped().filter(goal__membership=member), "created_at"),
            overdue_actions=_count(
                actions.filter(done_at__isnull=True, due_on__lt=timezone.localdate(now)), "goal__membership"
            ),
            feedback_waiting=_count(waiting, "request__goal__membership"),
        )
        .order_by("user__first_name", "user__last_name", "pk")
    )


def _member_rows(programme: Programme, now: datetime) -> QuerySet[Membership]:
    """The programme's participants, each with its state and next coaching session: one query."""
    upcoming = (
        CoachingSession.objects.unscoped()
        .filter(membership=OuterRef("pk"), status=CoachingSession.Status.PLANNED, starts_at__gte=now)
        .order_by("starts_at", "pk")
    )
    return _with_state(programme.memberships.all(), now).annotate(
        next_session_at=Subquery(upcoming.values("starts_at")[:1]),
        next_session_pk=Subquery(upcoming.values("pk")[:1]),
        next_session_coach_id=Subquery(upcoming.values("coach_id")[:1]),
    )


def _member_state(row: Membership, *, programme: Programme, now: datetime, kick_off: datetime) -> MemberState:
    moments = {
        "login": row.user.last_login,
        "goal": row.last_goal_at,
        "action": row.last_action_at,
        "reflection": row.last_reflection_at,
        "feedback": row.last_feedback_at,
    }
    kind, last = max(
        ((kind, moment) for kind, moment in moments.items() if moment), key=lambda item: item[1], default=("", None)
    )
    idle_since = max(moment for moment in (last, _start_of(programme.starts_on), row.created_at) if moment)
    community_member = getattr(row, "community_member", None)
    plan_due = _plan_due_at(programme, kick_off)
    return MemberState(
        membership=row,
        community=community_member.community if community_member else None,
        has_plan=row.has_plan,
        shares_plan=row.shares_plan,
        last_activity=last,
        last_activity_kind=kind,
        overdue_actions=row.overdue_actions,
        feedback_waiting=row.feedback_waiting,
        idle_days=max((now - idle_since).days, 0),
        stalled_inactive=now - idle_since >= timedelta(days=programme.stalled_after_days),
        no_plan_days=None if row.has_plan or now < plan_due else (now - kick_off).days,
    )


def member_states(
    programme: Programme, participants: QuerySet[Membership], *, now: datetime | None = None
) -> list[MemberState]:
    """``participants`` (of ``programme``) in the state the coach dashboard shows them: last
    activity, plan, stalled. For counts over a whole programme or community, such as the harvest
    report's "active". Two queries, however many participants there are."""
    now = now or timezone.now()
    kick_off = kick_off_at(programme)
    return [
        _member_state(row, programme=programme, now=now, kick_off=kick_off) for row in _with_state(participants, now)
    ]


def coach_dashboard(programme: Programme, coach: Any, *, now: datetime | None = None) -> CoachDashboard:
    """Every member of the communities ``coach`` guides in the programme, and every participant in
    none, with their state and the stalled signal (stalled first); the coach's requested, planned
    and held sessions. Five queries, however many participants there are."""
    now = now or timezone.now()
    kick_off = kick_off_at(programme)
    coached = programme.communities.filter(coaches=coach)
    blocks = {community.pk: CommunityState(community) for community in coached.order_by("name", "pk")}
    unassigned = CommunityState(None)
    names = programme_coaches(programme).values_list("pk", "first_name", "last_name", "email")
    coaches = {pk: f"{first} {last}".strip() or email for pk, first, last, email in names}
    for row in _member_rows(programme, now):
        state = _member_state(row, programme=programme, now=now, kick_off=kick_off)
        if not state.in_sight_of(blocks):
            continue
        state.next_session_at, state.next_session_pk = row.next_session_at, row.next_session_pk
        state.next_session_is_mine = row.next_session_coach_id == coach.pk
        state.next_session_coach = coaches.get(row.next_session_coach_id, "")
        block = blocks.get(state.community.pk, unassigned) if state.community else unassigned
        block.members.append(state)
    for block in [*blocks.values(), unassigned]:
        block.members.sort(key=lambda member: not member.stalled)  # stable: by name within each part

    sessions = (
        CoachingSession.objects.for_organisation(programme.organisation_id)
        .filter(membership__programme=programme, coach=coach)
        .exclude(status=CoachingSession.Status.CANCELLED)
        .select_related("membership__user")
        .order_by("starts_at", "created_at", "pk")
    )
    by_status: dict[str, list[CoachingSession]] = defaultdict(list)
    for session in sessions:
        by_status[session.status].append(session)
    return CoachDashboard(
        now=now,
        kick_off_at=kick_off,
        plan_due_at=_plan_due_at(programme, kick_off),
        communities=list(blocks.values()),
        unassigned=unassigned,
        requests=by_status[CoachingSession.Status.REQUESTED],
        planned=by_status[CoachingSession.Status.PLANNED],
        held=by_status[CoachingSession.Status.HELD][::-1][:HELD_ON_DASHBOARD],
    )


@dataclass
class CoachDigest:
    """The stalled participants one coach follows in one programme (their weekly digest)."""

    programme: Programme
    coach_id: int
    members: list[MemberState]


def stalled_by_coach(programmes: Iterable[Programme], *, now: datetime) -> list[CoachDigest]:
    """For every active coach of ``programmes``: the stalled participants their dashboard shows
    (members of the communities they coach and everyone in none), by name; coaches without any
    are left out. Four queries, however many programmes, coaches and participants there are."""
    programmes_by_pk = {programme.pk: programme for programme in programmes}
    kick_off = kick_offs(programmes_by_pk.values())
    stalled: dict[int, list[MemberState]] = defaultdict(list)
    participants = Membership.objects.unscoped().filter(programme__in=list(programmes_by_pk))
    for row in _with_state(participants, now):
        programme = programmes_by_pk[row.programme_id]
        state = _member_state(row, programme=programme, now=now, kick_off=kick_off[programme.pk])
        if state.stalled:
            stalled[programme.pk].append(state)
    if not stalled:
        return []
    coached: dict[tuple[int, int], set[int]] = defaultdict(set)
    coaching = Community.coaches.through.objects.filter(community__programme__in=list(stalled)).values_list(
        "community__programme_id", "user_id", "community_id"
    )
    for programme_id, user_id, community_id in coaching:
        coached[programme_id, user_id].add(community_id)
    coaches = (
        Membership.objects.unscoped()
        .filter(programme__in=list(stalled), role=Membership.Role.COACH, user__is_active=True)
        .order_by("programme_id", "user_id")
        .values_list("programme_id", "user_id")
    )
    digests = []
    for programme_id, user_id in coaches:
        members = [member for member in stalled[programme_id] if member.in_sight_of(coached[programme_id, user_id])]
        if members:
            digests.append(CoachDigest(programmes_by_pk[programme_id], user_id, members))
    return digests


def programme_coaches(programme: Programme) -> QuerySet[User]:
    """The programme's learning coaches, by name."""
    return (
        User.objects.filter(memberships__programme=programme, memberships__role=Membership.Role.COACH)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def session_participants(programme: Programme, coach: Any) -> QuerySet[Membership]:
    """The programme's participants to plan a session with: those in the coach's communities first."""
    mine = CommunityMember.objects.unscoped().filter(membership=OuterRef("pk"), community__coaches=coach)
    return (
        programme.memberships.filter(role=Membership.Role.PARTICIPANT)
        .select_related("user", "community_member__community")
        .annotate(in_my_community=Exists(mine))
        .order_by("-in_my_community", "user__first_name", "user__last_name", "pk")
    )


def session_note(session: CoachingSession) -> CoachingNote | None:
    """The session's confidential notes. Only for its coach: check ``coaching.keep_session_notes``
    before calling; no other page ever reads this table."""
    return (
        CoachingNote.objects.for_organisation(session.membership.programme.organisation_id)
        .filter(session=session)
        .first()
    )


def session_follow_ups(session: CoachingSession) -> QuerySet[FollowUp]:
    return session.follow_ups.order_by(F("due_on").asc(nulls_last=True), "pk")


@dataclass
class PlanCoaching:
    """What coaching adds to a participant's plan: open agreements and their sessions."""

    follow_ups: list[FollowUp]
    sessions: list[CoachingSession]


def plan_coaching(membership: Membership) -> PlanCoaching:
    """The participant's open follow-up actions and coaching sessions (two queries)."""
    organisation_id = membership.programme.organisation_id
    follow_ups = (
        FollowUp.objects.for_organisation(organisation_id)
        .filter(session__membership=membership, done_at__isnull=True)
        .exclude(session__status=CoachingSession.Status.CANCELLED)
        .select_related("session")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    sessions = (
        CoachingSession.objects.for_organisation(organisation_id)
        .filter(membership=membership)
        .exclude(status=CoachingSession.Status.CANCELLED)
        .select_related("coach")
        .order_by(F("starts_at").desc(nulls_first=True), "-pk")
    )
    return PlanCoaching(follow_ups=list(follow_ups), sessions=list(sessions))


# --- Reminders (issue 7) ----------------------------------------------------------------------


def plans_overdue(now: datetime) -> list[Membership]:
    """The participants of active programmes whose learning plan is overdue: the coach dashboard's
    "no plan" signal (``MemberState.no_plan_days``) for every programme at once. Only those who
    have started count: they accepted their invitation or signed in at least once; someone who
    never did needs the invitation, not a reminder. Each comes with its programme. Two queries,
    however many participants and programmes."""
    rows = list(
        Membership.objects.unscoped()
        .filter(role=Membership.Role.PARTICIPANT, programme__status=Programme.Status.ACTIVE, user__is_active=True)
        .filter(Q(invitation__accepted_at__isnull=False) | Q(user__last_login__isnull=False))
        .exclude(has_plan())
        .select_related("programme")
        .order_by("pk")
    )
    programmes = {row.programme_id: row.programme for row in rows}
    kick_off = kick_offs(programmes.values())
    return [row for row in rows if now >= _plan_due_at(row.programme, kick_off[row.programme_id])]
