"""Reads about participants' learning, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import CoachingSession
from harvest.models import Answer, Recognition
from harvest.session_selectors import answers_by_programme, recognitions_by_programme
from leertraject import sql
from programmes.models import (
    AssessmentItem,
    BehaviourIndicator,
    Competency,
    Membership,
    Phase,
    Programme,
    Registration,
)
from programmes.selectors import participations

from .feedback import LINK_VALID_FOR
from .models import (
    Action,
    Activity,
    AssessmentAnswer,
    AssessmentResponse,
    FeedbackAsk,
    FeedbackRequest,
    Goal,
    Reflection,
    Swot,
)

# A participant who rates themselves this low on average on a competency's statements at the
# start wants to develop it, whether or not a goal names it yet.
LOW_SCORE = 2.5


def own_membership(user: Any, programme: Programme) -> Membership:
    """The user's participation in the programme; 404 for anyone who does not take part. It
    carries ``programme`` and ``user`` themselves rather than reading them again."""
    membership = (
        Membership.objects.for_organisation(user.organisation_id)
        .filter(programme=programme, user=user, role=Membership.Role.PARTICIPANT)
        .first()
    )
    if membership is None:
        raise Http404
    membership.programme, membership.user = programme, user
    return membership


def assessment_items(programme: Programme) -> QuerySet[AssessmentItem]:
    return programme.assessment_items.select_related("competency", "indicator").order_by("position", "pk")


def assessment_response(membership: Membership, moment: str) -> AssessmentResponse | None:
    return (
        AssessmentResponse.objects.unscoped()
        .filter(membership=membership, moment=moment)
        .prefetch_related(Prefetch("answers", queryset=AssessmentAnswer.objects.unscoped()))
        .first()
    )


def swot_of(membership: Membership, *, with_competencies: bool = True) -> Swot | None:
    """The participant's SWOT, with the competencies they are strong in (a second query) unless
    ``with_competencies`` is false."""
    swots = Swot.objects.unscoped().filter(membership=membership)
    if with_competencies:
        swots = swots.prefetch_related(Prefetch("strong_in", queryset=Competency.objects.unscoped().order_by("name")))
    return swots.first()


def goals_with_details(queryset: QuerySet[Goal]) -> QuerySet[Goal]:
    """Goals with competencies, behaviours, activities, actions and reflections: six queries in all."""
    return queryset.select_related("membership__user", "membership__programme").prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.unscoped().order_by("name")),
        Prefetch("indicators", queryset=BehaviourIndicator.objects.unscoped().order_by("position", "pk")),
        Prefetch("activities", queryset=Activity.objects.unscoped().order_by("-kind", "pk")),
        Prefetch("actions", queryset=Action.objects.unscoped().order_by("done_at", "due_on", "pk")),
        Prefetch("reflections", queryset=Reflection.objects.unscoped().order_by("-created_at", "pk")),
    )


def plan_goals(membership: Membership) -> QuerySet[Goal]:
    """Every goal with all its details, for the printed plan and its PDF (six queries)."""
    return goals_with_details(membership.goals.order_by("created_at", "pk"))


def plan_overview(membership: Membership) -> QuerySet[Goal]:
    """The goals as the plan page lists them: competencies, and how many actions and reflections
    (two queries)."""
    return (
        membership.goals.annotate(
            action_count=Count("actions", distinct=True), reflection_count=Count("reflections", distinct=True)
        )
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.unscoped().order_by("name")))
        .order_by("created_at", "pk")
    )


@dataclass
class Onboarding:
    """Where a participant is in getting started: programme, start assessment, SWOT, learning plan."""

    has_assessment: bool
    assessment_done: bool
    swot_done: bool
    plan_started: bool

    @property
    def next_step(self) -> str | None:
        if self.has_assessment and not self.assessment_done:
            return "assessment"
        if not self.swot_done:
            return "swot"
        if not self.plan_started:
            return "goal"
        return None


def onboarding(membership: Membership, swot: Swot | None = None) -> Onboarding:
    """What the participant has done so far: one query, or two when ``swot`` is not passed in."""
    if swot is None:
        swot = Swot.objects.unscoped().filter(membership=membership).first()
    done = (
        Membership.objects.unscoped()
        .filter(pk=membership.pk)
        .annotate(
            has_assessment=Exists(AssessmentItem.objects.unscoped().filter(programme=OuterRef("programme"))),
            assessment_done=Exists(
                AssessmentResponse.objects.unscoped()
                .handed_in(AssessmentResponse.Moment.START)
                .filter(membership=OuterRef("pk"))
            ),
            plan_started=Exists(Goal.objects.unscoped().filter(membership=OuterRef("pk"))),
        )
        .values("has_assessment", "assessment_done", "plan_started")
        .get()
    )
    return Onboarding(swot_done=bool(swot and swot.is_filled), **done)


@dataclass
class CompetencyDemand:
    competency: Competency
    in_plans: int = 0
    low_at_start: int = 0
    total: int = 0
    shared_by: list[str] = field(default_factory=list)


def demand(programme: Programme) -> list[CompetencyDemand]:
    """Per competency of the programme: how many participants want to develop it.

    Someone wants to develop a competency when a goal in their plan names it, or when they
    rated themselves low on it at the start. Names appear only for goals shared with the
    whole programme. Four queries, however many participants.
    """
    competencies = list(programme.competencies.order_by("name"))
    rows = {competency.pk: CompetencyDemand(competency) for competency in competencies}
    of_participants = {"membership__programme": programme, "membership__role": Membership.Role.PARTICIPANT}
    goals_of_participants = {f"goal__{key}": value for key, value in of_participants.items()}
    links = Goal.competencies.through.objects.filter(competency_id__in=list(rows), **goals_of_participants)
    planned: dict[int, set[int]] = defaultdict(set)
    for competency_id, membership_id in links.values_list("competency_id", "goal__membership_id").distinct():
        planned[competency_id].add(membership_id)
    low: dict[int, set[int]] = defaultdict(set)
    for competency_id, membership_id in (
        AssessmentAnswer.objects.unscoped()
        .filter(
            response__moment=AssessmentResponse.Moment.START,
            response__submitted_at__isnull=False,
            item__competency_id__in=list(rows),
            score__isnull=False,
            **{f"response__{key}": value for key, value in of_participants.items()},
        )
        .values("item__competency_id", "response__membership_id")
        .annotate(average=Avg("score"))
        .filter(average__lte=LOW_SCORE)
        .values_list("item__competency_id", "response__membership_id")
    ):
        low[competency_id].add(membership_id)
    shared = (
        links.filter(goal__visibility=Goal.Visibility.PROGRAMME)
        .values_list("competency_id", "goal__membership__user__first_name", "goal__membership__user__last_name")
        .order_by("goal__membership__user__last_name", "goal__membership__user__first_name")
        .distinct()
    )
    for competency_id, first_name, last_name in shared:
        name = f"{first_name} {last_name}".strip()
        if name not in rows[competency_id].shared_by:
            rows[competency_id].shared_by.append(name)
    for competency_id, row in rows.items():
        row.in_plans = len(planned[competency_id])
        row.low_at_start = len(low[competency_id])
        row.total = len(planned[competency_id] | low[competency_id])
    return sorted(rows.values(), key=lambda row: (-row.total, row.competency.name))


def feedback_colleagues(membership: Membership) -> QuerySet[User]:
    """Everyone else in the programme (participants and coaches) a participant can ask for feedback."""
    return (
        User.objects.filter(
            memberships__programme=membership.programme,
            memberships__role__in=[Membership.Role.PARTICIPANT, Membership.Role.COACH],
            is_active=True,
        )
        .exclude(pk=membership.user_id)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def feedback_requests(goal: Goal) -> QuerySet[FeedbackRequest]:
    """The questions asked about a goal, newest first, with who was asked and their answers."""
    return goal.feedback_requests.order_by("-created_at", "-pk").prefetch_related(
        Prefetch("asks", queryset=FeedbackAsk.objects.unscoped().order_by("answered_at", "pk"))
    )


# --- Who can help me, and whom I can help ----------------------------------------------------


@dataclass(frozen=True)
class GoalRef:
    """Enough of a goal to name it and link to it."""

    pk: int
    title: str


@dataclass(frozen=True)
class Colleague:
    """Another participant of the programme, with a goal they shared with the whole programme."""

    name: str
    goal: GoalRef


@dataclass
class CompetencyMatch:
    """One competency and the colleagues found for it (possibly none)."""

    competency: Competency
    colleagues: list[Colleague] = field(default_factory=list)


@dataclass
class WhoCanHelp:
    """Both directions of "Wie kan mij helpen?" for one participant.

    ``can_help_me`` has a row per competency named in the participant's own goals (any
    visibility); ``i_can_help`` a row per competency they marked as a strength in their SWOT.
    """

    has_goals: bool
    shares_a_goal: bool
    can_help_me: list[CompetencyMatch]
    i_can_help: list[CompetencyMatch]


def _person(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


def who_can_help(membership: Membership) -> WhoCanHelp:
    """Who is strong in what the participant wants to develop, and whose goals they can help with.

    Only among people who shared: a colleague is listed only when they are a participant of the
    same programme with at least one goal shared with the whole programme. Helpers are found
    through the competencies they marked under ``Swot.strong_in``; no other part of anyone's SWOT
    is read. Goals the participant can help with are goals shared with the programme only, never
    private or coach-only ones. Six queries, however many participants.
    """
    programme = membership.programme
    organisation_id = programme.organisation_id
    own_goals = set(membership.goals.order_by().values_list("visibility", flat=True))
    competencies = Competency.objects.for_organisation(organisation_id).order_by("name", "pk")
    wanted = list(competencies.filter(goals__membership=membership).distinct())
    strong = list(competencies.filter(strong_swots__membership=membership))
    shared_with_programme = (
        Goal.objects.for_organisation(organisation_id)
        .filter(
            membership__programme=programme,
            membership__role=Membership.Role.PARTICIPANT,
            visibility=Goal.Visibility.PROGRAMME,
        )
        .exclude(membership=membership)
    )
    by_name = ("membership__user__last_name", "membership__user__first_name", "membership_id")

    helpers = list(
        Swot.objects.for_organisation(organisation_id)
        .filter(strong_in__in=wanted, membership__in=shared_with_programme.values("membership_id"))
        .values_list("strong_in", "membership_id", "membership__user__first_name", "membership__user__last_name")
        .order_by(*by_name)
        .distinct()
    )
    first_shared: dict[int, GoalRef] = {}
    for goal_pk, title, membership_id in (
        shared_with_programme.filter(membership_id__in={row[1] for row in helpers})
        .order_by("created_at", "pk")
        .values_list("pk", "title", "membership_id")
    ):
        first_shared.setdefault(membership_id, GoalRef(goal_pk, title))
    can_help_me = {competency.pk: CompetencyMatch(competency) for competency in wanted}
    for competency_id, membership_id, first_name, last_name in helpers:
        if membership_id in first_shared:  # else unshared in between: no longer among people who shared
            can_help_me[competency_id].colleagues.append(
                Colleague(_person(first_name, last_name), first_shared[membership_id])
            )

    i_can_help = {competency.pk: CompetencyMatch(competency) for competency in strong}
    for competency_id, goal_pk, title, first_name, last_name in (
        shared_with_programme.filter(competencies__in=strong)
        .values_list("competencies", "pk", "title", "membership__user__first_name", "membership__user__last_name")
        .order_by(*by_name, "created_at", "pk")
        .distinct()
    ):
        i_can_help[competency_id].colleagues.append(Colleague(_person(first_name, last_name), GoalRef(goal_pk, title)))

    return WhoCanHelp(
        has_goals=bool(own_goals),
        shares_a_goal=Goal.Visibility.PROGRAMME in own_goals,
        can_help_me=list(can_help_me.values()),
        i_can_help=list(i_can_help.values()),
    )


# --- Timeline of my learning -----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One moment in a participant's learning: a goal set, an action done or a reflection written."""

    GOAL_SET = "goal_set"
    ACTION_DONE = "action_done"
    REFLECTION = "reflection"

    kind: str
    at: datetime
    goal: GoalRef
    text: str = ""  # the action done, or what the participant tried
    note: str = ""  # the note with a done action, or what the participant learned


