"""Demo programmes: Rotterdam's area networkers (seed 004) and Haarlem's advisers (seed 000)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.demo import DemoWorld
from accounts.models import Organisation

from .enrolment import EnrolmentRow, apply_rows
from .models import (
    AssessmentItem,
    BehaviourIndicator,
    Competency,
    Event,
    Invitation,
    Membership,
    Phase,
    Programme,
    Registration,
)

# Seed 004: the competencies Rotterdam's area networkers work on.
ROTTERDAM_COMPETENCIES = {
    "Initiatief tonen": (
        "Zelf kansen zien en in actie komen, zonder te wachten op een opdracht.",
        [
            "Signaleert wat er in de wijk speelt en brengt het zelf in.",
            "Zet een eerste stap en betrekt daarna anderen.",
            "Organiseert zelf leeractiviteiten met collega's.",
        ],
    ),
    "Verantwoordelijkheid nemen": (
        "Eigenaar zijn van de eigen taak, het eigen leren en de afspraken met anderen.",
        [
            "Komt afspraken na en meldt het tijdig als dat niet lukt.",
            "Spreekt collega's en partners aan op gezamenlijke afspraken.",
            "Stuurt het eigen leerplan bij zonder daarop te wachten.",
        ],
    ),
}
# Seed 000: the four elements of the effective adviser (Hiemstra & De Vries).
HAARLEM_COMPETENCIES = {
    "Opgaven zien": (
        "Zoekt actief naar maatschappelijke en organisatorische opgaven en ziet welke bijdrage "
        "bedrijfsvoering daaraan levert.",
        ["Agendeert zelf een opgave bij een afdelingshoofd.", "Vertaalt een opgave naar een concreet advies."],
    ),
    "Verbinden met het primair proces": (
        "Verbindt zich met professionals in het primair proces door tijd te nemen om te luisteren en samen "
        "toegevoegde waarde te leveren aan een gemeenschappelijk einddoel.",
        ["Neemt tijd om te luisteren voordat hij of zij adviseert.", "Werkt met de afdeling aan één einddoel."],
    ),
    "Omgaan met onzekerheid": (
        "Herkent de onbekendheid en complexiteit van de opgave en gaat goed om met de onzekerheid die hierbij hoort.",
        ["Benoemt wat nog onzeker is.", "Adviseert stap voor stap en stelt bij."],
    ),
    "Samenhang in de bedrijfsvoering": (
        "Kent de opgaven in de brede bedrijfsvoering en zorgt voor samenhang.",
        ["Betrekt HR, financiën en informatie in één advies.", "Signaleert tegenstrijdige adviezen en lost ze op."],
    ),
}

ROTTERDAM_DESCRIPTION = (
    "Tachtig gebiedsnetwerkers geven zelf vorm aan hun leerproces. Na een bouwsessie en een startdag "
    "organiseren themagroepen een half jaar lang hun eigen acties: een kenniscafé, de Academie van de "
    "straat, wijkreizen en intervisie. Op de oogstsessie laten we zien wat we bereikten, wat niet, en waarom."
)
ROTTERDAM_GOALS = (
    "Werken aan de competenties ‘initiatief tonen’ en ‘verantwoordelijkheid nemen’.\n"
    "Het netwerkvermogen in de wijk versterken.\n"
    "Kennis en ervaring tussen gebieden effectief delen."
)
HAARLEM_DESCRIPTION = (
    "Collega's van HR, financiën en informatiemanagement groeien in hun rol als adviseur van "
    "afdelingshoofden. Stap voor stap, met aandacht voor de individuele en de collectieve leerbehoefte."
)
HAARLEM_GOALS = (
    "Proactief kansen en opgaven zien en agenderen.\n"
    "Verbinding maken met professionals in het primair proces.\n"
    "Omgaan met onzekerheid en complexiteit van de opgave."
)


def _programme(world: DemoWorld, slug: str, title: str, **defaults: object) -> Programme:
    programme, _ = Programme.objects.unscoped().get_or_create(
        organisation=world[slug].organisation, title=title, defaults=defaults
    )
    return programme


def _enrol(programme: Programme, people: list, role: str) -> None:
    for user in people:
        Membership.objects.unscoped().get_or_create(programme=programme, user=user, role=role)


def _competencies(organisation: Organisation, framework: dict) -> list[Competency]:
    competencies = []
    for name, (description, indicators) in framework.items():
        competency, created = Competency.objects.unscoped().get_or_create(
            organisation=organisation, name=name, defaults={"description": description}
        )
        if created:
            BehaviourIndicator.objects.bulk_create(
                BehaviourIndicator(competency=competency, text=text, position=position)
                for position, text in enumerate(indicators)
            )
        competencies.append(competency)
    return competencies


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _phases(programme: Programme, plan: list[tuple[str, int, int, str, str]]) -> None:
    """Phases as (kind, days after the start, hour, place, description); an existing kind is left alone."""
    for kind, days, hour, place, description in plan:
        day = programme.starts_on + timedelta(days=days)
        Phase.objects.unscoped().get_or_create(
            programme=programme,
            kind=kind,
            defaults={"starts_at": _at(day, hour), "location": place, "description": description},
        )


def _event(
    programme: Programme,
    title: str,
    *,
    kind: str,
    day: date,
    hours: tuple[int, int],
    place: str,
    capacity: int,
    competencies: list[Competency],
    description: str,
    registered: list,
    waiting: list | None = None,
) -> None:
    """An event with people signed up in the given order; an existing event is left alone."""
    event, created = Event.objects.unscoped().get_or_create(
        programme=programme,
        title=title,
        defaults={
            "kind": kind,
            "starts_at": _at(day, hours[0]),
            "ends_at": _at(day, hours[1]),
            "location": place,
            "capacity": capacity,
            "description": description,
        },
    )
    if not created:
        return
    event.competencies.set(competencies)
    signed_up_at = event.starts_at - timedelta(days=6)
    for status, people in ((Registration.Status.REGISTERED, registered), (Registration.Status.WAITING, waiting or [])):
        for person in people:
            signed_up_at += timedelta(hours=3)
            Registration.objects.unscoped().create(event=event, user=person, status=status, signed_up_at=signed_up_at)


def _assessment(programme: Programme, competencies: list[Competency], open_questions: list[str]) -> None:
    if programme.assessment_items.exists():
        return
    items = [
        AssessmentItem(
            programme=programme, competency=competency, indicator=indicator, text=indicator.text, position=position
        )
        for position, (competency, indicator) in enumerate(
            (competency, indicator) for competency in competencies for indicator in competency.indicators.all()
        )
    ]
    items += [
        AssessmentItem(programme=programme, kind=AssessmentItem.Kind.OPEN, text=text, position=len(items) + number)
        for number, text in enumerate(open_questions)
    ]
    AssessmentItem.objects.bulk_create(items)


# Newly enrolled area networkers who have not joined yet (seed 001: personal access codes).
NEWCOMERS = [
    ("Sven", "Post", "sven.post@rotterdam.example", "Gebiedsnetwerker", "Feijenoord", "invited"),
    ("Ilse", "de Wit", "ilse.dewit@rotterdam.example", "Gebiedsnetwerker", "Charlois", "not_invited"),
    ("Ahmed", "Tahiri", "ahmed.tahiri@rotterdm.example", "Gebiedsnetwerker", "Delfshaven", "bounced"),
]


def _invitations(programme: Programme, manager_email: str) -> None:
    """Everyone with a demo password has joined; the newcomers show the other invitation states."""
    rows = [
        EnrolmentRow(
            line=n,
            first_name=first,
            last_name=last,
            email=email,
            job_title=job,
            department=dept,
            manager_email=manager_email,
        )
        for n, (first, last, email, job, dept, _state) in enumerate(NEWCOMERS, start=2)
    ]
    apply_rows(programme, rows)
    now = timezone.now()
    states = {email: state for *_rest, email, _job, _dept, state in NEWCOMERS}
    participants = programme.memberships.filter(role=Membership.Role.PARTICIPANT).select_related("user")
    for membership in participants:
        state = states.get(membership.user.email, "accepted")
        if state == "not_invited":
            continue
        Invitation.objects.unscoped().get_or_create(
            membership=membership,
            defaults={
                "sent_at": now - timedelta(days=20),
                "send_count": 1,
                "accepted_at": now - timedelta(days=18) if state == "accepted" else None,
                "bounced_at": now - timedelta(days=20) if state == "bounced" else None,
            },
        )


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    month_ago = today - timedelta(days=30)
    rotterdam = world["rotterdam"].people
    haarlem = world["haarlem"].people

    networkers = _programme(
        world,
        "rotterdam",
        "Gebiedsnetwerkers: initiatief tonen en verantwoordelijkheid nemen",
        description=ROTTERDAM_DESCRIPTION,
        goals=ROTTERDAM_GOALS,
        starts_on=month_ago,
        ends_on=month_ago + timedelta(weeks=26),
        status=Programme.Status.ACTIVE,
    )
    _enrol(networkers, [rotterdam["participant"], *(rotterdam[f"p{i}"] for i in range(1, 9))], "participant")
    _enrol(networkers, [rotterdam["coach"], rotterdam["coach2"]], "coach")
    _enrol(networkers, [rotterdam["manager"]], "manager")
    rotterdam_competencies = _competencies(world["rotterdam"].organisation, ROTTERDAM_COMPETENCIES)
    networkers.competencies.set(rotterdam_competencies)
    _phases(
        networkers,
        [
            (
                Phase.Kind.BUILD_SESSION,
                0,
                13,
                "Stadhuis, zaal 2.14",
                "Context, bestaande initiatieven en de startdag voorbereiden.",
            ),
            (
                Phase.Kind.KICK_OFF,
                14,
                9,
                "Wijkcentrum De Larenkamp",
                "Netwerken vertalen in houding en gedrag; drie themagroepen.",
            ),
            (Phase.Kind.ACTIVITY_PERIOD, 15, 9, "", "Themagroepen organiseren hun eigen acties."),
            (
                Phase.Kind.HARVEST_SESSION,
                170,
                13,
                "Stadhuis, raadzaal",
                "Wat realiseerden we wel, wat niet, en waarom?",
            ),
            (Phase.Kind.CLOSING, 180, 15, "Stadhuis, zaal 2.14", "Afsluiting en vervolgafspraken."),
        ],
    )
    _invitations(networkers, rotterdam["manager"].email)
    _assessment(
        networkers,
        rotterdam_competencies,
        ["Wat wil je aan het eind van dit traject anders doen in de wijk?", "Wie in je netwerk kan je daarbij helpen?"],
    )

    initiative, responsibility = rotterdam_competencies
    _event(
        networkers,
        "Kenniscafé: initiatief tonen in de wijk",
        kind=Event.Kind.KNOWLEDGE_CAFE,
        day=today + timedelta(days=7),
        hours=(15, 17),
        place="Wijkcentrum De Larenkamp",
        capacity=15,
        competencies=[initiative],
        description="Gebiedsnetwerkers vertellen elkaar wat werkte toen ze zelf iets in gang zetten, en wat niet.",
        registered=[rotterdam["participant"], rotterdam["p1"], rotterdam["p2"], rotterdam["p5"]],
    )
    _event(
        networkers,
        "Workshop: afspraken maken en nakomen met partners",
        kind=Event.Kind.WORKSHOP,
        day=today + timedelta(days=14),
        hours=(13, 16),
        place="Stadhuis, zaal 2.14",
        capacity=3,
        competencies=[responsibility],
        description="Op verzoek van de themagroep Samenwerken: oefenen met heldere afspraken en elkaar aanspreken.",
        registered=[rotterdam["p1"], rotterdam["p3"], rotterdam["p4"]],
        waiting=[rotterdam["p6"]],
    )
    _event(
        networkers,
        "Training: gesprekstechnieken in de wijk",
        kind=Event.Kind.TRAINING,
        day=today - timedelta(days=10),
        hours=(9, 12),
        place="Wijkcentrum De Larenkamp",
        capacity=12,
        competencies=[initiative, responsibility],
        description="Luisteren, doorvragen en samenvatten met bewoners en partners.",
        registered=[rotterdam["participant"], rotterdam["p2"], rotterdam["p3"], rotterdam["p7"]],
    )

    # One person may coach in one programme and take part in another.
    coaches = _programme(
        world,
        "rotterdam",
        "Leercoach in ontwikkeling",
        description="Interne leercoaches leren van elkaar: begeleiden van leergemeenschappen en intervisie.",
        goals="Groepen veilig laten leren.\nDeelnemers die vastlopen tijdig opmerken en helpen.",
        starts_on=month_ago + timedelta(days=14),
        ends_on=month_ago + timedelta(weeks=12),
        status=Programme.Status.ACTIVE,
    )
    _enrol(coaches, [rotterdam["coach"], rotterdam["coach2"]], "participant")
    _enrol(coaches, [rotterdam["manager"]], "manager")

    next_year = _programme(
        world,
        "rotterdam",
        "Gebiedsnetwerkers 2027",
        description="Het vervolg, op basis van de oogst van dit jaar.",
        starts_on=date(today.year + 1, 3, 1),
        ends_on=date(today.year + 1, 9, 1),
        status=Programme.Status.DRAFT,
    )
    next_year.competencies.set(rotterdam_competencies)

    advisers = _programme(
        world,
        "haarlem",
        "Effectief adviseren",
        description=HAARLEM_DESCRIPTION,
        goals=HAARLEM_GOALS,
        starts_on=month_ago - timedelta(days=30),
        ends_on=month_ago + timedelta(weeks=20),
        status=Programme.Status.ACTIVE,
    )
    _enrol(advisers, [haarlem["participant"], *(haarlem[f"p{i}"] for i in range(1, 5))], "participant")
    _enrol(advisers, [haarlem["coach"]], "coach")
    _enrol(advisers, [haarlem["manager"]], "manager")
    haarlem_competencies = _competencies(world["haarlem"].organisation, HAARLEM_COMPETENCIES)
    advisers.competencies.set(haarlem_competencies)
    _phases(
        advisers,
        [
            (
                Phase.Kind.KICK_OFF,
                0,
                9,
                "Stadskantoor, Zijlsingel",
                "Kennismaken en de eigen drijfveren in kaart brengen.",
            ),
            (Phase.Kind.ACTIVITY_PERIOD, 1, 9, "", "Experimenteren met adviseren in de eigen praktijk."),
            (Phase.Kind.HARVEST_SESSION, 130, 14, "Stadskantoor, Zijlsingel", "Deelnemers laten zien wat ze leerden."),
        ],
    )
    _event(
        advisers,
        "Training: de vraag achter de vraag",
        kind=Event.Kind.TRAINING,
        day=today + timedelta(days=10),
        hours=(9, 12),
        place="Stadskantoor, Zijlsingel",
        capacity=10,
        competencies=haarlem_competencies[:1],
        description="Adviesgesprekken oefenen met een acteur: wat vraagt het afdelingshoofd echt?",
        registered=[haarlem["participant"], haarlem["p1"]],
    )
    _assessment(advisers, haarlem_competencies, ["Bij welk afdelingshoofd wil je je advies versterken?"])
