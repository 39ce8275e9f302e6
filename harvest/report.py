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
from itertools import groupby
from operator import attrgetter

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.template.defaultfilters import linebreaksbr
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import User
from coaching.models import Community, CommunityAction
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

    @property
    def reason_groups(self) -> list[tuple[str, SafeString]]:
        """The reasons under their outcome's label, as the items of a list, each escaped with its
        line breaks kept (``linebreaksbr`` escapes, so the joined items are safe): made here in one
        go, as the hundreds of reasons of a programme cost the template a loop step, a lookup and
        a filter call each."""
        return [
            (label, SafeString("".join(f"<li>{linebreaksbr(reason.why)}</li>" for reason in reasons)))
            for label, reasons in groupby(self.reasons, key=attrgetter("label"))
        ]


@dataclass
class ContributionItem:
    """A contribution: under its community's name, or an individual one without a name."""

    contribution: Contribution
    answers: list[Answer] = field(default_factory=list)

    @property
    def community(self) -> Community | None:
        return self.contribution.community

    @property
    def about(self) -> str:
        """The heading: the community's name, or that it is a participant's own."""
        if self.community is None:
            return _("Individual contribution")
        return _("Community %(name)s") % {"name": self.community.name}

    @property
    def parts(self) -> list[tuple[str, SafeString]]:
        """The parts filled in under their labels, each escaped with its line breaks kept: made
        here so that the template loops once rather than testing and filtering every part of
        every contribution."""
        contribution = self.contribution
        parts = (
            (_("What we achieved"), contribution.achieved),
            (_("What we did not achieve"), contribution.not_achieved),
            (_("Why not"), contribution.why_not),
            (_("What we learned"), contribution.learned),
        )
        return [(label, linebreaksbr(text)) for label, text in parts if text]


@dataclass(frozen=True)
class ActionRow:
    """An action with the labels of its kind, status and outcome, looked up once per report:
    ``get_kind_display()`` and its kin translate every choice of the field on each call. The
    date and the reason come formatted too, as the template's filters cost more per row."""

    action: CommunityAction
    kind: str
    status: str
    outcome: str
    due_on: str  # the date formatted for reading; empty: no date
    reason: SafeString  # escaped with its line breaks kept


