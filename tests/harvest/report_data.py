"""A known harvest for the report's tests: eight participants of the world's programme.

- "Noord" (five members: Alice and p1–p4), "Zuid" (two: p5, p6), p7 in no community.
- Two competencies: "Initiatief tonen" (two statements) and "Verantwoordelijkheid nemen" (one).
  p0–p4 score Initiatief 2 at the start and 4 at the end, p5 3 and 3: six people, 2,2 → 3,8.
  Only p0–p3 scored Verantwoordelijkheid at both moments (2 → 4): four people, not shown.
- Goals: achieved p0, p3, p7; partly p1; not achieved p0, p5; no outcome p2: seven goals.
- Active: everyone but p4 (p6 only signed in). A plan: p0, p1, p2, p3, p5, p7. Reflections: p0, p1.
- Contributions: Noord's (with an answer that was changed), and p1's, p5's and p7's own.
- Quotes: Alice's with her name, p7's without, p5's withdrawn, p1's never consented.
- Community actions: Noord's knowledge café (achieved) and neighbourhood tour (not, with why);
  Zuid's academy (planned). Initiatives: "Intervisiegroep starten" (p0–p5 signed up) and
  "Buurtlunch" (p6, p7). A theme answer: "Ruimte in de agenda voor leren".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from coaching.models import Community, CommunityAction
from harvest.models import Answer, Contribution
from learners.models import AssessmentResponse, Goal
from programmes.models import AssessmentItem, Competency, Membership, Phase, Programme
from tests.conftest import World
from tests.factories import (
    AnswerFactory,
    AnswerVersionFactory,
    AssessmentAnswerFactory,
    AssessmentItemFactory,
    AssessmentResponseFactory,
    CommunityActionFactory,
    CommunityFactory,
    CommunityMemberFactory,
    CompetencyFactory,
    ContributionFactory,
    GoalFactory,
    InitiativeFactory,
    InitiativeSignupFactory,
    MembershipFactory,
    QuoteFactory,
    ReflectionFactory,
)

SESSION_DAY = datetime(2027, 2, 18, 14, 0)
NAMED_QUOTE = "Samen met partners kom je verder dan alleen."
UNNAMED_QUOTE = "Ik durf nu eerder aan te schuiven bij een bewonersavond."
WITHDRAWN_QUOTE = "Dit citaat trok ik later weer in."
UNCONSENTED_QUOTE = "Hier gaf ik nooit toestemming voor."
NOT_ACHIEVED_WHY = "Geen ruimte in de agenda van het team."
PARTLY_WHY = "De woningcorporatie haakte halverwege af."
ZUID_WHY = "Te weinig steun van mijn leidinggevende."


@dataclass
class KnownHarvest:
    world: World
    programme: Programme
    noord: Community
    zuid: Community
    participants: list[Membership]
    initiative: Competency
    responsibility: Competency
    noord_contribution: Contribution
    answer: Answer
    theme_answer: Answer

    @property
    def url(self) -> str:
        return f"/programmes/{self.programme.pk}/harvest/report/"


def _assess(membership: Membership, items: list[AssessmentItem], start: int, end: int | None) -> None:
    for moment, score in ((AssessmentResponse.Moment.START, start), (AssessmentResponse.Moment.END, end)):
        if score is None:
            continue
        response = AssessmentResponseFactory(membership=membership, moment=moment, submitted_at=timezone.now())
        for item in items:
            AssessmentAnswerFactory(response=response, item=item, score=score)


def known_harvest(world: World) -> KnownHarvest:
    programme = world.programme
    Phase.objects.create(
        programme=programme,
        kind=Phase.Kind.HARVEST_SESSION,
        title="Oogstsessie Gebiedsnetwerkers",
        starts_at=timezone.make_aware(SESSION_DAY),
    )
    alice = Membership.objects.unscoped().get(programme=programme, user=world.alice)
    others = [
        MembershipFactory(programme=programme, user__first_name=f"Deelnemer{i}", user__last_name="Test")
        for i in range(1, 8)
    ]
    people = [alice, *others]
    noord = CommunityFactory(programme=programme, name="Noord")
    zuid = CommunityFactory(programme=programme, name="Zuid")
    for membership in people[:5]:
        CommunityMemberFactory(community=noord, membership=membership)
    for membership in people[5:7]:
        CommunityMemberFactory(community=zuid, membership=membership)

    initiative = CompetencyFactory(organisation=programme.organisation, name="Initiatief tonen")
    responsibility = CompetencyFactory(organisation=programme.organisation, name="Verantwoordelijkheid nemen")
    programme.competencies.set([initiative, responsibility])
    initiative_items = [AssessmentItemFactory(programme=programme, competency=initiative) for _ in range(2)]
    responsibility_item = AssessmentItemFactory(programme=programme, competency=responsibility)
    AssessmentItemFactory(programme=programme, kind=AssessmentItem.Kind.OPEN, text="Wat wil je anders doen?")
    for index, membership in enumerate(people[:6]):
        start, end = (3, 3) if index == 5 else (2, 4)
        scored = [*initiative_items, responsibility_item] if index < 4 else initiative_items
        _assess(membership, scored, start, end)
    # p4 scored Verantwoordelijkheid only at the start: it does not count for its growth.
    AssessmentAnswerFactory(
        response=AssessmentResponse.objects.unscoped().get(membership=people[4], moment="start"),
        item=responsibility_item,
        score=1,
    )

    goals = [
        (0, Goal.Outcome.ACHIEVED, ""),
        (0, Goal.Outcome.NOT_ACHIEVED, NOT_ACHIEVED_WHY),
        (1, Goal.Outcome.PARTLY, PARTLY_WHY),
        (2, "", ""),
        (3, Goal.Outcome.ACHIEVED, ""),
        (5, Goal.Outcome.NOT_ACHIEVED, ZUID_WHY),
        (7, Goal.Outcome.ACHIEVED, ""),
    ]
    made = [GoalFactory(membership=people[i], outcome=outcome, outcome_why=why) for i, outcome, why in goals]
    ReflectionFactory(goal=made[0])
    ReflectionFactory(goal=made[2])
    user = people[6].user
    user.last_login = timezone.now() - timedelta(days=3)
    user.save(update_fields=["last_login"])

    noord_contribution = ContributionFactory(
        programme=programme,
        author=world.alice,
        community=noord,
        achieved="Drie kenniscafés in de wijk.",
        not_achieved="Een wijkreis met de woningcorporatie.",
        why_not="De corporatie had geen tijd.",
        learned="Vooraf afspraken vastleggen.",
    )
    zuid_own = ContributionFactory(programme=programme, author=people[5].user, learned="Hulp vragen is sterk.")
    p7_own = ContributionFactory(programme=programme, author=people[7].user, learned="Zelf beginnen werkt.")
    ContributionFactory(programme=programme, author=people[1].user, learned="Luisteren voor ik adviseer.")
    QuoteFactory(contribution=noord_contribution, author=world.alice, text=NAMED_QUOTE, named=True)
    QuoteFactory(contribution=p7_own, text=UNNAMED_QUOTE, named=False)
    QuoteFactory(contribution=zuid_own, text=WITHDRAWN_QUOTE, withdrawn_at=timezone.now())
    QuoteFactory(
        contribution=Contribution.objects.unscoped().get(author=people[1].user),
        text=UNCONSENTED_QUOTE,
        consented_at=None,
    )

    CommunityActionFactory(
        community=noord,
        title="Kenniscafé initiatief",
        status=CommunityAction.Status.DONE,
        outcome=CommunityAction.Outcome.ACHIEVED,
        due_on=date(2027, 1, 12),
    )
    CommunityActionFactory(
        community=noord,
        kind=CommunityAction.Kind.AREA_VISIT,
        title="Wijkreis met de corporatie",
        status=CommunityAction.Status.CANCELLED,
        outcome=CommunityAction.Outcome.NOT_ACHIEVED,
        outcome_reason="Geen budget voor de bus.",
    )
    CommunityActionFactory(
        community=zuid, kind=CommunityAction.Kind.STREET_ACADEMY, title="Academie van de straat", status="planned"
    )

    intervision = InitiativeFactory(programme=programme, title="Intervisiegroep starten", proposed_by=world.alice)
    for membership in people[:6]:
        InitiativeSignupFactory(initiative=intervision, user=membership.user)
    lunch = InitiativeFactory(programme=programme, title="Buurtlunch", proposed_by=people[6].user)
    for membership in people[6:]:
        InitiativeSignupFactory(initiative=lunch, user=membership.user)

    answer = AnswerFactory(
        programme=programme,
        manager=world.manager,
        contribution=noord_contribution,
        theme="",
        decision=Answer.Decision.WILL_ACT,
        act_by=date(2027, 4, 1),
        text="We zoeken samen met de corporatie een nieuwe datum.",
    )
    AnswerVersionFactory(answer=answer, text="Eerst overleggen we met de corporatie.")
    theme_answer = AnswerFactory(
        programme=programme, manager=world.manager, theme="Ruimte in de agenda voor leren", text="Twee uur per week."
    )
    return KnownHarvest(
        world=world,
        programme=programme,
        noord=noord,
        zuid=zuid,
        participants=people,
        initiative=initiative,
        responsibility=responsibility,
        noord_contribution=noord_contribution,
        answer=answer,
        theme_answer=theme_answer,
    )
