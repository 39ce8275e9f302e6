"""The standard library of intervision methods, in Dutch and English, and keeping an organisation's library.

The texts are data, not interface: each organisation gets its own copy (``seed_library``) that
its HR admins may edit, so the method texts live in the database in both languages rather than
in the translation files.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from .models import Method, MethodStep

CB, GROUP, ALL, FAC = (
    MethodStep.Speaker.CASE_BRINGER,
    MethodStep.Speaker.GROUP,
    MethodStep.Speaker.EVERYONE,
    MethodStep.Speaker.FACILITATOR,
)

# language -> list of methods: name, summary, source, steps (title, purpose, minutes, who speaks)
LIBRARY: dict[str, list[dict[str, Any]]] = {
    "nl": [
        {
            "name": "Incidentmethode",
            "summary": (
                "Een korte, concrete gebeurtenis uit het eigen werk staat centraal. De groep stelt eerst "
                "informatieve vragen, daarna formuleert de inbrenger een vraag en geeft ieder om de beurt "
                "een analyse of advies."
            ),
            "source": "Jeroen Hendriksen, Intervisie bij werkproblemen",
            "steps": [
                (
                    "Incident inbrengen",
                    "De inbrenger vertelt kort een concreet incident: wat gebeurde er, "
                    "wie waren erbij en waarom houdt het hem of haar bezig.",
                    5,
                    CB,
                ),
                (
                    "Informatieve vragen",
                    "De groepsleden stellen feitelijke vragen om de situatie helder te "
                    "krijgen. Nog geen adviezen of meningen.",
                    10,
                    GROUP,
                ),
                (
                    "Vraag formuleren",
                    "De inbrenger formuleert de vraag aan de groep; de gespreksleider "
                    "controleert of de vraag helder en beantwoordbaar is.",
                    5,
                    CB,
                ),
                (
                    "Analyse en advies",
                    "Ieder groepslid geeft om de beurt een analyse en een advies vanuit "
                    "de eigen ervaring. De inbrenger luistert en reageert nog niet.",
                    15,
                    GROUP,
                ),
                (
                    "Reactie van de inbrenger",
                    "De inbrenger vertelt wat de adviezen hebben opgeleverd en wat hij of zij ermee gaat doen.",
                    5,
                    CB,
                ),
                (
                    "Evaluatie en leerpunten",
                    "Iedereen benoemt wat hij of zij zelf heeft geleerd; de groep kijkt kort terug op het verloop.",
                    10,
                    ALL,
                ),
            ],
        },
        {
            "name": "Balintmethode",
            "summary": (
                "Gericht op de relatie met de ander en de gevoelens die een situatie oproept. De groep "
                "associeert vrij terwijl de inbrenger alleen luistert."
            ),
            "source": "Michael Balint",
            "steps": [
                (
                    "Casus vertellen",
                    "De inbrenger vertelt de casus zonder onderbreking, zoals die zich "
                    "aandient: ook wat hij of zij voelde.",
                    10,
                    CB,
                ),
                (
                    "Feitelijke vragen",
                    "De groep stelt alleen feitelijke vragen om het beeld compleet te maken.",
                    10,
                    GROUP,
                ),
                (
                    "Associëren",
                    "De inbrenger schuift iets achteruit en luistert. De groep associeert vrij: "
                    "welke gevoelens, beelden en gedachten roept de casus op?",
                    20,
                    GROUP,
                ),
                (
                    "Reactie van de inbrenger",
                    "De inbrenger vertelt wat hem of haar raakte en welke nieuwe inzichten dat geeft.",
                    5,
                    CB,
                ),
                (
                    "Gezamenlijke verdieping",
                    "De groep en de inbrenger praten samen verder over wat de "
                    "casus zegt over het werk en de relatie met de ander.",
                    10,
                    ALL,
                ),
                ("Leerpunten", "Ieder noemt een leerpunt voor de eigen praktijk.", 5, ALL),
            ],
        },
        {
            "name": "Roddelmethode",
            "summary": (
                "De inbrenger draait de groep de rug toe terwijl de groep over hem of haar ‘roddelt’. Zo "
                "hoort de inbrenger vrijuit hoe anderen de situatie zien, zonder te hoeven reageren."
            ),
            "source": "",
            "steps": [
                ("Casus inbrengen", "De inbrenger beschrijft de situatie en de vraag aan de groep.", 5, CB),
                ("Verhelderende vragen", "De groep stelt vragen om de situatie goed te begrijpen.", 10, GROUP),
                (
                    "Roddelen",
                    "De inbrenger draait de groep de rug toe en luistert. De groep praat in de "
                    "derde persoon over de inbrenger en de casus: wat zou er spelen, wat zou hij of zij kunnen "
                    "doen?",
                    15,
                    GROUP,
                ),
                (
                    "Reactie van de inbrenger",
                    "De inbrenger draait zich weer om en vertelt wat opviel, wat "
                    "herkenbaar was en wat hij of zij meeneemt.",
                    5,
                    CB,
                ),
                (
                    "Nabespreking en leerpunten",
                    "Samen terugkijken: hoe was het om over te roddelen en om "
                    "besproken te worden? Ieder noemt een leerpunt.",
                    10,
                    ALL,
                ),
            ],
        },
        {
            "name": "Co-development (Payette & Champagne)",
            "summary": (
                "Een inbrenger (cliënt) en consultants werken in zes vaste stappen aan een actueel "
                "vraagstuk, met een afspraak over wat de inbrenger van de groep vraagt en een actieplan "
                "als resultaat."
            ),
            "source": "Adrien Payette en Claude Champagne, Le groupe de codéveloppement professionnel",
            "steps": [
                (
                    "Exposé",
                    "De inbrenger schetst het vraagstuk, de context en wat hij of zij al heeft geprobeerd.",
                    10,
                    CB,
                ),
                (
                    "Verheldering",
                    "De consultants stellen informatieve vragen om het vraagstuk goed te begrijpen.",
                    10,
                    GROUP,
                ),
                (
                    "Contract",
                    "De inbrenger spreekt af wat hij of zij van de groep vraagt: een analyse, ideeën, een aanpak?",
                    5,
                    CB,
                ),
                (
                    "Reacties en adviezen",
                    "De consultants geven hun reacties, ervaringen en suggesties; de inbrenger luistert en noteert.",
                    20,
                    GROUP,
                ),
                (
                    "Synthese en actieplan",
                    "De inbrenger vat samen wat hij of zij meeneemt en maakt een concreet actieplan.",
                    10,
                    CB,
                ),
                ("Leerpunten", "Ieder benoemt wat hij of zij heeft geleerd, als inbrenger en als consultant.", 10, ALL),
            ],
        },
        {
            "name": "Vijfminutenmethode",
            "summary": (
                "Een snelle ronde voor een korte, afgebakende vraag: in vijf minuten krijgt de inbrenger "
                "tips van de groep. Geschikt om een bijeenkomst mee te openen of af te sluiten."
            ),
            "source": "",
            "steps": [
                ("Vraag inbrengen", "De inbrenger stelt in één minuut een korte, concrete vraag.", 1, CB),
                ("Verhelderende vragen", "Hooguit een paar korte vragen om de vraag te begrijpen.", 1, GROUP),
                ("Tips", "Ieder geeft kort één tip of idee; geen discussie.", 2, GROUP),
                ("Reactie", "De inbrenger zegt welke tip hij of zij gaat gebruiken.", 1, CB),
            ],
        },
    ],
    "en": [
        {
            "name": "Incident method",
            "summary": (
                "A short, concrete event from one's own work is the focus. The group first asks "
                "informative questions, then the case bringer states a question and each member in turn "
                "gives an analysis or advice."
            ),
            "source": "Jeroen Hendriksen, Intervisie bij werkproblemen",
            "steps": [
                (
                    "Telling the incident",
                    "The case bringer briefly tells a concrete incident: what happened, "
                    "who was there and why it keeps them busy.",
                    5,
                    CB,
                ),
                (
                    "Informative questions",
                    "The members ask factual questions to get the situation clear. No advice or opinions yet.",
                    10,
                    GROUP,
                ),
                (
                    "Stating the question",
                    "The case bringer states the question to the group; the facilitator "
                    "checks that it is clear and can be answered.",
                    5,
                    CB,
                ),
                (
                    "Analysis and advice",
                    "Each member in turn gives an analysis and advice from their own "
                    "experience. The case bringer listens and does not respond yet.",
                    15,
                    GROUP,
                ),
                (
                    "The case bringer responds",
                    "The case bringer tells what the advice brought and what they will do with it.",
                    5,
                    CB,
                ),
                (
                    "Evaluation and learning points",
                    "Everyone names what they learned themselves; the group looks back briefly on how it went.",
                    10,
                    ALL,
                ),
            ],
        },
        {
            "name": "Balint method",
            "summary": (
                "Focused on the relationship with the other and the feelings a situation evokes. The "
                "group associates freely while the case bringer only listens."
            ),
            "source": "Michael Balint",
            "steps": [
                (
                    "Telling the case",
                    "The case bringer tells the case without interruption, as it comes: including what they felt.",
                    10,
                    CB,
                ),
                ("Factual questions", "The group asks factual questions only, to complete the picture.", 10, GROUP),
                (
                    "Associating",
                    "The case bringer moves back a little and listens. The group associates "
                    "freely: which feelings, images and thoughts does the case evoke?",
                    20,
                    GROUP,
                ),
                (
                    "The case bringer responds",
                    "The case bringer tells what touched them and which new insights it gives.",
                    5,
                    CB,
                ),
                (
                    "Exploring together",
                    "The group and the case bringer talk on about what the case says "
                    "about the work and the relationship with the other.",
                    10,
                    ALL,
                ),
                ("Learning points", "Everyone names one learning point for their own practice.", 5, ALL),
            ],
        },
        {
            "name": "Gossip method",
            "summary": (
                "The case bringer turns their back on the group while the group ‘gossips’ about them. "
                "The case bringer hears freely how others see the situation, without having to respond."
            ),
            "source": "",
            "steps": [
                (
                    "Bringing in the case",
                    "The case bringer describes the situation and the question to the group.",
                    5,
                    CB,
                ),
                ("Clarifying questions", "The group asks questions to understand the situation well.", 10, GROUP),
                (
                    "Gossiping",
                    "The case bringer turns their back on the group and listens. The group talks "
                    "about the case bringer and the case in the third person: what might be going on, what "
                    "could they do?",
                    15,
                    GROUP,
                ),
                (
                    "The case bringer responds",
                    "The case bringer turns around again and tells what struck "
                    "them, what was recognisable and what they take away.",
                    5,
                    CB,
                ),
                (
                    "Looking back and learning points",
                    "Look back together: how was it to gossip and to be talked about? Everyone names a learning point.",
                    10,
                    ALL,
                ),
            ],
        },
        {
            "name": "Co-development (Payette & Champagne)",
            "summary": (
                "A case bringer (client) and consultants work on a current issue in six fixed steps, "
                "with an agreement on what the case bringer asks of the group and an action plan as the "
                "result."
            ),
            "source": "Adrien Payette and Claude Champagne, Le groupe de codéveloppement professionnel",
            "steps": [
                (
                    "Exposé",
                    "The case bringer outlines the issue, its context and what they have tried already.",
                    10,
                    CB,
                ),
                ("Clarification", "The consultants ask informative questions to understand the issue well.", 10, GROUP),
                (
                    "Contract",
                    "The case bringer agrees what they ask of the group: an analysis, ideas, an approach?",
                    5,
                    CB,
                ),
                (
                    "Reactions and advice",
                    "The consultants give their reactions, experiences and "
                    "suggestions; the case bringer listens and takes notes.",
                    20,
                    GROUP,
                ),
                (
                    "Synthesis and action plan",
                    "The case bringer sums up what they take away and makes a concrete action plan.",
                    10,
                    CB,
                ),
                ("Learning points", "Everyone names what they learned, as case bringer and as consultant.", 10, ALL),
            ],
        },
        {
            "name": "Five-minute method",
            "summary": (
                "A quick round for a short, well-defined question: in five minutes the case bringer gets "
                "tips from the group. Suits the opening or the end of a meeting."
            ),
            "source": "",
            "steps": [
                ("Bringing in the question", "In one minute the case bringer asks a short, concrete question.", 1, CB),
                ("Clarifying questions", "At most a few short questions to understand the question.", 1, GROUP),
                ("Tips", "Everyone briefly gives one tip or idea; no discussion.", 2, GROUP),
                ("Response", "The case bringer says which tip they will use.", 1, CB),
            ],
        },
    ],
}


class MethodInUse(Exception):
    """A method that sessions use cannot be deleted."""


def seed_library(organisation: Any) -> int:
    """Create the standard methods the organisation lacks, in Dutch and English; returns how many.

    Idempotent: a method that exists by name and language (perhaps edited) is left alone.
    """
    created = 0
    with transaction.atomic():
        existing = set(Method.objects.for_organisation(organisation.pk).values_list("language", "name"))
        for language, methods in LIBRARY.items():
            for spec in methods:
                if (language, spec["name"]) in existing:
                    continue
                method = Method.objects.create(
                    organisation=organisation,
                    language=language,
                    name=spec["name"],
                    summary=spec["summary"],
                    source=spec["source"],
                )
                MethodStep.objects.bulk_create(
                    MethodStep(
                        method=method, position=position, title=title, purpose=purpose, minutes=minutes, speaker=speaker
                    )
                    for position, (title, purpose, minutes, speaker) in enumerate(spec["steps"], start=1)
                )
                created += 1
    return created


def save_method(form: Any, steps: Any) -> Method:
    """Save a method and its steps (an inline formset) together."""
    with transaction.atomic():
        method = form.save()
        steps.instance = method
        steps.save()
    return method


def delete_method(method: Method) -> None:
    """Delete a method; refused (``MethodInUse``) while sessions use it."""
    if method.sessions.exists():
        raise MethodInUse
    try:
        method.delete()
    except ProtectedError as error:  # a session planned in between
        raise MethodInUse from error