# Of moments at the same instant, the later step in the learning comes first (newest first).
_TIMELINE_ORDER = {TimelineEntry.GOAL_SET: 0, TimelineEntry.ACTION_DONE: 1, TimelineEntry.REFLECTION: 2}


def timeline(membership: Membership) -> list[TimelineEntry]:
    """The participant's own learning, newest first: goals set, actions done, reflections written.

    Three queries, merged here, however many goals, actions and reflections there are.
    """
    organisation_id = membership.programme.organisation_id
    entries = [
        TimelineEntry(TimelineEntry.GOAL_SET, created_at, GoalRef(pk, title))
        for pk, title, created_at in membership.goals.order_by("-pk").values_list("pk", "title", "created_at")
    ]
    of_membership = {"goal__membership": membership}
    entries += [
        TimelineEntry(TimelineEntry.ACTION_DONE, done_at, GoalRef(goal_pk, title), description, note)
        for goal_pk, title, done_at, description, note in Action.objects.for_organisation(organisation_id)
        .filter(done_at__isnull=False, **of_membership)
        .order_by("-pk")
        .values_list("goal_id", "goal__title", "done_at", "description", "done_note")
    ]
    entries += [
        TimelineEntry(TimelineEntry.REFLECTION, created_at, GoalRef(goal_pk, title), tried, learned)
        for goal_pk, title, created_at, tried, learned in Reflection.objects.for_organisation(organisation_id)
        .filter(**of_membership)
        .order_by("-pk")
        .values_list("goal_id", "goal__title", "created_at", "tried", "learned")
    ]
    # Newest first; a stable sort keeps the newest rows first among equal moments (queries order by -pk).
    return sorted(entries, key=lambda entry: (entry.at, _TIMELINE_ORDER[entry.kind]), reverse=True)


