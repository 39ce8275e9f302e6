"""Reads about communities: a fixed number of queries per page, whatever the number of members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from learners.models import Goal
from learners.selectors import has_plan
from leertraject import sql
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
    """The user's participation in ``programme`` with their community; it carries ``programme``
    itself rather than reading it again."""
    membership = (
        programme.memberships.filter(user=user, role=Membership.Role.PARTICIPANT)
        .select_related("community_member__community")
        .first()
    )
    if membership is not None:
        membership.programme = programme
    return membership


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
class MemberRow:
    """A participation as the dashboard reads it (names and moments, no model instances, which
    cost more to build than the query takes), with what the participant last did."""

    pk: int
    programme_id: int
    created_at: datetime
    first_name: str
    last_name: str
    email: str
    last_login: datetime | None
    community_id: int | None
    has_plan: bool = False
    shares_plan: bool = False
    last_goal_at: datetime | None = None
    last_action_at: datetime | None = None
    last_reflection_at: datetime | None = None
    last_feedback_at: datetime | None = None
    overdue_actions: int = 0
    feedback_waiting: int = 0


@dataclass
class MemberState:
    """One participant as a learning coach sees them: state and counts, never what a goal says.

    Last activity is the latest of: signing in, writing or changing a goal, finishing an action,
    writing a reflection and asking for feedback. A participant has stalled after the
    programme's ``stalled_after_days`` without any (counted from the programme's start or their
    enrolment while they did nothing yet), or without a single goal ``plan_due_days`` after the
    start day.
    """

    membership: MemberRow
    community_id: int | None
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
        row = self.membership
        return f"{row.first_name} {row.last_name}".strip() or row.email

    @property
    def stalled(self) -> bool:
        return self.stalled_inactive or self.no_plan_days is not None

    @property
    def last_activity_iso(self) -> str:
        """The last activity as a ``<time datetime>`` value: what the template filter ``date:'c'``
        gives, without its formatter, which cost a noticeable part of rendering a long table."""
        return timezone.localtime(self.last_activity).isoformat() if self.last_activity else ""

    @property
    def next_session_iso(self) -> str:
        """The next session's start as a ``<time datetime>`` value (see ``last_activity_iso``)."""
        return timezone.localtime(self.next_session_at).isoformat() if self.next_session_at else ""

    @property
    def last_activity_label(self) -> str:
        return str(ACTIVITY_LABELS.get(self.last_activity_kind, ""))

    def in_sight_of(self, coached: Collection[int]) -> bool:
        """Whether a coach of the communities ``coached`` (pks) follows this participant: the
        members of their own communities and everyone in none."""
        return self.community_id is None or self.community_id in coached


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
    phases = sql.fetch(
        """SELECT programme_id, starts_at FROM programmes_phase
        WHERE kind = %(kick_off)s AND programme_id IN (%(programmes)s)
        ORDER BY programme_id, starts_at""",
        kick_off=Phase.Kind.KICK_OFF,
        programmes=[programme.pk for programme in programmes],
    )
    for programme_id, starts_at in phases:
        first.setdefault(programme_id, sql.moment(starts_at))
    return {programme.pk: first.get(programme.pk) or _start_of(programme.starts_on) for programme in programmes}


def kick_off_at(programme: Programme) -> datetime:
    """When the programme's start day begins; its start date when it has no start day phase."""
    return kick_offs([programme])[programme.pk]


def _calendar_days(since: datetime, now: datetime) -> int:
    """Days from ``since`` to ``now`` as the calendar on the wall counts them (local dates), so the
    count doesn't jump a day late in the evening after a change of summer time."""
    return (timezone.localdate(now) - timezone.localdate(since)).days


def _plan_due_at(programme: Programme, kick_off: datetime) -> datetime:
    return kick_off + timedelta(days=programme.plan_due_days)


# The participants of some programmes, each with their account and community, and the coach's
# communities (``in_sight``) narrowed to those a coach of them follows: their members and everyone
# in none.
_PARTICIPANTS = """
    FROM programmes_membership m
    JOIN accounts_user u ON u.id = m.user_id
    LEFT JOIN coaching_communitymember cm ON cm.membership_id = m.id
    WHERE m.programme_id IN (%(programmes)s) AND m.role = %(participant)s {in_sight}"""
_IN_SIGHT = "AND (cm.community_id IN (%(communities)s) OR cm.id IS NULL)"

# Per participant among {participants}: whether any goal is shared, the last moment a goal was
# written or changed, an action finished and a reflection written, and the actions overdue. A
# goal's actions and reflections are joined side by side (a few rows per goal, counted distinct).
_GOALS = """
    SELECT goal.membership_id,
        COUNT(DISTINCT CASE WHEN goal.visibility <> %(private)s THEN goal.id END),
        MAX(goal.updated_at), MAX(a.done_at), MAX(r.created_at),
        COUNT(DISTINCT CASE WHEN a.done_at IS NULL AND a.due_on < %(today)s THEN a.id END)
    FROM learners_goal goal
    LEFT JOIN learners_action a ON a.goal_id = goal.id
    LEFT JOIN learners_reflection r ON r.goal_id = goal.id
    WHERE goal.membership_id IN ({participants})
    GROUP BY goal.membership_id"""