@dataclass
class CommunityActions:
    community: Community
    rows: list[ActionRow] = field(default_factory=list)

    @property
    def actions(self) -> list[CommunityAction]:
        return [row.action for row in self.rows]


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
    programme's, when already read). At most eleven queries, however many participants.

    The participants' ids, read once with the counts, narrow the goal and growth queries: a
    plain list of ids plans and runs faster than the programme's subquery in each of them. The
    programme's parts are read through the programme (fetched scoped), so without the join to
    its organisation that each ``for_organisation`` adds."""
    if communities is None:
        communities = list(programme.communities.order_by("name", "pk"))
    participants = programme.memberships.filter(role=Membership.Role.PARTICIPANT)
    if community is not None:
        participants = participants.filter(community_member__community=community)
    ids, counts = _participation(participants)
    people = counts["enrolled"]
    shown = enough_people(people)

    contributions = _contributions(programme, community, participants, communities)
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
        participation=Participation(**counts) if shown else None,
        goals=_goal_outcomes(ids, shown=shown),
        contributions=items,
        community_actions=_community_actions(communities if community is None else [community]),
        growth=[
            GrowthFigure(growth, shown=shown and enough_people(growth.people))
            for growth in group_growth(programme.competencies.order_by("name", "pk"), ids)
        ],
        quotes=_quotes(contributions, session),
        initiatives=_initiatives(programme, community, participants, shown=shown),
        theme_answers=[answer for answer in answers if not answer.contribution_id],
    )


def _participation(participants: QuerySet[Membership]) -> tuple[list[int], dict[str, int]]:
    """The participants' ids, and how many there are, were active, have a plan (a goal) and
    reflections (one query, a row per participant). Active is what the coach dashboard calls any
    activity (``MemberState.last_activity``): signed in, or wrote a goal, since every action,
    reflection and feedback request hangs on one. The sign-in is read per row by its key rather
    than by joining the users, which made PostgreSQL scan them all."""
    last_login = User.objects.filter(pk=OuterRef("user_id")).order_by().values("last_login")[:1]
    reflections = Reflection.objects.unscoped().filter(goal__membership=OuterRef("pk"))
    rows = list(
        participants.annotate(signed_in_at=Subquery(last_login), plan=has_plan(), reflected=Exists(reflections))
        .order_by()
        .values_list("pk", "signed_in_at", "plan", "reflected")
    )
    counts = {
        "enrolled": len(rows),
        "active": sum(1 for _pk, signed_in_at, plan, _reflected in rows if signed_in_at is not None or plan),
        "with_plan": sum(1 for _pk, _signed_in_at, plan, _reflected in rows if plan),
        "with_reflections": sum(1 for *_row, reflected in rows if reflected),
    }
    return [pk for pk, *_row in rows], counts


def _goal_outcomes(participants: list[int], *, shown: bool) -> GoalOutcomes:
    """Counts per outcome (only for a group of five or more) and the reasons given for goals
    achieved partly or not, of the participants with these ids (read by a scoped query): one
    query for both, counted here."""
    goals = (
        Goal.objects.unscoped()
        .filter(membership__in=participants)
        .order_by("outcome", "updated_at", "pk")  # "not_achieved" before "partly"
        .values_list("outcome", "outcome_why")
    )
    labels = {outcome: str(label) for outcome, label in Goal.Outcome.choices}
    counts: dict[str, int] = defaultdict(int)
    reasons = []
    for outcome, why in goals:
        counts[outcome] += 1
        if why and outcome in (Goal.Outcome.NOT_ACHIEVED, Goal.Outcome.PARTLY):
            reasons.append(Reason(outcome, labels[outcome], why))
    result = GoalOutcomes(reasons=reasons)
    if shown:
        result.achieved = counts[Goal.Outcome.ACHIEVED]
        result.partly = counts[Goal.Outcome.PARTLY]
        result.not_achieved = counts[Goal.Outcome.NOT_ACHIEVED]
        result.open = counts[""]
    return result


def _contributions(
    programme: Programme,
    community: Community | None,
    participants: QuerySet[Membership],
    communities: list[Community],
) -> list[Contribution]:
    """Community contributions by community name, then individual ones in the order written.
    The programme's communities, already read in that order, stand in for a join: each
    contribution gets its community from them and is sorted by its place among them."""
    contributions = programme.contributions.all()
    if community is not None:
        contributions = contributions.filter(
            Q(community=community) | Q(community__isnull=True, author__in=participants.values("user_id"))
        )
    by_pk = {each.pk: each for each in communities}
    place = {pk: index for index, pk in enumerate(by_pk)}
    result = list(contributions.order_by("created_at", "pk"))
    for contribution in result:
        if contribution.community_id in by_pk:
            contribution.community = by_pk[contribution.community_id]
    return sorted(result, key=lambda contribution: place.get(contribution.community_id, len(place)))


def _answers(programme: Programme) -> list[Answer]:
    """Every answer of the programme's managers, oldest first, marked when changed since."""
    changed = AnswerVersion.objects.unscoped().filter(answer=OuterRef("pk"))
    return list(
        programme.answers.annotate(changed=Exists(changed)).select_related("manager").order_by("created_at", "pk")
    )


def _community_actions(communities: list[Community]) -> list[CommunityActions]:
    """The actions of these communities (the programme's, read scoped), by community in their
    order; the communities already read stand in for a join."""
    by_community: dict[int, list[CommunityAction]] = defaultdict(list)
    actions = (
        CommunityAction.objects.unscoped()
        .filter(community__in=[community.pk for community in communities])
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    for action in actions:
        by_community[action.community_id].append(action)
    kinds, statuses, outcomes = (
        {value: str(label) for value, label in choices.choices}
        for choices in (CommunityAction.Kind, CommunityAction.Status, CommunityAction.Outcome)
    )
    blocks = []
    for community in communities:
        rows = []
        for action in by_community[community.pk]:
            action.community = community
            rows.append(
                ActionRow(
                    action,
                    kinds.get(action.kind, action.kind),
                    statuses.get(action.status, action.status),
                    outcomes.get(action.outcome, action.outcome),
                    formats.date_format(action.due_on, "DATE_FORMAT") if action.due_on else "",
                    linebreaksbr(action.outcome_reason),
                )
            )
        if rows:
            blocks.append(CommunityActions(community, rows))
    return blocks


def _quotes(contributions: list[Contribution], session: Phase | None) -> list[QuoteItem]:
    """The quotes shown (consented, not withdrawn) of these contributions (read scoped), oldest
    first."""
    by_pk = {contribution.pk: contribution for contribution in contributions}
    quotes = (
        Quote.objects.unscoped()
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
    initiatives = programme.initiatives.annotate(signup_count=Count("signups", filter=of_group)).order_by(
        "created_at", "pk"
    )
    return [
        InitiativeItem(
            initiative, initiative.signup_count if shown and enough_people(initiative.signup_count) else None
        )
        for initiative in initiatives
    ]