# --- End assessment, growth and the participant's home -----------------------------------

# The end assessment opens this long before the harvest session (or the programme's end).
END_ASSESSMENT_OPENS_BEFORE = timedelta(days=28)


def end_assessment_opens_at(programme: Programme, harvest: datetime | None) -> datetime:
    """When the end assessment opens: four weeks before the harvest session (which starts at
    ``harvest``), or before the programme's end when it has none."""
    if harvest is None:
        harvest = timezone.make_aware(datetime.combine(programme.ends_on, time.min))
    return harvest - END_ASSESSMENT_OPENS_BEFORE


def end_assessment_is_open(programme: Programme) -> bool:
    harvest = programme.phases.filter(kind=Phase.Kind.HARVEST_SESSION).order_by("starts_at").first()
    return timezone.now() >= end_assessment_opens_at(programme, harvest.starts_at if harvest else None)


@dataclass
class GrowthRow:
    item: AssessmentItem
    start: int | None
    end: int | None

    @property
    def change(self) -> int | None:
        return None if self.start is None or self.end is None else self.end - self.start


def growth(membership: Membership) -> list[GrowthRow]:
    """The participant's own scores per statement, at the start and at the end (two queries)."""
    items = list(
        membership.programme.assessment_items.filter(kind=AssessmentItem.Kind.STATEMENT)
        .select_related("competency")
        .order_by("position", "pk")
    )
    scores: dict[str, dict[int, int]] = defaultdict(dict)
    answers = handed_in_scores().filter(response__membership=membership)
    for moment, item_id, score in answers.values_list("response__moment", "item_id", "score"):
        scores[moment][item_id] = score
    start, end = scores[AssessmentResponse.Moment.START], scores[AssessmentResponse.Moment.END]
    return [GrowthRow(item=item, start=start.get(item.pk), end=end.get(item.pk)) for item in items]


