"""Reads about participants' learning, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Prefetch, QuerySet
from django.http import Http404

from programmes.models import AssessmentItem, BehaviourIndicator, Competency, Membership, Programme

from .models import Action, Activity, AssessmentAnswer, AssessmentResponse, Goal, Reflection, Swot

# A participant who rates themselves this low on average on a competency's statements at the
# start wants to develop it, whether or not a goal names it yet.
LOW_SCORE = 2.5


def own_membership(user: Any, programme: Programme) -> Membership:
    """The user's participation in the programme; 404 for anyone who does not take part."""
    membership = (
        Membership.objects.for_organisation(user.organisation_id)
        .filter(programme=programme, user=user, role=Membership.Role.PARTICIPANT)
        .select_related("programme", "user")
        .first()
    )
    if membership is None:
        raise Http404
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


def swot_of(membership: Membership) -> Swot | None:
    return (
        Swot.objects.unscoped()
        .filter(membership=membership)
        .prefetch_related(Prefetch("strong_in", queryset=Competency.objects.unscoped().order_by("name")))
        .first()
    )


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
    return goals_with_details(membership.goals.order_by("created_at", "pk"))


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


def onboarding(membership: Membership) -> Onboarding:
    """What the participant has done so far (three queries)."""
    swot = Swot.objects.unscoped().filter(membership=membership).first()
    return Onboarding(
        has_assessment=membership.programme.assessment_items.exists(),
        assessment_done=AssessmentResponse.objects.unscoped()
        .filter(membership=membership, moment=AssessmentResponse.Moment.START, submitted_at__isnull=False)
        .exists(),
        swot_done=bool(swot and swot.is_filled),
        plan_started=membership.goals.exists(),
    )


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
