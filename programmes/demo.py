"""Demo programmes: Rotterdam's area networkers (seed 004) and Haarlem's advisers (seed 000)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.demo import DemoWorld

from .models import Membership, Programme

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

    _programme(
        world,
        "rotterdam",
        "Gebiedsnetwerkers 2027",
        description="Het vervolg, op basis van de oogst van dit jaar.",
        starts_on=date(today.year + 1, 3, 1),
        ends_on=date(today.year + 1, 9, 1),
        status=Programme.Status.DRAFT,
    )

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