def handed_in_scores() -> QuerySet[AssessmentAnswer]:
    """Scores that count for growth: given on a statement in a self-assessment that was handed in."""
    return AssessmentAnswer.objects.unscoped().filter(response__submitted_at__isnull=False, score__isnull=False)


@dataclass(frozen=True)
class CompetencyGrowth:
    """One competency across a group of participants: their average score at the start and at the
    end, and how many participants both averages stand for."""

    competency: Competency
    people: int
    start: float | None
    end: float | None

    @property
    def change(self) -> float | None:
        return None if self.start is None or self.end is None else self.end - self.start


def group_growth(
    competencies: QuerySet[Competency], participants: QuerySet[Membership] | list[int]
) -> list[CompetencyGrowth]:
    """Per competency, the growth of ``participants`` (memberships, or their ids from a scoped
    query) who did both assessments (two queries).

    A score counts only when the same participant scored the same statement at the start and at
    the end, so both averages stand for the same people and the same statements; everyone
    scores every statement when they hand an assessment in, so each person weighs the same.
    The pairing is done here on the group's scores (a dozen per person) rather than by a
    correlated subquery per score, which made the database look every score's pair up again.
    """
    rows = (
        handed_in_scores()
        .filter(response__membership__in=participants, item__competency__isnull=False)
        .values_list("response__membership_id", "item_id", "item__competency_id", "response__moment", "score")
    )
    pairs: dict[tuple[int, int], list[tuple[int, str, int]]] = defaultdict(list)
    for membership_id, item_id, competency_id, moment, score in rows:
        pairs[membership_id, item_id].append((competency_id, moment, score))
    scores: dict[tuple[int, str], list[int]] = defaultdict(list)
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    for (membership_id, _item_id), scored in pairs.items():
        if len({moment for _competency_id, moment, _score in scored}) < 2:
            continue  # scored at one moment only: no growth to speak of
        for competency_id, moment, score in scored:
            scores[competency_id, moment].append(score)
            people[competency_id, moment].add(membership_id)

    def average(competency_id: int, moment: str) -> float | None:
        given = scores.get((competency_id, moment))
        return sum(given) / len(given) if given else None

    start, end = AssessmentResponse.Moment.START, AssessmentResponse.Moment.END
    return [
        CompetencyGrowth(
            competency=competency,
            people=len(people.get((competency.pk, start), ())),
            start=average(competency.pk, start),
            end=average(competency.pk, end),
        )
        for competency in competencies
    ]


