"""Demo learning plans: Rotterdam's area networkers (seed 004) and a Haarlem adviser (seed 000)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.demo import DemoWorld
from programmes.models import Membership, Programme

from . import services
from .models import Action, Activity, AssessmentResponse, Goal, Reflection

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
                [("Actielijst-sjabloon maken", 12, "")],
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
        "swot": ("Goed luisteren.", "Ik stel me bescheiden op.", "Nieuwe collega's in het team.", ""),
        "strong_in": [],
        "goals": [
            (
                "Zelf een kenniscafé organiseren",
                "Initiatief tonen",
                Goal.Visibility.COACH,
                "Ik wil laten zien wat ik weet van jongerenwerk.",
                "Er komen minstens tien collega's en ze gaan met iets bruikbaars naar huis.",
                [("70", "Het kenniscafé zelf voorbereiden en leiden.")],
                [("Datum en zaal regelen", 20, "")],
            )
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
    """Start assessment, SWOT and goals for one person; someone who already has them is left alone."""
    if AssessmentResponse.objects.unscoped().filter(membership=membership).exists():
        return
    programme = membership.programme
    competencies = {competency.name: competency for competency in programme.competencies.all()}
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
        [competencies[name] for name in plan["strong_in"]],
    )
    today = timezone.localdate()
    for title, competency, visibility, why, success, activities, actions in plan["goals"]:
        goal = Goal.objects.create(membership=membership, title=title, visibility=visibility, why=why, success=success)
        goal.competencies.set([competencies[competency]])
        Activity.objects.bulk_create(Activity(goal=goal, kind=kind, description=text) for kind, text in activities)
        for description, days, note in actions:
            due_on = today + timedelta(days=days)
            done_at = timezone.now() - timedelta(days=2) if note else None
            Action.objects.create(goal=goal, description=description, due_on=due_on, done_at=done_at, done_note=note)
        if visibility == Goal.Visibility.PROGRAMME and actions and actions[0][2]:
            Reflection.objects.create(
                goal=goal,
                tried=actions[0][0],
                happened=actions[0][2],
                learned="Als ik zelf begin, sluiten anderen sneller aan dan ik dacht.",
                next_step="Volgende keer vooraf één partner vragen om mijn voorstel te steunen.",
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