# Per participant among {participants}: when they last asked for feedback, and how many asks wait.
_FEEDBACK = """
    SELECT goal.membership_id, MAX(request.created_at),
        COUNT(CASE WHEN ask.answered_at IS NULL THEN ask.id END)
    FROM learners_feedbackrequest request
    JOIN learners_goal goal ON goal.id = request.goal_id
    LEFT JOIN learners_feedbackask ask ON ask.request_id = request.id
    WHERE goal.membership_id IN ({participants})
    GROUP BY goal.membership_id"""

# Up to this many participants, the goals and feedback are read for them by id; beyond it (the
# weekly digest over every programme) for the participants' statement as a subquery instead.
_IDS_AT_MOST = 1000


def _with_state(programmes: Collection[int], now: datetime, in_sight: Collection[int] | None = None) -> list[MemberRow]:
    """The participants of ``programmes`` (pks, read scoped), or only those a coach of the
    communities ``in_sight`` (pks) follows, each with what its ``MemberState`` reads: three
    statements, however many there are (``leertraject.sql``: the ORM took three times as long to
    build them as the database to answer)."""
    participants = _PARTICIPANTS.format(in_sight=_IN_SIGHT if in_sight is not None else "")
    params = {
        "programmes": list(programmes),
        "participant": Membership.Role.PARTICIPANT,
        "communities": list(in_sight or ()),
    }
    rows = [
        MemberRow(pk, programme_id, sql.moment(created_at), first, last, email, sql.moment(last_login), community_id)
        for pk, programme_id, created_at, first, last, email, last_login, community_id in sql.fetch(
            "SELECT m.id, m.programme_id, m.created_at, u.first_name, u.last_name, u.email, u.last_login,"
            + " cm.community_id"
            + participants
            + " ORDER BY u.first_name, u.last_name, m.id",
            **params,
        )
    ]
    if not rows:
        return rows
    by_pk = {row.pk: row for row in rows}
    if len(by_pk) <= _IDS_AT_MOST:
        among, params = "%(members)s", {"members": list(by_pk)}
    else:
        among = "SELECT m.id" + participants
    goals = sql.fetch(
        _GOALS.format(participants=among),
        private=Goal.Visibility.PRIVATE,
        today=timezone.localdate(now),
        **params,
    )
    for membership_id, shared, last_goal_at, last_action_at, last_reflection_at, overdue in goals:
        if (row := by_pk.get(membership_id)) is None:
            continue  # enrolled after the participants were read
        row.has_plan, row.shares_plan, row.overdue_actions = True, shared > 0, overdue
        row.last_goal_at, row.last_action_at = sql.moment(last_goal_at), sql.moment(last_action_at)
        row.last_reflection_at = sql.moment(last_reflection_at)
    for membership_id, last, waiting in sql.fetch(_FEEDBACK.format(participants=among), **params):
        if (row := by_pk.get(membership_id)) is not None:
            row.last_feedback_at, row.feedback_waiting = sql.moment(last), waiting
    return rows


def _sessions(programme: Programme, coach: Any, rows: list[MemberRow], now: datetime) -> list[CoachingSession]:
    """In one statement: the coach's sessions in the programme that are not cancelled, and the
    planned sessions still to come of the participants ``rows``, each with its ``participant_name``
    (the name alone costs less than building their membership and account). The programme and
    the participants were read scoped, so the sessions need no join up to the organisation."""
    return sql.objects(
        CoachingSession,
        """SELECT s.*, TRIM(u.first_name || ' ' || u.last_name) AS participant_name
        FROM coaching_coachingsession s
        JOIN programmes_membership m ON m.id = s.membership_id
        JOIN accounts_user u ON u.id = m.user_id
        WHERE m.programme_id = %(programme)s AND (
            s.coach_id = %(coach)s AND s.status <> %(cancelled)s
            OR s.membership_id IN (%(members)s) AND s.status = %(planned)s AND s.starts_at >= %(now)s)
        ORDER BY s.starts_at, s.created_at, s.id""",
        programme=programme.pk,
        coach=coach.pk,
        cancelled=CoachingSession.Status.CANCELLED,
        members=[row.pk for row in rows],
        planned=CoachingSession.Status.PLANNED,
        now=now,
    )


def _coach_names(programme: Programme, pks: Collection[int]) -> dict[int, str]:
    """The names of the programme's learning coaches among ``pks``: one query, none without pks."""
    if not pks:
        return {}
    names = programme_coaches(programme).filter(pk__in=list(pks)).values_list("pk", "first_name", "last_name", "email")
    return {pk: f"{first} {last}".strip() or email for pk, first, last, email in names}


