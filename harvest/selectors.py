"""Reads for the harvest hub, the contribution pages, goal outcomes and the closing view: each a
fixed number of queries however many participants, communities and stories there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
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


# --- The harvest report's version -------------------------------------------------------------

# Every row the harvest report of a programme is made of (``harvest.report``: its figures, texts,
# names and headings), each as its table, id, ``xmin`` and ``ctid``. PostgreSQL writes a new
# version of a row on every change, at a new ``ctid`` and, from a later transaction, with a new
# ``xmin``, however the change was made: a form, a bulk update, the admin site, a migration. The
# count of the rows and the sum of their hashes therefore change whenever one is added, changed or
# deleted. ``tests/harvest/test_report_cache.py`` changes each kind of row and checks the report.
REPORT_VERSION_SQL = """
WITH members AS (SELECT id, user_id FROM programmes_membership WHERE programme_id = %(programme)s),
     contributions AS (SELECT id FROM harvest_contribution WHERE programme_id = %(programme)s),
     answers AS (SELECT id, manager_id FROM harvest_answer WHERE programme_id = %(programme)s),
     goals AS (SELECT id FROM learners_goal WHERE membership_id IN (SELECT id FROM members)),
     responses AS (SELECT id FROM learners_assessmentresponse WHERE membership_id IN (SELECT id FROM members)),
     links AS (SELECT id, competency_id FROM programmes_programme_competencies WHERE programme_id = %(programme)s)
SELECT count(*) || '-' || coalesce(sum(hashtextextended(kind || id || '.' || xmin || ctid, 0)), 0) FROM (
    SELECT 'programme', id, xmin, ctid FROM programmes_programme WHERE id = %(programme)s
    UNION ALL SELECT 'link', id, xmin, ctid FROM programmes_programme_competencies WHERE id IN (SELECT id FROM links)
    UNION ALL SELECT 'competency', id, xmin, ctid FROM programmes_competency
        WHERE id IN (SELECT competency_id FROM links)
    UNION ALL SELECT 'item', id, xmin, ctid FROM programmes_assessmentitem WHERE programme_id = %(programme)s
    UNION ALL SELECT 'phase', id, xmin, ctid FROM programmes_phase WHERE programme_id = %(programme)s
    UNION ALL SELECT 'membership', id, xmin, ctid FROM programmes_membership WHERE programme_id = %(programme)s
    UNION ALL SELECT 'user', id, xmin, ctid FROM accounts_user WHERE id IN (
        SELECT user_id FROM members UNION SELECT manager_id FROM answers
        UNION SELECT author_id FROM harvest_quote WHERE contribution_id IN (SELECT id FROM contributions))
    UNION ALL SELECT 'community', id, xmin, ctid FROM coaching_community WHERE programme_id = %(programme)s
    UNION ALL SELECT 'community-member', id, xmin, ctid FROM coaching_communitymember
        WHERE membership_id IN (SELECT id FROM members)
    UNION ALL SELECT 'community-action', id, xmin, ctid FROM coaching_communityaction
        WHERE community_id IN (SELECT id FROM coaching_community WHERE programme_id = %(programme)s)
    UNION ALL SELECT 'goal', id, xmin, ctid FROM learners_goal WHERE id IN (SELECT id FROM goals)
    UNION ALL SELECT 'reflection', id, xmin, ctid FROM learners_reflection WHERE goal_id IN (SELECT id FROM goals)
    UNION ALL SELECT 'response', id, xmin, ctid FROM learners_assessmentresponse WHERE id IN (SELECT id FROM responses)
    UNION ALL SELECT 'score', id, xmin, ctid FROM learners_assessmentanswer
        WHERE response_id IN (SELECT id FROM responses)
    UNION ALL SELECT 'contribution', id, xmin, ctid FROM harvest_contribution WHERE id IN (SELECT id FROM contributions)
    UNION ALL SELECT 'answer', id, xmin, ctid FROM harvest_answer WHERE id IN (SELECT id FROM answers)
    UNION ALL SELECT 'answer-version', id, xmin, ctid FROM harvest_answerversion
        WHERE answer_id IN (SELECT id FROM answers)
    UNION ALL SELECT 'quote', id, xmin, ctid FROM harvest_quote WHERE contribution_id IN (SELECT id FROM contributions)
    UNION ALL SELECT 'initiative', id, xmin, ctid FROM harvest_initiative WHERE programme_id = %(programme)s
    UNION ALL SELECT 'signup', id, xmin, ctid FROM harvest_initiativesignup
        WHERE initiative_id IN (SELECT id FROM harvest_initiative WHERE programme_id = %(programme)s)
) AS versions(kind, id, xmin, ctid)
"""


def report_version(programme: Programme) -> str | None:
    """A fingerprint of the rows the programme's harvest report is made of (``REPORT_VERSION_SQL``):
    it changes whenever one of them does, so a report kept under it is never out of date. None on
    a database other than PostgreSQL, which has no row versions to read."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(REPORT_VERSION_SQL, {"programme": programme.pk})
        return cursor.fetchone()[0]
