"""Demo harvest for Rotterdam's area networkers (seed 004): what the theme groups and the
participants achieved, what not and why, their quotes, goal outcomes and learning stories."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.demo import DemoWorld
from coaching.models import Community
from learners.models import Action, AssessmentResponse, Goal
from learners.services import save_assessment
from programmes.models import AssessmentItem, Membership, Phase, Programme

from . import contributions, stories
from .models import (
    Answer,
    AnswerVersion,
    Contribution,
    Initiative,
    InitiativeSignup,
    LearningStory,
    Quote,
    Recognition,
)


def seed(world: DemoWorld) -> None:
    seed_preparation(world)
    seed_growth(world)
    seed_session(world)


# --- The session: initiatives, managers' answers, recognition ---------------------------------

# Seed 004: at the harvest session people signed up on the spot for intervision and four
# training modules; the area tours followed soon after. (title, description, proposer, sign-ups)
ROTTERDAM_INITIATIVES = [
    (
        "Intervisiegroep gebiedsnetwerkers Zuid",
        "Elke zes weken met vijf collega's een lastige situatie uit de wijk bespreken volgens de incidentmethode.",
        "p1",
        ["p1", "p4", "p7", "participant"],
    ),
    (
        "Training: Netwerken in de wijk",
        "Hoe bouw je een netwerk van bewoners en partners op, en hoe houd je het warm?",
        "p3",
        ["p3", "p6", "p8", "p2", "p5"],
    ),
    (
        "Training: Lastige gesprekken met bewoners",
        "Oefenen met een acteur: boze bewoners, teleurgestelde initiatiefnemers, nee moeten verkopen.",
        "participant",
        ["participant", "p2", "p7"],
    ),
    (
        "Training: Werken met de wijkagenda",
        "Toezeggingen aan bewoners vastleggen en bewaken tot ze rond zijn.",
        "p2",
        ["p2", "p5"],
    ),
    (
        "Training: Pitchen voor het gebiedsteam",
        "In drie minuten een bewonersinitiatief zo presenteren dat het gebiedsteam meedoet.",
        "p4",
        ["p4"],
    ),
    ("Wijkreizen", "Eén middag per maand bij een collega in de wijk meekijken.", "p5", ["p5", "p1", "p8", "coach"]),
]

# The Rotterdam manager's answers (seed 003: never a vague memo). (theme, or the community whose
# contribution is answered; decision, act by in days, text, and an earlier version the answer
# replaced: decision, act by in days, text, days before)
ROTTERDAM_ANSWERS = [
    (
        "Ruimte in de agenda voor leren",
        "will_act",
        45,
        "Vanaf volgende maand plannen de teamleiders twee uur per week voor leren in ieders agenda. "
        "Ik bespreek het in het MT van de 14e en laat op de volgende bijeenkomst zien hoe het loopt.",
        (
            "not_now",
            None,
            "We wachten hiermee tot het strategisch plan ‘Opleiden’ klaar is, zodat het daarin past.",
            6,
        ),
    ),
    (
        ("community", "Functieprofiel"),
        "agreed",
        None,
        "Akkoord: HR neemt de input van de themagroep Functieprofiel over in het nieuwe profiel. "
        "De groep krijgt het concept vóór de vaststelling nog één keer te zien.",
        None,
    ),
    (
        "Een vaste ruimte voor het kenniscafé",
        "not_now",
        None,
        "Niet nu: de verbouwing van het stadhuis loopt tot de zomer en er is tot dan geen vaste ruimte vrij. "
        "Tot die tijd betaalt de afdeling de zaalhuur in de wijkcentra; daarna kijken we opnieuw.",
        None,
    ),
]

RECOGNITION_MESSAGE = (
    "Ik zag hoe u in het wijkoverleg zelf het voorstel voor de speeltuin aan de Hillevliet inbracht, "
    "nog voordat iemand erom vroeg. Twee partners sloten meteen aan. Precies het initiatief waar dit traject om draait!"
)


def seed_session(world: DemoWorld) -> None:
    """Initiatives with sign-ups, three answers (one changed once) and a recognition; idempotent."""
    rotterdam = world["rotterdam"]
    people = rotterdam.people
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam.organisation, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    now = timezone.now().replace(second=0, microsecond=0)
    for minutes, (title, description, proposer, joiners) in enumerate(ROTTERDAM_INITIATIVES):
        proposed_at = now - timedelta(minutes=60 - 5 * minutes)
        initiative, _ = Initiative.objects.unscoped().get_or_create(
            programme=networkers,
            title=title,
            defaults={"description": description, "proposed_by": people[proposer], "created_at": proposed_at},
        )
        for position, key in enumerate(joiners):
            InitiativeSignup.objects.unscoped().get_or_create(
                initiative=initiative,
                user=people[key],
                defaults={"created_at": initiative.created_at + timedelta(minutes=position + 1)},
            )

    manager = people["manager"]
    today = timezone.localdate()
    for number, (about, decision, act_in, text, earlier) in enumerate(ROTTERDAM_ANSWERS):
        theme, contribution = about, None
        if isinstance(about, tuple):
            theme = ""
            contribution = (
                Contribution.objects.unscoped().filter(programme=networkers, community__name=about[1]).first()
            )
            if contribution is None:
                continue
        if Answer.objects.unscoped().filter(programme=networkers, theme=theme, contribution=contribution).exists():
            continue
        answered_at = now - timedelta(days=8 - number)
        changed_at = now - timedelta(days=earlier[3]) if earlier else answered_at
        answer = Answer.objects.create(
            programme=networkers,
            manager=manager,
            theme=theme,
            contribution=contribution,
            decision=decision,
            act_by=today + timedelta(days=act_in) if act_in else None,
            text=text,
            created_at=answered_at,
            updated_at=changed_at,
        )
        if earlier:
            earlier_decision, earlier_act_in, earlier_text, _days = earlier
            AnswerVersion.objects.create(
                answer=answer,
                decision=earlier_decision,
                act_by=today + timedelta(days=earlier_act_in) if earlier_act_in else None,
                text=earlier_text,
                written_by=manager,
                written_at=answered_at,
                replaced_at=changed_at,
            )

    # Those who report to the demo manager come first when she gives recognition.
    Membership.objects.unscoped().filter(
        programme=networkers,
        role=Membership.Role.PARTICIPANT,
        user__in=[people[key] for key in ("participant", "p1", "p2", "p3")],
        reports_to__isnull=True,
    ).update(reports_to=manager)
    fatima = Membership.objects.unscoped().get(
        programme=networkers, user=people["participant"], role=Membership.Role.PARTICIPANT
    )
    if not Recognition.objects.unscoped().filter(membership=fatima, manager=manager).exists():
        goal = (
            Goal.objects.unscoped()
            .filter(membership=fatima, visibility=Goal.Visibility.PROGRAMME)
            .order_by("created_at", "pk")
            .first()
        )
        action = Action.objects.unscoped().filter(goal=goal).order_by("pk").first() if goal else None
        Recognition.objects.create(
            membership=fatima,
            manager=manager,
            goal=goal,
            action=action,
            message=RECOGNITION_MESSAGE,
            created_at=now - timedelta(days=3),
        )


# --- The report: end assessments, so that the growth chart has enough people --------------------

# Scores per competency (Initiatief tonen, Verantwoordelijkheid nemen). Learners' demo gave p1–p4
# their start assessment; p5–p7 hand in both here. Fatima (the demo participant) keeps her end
# assessment to fill in herself. Seven people: enough for the report to show the averages.
ROTTERDAM_GROWTH = {
    "p1": (None, (5, 3)),
    "p2": (None, (3, 4)),
    "p3": (None, (4, 3)),
    "p4": (None, (3, 3)),
    "p5": ((3, 3), (4, 4)),
    "p6": ((2, 3), (3, 3)),
    "p7": ((3, 2), (3, 4)),
}


def seed_growth(world: DemoWorld) -> None:
    """Start (where missing) and end assessments for seven Rotterdam participants; idempotent."""
    rotterdam = world["rotterdam"]
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam.organisation, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    order = {name: position for position, name in enumerate(("Initiatief tonen", "Verantwoordelijkheid nemen"))}
    statements = [
        (item.pk, order.get(item.competency.name if item.competency else "", 0))
        for item in networkers.assessment_items.filter(kind=AssessmentItem.Kind.STATEMENT).select_related("competency")
    ]
    for key, moments in ROTTERDAM_GROWTH.items():
        membership = Membership.objects.unscoped().get(
            programme=networkers, user=rotterdam.people[key], role=Membership.Role.PARTICIPANT
        )
        done = set(
            AssessmentResponse.objects.unscoped()
            .handed_in()
            .filter(membership=membership)
            .values_list("moment", flat=True)
        )
        for moment, scores in zip(
            (AssessmentResponse.Moment.START, AssessmentResponse.Moment.END), moments, strict=True
        ):
            if scores is None or moment in done:
                continue
            save_assessment(membership, moment, {pk: scores[index] for pk, index in statements}, submit=True)


# --- Preparing the harvest: contributions, quotes, goal outcomes, learning stories ---------------

# The harvest session is near in the demo, the closing two weeks later, so that the hub, the room
# and the report have something to show. Phases already that near are left alone.
HARVEST_IN_DAYS, CLOSING_IN_DAYS, NEAR = 3, 17, timedelta(days=21)

# community, author key (who saved last), achieved, not achieved, why not, learned.
# After seed 004: a lot was done, certainly not everything; above all, why.
# fmt: off
ROTTERDAM_COMMUNITY_CONTRIBUTIONS = [
    ("Kennis delen", "p2",
     "Een Academie van de straat: een middag meelopen met de wijkconciërge van Hillesluis. Het kenniscafé over "
     "bewonersinitiatieven staat gepland in de bibliotheek van Feijenoord, en op het forum delen we bronnen en "
     "aantekeningen van wijkbezoeken.",
     "Intervisie in gemengde groepjes volgens de incidentmethode.",
     "Niemand kon naast het werk in het gebied een vast moment vrijmaken: leren stond niet in de teamplanning, "
     "en onze leidinggevenden waren er niet bij om daar iets aan te doen.",
     "Kort, op locatie en met één vraag werkt. Wie zelf de uitnodiging stuurt, krijgt collega's mee."),
    ("Functieprofiel", "p3",
     "Een rondvraag in de teamoverleggen: wat hoort zeker in ons functieprofiel? De helft van de collega's "
     "reageerde; daarmee ligt er een eerste lijst.",
     "Contact met de schrijvers van het functieprofiel bij HR.",
     "Geen reactie van HR, ook niet na een herinnering. De managers waren niet aanwezig bij de overleggen waarin "
     "we het bespraken, dus niemand kon de deur bij HR voor ons openen. In Noord en Zuid ging het teamoverleg "
     "in de zomer niet door.",
     "Invloed vanaf de werkvloer lukt pas als je zelf aan tafel gaat zitten: niet wachten tot HR belt."),
    ("Logische partner", "coach2",
     "Afspraken uit het gebiedsoverleg in Delfshaven leggen we binnen een dag vast; partners benaderen ons "
     "sindsdien eerder. De wijkreis naar Delfshaven en Charlois is voorbereid.",
     "Een dag meelopen met de gebiedsmanager.",
     "De agenda van de gebiedsmanager zat vol tot na de zomer, en wij hebben er niet op aangedrongen.",
     "Als logische partner gezien worden begint met de draad vasthouden: wie doet wat, voor wanneer."),
]

# participant key, achieved, not achieved, why not, learned.
ROTTERDAM_CONTRIBUTIONS = [
    ("participant",
     "Ik heb in het wijkoverleg zelf het voorstel voor de speeltuin aan de Hillevliet ingebracht; twee partners "
     "sloten meteen aan.",
     "Een dag meelopen met Lotte.",
     "Geen tijd in de teamplanning: de drukte in het team ging steeds voor.",
     "Als ik zelf begin, sluiten anderen sneller aan dan ik dacht."),
    ("p1",
     "Met de woningcorporatie maken we nu afspraken die we ook nakomen.",
     "Hetzelfde bij de welzijnsorganisatie.",
     "Daar wisselde de contactpersoon twee keer; elke keer begon ik opnieuw.",
     "Afspraken meteen op papier zetten scheelt weken."),
    ("p2",
     "Alle toezeggingen aan bewoners in Hillesluis staan in de wijkagenda, met een eigenaar en een datum.",
     "", "",
     "Bewoners hoeven niet alles meteen opgelost te zien; ze willen weten wat er met hun vraag gebeurt."),
    ("p3",
     "Een eerste lijst voor ons functieprofiel, opgehaald in de teamoverleggen.",
     "Duidelijke afspraken in mijn eigen team over wie wat doet.",
     "Mijn leidinggevende was er bij de teamoverleggen niet bij, dus het kwam niet op de agenda.",
     "Nee zeggen is ook verantwoordelijkheid nemen."),
]

# community (None: the author's own contribution), author key, quote, named, withdrawn.
ROTTERDAM_QUOTES = [
    (None, "participant",
     "Ik wachtte altijd op een opdracht. Nu breng ik zelf een voorstel in, en dan blijken anderen graag mee te doen.",
     True, False),
    ("Kennis delen", "p2", "Het kenniscafé werkte omdat we het in de wijk hielden, niet op het stadhuis.", False, False),
    ("Functieprofiel", "p3", "HR luistert pas als je zelf aan tafel gaat zitten.", True, True),
]

# participant key, goal title, outcome, why.
ROTTERDAM_OUTCOMES = [
    ("p1", "Partners aanspreken op gemaakte afspraken", "partly",
     "Met de woningcorporatie lukt het goed; bij de welzijnsorganisatie wisselde de contactpersoon twee keer."),
    ("p2", "Toezeggingen aan bewoners bewaken tot ze rond zijn", "achieved",
     "Elke toezegging staat in de wijkagenda; bewoners horen binnen een week wat ermee gebeurt."),
    ("p2", "Zelf een kenniscafé organiseren", "partly",
     "Datum en zaal zijn geregeld, maar het kenniscafé zelf is pas na de oogstsessie."),
    ("p3", "Duidelijke afspraken maken over wie wat doet", "not_achieved",
     "Geen tijd in de teamplanning: het werk in Charlois ging steeds voor, en mijn leidinggevende was er bij de "
     "teamoverleggen niet bij om het te agenderen."),
]

# participant key, shared, story.
ROTTERDAM_STORIES = [
    ("p2", True,
     "Toen we begonnen dacht ik dat leren iets was wat je in een lokaal deed. Bij de startdag wist ik niet eens "
     "wat ik in een SWOT moest zetten.\n\nDe middag met de wijkconciërge veranderde dat. Ik zag hoe hij bewoners "
     "aansprak en dacht: dit kan ik ook, en dit kan ik mijn collega's laten zien. Nu organiseer ik zelf een "
     "kenniscafé. Wat ik meeneem: begin klein, in de wijk, en vraag anderen mee."),
    ("p1", True,
     "Ik was altijd snel met nieuwe contacten, maar afspraken liet ik liggen. Partners merkten dat.\n\nIn de "
     "intervisie vroeg een collega: ‘Wie houdt bij wat jullie afspreken?’ Sindsdien stuur ik na elk overleg "
     "binnen een dag een kort lijstje. Het is een klein ding, maar de woningcorporatie belt mij nu als eerste."),
    ("p5", True,
     "Mijn leerplan kreeg ik maandenlang niet op papier. Ik schaamde me er een beetje voor en vroeg pas laat om "
     "een coachgesprek. Achteraf was dat het beste wat ik deed: samen met Joost vond ik één doel dat er echt "
     "toe deed. Mijn les: vraag eerder om hulp."),
    ("p3", False,
     "Voor mezelf: ik zeg te snel ja. Dit traject heeft me geleerd dat nee zeggen soms de verantwoordelijke keuze is."),
]
# fmt: on


def seed_preparation(world: DemoWorld) -> None:
    """The harvest session near, contributions of the three theme groups and four participants,
    three quotes (named, anonymous, withdrawn), goal outcomes and learning stories; idempotent."""
    rotterdam = world["rotterdam"]
    people = rotterdam.people
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam.organisation, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    _phases_near(networkers)
    communities = {community.name: community for community in Community.objects.unscoped().filter(programme=networkers)}
    written: dict[tuple[str | None, str], Contribution] = {}
    fields = ("achieved", "not_achieved", "why_not", "learned")
    for name, author, *texts in ROTTERDAM_COMMUNITY_CONTRIBUTIONS:
        community = communities.get(name)
        if community is not None:
            written[(name, author)], _ = Contribution.objects.unscoped().get_or_create(
                programme=networkers,
                community=community,
                defaults={"author": people[author], **dict(zip(fields, texts, strict=True))},
            )
    for author, *texts in ROTTERDAM_CONTRIBUTIONS:
        written[(None, author)], _ = Contribution.objects.unscoped().get_or_create(
            programme=networkers,
            author=people[author],
            community__isnull=True,
            defaults=dict(zip(fields, texts, strict=True)),
        )
    now = timezone.now().replace(second=0, microsecond=0)
    for community, author, text, named, withdrawn in ROTTERDAM_QUOTES:
        contribution = written.get((community, author))
        if contribution is None or contribution.quotes.filter(author=people[author], text=text).exists():
            continue
        Quote.objects.create(
            contribution=contribution,
            author=people[author],
            text=text,
            named=named,
            consented_at=now - timedelta(days=4),
            withdrawn_at=now - timedelta(days=1) if withdrawn else None,
            created_at=now - timedelta(days=4),
        )
    for key, title, outcome, why in ROTTERDAM_OUTCOMES:
        goal = (
            Goal.objects.unscoped()
            .filter(membership__programme=networkers, membership__user=people[key], title=title)
            .select_related("membership")
            .first()
        )
        if goal is not None and not goal.outcome:
            contributions.goal_outcome_set(goal, outcome=outcome, why=why)
    for key, shared, text in ROTTERDAM_STORIES:
        membership = (
            Membership.objects.unscoped()
            .filter(programme=networkers, user=people[key], role=Membership.Role.PARTICIPANT)
            .select_related("programme")
            .first()
        )
        if membership is not None and not LearningStory.objects.unscoped().filter(membership=membership).exists():
            stories.story_save(membership, text=text, shared=shared)


def _phases_near(programme: Programme) -> None:
    today = timezone.localdate()
    for kind, days, hours in (
        (Phase.Kind.HARVEST_SESSION, HARVEST_IN_DAYS, (13, 17)),
        (Phase.Kind.CLOSING, CLOSING_IN_DAYS, (15, 17)),
    ):
        phase = programme.phases.filter(kind=kind).first()
        day = today + timedelta(days=days)
        if phase is None or abs(phase.starts_at - timezone.now()) <= NEAR:
            continue
        phase.starts_at = timezone.make_aware(datetime.combine(day, time(hours[0])))
        phase.ends_at = timezone.make_aware(datetime.combine(day, time(hours[1])))
        phase.save(update_fields=["starts_at", "ends_at"])
