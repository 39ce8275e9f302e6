"""The managers' harvest report: what the programme (or one community) produced, what not, and
why (seeds 003 and 004). One read, a fixed number of queries however many participants.

The fewer-than-five rule: no figure (count, average, percentage, bar) is given for a group smaller
than ``MIN_GROUP_SIZE`` people; it could point at a person. Texts come without names, except a
quote whose author asked for their name with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coaching.models import Community, CommunityAction
from coaching.selectors import member_states
from learners.models import Goal, Reflection
from learners.selectors import CompetencyGrowth, group_growth, has_plan
from programmes.models import Membership, Phase, Programme

from .charts import BarChart, growth_chart
from .models import MIN_GROUP_SIZE, Answer, AnswerVersion, Contribution, Initiative, Quote
from .selectors import phase_of


def enough_people(people: int) -> bool:
    """Whether a figure about this many people may be shown."""
    return people >= MIN_GROUP_SIZE


def percentage(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class Participation:
    enrolled: int
    active: int
    with_plan: int
    with_reflections: int

    @property
    def active_percentage(self) -> int:
        return percentage(self.active, self.enrolled)

    @property
    def with_plan_percentage(self) -> int:
        return percentage(self.with_plan, self.enrolled)

    @property
    def with_reflections_percentage(self) -> int:
        return percentage(self.with_reflections, self.enrolled)


@dataclass(frozen=True)
class Reason:
    """Why a goal was achieved only partly, or not: the participant's words, without their name."""

    outcome: str
    label: str
    why: str


@dataclass
class GoalOutcomes:
    """How the participants' goals ended. The counts are None for a group smaller than five."""

    achieved: int | None = None
    partly: int | None = None
    not_achieved: int | None = None
    open: int | None = None
    reasons: list[Reason] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        counts = (self.achieved, self.partly, self.not_achieved, self.open)
        return None if self.achieved is None else sum(count or 0 for count in counts)


@dataclass
class ContributionItem:
    """A contribution: under its community's name, or an individual one without a name."""

    contribution: Contribution
    answers: list[Answer] = field(default_factory=list)

    @property
    def community(self) -> Community | None:
        return self.contribution.community


@dataclass
class CommunityActions:
    community: Community
    actions: list[CommunityAction] = field(default_factory=list)


@dataclass(frozen=True)
class GrowthFigure:
    """A competency's growth; not ``shown`` when fewer than five people did both assessments."""

    growth: CompetencyGrowth
    shown: bool

    @property
    def name(self) -> str:
        return self.growth.competency.name


@dataclass(frozen=True)
class QuoteItem:
    """A consented quote and where it comes from; ``name`` only when its author asked for it."""

    text: str
    community: str  # empty: an individual contribution
    session: str
    said_on: date
    name: str


@dataclass(frozen=True)
class InitiativeItem:
    initiative: Initiative
    signups: int | None  # None: fewer than five people signed up


@dataclass
class HarvestReport:
    programme: Programme
    community: Community | None
    communities: list[Community]
    harvest_session: Phase | None
    people: int  # the participants the report is about
    participation: Participation | None
    goals: GoalOutcomes
    contributions: list[ContributionItem]
    community_actions: list[CommunityActions]
    growth: list[GrowthFigure]
    quotes: list[QuoteItem]
    initiatives: list[InitiativeItem]
    theme_answers: list[Answer]

    @property
    def shown(self) -> bool:
        """Whether the group is large enough for any figure at all."""
        return enough_people(self.people)

    @property
    def growth_shown(self) -> list[GrowthFigure]:
        return [figure for figure in self.growth if figure.shown]

    @property
    def rising(self) -> int:
        """On how many of the competencies shown the average score rose."""
        return sum(1 for figure in self.growth_shown if (figure.growth.change or 0) > 0)

    @property
    def chart(self) -> BarChart | None:
        """The growth chart: only the competencies whose figures may be shown."""
        return growth_chart([figure.growth for figure in self.growth_shown])

    @property
    def answer_count(self) -> int:
        return len(self.theme_answers) + sum(len(item.answers) for item in self.contributions)


def community_in(communities: list[Community], pk: object) -> Community | None:
    """The community ``pk`` (from ``?community=``) among the programme's; 404 for any other."""
    if pk in (None, ""):
        return None
    match = next((community for community in communities if str(community.pk) == str(pk)), None)
    if match is None:
        raise Http404
    return match


def harvest_report(
    programme: Programme, community: Community | None = None, *, communities: list[Community] | None = None
) -> HarvestReport:
    """The harvest report of ``programme``, or of one of its communities (``communities``: the
    programme's, when already read). At most thirteen queries, however many participants."""
    organisation = programme.organisation_id
    if communities is None:
        communities = list(programme.communities.order_by("name", "pk"))
    participants = programme.memberships.filter(role=Membership.Role.PARTICIPANT)
    if community is not None:
        participants = participants.filter(community_member__community=community)
    counts = _counts(participants)
    people = counts["enrolled"]
    shown = enough_people(people)

    contributions = _contributions(programme, community, participants)
    answers = _answers(programme)
    by_contribution: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        if answer.contribution_id:
            by_contribution[answer.contribution_id].append(answer)
    items = [ContributionItem(contribution, by_contribution[contribution.pk]) for contribution in contributions]
    session = phase_of(programme, Phase.Kind.HARVEST_SESSION)

    return HarvestReport(
        programme=programme,
        community=community,
        communities=communities,
        harvest_session=session,
        people=people,
        participation=_participation(programme, participants, counts) if shown else None,
        goals=_goal_outcomes(participants, shown=shown),
        contributions=items,
        community_actions=_community_actions(programme, community),
        growth=[
            GrowthFigure(growth, shown=shown and enough_people(growth.people))
            for growth in group_growth(programme.competencies.order_by("name", "pk"), participants)
        ],
        quotes=_quotes(organisation, contributions, session),
        initiatives=_initiatives(programme, community, participants, shown=shown),
        theme_answers=[answer for answer in answers if not answer.contribution_id],
    )


