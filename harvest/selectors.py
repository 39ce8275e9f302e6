"""Reads for the harvest hub, the contribution pages, goal outcomes and the closing view: each a
fixed number of queries however many participants, communities and stories there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from coaching.models import Community
from learners.models import Goal
from programmes.models import Membership, Phase, Programme

from .models import Contribution, LearningStory, Quote


def phase_of(programme: Programme, kind: str) -> Phase | None:
    """The programme's first phase of this kind (the harvest session, the closing), or None."""
    return programme.phases.filter(kind=kind).order_by("starts_at", "pk").first()


def participation(user: Any, programme: Programme) -> Membership | None:
    """The user's participant role in the programme, or None for coaches, managers and HR."""
    return (
        Membership.objects.for_organisation(user.organisation_id)
        .filter(programme=programme, user=user, role=Membership.Role.PARTICIPANT)
        .select_related("programme", "user")
        .first()
    )


def own_contribution(user: Any, programme: Programme) -> Contribution | None:
    return (
        Contribution.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme, author=user, community__isnull=True)
        .first()
    )


def community_contribution(community: Community) -> Contribution | None:
    return community.contributions.select_related("author").first()


def quotes_of(user: Any, contributions: list[Contribution]) -> QuerySet[Quote]:
    """The user's own quotes with these contributions, oldest first."""
    return (
        Quote.objects.for_organisation(user.organisation_id)
        .filter(author=user, contribution__in=[contribution.pk for contribution in contributions])
        .select_related("contribution__community")
        .order_by("created_at", "pk")
    )


@dataclass
class CommunityPart:
    """A community the user takes part in (member or coach), with its contribution if written."""

    community: Community
    contribution: Contribution | None


@dataclass
class OutcomeCount:
    total: int = 0
    given: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.given


@dataclass
class Hub:
    """What one person prepares for the harvest of one programme, and where it stands."""

    harvest_session: Phase | None
    closing: Phase | None
    membership: Membership | None
    own: Contribution | None = None
    communities: list[CommunityPart] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    outcomes: OutcomeCount = field(default_factory=OutcomeCount)
    story: LearningStory | None = None


def hub(user: Any, programme: Programme) -> Hub:
    """The harvest hub: the session, and the user's own contribution, communities, quotes, goal
    outcomes and story (eight queries at most, whatever the programme's size)."""
    phases = list(
        programme.phases.filter(kind__in=[Phase.Kind.HARVEST_SESSION, Phase.Kind.CLOSING]).order_by("starts_at", "pk")
    )
    membership = participation(user, programme)
    result = Hub(
        harvest_session=next((phase for phase in phases if phase.kind == Phase.Kind.HARVEST_SESSION), None),
        closing=next((phase for phase in phases if phase.kind == Phase.Kind.CLOSING), None),
        membership=membership,
    )
    organisation = programme.organisation_id
    communities = (
        Community.objects.for_organisation(organisation)
        .filter(Q(members__membership__user=user) | Q(coaches=user), programme=programme)
        .distinct()
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.for_organisation(organisation).select_related("author"),
            )
        )
        .order_by("name", "pk")
    )
    result.communities = [
        CommunityPart(community, next(iter(community.contributions.all()), None)) for community in communities
    ]
    contributions = [part.contribution for part in result.communities if part.contribution]
    if membership is not None:
        result.own = own_contribution(user, programme)
        if result.own:
            contributions.append(result.own)
        outcomes = Goal.objects.for_organisation(organisation).filter(membership=membership)
        for outcome in outcomes.values_list("outcome", flat=True):
            result.outcomes.total += 1
            result.outcomes.given += bool(outcome)
        result.story = LearningStory.objects.for_organisation(organisation).filter(membership=membership).first()
    if contributions:
        result.quotes = list(quotes_of(user, contributions))
    return result


def goals_for_outcomes(membership: Membership) -> QuerySet[Goal]:
    """The participant's own goals, in the order of their plan."""
    return (
        Goal.objects.for_organisation(membership.programme.organisation_id)
        .filter(membership=membership)
        .select_related("membership")
        .order_by("created_at", "pk")
    )


def story_of(membership: Membership) -> LearningStory | None:
    return (
        LearningStory.objects.for_organisation(membership.programme.organisation_id)
        .filter(membership=membership)
        .first()
    )


def shared_stories(programme: Programme) -> QuerySet[LearningStory]:
    """Stories their authors chose to show at the closing session, with their names; newest last."""
    return (
        LearningStory.objects.for_organisation(programme.organisation_id)
        .filter(
            membership__programme=programme,
            membership__role=Membership.Role.PARTICIPANT,
            shared=True,
        )
        .select_related("membership__user")
        .order_by("updated_at", "pk")
    )