@dataclass
class GoalProgress:
    title: str
    done: int
    total: int
    url: str  # the goal's page

    @property
    def percentage(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class NextAction:
    action: Action
    goal_url: str


@dataclass(frozen=True)
class AskedOfMe:
    """A colleague's question for feedback that this participant has not answered yet."""

    name: str  # whose goal it is
    goal: str  # its title
    url: str  # where to answer


@dataclass(frozen=True)
class ComingUp:
    """What is on a participant's agenda: a phase of the programme, an event they signed up for,
    or a coaching session planned with them."""

    kind: str  # "phase", "event" or "session"
    starts_at: datetime
    title: str  # the coach's name for a session
    url: str = ""  # where to read more, if anywhere
    location: str = ""
    waiting: bool = False  # on the event's waiting list


@dataclass
class ProgrammeHome:
    """What a participant sees first for one programme they take part in."""

    programme: Programme
    next_actions: list[NextAction] = field(default_factory=list)
    goals: list[GoalProgress] = field(default_factory=list)
    coming_up: list[ComingUp] = field(default_factory=list)  # in order of time
    questions_waiting: int = 0
    end_assessment_opens_at: datetime | None = None
    start_done: bool = False
    end_done: bool = False
    answers: list[Any] = field(default_factory=list)  # managers' answers to the harvest
    recognitions: list[Any] = field(default_factory=list)  # positive attention received

    @property
    def end_assessment_open(self) -> bool:
        return bool(self.end_assessment_opens_at and timezone.now() >= self.end_assessment_opens_at)


@dataclass
class ParticipantHome:
    programmes: list[ProgrammeHome]
    asked_of_me: list[AskedOfMe]


NEXT_ACTIONS = 5
UPCOMING_PHASES = 2


def _goal_url(programme_id: int, goal_id: int) -> str:
    return reverse("learners:goal", args=[programme_id, goal_id])


# The goals of some participations, oldest first, with their actions done and all, and the
# feedback asks on them not answered yet.
_GOALS = """
    SELECT goal.id, goal.membership_id, goal.title,
        COUNT(DISTINCT a.id), COUNT(DISTINCT CASE WHEN a.done_at IS NOT NULL THEN a.id END),
        COUNT(DISTINCT CASE WHEN ask.answered_at IS NULL THEN ask.id END)
    FROM learners_goal goal
    LEFT JOIN learners_action a ON a.goal_id = goal.id
    LEFT JOIN learners_feedbackrequest request ON request.goal_id = goal.id
    LEFT JOIN learners_feedbackask ask ON ask.request_id = request.id
    WHERE goal.membership_id IN (%(memberships)s)
    GROUP BY goal.id, goal.membership_id, goal.title, goal.created_at
    ORDER BY goal.created_at, goal.id"""

# The open actions of some participations, those due first first.
_OPEN_ACTIONS = """
    SELECT a.*, goal.membership_id
    FROM learners_action a
    JOIN learners_goal goal ON goal.id = a.goal_id
    WHERE goal.membership_id IN (%(memberships)s) AND a.done_at IS NULL
    ORDER BY a.due_on IS NULL, a.due_on, a.id"""

# What is on the participant's agenda, in order of time: every phase of their programmes (the
# harvest session's also when it is past, for the end assessment), the events to come they
# signed up for, and the coaching sessions to come planned with them (with their coach's name, if
# the coach still has an account).
_AGENDA = """
    SELECT 'phase', p.programme_id, p.kind, p.title, p.starts_at, p.location, '', p.id
    FROM programmes_phase p
    WHERE p.programme_id IN (%(programmes)s)
    UNION ALL
    SELECT 'event', e.programme_id, e.kind, e.title, e.starts_at, '', r.status, e.id
    FROM programmes_registration r
    JOIN programmes_event e ON e.id = r.event_id
    WHERE r.user_id = %(user)s AND e.programme_id IN (%(programmes)s) AND e.starts_at >= %(now)s
        AND r.status <> %(cancelled)s
    UNION ALL
    SELECT 'session', m.programme_id, '', COALESCE(TRIM(coach.first_name || ' ' || coach.last_name), ''), s.starts_at,
        '', '', s.id
    FROM coaching_coachingsession s
    JOIN programmes_membership m ON m.id = s.membership_id
    LEFT JOIN accounts_user coach ON coach.id = s.coach_id
    WHERE s.membership_id IN (%(memberships)s) AND s.status = %(planned)s AND s.starts_at >= %(now)s
    ORDER BY 5, 1, 8"""


def participant_home(user: Any, programmes: list[Programme]) -> ParticipantHome:
    """Next actions, progress per goal, what is coming (phases, my events, my coaching sessions),
    feedback asked of me, the end assessment, the managers' answers to the harvest and positive
    attention, for each programme the user takes part in: a fixed number of queries however much there is.

    The programmes and the user's own participations were read scoped (the participations with
    the roles, once per request): the statements below filter by their ids alone, without joins
    up to the organisation, and read only what the page shows. They are SQL (``leertraject.sql``):
    the ORM took three to five times as long to build them as the database to answer."""
    now = timezone.now()
    by_programme = {programme.pk: ProgrammeHome(programme=programme) for programme in programmes}
    programme_of = {pk: programme for pk, programme in participations(user).items() if programme in by_programme}
    for goal_id, membership_id, title, total, done, waiting in sql.fetch(_GOALS, memberships=list(programme_of)):
        home = by_programme[programme_of[membership_id]]
        home.goals.append(GoalProgress(title, done, total, _goal_url(home.programme.pk, goal_id)))
        home.questions_waiting += waiting
    for action in sql.objects(Action, _OPEN_ACTIONS, memberships=list(programme_of)):
        home = by_programme[programme_of[action.membership_id]]
        if len(home.next_actions) < NEXT_ACTIONS:
            home.next_actions.append(NextAction(action, _goal_url(home.programme.pk, action.goal_id)))
    _fill_agenda(by_programme, user=user, memberships=list(programme_of), now=now)
    # What each participation has, in one query: its start and end assessment handed in, positive
    # attention received, and whether its programme's managers answered the harvest yet. The
    # answers and the attention (each a query with joins) are read only where there are any,
    # which for most of a programme's life there are not.
    responses = AssessmentResponse.objects.unscoped().filter(membership=OuterRef("pk"))
    states = (
        Membership.objects.unscoped()
        .filter(pk__in=list(programme_of))
        .annotate(
            start_done=Exists(responses.handed_in(AssessmentResponse.Moment.START)),
            end_done=Exists(responses.handed_in(AssessmentResponse.Moment.END)),
            recognised=Exists(Recognition.objects.unscoped().filter(membership=OuterRef("pk"))),
            answered=Exists(Answer.objects.unscoped().filter(programme=OuterRef("programme_id"))),
        )
        .order_by()
        .values_list("pk", "start_done", "end_done", "recognised", "answered")
    )
    recognised: dict[int, int] = {}
    answered: set[int] = set()
    for membership_id, start_done, end_done, was_recognised, programme_answered in states:
        home = by_programme[programme_of[membership_id]]
        home.start_done, home.end_done = home.start_done or start_done, home.end_done or end_done
        if was_recognised:
            recognised[membership_id] = programme_of[membership_id]
        if programme_answered:
            answered.add(programme_of[membership_id])
    if answered:
        for programme_id, answers in answers_by_programme(answered).items():
            by_programme[programme_id].answers = answers
    if recognised:
        for programme_id, recognitions in recognitions_by_programme(recognised).items():
            by_programme[programme_id].recognitions = recognitions
    return ParticipantHome(programmes=list(by_programme.values()), asked_of_me=asked_of(user, now=now))


def _fill_agenda(by_programme: dict[int, ProgrammeHome], *, user: Any, memberships: list[int], now: datetime) -> None:
    """Each programme's agenda to come (at most ``UPCOMING_PHASES`` phases) and when its end
    assessment opens: one statement."""
    harvest_at: dict[int, datetime] = {}
    agenda = sql.fetch(
        _AGENDA,
        programmes=list(by_programme),
        memberships=memberships,
        user=user.pk,
        now=now,
        cancelled=Registration.Status.CANCELLED,
        planned=CoachingSession.Status.PLANNED,
    )
    for what, programme_id, kind, title, starts_at, location, status, pk in agenda:
        home, starts_at = by_programme[programme_id], sql.moment(starts_at)
        if what == "phase":
            if kind == Phase.Kind.HARVEST_SESSION:
                harvest_at.setdefault(programme_id, starts_at)
            if starts_at < now or sum(entry.kind == "phase" for entry in home.coming_up) >= UPCOMING_PHASES:
                continue
            harvest = kind == Phase.Kind.HARVEST_SESSION
            url = reverse("harvest:hub", args=[programme_id]) if harvest else ""
            entry = ComingUp(what, starts_at, Phase(kind=kind, title=title).display_title, url, location)
        elif what == "event":
            url = reverse("programmes:event_detail", args=[programme_id, pk])
            entry = ComingUp(what, starts_at, title, url, waiting=status == Registration.Status.WAITING)
        else:
            entry = ComingUp(what, starts_at, title, reverse("coaching_sessions:detail", args=[programme_id, pk]))
        home.coming_up.append(entry)
    for programme_id, home in by_programme.items():
        home.end_assessment_opens_at = end_assessment_opens_at(home.programme, harvest_at.get(programme_id))


def asked_of(user: Any, *, now: datetime) -> list[AskedOfMe]:
    """The feedback colleagues asked of ``user`` that is still open and not yet answered (one
    query): whose goal and which, and the link to answer."""
    asks = sql.fetch(  # asked of this user: narrower than their organisation
        """SELECT ask.id, goal.title, asker.first_name, asker.last_name
        FROM learners_feedbackask ask
        JOIN learners_feedbackrequest request ON request.id = ask.request_id
        JOIN learners_goal goal ON goal.id = request.goal_id
        JOIN programmes_membership m ON m.id = goal.membership_id
        JOIN accounts_user asker ON asker.id = m.user_id
        WHERE ask.user_id = %(user)s AND ask.answered_at IS NULL AND request.created_at >= %(since)s
        ORDER BY request.created_at, ask.id""",
        user=user.pk,
        since=now - LINK_VALID_FOR,
    )
    return [
        AskedOfMe(name=f"{first} {last}".strip(), goal=title, url=FeedbackAsk(pk=pk).get_answer_url())
        for pk, title, first, last in asks
    ]


def has_plan() -> Exists:
    """For a queryset of memberships: whether the participant's learning plan has begun, that is
    holds at least one goal."""
    return Exists(Goal.objects.unscoped().filter(membership=OuterRef("pk")))