def _counts(participants: QuerySet[Membership]) -> dict[str, int]:
    """How many participants there are, with a plan (a goal), and with reflections (one query)."""
    reflections = Reflection.objects.unscoped().filter(goal__membership=OuterRef("pk"))
    return participants.aggregate(
        enrolled=Count("pk"),
        with_plan=Count("pk", filter=Q(has_plan())),
        with_reflections=Count("pk", filter=Q(Exists(reflections))),
    )


def _participation(programme: Programme, participants: QuerySet[Membership], counts: dict[str, int]) -> Participation:
    """The counts, and how many were active: did anything at all, as the coach dashboard counts
    it (two queries)."""
    active = sum(1 for state in member_states(programme, participants) if state.last_activity is not None)
    return Participation(active=active, **counts)


def _goal_outcomes(participants: QuerySet[Membership], *, shown: bool) -> GoalOutcomes:
    """Counts per outcome (one query, only for a group of five or more) and the reasons given
    for goals achieved partly or not (one query)."""
    goals = Goal.objects.unscoped().filter(membership__in=participants)
    result = GoalOutcomes()
    if shown:
        counts = goals.aggregate(
            achieved=Count("pk", filter=Q(outcome=Goal.Outcome.ACHIEVED)),
            partly=Count("pk", filter=Q(outcome=Goal.Outcome.PARTLY)),
            not_achieved=Count("pk", filter=Q(outcome=Goal.Outcome.NOT_ACHIEVED)),
            open=Count("pk", filter=Q(outcome="")),
        )
        result = GoalOutcomes(**counts)
    labels = dict(Goal.Outcome.choices)
    reasons = (
        goals.filter(outcome__in=[Goal.Outcome.NOT_ACHIEVED, Goal.Outcome.PARTLY])
        .exclude(outcome_why="")
        .order_by("outcome", "updated_at", "pk")  # "not_achieved" before "partly"
        .values_list("outcome", "outcome_why")
    )
    result.reasons = [Reason(outcome, str(labels[outcome]), why) for outcome, why in reasons]
    return result


def _contributions(
    programme: Programme, community: Community | None, participants: QuerySet[Membership]
) -> list[Contribution]:
    """Community contributions by community name, then individual ones in the order written."""
    contributions = Contribution.objects.for_organisation(programme.organisation_id).filter(programme=programme)
    if community is not None:
        contributions = contributions.filter(
            Q(community=community) | Q(community__isnull=True, author__in=participants.values("user_id"))
        )
    return list(
        contributions.select_related("community").order_by(
            F("community__name").asc(nulls_last=True), "community_id", "created_at", "pk"
        )
    )


def _answers(programme: Programme) -> list[Answer]:
    """Every answer of the programme's managers, oldest first, marked when changed since."""
    changed = AnswerVersion.objects.unscoped().filter(answer=OuterRef("pk"))
    return list(
        Answer.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme)
        .annotate(changed=Exists(changed))
        .select_related("manager")
        .order_by("created_at", "pk")
    )


def _community_actions(programme: Programme, community: Community | None) -> list[CommunityActions]:
    actions = (
        CommunityAction.objects.for_organisation(programme.organisation_id)
        .filter(community__programme=programme)
        .select_related("community")
        .order_by("community__name", "community_id", F("due_on").asc(nulls_last=True), "pk")
    )
    if community is not None:
        actions = actions.filter(community=community)
    blocks: dict[int, CommunityActions] = {}
    for action in actions:
        blocks.setdefault(action.community_id, CommunityActions(action.community)).actions.append(action)
    return list(blocks.values())


def _quotes(organisation: int, contributions: list[Contribution], session: Phase | None) -> list[QuoteItem]:
    """The quotes shown (consented, not withdrawn) of these contributions, oldest first."""
    by_pk = {contribution.pk: contribution for contribution in contributions}
    quotes = (
        Quote.objects.for_organisation(organisation)
        .shown()
        .filter(contribution__in=list(by_pk))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    items = []
    for quote in quotes:
        community = by_pk[quote.contribution_id].community
        items.append(
            QuoteItem(
                text=quote.text,
                community=community.name if community else "",
                session=session.display_title if session else "",
                said_on=timezone.localdate(quote.created_at),
                name=quote.author.get_full_name() if quote.named else "",
            )
        )
    return items


def _initiatives(
    programme: Programme, community: Community | None, participants: QuerySet[Membership], *, shown: bool
) -> list[InitiativeItem]:
    """The new initiatives with how many signed up (of the community, when filtered)."""
    of_group = Q(signups__user__in=participants.values("user_id")) if community is not None else Q()
    initiatives = (
        Initiative.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme)
        .annotate(signup_count=Count("signups", filter=of_group))
        .order_by("created_at", "pk")
    )
    return [
        InitiativeItem(
            initiative, initiative.signup_count if shown and enough_people(initiative.signup_count) else None
        )
        for initiative in initiatives
    ]