def _member_state(row: MemberRow, *, programme: Programme, now: datetime, kick_off: datetime) -> MemberState:
    moments = {
        "login": row.last_login,
        "goal": row.last_goal_at,
        "action": row.last_action_at,
        "reflection": row.last_reflection_at,
        "feedback": row.last_feedback_at,
    }
    kind, last = max(
        ((kind, moment) for kind, moment in moments.items() if moment), key=lambda item: item[1], default=("", None)
    )
    idle_since = max(moment for moment in (last, _start_of(programme.starts_on), row.created_at) if moment)
    plan_due = _plan_due_at(programme, kick_off)
    return MemberState(
        membership=row,
        community_id=row.community_id,
        has_plan=row.has_plan,
        shares_plan=row.shares_plan,
        last_activity=last,
        last_activity_kind=kind,
        overdue_actions=row.overdue_actions,
        feedback_waiting=row.feedback_waiting,
        idle_days=max((now - idle_since).days, 0),
        stalled_inactive=now - idle_since >= timedelta(days=programme.stalled_after_days),
        no_plan_days=None if row.has_plan or now < plan_due else _calendar_days(kick_off, now),
    )


def coach_dashboard(programme: Programme, coach: Any, *, now: datetime | None = None) -> CoachDashboard:
    """Every member of the communities ``coach`` guides in the programme, and every participant in
    none, with their state and the stalled signal (stalled first); the coach's requested, planned
    and held sessions. At most seven queries, however many participants there are."""
    now = now or timezone.now()
    kick_off = kick_off_at(programme)
    coached = sql.objects(
        Community,
        """SELECT c.* FROM coaching_community c
        JOIN coaching_community_coaches coaches ON coaches.community_id = c.id
        WHERE c.programme_id = %(programme)s AND coaches.user_id = %(coach)s
        ORDER BY c.name, c.id""",
        programme=programme.pk,
        coach=coach.pk,
    )
    blocks = {community.pk: CommunityState(community) for community in coached}
    unassigned = CommunityState(None)
    rows = _with_state([programme.pk], now, in_sight=blocks)
    in_sight = {row.pk for row in rows}
    next_sessions: dict[int, CoachingSession] = {}
    by_status: dict[str, list[CoachingSession]] = defaultdict(list)
    for session in _sessions(programme, coach, rows, now):
        if session.coach_id == coach.pk:
            by_status[session.status].append(session)
        coming = session.status == CoachingSession.Status.PLANNED and session.starts_at and session.starts_at >= now
        if coming and session.membership_id in in_sight:
            earliest = next_sessions.get(session.membership_id)
            if earliest is None or (session.starts_at, session.pk) < (earliest.starts_at, earliest.pk):
                next_sessions[session.membership_id] = session
    coaches = _coach_names(programme, {session.coach_id for session in next_sessions.values()})
    for row in rows:
        state = _member_state(row, programme=programme, now=now, kick_off=kick_off)
        if (upcoming := next_sessions.get(row.pk)) is not None:
            state.next_session_at, state.next_session_pk = upcoming.starts_at, upcoming.pk
            state.next_session_is_mine = upcoming.coach_id == coach.pk
            state.next_session_coach = coaches.get(upcoming.coach_id, "")
        block = blocks.get(state.community_id, unassigned) if state.community_id else unassigned
        block.members.append(state)
    for block in [*blocks.values(), unassigned]:
        block.members.sort(key=lambda member: not member.stalled)  # stable: by name within each part

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
    are left out. Seven queries, however many programmes, coaches and participants there are."""
    programmes_by_pk = {programme.pk: programme for programme in programmes}
    kick_off = kick_offs(programmes_by_pk.values())
    stalled: dict[int, list[MemberState]] = defaultdict(list)
    for row in _with_state(programmes_by_pk, now):
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
    """The participant's open follow-up actions and coaching sessions (not cancelled; the newest
    first, requests on top), each session with its ``coach_name``: two statements. Both are read
    by the membership alone, which was itself read scoped. SQL (``leertraject.sql``): the ORM
    took three times as long to build them as the database to answer."""
    cancelled = CoachingSession.Status.CANCELLED
    follow_ups = sql.objects(
        FollowUp,
        """SELECT f.* FROM coaching_followup f
        JOIN coaching_coachingsession s ON s.id = f.session_id
        WHERE s.membership_id = %(membership)s AND f.done_at IS NULL AND s.status <> %(cancelled)s
        ORDER BY f.due_on IS NULL, f.due_on, f.id""",
        membership=membership.pk,
        cancelled=cancelled,
    )
    sessions = sql.objects(
        CoachingSession,
        """SELECT s.*, TRIM(coach.first_name || ' ' || coach.last_name) AS coach_name
        FROM coaching_coachingsession s
        LEFT JOIN accounts_user coach ON coach.id = s.coach_id
        WHERE s.membership_id = %(membership)s AND s.status <> %(cancelled)s
        ORDER BY s.starts_at IS NOT NULL, s.starts_at DESC, s.id DESC""",
        membership=membership.pk,
        cancelled=cancelled,
    )
    return PlanCoaching(follow_ups=follow_ups, sessions=sessions)


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
