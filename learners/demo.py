"""Demo learning plans: Rotterdam's area networkers (seed 004) and a Haarlem adviser (seed 000)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.demo import DemoWorld
from programmes.models import Membership, Programme

from . import services
from .models import (
    Action,
    Activity,
    AssessmentResponse,
    FeedbackAsk,
    FeedbackRequest,
    Goal,
    GoalVersion,
    Reflection,
    Swot,
)

# Per person: start scores per competency (1–5), SWOT strengths, and goals as
# (title, competency, visibility, why, success, activities, actions).
ROTTERDAM_PLANS = {
    "participant": {
        "scores": {"Initiatief tonen": 2, "Verantwoordelijkheid nemen": 4},
        "swot": (
            "Ik ken veel bewoners en partners in Feijenoord; mensen weten me te vinden.",
            "Ik wacht vaak op een opdracht voordat ik iets in gang zet.",
            "De nieuwe wijkagenda vraagt om gebiedsnetwerkers die zelf verbindingen leggen.",
            "Drukte in het team: voor leren lijkt nooit tijd te zijn.",
        ),
        "strong_in": ["Verantwoordelijkheid nemen"],
        "earlier_titles": {"Ik neem zelf het initiatief in het wijkoverleg": "Vaker het initiatief nemen"},
        "goals": [
            (
                "Ik neem zelf het initiatief in het wijkoverleg",
                "Initiatief tonen",
                Goal.Visibility.PROGRAMME,
                "Bewoners verwachten dat wij signalen oppakken, niet dat we wachten op de gemeente.",
                "Ik breng elk overleg minstens één eigen voorstel in en twee partners sluiten aan.",
                [
                    ("70", "Bij elk wijkoverleg een eigen voorstel inbrengen."),
                    ("20", "Meelopen met Lotte, die al jaren bewonersinitiatieven trekt."),
                    ("10", "De training gesprekstechnieken in de wijk volgen."),
                ],
                [
                    ("Voorstel voor de speeltuin aan de Hillevliet inbrengen", -10, "Twee partners sloten meteen aan."),
                    ("Lotte vragen om een dag mee te lopen", 5, ""),
                ],
            ),
            (
                "Afspraken met partners vastleggen en nakomen",
                "Verantwoordelijkheid nemen",
                Goal.Visibility.PRIVATE,
                "Partners haken af als afspraken verwateren.",
                "Na elk overleg staat binnen twee dagen een actielijst in de gedeelde map.",
                [("70", "Na elk overleg zelf de actielijst rondsturen.")],
                [
                    ("Actielijst-sjabloon maken", 12, ""),
                    # Still open three days after its date: the reminders (notifications demo) point at it.
                    ("Actielijst van het wijkoverleg rondsturen", -3, ""),
                ],
            ),
        ],
    },
    "p1": {
        "scores": {"Initiatief tonen": 4, "Verantwoordelijkheid nemen": 2},
        "swot": ("Snel schakelen tussen partijen.", "Afspraken vastleggen schiet erbij in.", "", ""),
        "strong_in": ["Initiatief tonen"],
        "goals": [
            (
                "Partners aanspreken op gemaakte afspraken",
                "Verantwoordelijkheid nemen",
                Goal.Visibility.PROGRAMME,
                "Ik wil dat onze wijkafspraken ook echt iets opleveren.",
                "Partners weten wat ze van me kunnen verwachten en andersom.",
                [("20", "Oefenen in de intervisiegroep.")],
                [("Gesprek met de woningcorporatie over de toezeggingen", 9, "")],
            )
        ],
    },
    "p2": {
        "scores": {"Initiatief tonen": 2, "Verantwoordelijkheid nemen": 2},
        "swot": (
            "Goed luisteren; bewoners komen met hun initiatieven naar mij toe.",
            "Onder collega's stel ik me bescheiden op.",
            "Nieuwe collega's in het team.",
            "",
        ),
        # Lotte trekt al jaren bewonersinitiatieven: Fatima wil bij haar meelopen (“Wie kan mij helpen?”).
        "strong_in": ["Initiatief tonen"],
        "goals": [
            (
                "Toezeggingen aan bewoners bewaken tot ze rond zijn",
                "Verantwoordelijkheid nemen",
                Goal.Visibility.PROGRAMME,
                "Bewonersinitiatieven stranden als toezeggingen van de gemeente blijven liggen.",
                "Elke toezegging staat in de wijkagenda met een eigenaar en een datum; bewoners horen binnen een week wat ermee gebeurt.",
                [
                    ("70", "Na elke bewonersavond de toezeggingen in de wijkagenda zetten."),
                    ("20", "Met Fatima meekijken hoe zij haar actielijsten bijhoudt."),
                ],
                [
                    ("Overzicht maken van openstaande toezeggingen in Hillesluis", 6, ""),
                    ("Terugkoppeling geven op de bewonersavond", 24, ""),
                ],
            ),
            (
                "Zelf een kenniscafé organiseren",
                "Initiatief tonen",
                Goal.Visibility.COACH,
                "Ik wil laten zien wat ik weet van jongerenwerk.",
                "Er komen minstens tien collega's en ze gaan met iets bruikbaars naar huis.",
                [("70", "Het kenniscafé zelf voorbereiden en leiden.")],
                [("Datum en zaal regelen", 20, "")],
            ),
        ],
    },
    "p3": {
        "scores": {"Initiatief tonen": 3, "Verantwoordelijkheid nemen": 2},
        "swot": ("Veel ervaring in Charlois.", "Moeite met nee zeggen.", "", "Te veel tegelijk oppakken."),
        "strong_in": ["Initiatief tonen"],
        "goals": [
            (
                "Duidelijke afspraken maken over wie wat doet",
                "Verantwoordelijkheid nemen",
                Goal.Visibility.PRIVATE,
                "",
                "",
                [],
                [],
            )
        ],
    },
    "p4": {
        "scores": {"Initiatief tonen": 1, "Verantwoordelijkheid nemen": 3},
        "swot": ("Sterk in cijfers en analyses.", "Ik kom weinig buiten.", "Wijkreizen met collega's.", ""),
        "strong_in": [],
        "goals": [],
    },
}


def _membership(programme: Programme, user: object) -> Membership | None:
    return (
        Membership.objects.unscoped()
        .filter(programme=programme, user=user, role=Membership.Role.PARTICIPANT)
        .select_related("programme")
        .first()
    )


def _plan(membership: Membership, plan: dict) -> None:
    """Start assessment, SWOT and goals for one person.

    Someone who already has an assessment keeps it and their SWOT text; competencies they are
    strong in and goals (found by title) that a newer version of this file adds are filled in,
    so that a database seeded before catches up and a second run changes nothing.
    """
    programme = membership.programme
    competencies = {competency.name: competency for competency in programme.competencies.all()}
    strong_in = [competencies[name] for name in plan["strong_in"]]
    if not AssessmentResponse.objects.unscoped().filter(membership=membership).exists():
        names = {competency.pk: name for name, competency in competencies.items()}
        answers = {
            item.pk: plan["scores"].get(names.get(item.competency_id, ""), 3)
            for item in programme.assessment_items.all()
            if item.is_statement
        }
        services.save_assessment(membership, AssessmentResponse.Moment.START, answers, submit=True)
        strengths, weaknesses, opportunities, threats = plan["swot"]
        services.save_swot(
            membership,
            {"strengths": strengths, "weaknesses": weaknesses, "opportunities": opportunities, "threats": threats},
            strong_in,
        )
    swot = Swot.objects.unscoped().filter(membership=membership).first()
    if swot and strong_in:
        swot.strong_in.add(*strong_in)
    now = timezone.now()
    today = timezone.localdate()
    for position, (title, competency, visibility, why, success, activities, actions) in enumerate(plan["goals"]):
        # Goals set a few weeks ago, one a week, so that the timeline reads like a real plan.
        set_at = now - timedelta(days=28 - 7 * position)
        goal, created = Goal.objects.unscoped().get_or_create(
            membership=membership,
            title=title,
            defaults={"visibility": visibility, "why": why, "success": success, "created_at": set_at},
        )
        if not created:
            continue
        goal.competencies.set([competencies[competency]])
        earlier = plan.get("earlier_titles", {}).get(title)
        if earlier:
            # The plan as it was first written: shown under "Eerdere versies".
            GoalVersion.objects.create(
                goal=goal, number=1, saved_at=set_at, data={**services.snapshot(goal), "title": earlier}
            )
        Activity.objects.bulk_create(Activity(goal=goal, kind=kind, description=text) for kind, text in activities)
        for description, days, note in actions:
            due_on = today + timedelta(days=days)
            # An action with a note was done on its due date (in the past), or two days ago.
            done_at = now + timedelta(days=min(days, -2)) if note else None
            Action.objects.create(goal=goal, description=description, due_on=due_on, done_at=done_at, done_note=note)
        version = services.keep_version(goal)
        if version:
            version.saved_at = set_at + timedelta(days=3 if earlier else 0)
            version.save(update_fields=["saved_at"])
        if visibility == Goal.Visibility.PROGRAMME and actions and actions[0][2]:
            Reflection.objects.create(
                goal=goal,
                tried=actions[0][0],
                happened=actions[0][2],
                learned="Als ik zelf begin, sluiten anderen sneller aan dan ik dacht.",
                next_step="Volgende keer vooraf één partner vragen om mijn voorstel te steunen.",
                created_at=now + timedelta(days=min(actions[0][1], -2) + 1),
            )


def seed(world: DemoWorld) -> None:
    rotterdam = world["rotterdam"]
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam.organisation, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    for key, plan in ROTTERDAM_PLANS.items():
        membership = _membership(networkers, rotterdam.people[key])
        if membership:
            _plan(membership, plan)
    _feedback(networkers, rotterdam.people)


def _feedback(programme: Programme, people: dict) -> None:
    """Fatima asked Lotte and the neighbourhood police officer about her shared goal (Lotte
    answered, the officer not yet); Lotte asks Fatima about hers, which waits on Fatima's home."""
    now = timezone.now()
    asks = [
        (
            people["participant"],
            "Ik neem zelf het initiatief in het wijkoverleg",
            "Wat zie je mij doen als ik in het wijkoverleg het initiatief neem, en wat zou ik meer kunnen doen?",
            [
                (people["p2"], "", "Je brengt nu zelf voorstellen in; vraag vooraf één partner om je te steunen."),
                (None, "wijkagent.feijenoord@politie.example", ""),
            ],
        ),
        (
            people["p2"],
            "Toezeggingen aan bewoners bewaken tot ze rond zijn",
            "Merk je dat bewoners sneller horen wat er met hun vragen gebeurt?",
            [(people["participant"], "", "")],
        ),
    ]
    for asker, title, question, asked in asks:
        goal = (
            Goal.objects.unscoped().filter(membership__programme=programme, membership__user=asker, title=title).first()
        )
        if goal is None or goal.feedback_requests.exists():
            continue
        request = FeedbackRequest.objects.create(goal=goal, question=question, created_at=now - timedelta(days=3))
        for user, email, answer in asked:
            FeedbackAsk.objects.create(
                request=request,
                user=user,
                email=user.email if user else email,
                name=user.get_full_name() if user else "",
                sent_at=request.created_at,
                answer=answer,
                answered_at=now - timedelta(days=1) if answer else None,
            )
