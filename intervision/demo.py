"""Demo intervision data for Rotterdam: believable functions and departments for the area
networkers, and three mixed intervision groups (seed 001: "drie gemengde intervisiegroepen")."""

from __future__ import annotations

from accounts.demo import DemoWorld
from programmes.models import Programme

from . import groups

FUNCTIONS = ["Gebiedsnetwerker", "Wijkregisseur", "Beleidsadviseur", "Gebiedsnetwerker", "Projectleider wijk"]
DEPARTMENTS = ["Feijenoord", "Charlois", "IJsselmonde"]


def seed(world: DemoWorld) -> None:
    seed_groups(world)
    seed_methods_and_sessions(world)


def seed_groups(world: DemoWorld) -> None:
    """Fill in empty functions/departments, then compose three groups when there are none (idempotent)."""
    rotterdam = world["rotterdam"]
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam.organisation, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    participants = groups.participants(networkers)
    for n, membership in enumerate(participants):
        user, changed = membership.user, []
        if not user.job_title:
            user.job_title = FUNCTIONS[n % len(FUNCTIONS)]
            changed.append("job_title")
        if not user.department:
            user.department = DEPARTMENTS[n // 2 % len(DEPARTMENTS)]
            changed.append("department")
        if changed:
            user.save(update_fields=changed)
    if networkers.intervision_groups.exists() or len(participants) < 3:
        return
    preview = groups.compose_for_programme(networkers, count=3, seed=1)
    groups.save_composition(networkers, [[m.pk for m in group] for group in preview.groups], preview.names)


def seed_methods_and_sessions(world: DemoWorld) -> None:
    """The standard method library for every demo organisation; per Rotterdam group an ended session
    with its case and an upcoming one with rotated roles (idempotent)."""
    from datetime import timedelta

    from django.utils import timezone

    from . import methods, sessions
    from .models import Case, IntervisionSession, Method

    for demo in world.values():
        methods.seed_library(demo.organisation)
    rotterdam = world["rotterdam"].organisation
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    library = Method.objects.for_organisation(rotterdam).filter(language="nl")
    incident, codev = library.get(name="Incidentmethode"), library.get(name__startswith="Co-development")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n, group in enumerate(networkers.intervision_groups.order_by("name")):
        if group.sessions.exists():
            continue
        roles = sessions.suggest_roles(group)
        if None in roles.values():
            continue
        past = IntervisionSession.objects.create(
            group=group,
            method=incident,
            starts_at=now - timedelta(days=14 + n),
            location="Stadhuis Rotterdam, zaal 3.12",
            status=IntervisionSession.Status.ENDED,
            ended_at=now - timedelta(days=14 + n) + timedelta(minutes=50),
            **roles,
        )
        Case.objects.create(
            session=past,
            title="Een partner die afspraken niet nakomt",
            situation=(
                "Bij het wijkoverleg in Feijenoord bleef de woningcorporatie voor de derde keer weg, terwijl "
                "we samen een aanpak voor de Afrikaanderwijk zouden maken."
            ),
            question="Hoe spreek ik de corporatie aan zonder de samenwerking te schaden?",
            submitted_by=roles["case_bringer"],
        )
        sessions.plan_session(
            group,
            method=codev,
            starts_at=now + timedelta(days=5 + n, hours=2),
            location="Wijkkantoor Charlois",
            **sessions.suggest_roles(group),
        )
