"""Build the benchmark dataset: 20 municipalities, 10,000 participants, programmes in every phase.

Used by ``make bench`` (bench/key_pages.py) and the load test (bench/load.py) on a database of
their own; it refuses a database that already holds organisations. Everything is bulk-inserted,
so the whole set takes a minute or two on PostgreSQL rather than hours through the services.

Per organisation: five programmes of 100 participants, one in each stage (plans being built,
just started, in the activity period, at the harvest, closed); five communities of 20 per
programme with a learning coach each; goals with actions, reflections and 70-20-10 activities;
start assessments (and end assessments at the harvest); coaching sessions with notes; forum
threads; intervision groups with sessions and cases; events with sign-ups; the harvest's
contributions, quotes, initiatives, answers and stories; and in-app notifications.

``--manifest PATH`` writes, per role, people and the pages each of them may open (JSON), for
the load test and the page benchmark.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_TOTP_SECRET
from accounts.models import Organisation, User
from coaching.models import (
    CoachingNote,
    CoachingSession,
    Community,
    CommunityAction,
    CommunityMember,
    Post,
    Thread,
)
from harvest.models import Answer, Contribution, Initiative, InitiativeSignup, LearningStory, Quote
from intervision import methods
from intervision.models import Case, GroupMember, IntervisionGroup, IntervisionSession, Method
from learners.models import (
    Action,
    Activity,
    AssessmentAnswer,
    AssessmentResponse,
    Goal,
    Reflection,
    Swot,
)
from notifications.models import Category, Notification
from programmes.models import (
    AssessmentItem,
    Competency,
    Event,
    Membership,
    Phase,
    Programme,
    Registration,
)

BENCH_PASSWORD = "leertraject-bench"  # noqa: S105 - a benchmark database only, printed on purpose
MUNICIPALITIES = (
    "Alkmaar", "Almere", "Amersfoort", "Apeldoorn", "Arnhem", "Breda", "Delft", "Deventer",
    "Dordrecht", "Ede", "Enschede", "Groningen", "Haarlem", "Leeuwarden", "Leiden", "Maastricht",
    "Nijmegen", "Tilburg", "Zaanstad", "Zwolle",
)  # fmt: skip
FIRST_NAMES = (
    "Fatima", "Jeroen", "Sanne", "Mohamed", "Lotte", "Daan", "Priya", "Kees", "Noor", "Bram",
    "Ilse", "Yusuf", "Femke", "Ruben", "Esra", "Thijs", "Anouk", "Sem", "Latifa", "Wouter",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "El Amrani", "Bakker", "Visser", "Smit", "Yilmaz", "Meijer", "de Boer",
    "Mulder", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Kaya", "Dekker", "Brouwer",
)  # fmt: skip
GOALS = (
    "Gesprekken met bewoners zelf voorbereiden en leiden",
    "Beter samenwerken met collega's van andere afdelingen",
    "Mijn adviezen korter en duidelijker opschrijven",
    "Vaker om feedback vragen op mijn werk",
    "Een wijkproject van begin tot eind trekken",
    "Rust houden in lastige gesprekken aan de balie",
)
ACTIONS = (
    "Een dag meelopen met de wijkregisseur",
    "Een collega vragen mijn advies te lezen",
    "Het gesprek van dinsdag zelf voorzitten",
    "De training 'Helder schrijven' volgen",
    "Een bewonersavond mee voorbereiden",
)
STAGES = ("building", "started", "activity", "harvest", "closed")
PROGRAMME_TITLES = (
    "Gebiedsgericht werken",
    "Van regels naar bedoeling",
    "Dienstverlening met de bewoner",
    "Samen sterker in de wijk",
    "Leidinggeven zonder titel",
)
PARTICIPANTS_PER_PROGRAMME = 100
COMMUNITIES_PER_PROGRAMME = 5
COACHES = MANAGERS = 5
GROUP_SIZE = 5
BATCH = 5000


@dataclass
class Built:
    """What the manifest needs to know of one organisation."""

    organisation: Organisation
    hr: User
    coaches: list[User]
    managers: list[User]
    programmes: dict[str, Programme] = field(default_factory=dict)
    participants: dict[str, list[Membership]] = field(default_factory=dict)
    communities: dict[str, list[Community]] = field(default_factory=dict)


def bulk(model: type[models.Model], objects: Iterable[models.Model]) -> list[Any]:
    """Insert in batches and return the saved objects (with primary keys on PostgreSQL and SQLite)."""
    return model.objects.bulk_create(list(objects), batch_size=BATCH)


class Builder:
    """Builds one organisation after another with a fixed random seed, so two runs are alike."""

    def __init__(self) -> None:
        self.random = random.Random(2026)  # noqa: S311 - test data, not security
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.password = make_password(BENCH_PASSWORD)

    def at(self, day: date, hour: int = 10) -> datetime:
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour))

    def people(self, organisation: Organisation, prefix: str, count: int, **extra: Any) -> list[User]:
        domain = f"{organisation.slug}.bench.example"
        users = bulk(
            User,
            (
                User(
                    email=f"{prefix}{number}@{domain}",
                    first_name=FIRST_NAMES[(number + len(prefix)) % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(number * 7 + len(prefix)) % len(LAST_NAMES)],
                    organisation=organisation,
                    password=self.password,
                    last_login=self.now - timedelta(days=number % 30),
                    **extra,
                )
                for number in range(count)
            ),
        )
        bulk(EmailAddress, (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users))
        return users

    def organisation(self, number: int, name: str) -> Built:
        organisation = Organisation.objects.create(name=f"Gemeente {name}", slug=name.lower())
        hr = self.people(organisation, "hr", 1, is_hr_admin=True)[0]
        TOTP.activate(hr, DEMO_TOTP_SECRET)
        built = Built(
            organisation=organisation,
            hr=hr,
            coaches=self.people(organisation, "coach", COACHES, job_title="Leercoach"),
            managers=self.people(organisation, "manager", MANAGERS, job_title="Teamleider"),
        )
        methods.seed_library(organisation)
        competencies = bulk(
            Competency,
            (
                Competency(organisation=organisation, name=name)
                for name in ("Initiatief tonen", "Samenwerken", "Klantgericht handelen")
            ),
        )
        participants = self.people(
            organisation, "deelnemer", PARTICIPANTS_PER_PROGRAMME * len(STAGES), job_title="Medewerker"
        )
        for index, stage in enumerate(STAGES):
            people = participants[index * PARTICIPANTS_PER_PROGRAMME : (index + 1) * PARTICIPANTS_PER_PROGRAMME]
            self.programme(
                built, stage, PROGRAMME_TITLES[(index + number) % len(PROGRAMME_TITLES)], people, competencies
            )
        return built

    def programme(
        self, built: Built, stage: str, title: str, people: list[User], competencies: list[Competency]
    ) -> None:
        offset = {"building": 30, "started": -3, "activity": -60, "harvest": -158, "closed": -200}[stage]
        starts_on = self.today + timedelta(days=offset)
        programme = Programme.objects.create(
            organisation=built.organisation,
            title=title,
            description="Een leertraject waarin medewerkers zelf hun leren sturen.",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=180),
            status=Programme.Status.CLOSED if stage == "closed" else Programme.Status.ACTIVE,
        )
        programme.competencies.set(competencies)
        built.programmes[stage] = programme
        bulk(
            Phase,
            (
                Phase(programme=programme, kind=kind, starts_at=self.at(starts_on + timedelta(days=days)))
                for kind, days in (
                    (Phase.Kind.BUILD_SESSION, -14),
                    (Phase.Kind.KICK_OFF, 0),
                    (Phase.Kind.ACTIVITY_PERIOD, 1),
                    (Phase.Kind.HARVEST_SESSION, 160),
                    (Phase.Kind.CLOSING, 175),
                )
            ),
        )
        members = bulk(
            Membership,
            (
                Membership(
                    programme=programme,
                    user=person,
                    role=Membership.Role.PARTICIPANT,
                    reports_to=built.managers[number % MANAGERS],
                )
                for number, person in enumerate(people)
            ),
        )
        bulk(
            Membership,
            [Membership(programme=programme, user=coach, role=Membership.Role.COACH) for coach in built.coaches]
            + [
                Membership(programme=programme, user=manager, role=Membership.Role.MANAGER)
                for manager in built.managers
            ],
        )
        built.participants[stage] = members
        items = bulk(
            AssessmentItem,
            (
                AssessmentItem(
                    programme=programme, competency=competency, text=f"{competency.name}: uitspraak {n}", position=n
                )
                for n, competency in enumerate(competencies * 2)
            ),
        )
        self.assessments(members, items, end=stage in ("harvest", "closed"))
        communities = self.communities(built, programme, members)
        built.communities[stage] = communities
        if stage != "building":
            self.plans(
                members, goals_each=2 if stage == "started" else 3, reflections_each=1 if stage == "started" else 2
            )
            self.coaching(built, members, done=stage != "started")
            self.intervision(programme, members, stage)
        else:
            self.plans(members, goals_each=1, reflections_each=0)
        self.events(programme, people, competencies)
        if stage in ("harvest", "closed"):
            self.harvest(built, programme, members, communities)
        self.notifications(built.organisation, people, programme)

    def assessments(self, members: list[Membership], items: list[AssessmentItem], end: bool) -> None:
        moments = ["start", "end"] if end else ["start"]
        responses = bulk(
            AssessmentResponse,
            (
                AssessmentResponse(membership=m, moment=moment, submitted_at=self.now)
                for m in members
                for moment in moments
            ),
        )
        bulk(
            AssessmentAnswer,
            (
                AssessmentAnswer(
                    response=response,
                    item=item,
                    score=min(5, self.random.randint(1, 4) + (1 if response.moment == "end" else 0)),
                )
                for response in responses
                for item in items
            ),
        )
        bulk(
            Swot,
            (
                Swot(
                    membership=m,
                    strengths="Ik luister goed en blijf rustig.",
                    weaknesses="Ik stel beslissingen uit.",
                    opportunities="De nieuwe wijkteams.",
                    threats="Drukte aan de balie.",
                )
                for m in members
            ),
        )

    def plans(self, members: list[Membership], goals_each: int, reflections_each: int) -> None:
        goals = bulk(
            Goal,
            (
                Goal(
                    membership=m,
                    title=GOALS[(number + g) % len(GOALS)],
                    why="Mijn rol verandert: ik werk straks meer in de wijk.",
                    success="Ik bereid drie gesprekken zelf voor en krijg daar feedback op.",
                    visibility=Goal.Visibility.COACH if g % 2 == 0 else Goal.Visibility.COMMUNITY,
                )
                for number, m in enumerate(members)
                for g in range(goals_each)
            ),
        )
        kinds = [Activity.Kind.ON_THE_JOB, Activity.Kind.FROM_OTHERS, Activity.Kind.FORMAL]
        bulk(
            Activity,
            (Activity(goal=goal, kind=kind, description="Oefenen in de praktijk") for goal in goals for kind in kinds),
        )
        bulk(
            Action,
            (
                Action(
                    goal=goal,
                    description=ACTIONS[(goal.pk + n) % len(ACTIONS)],
                    due_on=self.today + timedelta(days=self.random.randint(-20, 30)),
                    done_at=self.now - timedelta(days=n) if n == 0 else None,
                )
                for goal in goals
                for n in range(3)
            ),
        )
        bulk(
            Reflection,
            (
                Reflection(
                    goal=goal,
                    tried="Ik heb het overleg zelf voorgezeten.",
                    happened="Het liep uit, maar iedereen kwam aan het woord.",
                    learned="Vooraf de agenda delen scheelt tijd.",
                    next_step="Volgende keer een tijdwaker vragen.",
                    created_at=self.now - timedelta(days=7 * n + 1),
                )
                for goal in goals
                for n in range(reflections_each)
            ),
        )

    def communities(self, built: Built, programme: Programme, members: list[Membership]) -> list[Community]:
        size = len(members) // COMMUNITIES_PER_PROGRAMME
        communities = bulk(
            Community,
            (
                Community(
                    programme=programme,
                    name=f"Leergemeenschap {n + 1}",
                    question="Hoe betrekken we bewoners eerder bij plannen in hun wijk?",
                    capacity=size + 5,
                )
                for n in range(COMMUNITIES_PER_PROGRAMME)
            ),
        )
        through = Community.coaches.through
        bulk(through, (through(community=c, user=built.coaches[n]) for n, c in enumerate(communities)))
        bulk(
            CommunityMember,
            (CommunityMember(community=communities[n // size], membership=m) for n, m in enumerate(members)),
        )
        bulk(
            CommunityAction,
            (
                CommunityAction(
                    community=c,
                    kind=kind,
                    title=f"{label} {c.name}",
                    owner=members[n * size].user,
                    due_on=self.today + timedelta(days=7 * k - 7),
                    status=CommunityAction.Status.DONE if k == 0 else CommunityAction.Status.PLANNED,
                )
                for n, c in enumerate(communities)
                for k, (kind, label) in enumerate(
                    (
                        (CommunityAction.Kind.KNOWLEDGE_CAFE, "Kenniscafé"),
                        (CommunityAction.Kind.JOB_SHADOWING, "Meeloopdag"),
                        (CommunityAction.Kind.AREA_VISIT, "Wijkbezoek"),
                        (CommunityAction.Kind.STREET_ACADEMY, "Academie van de straat"),
                    )
                )
            ),
        )
        threads = bulk(
            Thread,
            (
                Thread(community=c, title=title, author=members[n * size + t].user)
                for n, c in enumerate(communities)
                for t, title in enumerate(("Wie heeft ervaring met bewonersavonden?", "Tips voor lastige gesprekken"))
            ),
        )
        bulk(
            Post,
            (
                Post(
                    thread=thread,
                    author=members[(n * 3 + p) % len(members)].user,
                    body="Ik heb goede ervaringen met een korte voorstelronde aan het begin.",
                )
                for n, thread in enumerate(threads)
                for p in range(4)
            ),
        )
        return communities

    def coaching(self, built: Built, members: list[Membership], done: bool) -> None:
        size = len(members) // COMMUNITIES_PER_PROGRAMME
        sessions = bulk(
            CoachingSession,
            (
                CoachingSession(
                    membership=m,
                    coach=built.coaches[n // size],
                    status=CoachingSession.Status.HELD if done else CoachingSession.Status.PLANNED,
                    starts_at=self.now + timedelta(days=-14 if done else 7, hours=n % 8),
                    agenda="Voortgang leerdoelen",
                    summary="We bespraken de eerste acties." if done else "",
                )
                for n, m in enumerate(members)
            ),
        )
        if done:
            bulk(
                CoachingNote,
                (CoachingNote(session=s, text="Vertrouwelijk: twijfelt over de nieuwe rol.") for s in sessions),
            )

    def intervision(self, programme: Programme, members: list[Membership], stage: str) -> None:
        groups = bulk(
            IntervisionGroup,
            (
                IntervisionGroup(programme=programme, name=f"Intervisiegroep {n + 1}")
                for n in range(len(members) // GROUP_SIZE)
            ),
        )
        bulk(GroupMember, (GroupMember(group=groups[n // GROUP_SIZE], membership=m) for n, m in enumerate(members)))
        method = Method.objects.for_organisation(programme.organisation).filter(language="nl").order_by("pk").first()
        ended = stage in ("activity", "harvest", "closed")
        sessions = bulk(
            IntervisionSession,
            (
                IntervisionSession(
                    group=group,
                    method=method,
                    starts_at=self.now + timedelta(days=-10 if ended else 10),
                    case_bringer=members[n * GROUP_SIZE].user,
                    facilitator=members[n * GROUP_SIZE + 1].user,
                    status=IntervisionSession.Status.ENDED if ended else IntervisionSession.Status.PLANNED,
                    ended_at=self.now - timedelta(days=10) if ended else None,
                )
                for n, group in enumerate(groups)
            ),
        )
        bulk(
            Case,
            (
                Case(
                    session=s,
                    title="Een bewoner die steeds terugkomt",
                    situation="Een bewoner belt elke week over hetzelfde probleem.",
                    question="Hoe stel ik een grens zonder de relatie te verliezen?",
                    submitted_by=s.case_bringer,
                )
                for s in sessions
            ),
        )

    def events(self, programme: Programme, people: list[User], competencies: list[Competency]) -> None:
        events = bulk(
            Event,
            (
                Event(
                    programme=programme,
                    kind=kind,
                    title=title,
                    starts_at=self.at(programme.starts_on + timedelta(days=20 * n + 10), 13),
                    ends_at=self.at(programme.starts_on + timedelta(days=20 * n + 10), 16),
                    location="Stadhuis, zaal 2",
                    capacity=25,
                )
                for n, (kind, title) in enumerate(
                    (
                        (Event.Kind.TRAINING, "Training Helder schrijven"),
                        (Event.Kind.WORKSHOP, "Workshop Bewonersparticipatie"),
                        (Event.Kind.KNOWLEDGE_CAFE, "Kenniscafé Omgevingswet"),
                    )
                )
            ),
        )
        bulk(
            Registration,
            (
                Registration(
                    event=event,
                    user=person,
                    status=Registration.Status.REGISTERED if n < 25 else Registration.Status.WAITING,
                )
                for e, event in enumerate(events)
                for n, person in enumerate(people[e * 30 : e * 30 + 30])
            ),
        )

    def harvest(
        self, built: Built, programme: Programme, members: list[Membership], communities: list[Community]
    ) -> None:
        contributions = bulk(
            Contribution,
            [
                Contribution(
                    programme=programme,
                    author=built.coaches[n],
                    community=c,
                    achieved="Drie kenniscafés en een wijkbezoek.",
                    not_achieved="Intervisie met andere afdelingen.",
                    why_not="De teamleiders gaven geen ruimte in de planning.",
                    learned="Zelf beginnen werkt: anderen sluiten aan.",
                )
                for n, c in enumerate(communities)
            ]
            + [
                Contribution(
                    programme=programme,
                    author=m.user,
                    achieved="Ik leid nu zelf het wijkoverleg.",
                    not_achieved="De training schrijven kwam er niet van.",
                    why_not="Te veel spoedklussen.",
                    learned="Vragen stellen werkt beter dan adviseren.",
                )
                for m in members[::3]
            ],
        )
        bulk(
            Quote,
            (
                Quote(
                    contribution=c,
                    author=c.author,
                    text="Ik durf nu bewoners zelf te bellen.",
                    named=n % 2 == 0,
                    consented_at=self.now,
                )
                for n, c in enumerate(contributions[COMMUNITIES_PER_PROGRAMME::3])
            ),
        )
        Goal.objects.filter(membership__in=members).update(
            outcome="partly", outcome_why="Te weinig tijd naast het werk."
        )
        initiatives = bulk(
            Initiative,
            (
                Initiative(programme=programme, title=title, proposed_by=members[n].user)
                for n, title in enumerate(
                    ("Maandelijks kenniscafé", "Buddy voor nieuwe collega's", "Wijkwandeling met de wethouder")
                )
            ),
        )
        bulk(
            InitiativeSignup,
            (
                InitiativeSignup(initiative=i, user=m.user)
                for n, i in enumerate(initiatives)
                for m in members[n * 10 : n * 10 + 8]
            ),
        )
        bulk(
            Answer,
            (
                Answer(
                    programme=programme,
                    manager=built.managers[n],
                    contribution=c,
                    decision=Answer.Decision.AGREED,
                    text="Herkenbaar. We maken in het teamoverleg ruimte voor leren.",
                )
                for n, c in enumerate(contributions[:COMMUNITIES_PER_PROGRAMME])
            ),
        )
        bulk(
            LearningStory,
            (
                LearningStory(membership=m, text="Ik begon onzeker en leid nu zelf gesprekken.", shared=n % 2 == 0)
                for n, m in enumerate(members)
            ),
        )

    def notifications(self, organisation: Organisation, people: list[User], programme: Programme) -> None:
        bulk(
            Notification,
            (
                Notification(
                    organisation=organisation,
                    recipient=person,
                    kind="phase_reminder",
                    category=Category.PROGRAMME,
                    key=f"programme:{programme.pk}",
                    occurrence=f"bench-{n}",
                    context={"programme": programme.title},
                    status=Notification.Status.SENT,
                    sent_at=self.now - timedelta(days=n),
                    read_at=self.now if n else None,
                )
                for person in people
                for n in range(2)
            ),
        )


def manifest(organisations: list[Built], per_organisation: int = 20) -> dict[str, Any]:
    """Per role, people and the pages each may open; the first organisation first (the page benchmark's)."""
    users: dict[str, list[dict[str, Any]]] = {"participant": [], "coach": [], "hr": [], "manager": []}
    for built in organisations:
        active, harvest = built.programmes["activity"], built.programmes["harvest"]
        for stage in ("activity", "harvest", "started"):
            programme = built.programmes[stage]
            for member in built.participants[stage][: per_organisation // 3 + 1]:
                community = member.community_member.community
                users["participant"].append(
                    {
                        "email": member.user.email,
                        "urls": {
                            "participant home": "/",
                            "learning plan": reverse("learners:plan", args=[programme.pk]),
                            "community": reverse("coaching:detail", args=[programme.pk, community.pk]),
                            "notifications": reverse("notifications:inbox"),
                        },
                    }
                )
        for number, coach in enumerate(built.coaches):
            community = built.communities["activity"][number]
            users["coach"].append(
                {
                    "email": coach.email,
                    "urls": {
                        "coach home": "/",
                        "coach dashboard": reverse("coaching_sessions:dashboard", args=[active.pk]),
                        "community": reverse("coaching:detail", args=[active.pk, community.pk]),
                        "intervision overview": reverse("intervision:overview", args=[active.pk]),
                    },
                }
            )
        users["hr"].append(
            {
                "email": built.hr.email,
                "urls": {
                    "hr home": "/",
                    "hr programme dashboard": reverse("programmes:detail", args=[active.pk]),
                    "people": reverse("programmes:people", args=[active.pk]),
                    "demand view": reverse("learners:demand", args=[active.pk]),
                    "intervision composition": reverse("intervision:compose", args=[active.pk]),
                },
            }
        )
        for manager in built.managers:
            users["manager"].append(
                {
                    "email": manager.email,
                    "urls": {
                        "manager home": "/",
                        "harvest report": reverse("harvest:report", args=[harvest.pk]),
                        "harvest hub": reverse("harvest:hub", args=[harvest.pk]),
                    },
                }
            )
    return {"password": BENCH_PASSWORD, "totp_secret": DEMO_TOTP_SECRET, "users": users}


class Command(BaseCommand):
    help = "Build the benchmark dataset (20 organisations, 10,000 participants) in an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=len(MUNICIPALITIES), help="How many (at most 20).")
        parser.add_argument("--manifest", type=Path, help="Write the people and pages per role to this JSON file.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["organisations"]
        if not 1 <= count <= len(MUNICIPALITIES):
            raise CommandError(f"--organisations must be between 1 and {len(MUNICIPALITIES)}.")
        if Organisation.objects.exists():
            raise CommandError("The database already holds organisations; seed_bench needs an empty one.")
        builder = Builder()
        built = []
        for number, name in enumerate(MUNICIPALITIES[:count]):
            with transaction.atomic():
                built.append(builder.organisation(number, name))
            self.stdout.write(f"  {built[-1].organisation.name}: {len(built) * 500} participants so far")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if options["manifest"]:
            options["manifest"].write_text(json.dumps(manifest(built), indent=1))
            self.stdout.write(f"Manifest written to {options['manifest']}")
        self.stdout.write(self.style.SUCCESS(f"Benchmark data ready; password for everyone: {BENCH_PASSWORD}"))
